"""The stored current status (`CurrentStatus`, kept by `ansinh.poverty.current`) equals
the rule it replaces — the household's assessment in the latest round (reference date, then id)
that assessed it — after every way a round run can change it, and the migration fills it."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households import services as household_services
from ansinh.households.models import Household, LivingConditions
from ansinh.poverty import current, services
from ansinh.poverty.models import Assessment, CurrentStatus, ReviewRound

pytestmark = pytest.mark.django_db

POOR, NOT_POOR = 1_000_000, 4_000_000  # income per person per month; the rural line is 1,500,000


def subquery_statuses() -> dict[int, str]:
    """The rule, as the lists computed it before: a correlated subquery per household."""
    latest = (Assessment.objects.filter(household=OuterRef("pk")).order_by("-round__reference_date", "-round_id")
              .values("status")[:1])
    return dict(Household.objects.annotate(s=Coalesce(Subquery(latest), Value(""))).values_list("pk", "s"))


def stored_statuses() -> dict[int, str]:
    stored = dict(CurrentStatus.objects.values_list("household_id", "status"))
    assert "" not in stored.values()  # a household never assessed has no row
    return {pk: stored.get(pk, "") for pk in Household.objects.values_list("pk", flat=True)}


def assert_stored_is_the_rule() -> None:
    assert stored_statuses() == subquery_statuses()


def make(people, commune: Unit, code: str, incomes: dict[int, int], surveyed_on: dt.date | None = None) -> Household:
    """A household of two, deprived in four indicators (simple house, no contract, no insurance,
    no internet): poor when its income is under the line, else not poor."""
    household = household_services.household_create(actor=people.tung, commune=commune, code=code)
    household_services.member_add(actor=people.tung, household=household, full_name="Thạch Văn Sóc", sex="male",
                                  birth_date=dt.date(1980, 3, 1), relation="head", ethnicity="05",
                                  employment="no_contract")
    household_services.member_add(actor=people.tung, household=household, full_name="Kim Thị Sa Ri", sex="female",
                                  birth_date=dt.date(1982, 5, 2), relation="spouse", health_insurance=False,
                                  employment="self_employed")
    for year, income in incomes.items():
        set_income(people, household, year, income, surveyed_on=surveyed_on)
    household.refresh_from_db()
    return household


def set_income(people, household: Household, year: int, income: int, surveyed_on: dt.date | None = None) -> None:
    household_services.conditions_record(actor=people.tung, household=household, year=year, housing="simple",
                                         floor_area=Decimal("30"), has_phone=True,
                                         income_per_capita=Decimal(income), surveyed_on=surveyed_on)


def run(people, unit: Unit, year: int, kind: str = "periodic", month: int | None = None) -> ReviewRound:
    round_ = services.review_round_open(actor=people.tung, unit=unit, year=year, kind=kind, month=month)
    services.review_round_run(round=round_, actor=people.tung)
    return round_


def status_of(household: Household) -> str:
    return CurrentStatus.objects.filter(household=household).values_list("status", flat=True).first() or ""


def test_it_stores_the_status_of_a_first_run_and_follows_a_re_run(people, units):
    poor = make(people, units.tra_cu, "HH-1", {2025: POOR})
    rich = make(people, units.tra_cu, "HH-2", {2025: NOT_POOR})
    never = household_services.household_create(actor=people.tung, commune=units.ba_dinh, code="BD-1")  # no round
    assert stored_statuses() == {poor.pk: "", rich.pk: "", never.pk: ""}
    round_ = run(people, units.tra_cu, 2025)
    assert (status_of(poor), status_of(rich)) == ("poor", "not_poor")
    assert_stored_is_the_rule()
    set_income(people, poor, 2025, NOT_POOR)
    set_income(people, rich, 2025, POOR)
    services.review_round_run(round=round_, actor=people.tung)
    assert (status_of(poor), status_of(rich), status_of(never)) == ("not_poor", "poor", "")
    assert_stored_is_the_rule()


def test_it_a_newer_round_gives_the_status_and_an_older_one_run_again_does_not(people, units):
    household = make(people, units.tra_cu, "HH-1", {2024: POOR, 2025: NOT_POOR})
    older = run(people, units.tra_cu, 2024)
    assert status_of(household) == "poor"
    run(people, units.tra_cu, 2025)
    assert status_of(household) == "not_poor"
    assert_stored_is_the_rule()
    # The 2024 round run again after 2025's (its facts corrected): 2025's status stays current.
    set_income(people, household, 2024, NOT_POOR)
    services.review_round_run(round=older, actor=people.tung)
    assert Assessment.objects.get(round=older).status == "not_poor"
    set_income(people, household, 2024, POOR)
    services.review_round_run(round=older, actor=people.tung)
    assert Assessment.objects.get(round=older).status == "poor"
    assert status_of(household) == "not_poor"
    assert_stored_is_the_rule()


def test_it_a_monthly_round_changes_only_the_households_it_assessed(people, units):
    asked = make(people, units.tra_cu, "HH-1", {2025: NOT_POOR})
    other = make(people, units.tra_cu, "HH-2", {2025: NOT_POOR})
    periodic = run(people, units.tra_cu, 2025)
    assert (status_of(asked), status_of(other)) == ("not_poor", "not_poor")
    # March 2026 (after the periodic round's 14 Dec 2025): only the household surveyed that month.
    set_income(people, asked, 2026, POOR, surveyed_on=dt.date(2026, 3, 10))
    monthly = run(people, units.tra_cu, 2026, kind="regular", month=3)
    assert list(Assessment.objects.filter(round=monthly).values_list("household_id", flat=True)) == [asked.pk]
    assert (status_of(asked), status_of(other)) == ("poor", "not_poor")
    assert_stored_is_the_rule()
    # The periodic round run again: older than March, it leaves the monthly status current.
    services.review_round_run(round=periodic, actor=people.tung)
    assert (status_of(asked), status_of(other)) == ("poor", "not_poor")
    assert_stored_is_the_rule()
    # The monthly round run again once the survey is moved out of its month: the household is no
    # longer assessed by it and takes the periodic round's status back.
    LivingConditions.objects.filter(household=asked, year=2026).update(surveyed_on=dt.date(2026, 4, 2))
    services.review_round_run(round=monthly, actor=people.tung)
    assert not Assessment.objects.filter(round=monthly).exists()
    assert status_of(asked) == "not_poor"
    assert_stored_is_the_rule()


def test_it_a_monthly_round_older_than_the_latest_changes_nothing(people, units):
    household = make(people, units.tra_cu, "HH-1", {2025: NOT_POOR})
    run(people, units.tra_cu, 2025)  # taken on 14 Dec 2025
    set_income(people, household, 2025, POOR)
    LivingConditions.objects.filter(household=household, year=2025).update(surveyed_on=dt.date(2025, 3, 5))
    run(people, units.tra_cu, 2025, kind="regular", month=3)  # taken on 31 Mar 2025: older
    assert Assessment.objects.get(round__month=3).status == "poor"
    assert status_of(household) == "not_poor"
    assert_stored_is_the_rule()


def test_it_a_household_no_longer_active_takes_its_previous_status_on_a_re_run(people, units):
    stays = make(people, units.tra_cu, "HH-1", {2024: NOT_POOR, 2025: NOT_POOR})
    merged = make(people, units.tra_cu, "HH-2", {2024: NOT_POOR, 2025: POOR})
    only_now = make(people, units.tra_cu, "HH-3", {2025: POOR})
    run(people, units.tra_cu, 2024)
    Assessment.objects.filter(household=only_now).delete()  # as if registered after the 2024 round
    CurrentStatus.objects.filter(household=only_now).delete()
    latest = run(people, units.tra_cu, 2025)
    assert (status_of(merged), status_of(only_now)) == ("poor", "poor")
    household_services.household_merge(actor=people.tung, household=merged, into=stays, on=dt.date(2025, 12, 20))
    household_services.household_merge(actor=people.tung, household=only_now, into=stays, on=dt.date(2025, 12, 20))
    assert (status_of(merged), status_of(only_now)) == ("poor", "poor")  # a merge changes no assessment
    assert_stored_is_the_rule()
    services.review_round_run(round=latest, actor=people.tung)
    assert not Assessment.objects.filter(round=latest, household__in=[merged, only_now]).exists()
    assert (status_of(merged), status_of(only_now)) == ("not_poor", "")  # 2024's, and never assessed
    assert_stored_is_the_rule()


def test_it_a_household_split_off_has_no_status_until_a_round_assesses_it(people, units):
    household = make(people, units.tra_cu, "HH-1", {2025: POOR})
    round_ = run(people, units.tra_cu, 2025)
    wife = household.members.get(relation="spouse")
    new = household_services.household_split(actor=people.tung, household=household, members=[wife],
                                             new_code="HH-9", head=wife, on=dt.date(2025, 12, 20))
    assert (status_of(household), status_of(new)) == ("poor", "")
    assert_stored_is_the_rule()
    set_income(people, new, 2025, NOT_POOR)
    services.review_round_run(round=round_, actor=people.tung)
    assert status_of(new) == "not_poor"
    assert_stored_is_the_rule()


def test_it_keeps_the_status_right_across_batches_of_a_provincial_round(people, units, monkeypatch):
    other_commune = (Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=units.vinh_long.path)
                     .exclude(pk=units.tra_cu.pk).order_by("code").first())
    a = make(people, units.tra_cu, "HH-1", {2024: POOR, 2025: NOT_POOR})
    b = make(people, other_commune, "HH-2", {2024: NOT_POOR, 2025: POOR})
    monkeypatch.setattr(services, "BATCH_HOUSEHOLDS", 1)  # one household a batch
    refreshed: list[list[int]] = []
    real = current.statuses_refresh

    def spy(**kwargs):  # type: ignore[no-untyped-def]
        refreshed.append(kwargs["commune_ids"])
        return real(**kwargs)

    monkeypatch.setattr(current, "statuses_refresh", spy)
    run(people, units.vinh_long, 2024)
    assert (status_of(a), status_of(b)) == ("poor", "not_poor")
    run(people, units.vinh_long, 2025)
    assert (status_of(a), status_of(b)) == ("not_poor", "poor")
    assert_stored_is_the_rule()
    # Each commune in a batch of its own, refreshed after that batch's insert.
    assert not any(units.tra_cu.pk in batch and other_commune.pk in batch for batch in refreshed)
    assert any(units.tra_cu.pk in batch for batch in refreshed) and any(other_commune.pk in b for b in refreshed)


def test_it_refreshes_a_batch_in_a_few_statements_whatever_its_size(people, units):
    for i in range(6):
        make(people, units.tra_cu, f"HH-{i}", {2024: POOR, 2025: NOT_POOR if i % 2 else POOR})
    first = run(people, units.tra_cu, 2024)
    second = run(people, units.tra_cu, 2025)
    for round_ in (second, first):  # the fast path, then a re-run of an older round
        held = current.round_held(round_=round_, commune_ids=[units.tra_cu.pk])
        with CaptureQueriesContext(connection) as queries:
            current.statuses_refresh(round_=round_, commune_ids=[units.tra_cu.pk], held=held)
        assert len(queries) <= 4, [q["sql"] for q in queries]
    assert_stored_is_the_rule()


def test_it_the_migration_fills_the_status_from_the_assessments(people, units):
    household = make(people, units.tra_cu, "HH-1", {2024: POOR, 2025: NOT_POOR})
    never = household_services.household_create(actor=people.tung, commune=units.ba_dinh, code="BD-1")  # no round
    run(people, units.tra_cu, 2024)
    run(people, units.tra_cu, 2025)
    # As a database whose assessments were written before the column existed (or a wrong copy).
    CurrentStatus.objects.filter(household=household).delete()
    CurrentStatus.objects.create(household=never, status="poor")
    migration = importlib.import_module("ansinh.poverty.migrations.0006_current_status")
    with CaptureQueriesContext(connection) as queries:
        migration.fill_current_status(None, SimpleNamespace(connection=connection))
    assert len(queries) == 2  # set-based, whatever the number of households
    assert (status_of(household), status_of(never)) == ("not_poor", "")
    assert_stored_is_the_rule()
