"""`ansinh bench_payments STEP`: the payments figures of `ansinh bench`, one step per call.

Internal: `ansinh bench` runs each step in its own process on the database of its households
figures (a demo province with its people served). Each step prints its figures, then one line
`bench-data: {json}` that `ansinh bench` reads.

  payroll    --unit CODE [--month YYYY-MM]   the province's payrolls of a month: every commune ×
                                             field computed (the first run) or recomputed in place
                                             (the next runs) by `payroll.run_unit`: read set-based
                                             (in parts on the machine's cores), one transaction and
                                             one bulk insert for the province; goal
                                             ≤ 2 s at 300,000 households, ≤ 5 s at 1,000,000, for the
                                             month's payroll computed (the first run: what an office
                                             does each month), a recomputed draft judged apart
  reconcile  --unit CODE                     a 50,000-line result file (`payments.bench_settle`)
  package    --unit CODE                     a package of every near-poor household
                                             (`payments.bench_packages`)

The month defaults to the demo's present (`benefits.demo.present(2025)`). Each timed step reports
the median and the maximum of `--runs` runs (default 5), the queries of one run (in the process
that runs it: a payroll's parts query in their own) and the load average. ANSINH_BENCH_PAYMENTS=0 makes `ansinh bench` skip them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import os
import resource
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household
from ansinh.lib import forked
from ansinh.lib.vietnamese import format_number

RUNS = 5
GOALS = {"payroll": 2.0, "payroll_million": 5.0}
MILLION_HOUSEHOLDS = 1_000_000
STEPS = {"reconcile": ("ansinh.payments.bench_settle", "bench_reconcile"),
         "package": ("ansinh.payments.bench_packages", "bench_package")}


def _children_cpu() -> float:
    """The CPU time of this process's children that ended (the parts of a payroll run)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def enabled() -> bool:
    return os.environ.get("ANSINH_BENCH_PAYMENTS", "1").strip().lower() not in {"0", "false", "no", "off"}


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _s(value: float) -> str:
    return format_number(value, 2)


def _available(step: str) -> bool:
    if step == "payroll":
        return True
    module, _name = STEPS[step]
    return importlib.util.find_spec(module) is not None


class Command(BaseCommand):
    help = "Internal: the payments figures of `ansinh bench`, one step at a time."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="step", required=True)
        for name in ("payroll", "reconcile", "package"):
            step = sub.add_parser(name)
            step.add_argument("--unit", required=True, help="Code of a province of the current map.")
            step.add_argument("--month", default="", help="YYYY-MM (default: the demo's present).")
            step.add_argument("--runs", type=int, default=RUNS)

    def handle(self, *args: Any, **options: Any) -> None:
        province = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE, code=options["unit"]).first()
        if province is None:
            raise CommandError(f"Không có tỉnh mã {options['unit']} trên bản đồ hiện hành.")
        runs = max(1, int(options["runs"]))
        step = options["step"]
        if step != "payroll":
            if not _available(step):
                raise CommandError(f"Bước “{step}” chưa có trong bản này.")
            module, name = STEPS[step]
            data = getattr(importlib.import_module(module), name)(province, runs)
            text = data.pop("text", None) if isinstance(data, dict) else None
            self.stdout.write(str(text) if text else f"payments {step}: {json.dumps(data, default=str)}")
            self.stdout.write("bench-data: " + json.dumps(data, default=str))
            return
        self.payroll(province, options["month"], runs)

    def payroll(self, province: Unit, month_text: str, runs: int) -> None:
        from ansinh.accounts.audit import Actor
        from ansinh.benefits.demo import present
        from ansinh.payments import payroll as engine
        from ansinh.payments.models import PayrollLine

        try:
            if month_text:
                year, number = month_text.split("-")
                month = dt.date(int(year), int(number), 1)
            else:
                month = present(2025).replace(day=1)
        except (TypeError, ValueError):
            raise CommandError(f"--month: viết YYYY-MM, không phải {month_text!r}.") from None
        households = Household.objects.filter(commune__path__startswith=province.path).count()
        samples: list[float] = []
        cpu: list[float] = []
        result: Any = None
        queries = 0
        for i in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time() + _children_cpu()
            if i == runs - 1:
                with CaptureQueriesContext(connection) as captured:
                    result = engine.run_unit(unit=province, month=month, actor=Actor(user=None))
                queries = len(captured)
            else:
                result = engine.run_unit(unit=province, month=month, actor=Actor(user=None))
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() + _children_cpu() - cpu_started)
        median, worst = statistics.median(samples), max(samples)
        goal = GOALS["payroll_million"] if households >= MILLION_HOUSEHOLDS else GOALS["payroll"]
        kinds = dict(PayrollLine.objects.filter(payroll_id__in=result.payrolls).values("kind").order_by()
                     .annotate(n=Count("pk")).values_list("kind", "n"))
        self.stdout.write(
            f"payments: the province's payrolls of {month:%m/%Y} ({province.name}, {format_number(households)} "
            f"households): {format_number(len(result.payrolls))} payrolls (commune × field), "
            f"{format_number(result.lines)} lines, {format_number(result.people)} people, "
            f"{format_number(result.total / 1e6, 1)} million đồng; first run (created) {_s(samples[0])} s, "
            f"recomputed in place {_s(median)} s median, max {_s(worst)} s ({runs} runs; planned in "
            f"{result.parts} part{'s' if result.parts > 1 else ''} on {forked.cores()} cores; CPU of this process "
            f"and its parts {_s(cpu[0])} s first, {_s(statistics.median(cpu))} s median; {queries} queries a run "
            f"in this process; "
            f"goal ≤ {goal:.0f} s, for the month's payroll computed (the first run): "
            f"{'met' if samples[0] <= goal else 'NOT met'}, recomputed: {'met' if median <= goal else 'NOT met'}; "
            f"load {_load()})"
            + (f"\n  lines by kind: {', '.join(f'{k} {format_number(n)}' for k, n in sorted(kinds.items()))}"
               if kinds else ""))
        self.stdout.write("bench-data: " + json.dumps({"median": median, "max": worst, "first": samples[0], "cpu_first": cpu[0],
                                                       "lines": result.lines, "queries": queries, "goal": goal, "parts": result.parts,
                                                       "first_met": samples[0] <= goal, "median_met": median <= goal}))


# --- Run by `ansinh bench` ---------------------------------------------------------------------


def measure(env: dict[str, str], province: str) -> list[str]:
    """The payments figures on a database holding the province's households and people served:
    each step in its own process. Returns the lines to print."""
    from ansinh.geo.management.commands.bench import run_child, split_data

    if not enabled():
        return ["payments: skipped (ANSINH_BENCH_PAYMENTS=0)"]
    lines = []
    for step in ("payroll", "reconcile", "package"):
        if not _available(step):
            continue
        child = run_child(["bench_payments", step, "--unit", province], env)
        text, _ = split_data(child.output)
        lines.append(f"{text}; peak RSS {child.rss:.0f} MiB")
    return lines
