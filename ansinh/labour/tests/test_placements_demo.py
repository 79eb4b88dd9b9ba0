"""The demo's placements, counselling and job fairs: drawn from the register, in bulk, deletable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.labour import demo_placements
from ansinh.labour.models import Counselling, CounsellingSession, Placement

from .place_setup import register

pytestmark = pytest.mark.django_db


def test_it_generates_a_year_in_bulk_and_deletes_it(people, units, monkeypatch):  # type: ignore[no-untyped-def]
    register(people, units)
    monkeypatch.setattr(demo_placements, "PLACEMENT_RATE", 2.0)  # a tiny register: several each
    monkeypatch.setattr(demo_placements, "COUNSELLING_RATE", 3.0)
    with CaptureQueriesContext(connection) as queries:
        made = demo_placements.generate(units.vinh_long, year=2025, seed=1)
    assert len(queries) < 30  # set-based: not one query per row
    assert made["placements"] == Placement.objects.count() > 0
    assert made["counselling"] == Counselling.objects.count() == 12
    assert CounsellingSession.objects.filter(kind="job_fair").count() == 8
    assert Counselling.objects.filter(session__kind="job_fair").count() == Counselling.objects.exclude(
        session=None).count()  # the lượt at a fair point to it
    assert not Placement.objects.exclude(placed_on__year=2025).exists()
    assert set(Placement.objects.values_list("commune_id", flat=True)) == {units.tra_cu.pk}
    assert not Placement.objects.filter(channel="abroad").exists()
    assert demo_placements.generate(units.vinh_long, year=dt.date.today().year + 1, seed=1)["placements"] == 0
    demo_placements.delete(units.vinh_long)
    assert not (Placement.objects.exists() or Counselling.objects.exists() or CounsellingSession.objects.exists())
