"""Work split over the machine's cores: one part in this process, each other part in a child made
by fork (it shares this process's memory as it was, copy-on-write: nothing is sent to it), whose
result comes back pickled through a pipe.

Forking is safe only in a process running one thread (a child keeps only the thread that forked,
and a lock another thread held stays locked in it) and with no database connection open across
the fork (SQLite's handles must not cross it; a child opens its own): `can_fork` says whether this
process qualifies, and `in_parts` closes the connections first. Otherwise, or with one part, every
part runs here, one after the other — the same results, only slower. A child that fails or dies
has its part run here again (and the failure logged): a result is never lost or half-used.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from django.db import connection, connections

logger = logging.getLogger(__name__)

P = TypeVar("P")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether `in_parts` may fork here: a platform with fork, one thread running, a process that may
    have children (not a daemonic one), no transaction open nor autocommit turned off (the
    connections are closed before the fork: what they hold would be lost) and a database other
    processes can open (not SQLite's in-memory one)."""
    if not hasattr(os, "fork") or threading.active_count() != 1 or multiprocessing.current_process().daemon:
        return False
    if any(conn.in_atomic_block or not conn.get_autocommit() for conn in connections.all(initialized_only=True)):
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())  # type: ignore[attr-defined]


def _child(work: Callable[[Any], Any], send: Callable[[Any], Any], part: Any, writer: Connection) -> None:
    try:
        answer: tuple[bool, Any] = (True, send(work(part)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which runs the part itself
        answer = (False, traceback.format_exc())
    try:
        writer.send(answer)
    finally:
        writer.close()
        connections.close_all()  # its own connections, closed as a process ends (not cut off)


def _same(value: Any) -> Any:
    return value


def in_parts(work: Callable[[P], R], parts: list[P], *, send: Callable[[R], Any] = _same,
             receive: Callable[[Any], R] = _same, timeout: float = 3600.0) -> list[R]:
    """`work(part)` for each part, in the order of `parts`: the first here, the others in forked
    children at the same time when `can_fork()`; else all here. A child's result crosses the pipe
    as `send(result)` and is `receive`d here (a cheaper form to pickle). A child that cannot be
    started, fails, dies or has not answered `timeout` seconds after this process's own part is
    done has its part run here."""
    if len(parts) < 2 or not can_fork():
        return [work(part) for part in parts]
    connections.close_all()  # no database handle crosses the fork
    context = multiprocessing.get_context("fork")
    children: list[tuple[Any, Connection] | None] = []
    try:
        for part in parts[1:]:
            reader, writer = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(work, send, part, writer), daemon=True)
            try:
                child.start()
            except OSError:  # no process to be had (memory, a limit): this part runs here
                logger.warning("No child process for a part of the work: run here", exc_info=True)
                reader.close()
                children.append(None)
                continue
            finally:
                writer.close()
            children.append((child, reader))
        results = [work(parts[0])]
        for started, part in zip(children, parts[1:], strict=True):
            if started is None:
                results.append(work(part))
                continue
            child, reader = started
            try:
                if reader.poll(timeout):
                    done, answer = reader.recv()
                else:
                    done, answer = False, f"the child process gave no answer in {timeout:.0f} s"
            except Exception as error:  # noqa: BLE001 - ended without an answer, or one that cannot be read
                done, answer = False, f"no answer from the child process ({error!r})"
            child.join(5.0)  # an answer given, it is ending; without one, it is stopped
            if child.is_alive():
                child.kill()
                child.join()
            if done:
                results.append(receive(answer))
            else:
                logger.warning("A part of the work failed in its child process; run again here:\n%s", answer)
                results.append(work(part))
        return results
    finally:
        for started in children:
            if started is None:
                continue
            child, reader = started
            reader.close()
            if child.is_alive():
                child.kill()
                child.join()
