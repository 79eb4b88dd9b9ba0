"""A package created from the form in headless Chromium: a commune officer opens "Gói hỗ trợ"
from the menu, fills one tier (people reaching 100 and 90 in 2026), is first told in Vietnamese
what is missing (the amount) with what she typed kept, then creates the package and reads its
tiers in words, its totals and its list; the pages fit a 1366 px screen."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def elders(live_server):  # type: ignore[no-untyped-def]
    import datetime as dt

    from ansinh.benefits.tests.pages_setup import officers, person
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    if not Unit.objects.exists():
        load_official_map()
    officers()
    person("TC-1", "Thạch Thị Thọ", dt.date(1926, 8, 8), sex="female", citizen_id="084126000006")
    person("TC-2", "Kim Văn Chín", dt.date(1936, 2, 2), citizen_id="084036000007")
    person("TC-3", "Kim Văn Trẻ", dt.date(1990, 2, 2), citizen_id="084090000008")


def fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width


def test_it_a_commune_officer_creates_a_package_from_the_form(elders, page):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_log_in(page, "lan")
    expect(page.get_by_test_id("who")).to_have_text("lan")
    page.get_by_test_id("nav-packages").click()
    expect(page).to_have_url(re.compile(r"/payments/packages/$"))
    page.get_by_test_id("new-package").click()
    page.fill("#id_name", "Mừng thọ năm 2026")
    page.select_option("#id_purpose", "longevity")
    page.select_option("#id_field", "social_assistance")
    page.fill("#id_on", "2026-03-25")
    page.fill("#id_t1_name", "Tròn 90 và 100 tuổi")
    page.select_option("#id_t1_rule", "age")
    page.fill("#id_t1_ages", "90, 100")
    page.fill("#id_t1_year", "2026")
    page.get_by_test_id("save").click()
    # The amount is missing: a Vietnamese message, and what was typed is still there.
    expect(page.get_by_test_id("error-t1_local")).to_contain_text("Nhập số tiền")
    expect(page.locator("#id_t1_ages")).to_have_value("90, 100")
    expect(page.locator("#id_name")).to_have_value("Mừng thọ năm 2026")
    fits(page)
    page.fill("#id_t1_local", "500000")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/payments/packages/\d+/$"))
    expect(page.get_by_test_id("package-name")).to_have_text("Mừng thọ năm 2026")
    expect(page.get_by_test_id("tiers")).to_contain_text("Người tròn 90, 100 tuổi trong năm 2026 (theo ngày sinh)")
    expect(page.get_by_test_id("recipients")).to_have_text("2")
    expect(page.get_by_test_id("total")).to_have_text("1.000.000")
    expect(page.get_by_test_id("lines")).to_contain_text("Thạch Thị Thọ")
    expect(page.get_by_test_id("lines")).not_to_contain_text("Kim Văn Trẻ")
    fits(page)
