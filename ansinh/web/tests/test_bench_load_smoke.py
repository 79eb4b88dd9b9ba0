"""The load test of `ansinh bench` (`bench_load`), for a few seconds on a tiny province, so the
harness cannot silently rot: gunicorn starts with production settings, both officers log in,
every main page answers, and the table shows each of them. No time is asserted.

The server is another process, so it needs a database file: the test database (map, demo users,
200 households, the 2025 round, a plan) is copied into one with SQLite's backup API. On another
database, and without the `bench` extra (Locust, gunicorn), the test is skipped.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import demo
from ansinh.plans.demo import demo_current_plan
from ansinh.poverty import services
from ansinh.web.management.commands import bench_load

@pytest.mark.slow
@pytest.mark.argon2  # the server checks the demo users' passwords with the real hashers
@pytest.mark.django_db(transaction=True)
def test_it_drives_every_main_page_of_both_officers_without_errors(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the server reads a copy of the test database: SQLite only")
    # Not imported here: Locust patches the standard library with gevent when it is imported.
    if any(importlib.util.find_spec(name) is None for name in ("locust", "gunicorn")):
        pytest.skip("the `bench` extra (Locust, gunicorn) is not installed: pip install -e '.[bench]'")
    province = Unit.objects.get(edition=Edition.CURRENT, level=Level.PROVINCE, code="86")
    settings.DEMO = True
    call_command("demo", "setup", stdout=io.StringIO())
    demo.generate(province=province, households=200, seed=1, year=2025)
    round_ = services.review_round_open(actor=None, unit=province, year=2025)
    services.review_round_run(round=round_, actor=None)
    demo_current_plan(province, write=lambda text: None)
    # The static files as production finds them (its manifest), without the slow compression.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", "--no-input", verbosity=0)
    copy = sqlite3.connect(tmp_path / "db.sqlite3")
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()

    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "ANSINH_TESTING"}}
    env.update(ANSINH_DEBUG="1", ANSINH_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
               ANSINH_VAR_DIR=str(tmp_path / "var"))
    proc = subprocess.run(
        [sys.executable, "-m", "ansinh.cli", "bench_load", "run", "--stages", "smoke", "--workers", "1",
         "--static-root", str(tmp_path / "static")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
    text = "\n".join(line for line in proc.stdout.splitlines() if not line.startswith("bench-data: "))
    data = json.loads(proc.stdout.split("bench-data: ", 1)[1])
    (stage,) = data["stages"]
    assert stage["logged_in"] == 2 and stage["login_errors"] == 0, text
    pages = {row["page"]: row for row in stage["rows"]}
    assert set(pages) == {f"{role} · {name}" for role in ("commune", "province") for name, _ in bench_load.PAGES}
    for page, row in pages.items():
        assert row["requests"] >= 1 and row["errors"] == 0, (page, text)
        assert f"{page} " in text  # a line of the printed table
    assert stage["total"]["errors"] == 0 and stage["total"]["requests"] == sum(r["requests"] for r in pages.values())
    assert "page                             requests errors  median     p95     p99  req/s" in text


def test_it_reads_the_goals_from_the_stages():
    """The goals: p95 at 50 users and alone, the list by status, 20,000 vs 300,000, errors."""
    def stage(key: str, p95: int, median: int, errors: int = 0) -> dict:
        rows = [{"page": f"commune · {name}", "requests": 10, "errors": 0, "median": median, "p95": p95, "p99": p95}
                for name, _ in bench_load.PAGES]
        return {"key": key, "rows": rows, "login_errors": 0, "total": {"requests": 90, "errors": errors}}

    big = {"stages": [stage("one-commune", 120, 100), stage("think-50", 280, 150)]}
    small = {"stages": [stage("one-commune", 90, 80)]}
    lines = "\n".join(bench_load.goals({300_000: big, 20_000: small}, 300_000, 20_000))
    assert "p95 ≤ 300 ms at 50 users with think time, 300,000 households: met (slowest" in lines
    assert "p95 ≤ 150 ms for one user: met" in lines
    assert "list by status ≤ 150 ms for one user: met" in lines
    assert "within ×1.5 (median of each page): met (largest ×1.25" in lines
    assert "no errors or timeouts: met (0 of 270 requests)" in lines

    big = {"stages": [stage("one-commune", 160, 130), stage("think-50", 310, 150, errors=2)]}
    lines = "\n".join(bench_load.goals({300_000: big, 20_000: small}, 300_000, 20_000))
    assert "50 users with think time, 300,000 households: NOT met" in lines
    assert "for one user: NOT met" in lines and "list by status ≤ 150 ms for one user: NOT met" in lines
    assert "within ×1.5 (median of each page): NOT met (largest ×1.62" in lines
    assert "no errors or timeouts: NOT met (2 of 270 requests)" in lines


def test_it_refuses_a_size_that_is_not_a_number(monkeypatch):
    monkeypatch.setenv("ANSINH_BENCH_LOAD_HOUSEHOLDS", "300k")
    with pytest.raises(CommandError, match="ANSINH_BENCH_LOAD_HOUSEHOLDS"):
        bench_load.env_int("ANSINH_BENCH_LOAD_HOUSEHOLDS", 300_000)
    monkeypatch.setenv("ANSINH_BENCH_LOAD_HOUSEHOLDS", "20_000")
    assert bench_load.env_int("ANSINH_BENCH_LOAD_HOUSEHOLDS", 300_000) == 20_000


def test_it_is_skipped_when_asked(monkeypatch, tmp_path):
    monkeypatch.setenv("ANSINH_BENCH_LOAD", "0")
    said: list[str] = []
    bench_load.measure(said.append, {}, "sqlite:///unused", tmp_path)
    assert said == ["load test: skipped (ANSINH_BENCH_LOAD=0)"]


@pytest.mark.django_db
def test_it_refuses_a_database_without_the_demo_province(tmp_path):
    """No round or plan yet: a clear message before any server starts."""
    with pytest.raises(CommandError, match="đợt rà soát và kế hoạch năm 2025"):
        call_command("bench_load", "run", "--static-root", str(tmp_path), stdout=io.StringIO())
