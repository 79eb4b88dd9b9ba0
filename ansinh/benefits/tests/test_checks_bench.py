"""The people-served steps of `ansinh bench`, at a tiny size, so the bench code cannot silently rot.
No time is asserted: only that each step measures what it says and prints the line `ansinh bench`
shows, with the goal met or not."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from ansinh.benefits.management.commands import bench_benefits
from ansinh.geo.management.commands.bench import split_data
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import demo
from ansinh.poverty import services as household_services

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VERDICT = r"goal ≤ \d s: (met|NOT met)"


def run(*args: str) -> tuple[str, dict]:
    out = io.StringIO()
    call_command("bench_benefits", *args, stdout=out)
    return split_data(out.getvalue())


@pytest.fixture
def province():  # type: ignore[no-untyped-def]
    """Vĩnh Long with 400 demo households, their people served, and the 2024 and 2025 rounds."""
    unit = Unit.objects.get(edition=Edition.CURRENT, level=Level.PROVINCE, code="86")
    demo.generate(province=unit, households=400, seed=1, year=2025)
    for year in (2024, 2025):
        round_ = household_services.review_round_open(actor=None, unit=unit, year=year)
        household_services.review_round_run(round=round_, actor=None)
    return unit


def test_it_times_every_step(province) -> None:  # type: ignore[no-untyped-def]
    text, data = run("amounts", "--unit", "86", "--month", "2026-06", "--runs", "1")
    assert re.search(rf"^people served: amount of every entitlement for the month \(Tỉnh Vĩnh Long, 400 households, "
                     rf"month 06/2026\): [\d.]+ entitlements open, .*{VERDICT}", text), text
    assert data["entitlements"] > 0 and data["goal"] == 1.0
    text, data = run("lists", "--unit", "86", "--month", "2026-06", "--runs", "1")
    assert "eligible but unpaid" in text and "paid but no longer eligible" in text and re.search(VERDICT, text)
    assert data["goal"] == 2.0 and data["eligible"] >= 0
    text, data = run("figures", "--unit", "86", "--month", "2026-06", "--runs", "1")
    assert "counted figures of 2026-Q2" in text and re.search(VERDICT, text) and data["median"] > 0


def test_it_refuses_a_bad_province_or_month() -> None:
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        run("amounts", "--unit", "99")
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("lists", "--unit", "86", "--month", "06/2026")


def test_it_is_skipped_on_demand(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANSINH_BENCH_BENEFITS", "0")
    assert bench_benefits.measure({}, "86") == ["people served: skipped (ANSINH_BENCH_BENEFITS=0)"]
    monkeypatch.setenv("ANSINH_BENCH_BENEFITS", "1")
    assert bench_benefits.enabled()
