"""The demo's training: providers, courses by level in seed 001's shares, enrolments of working-age
members of the register, completions and certificates; reproducible; deleted for --replace."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.labour import demo_training
from ansinh.labour.models import Course, Enrolment, TrainingProvider
from ansinh.households.models import Household, Member

pytestmark = pytest.mark.django_db


def _register(commune, n: int) -> None:  # type: ignore[no-untyped-def]
    households = Household.objects.bulk_create([Household(code=f"DEMO-T-{i}", commune=commune, area="rural")
                                                for i in range(n)])
    people = [Member(household=h, full_name=f"Người {i}", sex="female" if i % 2 else "male",
                     birth_date=dt.date(1975 + i % 30, 1 + i % 12, 1), relation="head")
              for i, h in enumerate(households)]
    for person in people:
        person.set_derived_fields()
    Member.objects.bulk_create(people)


def test_it_makes_a_year_of_training_from_the_register(units) -> None:
    _register(units.tra_cu, 300)
    made = demo_training.generate(units.vinh_long, year=2025, seed=1)
    assert made["enrolments"] == Enrolment.objects.count() == 98  # a third of 300, in seed 001's shares
    by_level = {code: Enrolment.objects.filter(course__level__code=code).count()
                for code in ("intermediate", "elementary", "under_3_months")}
    assert by_level == {"intermediate": 15, "elementary": 7, "under_3_months": 76}
    assert Enrolment.objects.filter(status="completed").exists()
    assert not Enrolment.objects.filter(course__level__code="under_3_months").exclude(certificate_number="").exists()
    assert Enrolment.objects.exclude(certificate_number="").filter(completed_on__isnull=True).count() == 0
    assert set(Enrolment.objects.values_list("commune_id", flat=True)) == {units.tra_cu.pk}
    demo_training.delete(units.vinh_long)
    assert not Enrolment.objects.exists() and not Course.objects.exists()
    assert not TrainingProvider.objects.exists()
    again = demo_training.generate(units.vinh_long, year=2025, seed=1)
    assert again == made
