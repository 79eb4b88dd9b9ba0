"""The people served in headless Chromium: a commune officer opens the section from the menu,
finds a beneficiary by typing part of his name without accents, opens the person and reads
this month's amount with the rule behind it; the tables fit a 1366 px screen.

Drives Debian's Chromium through Playwright as the other browser tests do; skipped when Chromium
is missing, except in CI (CI=true)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in  # noqa: E402

expect = sync_api.expect
SCREENSHOT = Path("/tmp/ansinh-benefits-person.png")


@pytest.fixture
def served(live_server):  # type: ignore[no-untyped-def]
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    from .pages_setup import beneficiaries, more_disabled, officers

    if not Unit.objects.exists():
        load_official_map()
    officers()
    found = beneficiaries()
    more_disabled(3)
    return found


def fits(page) -> None:  # type: ignore[no-untyped-def]
    """Nothing wider than the window: no horizontal scroll at 1366 px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width


def test_it_a_commune_officer_finds_a_beneficiary_and_reads_the_months_amount(served, page):  # type: ignore[no-untyped-def]
    from ansinh.benefits import monthly
    from ansinh.benefits.forms_pages import this_month
    from ansinh.benefits.models import Entitlement

    page.set_viewport_size({"width": 1366, "height": 900})
    browser_log_in(page, "lan")
    expect(page.get_by_test_id("who")).to_have_text("lan")
    page.get_by_test_id("nav-benefits").click()
    expect(page).to_have_url(re.compile(r"/benefits/$"))
    expect(page.get_by_test_id("home-figures")).to_contain_text("Tổng cộng")
    page.get_by_test_id("link-entitlements").click()
    expect(page).to_have_url(re.compile(r"/benefits/entitlements/$"))
    table = page.get_by_test_id("entitlements")
    expect(table).to_contain_text("Nguyễn Thị Ba")
    expect(table).to_contain_text("•••••••••001")
    expect(table).not_to_contain_text("084070000001")
    fits(page)

    page.wait_for_load_state("load")  # htmx (deferred) has processed the page: typing before that sends nothing
    page.fill("#q", "thach van soc")  # htmx swaps the results as she types
    expect(page).to_have_url(re.compile(r"q=thach(\+|%20)van(\+|%20)soc"))
    expect(table).not_to_contain_text("Nguyễn Thị Ba")
    table.get_by_role("link", name="Thạch Văn Sóc", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/benefits/people/{served.soc.pk}/$"))
    expect(page.get_by_test_id("person-name")).to_have_text("Thạch Văn Sóc")
    current = page.get_by_test_id("current-month")
    lines = monthly.month_lines(Entitlement.objects.filter(person=served.soc), this_month())
    paid = sum(line.amount for line in lines if line.paid)
    assert paid > 0
    expect(current.get_by_test_id("month-paid")).to_contain_text(f"{paid:,}".replace(",", "."))
    expect(current).to_contain_text("Người khuyết tật nặng")
    expect(current).to_contain_text("Nghị định")  # the rule behind the amount
    expect(page.get_by_test_id("citizen-id")).to_have_text("084070000001")  # she keeps the register
    fits(page)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_it_shows_the_fields_a_category_needs_and_keeps_what_was_typed(served, page):  # type: ignore[no-untyped-def]
    from ansinh.benefits.models import Category, Entitlement

    invalid = Category.objects.get(code="merit_war_invalid")
    single = Category.objects.get(code="sa_single_parent")
    browser_log_in(page, "lan")
    expect(page.get_by_test_id("who")).to_have_text("lan")
    page.goto(f"/benefits/people/{served.ba.pk}/")
    page.get_by_test_id("add-entitlement").click()
    try:
        page.wait_for_selector("#id_category")
    except Exception as error:  # what the page was instead of the form, to know why
        raise AssertionError(f"{page.url}\n{page.inner_text('body')[:1500]}") from error
    rate, children = page.locator("[data-param=rate]"), page.locator("[data-param=children]")
    page.select_option("#id_category", str(invalid.pk))
    expect(rate).to_be_visible()
    expect(children).to_be_hidden()
    page.select_option("#id_category", str(single.pk))
    expect(children).to_be_visible()
    expect(rate).to_be_hidden()
    page.select_option("#id_category", str(invalid.pk))
    page.fill("#id_decision_number", "15/QĐ-SNV")
    page.fill("#id_decision_date", "01/11/2026")
    page.get_by_test_id("save").click()  # the rate is missing
    expect(page.get_by_test_id("error-rate")).to_be_visible()
    expect(page.locator("#id_decision_number")).to_have_value("15/QĐ-SNV")
    expect(page.locator("#id_category")).to_have_value(str(invalid.pk))
    page.fill("#id_rate", "41")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/benefits/entitlements/\d+/$"))
    assert Entitlement.objects.filter(person=served.ba, category=invalid, rate=41).exists()
