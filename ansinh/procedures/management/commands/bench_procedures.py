"""`ansinh bench_procedures --unit CODE [--dossiers N] [--runs R]`: the procedure-dossier figures of
`ansinh bench` (issue 14: 100,000 dossiers in a year).

1. Setup (not timed): N dossiers received in 2025 by the province's service centre and its
   communes, across the catalogue's procedures in force, most with their result (early, on time
   or late), written in bulk; their due dates then scrambled.
2. `due`: every due date computed set-based (`procedures.due.compute_due_dates`: the working days
   numbered once per province, one SELECT joining them); goal ≤ 2 s. Then computed and stored
   (`recompute_due_dates`, one UPDATE joining them), the dates scrambled before each run so that
   every run rewrites every row (index maintenance dominates: a calendar change rewrites few). Checked against the one-dossier
   calendar on a sample.
3. `rates`: the on-time rates by agency and by commune for the year (two GROUP BY); goal ≤ 1 s.
The setup's rows are deleted at the end. Prints the median and maximum of `--runs` runs, the
queries of one run, the load average, and one line `bench-data: {json}`. ANSINH_BENCH_PROCEDURES=0
makes `ansinh bench` skip it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.bulk import insert_rows
from ansinh.lib.vietnamese import format_number

RUNS = 5
DOSSIERS = 100_000
GOALS = {"due": 2.0, "rates": 1.0}
PREFIX = "BENCH-"


def enabled() -> bool:
    return os.environ.get("ANSINH_BENCH_PROCEDURES", "1").strip().lower() not in {"0", "false", "no", "off"}


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def setup(province: Unit, count: int, seed: int = 1) -> int:
    """Writes `count` dossiers of 2025 in bulk (the in-memory calendar gives their due dates)."""
    from ansinh.procedures import services
    from ansinh.procedures.models import Dossier, DossierStatus, Procedure
    from ansinh.workdays.calendar import calendar_for

    rng = random.Random(seed)
    communes = list(Unit.objects.filter(path__under=province.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                    .only("pk", "code", "name"))
    if not communes:
        raise CommandError(f"{province.name}: no commune on the current map.")
    probe = dt.date(2025, 6, 1)
    procedures = list(Procedure.objects.filter(valid_from__lte=dt.date(2025, 1, 1))
                      .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(2025, 12, 31))))
    if not procedures:
        procedures = list(Procedure.objects.filter(valid_from__lte=probe))
    calendar = calendar_for(province)
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    working = [d for d in days if calendar.is_working_day(d)]
    rows: list[Dossier] = []
    for number in range(count):
        proc = rng.choice(procedures)
        unit = province if proc.receiving_level == "province" or number % 10 == 0 else rng.choice(communes)
        day = rng.choice(working)
        received = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59))))
        due = calendar.add_working_days(day, proc.days)
        resolved = None
        if number % 8:  # most have their result: 85 % in time
            offset = rng.choice([-3, -2, -1, -1, 0, 0, 0, 1, 2]) if proc.days else 0
            resolved = calendar.add_working_days(due, offset) if offset >= 0 else due - dt.timedelta(days=-offset)
            resolved = max(resolved, day)
        agency = services.default_agency(unit, proc) if number % 7 else "Sở Nội vụ"
        rows.append(Dossier(
            code=f"{PREFIX}{number:07d}", procedure=proc, field=proc.field, channel="in_person",
            applicant_name=f"Người nộp {number}", unit=unit, province=province, agency=agency,
            received_at=received, received_on=day, start_on=day, days=proc.days, due_on=due,
            status=DossierStatus.RESOLVED if resolved else DossierStatus.RECEIVED, outcome="granted" if resolved else "",
            resolved_on=resolved, resolved_at=timezone.make_aware(dt.datetime.combine(resolved, dt.time(15)))
            if resolved else None))
    now = timezone.now()
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    for row in rows:
        row.created_at = row.updated_at = now
    with transaction.atomic():  # the project's set-based insert (COPY on PostgreSQL), not bulk_create
        insert_rows(Dossier, [str(f.column) for f in fields],
                    ([f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] for row in rows))
    return len(rows)


def _time(function: Any, runs: int) -> tuple[float, float, int, Any]:
    times: list[float] = []
    result = None
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    for _ in range(runs - 1):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), len(queries), result


class Command(BaseCommand):
    help = "Benchmark of procedure dossiers: due dates set-based, on-time rates (internal, for `ansinh bench`)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Province code.")
        parser.add_argument("--dossiers", type=int, default=DOSSIERS)
        parser.add_argument("--runs", type=int, default=RUNS)

    def handle(self, *args: Any, **options: Any) -> None:
        from ansinh.procedures import due
        from ansinh.procedures.models import Dossier, DossierEvent

        province = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE, code=options["unit"]).first()
        if province is None:
            raise CommandError(f"--unit {options['unit']}: no province with this code on the current map.")
        runs = max(1, options["runs"])
        mine = Dossier.objects.filter(code__startswith=PREFIX)
        DossierEvent.objects.filter(dossier__in=mine).delete()
        mine.delete()
        started = time.perf_counter()
        made = setup(province, options["dossiers"])
        setup_s = time.perf_counter() - started
        expected = dict(mine.order_by("pk").values_list("pk", "due_on")[:2000])
        compute_median, compute_max, compute_queries, computed = _time(lambda: due.compute_due_dates(mine), runs)
        computed_wrong = sum(1 for pk, day in expected.items() if computed.get(pk) != day)
        times: list[float] = []
        due_queries = updated = 0
        for run in range(runs):  # every run recomputes every date (they are scrambled first, not timed)
            mine.update(due_on=dt.date(2000, 1, 1))
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                updated = due.recompute_due_dates(mine)
                times.append(time.perf_counter() - started)
            due_queries = len(queries) if run == 0 else due_queries
        due_median, due_max = statistics.median(times), max(times)
        got = dict(mine.filter(pk__in=list(expected)).values_list("pk", "due_on"))
        wrong = sum(1 for pk, day in expected.items() if got.get(pk) != day)
        first, last = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
        scoped = Dossier.objects.filter(province=province)

        def rates() -> tuple[int, int]:
            return (len(due.on_time_rates(scoped, by="agency", first=first, last=last)),
                    len(due.on_time_rates(scoped, by="unit", first=first, last=last)))

        rate_median, rate_max, rate_queries, (agencies, communes) = _time(rates, runs)
        mine.delete()
        self.stdout.write(
            f"procedures: {format_number(made)} dossiers of 2025 in {province.name} (setup {setup_s:.1f} s); "
            f"due dates of all computed set-based {compute_median:.2f} s median, {compute_max:.2f} s max "
            f"({format_number(len(computed))} dates, {compute_queries} queries, {computed_wrong} of {len(expected)} "
            f"checked differ from the calendar; goal ≤ {GOALS['due']:.0f} s); computed and stored (every row "
            f"rewritten) {due_median:.2f} s median, {due_max:.2f} s max ({format_number(updated)} rows, "
            f"{due_queries} queries, {wrong} differ); on-time rates by {agencies} agencies and {communes} units {rate_median:.2f} s median, "
            f"{rate_max:.2f} s max ({rate_queries} queries; goal ≤ {GOALS['rates']:.0f} s); load {_load()}")
        self.stdout.write("bench-data: " + json.dumps({
            "dossiers": made, "compute_median": compute_median, "compute_wrong": computed_wrong,
            "due_median": due_median, "due_max": due_max, "due_wrong": wrong,
            "rates_median": rate_median, "rates_max": rate_max}))


def measure(env: dict[str, str], province: str) -> list[str]:
    """For `ansinh bench`: this benchmark in its own process, on the bench database."""
    from ansinh.geo.management.commands.bench import run_child, split_data

    if not enabled():
        return ["procedures: skipped (ANSINH_BENCH_PROCEDURES=0)"]
    child = run_child(["bench_procedures", "--unit", province], env)
    text, _ = split_data(child.output)
    return [f"{text}; peak RSS {child.rss:.0f} MiB"]
