"""`ansinh bench_labour`: the labour figures of `ansinh bench` (issue 13, Performance), one step at a
time (each in its own process when run by `ansinh bench`; ANSINH_BENCH_LABOUR=0 skips them):

1. `setup` (not a goal): 100.000 placements, 50.000 enrolments and 20.000 unemployment dossiers
   granted in a year, bulk-created for working-age members of the province's demo register.
2. `figures`: every labour indicator for the province and each of its communes (`plans.results`,
   the registries' GROUP BYs), median of 3 runs — goal ≤ 1 s.
3. `import`: 50.000 placement rows of people of the register through the placements import (the
   same function as the page and the CLI), with rows/s and peak Python memory (tracemalloc) — goal
   ≤ 20 s; the rows are deleted afterwards so the step can run again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import statistics
import time
import tracemalloc
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member

LABOUR_CODES = ["jobs_created", "jobs_added", "overseas_workers", "employed_regularly", "job_counselling",
                "job_fairs", "unemployment_dossiers", "unemployment_amount", "trained_workers",
                "trained_labour_rate", "certified_labour_rate", "foreign_workers"]
GOALS = {"figures": 1.0, "import": 20.0}
YEAR = 2025
IMPORT_YEAR = 2024  # the imported rows fall in another year than the setup's, and are deleted after
SIZES = {"placements": 100_000, "enrolments": 50_000, "dossiers": 20_000, "import": 50_000}


def enabled() -> bool:
    return os.environ.get("ANSINH_BENCH_LABOUR", "1").strip().lower() not in {"0", "false", "no", "off"}


def measure(env: dict[str, str], province: str) -> list[str]:
    """The labour figures on a database holding the province's demo register: each step in its own
    process. Returns the lines to print."""
    from ansinh.geo.management.commands.bench import run_child, split_data

    if not enabled():
        return ["labour: skipped (ANSINH_BENCH_LABOUR=0)"]
    lines = []
    for step in ("setup", "figures", "import"):
        child = run_child(["bench_labour", step, "--unit", province], env)
        text, _ = split_data(child.output)
        lines.append(f"{text}; peak RSS {child.rss:.0f} MiB")
    return lines


def _people(province: Unit, limit: int) -> list[tuple[int, int, str, str, dt.date]]:
    """(member id, commune id, citizen ID, name, birth date) of working-age living members, in id order."""
    born_after, born_before = dt.date(YEAR - 60, 1, 1), dt.date(YEAR - 16, 1, 1)
    rows = (Member.objects.filter(household__commune__path__startswith=province.path, citizen_id__isnull=False,
                                  birth_date__gt=born_after, birth_date__lt=born_before)
            .exclude(citizen_id="").order_by("pk")
            .values_list("pk", "household__commune_id", "citizen_id", "full_name", "birth_date")[:limit])
    return [(pk, commune, citizen_id or "", name, birth) for pk, commune, citizen_id, name, birth in rows]


def setup(province: Unit, sizes: dict[str, int]) -> dict[str, Any]:
    """Bulk-creates the year's records (replacing an earlier setup's)."""
    from ansinh.labour.models import (Course, Enrolment, Placement, PlacementChannel, ProviderKind, TrainingField,
                                      TrainingLevel, TrainingProvider, UnemploymentDossier, UnemploymentRule)

    started = time.perf_counter()
    people = _people(province, max(sizes["placements"], 5000))
    if len(people) < 1000:
        raise CommandError(f"{province.name}: sổ hộ có quá ít người trong độ tuổi lao động ({len(people)}); chạy "
                           "`ansinh demo generate` trước.")
    under = province.path
    with transaction.atomic():
        Placement.objects.filter(commune__path__startswith=under, placed_on__year=YEAR, note="bench").delete()
        Enrolment.objects.filter(commune__path__startswith=under, course__occupation__startswith="Bench ").delete()
        Course.objects.filter(occupation__startswith="Bench ").delete()
        UnemploymentDossier.objects.filter(commune__path__startswith=under, note="bench").delete()
        channels = [c.value for c in PlacementChannel if c != PlacementChannel.ABROAD]
        placements = []
        for k in range(sizes["placements"]):
            pid, commune, *_ = people[k % len(people)]
            placements.append(Placement(person_id=pid, commune_id=commune, note="bench", new_job=k % 3 == 0,
                                        placed_on=dt.date(YEAR, 1, 1) + dt.timedelta(days=(k // len(people)) * 7
                                                                                      + k % 7),
                                        channel=channels[k % len(channels)]))
        Placement.objects.bulk_create(placements, batch_size=5000)
        provider = TrainingProvider.objects.filter(name="Bench provider").first() or TrainingProvider.objects.create(
            name="Bench provider", kind=ProviderKind.PUBLIC, unit=province, search_name="bench provider")
        levels = list(TrainingLevel.objects.filter(valid_from__lte=dt.date(YEAR, 1, 1)))
        courses = Course.objects.bulk_create([
            Course(provider=provider, occupation=f"Bench {n}", level=levels[n % len(levels)],
                   field=TrainingField.NON_FARM if n % 3 else TrainingField.FARM, unit=province,
                   starts_on=dt.date(YEAR, 1 + n % 12, 1)) for n in range(20)])
        per_course = -(-sizes["enrolments"] // len(courses))
        enrolments = [Enrolment(course=courses[k // per_course], person_id=people[k % per_course][0],
                                commune_id=people[k % per_course][1], enrolled_on=courses[k // per_course].starts_on)
                      for k in range(sizes["enrolments"])]
        Enrolment.objects.bulk_create(enrolments, batch_size=5000)
        rule = UnemploymentRule.objects.filter(valid_from__lte=dt.date(YEAR, 1, 1)).order_by("-valid_from").first()
        dossiers = []
        for k in range(sizes["dossiers"]):
            pid, commune, *_ = people[k % len(people)]
            received = dt.date(YEAR, 1, 1) + dt.timedelta(days=k % 340)
            dossiers.append(UnemploymentDossier(
                person_id=pid, commune_id=commune, note="bench", received_on=received, employer_name="Bench",
                region=3, contract_end=received - dt.timedelta(days=10), months_contributed=24,
                average_salary=6_000_000, state="granted", rule=rule, decided_on=received + dt.timedelta(days=14),
                monthly_amount=3_600_000, benefit_months=3, total_amount=10_800_000))
        UnemploymentDossier.objects.bulk_create(dossiers, batch_size=5000)
    return {"placements": len(placements), "enrolments": len(enrolments), "dossiers": len(dossiers),
            "seconds": time.perf_counter() - started}


def figures(province: Unit, runs: int) -> dict[str, Any]:
    """Every labour indicator for the province and its communes: median of `runs` computations."""
    from ansinh.plans import results
    from ansinh.plans.periods import Period

    period = Period.parse(str(YEAR))
    times, queries = [], 0
    computed = None
    for _ in range(runs):
        start_queries = len(connection.queries)
        started = time.perf_counter()
        computed = results.compute(province, period, None, with_previous=False)
        times.append(time.perf_counter() - started)
        queries = len(connection.queries) - start_queries
    assert computed is not None
    communes = [n for n in computed.nodes.values() if n.level == Level.COMMUNE]
    counted = [c for c in LABOUR_CODES if computed.source(province.pk, c) == "counted"]
    values = {c: computed.value(province.pk, c) for c in LABOUR_CODES}
    return {"median": statistics.median(times), "runs": runs, "communes": len(communes), "counted": counted,
            "values": values, "queries": queries}


def import_placements_rows(province: Unit, size: int) -> dict[str, Any]:
    from ansinh.accounts.audit import Actor
    from ansinh.labour.models import Placement
    from ansinh.labour.placements_import import import_placements

    people = _people(province, size)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Họ và tên", "Ngày sinh", "Số CCCD", "Ngày giải quyết việc làm", "Hình thức",
                     "Người sử dụng lao động", "Mã số thuế", "Việc làm tăng thêm", "Ghi chú"])
    for k in range(size):
        _pid, _commune, citizen_id, name, birth = people[k % len(people)]
        day = dt.date(IMPORT_YEAR, 1, 1) + dt.timedelta(days=(k // len(people)) * 5 + k % 5)
        writer.writerow([name, birth.strftime("%d/%m/%Y"), citizen_id, day.strftime("%d/%m/%Y"),
                         "Doanh nghiệp", "Công ty Bench", "", "Có" if k % 3 == 0 else "", "bench-import"])
    data = out.getvalue().encode("utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    result = import_placements(actor=Actor.system(), data=data, filename="bench.csv", province=province)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    Placement.objects.filter(commune__path__startswith=province.path, placed_on__year=IMPORT_YEAR,
                             note="bench-import").delete()
    return {"rows": size, "created": result.created, "seconds": seconds, "rows_per_s": size / seconds,
            "peak_mib": peak / 2**20}


class Command(BaseCommand):
    help = "Internal: the labour figures of `ansinh bench`, one step at a time."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="step", required=True)
        for name in ("setup", "figures", "import"):
            step = sub.add_parser(name)
            step.add_argument("--unit", required=True, help="Code of a province of the current map.")
            step.add_argument("--runs", type=int, default=3)
            for key, value in SIZES.items():
                step.add_argument(f"--{key}", type=int, default=value)

    def handle(self, *args: Any, **options: Any) -> None:
        province = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE, code=options["unit"]).first()
        if province is None:
            raise CommandError(f"Không có tỉnh mã {options['unit']} trên bản đồ hiện hành.")
        sizes = {key: max(1, int(options[key])) for key in SIZES}
        load = os.getloadavg()[0]
        step = options["step"]
        if step == "setup":
            data = setup(province, sizes)
            text = (f"labour setup (not a goal): {data['placements']:,} placements, {data['enrolments']:,} "
                    f"enrolments, {data['dossiers']:,} dossiers in {YEAR}: {data['seconds']:.1f} s")
        elif step == "figures":
            data = figures(province, max(1, int(options["runs"])))
            verdict = "met" if data["median"] <= GOALS["figures"] else "MISSED"
            text = (f"labour figures: every labour indicator for {province.name} and its {data['communes']} "
                    f"communes, {YEAR}: median {data['median']:.3f} s of {data['runs']} (goal ≤ "
                    f"{GOALS['figures']:.0f} s: {verdict}); counted: {len(data['counted'])} of "
                    f"{len(LABOUR_CODES)} indicators; {data['queries']} queries")
        else:
            data = import_placements_rows(province, sizes["import"])
            verdict = "met" if data["seconds"] <= GOALS["import"] else "MISSED"
            text = (f"labour import: {data['rows']:,} placement rows in {data['seconds']:.1f} s "
                    f"({data['rows_per_s']:,.0f} rows/s; goal ≤ {GOALS['import']:.0f} s: {verdict}), "
                    f"peak Python memory {data['peak_mib']:.0f} MiB")
        self.stdout.write(f"{text} (load {load:.1f})")
        self.stdout.write("bench-data: " + json.dumps(data, default=str))
