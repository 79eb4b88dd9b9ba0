"""A review round in headless Chromium: a provincial officer finds the round from the sidebar,
classifies it (htmx, with its indicator), and reads the figures: the table and an SVG chart.

Uses the browser fixtures of conftest.py (Debian's /usr/bin/chromium; the
page fails on any script error, CSP violation or failed request). `live_server` runs on a
transactional database that is emptied after each test, so the map and the poverty standards
are loaded again when missing.
"""

from __future__ import annotations

import re

import pytest

from playwright.sync_api import expect

from conftest import browser_log_in as log_in

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def province_round(live_server):  # type: ignore[no-untyped-def]
    """Minh, provincial officer (poverty) of Vĩnh Long, and a round with two households in Trà Cú."""
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Edition, Unit
    from ansinh.poverty import services
    from ansinh.poverty.models import IncomeScoringTable, PovertyStandard, StandardIndicator
    from ansinh.poverty.standards_data import load_standards
    from ansinh.poverty.tests.test_round_views import YEAR, make_household

    if not Unit.objects.exists():
        load_official_map()
    if not PovertyStandard.objects.exists():
        load_standards(PovertyStandard, StandardIndicator, IncomeScoringTable)
    minh = user_create(username="minh", password=PASSWORD, role="provincial_officer",
                       unit=unit_for_role(role="provincial_officer", code="86"), field="poverty")
    tra_cu = Unit.objects.get(edition=Edition.CURRENT, code="29461")
    make_household(minh, tra_cu, "TC-1")
    make_household(minh, tra_cu, "TC-2", income=3_500_000, khmer=False)
    return services.review_round_open(actor=minh, unit=Unit.objects.get(edition=Edition.CURRENT, code="86"),
                                      year=YEAR)


def test_it_a_provincial_officer_classifies_a_round_and_reads_its_figures(province_round, page):  # type: ignore[no-untyped-def]
    log_in(page, "minh", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    page.click("nav.sidebar a[href='/households/rounds/']")
    expect(page).to_have_url(re.compile(r"/households/rounds/$"))
    rounds = page.get_by_test_id("rounds")
    link = rounds.locator(f"a[href='/households/rounds/{province_round.pk}/']")
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile(rf"/households/rounds/{province_round.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Tỉnh Vĩnh Long")
    expect(page.locator("tr[data-commune='29461']")).to_be_visible()
    expect(page.locator("#run-indicator")).to_be_hidden()  # shown only while the request runs

    page.get_by_test_id("run").click()  # htmx posts, then HX-Redirect reloads the round's page
    figures = page.get_by_test_id("figures-link")
    expect(figures).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("2")
    expect(page.locator("tr[data-commune='29461'] td.num").nth(1)).to_have_text("2")  # classified

    page.screenshot(path="/tmp/ansinh-round.png")
    page.locator("[data-testid=progress]").screenshot(path="/tmp/ansinh-round-progress.png")
    figures.click()
    expect(page).to_have_url(re.compile(rf"/households/rounds/{province_round.pk}/figures/$"))
    summary = page.get_by_test_id("summary")
    expect(summary.locator("tbody tr")).to_have_count(1)
    expect(summary.locator("tbody tr")).to_contain_text("Xã Trà Cú")
    expect(summary.locator("tbody tr")).to_contain_text("50,0%")
    chart = page.get_by_test_id("chart-rates-commune").locator("svg")
    expect(chart).to_be_visible()
    expect(chart.locator("g.chart-category rect.bar-poor")).to_have_count(1)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 40
    # The CSS colours the bars: a filled red bar, not the default black of an unstyled SVG.
    fill = chart.locator("g.chart-category rect.bar-poor").evaluate("el => getComputedStyle(el).fill")
    assert fill == "rgb(163, 22, 27)"
    expect(page.get_by_test_id("xlsx")).to_be_visible()
    page.screenshot(path="/tmp/ansinh-round-figures.png", full_page=True)
