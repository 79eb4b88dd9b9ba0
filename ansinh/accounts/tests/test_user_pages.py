"""The user pages: scope (administrators everywhere, a provincial leader in her province), audit
rows, forms that keep what was typed, and no 500 on bad input."""

import pytest

from ansinh.accounts.models import ApiToken, AuditEvent, RoleAssignment, User
from ansinh.accounts.services import token_create
from conftest import login

pytestmark = pytest.mark.django_db

STRONG = "Mua-thu-2026-mua-dong"
ONLY_OFFICER_FIELD = "Chỉ chuyên viên cấp tỉnh mới được gán lĩnh vực."


def create_payload(units, **changes):
    data = {"username": "thu", "full_name": "Đặng Thị Thu", "email": "", "role": "commune_officer",
            "unit": str(units.tra_cu.pk), "field": "", "password_mode": "set", "password1": STRONG,
            "password2": STRONG}
    data.update(changes)
    return data


def test_it_shows_the_users_link_only_to_those_who_manage_users(client, people):
    for person, shown in [(people.tung, True), (people.bao, True), (people.minh, False), (people.lan, False),
                          (people.duc, False)]:
        login(client, person)
        page = client.get("/").content.decode()
        assert ('data-testid="nav-users"' in page) is shown, person.username
        client.logout()


