"""The reconciliation bench: a small run here (the figures of `ansinh bench` come from a demo
province); a 50,000-line run when ANSINH_BENCH_SETTLE_LINES asks for it."""

from __future__ import annotations

import os

import pytest

from ansinh.benefits.tests.pages_setup import more_disabled
from ansinh.payments.bench_settle import bench_reconcile
from ansinh.payments.models import Payroll, PayrollLine

from . import settle_setup as s

pytestmark = pytest.mark.django_db


def test_it_times_a_result_file_and_cleans_up(db) -> None:  # type: ignore[no-untyped-def]
    world = s.world()
    more_disabled(5)
    lines = int(os.environ.get("ANSINH_BENCH_SETTLE_LINES", "300"))
    figures = bench_reconcile(world.ben.disability.commune, runs=2, lines=lines)
    print("bench_reconcile", figures)
    assert figures["lines"] == lines and figures["runs"] == 2 and figures["reconciled"]
    assert figures["median_s"] > 0 and figures["goal_s"] == 5.0
    assert not Payroll.objects.filter(note="bench_reconcile").exists() and not PayrollLine.objects.exists()
