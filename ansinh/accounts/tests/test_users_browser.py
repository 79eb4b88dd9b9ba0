"""The user pages in headless Chromium: an administrator creates a user with a generated
password, the new user logs in with it and changes it. See web/tests/test_browser.py for how
browser tests run."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from playwright import sync_api  # noqa: E402

from conftest import browser_log_in as log_in  # noqa: E402

expect = sync_api.expect
PASSWORD = "correct-horse-battery"
NEW = "Song-Co-Chien-2026"


@pytest.fixture
def tung(live_server):  # type: ignore[no-untyped-def]
    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Unit

    if not Unit.objects.exists():
        load_official_map()
    return user_create(username="tung", password=PASSWORD, role="admin", unit=unit_for_role(role="admin", code=None))


def test_it_creates_a_user_who_logs_in_and_changes_her_password(tung, page):  # type: ignore[no-untyped-def]
    from ansinh.accounts.services import unit_for_role

    tra_cu = unit_for_role(role="commune_officer", code="29461")
    log_in(page, "tung", PASSWORD)
    page.get_by_test_id("nav-users").click()
    expect(page).to_have_url(re.compile(r"/accounts/users/$"))
    page.get_by_test_id("user-create").click()
    page.fill("#id_username", "thu")
    page.fill("#id_full_name", "Đặng Thị Thu")
    page.select_option("#id_role", "commune_officer")
    page.select_option("#id_unit", str(tra_cu.pk))
    page.click("form button[type=submit].primary")
    secret = page.get_by_test_id("secret").inner_text().strip()
    assert len(secret) >= 16
    page.click("text=Quay lại người dùng")
    expect(page.get_by_test_id("roles")).to_contain_text("Xã Trà Cú")
    page.click("form[action='/accounts/logout/'] button")

    log_in(page, "thu", secret)
    expect(page.get_by_test_id("who")).to_have_text("Đặng Thị Thu")
    page.get_by_test_id("password-change").click()
    page.fill("#id_old_password", secret)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.click("form[action='/accounts/password/'] button[type=submit]")
    expect(page.locator("ul.messages")).to_contain_text("Đã đổi mật khẩu của bạn.")
    from ansinh.accounts.models import User

    assert User.objects.get(username="thu").check_password(NEW)
