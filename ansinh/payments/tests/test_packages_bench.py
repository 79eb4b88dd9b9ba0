"""The package step of `ansinh bench` on a database as the bench leaves it: households generated and
their review rounds classified, none decided. The step decides last year's round first (setup,
not timed), then measures the package of every near-poor household of that round."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ansinh.geo.models import Edition, Unit
from ansinh.payments.bench_packages import ON, bench_package
from ansinh.payments.models import Package
from ansinh.payments.packages import households_of_status, rounds_in_force

pytestmark = pytest.mark.django_db


def test_it_decides_a_round_then_measures_the_package_of_every_near_poor_household(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO = True
    call_command("demo", "generate", "--province", "86", "--households", "300", "--seed", "3", stdout=StringIO())
    province = Unit.objects.get(edition=Edition.CURRENT, code="86")
    assert not rounds_in_force(province, ON)  # as `ansinh bench` leaves it: nothing decided
    data = bench_package(province, runs=1)
    near = households_of_status(province, ON, ["near_poor"]).count()
    assert near and data["recipients"] == near and data["total"] == near * 300_000
    assert rounds_in_force(province, ON) and not Package.objects.exists()
