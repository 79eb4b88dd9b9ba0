"""The test database's snapshot (`ansinh.testing_db`) is never reused once a migration changed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ansinh.testing_db import cache_dir, snapshot_key


@pytest.fixture
def migrations_package(tmp_path: Path, settings, monkeypatch):  # type: ignore[no-untyped-def]
    """The workdays app's migrations read from a package of the test's own."""
    package = tmp_path / "snapshot_key_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "0001_initial.py").write_text("operations = []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "snapshot_key_migrations", raising=False)
    settings.MIGRATION_MODULES = {"workdays": "snapshot_key_migrations"}
    return package


def test_it_changes_the_key_when_a_migration_is_changed_added_or_removed(migrations_package: Path) -> None:
    first = snapshot_key()
    assert snapshot_key() == first  # the same inputs, the same snapshot
    (migrations_package / "0001_initial.py").write_text("operations = []  # edited\n")
    edited = snapshot_key()
    (migrations_package / "_data.py").write_text("ROWS = [1]\n")  # a data migration's helper module
    helper = snapshot_key()
    (migrations_package / "_data.py").unlink()
    (migrations_package / "0001_initial.py").write_text("operations = []\n")
    assert len({first, edited, helper}) == 3
    assert snapshot_key() == first


def test_it_changes_the_key_with_the_migration_modules_setting(settings) -> None:  # type: ignore[no-untyped-def]
    first = snapshot_key()
    settings.MIGRATION_MODULES = {"workdays": None}
    assert snapshot_key() != first


def test_it_is_turned_off_or_moved_by_the_environment(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANSINH_TEST_DB_CACHE", "0")
    assert cache_dir() is None
    monkeypatch.setenv("ANSINH_TEST_DB_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.delenv("ANSINH_TEST_DB_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "ansinh" / "test-db"


@pytest.mark.django_db
def test_it_gives_every_test_the_migrated_database_with_the_map() -> None:
    """From the snapshot on in-memory SQLite, built by Django on PostgreSQL: the same content."""
    from ansinh.geo.models import Edition, Unit
    from ansinh.plans.models import Indicator

    assert Unit.objects.filter(edition=Edition.CURRENT, code="86").exists()
    assert Unit.objects.filter(edition=Edition.LEGACY).count() > 10_000
    assert Indicator.objects.exists()  # a data migration's rows
