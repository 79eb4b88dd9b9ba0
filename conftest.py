"""Test fixtures: the real administrative map (loaded once per run) and named people per role."""

from __future__ import annotations

import contextlib
import os

os.environ.setdefault("ANSINH_TESTING", "1")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_use_migrations,  # type: ignore[no-untyped-def]
                    django_db_keepdb, django_db_createdb, django_db_modify_db_settings):
    """The test database with both official maps and the crosswalk; tests run in transactions on
    top. pytest-django's own fixture, except that on in-memory SQLite (`make test`) the migrated
    database with the map comes from a snapshot built once and reused while no migration changes
    (`ansinh.testing_db`): each xdist worker used to spend ~21 s of CPU migrating and loading."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from ansinh.geo.loader import load_official_map
    from ansinh.testing_db import migrate_from_snapshot

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    snapshots = django_db_use_migrations and not keepdb
    with django_db_blocker.unblock():
        with migrate_from_snapshot(load_official_map) if snapshots else contextlib.nullcontext({}) as built:
            db_cfg = setup_databases(verbosity=request.config.option.verbose, interactive=False, keepdb=keepdb,
                                     aliases=aliases, serialized_aliases=serialized_aliases)
        if not built.get("reference_data"):
            load_official_map()
        _keep_reference_data_on_flush()
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


def _keep_reference_data_on_flush() -> None:
    """Transactional tests (the browser tests: `live_server`) end with a flush of every table, which
    took the map and the data migrations' rows with it, and each following test loaded the map again
    (93 s of a run). Reference data is what the tables hold once the test database is set up: the
    flush now empties only the tables that were empty then, and deletes from the others the rows a
    test added (a primary key above the one it had), so the map is loaded once per test run.
    Rows a test *changed* in a reference table are not restored: tests do not change them."""
    from django.core.management.commands import flush
    from django.db import connection

    baseline: dict[str, tuple[str, int] | None] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT 1 FROM {quoted} LIMIT 1")  # noqa: S608 — names from introspection
            if cursor.fetchone() is None:
                continue
            pk = connection.introspection.get_primary_key_column(cursor, table)
            top = None
            if pk:
                cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk)}) FROM {quoted}")  # noqa: S608
                top = cursor.fetchone()[0]
            baseline[table] = (pk, top) if isinstance(top, int) else None
        # A table that refers to one the flush empties is emptied too (PostgreSQL refuses to
        # TRUNCATE a table another one refers to): the audit rows of the map's loading, say.
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        refers = {table: {relation[1] for relation in
                          connection.introspection.get_relations(cursor, table).values()} for table in baseline}
        emptied = set(tables) - set(baseline)
        while moved := [table for table in baseline if refers[table] & emptied]:
            for table in moved:
                del baseline[table]
                emptied.add(table)

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):  # type: ignore[no-untyped-def]
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        statements = connection.ops.sql_flush(style, [t for t in tables if t not in baseline],
                                              reset_sequences=False, allow_cascade=allow_cascade)
        for table, kept in baseline.items():
            if kept is not None:  # rows added by a test (a hamlet, a standard): gone; the rest stays
                pk, top = kept
                statements.append(f"DELETE FROM {connection.ops.quote_name(table)} "
                                  f"WHERE {connection.ops.quote_name(pk)} > {top}")
        return statements

    flush.sql_flush = sql_flush


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


from ansinh.testing import login  # noqa: E402, F401 — test modules import it from here too


# --- Browser tests --------------------------------------------------------------------------
# Debian's Chromium (/usr/bin/chromium) driven by Playwright; Playwright's own browser downloads
# are never used. Without Chromium the browser tests are skipped, except in CI (CI=true), which
# installs it (.ci/run): there a missing browser is a failure. Mark such modules `browser`.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Generous: a loaded 2-core CI machine can take seconds to render a page; passing tests do not wait it out.
BROWSER_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing, and CI must run the browser tests (.ci/run installs it)",
                        pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing: apt-get install --no-install-recommends chromium")
    from playwright import sync_api

    sync_api.expect.set_options(timeout=BROWSER_TIMEOUT_MS)  # assertions wait as long as actions
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    # calls from a thread with a running loop; the ORM work here (fixtures, pytest-django's flush)
    # is synchronous test code, so it is allowed for the life of the browser, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(live_server):  # type: ignore[no-untyped-def]
    """pytest-django's live server, answering one request at a time when it shares the test's
    in-memory SQLite connection: its request threads would otherwise use one connection at once
    and break each other's cursors (a path read back as None, an intermittent 500 in CI when an
    htmx search and a click overlapped). Connections are still accepted by several threads, so
    the browser's spare connections never block it; the body is read inside the lock."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        server = live_server.thread.httpd
        app, lock = server.get_app(), threading.Lock()

        def one_at_a_time(environ, start_response):  # type: ignore[no-untyped-def]
            with lock:
                response = app(environ, start_response)
                try:
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            return [body]

        server.set_app(one_at_a_time)
    return live_server


