"""`ansinh bench_plans STEP`: the plans figures of `ansinh bench`, one step per call.

Internal: `ansinh bench` runs each step in its own process, so that the process's wall time and
peak memory are the step's own. Each step prints its figures, then one line `bench-data: {json}`
that `ansinh bench` reads and strips from what it prints.

  setup   --unit CODE --period 2025-Q4   a plan for the province: a target for every summable
                                          declared indicator (and its breakdowns) for the year,
                                          split among all its communes so that it adds up; one
                                          approved form per commune for the period (bulk_create)
  results --unit CODE --period P          `results.compute(province, period, plan)`: every
                                          indicator for every unit, and the previous year
  docx    --unit CODE --period P          the periodic report (`documents.report_docx`)
  xlsx    --unit CODE --period P          its tables (`tables_xlsx.report_xlsx`)

The timed steps report the median and the maximum of `--runs` runs (default 5).

The province's households and review rounds come first (`demo generate`, `poverty review run`
2024 and 2025): `ansinh bench` reuses the database of its households figures when one has
ANSINH_BENCH_PLAN_HOUSEHOLDS households (default 300,000), and builds one otherwise. Period
2025-Q4 by default: its counted poverty figures come from the 2025 round, the previous year's
from the 2024 round, so every kind of figure is computed.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household
from ansinh.lib.vietnamese import format_number
from ansinh.plans import results, services
from ansinh.plans.models import (
    Aggregation,
    AgencyKind,
    Indicator,
    OverTime,
    Plan,
    Sector,
    Source,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionValue,
)
from ansinh.plans.periods import Period

PERIOD = "2025-Q4"
PLAN_NUMBER = "99/KH-UBND"
RUNS = 5
GOAL_SECONDS = 2.0
DEFAULT_HOUSEHOLDS = 300_000
SEED = 1


def emit(out: Any, **data: Any) -> None:
    out.write("bench-data: " + json.dumps(data))


def seconds_vi(value: float) -> str:
    """0.4132 → "0,41"."""
    return format_number(value, 2)


def runs_text(runs: int) -> str:
    return f"{runs} run" if runs == 1 else f"{runs} runs"


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median and maximum wall time of `runs` calls, and the last call's result."""
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), max(samples), result


def plan_households(value: str | None = None) -> int:
    """The province's size for the plans figures: ANSINH_BENCH_PLAN_HOUSEHOLDS (default 300,000)."""
    raw = (os.environ.get("ANSINH_BENCH_PLAN_HOUSEHOLDS", "") if value is None else value).replace("_", "").strip()
    if not raw:
        return DEFAULT_HOUSEHOLDS
    if not raw.isdigit() or int(raw) < 100:
        raise CommandError(f"ANSINH_BENCH_PLAN_HOUSEHOLDS: một số hộ từ 100 trở lên, không phải {raw!r}.")
    return int(raw)


# --- The province and its plan ---------------------------------------------------------------


def province_by_code(code: str) -> Unit:
    unit = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE, code=code).first()
    if unit is None:
        raise CommandError(f"Không có tỉnh mã {code} trên bản đồ hiện hành.")
    return unit


def communes_of(province: Unit) -> list[Unit]:
    return list(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=province.path)
                .order_by("code"))


def bench_plan(province: Unit, year: int) -> Plan:
    plan = Plan.objects.filter(home=province, unit=province, number=PLAN_NUMBER, year=year).first()
    if plan is None:
        raise CommandError(f"Chưa có kế hoạch {PLAN_NUMBER} năm {year} của {province.name}: chạy bench_plans setup.")
    return plan


def summable_indicators(period: Period) -> list[Indicator]:
    """Every declared indicator that adds up the hierarchy and is in force in the period, and the
    labour ones (counted since issue 13; the bench has no labour records, so the communes' declared
    figures stand in, and the bench measures the same forms as before)."""
    rows = Indicator.objects.filter(Q(source=Source.DECLARED) | Q(source=Source.COUNTED, sector=Sector.EMPLOYMENT),
                                    aggregation=Aggregation.SUM).order_by("order")
    return [i for i in rows if i.in_force(period.end)]


def split_exactly(total: int, weights: np.ndarray) -> np.ndarray:
    """`total` split in proportion to `weights` as whole numbers that add up to it (largest remainders)."""
    share = weights / weights.sum() * total
    out = np.floor(share).astype(np.int64)
    rest = total - int(out.sum())
    if rest:
        out[np.argsort(-(share - out), kind="stable")[:rest]] += 1
    return out