def test_it_refuses_the_user_pages_to_officers(client, people):
    login(client, people.minh)
    assert client.get("/accounts/users/").status_code == 403
    assert client.get(f"/accounts/users/{people.lan.pk}/").status_code == 403
    assert client.post(f"/accounts/users/{people.lan.pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=people.lan.pk).is_active


def test_it_lists_and_searches_users_accent_insensitively(client, people):
    User.objects.filter(pk=people.hoa.pk).update(full_name="Nguyễn Thị Hòa", search_name="hoa nguyen thi hoa")
    login(client, people.tung)
    page = client.get("/accounts/users/").content.decode()
    for name in ["lan", "binh", "minh", "bao", "hoa", "duc", "tung"]:
        assert f">{name}</a>" in page
    found = client.get("/accounts/users/", {"q": "Hoa"}).content.decode()
    assert ">hoa</a>" in found and ">lan</a>" not in found
    found = client.get("/accounts/users/", {"q": "nguyễn hòa"}).content.decode()
    assert ">hoa</a>" in found
    by_role = client.get("/accounts/users/", {"role": "provincial_leader"}).content.decode()
    assert ">bao</a>" in by_role and ">hoa</a>" in by_role and ">lan</a>" not in by_role


def test_it_filters_by_unit_and_status(client, people, units):
    User.objects.filter(pk=people.minh.pk).update(is_active=False)
    login(client, people.tung)
    page = client.get("/accounts/users/", {"unit": units.vinh_long.pk}).content.decode()
    assert ">lan</a>" in page and ">bao</a>" in page and ">hoa</a>" not in page and ">binh</a>" not in page
    inactive = client.get("/accounts/users/", {"active": "0"}).content.decode()
    assert ">minh</a>" in inactive and ">lan</a>" not in inactive


def test_it_ignores_bad_filters_and_pages(client, people):
    login(client, people.tung)
    for query in [{"unit": "abc"}, {"unit": "9" * 25}, {"role": "king"}, {"page": "999999"}, {"active": "x"},
                  {"page": "-1"}, {"q": "x" * 500}]:
        assert client.get("/accounts/users/", query).status_code == 200, query


def test_it_a_leader_sees_only_the_users_of_her_province(client, people):
    login(client, people.hoa)  # Hà Nội
    page = client.get("/accounts/users/").content.decode()
    assert ">binh</a>" in page and ">hoa</a>" in page
    for outsider in ["lan", "minh", "bao", "duc", "tung"]:
        assert f">{outsider}</a>" not in page
    assert client.get(f"/accounts/users/{people.lan.pk}/").status_code == 404
    assert client.get(f"/accounts/users/{people.tung.pk}/").status_code == 404
    assert client.get(f"/accounts/users/{people.binh.pk}/").status_code == 200


def test_it_a_leader_cannot_change_a_user_of_another_province(client, people, units):
    login(client, people.hoa)
    lan = people.lan
    token_create(user=lan)
    token = ApiToken.objects.get(user=lan)
    role = RoleAssignment.objects.get(user=lan)
    posts = [
        (f"/accounts/users/{lan.pk}/deactivate/", {}),
        (f"/accounts/users/{lan.pk}/reactivate/", {}),
        (f"/accounts/users/{lan.pk}/edit/", {"full_name": "X"}),
        (f"/accounts/users/{lan.pk}/password/", {"password_mode": "generate"}),
        (f"/accounts/users/{lan.pk}/roles/new/", {"role": "commune_officer", "unit": units.ba_dinh.pk}),
        (f"/accounts/users/{lan.pk}/roles/{role.pk}/revoke/", {}),
        (f"/accounts/users/{lan.pk}/tokens/new/", {"days": "30"}),
        (f"/accounts/users/{lan.pk}/tokens/{token.pk}/revoke/", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    lan.refresh_from_db()
    token.refresh_from_db()
    assert lan.is_active and lan.full_name == "" and token.revoked_at is None
    assert RoleAssignment.objects.filter(user=lan).count() == 1
    assert not AuditEvent.objects.filter(actor=people.hoa).exists()


def test_it_a_user_with_a_role_elsewhere_is_read_only_for_a_leader(client, people, units):
    from ansinh.accounts.services import role_grant

    role_grant(user=people.binh, role="commune_officer", unit=units.tra_cu, actor=None)
    login(client, people.hoa)
    assert client.get(f"/accounts/users/{people.binh.pk}/").status_code == 200
    assert client.post(f"/accounts/users/{people.binh.pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=people.binh.pk).is_active


def test_it_an_administrator_creates_a_user_and_it_is_audited(client, people, units):
    login(client, people.tung)
    response = client.post("/accounts/users/new/", create_payload(units))
    user = User.objects.get(username="thu")
    assert response.status_code == 302 and response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.check_password(STRONG) and user.full_name == "Đặng Thị Thu" and user.search_name == "thu dang thi thu"
    role = RoleAssignment.objects.get(user=user)
    assert (role.role, role.unit) == ("commune_officer", units.tra_cu)
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == people.tung and event.ip == "127.0.0.1" and event.unit == units.tra_cu
    assert "password" not in str(event.after)


def test_it_shows_a_generated_password_once(client, people, units):
    login(client, people.tung)
    response = client.post("/accounts/users/new/", create_payload(units, password_mode="generate", password1="",
                                                                  password2=""))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    secret = page.split('data-testid="secret">')[1].split("<")[0]
    assert len(secret) >= 16
    assert User.objects.get(username="thu").check_password(secret)
    assert secret not in client.get(f"/accounts/users/{User.objects.get(username='thu').pk}/").content.decode()


def test_it_the_create_form_keeps_what_was_typed_and_says_what_is_wrong(client, people, units):
    login(client, people.tung)
    response = client.post("/accounts/users/new/", create_payload(units, password1="short", password2="short",
                                                                  email="not-an-email"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="thu"' in page and 'value="Đặng Thị Thu"' in page and 'value="not-an-email"' in page
    assert f'value="{units.tra_cu.pk}" selected' in page
    assert "Mật khẩu này quá ngắn: cần ít nhất 12 ký tự." in page
    assert "Nhập một địa chỉ email hợp lệ." in page
    assert not User.objects.filter(username="thu").exists()


def test_it_the_create_form_refuses_a_taken_username_and_mismatched_passwords(client, people, units):
    login(client, people.tung)
    page = client.post("/accounts/users/new/", create_payload(units, username="LAN")).content.decode()
    assert "Tên đăng nhập này đã có người dùng." in page
    page = client.post("/accounts/users/new/", create_payload(units, password2=STRONG + "x")).content.decode()
    assert "Hai lần nhập mật khẩu không khớp nhau." in page
    assert not User.objects.filter(username="thu").exists()


def test_it_the_create_form_checks_the_unit_level_and_the_field(client, people, units):
    login(client, people.tung)
    response = client.post("/accounts/users/new/", create_payload(units, role="provincial_officer"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Vai trò" in page and "được giao trên một tỉnh, thành phố" in page
    assert "Chuyên viên cấp tỉnh phải có lĩnh vực phụ trách." in page
    response = client.post("/accounts/users/new/", create_payload(units, field="labour"))
    assert response.status_code == 400 and ONLY_OFFICER_FIELD in response.content.decode()
    assert not User.objects.filter(username="thu").exists()


def test_it_a_leader_creates_users_only_in_her_province_and_no_national_roles(client, people, units):
    login(client, people.hoa)
    response = client.post("/accounts/users/new/", create_payload(units))  # Trà Cú is in Vĩnh Long
    assert response.status_code == 400 and not User.objects.filter(username="thu").exists()
    country = units.ha_noi.parent
    response = client.post("/accounts/users/new/", create_payload(units, role="admin", unit=str(country.pk)))
    assert response.status_code == 400 and not User.objects.filter(username="thu").exists()
    page = client.get("/accounts/users/new/").content.decode()
    assert 'value="admin"' not in page and 'value="national_viewer"' not in page
    assert "Xã Trà Cú" not in page and "Phường Ba Đình" in page
    response = client.post("/accounts/users/new/", create_payload(units, unit=str(units.ba_dinh.pk)))
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user__username="thu").unit == units.ba_dinh


def test_it_roles_are_given_and_taken_away_with_audit_rows(client, people, units):
    login(client, people.bao)  # leader of Vĩnh Long
    lan = people.lan
    response = client.post(f"/accounts/users/{lan.pk}/roles/new/",
                           {"role": "provincial_officer", "unit": units.vinh_long.pk, "field": "labour"})
    assert response.status_code == 302
    granted = RoleAssignment.objects.get(user=lan, role="provincial_officer")
    assert granted.field == "labour"
    event = AuditEvent.objects.get(action="role.grant")
    assert event.actor == people.bao and event.after == {"role": "provincial_officer", "unit": "86", "field": "labour"}
    response = client.post(f"/accounts/users/{lan.pk}/roles/{granted.pk}/revoke/")
    assert response.status_code == 302 and not RoleAssignment.objects.filter(pk=granted.pk).exists()
    assert AuditEvent.objects.get(action="role.revoke").before["field"] == "labour"


def test_it_a_leader_cannot_give_a_national_role(client, people, units):
    login(client, people.bao)
    country = units.vinh_long.parent
    response = client.post(f"/accounts/users/{people.lan.pk}/roles/new/", {"role": "admin", "unit": country.pk})
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(user=people.lan, role="admin").exists()


def test_it_the_last_role_is_not_taken_away(client, people):
    login(client, people.tung)
    role = RoleAssignment.objects.get(user=people.lan)
    response = client.post(f"/accounts/users/{people.lan.pk}/roles/{role.pk}/revoke/", follow=True)
    assert "Đây là vai trò duy nhất của người dùng" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=role.pk).exists()
    assert not AuditEvent.objects.filter(action="role.revoke").exists()


def test_it_a_user_is_deactivated_and_reactivated(client, people):
    login(client, people.tung)
    response = client.post(f"/accounts/users/{people.lan.pk}/deactivate/", follow=True)
    assert "lan không còn đăng nhập được." in response.content.decode()
    assert not User.objects.get(pk=people.lan.pk).is_active
    assert AuditEvent.objects.get(action="user.deactivate").after == {"is_active": False}
    client.post(f"/accounts/users/{people.lan.pk}/reactivate/")
    assert User.objects.get(pk=people.lan.pk).is_active
    assert AuditEvent.objects.get(action="user.update").after == {"is_active": True}


def test_it_refuses_self_deactivation_and_the_last_administrator(client, people):
    login(client, people.tung)
    response = client.post(f"/accounts/users/{people.tung.pk}/deactivate/", follow=True)
    assert "Bạn không thể tự khóa tài khoản của mình." in response.content.decode()
    assert User.objects.get(pk=people.tung.pk).is_active
    assert not AuditEvent.objects.filter(action="user.deactivate").exists()


def test_it_the_last_active_administrator_keeps_her_account_and_role(people, units):
    from django.core.exceptions import ValidationError

    from ansinh.accounts.services import role_grant, role_revoke, user_deactivate

    with pytest.raises(ValidationError, match="last active administrator|quản trị viên cuối cùng"):
        user_deactivate(user=people.tung, actor=people.duc)
    role_grant(user=people.tung, role="national_viewer", unit=units.vinh_long.parent, actor=None)
    admin_role = RoleAssignment.objects.get(user=people.tung, role="admin")
    with pytest.raises(ValidationError, match="last active administrator|quản trị viên cuối cùng"):
        role_revoke(assignment=admin_role, actor=people.duc)
    role_grant(user=people.duc, role="admin", unit=units.vinh_long.parent, actor=None)
    user_deactivate(user=people.tung, actor=people.duc)
    assert not User.objects.get(pk=people.tung.pk).is_active


def test_it_a_deactivated_user_cannot_log_in(client, people):
    from ansinh.accounts.services import user_deactivate

    user_deactivate(user=people.lan, actor=people.tung)
    response = client.post("/accounts/login/", {"username": "lan", "password": "correct-horse-battery"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_it_a_password_is_reset_generated_or_set(client, people):
    login(client, people.tung)
    response = client.post(f"/accounts/users/{people.lan.pk}/password/", {"password_mode": "generate"})
    secret = response.content.decode().split('data-testid="secret">')[1].split("<")[0]
    assert User.objects.get(pk=people.lan.pk).check_password(secret)
    response = client.post(f"/accounts/users/{people.lan.pk}/password/",
                           {"password_mode": "set", "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert User.objects.get(pk=people.lan.pk).check_password(STRONG)
    events = AuditEvent.objects.filter(action="user.password_reset", object_id=str(people.lan.pk))
    assert [e.after for e in events.order_by("pk")] == [{"generated": True}, {"generated": False}]
    assert all(secret not in str(e.after) and STRONG not in str(e.after) for e in events)


def test_it_a_weak_reset_password_is_refused_in_vietnamese(client, people):
    login(client, people.tung)
    response = client.post(f"/accounts/users/{people.lan.pk}/password/",
                           {"password_mode": "set", "password1": "ansinh-demo-2026", "password2": "ansinh-demo-2026"})
    assert response.status_code == 400
    assert "Đây là mật khẩu trình diễn" in response.content.decode()
    assert User.objects.get(pk=people.lan.pk).check_password("correct-horse-battery")


def test_it_tokens_are_created_listed_and_revoked(client, people):
    login(client, people.tung)
    response = client.post(f"/accounts/users/{people.lan.pk}/tokens/new/", {"days": "30"})
    secret = response.content.decode().split('data-testid="secret">')[1].split("<")[0]
    token = ApiToken.objects.get(user=people.lan)
    assert secret.startswith(token.prefix) and token.expires_at is not None
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    assert AuditEvent.objects.get(action="token.create").actor == people.tung
    page = client.get(f"/accounts/users/{people.lan.pk}/").content.decode()
    assert token.prefix in page and "Đang hoạt động" in page and secret not in page
    client.post(f"/accounts/users/{people.lan.pk}/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.get(action="token.revoke").actor == people.tung
    assert "Đã thu hồi" in client.get(f"/accounts/users/{people.lan.pk}/").content.decode()
    response = client.post(f"/accounts/users/{people.lan.pk}/tokens/{token.pk}/revoke/", follow=True)
    assert "Mã truy cập này đã bị thu hồi." in response.content.decode()
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


def test_it_a_bad_token_lifetime_is_refused(client, people):
    login(client, people.tung)
    for days in ["-1", "99999", "abc", ""]:
        response = client.post(f"/accounts/users/{people.lan.pk}/tokens/new/", {"days": days})
        assert response.status_code == 400, days
    assert not ApiToken.objects.exists()


def test_it_the_user_is_edited_with_an_audit_row(client, people):
    login(client, people.tung)
    response = client.post(f"/accounts/users/{people.lan.pk}/edit/", {"full_name": "Nguyễn Thị Lan",
                                                                      "email": "lan@example.vn"})
    assert response.status_code == 302
    lan = User.objects.get(pk=people.lan.pk)
    assert (lan.full_name, lan.email, lan.search_name) == ("Nguyễn Thị Lan", "lan@example.vn", "lan nguyen thi lan")
    event = AuditEvent.objects.get(action="user.update")
    assert event.before == {"full_name": "", "email": ""} and event.after["email"] == "lan@example.vn"
    response = client.post(f"/accounts/users/{people.lan.pk}/edit/", {"full_name": "Lan", "email": "@@"})
    assert response.status_code == 400 and 'value="@@"' in response.content.decode()


def test_it_nothing_answers_500_on_bad_keys(client, people):
    login(client, people.tung)
    role = RoleAssignment.objects.get(user=people.lan)
    big = "9" * 25
    for url in [f"/accounts/users/{big}/", "/accounts/users/0/", "/accounts/users/999999/",
                f"/accounts/users/{people.lan.pk}/roles/999999/revoke/",
                f"/accounts/users/{people.lan.pk}/roles/{big}/revoke/",
                f"/accounts/users/{people.binh.pk}/roles/{role.pk}/revoke/",  # lan's role under binh
                f"/accounts/users/{people.lan.pk}/tokens/{big}/revoke/",
                f"/accounts/users/{big}/deactivate/"]:
        response = client.post(url) if "revoke" in url or "deactivate" in url else client.get(url)
        assert response.status_code == 404, url
    assert RoleAssignment.objects.filter(pk=role.pk).exists()
    assert client.get(f"/accounts/users/{people.lan.pk}/deactivate/").status_code == 405
    assert client.post(f"/accounts/users/{people.lan.pk}/roles/new/", {"role": "x", "unit": "y"}).status_code == 400
    assert client.post(f"/accounts/users/{people.lan.pk}/roles/new/",
                       {"role": "commune_officer", "unit": big}).status_code == 400


def test_it_ones_own_password_is_changed_not_reset(client, people):
    login(client, people.tung)
    response = client.post(f"/accounts/users/{people.tung.pk}/password/", {"password_mode": "generate"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert User.objects.get(pk=people.tung.pk).check_password("correct-horse-battery")
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_it_an_administrator_gives_national_roles(client, people, units):
    login(client, people.tung)
    country = units.vinh_long.parent
    response = client.post(f"/accounts/users/{people.lan.pk}/roles/new/", {"role": "admin", "unit": country.pk})
    assert response.status_code == 302
    lan = User.objects.get(pk=people.lan.pk)
    assert lan.is_staff and lan.is_superuser
    admin_role = RoleAssignment.objects.get(user=lan, role="admin")
    client.post(f"/accounts/users/{lan.pk}/roles/{admin_role.pk}/revoke/")
    lan.refresh_from_db()
    assert not lan.is_staff and not lan.is_superuser
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(lan.pk)).order_by("pk")][-2:] == [
        "role.grant", "role.revoke"]
