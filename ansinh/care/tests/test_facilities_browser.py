"""The facilities' main pages in headless Chromium: the list, a facility with its occupancy, an
admission refused then recorded, the residents' search and a discharge. Skipped when Chromium is
missing, except in CI (CI=true)."""

from __future__ import annotations

import pytest

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def centre(live_server):  # type: ignore[no-untyped-def]
    import datetime as dt

    from ansinh.accounts.audit import Actor
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.care import services_facilities as services
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    if not Unit.objects.exists():
        load_official_map()
    province = unit_for_role(role="provincial_officer", code="86")
    user_create(username="xa", password=PASSWORD, role="provincial_officer", unit=province,
                field="social_assistance")
    return services.facility_create(actor=Actor.system(), code="BTXH", name="Trung tâm Bảo trợ xã hội tỉnh",
                                    kind="social_protection", ownership="public", unit=province, capacity=100,
                                    opened_on=dt.date(2010, 1, 1))


def test_it_admits_searches_and_discharges(centre, page):  # type: ignore[no-untyped-def]
    from ansinh.care.models import Resident, ResidentCategory

    page.set_viewport_size({"width": 1366, "height": 800})
    browser_log_in(page, "xa", PASSWORD)
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/care/facilities/")
    expect(page.get_by_test_id("facilities")).to_contain_text("Trung tâm Bảo trợ xã hội tỉnh")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.get_by_role("link", name="Trung tâm Bảo trợ xã hội tỉnh").first.click()
    expect(page.get_by_test_id("occupancy")).to_be_visible()
    page.get_by_test_id("admit").click()
    elderly = ResidentCategory.objects.get(code="elderly")
    page.locator("#id_full_name").fill("Thạch Thị Sa Rết")
    page.locator("#id_sex").select_option("female")
    page.locator("#id_category").select_option(str(elderly.pk))
    page.locator("#id_admission_number").fill("15/QĐ-TTBTXH")
    page.locator("#id_admitted_on").fill("2099-01-01")
    page.locator("#id_admission_decided_by").fill("Giám đốc Trung tâm")
    page.get_by_test_id("admit-submit").click()
    expect(page.locator("form[data-testid=admit-form]")).to_contain_text("không được sau ngày hôm nay")
    expect(page.locator("#id_full_name")).to_have_value("Thạch Thị Sa Rết")  # kept
    page.locator("#id_admitted_on").fill("2025-01-06")
    page.get_by_test_id("admit-submit").click()
    expect(page.get_by_role("heading", name="Thạch Thị Sa Rết")).to_be_visible()
    assert Resident.objects.get().admission_number == "15/QĐ-TTBTXH"
    page.goto(page.url.rsplit("/", 1)[0] + "/?q=sa ret")
    expect(page.get_by_test_id("residents")).to_contain_text("Thạch Thị Sa Rết")
    page.get_by_role("link", name="Thạch Thị Sa Rết").click()
    page.locator("#id_number").fill("20/QĐ-DTG")
    page.locator("#id_discharged_on").fill("2025-03-20")
    page.locator("#id_reason").select_option("returned_family")
    page.get_by_test_id("discharge-submit").click()
    expect(page.get_by_test_id("discharge")).to_contain_text("20/03/2025")
    assert Resident.objects.get().discharge_reason == "returned_family"
