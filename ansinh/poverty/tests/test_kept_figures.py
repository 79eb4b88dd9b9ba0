"""A round's figures are counted once per commune and kept (poverty.figures.commune_counts,
table RoundFigures): a decided round's are never counted again, an open round's again when it is
re-run; a commune officer's views count her commune only; the figures page, the API and the home
page read the same counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from ansinh.poverty import engine, figures, services
from ansinh.poverty.models import Assessment, ReviewRound, RoundFigures, Step
from ansinh.poverty.tests.test_round_views import ON, make_household, other_commune, province_round  # noqa: F401
from conftest import login

pytestmark = pytest.mark.django_db

ASSESSMENTS = '"households_assessment"'


def grouped_over_assessments(queries: CaptureQueriesContext) -> list[str]:
    """The GROUP BY queries over the round's assessments (the costly count)."""
    return [q["sql"] for q in queries.captured_queries if ASSESSMENTS in q["sql"] and "GROUP BY" in q["sql"]]


def summary_table(page: str) -> str:
    start = page.index('data-testid="summary"')
    return page[start:page.index("</table>", start)]


def view(client: Any, url: str) -> tuple[str, CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), queries


def decide(round_: ReviewRound, people: Any, units: Any) -> ReviewRound:
    for commune in (units.tra_cu, other_commune(units)):
        for step in (Step.LIST, Step.SURVEY, Step.MEETING, Step.POSTING):
            services.review_round_step(actor=people.minh, round=round_, commune=commune, step=step, on=ON)
    return services.review_round_decide(round=round_, actor=people.minh, decision_number="125/QĐ-UBND",
                                        decided_on=dt.date(2025, 12, 15))