@transaction.atomic
def setup(province: Unit, period: Period) -> dict[str, Any]:
    """The plan, its targets split among the communes, and one approved form per commune.

    Set-based: the targets through `services.targets_replace` (bulk_create), the forms, their
    figures and events with bulk_create; one audit row for the forms. A plan of a previous run is
    removed first.
    """
    year = period.year
    old = Plan.objects.filter(home=province, unit=province, number=PLAN_NUMBER, year=year)
    Submission.objects.filter(plan__in=old).delete()
    old.delete()
    agency = services.agency_for(province, f"Ủy ban nhân dân {province.name}", AgencyKind.PEOPLES_COMMITTEE,
                                 symbol="UBND")
    plan = services.plan_create(
        actor=Actor.system(), agency=agency, unit=province, year=year, number=PLAN_NUMBER, place=province.name,
        title=f"Kế hoạch thực hiện công tác lao động, người có công và xã hội năm {year} (benchmark)",
        deadlines={"quarter": "last:15", "half": "05-30", "year": "12-05"},
    )
    communes = communes_of(province)
    counts = dict(Household.objects.filter(commune__in=communes).order_by().values_list("commune_id")
                  .annotate(n=Count("id")))
    households = np.array([counts.get(c.pk, 0) + 1 for c in communes], dtype=np.float64)
    indicators = summable_indicators(period)
    rng = np.random.default_rng(SEED)

    # Targets of the year: the province's total, split among the communes by households.
    rows: list[services.TargetRow] = []
    commune_targets: dict[tuple[str, str], np.ndarray] = {}
    for indicator in indicators:
        rate = float(rng.uniform(0.002, 0.08))
        total = max(len(communes), int(households.sum() * rate))
        parts = [("", 1.0)] + [(code, float(rng.uniform(0.1, 0.5))) for code in indicator.breakdown_codes]
        for breakdown, share in parts:
            amount = max(1, int(total * share))
            split = split_exactly(amount, households)
            commune_targets[(indicator.code, breakdown)] = split
            rows.append(services.TargetRow(indicator, province, str(year), breakdown, Decimal(amount)))
            rows.extend(services.TargetRow(indicator, commune, str(year), breakdown, Decimal(int(value)))
                        for commune, value in zip(communes, split, strict=True))
    services.targets_replace(actor=Actor.system(), plan=plan, rows=rows, reason="benchmark")

    # One approved form per commune for the period: a quarter's share of a flow, about the target of a stock.
    now = timezone.now()
    deadline = period.deadline(plan.deadlines)
    Submission.objects.bulk_create([
        Submission(plan=plan, unit=commune, home=commune, period=period.key, status=SubmissionStatus.APPROVED,
                   deadline=deadline, submitted_at=now, decided_at=now) for commune in communes])
    form_ids = dict(Submission.objects.filter(plan=plan, period=period.key).values_list("unit_id", "pk"))
    ids = np.array([form_ids[c.pk] for c in communes], dtype=np.int64)
    months = period.months[1] - period.months[0] + 1
    values: list[SubmissionValue] = []
    for indicator in indicators:
        base = months / 12 if indicator.over_time == OverTime.FLOW else 1.0
        noise = rng.uniform(0.6, 1.3, len(communes))
        for breakdown in ["", *indicator.breakdown_codes]:
            figures = np.rint(commune_targets[(indicator.code, breakdown)] * base * noise).astype(np.int64)
            values.extend(SubmissionValue(submission_id=int(form), indicator=indicator, breakdown=breakdown,
                                          value=Decimal(int(figure)))
                          for form, figure in zip(ids, figures, strict=True))
    SubmissionValue.objects.bulk_create(values, batch_size=5000)
    SubmissionEvent.objects.bulk_create([SubmissionEvent(submission_id=int(form), action=action)
                                         for form in ids for action in ("create", "save", "submit", "approve")])
    audit.record(actor=Actor.system(), action="plans.bench.setup", obj=plan, unit=plan.home, after={
        "period": period.key, "targets": len(rows), "submissions": len(communes), "values": len(values)})
    return {"plan": plan.pk, "indicators": len(indicators), "targets": len(rows), "communes": len(communes),
            "submissions": len(communes), "values": len(values)}


# --- The timed steps ---------------------------------------------------------------------------


def scope_text(communes: int, households: int) -> str:
    return (f"1 province + {format_number(communes)} communes "
            f"({format_number(households)} households)")


def bench_results(out: Any, province: Unit, period: Period, runs: int) -> None:
    plan = bench_plan(province, period.year)
    households = Household.objects.filter(commune__path__startswith=province.path).count()
    median, worst, last = timed(lambda: results.compute(province, period, plan), runs)
    assert isinstance(last, results.Results)
    communes = sum(1 for n in last.nodes.values() if n.level == Level.COMMUNE)
    figures = sum(len(v) for v in last.values.values())
    verdict = "met" if median <= GOAL_SECONDS else "NOT met"
    out.write(f"plans: all indicators for {scope_text(communes, households)}, {period.key}: "
              f"{seconds_vi(median)} s median, max {seconds_vi(worst)} s ({runs_text(runs)}; "
              f"goal ≤ {GOAL_SECONDS:.0f} s: {verdict}); {len(last.indicators)} indicators, "
              f"{format_number(figures)} figures, with the previous year")
    emit(out, median=median, max=worst, households=households, communes=communes, figures=figures)


