"""Transitions against earlier rounds, read by household-id range; assessments without database
foreign keys still go with their round."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from ansinh.households import services as household_services
from ansinh.poverty import services
from ansinh.poverty.models import Assessment, ReviewRound

from .test_review import make_household, urban_household

pytestmark = pytest.mark.django_db


def conditions(people, household, year: int, income: int, housing: str = "simple") -> None:
    household_services.conditions_record(actor=people.lan, household=household, year=year, housing=housing,
                                         floor_area=Decimal("30" if housing == "simple" else "60"),
                                         income_per_capita=Decimal(income), has_phone=True)


def run(people, unit, year: int) -> ReviewRound:
    round_ = services.review_round_open(actor=people.lan, unit=unit, year=year)
    services.review_round_run(round=round_, actor=people.lan)
    return round_


def test_it_finds_re_poverty_and_still_poor_with_another_communes_household_in_the_id_range(people, units):
    fell_back = make_household(people, units, code="HH-1")  # 2025: poor (the helper's conditions)
    # A household of another commune (another province) between the two: its id lies in the
    # range read for Trà Cú's batch, and it has an assessment of its own in an earlier round.
    elsewhere = urban_household(people, units, "HN-1", 500_000)
    still = make_household(people, units, code="HH-2")
    assert fell_back.pk < elsewhere.pk < still.pk
    for household in (fell_back, still):
        conditions(people, household, 2023, 900_000)
    conditions(people, fell_back, 2024, 2_600_000, housing="durable")
    conditions(people, still, 2024, 900_000)
    household_services.conditions_record(actor=people.binh, household=elsewhere, year=2023, housing="simple",
                                         floor_area=Decimal("20"), income_per_capita=Decimal(500_000))
    run(people, units.ba_dinh, 2023)
    assert Assessment.objects.get(household=elsewhere).status in ("poor", "near_poor")
    first, second, third = (run(people, units.tra_cu, year) for year in (2023, 2024, 2025))
    assert (second.previous, third.previous) == (first, second)
    by_household = dict(Assessment.objects.filter(round=third).values_list("household_id", "transition"))
    assert by_household == {fell_back.pk: "re_poor", still.pk: "still_poor"}
    previous = dict(Assessment.objects.filter(round=third).values_list("household_id", "previous_status"))
    assert previous == {fell_back.pk: "not_poor", still.pk: "poor"}
    # Run again (the results are replaced): the same transitions.
    services.review_round_run(round=third, actor=people.lan)
    assert dict(Assessment.objects.filter(round=third).values_list("household_id", "transition")) == by_household


def test_it_a_household_first_assessed_this_round_is_new(people, units):
    make_household(people, units, code="HH-1")
    run(people, units.tra_cu, 2024)
    newcomer = make_household(people, units, code="HH-2")
    third = run(people, units.tra_cu, 2025)
    assessment = Assessment.objects.get(round=third, household=newcomer)
    assert (assessment.previous_status, assessment.transition) == ("", "new_poor")


def test_it_reads_the_previous_round_through_the_round_household_index(people, units):
    household = make_household(people, units)
    previous = run(people, units.tra_cu, 2024)
    sql = ("SELECT a.household_id, a.status FROM households_assessment a "
           "WHERE a.round_id = %s AND a.household_id >= %s AND a.household_id <= %s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table of one row: ask which index it would take
            cursor.execute(f"EXPLAIN {sql}", [previous.pk, household.pk, household.pk])
            plan = " ".join(row[0] for row in cursor.fetchall())
            # With one row, either index serves (the planner may take the household's): what
            # matters is that no scan of the table reads the whole previous round.
            assert "Index" in plan and "Seq Scan" not in plan, plan
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", [previous.pk, household.pk, household.pk])
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "INDEX" in plan and "household_id>" in plan.replace(" ", ""), plan
    statuses, ever_poor = services._previous_statuses(services.ReviewRound.objects.get(pk=run(
        people, units.tra_cu, 2025).pk), np.array([household.pk]))
    assert statuses.tolist() == [3] and ever_poor.tolist() == [False]  # 3: poor in 2024; no round before 2024


def test_it_deleting_a_round_deletes_its_assessments_without_a_database_constraint(people, units):
    make_household(people, units)
    kept, deleted = run(people, units.tra_cu, 2024), run(people, units.tra_cu, 2025)
    ReviewRound.objects.filter(pk=deleted.pk).delete()
    assert not Assessment.objects.filter(round_id=deleted.pk).exists()
    assert Assessment.objects.filter(round=kept).count() == 1
