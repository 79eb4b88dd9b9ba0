"""`ansinh bench_benefits STEP`: the people-served figures of `ansinh bench`, one step per call.

Internal: `ansinh bench` runs each step in its own process on the database of its households
figures (a demo province from `demo generate`, whose people served come from `benefits.demo`,
and its 2024 and 2025 review rounds, which give the households' current poverty status). Each
step prints its figures, then one line `bench-data: {json}` that `ansinh bench` reads.

  amounts  --unit CODE [--month YYYY-MM]   the amount of every entitlement of the province for the
                                           month (`monthly.month_lines`: rules, precedence), and
                                           `month_totals`; goal ≤ 1 s at 300,000 households,
                                           ≤ 3 s at 1,000,000
  lists    --unit CODE [--month YYYY-MM]   both lists of who should and should not be paid
                                           (`checks.eligible_unpaid`, `checks.paid_ineligible`)
                                           for the province; goal ≤ 2 s
  figures  --unit CODE [--month YYYY-MM]   the counted figures of the provider
                                           (`indicators.fetch` for the quarter ending that month:
                                           people, amounts, merit by category, dossiers); goal ≤ 1 s

The month defaults to the demo's present (`benefits.demo.present(2025)`: November 2026, or this
month if earlier). Each timed step reports the median and the maximum of `--runs` runs (default 5),
the median CPU time of the process (on a shared machine the wall time also counts the waits for a
core) and the load average. ANSINH_BENCH_BENEFITS=0 makes `ansinh bench` skip them.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household
from ansinh.lib.vietnamese import format_number
from ansinh.plans.periods import Period

RUNS = 5
GOALS = {"amounts": 1.0, "amounts_million": 3.0, "lists": 2.0, "figures": 1.0}
MILLION_HOUSEHOLDS = 1_000_000


def enabled() -> bool:
    return os.environ.get("ANSINH_BENCH_BENEFITS", "1").strip().lower() not in {"0", "false", "no", "off"}


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float, object, float]:
    """The median and maximum wall time of `runs` calls, the last result, and the median CPU time
    of the process (on a shared machine the wall time counts the waits for a core, the CPU time
    only the work: SQLite reads from the page cache)."""
    samples, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(samples), max(samples), result, statistics.median(cpu)


def _s(value: float) -> str:
    return format_number(value, 2)


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


class Command(BaseCommand):
    help = "Internal: the people-served figures of `ansinh bench`, one step at a time."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="step", required=True)
        for name in ("amounts", "lists", "figures"):
            step = sub.add_parser(name)
            step.add_argument("--unit", required=True, help="Code of a province of the current map.")
            step.add_argument("--month", default="", help="YYYY-MM (default: the demo's present).")
            step.add_argument("--runs", type=int, default=RUNS)

    def handle(self, *args: Any, **options: Any) -> None:
        import datetime as dt
        import json

        from ansinh.benefits import checks, indicators, monthly
        from ansinh.benefits.demo import present
        from ansinh.benefits.models import Entitlement

        province = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE, code=options["unit"]).first()
        if province is None:
            raise CommandError(f"Không có tỉnh mã {options['unit']} trên bản đồ hiện hành.")
        try:
            if options["month"]:
                year, number = options["month"].split("-")
                month = dt.date(int(year), int(number), 1)
            else:
                month = present(2025).replace(day=1)
        except (TypeError, ValueError):
            raise CommandError(f"--month: viết YYYY-MM, không phải {options['month']!r}.") from None
        runs = max(1, int(options["runs"]))
        communes = checks.commune_ids(province)
        households = Household.objects.filter(commune_id__in=communes).count()
        entitlements = Entitlement.objects.filter(commune_id__in=communes)
        where = f"{province.name}, {format_number(households)} households, month {month:%m/%Y}"
        step = options["step"]
        if step == "amounts":
            median, worst, lines, cpu = _timed(lambda: monthly.month_lines(entitlements, month), runs)
            assert isinstance(lines, list)
            total_median, _, totals, _ = _timed(lambda: monthly.month_totals(entitlements, month), runs)
            assert isinstance(totals, dict)
            held = entitlements.filter(checks.open_in(month)).count()
            goal = GOALS["amounts_million"] if households >= MILLION_HOUSEHOLDS else GOALS["amounts"]
            paid = sum(amount for _, amount in totals.values())
            people = sum(n for n, _ in totals.values())
            self.stdout.write(
                f"people served: amount of every entitlement for the month ({where}): {format_number(held)} "
                f"entitlements open, {format_number(len(lines))} lines, {format_number(people)} people paid "
                f"{format_number(paid / 1e6, 1)} million đồng; {_s(median)} s median, max {_s(worst)} s "
                f"({runs} runs; CPU {_s(cpu)} s; month_totals {_s(total_median)} s; goal ≤ {goal:.0f} s: "
                f"{'met' if median <= goal else 'NOT met'}; load {_load()})")
            data: dict[str, Any] = {"median": median, "max": worst, "cpu": cpu, "entitlements": held, "goal": goal}
        elif step == "lists":
            median_e, worst_e, eligible, _ = _timed(lambda: checks.eligible_unpaid(province, month), runs)
            median_p, worst_p, paid_list, _ = _timed(lambda: checks.paid_ineligible(province, month), runs)
            assert isinstance(eligible, list) and isinstance(paid_list, list)
            both = median_e + median_p
            goal = GOALS["lists"]
            by_kind = sorted(dict(_kinds(eligible + paid_list)).items())
            self.stdout.write(
                f"people served: who should and should not be paid ({where}): eligible but unpaid "
                f"{format_number(len(eligible))} lines {_s(median_e)} s median (max {_s(worst_e)} s), paid but "
                f"no longer eligible {format_number(len(paid_list))} lines {_s(median_p)} s median (max "
                f"{_s(worst_p)} s); both {_s(both)} s (goal ≤ {goal:.0f} s: {'met' if both <= goal else 'NOT met'}; "
                f"load {_load()})\n  lines by reason: "
                + ", ".join(f"{kind} {format_number(n)}" for kind, n in by_kind))
            data = {"median": both, "eligible": len(eligible), "ineligible": len(paid_list), "goal": goal}
        else:
            period = Period(month.year, "quarter", (month.month + 2) // 3)
            median, worst, fetched, cpu = _timed(lambda: indicators.fetch(province, period), runs)
            assert isinstance(fetched, tuple)
            counts = fetched[0]
            goal = GOALS["figures"]
            people = sum(v for (_, b), v in counts.get("social_allowance_recipients", {}).items() if not b)
            self.stdout.write(
                f"people served: counted figures of {period.key} ({where}, {len(counts)} queries by "
                f"{format_number(len(communes))} communes; {format_number(people)} on social assistance): "
                f"{_s(median)} s median, max {_s(worst)} s ({runs} runs; CPU {_s(cpu)} s; goal ≤ {goal:.0f} s: "
                f"{'met' if median <= goal else 'NOT met'}; load {_load()})")
            data = {"median": median, "cpu": cpu, "goal": goal}
        self.stdout.write("bench-data: " + json.dumps(data))


def _kinds(findings: list[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in findings:
        out[f.kind] = out.get(f.kind, 0) + 1
    return out


# --- Run by `ansinh bench` ---------------------------------------------------------------------


def measure(env: dict[str, str], province: str) -> list[str]:
    """The people-served figures on a database holding the province's households, people served
    and review rounds: each step in its own process. Returns the lines to print."""
    from ansinh.geo.management.commands.bench import run_child, split_data

    if not enabled():
        return ["people served: skipped (ANSINH_BENCH_BENEFITS=0)"]
    lines = []
    for step in ("amounts", "lists", "figures"):
        child = run_child(["bench_benefits", step, "--unit", province], env)
        text, _ = split_data(child.output)
        lines.append(f"{text}; peak RSS {child.rss:.0f} MiB")
    return lines

