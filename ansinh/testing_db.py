"""The test database, built once and reused: migrations run and the official map loaded into
SQLite once, kept as a file, and copied into each test process's in-memory database.

Every pytest process (each xdist worker) used to build its own in-memory test database: all
migrations (~16 s of CPU) and the official map (~5 s). Now the first process that finds no
snapshot builds one as before, under a file lock, and saves it with SQLite's backup API; the
others, and every later run with the same migrations, copy it in (a fraction of a second).

A snapshot is keyed on everything its content follows from, so a stale one is never used:
every file of every installed app's migrations package (the data migrations' helper modules
included; they import nothing from the apps), the models' names and permissions (the
content types and permissions `post_migrate` makes), the installed apps and MIGRATION_MODULES,
the versions of Django, SQLite and `vietnam-provinces`, and the source of the map loader and
of this module. A change to any of them is a new key, hence a new build.

Only the in-memory SQLite test database is served from a snapshot; PostgreSQL (CI's second
run) and a file-based SQLite test database are built by Django as usual.
`ANSINH_TEST_DB_CACHE=0` turns snapshots off; `ANSINH_TEST_DB_CACHE=/some/dir` puts them
there (default: `$XDG_CACHE_HOME/ansinh/test-db`, else `~/.cache/ansinh/test-db`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import importlib.metadata
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Snapshots kept in the cache folder (the most recently used ones); older ones are deleted.
KEEP = 6


def cache_dir() -> Path | None:
    """The snapshots' folder, or None when they are turned off."""
    setting = os.environ.get("ANSINH_TEST_DB_CACHE", "")
    if setting.lower() in {"0", "off", "no", "false"}:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ansinh" / "test-db"


def _package_files(module_name: str) -> list[tuple[str, Path]]:
    """The files of a package (a migrations package) with their paths inside it, sorted; none
    when it does not exist. Relative paths: two clones of the same commit share snapshots."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return []
    files: list[tuple[str, Path]] = []
    for folder in map(Path, getattr(module, "__path__", [])):
        files.extend((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*")
                     if p.is_file() and p.suffix in {".py", ".json", ".csv", ".sql"} and "__pycache__" not in p.parts)
    return sorted(files)


def snapshot_key() -> str:
    """A digest of everything the built test database follows from (see the module's docstring)."""
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader

    from ansinh.geo import loader

    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(repr(part).encode())
            digest.update(b"\0")

    import django

    add(django.get_version(), sqlite3.sqlite_version, sys.version_info[:2],
        importlib.metadata.version("vietnam-provinces"), list(settings.INSTALLED_APPS),
        sorted((str(k), str(v)) for k, v in settings.MIGRATION_MODULES.items()))
    for source in (Path(__file__), Path(loader.__file__)):
        add(source.name)
        digest.update(source.read_bytes())
    for config in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(config.label)
        add(config.label, module_name)
        if module_name is None:
            continue
        for name, path in _package_files(module_name):
            add(name)
            digest.update(path.read_bytes())
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label):
        meta = model._meta
        add(meta.label, meta.db_table, str(meta.verbose_name), str(meta.verbose_name_plural),
            [(codename, str(name)) for codename, name in meta.permissions], list(meta.default_permissions))
    return digest.hexdigest()[:24]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (a lock file) for as long as the block runs."""
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prune(folder: Path, keep: Path) -> None:
    snapshots = sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snapshots[KEEP:]:
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()
                old.with_suffix(".lock").unlink()


def is_in_memory_sqlite(alias: str = "default") -> bool:
    from django.db import connections

    connection = connections[alias]
    return connection.vendor == "sqlite" and bool(connection.is_in_memory_db())  # type: ignore[attr-defined]


@contextlib.contextmanager
def migrate_from_snapshot(build_more: Callable[[], None]) -> Iterator[dict[str, bool]]:
    """While the block runs (Django's `setup_databases`), `migrate` on the in-memory SQLite test
    database copies the snapshot in, or, when there is none for the current key, migrates as
    usual, runs `build_more` (reference data every test relies on: the official map) and saves
    the result as the snapshot. The dict yielded tells afterwards whether `build_more`'s work is
    in the database (`{"reference_data": True}`), so the caller does not repeat it.

    Steps of the replaced `migrate`, for the in-memory SQLite database only:
    1. compute the key; take the key's lock (another xdist worker may be building it);
    2. a snapshot with that key exists: copy it into the in-memory database (SQLite's backup);
    3. none: migrate as Django does, run `build_more`, then save the in-memory database to a
       temporary file in the cache folder and rename it into place (no half-written snapshot is
       ever seen), and prune the snapshots not used lately.
    """
    from django.core.management.commands import migrate
    from django.db import connections

    state = {"reference_data": False}
    folder = cache_dir()
    original = migrate.Command.handle

    def handle(self: migrate.Command, *args: Any, **options: Any) -> None:
        alias = options.get("database") or "default"
        if folder is None or not is_in_memory_sqlite(alias):
            original(self, *args, **options)
            return
        connection = connections[alias]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{snapshot_key()}.sqlite3"
        with _locked(path.with_suffix(".lock")):
            connection.ensure_connection()
            raw = connection.connection
            assert raw is not None
            if path.exists():
                with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
                    source.backup(raw)
                os.utime(path)  # recently used: kept by _prune
            else:
                original(self, *args, **options)
                build_more()
                handle_, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
                os.close(handle_)
                try:
                    with contextlib.closing(sqlite3.connect(temporary)) as target:
                        raw.backup(target)
                    os.chmod(temporary, 0o644)
                    os.replace(temporary, path)
                finally:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(temporary)
                _prune(folder, keep=path)
        state["reference_data"] = True

    migrate.Command.handle = handle  # type: ignore[method-assign,assignment]
    try:
        yield state
    finally:
        migrate.Command.handle = original  # type: ignore[method-assign]
