"""The abroad demo: realistic volumes and shares, placements with departures, permits expiring
within 45 days, deterministic, and `delete` removes only its own rows."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from ansinh.labour import demo_abroad
from ansinh.labour.models import Departure, Employer, ForeignWorker, Placement, WorkPermit
from ansinh.labour.services_foreign import expiring

from .abroad_data import labour  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_generates_the_provinces_abroad_registries(labour: SimpleNamespace, units: Any) -> None:
    from ansinh.accounts.audit import Actor
    from ansinh.households import services as register

    for i, born in enumerate((dt.date(2000, 1, 5), dt.date(2001, 7, 9), dt.date(1995, 3, 3))):
        register.member_add(actor=Actor(user=labour.commune_officer), household=labour.household,
                            full_name=f"Thạch Văn Con {i}", sex="male", birth_date=born, relation="child")
    made = demo_abroad.generate(units.vinh_long, year=2025, seed=1)
    assert made["departures"] == 3  # the members aged 18–35
    assert set(Departure.objects.values_list("destination", flat=True)) <= {"TW", "JP", "KR"}
    assert made["departures"] == Departure.objects.filter(note=demo_abroad.NOTE).count()
    assert made["placements"] == Placement.objects.filter(departure__isnull=False).count() == made["departures"]
    assert made["foreign_workers"] == 1_186 and made["employers"] == 60
    chinese = ForeignWorker.objects.filter(nationality="CN").count()
    assert 0.80 < chinese / 1_186 < 0.90
    assert made["work_permits"] == 1_186 + 30
    soon = expiring(WorkPermit.objects.all(), timezone.localdate()).count()
    assert 10 < soon < 120
    assert all(p.valid_to and p.valid_from and (p.valid_to - p.valid_from).days < 731
               for p in WorkPermit.objects.filter(state="granted"))
    demo_abroad.delete(units.vinh_long)
    assert not Departure.objects.exists() and not ForeignWorker.objects.exists()
    assert not Employer.objects.exists() and not Placement.objects.exists()