def _report_maker(kind: str) -> tuple[Callable[[Plan, Period, Unit], bytes] | None, str]:
    """`report_docx` or `report_xlsx`, or None and why not (the module may not be written yet)."""
    try:
        if kind == "docx":
            from ansinh.plans.documents import report_docx

            return report_docx, ""
        from ansinh.plans.tables_xlsx import report_xlsx

        return report_xlsx, ""
    except ImportError as error:
        return None, str(error)


def bench_report(out: Any, kind: str, province: Unit, period: Period, runs: int) -> None:
    """The report of the province for the period, as .docx or .xlsx (results computed inside)."""
    what = "report .docx" if kind == "docx" else "report tables .xlsx"
    make, why = _report_maker(kind)
    if make is None:
        out.write(f"plans: {what}: not measured ({why})")
        emit(out, missing=True)
        return
    plan = bench_plan(province, period.year)
    households = Household.objects.filter(commune__path__startswith=province.path).count()
    communes = Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=province.path).count()
    median, worst, last = timed(lambda: make(plan, period, province), runs)
    assert isinstance(last, bytes)
    verdict = "met" if median <= GOAL_SECONDS else "NOT met"
    out.write(f"plans: {what} of {scope_text(communes, households)}, {period.key}: "
              f"{seconds_vi(median)} s median, max {seconds_vi(worst)} s ({runs_text(runs)}; "
              f"goal ≤ {GOAL_SECONDS:.0f} s: {verdict}); {format_number(len(last) / 1024)} KiB")
    emit(out, median=median, max=worst, size=len(last))


class Command(BaseCommand):
    help = "Internal: the plans figures of `ansinh bench`, one step at a time."
    requires_system_checks: list[str] = []  # startup is not what is measured

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="step", required=True)
        for name in ("setup", "results", "docx", "xlsx"):
            step = sub.add_parser(name)
            step.add_argument("--unit", required=True, help="Code of a province of the current map.")
            step.add_argument("--period", default=PERIOD)
            if name != "setup":
                step.add_argument("--runs", type=int, default=RUNS)

    def handle(self, *args: Any, **options: Any) -> None:
        province = province_by_code(options["unit"])
        try:
            period = Period.parse(options["period"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        step = options["step"]
        if step == "setup":
            started = time.perf_counter()
            made = setup(province, period)
            self.stdout.write(
                f"plans setup (not a goal): plan {PLAN_NUMBER} of {province.name}, {made['indicators']} summable "
                f"declared indicators, {format_number(made['targets'])} targets split among "
                f"{format_number(made['communes'])} communes, {format_number(made['submissions'])} approved forms "
                f"for {period.key} ({format_number(made['values'])} figures): "
                f"{seconds_vi(time.perf_counter() - started)} s")
            emit(self.stdout, **made)
            return
        runs = max(1, int(options["runs"]))
        if step == "results":
            bench_results(self.stdout, province, period, runs)
        else:
            bench_report(self.stdout, step, province, period, runs)


# --- Run by `ansinh bench` ---------------------------------------------------------------------


def measure(env: dict[str, str], province: str, period: str = PERIOD) -> list[str]:
    """The plans figures on a database that holds the province's households and review rounds:
    each step in its own process (wall time and peak memory its own). Returns the lines to print."""
    from ansinh.geo.management.commands.bench import run_child, split_data

    lines = []
    for step in ("setup", "results", "docx", "xlsx"):
        child = run_child(["bench_plans", step, "--unit", province, "--period", period], env)
        text, data = split_data(child.output)
        if data.get("missing"):
            lines.append(text)
        else:
            lines.append(f"{text}; peak RSS {child.rss:.0f} MiB")
    return lines


def measure_fresh(env: dict[str, str], url: str, tmp: Path, households: int) -> list[str]:
    """The plans figures on a database of their own: migrate, the map, a demo province of
    `households` households and its 2024 and 2025 review rounds, then `measure`."""
    from ansinh.geo.management.commands.bench import fresh_database, province_for, run_child

    province = province_for(households)
    with fresh_database(url, tmp, f"ansinh_bench_plans_{households}") as db_url:
        env_n = {**env, "ANSINH_DATABASE_URL": db_url}
        started = time.perf_counter()
        run_child(["migrate", "--no-input", "-v0", "--skip-checks"], env_n)
        run_child(["geo", "--skip-checks", "load"], env_n)
        run_child(["demo", "generate", "--province", province, "--households", str(households), "--seed", "1",
                   "--year", "2025"], {**env_n, "ANSINH_DEMO": "1"})
        for year in (2024, 2025):
            run_child(["poverty", "review", "run", "--year", str(year), "--unit", province], env_n)
        setup_line = (f"plans database (not a goal): demo province {province} of {format_number(households)} "
                      f"households, review rounds 2024 and 2025: {format_number(time.perf_counter() - started)} s")
        return [setup_line, *measure(env_n, province)]


def heading(households: int, reused: bool) -> str:
    where = "the database of the households figures" if reused else "a database of its own"
    return f"plans, at {format_number(households)} households ({where}):"

