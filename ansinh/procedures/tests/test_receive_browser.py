"""Receiving a dossier in headless Chromium: the form, the due date on the dossier's page, the
lists. Skipped when Chromium is missing, except in CI (CI=true)."""

from __future__ import annotations

import pytest

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def officer(live_server):  # type: ignore[no-untyped-def]
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    if not Unit.objects.exists():
        load_official_map()
    tra_cu = unit_for_role(role="commune_officer", code="29461")
    user_create(username="lan", password=PASSWORD, role="commune_officer", unit=tra_cu)
    return tra_cu


def test_it_receives_a_dossier(officer, page):  # type: ignore[no-untyped-def]
    from ansinh.procedures.models import Dossier, Procedure

    procedure = Procedure.objects.filter(code="1.001776", valid_to__isnull=True).get()
    page.set_viewport_size({"width": 1366, "height": 800})
    browser_log_in(page, "lan", PASSWORD)
    page.get_by_test_id("nav-procedures").click()
    page.get_by_test_id("receive").click()
    page.locator("#id_procedure").select_option(str(procedure.pk))
    page.locator("#id_unit").select_option(str(officer.pk))
    page.locator("#id_channel").select_option("in_person")
    page.locator("#id_applicant_name").fill("Thạch Thị Sa Rết")
    page.get_by_test_id("receive-submit").click()
    expect(page.get_by_test_id("status")).to_contain_text("Đang giải quyết")
    dossier = Dossier.objects.get()
    expect(page.get_by_test_id("due-on")).to_contain_text(f"{dossier.due_on:%d/%m/%Y}")
    assert dossier.days == procedure.days and dossier.unit_id == officer.pk
    page.get_by_test_id("resolve").click()
    expect(page.get_by_test_id("status")).to_contain_text("Đã có kết quả")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
