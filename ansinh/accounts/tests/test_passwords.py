"""Password rules (12 characters, not common, not like the username, not the demo password), with
Vietnamese messages, in the UI, the CLI and user_create; and changing one's own password."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ansinh.accounts.models import AuditEvent, User
from ansinh.accounts.passwords import DEMO_PASSWORD, generate_password
from ansinh.accounts.services import unit_for_role, user_create
from conftest import login

pytestmark = pytest.mark.django_db

NEW = "Song-Hau-chay-qua-2026"


def create(password, username="nguyenthithu", is_demo=False):
    with translation.override("vi"):
        return user_create(username=username, password=password, role="commune_officer",
                           unit=unit_for_role(role="commune_officer", code="29461"), is_demo=is_demo)


@pytest.mark.parametrize("password, message", [
    ("Mua-thu-26", "Mật khẩu này quá ngắn: cần ít nhất 12 ký tự."),
    ("password12345", "Mật khẩu này quá phổ biến."),
    ("nguyenthithu26", "Mật khẩu quá giống với Tên đăng nhập."),
    ("123456789012345", "Mật khẩu này hoàn toàn là số."),
    (DEMO_PASSWORD, "Đây là mật khẩu trình diễn, ai cũng đọc được: hãy chọn mật khẩu khác."),
    (DEMO_PASSWORD.upper(), "Đây là mật khẩu trình diễn"),
])
def test_it_refuses_weak_passwords_in_vietnamese(password, message):
    with pytest.raises(ValidationError) as caught:
        create(password)
    assert any(message in text for text in caught.value.messages), caught.value.messages
    assert not User.objects.filter(username="nguyenthithu").exists()


def test_it_accepts_a_strong_password():
    assert create("Song-Hau-2026-thu").check_password("Song-Hau-2026-thu")


def test_it_the_demo_password_is_allowed_only_for_demo_users_in_demo_mode(settings):
    settings.DEMO = False
    with pytest.raises(ValidationError):
        create(DEMO_PASSWORD, is_demo=True)
    settings.DEMO = True
    with pytest.raises(ValidationError):
        create(DEMO_PASSWORD, is_demo=False)
    assert create(DEMO_PASSWORD, is_demo=True).is_demo


def test_it_demo_setup_still_creates_the_demo_users(settings):
    settings.DEMO = True
    out = StringIO()
    call_command("demo", "setup", stdout=out)
    assert DEMO_PASSWORD in out.getvalue()
    assert User.objects.get(username="quantri").check_password(DEMO_PASSWORD)


def test_it_the_cli_refuses_the_demo_password():
    with pytest.raises(CommandError, match="mật khẩu trình diễn"):
        call_command("users", "create", "--username", "thu", "--password", DEMO_PASSWORD, "--role",
                     "commune_officer", "--unit", "29461", stdout=StringIO())


def test_it_generated_passwords_pass_the_rules():
    for _ in range(20):
        password = generate_password()
        assert len(password) == 19
        create(password, username=f"u{_}")


def test_it_everyone_changes_her_own_password(client, people):
    login(client, people.lan)
    assert client.get("/accounts/password/").status_code == 200
    response = client.post("/accounts/password/", {"old_password": "correct-horse-battery", "new_password1": NEW,
                                                   "new_password2": NEW})
    assert response.status_code == 302
    assert User.objects.get(pk=people.lan.pk).check_password(NEW)
    assert client.get("/").status_code == 200  # still logged in
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.actor == people.lan and event.object_id == str(people.lan.pk) and event.ip == "127.0.0.1"


def test_it_the_password_change_needs_the_old_password_and_the_new_one_twice(client, people):
    login(client, people.lan)
    cases = [
        ({"old_password": "wrong-password!", "new_password1": NEW, "new_password2": NEW}, "Mật khẩu cũ không đúng."),
        ({"old_password": "correct-horse-battery", "new_password1": NEW, "new_password2": NEW + "x"},
         "Hai lần nhập mật khẩu không khớp nhau."),
        ({"old_password": "correct-horse-battery", "new_password1": "ngan-qua", "new_password2": "ngan-qua"},
         "Mật khẩu này quá ngắn"),
        ({"old_password": "correct-horse-battery", "new_password1": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD},
         "Đây là mật khẩu trình diễn"),
        ({"old_password": "correct-horse-battery", "new_password1": "correct-horse-battery",
          "new_password2": "correct-horse-battery"}, "Mật khẩu mới trùng với mật khẩu cũ."),
        ({}, "Trường này là bắt buộc."),
    ]
    for data, message in cases:
        response = client.post("/accounts/password/", data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), message
    assert User.objects.get(pk=people.lan.pk).check_password("correct-horse-battery")
    assert not AuditEvent.objects.filter(action="user.password_change").exists()


def test_it_the_password_page_needs_login(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_the_settings_ask_for_twelve_characters():
    from django.conf import settings

    lengths = [v.get("OPTIONS", {}).get("min_length") for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert 12 in lengths
