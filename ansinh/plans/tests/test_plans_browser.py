"""The plans pages in headless Chromium: a provincial officer creates a plan, enters targets for
two communes that do not add up to the province's, sees the difference (as typed, then saved),
and fixes it.

Drives Debian's Chromium through Playwright (fixtures in /work/main/conftest.py); skipped when
Chromium is missing, except in CI. `live_server` runs on a transactional database emptied after
each test, so the fixture loads the map and the indicator catalogue when they are not there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SCREENSHOT = Path("/tmp/ansinh-plans-browser.png")
PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def province(live_server):  # type: ignore[no-untyped-def]
    """Minh, provincial officer of Vĩnh Long; returns the province and its first two communes."""
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit
    from ansinh.plans.catalogue_data import load_catalogue
    from ansinh.plans.models import Indicator

    if not Unit.objects.exists():
        load_official_map()
    if not Indicator.objects.exists():  # the flush after a transactional test removes the catalogue
        load_catalogue(Indicator)
    vinh_long = unit_for_role(role="provincial_officer", code="86")
    user_create(username="minh", password=PASSWORD, role="provincial_officer", unit=vinh_long, field="labour")
    communes = list(Unit.objects.filter(parent=vinh_long).vietnamese_order()[:2])
    return vinh_long, communes


def test_it_an_officer_creates_a_plan_and_splits_its_target(province, page):  # type: ignore[no-untyped-def]
    vinh_long, (first, second) = province
    browser_log_in(page, "minh", PASSWORD)
    expect(page.get_by_test_id("who")).to_have_text("minh")
    page.goto("/plans/")
    page.get_by_test_id("plan-create").click()
    units = page.get_by_test_id("unit-select")
    expect(units).to_have_value(str(vinh_long.pk))  # his province, chosen already
    expect(units.locator("option", has_text="Ngãi Xuyên")).to_have_count(0)
    page.wait_for_load_state("load")  # htmx (deferred) has processed the page
    page.get_by_test_id("unit-search").fill("ngai xuyen")  # htmx narrows the choices as one types
    expect(units.locator("option", has_text="Ngãi Xuyên")).to_have_count(1)  # a commune of the former map
    expect(units).to_have_value(str(vinh_long.pk))  # the choice made stays
    page.fill("#id_new_agency", "Sở Nội vụ tỉnh Vĩnh Long")
    page.select_option("#id_new_agency_kind", "so")
    page.fill("#id_new_agency_symbol", "SNV")
    page.fill("#id_number", "50/KH-SNV")
    page.fill("#id_place", "Vĩnh Long")
    page.fill("#id_issued_on", "20/01/2026")
    page.fill("#id_title", "Kế hoạch giải quyết việc làm năm 2026")
    page.fill("#id_deadline_quarter", "last:15")
    page.get_by_test_id("plan-save").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.get_by_test_id("plan-document-fields")).to_contain_text("Sở Nội vụ tỉnh Vĩnh Long")

    page.get_by_test_id("plan-targets").click()
    expect(page.get_by_test_id("no-columns")).to_be_visible()
    page.select_option("[data-testid=add-column]", "jobs_created|")
    page.get_by_test_id("add-column-button").click()
    grid = page.get_by_test_id("target-grid")
    expect(grid.get_by_test_id("grid-column")).to_have_count(1)

    def cell(unit):  # type: ignore[no-untyped-def]
        return grid.locator(f"tr[data-unit='{unit.pk}'] input")

    difference = grid.get_by_test_id("grid-difference")
    cell(vinh_long).fill("3.200")
    cell(first).fill("1.000")
    cell(second).fill("1.700")
    expect(difference).to_have_text("+500")  # as typed, before saving
    page.fill("#reason", "Giao chỉ tiêu đầu năm")
    page.get_by_test_id("targets-save").click()

    expect(page.locator(".messages")).to_be_visible()
    expect(cell(second)).to_have_value("1.700")
    expect(difference).to_have_text("+500")
    expect(page.get_by_test_id("saved-split").get_by_test_id("split-short")).to_contain_text("500")
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    cell(second).fill("2.200")
    expect(difference).to_have_text("0")
    page.get_by_test_id("targets-save").click()
    expect(page.get_by_test_id("saved-split").get_by_test_id("split-ok")).to_be_visible()
    expect(difference).to_have_text("0")

    page.locator("nav.breadcrumbs a", has_text="50/KH-SNV").click()
    split = page.get_by_test_id("split-table")
    expect(split.get_by_test_id("difference-cell")).to_have_text("0")
    expect(split).to_contain_text("2.200")
