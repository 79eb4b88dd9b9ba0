"""The households steps of `ansinh bench`, at a tiny size, so the bench code cannot silently rot.

No figure is asserted: only that each step runs and prints what `ansinh bench` reads.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ansinh.geo.management.commands.bench import bench_sizes, review_output, split_data
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import demo
from ansinh.poverty.models import Assessment, ReviewRound, RoundKind

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def run(*args: str) -> tuple[str, dict]:
    out = io.StringIO()
    call_command("bench_poverty", *args, stdout=out)
    return split_data(out.getvalue())


def test_it_runs_every_households_step_on_a_small_province():
    province = Unit.objects.get(edition=Edition.CURRENT, level=Level.PROVINCE, code="86")
    demo.generate(province=province, households=200, seed=1, year=2025)

    text, data = run("engine", "--households", "200")
    assert "households/s" in text and set(data["engine"]["200"]) == {"classify", "flags"}

    _, first = run("round", "--unit", "86", "--year", "2024")
    text, second = run("round", "--unit", "86", "--year", "2025")
    assert first["households"] == second["households"] > 0
    assert "with a status in the previous round" in text

    text, data = run("summary", "--unit", "86", "--year", "2025")
    assert data["p95"] >= data["median"] > 0 and "communes" in text

    round_ = ReviewRound.objects.get(unit=province, year=2025, kind=RoundKind.PERIODIC)
    fields = [f.attname for f in Assessment._meta.concrete_fields if f.attname != "id"]
    before = set(Assessment.objects.filter(round=round_).values_list(*fields))
    text, data = run("naive", "--unit", "86", "--year", "2025", "--sample", "20")
    assert data["households"] == 20 and "1,000,000 households would take" in text
    # The naive loop redid 20 of the round's households and reached the very same results.
    assert set(Assessment.objects.filter(round=round_).values_list(*fields)) == before


def test_it_names_a_unit_that_does_not_exist():
    with pytest.raises(CommandError, match="mã 99999"):
        call_command("bench_poverty", "round", "--unit", "99999", "--year", "2025", stdout=io.StringIO())


def test_it_reads_the_sizes_and_the_review_output():
    assert bench_sizes("") == [300_000, 1_000_000]
    assert bench_sizes("20000") == [20_000]
    with pytest.raises(CommandError, match="ANSINH_BENCH_HOUSEHOLDS"):
        bench_sizes("300k")
    output = "Số hộ đã phân loại: 300.000\nHộ nghèo: 1 hộ (0,0%)\nThời gian: 1.027,3 giây"
    assert review_output(output, 5, 9.0) == (300_000, 1027.3)
    assert review_output("", 5, 9.0) == (5, 9.0)
    text, data = split_data("a\nbench-data: " + json.dumps({"x": 1}) + "\nb")
    assert text == "a\nb" and data == {"x": 1}
