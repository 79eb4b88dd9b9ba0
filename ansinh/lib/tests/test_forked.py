"""`lib.forked`: parts of a piece of work run in forked children at the same time, each result
back in the order of the parts; a child that fails or dies has its part run in the parent; no fork
where it is not safe (threads running, a transaction open, SQLite's in-memory database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
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


@pytest.mark.parametrize("case", ["fails", "dies"])
def test_it_runs_a_part_again_here_when_its_child_fails_or_dies(case: str, tmp_path: Path) -> None:
    got = _run(case, tmp_path)
    assert [r[:2] for r in got["results"]] == [[0, 0], [1, 1], [2, 4]]
    again = 2 if case == "fails" else 1
    assert got["results"][again][2] == got["pid"]  # run in the parent
    assert got["results"][3 - again][2] != got["pid"]  # the other child's result kept


def test_it_does_not_fork_with_threads_running() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert not forked.can_fork()
        assert forked.in_parts(lambda part: (part, os.getpid()), [1, 2]) == [(1, os.getpid()), (2, os.getpid())]
    finally:
        stop.set()
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_it_does_not_fork_inside_a_transaction_nor_on_sqlites_memory_database() -> None:
    with transaction.atomic():
        assert not forked.can_fork()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        assert not forked.can_fork()