def test_it_counts_a_decided_round_once(client, people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    services.review_round_run(round=province_round, actor=people.minh)
    decide(province_round, people, units)
    login(client, people.minh)
    url = f"/households/rounds/{province_round.pk}/figures/"
    first, counted = view(client, url)
    assert len(grouped_over_assessments(counted)) == 1
    assert set(RoundFigures.objects.filter(round=province_round).values_list("commune_id", flat=True)) >= {
        units.tra_cu.pk, other_commune(units).pk}
    again, read = view(client, url)
    assert not [q for q in read.captured_queries if ASSESSMENTS in q["sql"]]  # read from the kept counts
    assert len(read.captured_queries) < len(counted.captured_queries)
    assert summary_table(again) == summary_table(first) and "66,7%" in summary_table(again)
    # the API's figures and the home page's headline read the same counts
    with CaptureQueriesContext(connection) as api:
        data = client.get(f"/api/v1/rounds/{province_round.pk}/figures/").json()
    assert grouped_over_assessments(api) == []
    assert data["total"]["households"] == 3 and data["total"]["poor"] == 2
    home, queries = view(client, "/")
    assert "66,7%" in home[home.index('data-testid="poverty-headline"'):]
    assert not [q for q in queries.captured_queries if ASSESSMENTS in q["sql"]]


def test_it_keeps_the_same_figures_when_the_round_is_decided(client, people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    services.review_round_run(round=province_round, actor=people.minh)
    login(client, people.minh)
    url = f"/households/rounds/{province_round.pk}/figures/"
    before, _queries = view(client, url)
    kept = set(RoundFigures.objects.filter(round=province_round).values_list("pk", "stamp", "counted_at"))
    decide(province_round, people, units)
    after, queries = view(client, url)
    assert grouped_over_assessments(queries) == []  # deciding counts nothing again
    assert set(RoundFigures.objects.filter(round=province_round).values_list("pk", "stamp", "counted_at")) == kept
    assert summary_table(after) == summary_table(before)


def test_it_counts_an_open_round_again_when_it_is_re_run(client, people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    services.review_round_run(round=province_round, actor=people.minh)
    login(client, people.minh)
    url = f"/households/rounds/{province_round.pk}/figures/"
    page, _queries = view(client, url)
    assert "66,7%" in summary_table(page)  # 2 poor of 3 households
    make_household(people.lan, units.tra_cu, "TC-3")  # a third poor household in Trà Cú
    page, queries = view(client, url)
    assert grouped_over_assessments(queries) == [] and "66,7%" in summary_table(page)  # not re-run yet
    services.review_round_run(round=province_round, actor=people.minh)
    page, queries = view(client, url)
    assert len(grouped_over_assessments(queries)) == 1
    assert "75,0%" in summary_table(page)  # 3 poor of 4: counted again
    assert set(RoundFigures.objects.filter(round=province_round).values_list("stamp", flat=True)) == {
        figures.round_stamp(ReviewRound.objects.get(pk=province_round.pk))}


def test_it_counts_again_after_a_re_run_with_the_same_households(people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    """The stamp follows classified_at: a re-run over the same households is counted again too."""
    services.review_round_run(round=province_round, actor=people.minh)
    round_ = ReviewRound.objects.get(pk=province_round.pk)
    ids = [units.tra_cu.pk]
    assert figures.commune_counts(round_, ids)[units.tra_cu.pk]["households"] == 2
    stamp = figures.round_stamp(round_)
    services.review_round_run(round=province_round, actor=people.minh)
    round_ = ReviewRound.objects.get(pk=province_round.pk)
    assert figures.round_stamp(round_) != stamp
    with CaptureQueriesContext(connection) as queries:
        assert figures.commune_counts(round_, ids)[units.tra_cu.pk]["households"] == 2
    assert len(grouped_over_assessments(queries)) == 1
    assert RoundFigures.objects.get(round=round_, commune=units.tra_cu).stamp == figures.round_stamp(round_)


def test_it_counts_only_the_commune_of_a_commune_officer(client, people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    services.review_round_run(round=province_round, actor=people.minh)
    login(client, people.lan)
    page, queries = view(client, f"/households/rounds/{province_round.pk}/figures/")
    assert "Xã Trà Cú" in summary_table(page) and "50,0%" in summary_table(page)
    [sql] = grouped_over_assessments(queries)
    assert re.search(rf'"commune_id" IN \({units.tra_cu.pk}\)', sql), sql  # her commune, not the province
    assert list(RoundFigures.objects.filter(round=province_round).values_list("commune_id", flat=True)) == [
        units.tra_cu.pk]
    # the provincial officer's view then counts only the communes not kept yet
    login(client, people.minh)
    page, queries = view(client, f"/households/rounds/{province_round.pk}/figures/")
    [sql] = grouped_over_assessments(queries)
    assert str(units.tra_cu.pk) not in re.search(r'"commune_id" IN \(([^)]*)\)', sql).group(1).split(", ")  # type: ignore[union-attr]
    assert "66,7%" in summary_table(page)


def test_it_reads_the_same_figures_as_a_direct_count(people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    from ansinh.geo.services import hamlet_create

    hamlet = hamlet_create(actor=people.lan, commune=units.tra_cu, name="Ấp Chợ", kind="ap")
    make_household(people.lan, units.tra_cu, "TC-3", hamlet=hamlet, khmer=False)
    services.review_round_run(round=province_round, actor=people.minh)
    round_ = ReviewRound.objects.get(pk=province_round.pk)
    spec = engine.spec_for(round_.standard)
    communes = [units.tra_cu.pk, other_commune(units).pk]
    for by in ("commune", "hamlet"):
        for _twice in range(2):  # counted, then read from the kept rows
            rows, total = figures.round_summary(round_, spec, communes, by=by)
            direct_rows, direct_total = figures.summary(Assessment.objects.filter(round=round_), spec, by=by)
            assert rows == direct_rows and total == direct_total


def test_it_answers_when_another_process_kept_the_counts_first(people, units, province_round, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services.review_round_run(round=province_round, actor=people.minh)
    round_ = ReviewRound.objects.get(pk=province_round.pk)

    def clash(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("UNIQUE constraint failed: round_figures_once_per_commune")

    monkeypatch.setattr(RoundFigures.objects, "bulk_create", clash)
    assert figures.commune_counts(round_, [units.tra_cu.pk])[units.tra_cu.pk]["poor"] == 1
    assert ReviewRound.objects.filter(pk=round_.pk).exists()  # the request's transaction is still usable


def test_it_keeps_nothing_for_a_round_never_classified(people, units, province_round) -> None:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert figures.commune_counts(province_round, [units.tra_cu.pk]) == {units.tra_cu.pk: {}}
    assert queries.captured_queries == [] and not RoundFigures.objects.exists()
