"""Two payroll runs for the same commune and month at the same time leave one payroll with its
lines once: the unique constraint on (commune, month, field, sequence), the retry of the
IntegrityError and the row lock. On PostgreSQL the two runs really overlap (both reach the
creation of the payroll together); on SQLite the writers take turns."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from ansinh.payments import payroll as engine
from ansinh.payments.models import Payroll, PayrollLine

from .payroll_setup import SA, actor, beneficiaries, month, officers, tra_cu


def _race(monkeypatch: pytest.MonkeyPatch, runs: list[Any]) -> list[BaseException]:
    """Runs each callable in its own thread (its own database connection), released together; on
    PostgreSQL each waits for the others at the payroll's creation."""
    start = threading.Barrier(len(runs))
    meet = threading.Barrier(len(runs))
    real_lock = engine._lock
    if connection.vendor == "postgresql":
        def lock(*args: Any, **kwargs: Any) -> Payroll:
            try:
                meet.wait(timeout=10)
            except threading.BrokenBarrierError:
                pass
            return real_lock(*args, **kwargs)
        monkeypatch.setattr(engine, "_lock", lock)
    errors: list[BaseException] = []

    def work(run: Any) -> None:
        try:
            start.wait(timeout=30)
            run()
        except BaseException as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(run,)) for run in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def _processes_on_a_file(tmp_path: Path, who: Any, commune: Any) -> tuple[list[tuple[int, str, str]], str]:
    """SQLite: the test database copied to a file, two processes computing the same payroll in it
    at the same moment (WAL, IMMEDIATE transactions, as in production)."""
    path = tmp_path / "race.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    env = {**os.environ, "ANSINH_DATABASE_URL": f"sqlite:///{path}", "ANSINH_TESTING": "1", "ANSINH_DEBUG": "1"}
    at = time.time() + 6
    procs = [subprocess.Popen([sys.executable, "-m", "ansinh.payments.tests.race_worker", str(at), str(commune.pk),
                               "2026-04-01", SA, str(user.pk)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for user in (who.lan, who.an)]
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        outcomes.append((proc.returncode, out, err))
    return outcomes, str(path)


@pytest.mark.django_db(transaction=True)
def test_it_leaves_one_payroll_after_two_concurrent_runs(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        who, people, commune = officers(), beneficiaries(), tra_cu()
        outcomes, path = _processes_on_a_file(tmp_path, who, commune)
        assert [code for code, _o, _e in outcomes] == [0, 0], outcomes
        db = sqlite3.connect(path)
        payrolls = db.execute("SELECT id, lines_count FROM payments_payroll WHERE commune_id = ? AND month = ?",
                              (commune.pk, "2026-04-01")).fetchall()
        assert len(payrolls) == 1 and payrolls[0][1] == 2
        got = db.execute("SELECT person_id, kind FROM payments_payrollline WHERE payroll_id = ?",
                         (payrolls[0][0],)).fetchall()
        assert sorted(got) == sorted([(people.soc.pk, "month"), (people.ba.pk, "month")])
        # Both processes report the same payroll.
        assert {out.split()[0] for _c, out, _e in outcomes} == {str(payrolls[0][0])}
        return
    _threads_leave_one_payroll(monkeypatch)


def _threads_leave_one_payroll(monkeypatch: pytest.MonkeyPatch) -> None:
    who = officers()
    people = beneficiaries()
    commune = tra_cu()
    errors = _race(monkeypatch, [
        lambda: engine.compute(commune=commune, month=month(2026, 4), field=SA, actor=actor(who.lan)),
        lambda: engine.compute(commune=commune, month=month(2026, 4), field=SA, actor=actor(who.an)),
    ])
    assert errors == []
    payrolls = list(Payroll.objects.filter(commune=commune, month=month(2026, 4), field=SA))
    assert len(payrolls) == 1
    got = list(PayrollLine.objects.filter(payroll=payrolls[0]).values_list("person_id", "kind"))
    assert sorted(got) == sorted([(people.soc.pk, "month"), (people.ba.pk, "month")])
    assert payrolls[0].lines_count == 2


@pytest.mark.django_db(transaction=True)
def test_it_leaves_one_payroll_when_a_province_run_meets_a_commune_run(monkeypatch):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("threads sharing SQLite's in-memory test database lock its tables: see the process test")
    from ansinh.accounts.services import unit_for_role

    who = officers()
    beneficiaries()
    province = unit_for_role(role="provincial_officer", code="86")
    errors = _race(monkeypatch, [
        lambda: engine.run_unit(unit=province, month=month(2026, 4), actor=engine.Actor(user=None)),
        lambda: engine.compute(commune=tra_cu(), month=month(2026, 4), field=SA, actor=actor(who.lan)),
    ])
    assert errors == []
    assert Payroll.objects.filter(month=month(2026, 4), field=SA).count() == 1
    assert PayrollLine.objects.filter(for_month=month(2026, 4), kind="month", scheme__in=(
        "social_assistance", "social_pension")).count() == 2
