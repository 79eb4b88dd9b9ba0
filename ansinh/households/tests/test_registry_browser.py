"""The household registry in headless Chromium: find a household, read why it is poor, add a
member with a wrong citizen ID and see the error with everything typed kept.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright, as ansinh/web/tests/test_browser.py
does; skipped when Chromium is missing, except in CI (CI=true). `live_server` runs on a
transactional database emptied after each test, so the fixture loads the map and the poverty
standards when they are not there.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

SCREENSHOT = Path("/tmp/ansinh-registry-browser.png")
PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_context, browser_log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def household(live_server):  # type: ignore[no-untyped-def]
    """The commune officer of Xã Trà Cú, and a poor Khmer household of her commune, classified in
    the 2025 review."""
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit
    from ansinh.households import services
    from ansinh.poverty import services as poverty_services
    from ansinh.poverty.models import IncomeScoringTable, PovertyStandard, StandardIndicator
    from ansinh.poverty.standards_data import load_standards

    if not Unit.objects.exists():
        load_official_map()
    if not PovertyStandard.objects.exists():  # the flush after a transactional test removes them too
        load_standards(PovertyStandard, StandardIndicator, IncomeScoringTable)
    tra_cu = unit_for_role(role="commune_officer", code="29461")
    lan = user_create(username="lan", password=PASSWORD, role="commune_officer", unit=tra_cu)
    found = services.household_create(actor=lan, commune=tra_cu, code="HH-1", address="Ấp Chợ")
    services.member_add(actor=lan, household=found, full_name="Thạch Văn Sóc", citizen_id="084080000001", sex="male",
                        birth_date=dt.date(1980, 3, 1), relation="head", ethnicity="05", employment="no_contract")
    services.member_add(actor=lan, household=found, full_name="Kim Thị Sa Ri", sex="female",
                        birth_date=dt.date(1982, 5, 2), relation="spouse", ethnicity="05", health_insurance=False)
    services.conditions_record(actor=lan, household=found, year=2025, housing="simple", floor_area=Decimal("30"),
                               has_phone=True, income_per_capita=Decimal(1_200_000))
    other = services.household_create(actor=lan, commune=tra_cu, code="HH-2")
    services.member_add(actor=lan, household=other, full_name="Nguyễn Văn An", sex="male",
                        birth_date=dt.date(1970, 1, 1), relation="head")
    round_ = poverty_services.review_round_open(actor=lan, unit=tra_cu, year=2025)
    poverty_services.review_round_run(round=round_, actor=lan)
    return found


def log_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    browser_log_in(page, username, password)
    expect(page.get_by_test_id("who")).to_have_text(username)


def test_it_a_commune_officer_finds_a_household_reads_why_and_adds_a_member(household, page):  # type: ignore[no-untyped-def]
    log_in(page, "lan", PASSWORD)
    link = page.locator("nav.sidebar a[href='/households/']")
    if link.count():  # the sidebar entry under Poverty reduction
        link.first.click()
    else:
        page.goto("/households/")
    expect(page).to_have_url(re.compile(r"/households/$"))
    table = page.get_by_test_id("households")
    expect(table).to_contain_text("Nguyễn Văn An")
    expect(table).to_contain_text("•••••••••001")  # masked in the list
    expect(table).not_to_contain_text("084080000001")

    page.wait_for_load_state("load")  # htmx (deferred) has processed the page: typing before that sends nothing
    page.evaluate("window.stillTheSamePage = true")
    page.fill("#q", "thach van")  # live search: htmx swaps #results and pushes the query into the URL
    expect(page).to_have_url(re.compile(r"/households/\?.*q=thach(\+|%20)van"))
    expect(table).not_to_contain_text("Nguyễn Văn An")
    found = table.get_by_role("link", name="Thạch Văn Sóc", exact=True)
    expect(found).to_have_count(1)
    assert page.evaluate("window.stillTheSamePage") is True

    found.click()
    expect(page).to_have_url(re.compile(rf"/households/{household.pk}/$"))
    explanation = page.get_by_test_id("explanation")
    expect(explanation).to_be_visible()
    insurance = explanation.locator("tr[data-indicator=health_insurance]")
    expect(insurance).to_contain_text("✗")
    expect(insurance).to_contain_text("Kim Thị Sa Ri, 43 tuổi, không có thẻ BHYT")
    expect(explanation.get_by_test_id("income")).to_have_text("1.200.000 đồng")
    expect(explanation.get_by_test_id("income-line")).to_have_text("1.500.000 đồng")
    expect(explanation.get_by_test_id("reason")).to_contain_text("hộ nghèo")
    expect(explanation.get_by_test_id("provisional")).to_be_visible()
    expect(page.get_by_test_id("members")).to_contain_text("084080000001")  # she manages it: in full
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_test_id("add-member").click()
    page.fill("#id_full_name", "Thạch Thị Mỹ Linh")
    page.fill("#id_citizen_id", "084005000009")  # digit 4 says a man born 1900–1999
    page.select_option("#id_sex", "female")
    page.fill("#id_birth_date", "15/06/2005")
    page.select_option("#id_relation", "child")
    page.select_option("#id_schooling", "upper_secondary")
    page.check("#id_uses_internet")
    page.locator("form button[type=submit].primary").click()

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_test_id("error-citizen_id")).to_contain_text("giới tính")
    expect(page.locator("#id_full_name")).to_have_value("Thạch Thị Mỹ Linh")
    expect(page.locator("#id_citizen_id")).to_have_value("084005000009")
    expect(page.locator("#id_birth_date")).to_have_value("15/06/2005")
    expect(page.locator("#id_sex")).to_have_value("female")
    expect(page.locator("#id_relation")).to_have_value("child")
    expect(page.locator("#id_schooling")).to_have_value("upper_secondary")
    expect(page.locator("#id_uses_internet")).to_be_checked()

    page.fill("#id_citizen_id", "084305000009")  # a woman born 2000–2099: right
    page.locator("form button[type=submit].primary").click()
    expect(page).to_have_url(re.compile(rf"/households/{household.pk}/$"))
    expect(page.get_by_test_id("members")).to_contain_text("Thạch Thị Mỹ Linh")


def test_it_the_list_works_without_javascript(household, browser, live_server):  # type: ignore[no-untyped-def]
    context = browser_context(browser, live_server, java_script_enabled=False)
    try:
        plain = context.new_page()
        log_in(plain, "lan", PASSWORD)
        plain.goto("/households/")
        plain.fill("#q", "thach van")
        plain.press("#q", "Enter")
        expect(plain).to_have_url(re.compile(r"/households/\?.*q=thach(\+|%20)van"))
        results = plain.get_by_test_id("households")
        expect(results.get_by_role("link", name="Thạch Văn Sóc", exact=True)).to_have_count(1)
        expect(results).not_to_contain_text("Nguyễn Văn An")
    finally:
        context.close()
