"""`ansinh bench_poverty STEP`: the households figures of `ansinh bench`, one step per call.

Internal: `ansinh bench` runs each step in its own process, so that the process's wall time and
peak memory are the step's own. Each step prints its figures, then one line `bench-data: {json}`
that `ansinh bench` reads for the extrapolations and strips from what it prints.

  engine  --households 300000,1000000   the engine alone on synthetic arrays (no database reads)
  round   --unit CODE --year Y           open and run a round through the services, timed inside
  summary --unit CODE --year Y           the province's summary tables of a round, 10 runs
  naive   --unit CODE --year Y           the baseline: one ORM object at a time, on a sample

`ansinh bench` times rounds with `ansinh poverty review run` itself; `round` is for profiling
(`python -m cProfile -m ansinh.cli bench_poverty round …`) and for the smoke test.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ansinh.accounts.audit import Actor
from ansinh.poverty import access
from ansinh.accounts.models import Role, User
from ansinh.accounts.services import user_create
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import (
    EDUCATION_RANK,
    HYGIENIC_LATRINES,
    NEED_FIELDS,
    SAFE_WATER,
    SCHOOLING_RANK,
    Household,
    IncomeMethod,
    LivingConditions,
    Member,
)
from ansinh.poverty import engine, facts, figures, services
from ansinh.poverty.models import Assessment, PovertyStatus, ReviewRound, RoundKind

STANDARD = "2022-2025"  # the standard of the 2024 and 2025 periodic reviews (12 indicators)
MEMBERS_PER_HOUSEHOLD = 3.6  # 2019 census: 3.6 people per household
SUMMARY_RUNS = 10
NAIVE_SAMPLE = 2_000
BENCH_USER = "bench-tinh"


def emit(out: Any, **data: Any) -> None:
    out.write("bench-data: " + json.dumps(data))


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    """The shortest of a few runs: the figure least disturbed by the rest of the machine."""
    best = math.inf
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f} households/s" if seconds > 0 else "∞ households/s"


# --- Synthetic facts, for the engine alone -----------------------------------------------------


def synthetic_frames(n: int, seed: int = 1) -> tuple[facts.Members, facts.Households]:
    """Members and Households frames of n households with plausible shares of each fact.

    Sizes 1–8 averaging about MEMBERS_PER_HOUSEHOLD; ages over 0–90 years; a tenth without
    health insurance, a fifth unemployed or without a contract, and so on: enough variety that
    every rule does its full work, without any database.
    """
    rng = np.random.default_rng(seed)
    size = np.clip(rng.poisson(MEMBERS_PER_HOUSEHOLD - 1, n) + 1, 1, 8).astype(np.int64)
    hh = np.repeat(np.arange(n, dtype=np.int64), size)
    m = len(hh)

    def share(p: float, k: int) -> np.ndarray:
        return rng.random(k) < p

    members = facts.Members(
        hh=hh, age_months=rng.integers(0, 90 * 12, m).astype(np.int64), female=share(0.5, m),
        employment=rng.integers(0, len(facts.EMPLOYMENT_CODES), m).astype(np.int64),
        disability=np.where(share(0.05, m), rng.integers(1, len(facts.DISABILITY_CODES), m), 0).astype(np.int64),
        schooling=rng.integers(-1, 5, m).astype(np.int64), education=rng.integers(0, 5, m).astype(np.int64),
        bools={"health_insurance": share(0.9, m), "in_training": share(0.05, m), "can_work": share(0.7, m),
               "pension": share(0.05, m), "social_allowance": share(0.05, m), "meritorious": share(0.02, m),
               "stunted": share(0.03, m), "underweight": share(0.03, m), "uses_internet": share(0.7, m),
               "sick_untreated": share(0.03, m)},
        ids=np.arange(m, dtype=np.int64),
    )
    households = facts.Households(
        ids=np.arange(1, n + 1, dtype=np.int64), urban=share(0.35, n), size=size,
        income=rng.lognormal(np.log(3_000_000), 0.8, n), has_conditions=np.ones(n, dtype=bool),
        housing=rng.integers(0, len(facts.HOUSING_CODES), n).astype(np.int64),
        floor_area=rng.uniform(10, 120, n).round(1), water_safe=share(0.9, n), latrine_hygienic=share(0.85, n),
        bools={name: share(0.1 if name.startswith("needs_") else 0.8, n) for name in facts.CONDITION_BOOLS},
    )
    return members, households


def bench_engine(out: Any, sizes: list[int]) -> None:
    spec = engine.spec_by_code(STANDARD)
    k = len(spec.indicators)
    on = dt.date(2025, 12, 14)
    data = {}
    for n in sizes:
        rng = np.random.default_rng(n)
        urban = rng.random(n) < 0.35
        income = rng.lognormal(np.log(3_000_000), 0.8, n)
        flags = (rng.random((n, k)) < 0.15).astype(np.uint8)

        def classify() -> None:
            engine.classify(spec, urban=urban, income=income, flags=flags)
            engine.masks(flags)

        seconds = best_of(classify)
        out.write(f"engine classify + masks, {n:,} households × {k} indicators: {seconds * 1000:.0f} ms, "
                  f"{per_second(n, seconds)} (best of 3)")
        members, households = synthetic_frames(n)
        flag_seconds = best_of(lambda: facts.compute_flags(spec, members, households, on))
        out.write(f"facts.compute_flags, {n:,} households ({len(members):,} members): {flag_seconds * 1000:.0f} ms, "
                  f"{per_second(n, flag_seconds)} (best of 3)")
        data[n] = {"classify": seconds, "flags": flag_seconds}
    emit(out, engine=data)


# --- Rounds on a database ------------------------------------------------------------------------


def unit_by_code(code: str) -> Unit:
    unit = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE], code=code).first()
    if unit is None:
        raise CommandError(f"Không có tỉnh hoặc xã mã {code} trên bản đồ hiện hành.")
    return unit


def periodic_round(unit: Unit, year: int) -> ReviewRound:
    found = ReviewRound.objects.filter(unit=unit, year=year, kind=RoundKind.PERIODIC).first()
    if found is None:
        raise CommandError(f"Chưa mở kỳ rà soát năm {year} của {unit.name}.")
    return found


def bench_round(out: Any, unit: Unit, year: int) -> None:
    round_ = services.review_round_open(actor=Actor.system(), unit=unit, year=year)
    started = time.perf_counter()
    count = services.review_round_run(round=round_, actor=Actor.system())
    seconds = time.perf_counter() - started
    with_previous = Assessment.objects.filter(round=round_).exclude(previous_status="").count()
    out.write(f"review round {year} of {unit.name}: {count:,} households in {seconds:.2f} s "
              f"({per_second(count, seconds)}); {with_previous:,} with a status in the previous round")
    emit(out, households=count, seconds=seconds)


def bench_summary(out: Any, unit: Unit, year: int) -> None:
    """The round's tables by commune as the province's officer sees them (scoped, as the page does)."""
    round_ = periodic_round(unit, year)
    user = User.objects.filter(username=BENCH_USER).first() or user_create(
        username=BENCH_USER, password="bench-only-not-a-real-password-2026", role=Role.PROVINCIAL_OFFICER,
        unit=unit, field="poverty", full_name="Bench")
    spec = engine.spec_for(round_.standard)
    samples = []
    rows: list[figures.Row] = []
    total = figures.Row(unit_id=None, name="")
    for _ in range(SUMMARY_RUNS):
        started = time.perf_counter()
        rows, total = figures.summary(access.assessments_for_user(user).filter(round=round_), spec)
        samples.append(time.perf_counter() - started)
    samples.sort()
    median, p95 = statistics.median(samples), samples[math.ceil(0.95 * len(samples)) - 1]
    out.write(f"summary tables of {unit.name} ({len(rows)} communes, {total.households:,} households): "
              f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms ({SUMMARY_RUNS} runs)")
    emit(out, median=median, p95=p95)


# --- The naive baseline --------------------------------------------------------------------------


def _age_months(born: dt.date, on: dt.date) -> int:
    return (on.year - born.year) * 12 + (on.month - born.month) - (on.day < born.day)


def one_household_frames(household: Household, members: list[Member], conditions: LivingConditions | None,
                         on: dt.date, region: str) -> tuple[facts.Members, facts.Households]:
    """The frames of one household built from its ORM objects, the way a per-object loop would."""
    def ints(values: list[int]) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    m = facts.Members(
        hh=ints([0] * len(members)), age_months=ints([_age_months(x.birth_date, on) for x in members]),
        female=np.array([x.sex == "female" for x in members], dtype=bool),
        employment=ints([facts.EMPLOYMENT_CODES.get(x.employment, 0) for x in members]),
        disability=ints([facts.DISABILITY_CODES.get(x.disability, 0) for x in members]),
        schooling=ints([SCHOOLING_RANK.get(x.schooling, -1) for x in members]),
        education=ints([EDUCATION_RANK.get(x.education, 0) for x in members]),
        bools={name: np.array([bool(getattr(x, name)) for x in members], dtype=bool) for name in facts.MEMBER_BOOLS},
        ids=ints([x.pk for x in members]),
    )
    c = conditions
    income = float(c.income_per_capita) if c is not None and c.income_per_capita is not None else math.nan
    h = facts.Households(
        ids=ints([household.pk]), urban=np.array([household.area == "urban"]), size=ints([len(members)]),
        income=np.array([income]), has_conditions=np.array([c is not None]),
        housing=ints([facts.HOUSING_CODES.get(c.housing, 0) if c else 0]),
        floor_area=np.array([float(c.floor_area) if c else 0.0]),
        water_safe=np.array([c is None or c.water_source in SAFE_WATER]),
        latrine_hygienic=np.array([c is None or c.latrine in HYGIENIC_LATRINES]),
        bools={name: np.array([bool(getattr(c, name)) if c else False]) for name in facts.CONDITION_BOOLS},
        b1=[(c.b1_answers or {}) if c else {}], b2=[(c.b2_flags or {}) if c else {}], region=[region],
    )
    return m, h


def assess_one(pk: int, *, round_: ReviewRound, spec: engine.StandardSpec, tables: dict[str, dict[str, Any]],
               region: str) -> Assessment:
    """One household, one object at a time: load it, its members and conditions, classify, save."""
    on, year = round_.reference_date, round_.year
    household = Household.objects.get(pk=pk)
    members = [x for x in household.members.all()
               if x.birth_date <= on and (x.died_on is None or x.died_on > on) and (x.left_on is None or x.left_on > on)]
    conditions = household.conditions.filter(year__lte=year).order_by("-year").first()
    m, h = one_household_frames(household, members, conditions, on, region)
    flags = facts.compute_flags(spec, m, h, on)
    income, estimated = facts.estimate_income(h, tables)
    counts, status = engine.classify(spec, urban=h.urban, income=income, flags=flags.matrix)
    mask = int(engine.masks(flags.matrix)[0])
    previous = ""
    ever_poor = False
    if round_.previous_id:
        previous = Assessment.objects.filter(round_id=round_.previous_id, household=household).values_list(
            "status", flat=True).first() or ""
        ever_poor = Assessment.objects.filter(household=household, status=PovertyStatus.POOR,
                                              round__kind=RoundKind.PERIODIC,
                                              round__year__lt=round_.previous.year if round_.previous else year).exists()
    previous_code = np.array([engine.STATUS_INDEX[previous] if previous else -1])
    transition = engine.transitions(previous_code, status, np.array([ever_poor]))[0]
    code = int(status[0])
    assessment = Assessment(
        round=round_, household=household, commune_id=household.commune_id, hamlet_id=household.hamlet_id,
        area=household.area, head_ethnicity=household.head_ethnicity, size=len(members),
        income_per_capita=Decimal(round(float(income[0]))),
        income_method=IncomeMethod.ESTIMATED if estimated[0] else IncomeMethod.DECLARED,
        deprivations=mask, deprivation_count=int(counts[0]), status=engine.STATUS_VALUES[code],
        previous_status=previous, transition=transition,
        no_working_capacity=not any(x.can_work for x in members), has_meritorious=any(x.meritorious for x in members),
        social_protection=any(x.social_allowance for x in members),
        needs=sum(1 << i for i, name in enumerate(NEED_FIELDS) if conditions and getattr(conditions, name)),
    )
    assessment.save()
    return assessment


def bench_naive(out: Any, unit: Unit, year: int, sample: int) -> None:
    """The baseline: a sample of the round's households classified again, one at a time.

    Their results in the round are deleted first (not timed), then each is loaded, classified
    and saved on its own, so the round ends as it was if the loop agrees with the engine. All in
    one transaction, which is kind to the baseline (no commit per household).
    """
    round_ = periodic_round(unit, year)
    ids = np.fromiter(Assessment.objects.filter(round=round_).values_list("household_id", flat=True), dtype=np.int64)
    chosen = sorted(np.random.default_rng(year).choice(ids, size=min(sample, len(ids)), replace=False).tolist())
    spec = engine.spec_for(round_.standard)
    tables = services._scoring_tables(round_.standard)
    province = unit.province()
    region = facts.region_of(province.code) if province else ""
    with transaction.atomic():
        Assessment.objects.filter(round=round_, household_id__in=chosen).delete()
        started = time.perf_counter()
        for pk in chosen:
            assess_one(pk, round_=round_, spec=spec, tables=tables, region=region)
        seconds = time.perf_counter() - started
    out.write(f"naive loop (one ORM object at a time, .save() each), {len(chosen):,} households of {unit.name}: "
              f"{seconds:.2f} s, {per_second(len(chosen), seconds)}; 1,000,000 households would take "
              f"≈ {1_000_000 / len(chosen) * seconds / 60:.0f} min")
    emit(out, households=len(chosen), seconds=seconds)


class Command(BaseCommand):
    help = "Internal: the households figures of `ansinh bench`, one step at a time."
    requires_system_checks: list[str] = []  # startup is not what is measured

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="step", required=True)
        engine_parser = sub.add_parser("engine")
        engine_parser.add_argument("--households", default="300000,1000000")
        for name in ("round", "summary", "naive"):
            step = sub.add_parser(name)
            step.add_argument("--unit", required=True)
            step.add_argument("--year", type=int, required=True)
            if name == "naive":
                step.add_argument("--sample", type=int, default=NAIVE_SAMPLE)

    def handle(self, *args: Any, **options: Any) -> None:
        step = options["step"]
        if step == "engine":
            try:
                sizes = [int(size) for size in str(options["households"]).split(",") if size.strip()]
            except ValueError:
                raise CommandError("--households: các số hộ, cách nhau bởi dấu phẩy (vd. 300000,1000000).") from None
            bench_engine(self.stdout, sizes)
            return
        unit = unit_by_code(options["unit"])
        year = options["year"]
        if step == "round":
            bench_round(self.stdout, unit, year)
        elif step == "summary":
            bench_summary(self.stdout, unit, year)
        else:
            bench_naive(self.stdout, unit, year, options["sample"])
