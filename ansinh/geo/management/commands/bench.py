"""`ansinh bench`: performance figures, printed (never asserted in tests).

Each measured step runs in its own process against a fresh database, so that its wall time and
peak resident memory are its own. The database is a new SQLite file unless
ANSINH_BENCH_DATABASE_URL names another (e.g. the one `scripts/with-postgres` starts); for the
households figures, each size gets a database of its own (a new file, or a new database on
that PostgreSQL server, dropped afterwards).

Households figures, at each size of ANSINH_BENCH_HOUSEHOLDS (default "300000,1000000"; a
quick run: ANSINH_BENCH_HOUSEHOLDS=20000):
1. the engine alone on synthetic arrays (`bench_poverty engine`);
2. per size, on a fresh database: a demo province (`demo generate`, Vĩnh Long up to 500,000
   households, Hồ Chí Minh City above), the 2024 review round, then the 2025 round, which
   compares with 2024 (`poverty review run`, end to end: read facts, classify, store);
3. the province's summary tables of the 2025 round (`bench_poverty summary`);
4. the naive baseline, one ORM object at a time, on a sample (`bench_poverty naive`);
5. the goals of the issue, met or not, and a linear extrapolation to the country.

People served (`bench_benefits`), per size, on the same database (the demo's beneficiaries): the
amount of every entitlement for a month, both lists of who should and should not be paid, the
counted figures; ANSINH_BENCH_BENEFITS=0 skips them. Payments (`bench_payments`), on the same
database: the province's payrolls of a month, reconciliation, a package; ANSINH_BENCH_PAYMENTS=0
skips them. Labour (`bench_labour`, issue 13): a year of 100,000 placements, 50,000 enrolments and
20,000 unemployment dossiers, every labour indicator for the province and its communes, an import
of 50,000 placement rows; ANSINH_BENCH_LABOUR=0 skips them.

Plans figures (`bench_plans`), at ANSINH_BENCH_PLAN_HOUSEHOLDS households (default 300,000), on
the households database of that size when there is one (else on a database of their own): all
indicators for every unit of the province, and its report as .docx and .xlsx.

De-duplication (`bench_dedup`): 1,000,000 synthetic people on DuckDB, Spark local mode on a
smaller size, the national run extrapolated; ANSINH_BENCH_DEDUP=0 skips it.

Then the load test (`bench_load`: Locust against gunicorn, the main pages as a commune and a
provincial officer; see that module).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.management.base import BaseCommand, CommandError

from ansinh.benefits.management.commands import bench_benefits
from ansinh.dedup.management.commands import bench_dedup
from ansinh.payments.management.commands import bench_payments
from ansinh.procedures.management.commands import bench_procedures
from ansinh.labour.management.commands import bench_labour
from ansinh.plans.management.commands import bench_plans
from ansinh.web.management.commands import bench_load


@dataclass
class Child:
    seconds: float  # wall time
    cpu: float  # user + system time of the child (not of a database server it talks to)
    rss: float  # peak resident memory, MiB
    output: str


BENCH_SECRET = secrets.token_urlsafe(50)


def run_child(args: list[str], env: dict[str, str]) -> Child:
    """Runs `ansinh ARGS` in a child process and measures it; stops the bench if it fails."""
    # The steps may run with production settings, which refuse to start without a secret key: the
    # bench's databases are throwaway, so is its key.
    env = {"ANSINH_SECRET_KEY": BENCH_SECRET, **env}
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
    return Child(seconds=elapsed, cpu=usage.ru_utime + usage.ru_stime, rss=usage.ru_maxrss / 1024,
                 output=output.strip())


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Runs `ansinh ARGS` in a child process; returns (seconds, peak RSS in MiB, output)."""
    child = run_child(args, env)
    return child.seconds, child.rss, child.output


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
            self.poverty(env, url, Path(tmp))
            self.say("\n".join(bench_dedup.measure(env)))  # ANSINH_BENCH_DEDUP=0: skipped
            bench_load.measure(self.say, env, url, Path(tmp))  # Locust against gunicorn (ANSINH_BENCH_LOAD=0: skipped)

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def poverty(self, env: dict[str, str], url: str, tmp: Path) -> None:
        """The households figures (see the module's docstring); `env` points at the map's database.

        The steps run with production settings (ANSINH_DEBUG off: Django does not record every
        query), as a real review round would.
        """
        env = {key: value for key, value in env.items() if key != "ANSINH_DEBUG"}
        sizes = bench_sizes(os.environ.get("ANSINH_BENCH_HOUSEHOLDS", ""))
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        self.say(f"households, at {' and '.join(f'{n:,}' for n in sizes)} households "
                 f"({os.cpu_count()} CPUs, load average {load}):")
        child = run_child(["bench_poverty", "engine", "--households", ",".join(map(str, sizes))], env)
        text, data = split_data(child.output)
        self.say(indent(text) + f"\n  (engine step: peak RSS {child.rss:.0f} MiB)")
        engine_rates = [(int(n) / v["classify"], int(n) / (v["classify"] + v["flags"]))
                        for n, v in data["engine"].items()]
        rounds: dict[int, tuple[int, Child, float]] = {}  # size -> (households, the 2025 run, its inner s)
        summaries: dict[int, float] = {}
        plans_size = bench_plans.plan_households()
        plans_lines: list[str] | None = None  # the plans figures, on the database of that size if there is one
        for n in sizes:
            province = province_for(n)
            with fresh_database(url, tmp, f"ansinh_bench_{n}") as db_url:
                env_n = {**env, "ANSINH_DATABASE_URL": db_url}
                started = time.perf_counter()
                run_child(["migrate", "--no-input", "-v0", "--skip-checks"], env_n)
                run_child(["geo", "--skip-checks", "load"], env_n)
                self.say(f"{n:,} households, province {province}, fresh database "
                         f"(migrate and geo load: {time.perf_counter() - started:.0f} s):")
                child = run_child(["demo", "generate", "--province", province, "--households", str(n), "--seed", "1",
                                   "--year", "2025"], {**env_n, "ANSINH_DEMO": "1"})
                self.say(f"  demo generate (setup, not a goal): {child.seconds:.1f} s wall, peak RSS {child.rss:.0f} MiB")
                for year in (2024, 2025):
                    child = run_child(["poverty", "review", "run", "--year", str(year), "--unit", province], env_n)
                    count, inner = review_output(child.output, n, child.seconds)
                    what = "the first: no previous round" if year == 2024 else "compared with 2024: transitions"
                    self.say(f"  review round {year} ({what}): {count:,} households, {child.seconds:.1f} s wall "
                             f"({inner:.1f} s in the command, {child.cpu:.1f} s CPU of the client), "
                             f"{count / inner:,.0f} households/s, peak RSS {child.rss:.0f} MiB")
                    rounds[n] = (count, child, inner)
                child = run_child(["bench_poverty", "summary", "--unit", province, "--year", "2025"], env_n)
                text, data = split_data(child.output)
                summaries[n] = data["p95"]
                self.say(indent(text))
                child = run_child(["bench_poverty", "naive", "--unit", province, "--year", "2025"], env_n)
                text, data = split_data(child.output)
                count, _, inner = rounds[n]
                speedup = (count / inner) / (data["households"] / data["seconds"])
                self.say(indent(text) + f"\n  the review round is ×{speedup:,.0f} faster than the naive loop")
                self.say(indent("\n".join(bench_benefits.measure(env_n, province))))  # ANSINH_BENCH_BENEFITS=0: skipped
                self.say(indent("\n".join(bench_payments.measure(env_n, province))))  # ANSINH_BENCH_PAYMENTS=0: skipped
                self.say(indent("\n".join(bench_procedures.measure(env_n, province))))  # ANSINH_BENCH_PROCEDURES=0: skipped
                self.say(indent("\n".join(bench_labour.measure(env_n, province))))  # ANSINH_BENCH_LABOUR=0: skipped
                if n == plans_size:
                    plans_lines = bench_plans.measure(env_n, province)
        self.goals(engine_rates, rounds, summaries)
        self.say(bench_plans.heading(plans_size, reused=plans_lines is not None))
        if plans_lines is None:
            plans_lines = bench_plans.measure_fresh(env, url, tmp, plans_size)
        self.say(indent("\n".join(plans_lines)))

    def goals(self, engine_rates: list[tuple[float, float]], rounds: dict[int, tuple[int, Child, float]],
              summaries: dict[int, float]) -> None:
        """The goals of the issue, met or not, on this database; and the country, extrapolated."""
        def verdict(ok: bool) -> str:
            return "met" if ok else "NOT met"

        classify, with_flags = min(rate for rate, _ in engine_rates), min(rate for _, rate in engine_rates)
        self.say(f"goal: engine ≥ 1,000,000 households/s: {verdict(with_flags >= 1_000_000)} (classify + masks "
                 f"{classify:,.0f}/s; with facts.compute_flags {with_flags:,.0f}/s; slowest size)")
        largest = max(rounds)
        count, child, inner = rounds[largest]
        if largest >= 1_000_000:
            seconds = child.seconds * 1_000_000 / count
            how = f"measured at {count:,}, wall time of the 2025 round" + (" scaled" if count != 1_000_000 else "")
        else:
            seconds = inner * 1_000_000 / count
            how = f"linear extrapolation from {count:,} households, time in the command"
            if inner < 5:  # the command prints tenths of a second; startup and noise dominate
                how += "; too short a run to extrapolate reliably"
        self.say(f"goal: review round of 1,000,000 households ≤ 60 s: {verdict(seconds <= 60)} ({seconds:.0f} s, {how})")
        each = [f"{verdict(p95 <= 1)} at {n:,} households (p95 {p95 * 1000:.0f} ms)" for n, p95 in summaries.items()]
        self.say(f"goal: a province's summary tables ≤ 1 s: {'; '.join(each)}")
        country = inner * COUNTRY_HOUSEHOLDS / count
        self.say(f"the country, {COUNTRY_HOUSEHOLDS:,} households: ≈ {country / 60:.0f} min for one review round "
                 f"(linear extrapolation of the {count:,}-household round, one process)")


