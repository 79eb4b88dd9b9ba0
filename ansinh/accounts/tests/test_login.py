import pytest
from django.conf import settings as django_settings

from ansinh.accounts.models import User

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_it_a_user_logs_in_and_sees_the_home_page(client, people):
    response = post_login(client, "lan", "correct-horse-battery")
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "Xã Trà Cú" in page
    figures = page[page.index('<section class="figures">'):]
    assert "Cấp tỉnh" not in figures.split("</section>")[0]  # no "0 provinces" for a commune officer


def test_it_a_wrong_password_keeps_the_username_and_says_so(client, people):
    response = post_login(client, "lan", "wrong-password")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="lan"' in page and 'role="alert"' in page


def test_it_repeated_failures_lock_the_account(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "lan", "wrong-password")
    response = post_login(client, "lan", "correct-horse-battery")
    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode() or "khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_demo_users_log_in_only_in_demo_mode(client, people, settings):
    User.objects.filter(pk=people.lan.pk).update(is_demo=True)
    settings.DEMO = False
    assert post_login(client, "lan", "correct-horse-battery").status_code == 200
    settings.DEMO = True
    assert post_login(client, "lan", "correct-horse-battery").status_code == 302


def test_it_sessions_expire_and_cookies_are_protected():
    assert django_settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert "ansinh.accounts.sessions.IdleSessionMiddleware" in django_settings.MIDDLEWARE
    assert django_settings.SESSION_COOKIE_HTTPONLY


def test_it_pages_need_login(client):
    for url in ["/", "/units/", "/audit/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_it_security_headers_are_set(client):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_it_logout_is_a_post(client, people):
    post_login(client, "lan", "correct-horse-battery")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_locks_a_username_only_from_the_address_that_failed(client, people, settings):
    """Failures from address A lock "tung" out from A, not from B: anonymous failures cannot lock
    an administrator out of her own office."""
    address_a, address_b = "203.0.113.7", "198.51.100.20"
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post("/accounts/login/", {"username": "tung", "password": "wrong-password"}, REMOTE_ADDR=address_a)
    locked = client.post("/accounts/login/", {"username": "tung", "password": "correct-horse-battery"},
                         REMOTE_ADDR=address_a)
    assert locked.status_code == 429
    assert "Tài khoản này đã đăng nhập sai quá nhiều lần từ địa chỉ này." in locked.content.decode()
    assert "_auth_user_id" not in client.session
    from_b = client.post("/accounts/login/", {"username": "tung", "password": "correct-horse-battery"},
                         REMOTE_ADDR=address_b)
    assert from_b.status_code == 302 and client.session["_auth_user_id"] == str(people.tung.pk)
