"""A payroll in headless Chromium: a commune officer computes her commune's payrolls of the month
from the menu (the job's panel tells the result), opens the social-assistance payroll; she cannot
approve it (four eyes); the provincial officer of the field approves it; the tables fit 1366 px.

Drives Debian's Chromium through Playwright as the other browser tests do."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def served(live_server):  # type: ignore[no-untyped-def]
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    from .payroll_setup import beneficiaries, officers

    if not Unit.objects.exists():
        load_official_map()
    officers()
    return beneficiaries()


def fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width


def test_it_computes_then_another_officer_approves(served, page):  # type: ignore[no-untyped-def]
    from ansinh.payments.models import Payroll, PayrollState

    page.set_viewport_size({"width": 1366, "height": 900})
    browser_log_in(page, "lan")
    page.get_by_test_id("nav-payrolls").click()
    expect(page).to_have_url(re.compile(r"/payments/payrolls/$"))
    page.get_by_test_id("payroll-compute").click()
    expect(page.get_by_test_id("job-message")).to_contain_text("Đã tính 2 bảng chi trả")
    table = page.get_by_test_id("payrolls")
    expect(table).to_contain_text("Trà Cú")
    fits(page)
    sa = Payroll.objects.get(field="social_assistance")
    page.goto(f"/payments/payrolls/{sa.pk}/")
    expect(page.get_by_test_id("payroll-lines")).to_contain_text("Thạch Văn Sóc")
    expect(page.get_by_test_id("payroll-approve")).to_have_count(0)  # she prepares, others approve
    expect(page.get_by_test_id("four-eyes")).to_be_visible()
    fits(page)

    page.context.clear_cookies()
    browser_log_in(page, "an")
    page.goto(f"/payments/payrolls/{sa.pk}/")
    expect(page.get_by_test_id("payroll-state")).to_have_attribute("data-state", "draft")
    page.get_by_test_id("payroll-approve").click()
    expect(page.get_by_test_id("payroll-state")).to_have_attribute("data-state", "approved")
    expect(page.get_by_test_id("approved-by")).to_contain_text("an")
    expect(page.get_by_test_id("payroll-recompute")).to_have_count(0)
    assert Payroll.objects.get(pk=sa.pk).state == PayrollState.APPROVED