COUNTRY_HOUSEHOLDS = 27_000_000  # 2019 census: 26.9 million households
PROVINCE_MAX = 500_000  # up to this size, Vĩnh Long (124 communes); above, Hồ Chí Minh City


def province_for(households: int) -> str:
    """Vĩnh Long (86, 124 communes) for a province's size; Hồ Chí Minh City (79, 168 communes)
    above, so the households per commune stay plausible."""
    return "86" if households <= PROVINCE_MAX else "79"


def bench_sizes(value: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in (value or "300000,1000000").split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"ANSINH_BENCH_HOUSEHOLDS: các số hộ cách nhau bởi dấu phẩy, không phải {value!r}.") from None
    if not sizes or min(sizes) < 100:
        raise CommandError("ANSINH_BENCH_HOUSEHOLDS: mỗi cỡ từ 100 hộ trở lên.")
    return sizes


def split_data(output: str) -> tuple[str, dict[str, Any]]:
    """The printed figures of a `bench_poverty` step, and its `bench-data:` line."""
    lines, data = [], {}
    for line in output.splitlines():
        if line.startswith("bench-data: "):
            data = json.loads(line.removeprefix("bench-data: "))
        else:
            lines.append(line)
    return "\n".join(lines), data


def indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def review_output(output: str, households: int, wall: float) -> tuple[int, float]:
    """Households classified and seconds, read from what `poverty review run` prints
    ("Số hộ đã phân loại: 300.000", "Thời gian: 27,3 giây"); the wall figures if not found."""
    count = re.search(r"Số hộ đã phân loại: ([\d.]+)", output)
    seconds = re.search(r"Thời gian: ([\d.]+(?:,\d+)?) giây", output)
    return (int(count.group(1).replace(".", "")) if count else households,
            float(seconds.group(1).replace(".", "").replace(",", ".")) if seconds else wall)


@contextmanager
def fresh_database(base_url: str, tmp: Path, name: str) -> Iterator[str]:
    """A new, empty database for one run: a new SQLite file, or a new database on the PostgreSQL
    server of `base_url` (created, then dropped)."""
    if base_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(base_url)
        with psycopg.connect(base_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            with psycopg.connect(base_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    if not base_url.startswith("sqlite:"):
        raise CommandError(f"ansinh bench: chỉ hỗ trợ SQLite và PostgreSQL, không phải {base_url.split(':', 1)[0]}.")
    path = tmp / f"{name}.sqlite3"
    try:
        yield f"sqlite:///{path}"
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
