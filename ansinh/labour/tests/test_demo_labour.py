"""`ansinh demo labour`: each registry's demo in the contract's order, skipped when the province has
labour records, replaced with --replace, one audit row; refused outside demo mode."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from ansinh.accounts.models import AuditEvent
from ansinh.households import demo as households_demo
from ansinh.labour.demo import demo_labour
from ansinh.labour.models import Enrolment, Placement, UnemploymentDossier

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_it_makes_a_year_of_every_registry_once_and_replaces_on_demand(units) -> None:  # type: ignore[no-untyped-def]
    households_demo.generate(province=units.vinh_long, households=300, seed=1, year=2025, replace=False,
                             progress=lambda _line: None)
    lines: list[str] = []
    made = demo_labour(province=units.vinh_long, year=2025, seed=1, write=lines.append)
    assert made and Placement.objects.exists() and Enrolment.objects.exists()
    assert UnemploymentDossier.objects.exists()
    assert AuditEvent.objects.filter(action="labour.import", after__demo=True).count() == 1
    placements = Placement.objects.count()
    assert demo_labour(province=units.vinh_long, year=2025, seed=1, write=lines.append) == {}
    assert "đã có dữ liệu lao động" in lines[-1] and Placement.objects.count() == placements
    assert demo_labour(province=units.vinh_long, year=2025, seed=1, replace=True, write=lines.append)
    assert Placement.objects.count() == placements  # same seed, same data, nothing left over


def test_it_refuses_outside_demo_mode_and_a_bad_province(units) -> None:  # type: ignore[no-untyped-def]
    with override_settings(DEMO=False), pytest.raises(CommandError, match="ANSINH_DEMO=1"):
        call_command("demo", "labour", "--province", "86", stdout=io.StringIO())
    with override_settings(DEMO=True), pytest.raises(CommandError, match="không có tỉnh"):
        call_command("demo", "labour", "--province", "99", stdout=io.StringIO())
    with override_settings(DEMO=True), pytest.raises(CommandError, match="--year"):
        call_command("labour", "demo", "--province", "86", "--year", "1990", stdout=io.StringIO())
