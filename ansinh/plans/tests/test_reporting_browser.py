"""A quarterly report in headless Chromium: the commune officer of Xã Trà Cú starts her form from
the timeliness table, types a figure wrong and sees the error with what she typed kept, saves and
submits; the provincial officer returns it with a reason; she reads the reason, corrects and
submits again; he approves it, and the form is read-only.

Uses the browser fixtures of conftest.py. `live_server` runs on a transactional database emptied
after each test, so the fixture loads the map and the indicator catalogue when they are missing.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from conftest import browser_context, browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright.sync_api import expect  # noqa: E402

PASSWORD = "correct-horse-battery"


@pytest.fixture
def vinh_long_plan(live_server):  # type: ignore[no-untyped-def]
    """Lan (commune officer of Xã Trà Cú), Minh (provincial officer of Vĩnh Long), and Vĩnh Long's
    2025 plan with jobs targets for the province and Trà Cú."""
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit
    from ansinh.plans import services
    from ansinh.plans.catalogue_data import load_catalogue
    from ansinh.plans.models import Indicator

    if not Unit.objects.exists():
        load_official_map()
    load_catalogue(Indicator)  # the flush after a transactional test removes the shipped catalogue too
    tra_cu = unit_for_role(role="commune_officer", code="29461")
    province = unit_for_role(role="provincial_officer", code="86")
    user_create(username="lan", password=PASSWORD, role="commune_officer", unit=tra_cu)
    user_create(username="minh", password=PASSWORD, role="provincial_officer", unit=province, field="poverty")
    agency = services.agency_for(province, "Ủy ban nhân dân tỉnh Vĩnh Long", "ubnd", symbol="UBND")
    plan = services.plan_create(actor=None, agency=agency, unit=province, year=2025, number="45/KH-UBND",
                                title="Kế hoạch lao động, việc làm năm 2025", place="Vĩnh Long",
                                deadlines={"quarter": "last:15"})
    jobs = Indicator.objects.get(code="jobs_created")
    services.targets_replace(actor=None, plan=plan, rows=[
        services.TargetRow(jobs, province, "2025", "", Decimal(3200)),
        services.TargetRow(jobs, tra_cu, "2025", "", Decimal(100))])
    return plan


def test_it_a_quarterly_report_is_filled_returned_corrected_and_approved(  # type: ignore[no-untyped-def]
        vinh_long_plan, page, browser, live_server) -> None:
    from ansinh.plans.models import Submission

    plan = vinh_long_plan
    browser_log_in(page, "lan", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(f"/plans/{plan.pk}/submissions?period=2025-Q1")
    table = page.get_by_test_id("timeliness")
    expect(table.locator("tbody tr")).to_have_count(1)  # her commune only
    expect(table.locator("tr[data-unit='29461']")).to_have_attribute("data-state", "missing")
    page.get_by_test_id("start-29461").click()
    expect(page).to_have_url(re.compile(r"/plans/submissions/\d+/$"))
    form_url = page.url
    expect(page.get_by_test_id("status")).to_have_text(re.compile(r"nháp|draft"))

    # a figure typed wrong: the page comes back with the field named and everything kept
    page.fill("#id_v_jobs_created", "1.250")
    page.fill("#id_v_jobs_created_female", "6OO")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("6OO")
    expect(page.locator("#id_v_jobs_created_female")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_v_jobs_created")).to_have_value("1.250")
    page.fill("#id_v_jobs_created_female", "600")
    page.get_by_test_id("save").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#id_v_jobs_created")).to_have_value("1.250")
    expect(page.locator("#id_v_jobs_created_female")).to_have_value("600")

    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("confirm-figures").first).to_contain_text("1.250")
    page.get_by_test_id("confirm").click()
    expect(page).to_have_url(form_url)
    expect(page.get_by_test_id("status")).to_have_text(re.compile(r"đã nộp|submitted"))
    expect(page.locator("#id_v_jobs_created")).to_be_disabled()
    expect(page.get_by_test_id("approve")).to_have_count(0)

    # the province returns it: first without a reason (refused), then with one
    context = browser_context(browser, live_server)
    minh = context.new_page()
    try:
        browser_log_in(minh, "minh", PASSWORD)
        expect(minh).to_have_url(re.compile(r"/$"))
        minh.goto(form_url)
        minh.get_by_test_id("return").click()
        expect(minh.get_by_test_id("reason-error")).to_be_visible()
        expect(minh.get_by_test_id("status")).to_have_text(re.compile(r"đã nộp|submitted"))
        minh.fill("#id_reason", "Thiếu số liệu lao động là thanh niên")
        minh.get_by_test_id("return").click()
        expect(minh.get_by_test_id("status")).to_have_text(re.compile(r"trả lại|returned"))

        # she reads why, corrects and submits again
        page.goto(form_url)
        expect(page.get_by_test_id("return-reason")).to_contain_text("Thiếu số liệu lao động là thanh niên")
        page.fill("#id_v_jobs_created_youth", "400")
        page.fill("#id_v_jobs_created", "1.300")
        page.get_by_test_id("submit").click()
        page.get_by_test_id("confirm").click()
        expect(page.get_by_test_id("status")).to_have_text(re.compile(r"đã nộp|submitted"))

        minh.goto(form_url)
        minh.get_by_test_id("approve").click()
        minh.get_by_test_id("confirm-approve").click()
        expect(minh.get_by_test_id("status")).to_have_text(re.compile(r"đã duyệt|approved"))
        expect(minh.get_by_test_id("history").locator("li")).to_have_count(8)
        minh.goto(f"/plans/{plan.pk}/results?period=2025-Q1&drill=jobs_created")
        expect(minh.locator("tr[data-code='jobs_created'][data-part=''] td.num").first).to_contain_text("1.300")
        expect(minh.get_by_test_id("drill").locator("tr[data-unit='29461']")).to_contain_text("1.300,0%")
        minh.screenshot(path="/tmp/ansinh-reporting-results.png")
        minh.goto("/plans/dashboard")
        expect(minh.get_by_test_id("targets").locator("tr[data-code='jobs_created'] svg")).to_be_visible()
        minh.screenshot(path="/tmp/ansinh-reporting-dashboard.png", full_page=True)
    finally:
        context.close()

    # approved: read-only for her
    page.goto(form_url)
    expect(page.get_by_test_id("status")).to_have_text(re.compile(r"đã duyệt|approved"))
    expect(page.locator("#id_v_jobs_created")).to_be_disabled()
    expect(page.locator("#id_v_jobs_created")).to_have_value("1.300")
    expect(page.get_by_test_id("save")).to_have_count(0)
    page.screenshot(path="/tmp/ansinh-reporting-form.png", full_page=True)
    form = Submission.objects.get(plan=plan, period="2025-Q1")
    assert form.status == "approved"
    assert {(v.indicator.code, v.breakdown): int(v.value) for v in form.values.select_related("indicator")} == {
        ("jobs_created", ""): 1300, ("jobs_created", "female"): 600, ("jobs_created", "youth"): 400}