def browser_context(browser, live_server, **options):  # type: ignore[no-untyped-def]
    """A fresh profile of someone in Vietnam (Accept-Language vi: Django answers an en-US browser in
    English only when asked)."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    # The browser asks for /favicon.ico by itself, in parallel with the page: answered in the
    # browser, it costs the (serialised, see live_server) server nothing.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    return context


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A page that fails the test on any script error (CSP violations included) or failed request,
    except the 400 a form with errors answers to its POST, and the favicon the browser asks for."""
    context = browser_context(browser, live_server)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda msg: problems.append(f"console error: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)

    def check(response) -> None:  # type: ignore[no-untyped-def]
        form_errors = response.status == 400 and response.request.method == "POST"
        if response.status >= 400 and not form_errors and not response.url.endswith("/favicon.ico"):
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("response", check)
    yield page
    context.close()
    assert not problems, problems


def browser_log_in(page, username: str, password: str = "correct-horse-battery") -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")


# Modules that took 5 s or more in a run of the suite without a `slow` or `browser` mark
# (`pytest --durations=0`, 2026-12): the heavy modules are handed out first (below).
HEAVY_MODULES = frozenset({
    "ansinh/benefits/tests/test_demo_generate.py", "ansinh/households/tests/test_demo.py",
    "ansinh/payments/tests/test_payroll_demo.py", "ansinh/web/tests/test_page_queries.py",
    "ansinh/plans/tests/test_report_package.py", "ansinh/payments/tests/test_payroll_concurrency.py",
    "ansinh/benefits/tests/test_perf_month_paths.py", "ansinh/dedup/tests/test_demo.py",
    "ansinh/web/tests/test_settings.py", "ansinh/dedup/tests/test_linkage.py",
    "ansinh/plans/tests/test_reporting_views.py", "ansinh/geo/tests/test_map.py",
    "ansinh/procedures/tests/test_cli_api_demo.py", "ansinh/api/tests/test_households_api.py",
    "ansinh/accounts/tests/test_user_pages.py", "ansinh/poverty/tests/test_round_views.py",
    "ansinh/payments/tests/test_payroll_queries.py", "ansinh/plans/tests/test_results.py",
})


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """Browser tests are slow tests too: `-m 'not slow'` leaves them out while working."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


class _HeavyModulesFirst:
    """The heavy modules (a `slow` test in them, or named in HEAVY_MODULES) come first, each
    module's tests in their order. `make test` hands whole modules to the two workers in
    collection order (`--dist loadfile --no-loadscope-reorder`): a long module dealt out last kept
    one worker busy alone at the end of the run; dealt out first, the short ones fill in around it.
    A plugin of its own so that it runs last, after pytest-django's sorting and `-m`."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):  # type: ignore[no-untyped-def]
        heavy = {item.nodeid.split("::")[0] for item in items
                 if item.get_closest_marker("slow") or item.nodeid.split("::")[0] in HEAVY_MODULES}
        items[:] = sorted(items, key=lambda item: item.nodeid.split("::")[0] not in heavy)


def pytest_configure(config):  # type: ignore[no-untyped-def]
    config.pluginmanager.register(_HeavyModulesFirst(), "ansinh-heavy-modules-first")
