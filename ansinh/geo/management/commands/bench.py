"""`ansinh bench`: performance figures, printed (never asserted in tests).

Each measured step runs in its own process against a fresh database, so that its wall time and
peak resident memory are its own. The database is a new SQLite file unless
ANSINH_BENCH_DATABASE_URL names another (e.g. the one `scripts/with-postgres` starts).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Runs `ansinh ARGS` in a child process; returns (seconds, peak RSS in MiB, output)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ansinh.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"`ansinh {' '.join(args)}` failed:\n{output}")
    return elapsed, usage.ru_maxrss / 1024, output.strip()


class Command(BaseCommand):
    help = "Print performance figures: administrative map load time and memory, unit query latency."

    def handle(self, *args: Any, **options: Any) -> None:
        with tempfile.TemporaryDirectory(prefix="ansinh-bench-") as tmp:
            url = os.environ.get("ANSINH_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            env = {**os.environ, "ANSINH_DATABASE_URL": url, "ANSINH_DEBUG": "1"}
            engine = url.split(":", 1)[0]
            self.stdout.write(f"database: {engine}")
            seconds, _, _ = run_measured(["migrate", "--no-input", "-v0"], env)
            self.stdout.write(f"migrate: {seconds:.1f} s")
            seconds, rss, out = run_measured(["geo", "load"], env)
            self.stdout.write(f"geo load (first, into an empty database): {seconds:.2f} s wall, peak RSS {rss:.0f} MiB")
            self.stdout.write(f"  {out}")
            seconds, rss, _ = run_measured(["geo", "load"], env)
            self.stdout.write(f"geo load (refresh, nothing to change): {seconds:.2f} s wall, peak RSS {rss:.0f} MiB")
            seconds, _, out = run_measured(["bench_queries"], env)
            self.stdout.write(out)
