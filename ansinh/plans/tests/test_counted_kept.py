"""The plans' counted poverty figures read the review rounds' counts kept per commune
(poverty.figures.commune_counts): a closed period's (its round decided) are counted once; a
commune's results and dashboard count her commune, not the communes of the whole province."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.plans import results
from ansinh.plans.periods import Period
from ansinh.plans.tests.test_results import _decided_round, make_plan
from ansinh.poverty import services as poverty_services
from ansinh.poverty.models import RoundFigures
from ansinh.poverty.tests.test_round_views import other_commune, province_round  # noqa: F401
from conftest import login

pytestmark = pytest.mark.django_db

ASSESSMENTS = '"households_assessment"'


def over_assessments(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if ASSESSMENTS in q["sql"]]


def test_it_counts_a_closed_period_once(people, units) -> None:  # type: ignore[no-untyped-def]
    _decided_round(people, units)  # Trà Cú's 2025 round, decided: the year 2025 is closed
    plan = make_plan(units.vinh_long, 2025)
    with CaptureQueriesContext(connection) as first:
        counted = results.compute(units.vinh_long, Period.parse("2025"), plan)
    assert len([sql for sql in over_assessments(first) if "GROUP BY" in sql]) == 1
    with CaptureQueriesContext(connection) as again:
        kept = results.compute(units.vinh_long, Period.parse("2025"), plan)
    assert over_assessments(again) == []  # read from the kept counts
    assert len(again.captured_queries) < len(first.captured_queries)
    for figures in (counted, kept):
        assert figures.value(units.tra_cu.pk, "households") == 2
        assert figures.value(units.tra_cu.pk, "poor_households") == 1
        assert figures.value(units.tra_cu.pk, "poor_households", "khmer") == 1
        assert figures.value(units.vinh_long.pk, "poor_households") == 1
    assert kept.values == counted.values and kept.notes == counted.notes and kept.record_keys == counted.record_keys


def test_it_counts_a_re_run_open_round_again(people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    from ansinh.poverty.tests.test_round_views import make_household

    poverty_services.review_round_run(round=province_round, actor=people.minh)
    period = Period.parse("2025")
    assert results.compute(units.vinh_long, period, None).value(units.vinh_long.pk, "poor_households") == 2
    make_household(people.lan, units.tra_cu, "TC-3")
    poverty_services.review_round_run(round=province_round, actor=people.minh)
    figures = results.compute(units.vinh_long, period, None)
    assert figures.value(units.vinh_long.pk, "poor_households") == 3 and figures.value(units.tra_cu.pk, "households") == 3
    assert "sơ bộ" in figures.notes["poor_households"]  # an open round's figures are preliminary


@pytest.mark.parametrize("page", ["results", "dashboard"])
def test_it_counts_only_the_commune_of_a_commune_officer(client, people, units, province_round, page) -> None:  # type: ignore[no-untyped-def]
    poverty_services.review_round_run(round=province_round, actor=people.minh)
    plan = make_plan(units.vinh_long, 2025)
    login(client, people.lan)
    url = f"/plans/{plan.pk}/results?period=2025" if page == "results" else "/plans/dashboard"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    grouped = [sql for sql in over_assessments(queries) if "GROUP BY" in sql]
    assert len(grouped) == 1
    assert re.search(rf'"commune_id" IN \({units.tra_cu.pk}\)', grouped[0]), grouped[0]  # her commune only
    assert list(RoundFigures.objects.values_list("commune_id", flat=True)) == [units.tra_cu.pk]
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert over_assessments(again) == []
    figures = results.compute(units.tra_cu, Period.parse("2025"), plan)
    assert figures.value(units.tra_cu.pk, "households") == 2 and figures.value(units.tra_cu.pk, "poor_households") == 1
    assert other_commune(units).pk not in figures.values


def test_it_counts_the_province_for_a_provincial_officer(client, people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    poverty_services.review_round_run(round=province_round, actor=people.minh)
    plan = make_plan(units.vinh_long, 2025)
    login(client, people.minh)
    assert client.get(f"/plans/{plan.pk}/results?period=2025").status_code == 200
    assert set(RoundFigures.objects.values_list("commune_id", flat=True)) >= {units.tra_cu.pk, other_commune(units).pk}
    figures: Any = results.compute(units.vinh_long, Period.parse("2025"), plan)
    assert figures.value(units.vinh_long.pk, "households") == 3 and figures.value(units.vinh_long.pk, "poor_households") == 2
    assert figures.value(other_commune(units).pk, "poor_households") == 1
