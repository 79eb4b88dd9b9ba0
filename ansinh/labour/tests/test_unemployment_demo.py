"""The demo unemployment dossiers: drawn from the register, decided by the law, bulk-made."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.labour import demo_unemployment
from ansinh.labour.models import DossierState, JobSearchReport, UnemploymentDossier, WageRegionUnit

from .ui_helpers import communes, member, province

pytestmark = pytest.mark.django_db


def test_it_makes_a_years_dossiers_from_the_register(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    root = province()
    for i, commune in enumerate(communes(root, 3)):
        for n in range(20):
            member(commune, name=f"Người {i} {n}", born=dt.date(1985 + n, 1, 1))
    with django_assert_max_num_queries(60):
        made = demo_unemployment.generate(root, year=2025, seed=1)
    assert made["unemployment_dossiers"] == 60
    assert WageRegionUnit.objects.filter(unit=root, provisional=True).exists()
    dossiers = UnemploymentDossier.objects.filter(commune__path__startswith=root.path)
    assert dossiers.count() == 60 and dossiers.filter(received_on__year=2025).count() == 60
    granted = dossiers.exclude(state__in=[DossierState.RECEIVED, DossierState.REFUSED])
    assert granted.count() >= 45
    average = sum(d.total_amount or 0 for d in granted) / granted.count()
    assert 6_000_000 < average < 14_000_000  # seed 001: 13.747 million đồng for 1.506 dossiers
    assert JobSearchReport.objects.filter(dossier__in=granted).count() >= 3 * granted.count() * 0.8
    again = demo_unemployment.generate(root, year=2025, seed=1)
    assert again["unemployment_dossiers"] == 0  # one dossier a person a year
    demo_unemployment.delete(root)
    assert not UnemploymentDossier.objects.filter(commune__path__startswith=root.path).exists()
