"""The real pages in headless Chromium: log in, see the scope, search the map, open a unit.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright's own browser
downloads are never used. Skipped when Chromium is missing, except in CI (CI=true), which
installs it (.ci/run).

`live_server` runs on a transactional database that pytest-django empties after each test,
so this module loads the map itself when it is not there, and creates its user in each test.
Run only these with `pytest -m browser`, or leave them out with `-m "not browser"`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SCREENSHOT = Path("/tmp/ansinh-browser.png")
PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402  (a test dependency: pip install -e '.[test]')

from conftest import browser_context, browser_log_in as log_in  # noqa: E402

expect = sync_api.expect


@pytest.fixture
def lan(live_server):  # type: ignore[no-untyped-def]
    """The commune officer of Xã Trà Cú (29461, Vĩnh Long 86), on a map loaded if flushed."""
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    if not Unit.objects.exists():
        load_official_map()
    unit = unit_for_role(role="commune_officer", code="29461")
    return user_create(username="lan", password=PASSWORD, role="commune_officer", unit=unit)


def test_it_a_commune_officer_finds_her_commune_and_its_legacy_sources(  # type: ignore[no-untyped-def]
    lan, page, browser, live_server
):
    log_in(page, "lan", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("who")).to_have_text("lan")
    expect(page.get_by_test_id("roles")).to_contain_text("Xã Trà Cú")
    expect(page.get_by_test_id("roles")).to_contain_text("29461")

    page.click("nav.sidebar a[href='/units/']")
    expect(page).to_have_url(re.compile(r"/units/$"))
    page.wait_for_load_state("load")  # htmx (deferred) has processed the page: typing before that sends nothing
    page.evaluate("window.stillTheSamePage = true")
    page.fill("#q", "tra cu")  # live search: htmx swaps #results and pushes ?q=tra%20cu, no page load
    expect(page).to_have_url(re.compile(r"/units/\?.*q=tra(\+|%20)cu"))
    results = page.locator("#results")
    tra_cu = results.get_by_role("link", name="Xã Trà Cú", exact=True)
    expect(tra_cu).to_have_count(1)
    expect(results.get_by_test_id("result-count")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    tra_cu.click()
    expect(page).to_have_url(re.compile(r"/units/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Xã Trà Cú")
    crosswalk = page.get_by_test_id("crosswalk")
    expect(crosswalk.get_by_role("link", name="Thị trấn Trà Cú", exact=True)).to_be_visible()
    expect(crosswalk.get_by_role("link", name="Xã Ngãi Xuyên", exact=True)).to_be_visible()

    # Without JavaScript the search box is a plain GET form.
    context = browser_context(browser, live_server, java_script_enabled=False)
    try:
        plain = context.new_page()
        log_in(plain, "lan", PASSWORD)
        expect(plain.get_by_test_id("roles")).to_contain_text("Xã Trà Cú")
        plain.goto("/units/")
        plain.fill("#q", "tra cu")
        plain.press("#q", "Enter")
        expect(plain).to_have_url(re.compile(r"/units/\?.*q=tra(\+|%20)cu"))
        expect(plain.locator("#results").get_by_role("link", name="Xã Trà Cú", exact=True)).to_have_count(1)
    finally:
        context.close()


def test_it_a_failed_login_says_so_and_keeps_the_username(page):  # type: ignore[no-untyped-def]
    from ansinh.accounts.models import User

    # Only the credentials matter here: a user without a role spares reloading the map.
    User.objects.create_user(username="lan", password=PASSWORD)
    log_in(page, "lan", "not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).not_to_be_empty()
    expect(page.locator("#id_username")).to_have_value("lan")
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.get_by_test_id("who")).to_have_count(0)


def test_it_switching_to_english_changes_the_interface(page):  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    html = page.locator("html")
    heading = page.locator("main h1")
    expect(html).to_have_attribute("lang", "vi")
    expect(heading).not_to_have_text("Log in")
    expect(page.locator("label[for=id_username]")).not_to_have_text("Username")

    page.click("button[name=language][value=en]")
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))  # back where we were
    expect(heading).to_have_text("Log in")
    expect(page.locator("label[for=id_username]")).to_have_text("Username")
    expect(page.locator("button[name=language][value=en]")).to_have_class(re.compile(r"\bcurrent\b"))

    page.goto("/")  # the choice sticks (a cookie): the login page it redirects to is in English
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(html).to_have_attribute("lang", "en")
