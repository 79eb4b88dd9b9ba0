"""The trained-labour rates and the training figures against a small register computed by hand
(31 Dec 2025: retirement at 61 years 3 months for men, 56 years 8 months for women)."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Level, Unit
from ansinh.labour import training
from ansinh.labour.indicators_training import FLOW_PROVIDER, STOCK_PROVIDER, records_url
from ansinh.labour.models import TrainedRateDefinition
from ansinh.plans.models import Indicator
from ansinh.plans.periods import Period
from ansinh.plans.results import compute

from .training_helpers import level, member, provider

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 12, 31)
D = dt.date


@pytest.fixture
def town(units):  # type: ignore[no-untyped-def]
    """Trà Cú: 6 of working age (4 trained, 3 certified, 4 employed); another commune: 2 (1, 1, 1)."""
    other = (Unit.objects.filter(parent=units.vinh_long, level=Level.COMMUNE).exclude(pk=units.tra_cu.pk)
             .order_by("code").first())
    c = units.tra_cu
    school = provider(units.vinh_long)
    sewing = training.course_save(actor=Actor.system(), provider=school, occupation="May", level=level("elementary"),
                                  field="non_farm", starts_on=D(2025, 3, 1))
    rice = training.course_save(actor=Actor.system(), provider=school, occupation="Trồng lúa",
                                level=level("under_3_months"), field="farm", starts_on=D(2025, 3, 10))
    member(c, name="A", born=D(1995, 4, 10), education="vocational", employment="contract")
    tai = member(c, name="B", born=D(1990, 1, 2), sex="male", employment="self_employed")
    hoa = member(c, name="C", born=D(2000, 7, 8), employment="no_contract")
    member(c, name="D", born=D(1985, 1, 1), sex="male", in_training=True, employment="unemployed")
    member(c, name="E", born=D(2011, 1, 1))  # 14: not of working age
    member(c, name="F", born=D(1964, 6, 1), sex="male", education="higher")  # 61 y 6 m: retired
    member(c, name="G", born=D(1964, 10, 15), sex="male", education="higher")  # 61 y 2 m: working age
    member(c, name="H", born=D(1969, 6, 1), employment="self_employed")  # 56 y 6 m: working age
    member(c, name="I", born=D(1980, 1, 1), education="vocational", died_on=D(2025, 6, 1))
    training.enrolment_save(actor=Actor.system(), course=sewing, person=tai, enrolled_on=D(2025, 3, 1),
                            status="completed", completed_on=D(2025, 5, 30), certificate_number="SC-1")
    training.enrolment_save(actor=Actor.system(), course=rice, person=hoa, enrolled_on=D(2025, 3, 10),
                            status="completed", completed_on=D(2025, 5, 5))
    member(other, name="K", born=D(1992, 2, 2), education="vocational", employment="contract")
    member(other, name="L", born=D(1993, 3, 3))
    return other


def test_it_counts_the_rates_of_a_commune_by_hand(units, town) -> None:
    counts = training.rate_counts([units.tra_cu.pk, town.pk], ON)
    mine = counts[units.tra_cu.pk]
    assert (mine.members, mine.trained, mine.certified, mine.employed) == (6, 4, 3, 4)
    assert round(mine.trained_rate or 0, 2) == 66.67 and mine.certified_rate == 50.0
    theirs = counts[town.pk]
    assert (theirs.members, theirs.trained, theirs.certified, theirs.employed) == (2, 1, 1, 1)


def test_it_follows_the_definition_as_data(units, town) -> None:
    TrainedRateDefinition.objects.update(trained_in_training=True, labour_force_only=True)
    mine = training.rate_counts([units.tra_cu.pk], ON)[units.tra_cu.pk]
    # Without the inactive (G): 5 members; D in training now counts as trained.
    assert (mine.members, mine.trained, mine.certified) == (5, 4, 2)


def test_it_counts_a_certificate_only_once_issued(units, town) -> None:
    mine = training.rate_counts([units.tra_cu.pk], D(2025, 5, 29))[units.tra_cu.pk]
    # On 29 May 2025 F (60 y 11 m) is of working age and I alive; C completed on 5 May; B's
    # certificate comes on 30 May: trained A, C, F, G, I; certified A, F, G, I.
    assert (mine.members, mine.trained, mine.certified) == (8, 5, 4)


def test_it_gives_the_root_its_own_rate_not_a_sum(units, town) -> None:
    counts, note, key = STOCK_PROVIDER.fetch(units.vinh_long, Period.parse("2025"))
    assert counts["trained_labour_rate"][(units.vinh_long.pk, "")] == 62.5
    assert counts["certified_labour_rate"][(units.vinh_long.pk, "")] == 50.0
    assert counts["trained_labour_rate"][(units.tra_cu.pk, "")] == 66.67
    assert counts["employed_regularly"][(units.vinh_long.pk, "")] == 5
    assert "chưa xác nhận" in note and key == "2025"
    assert STOCK_PROVIDER.fetch(units.legacy_tra_vinh, Period.parse("2025"))[0] == {}
    for code in ("trained_labour_rate", "certified_labour_rate", "employed_regularly"):
        Indicator.objects.filter(code=code).update(source="counted", query=code)
    results = compute(units.vinh_long, Period.parse("2025"), with_previous=False)
    assert results.value(units.vinh_long.pk, "trained_labour_rate") == 62.5
    assert results.value(town.pk, "trained_labour_rate") == 50.0
    assert results.value(units.vinh_long.pk, "employed_regularly") == 5


def test_it_counts_trained_workers_by_level_and_field(units, town) -> None:
    counts, _note, key = FLOW_PROVIDER.fetch(units.vinh_long, Period.parse("2025-Q1"))
    got = counts["trained_workers"]
    c = units.tra_cu.pk
    assert got[(c, "")] == 2 and got[(c, "elementary")] == 1 and got[(c, "under_3_months")] == 1
    assert got[(c, "intermediate")] == 0 and got[(c, "non_farm")] == 1 and got[(c, "farm")] == 1
    assert FLOW_PROVIDER.fetch(units.vinh_long, Period.parse("2025-Q2"))[0]["trained_workers"] == {}
    url = records_url("trained_workers", units.tra_cu, "farm", key)
    assert url is not None and f"unit={c}" in url and "period=2025-Q1" in url and "breakdown=farm" in url
    assert records_url("trained_labour_rate", units.vinh_long, "", "2025") is not None


def test_it_counts_every_training_figure_in_a_constant_number_of_queries(units, town,
                                                                        django_assert_max_num_queries) -> None:
    period = Period.parse("2025")
    with django_assert_max_num_queries(2):  # the communes, one GROUP BY
        FLOW_PROVIDER.fetch(units.vinh_long, period)
    with django_assert_max_num_queries(4):  # the definition, the communes, the units above, one GROUP BY
        STOCK_PROVIDER.fetch(units.vinh_long, period)


def _plan(queryset) -> str:  # type: ignore[no-untyped-def]
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def test_it_reads_the_enrolments_through_their_indexes(units, town) -> None:
    import re

    from django.db import connection

    from ansinh.labour.indicators_training import trained_workers_query

    full_scan = (re.compile(r"Seq Scan on labour_enrolment\b") if connection.vendor == "postgresql"
                 else re.compile(r"\bSCAN labour_enrolment\b"))
    definition = training.definition_on(ON)
    assert definition is not None
    for queryset in (trained_workers_query([units.tra_cu.pk, town.pk], Period.parse("2025")),
                     training.rate_query([units.tra_cu.pk, town.pk], ON, definition)):
        plan = _plan(queryset)
        assert not [line for line in plan.splitlines() if full_scan.search(line)], plan
