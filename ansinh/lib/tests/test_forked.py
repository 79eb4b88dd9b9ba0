"""`lib.forked`: parts of a piece of work run in forked children at the same time, each result
back in the order of the parts, each process reading the database through a connection of its
own; a child that fails, dies or hangs has its part run in the parent; no fork where it is not
safe (threads running, a transaction open or autocommit off, a daemonic process, SQLite's
in-memory database)."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction

from ansinh.lib import forked


def _run(case: str, tmp_path: Path) -> dict[str, Any]:
    env = {**os.environ, "ANSINH_DATABASE_URL": f"sqlite:///{tmp_path / 'forked.sqlite3'}", "ANSINH_TESTING": "1",
           "ANSINH_DEBUG": "1"}
    done = subprocess.run([sys.executable, "-m", "ansinh.lib.tests.forked_worker", case], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_it_runs_the_parts_in_children_at_the_same_time(tmp_path: Path) -> None:
    got = _run("plain", tmp_path)
    assert got["can_fork"]
    assert [r[:2] for r in got["results"]] == [[0, 0], [1, 1], [2, 4]]  # in the order of the parts
    pids = [r[2] for r in got["results"]]
    assert pids[0] == got["pid"] and got["pid"] not in pids[1:] and pids[1] != pids[2]
    assert [r[3] for r in got["results"]] == [6, 6, 6] and got["after"] == 3  # each read the database


@pytest.mark.parametrize(("case", "again"), [("fails", 2), ("dies", 1), ("hangs", 1)])
def test_it_runs_a_part_again_here_when_its_child_fails_dies_or_hangs(case: str, again: int, tmp_path: Path) -> None:
    started = time.monotonic()
    got = _run(case, tmp_path)
    assert time.monotonic() - started < 40  # a child that hangs (60 s) is stopped after the timeout (2 s)
    assert [r[:2] for r in got["results"]] == [[0, 0], [1, 1], [2, 4]]
    assert got["results"][again][2] == got["pid"]  # run in the parent
    assert got["results"][3 - again][2] != got["pid"]  # the other child's result kept


@pytest.fixture
def forkable(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """One thread (the test runner may run more), whatever the runner."""
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    return monkeypatch


@pytest.mark.django_db(transaction=True)
def test_it_forks_only_where_it_is_safe(forkable: pytest.MonkeyPatch) -> None:
    from django.db import connections

    real = connections["default"]
    forkable.setattr(type(real), "is_in_memory_db", lambda self: False, raising=False)
    connection.ensure_connection()
    assert forked.can_fork()  # the baseline: each check below is what says no
    with transaction.atomic():
        assert not forked.can_fork()
    connection.set_autocommit(False)
    try:
        assert not forked.can_fork()
    finally:
        connection.set_autocommit(True)
    current = multiprocessing.current_process
    forkable.setattr(forked.multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True))
    assert not forked.can_fork()
    forkable.setattr(forked.multiprocessing, "current_process", current)
    assert forked.can_fork()
    forkable.setattr(forked.threading, "active_count", lambda: 2)
    assert not forked.can_fork()
    forkable.setattr(forked.threading, "active_count", lambda: 1)
    assert forked.can_fork()
    if connection.vendor == "sqlite":
        forkable.setattr(type(real), "is_in_memory_db", lambda self: True, raising=False)
        assert not forked.can_fork()


def test_it_runs_every_part_here_with_threads_running() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert not forked.can_fork()
        assert forked.in_parts(lambda part: (part, os.getpid()), [1, 2]) == [(1, os.getpid()), (2, os.getpid())]
    finally:
        stop.set()
        thread.join()
