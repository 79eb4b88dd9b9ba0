"""Latency of the map queries every page uses; called by `ansinh bench` in its own process."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand

from ansinh.geo.models import Edition, Level, Unit

ROUNDS = 200


def p95_ms(fn: Callable[[], object]) -> tuple[float, float]:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(ROUNDS * 0.95) - 1]


class Command(BaseCommand):
    help = "Internal: query latency figures for `ansinh bench`."

    def handle(self, *args: Any, **options: Any) -> None:
        on = dt.date(2026, 1, 1)
        province = Unit.objects.get(edition=Edition.CURRENT, code="86")
        legacy = Unit.objects.get(edition=Edition.LEGACY, code="29479")
        cases: list[tuple[str, Callable[[], object]]] = [
            ("units in force on a date, by level", lambda: list(Unit.objects.on(on).filter(level=Level.COMMUNE).values_list("pk"))),
            ("accent-insensitive search 'tra cu'", lambda: list(Unit.objects.on(on).search("tra cu").vietnamese_order()[:200])),
            ("communes of a province (subtree)", lambda: list(Unit.objects.descendants_of(province).values_list("pk"))),
            ("successors of a legacy commune", lambda: list(legacy.successors())),
        ]
        for label, fn in cases:
            median, p95 = p95_ms(fn)
            self.stdout.write(f"{label}: median {median:.2f} ms, p95 {p95:.2f} ms ({ROUNDS} runs)")
