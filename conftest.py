"""Test fixtures: the real administrative map (loaded once per run) and named people per role."""

from __future__ import annotations

import os

os.environ.setdefault("ANSINH_TESTING", "1")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Loads both official maps and the crosswalk once; tests run in transactions on top."""
    from ansinh.geo.loader import load_official_map

    with django_db_blocker.unblock():
        load_official_map()


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):  # type: ignore[no-untyped-def]
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    """Named people for each role, as in healthchecks' BaseTestCase.

    - lan: commune officer of Xã Trà Cú (29461, in Vĩnh Long 86)
    - binh: commune officer of Phường Ba Đình (00004, Hà Nội 01) — an outsider to Vĩnh Long
    - minh: provincial officer (poverty) of Vĩnh Long (86)
    - bao: provincial leader of Vĩnh Long (86)
    - hoa: provincial leader of Hà Nội (01)
    - duc: national viewer
    - tung: system administrator
    """
    from types import SimpleNamespace

    from ansinh.accounts.services import unit_for_role, user_create

    spec = {
        "lan": ("commune_officer", "29461", ""),
        "binh": ("commune_officer", "00004", ""),
        "minh": ("provincial_officer", "86", "poverty"),
        "bao": ("provincial_leader", "86", ""),
        "hoa": ("provincial_leader", "01", ""),
        "duc": ("national_viewer", None, ""),
        "tung": ("admin", None, ""),
    }
    made = {}
    for username, (role, code, field) in spec.items():
        unit = unit_for_role(role=role, code=code)
        made[username] = user_create(
            username=username, password="correct-horse-battery", role=role, unit=unit, field=field
        )
    return SimpleNamespace(**made)


@pytest.fixture
def units(db):  # type: ignore[no-untyped-def]
    """Units the tests talk about, each pinned to its map."""
    from types import SimpleNamespace

    from ansinh.geo.models import Edition, Unit

    def get(edition: str, code: str) -> Unit:
        return Unit.objects.get(edition=edition, code=code)

    return SimpleNamespace(
        vinh_long=get(Edition.CURRENT, "86"),
        ha_noi=get(Edition.CURRENT, "01"),
        tra_cu=get(Edition.CURRENT, "29461"),
        ba_dinh=get(Edition.CURRENT, "00004"),
        legacy_tra_vinh=get(Edition.LEGACY, "84"),
        legacy_thi_tran_tra_cu=get(Edition.LEGACY, "29461"),
        legacy_ngai_xuyen=get(Edition.LEGACY, "29479"),
    )


def login(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user, backend="ansinh.accounts.backends.ModelBackend")
    return client
