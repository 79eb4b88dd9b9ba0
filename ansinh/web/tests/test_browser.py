"""The real pages in headless Chromium: log in, see the scope, search the map, open a unit.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright's own browser
downloads are never used. Skipped when Chromium is missing, except in CI (CI=true), which
installs it (.ci/run).

`live_server` runs on a transactional database that pytest-django empties after each test,
so this module loads the map itself when it is not there, and creates its user in each test.
Run only these with `pytest -m browser`, or leave them out with `-m "not browser"`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/ansinh-browser.png")
PASSWORD = "correct-horse-battery"
TIMEOUT_MS = 10_000

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_CI = os.environ.get("CI") == "true"

if not CHROMIUM.exists() and not IN_CI:
    pytest.skip(f"{CHROMIUM} is missing: apt-get install --no-install-recommends chromium", allow_module_level=True)

from playwright import sync_api  # noqa: E402  (a test dependency: pip install -e '.[test]')

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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():  # only in CI, which installs it: a missing browser is a failure there
        pytest.fail(f"{CHROMIUM} is missing, and CI must run the browser tests (.ci/run installs it)", pytrace=False)
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    # calls from a thread with a running loop; the ORM work here (fixtures, pytest-django's flush)
    # is synchronous test code, so it is allowed for the life of the browser, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser profile of someone in Vietnam; fails on any script error or failed request.

    The browser asks for /favicon.ico on its own; the app has none yet, so that 404 is let pass.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",  # Accept-Language: Django would answer an en-US browser in English
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda msg: problems.append(f"console error: {msg.text}")
        if msg.type == "error" and not msg.text.startswith("Failed to load resource")
        else None,
    )
    page.on(
        "response",
        lambda response: problems.append(f"HTTP {response.status}: {response.url}")
        if response.status >= 400 and not response.url.endswith("/favicon.ico")
        else None,
    )
    yield page
    context.close()
    assert not problems, problems


def log_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")


def test_a_commune_officer_finds_her_commune_and_its_legacy_sources(  # type: ignore[no-untyped-def]
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
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
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


def test_a_failed_login_says_so_and_keeps_the_username(page):  # type: ignore[no-untyped-def]
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


def test_switching_to_english_changes_the_interface(page):  # type: ignore[no-untyped-def]
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
