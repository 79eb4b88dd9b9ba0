"""The package step of `ansinh bench` (issue 12, Performance): a package of 300.000 đồng for every
near-poor household of a province — the list read from the review round in force, one line per
household with its head, `also_in` against the other Tết packages, the bulk insert, the totals and
the audit, committed — goal ≤ 1 s at 300,000 households.

`bench_package(unit, runs)` creates the package `runs` times (a new name each run, so that each
builds its list rather than finding the last one by its key), deletes each after timing it, and
times once more the creation of a package that exists (what a second click costs). Called by the
payroll lane's `bench_payments package --unit CODE` when present.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.households.models import Household
from ansinh.lib.vietnamese import format_number

from .models import Package, PackageLine
from .packages import TierSpec, create_package

GOAL = 1.0  # seconds, at 300,000 households
ON = dt.date(2026, 1, 20)


def _tier() -> TierSpec:
    return TierSpec(name="300.000 đồng/hộ", rule="household_status", params={"statuses": ["near_poor"]},
                    per="household", local=300_000)


def _drop(package: Package) -> None:
    """Removes a bench package (its lines first: a line's tier is protected)."""
    PackageLine.objects.filter(package=package).delete()
    Package.objects.filter(pk=package.pk).delete()


def _decided_round(unit: Unit) -> None:
    """Setup, not timed: `ansinh bench` classifies the province's review rounds but decides none, and
    a package needs a decided round in force on its date. The demo's rounds are then recorded
    step by step and last year's decided (`poverty.demo_rounds`), as `make demo` does."""
    from ansinh.poverty.demo_rounds import demo_rounds

    from .packages import rounds_in_force

    if not rounds_in_force(unit, ON):
        demo_rounds(province=unit, year=ON.year - 1, write=lambda _text: None)


def bench_package(unit: Unit, runs: int = 5) -> dict[str, Any]:
    """Times the package of every near-poor household of `unit` (see the module's docstring)."""
    _decided_round(unit)
    households = Household.objects.filter(commune__path__startswith=unit.path).count()
    samples: list[float] = []
    cpu: list[float] = []  # this process's CPU time (SQLite runs in it): what a quiet machine would take, about
    recipients = total = queries = 0
    for run in range(max(1, runs)):
        name = f"Bench: quà Tết hộ cận nghèo (lần {run + 1}, {time.time_ns()})"
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            package, created = create_package(name=name, purpose="tet", field="poverty", unit=unit, on=ON,
                                              tiers=[_tier()], actor=Actor.system())
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert created
        recipients, total, queries = package.recipients, package.total, len(captured.captured_queries)
        if run < runs - 1:
            _drop(package)
    started = time.perf_counter()
    again, created = create_package(name=package.name, purpose="tet", field="poverty", unit=unit, on=ON,
                                    tiers=[_tier()], actor=Actor.system())
    repeat = time.perf_counter() - started
    assert not created and again.pk == package.pk
    _drop(package)
    median, worst = statistics.median(samples), max(samples)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    line = (f"packages: a package of every near-poor household ({unit.name}, {format_number(households)} households): "
            f"{format_number(recipients)} lines, {format_number(total)} đồng, {queries} queries; median "
            f"{format_number(median, 2)} s, max {format_number(worst, 2)} s over {len(samples)} runs (CPU median "
            f"{format_number(statistics.median(cpu), 2)} s); created again "
            f"{format_number(repeat, 3)} s (no line added); load {load}; goal ≤ {GOAL:g} s: "
            f"{'met' if median <= GOAL else 'NOT met'}")
    return {"step": "package", "households": households, "recipients": recipients, "total": total,
            "queries": queries, "median": median, "cpu": statistics.median(cpu), "max": worst, "again": repeat, "runs": len(samples), "goal": GOAL,
            "met": median <= GOAL, "load": load, "line": line}
