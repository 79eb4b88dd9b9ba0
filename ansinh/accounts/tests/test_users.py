from io import StringIO

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.core.management.base import CommandError

from ansinh.accounts.models import AuditEvent, RoleAssignment, User

pytestmark = pytest.mark.django_db


def users(*args: str) -> str:
    out = StringIO()
    call_command("users", *args, stdout=out)
    return out.getvalue()


@pytest.mark.argon2
def test_it_creates_a_user_bound_to_a_commune_with_an_argon2_hash():
    out = users("create", "--username", "thu", "--password", "Mua-thu-2026!", "--role", "commune_officer", "--unit", "29461")
    assert "29461" in out
    user = User.objects.get(username="thu")
    assert identify_hasher(user.password).algorithm == "argon2"
    role = RoleAssignment.objects.get(user=user)
    assert (role.role, role.unit.code, role.unit.edition) == ("commune_officer", "29461", "current")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.after["role"] == "commune_officer" and event.unit == role.unit


def test_it_a_provincial_officer_needs_a_field():
    with pytest.raises(CommandError, match="poverty"):
        users("create", "--username", "x1", "--password", "Mua-thu-2026!", "--role", "provincial_officer", "--unit", "86")
    users("create", "--username", "x2", "--password", "Mua-thu-2026!", "--role", "provincial_officer", "--unit", "86",
          "--field", "meritorious")
    assert RoleAssignment.objects.get(user__username="x2").field == "meritorious"


def test_it_refuses_weak_passwords_and_wrong_units():
    with pytest.raises(CommandError, match="quá ngắn|too short"):
        users("create", "--username", "y", "--password", "abc", "--role", "commune_officer", "--unit", "29461")
    with pytest.raises(CommandError):
        users("create", "--username", "y", "--password", "Mua-thu-2026!", "--role", "commune_officer", "--unit", "86")
    with pytest.raises(CommandError, match="29479"):  # a legacy-only code is not in the current map
        users("create", "--username", "y", "--password", "Mua-thu-2026!", "--role", "commune_officer", "--unit", "29479")
    assert not User.objects.filter(username="y").exists()
    assert not AuditEvent.objects.filter(action="user.create").exists()


def test_it_national_roles_cover_the_country():
    users("create", "--username", "z", "--password", "Mua-thu-2026!", "--role", "national_viewer")
    assert RoleAssignment.objects.get(user__username="z").unit.code == "VN"


def test_it_refuses_a_taken_username(people):
    with pytest.raises(CommandError, match="LAN"):
        users("create", "--username", "LAN", "--password", "Mua-thu-2026!", "--role", "commune_officer", "--unit", "29461")


def test_it_token_for_unknown_user_fails():
    with pytest.raises(CommandError):
        users("token", "nobody")
