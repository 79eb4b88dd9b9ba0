"""The registry's workflows and the review round, end to end on a few households."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.models import AuditEvent
from ansinh.households import engine, figures, services
from ansinh.households.models import (
    Assessment,
    HouseholdEvent,
    HouseholdStatus,
    Member,
    PovertyStandard,
    ReviewRound,
    RoundStatus,
    Step,
)

pytestmark = pytest.mark.django_db

# Citizen IDs valid for the sex and birth year: province 084, sex/century digit, year, 6 digits.
HEAD_ID = "084080000001"  # male, 1980
WIFE_ID = "084182000002"  # female, 1982


def make_household(people, units, code="HH-1", income=1_200_000, **conditions):
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code=code, address="Ấp Chợ")
    services.member_add(actor=people.lan, household=household, full_name="Thạch Văn Sóc", citizen_id=HEAD_ID
                        if code == "HH-1" else None, sex="male", birth_date=dt.date(1980, 3, 1), relation="head",
                        ethnicity="05", employment="no_contract", education="primary")
    services.member_add(actor=people.lan, household=household, full_name="Kim Thị Sa Ri",
                        citizen_id=WIFE_ID if code == "HH-1" else None, sex="female", birth_date=dt.date(1982, 5, 2),
                        relation="spouse", ethnicity="05", health_insurance=False, employment="self_employed")
    values = {"housing": "simple", "floor_area": Decimal("30"), "water_source": "piped", "latrine": "flush",
              "has_phone": True, "income_per_capita": Decimal(income)}
    values.update(conditions)
    services.conditions_record(actor=people.lan, household=household, year=2025, **values)
    return household


def test_it_finds_the_standard_in_force_by_date():
    assert PovertyStandard.in_force_on(dt.date(2021, 6, 30)).code == "2016-2020"
    assert PovertyStandard.in_force_on(dt.date(2023, 1, 1)).code == "2022-2025"
    assert PovertyStandard.in_force_on(dt.date(2026, 6, 1)).code == "2022-2025"
    assert PovertyStandard.in_force_on(dt.date(2027, 1, 1)).code == "2027-2030"
    standard, reference = services.round_standard(year=2026, kind="periodic", month=None)
    assert standard.code == "2027-2030" and reference == dt.date(2026, 12, 14)


def test_it_registers_a_household_with_members_and_history(people, units):
    household = make_household(people, units)
    household.refresh_from_db()
    assert household.head_name == "Thạch Văn Sóc" and household.head_ethnicity == "05"
    assert household.area == "rural"  # a xã is rural
    assert household.search_text.startswith("thach van soc")
    assert set(HouseholdEvent.objects.filter(household=household).values_list("kind", flat=True)) == {
        "created", "member_joined"}
    assert AuditEvent.objects.filter(action="member.create", unit=units.tra_cu).count() == 2


def test_it_rejects_a_citizen_id_that_disagrees_with_sex(people, units):
    household = services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-9")
    with pytest.raises(ValidationError) as error:
        services.member_add(actor=people.lan, household=household, full_name="Lê Văn A", citizen_id="084182000009",
                            sex="male", birth_date=dt.date(1982, 1, 1), relation="head")
    assert "giới tính" in str(error.value)
    assert not Member.objects.filter(household=household).exists()


def test_it_splits_and_merges_households_keeping_history(people, units):
    household = make_household(people, units)
    wife = household.members.get(relation="spouse")
    new = services.household_split(actor=people.lan, household=household, members=[wife], new_code="HH-2",
                                   head=wife, on=dt.date(2025, 8, 1))
    assert new.head_name == "Kim Thị Sa Ri"
    assert household.members.present().count() == 1
    services.household_merge(actor=people.lan, household=new, into=household, on=dt.date(2025, 9, 1))
    new.refresh_from_db()
    assert new.status == HouseholdStatus.MERGED and new.successor_id == household.pk
    assert household.members.present().count() == 2
    assert HouseholdEvent.objects.filter(household=household, kind="merged").exists()


def test_it_classifies_a_round_and_explains_why(people, units):
    poor = make_household(people, units)  # 1.2M ≤ 1.5M; simple house, no internet, no contract, no insurance
    make_household(people, units, code="HH-3", income=3_500_000)
    round_ = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    assert round_.standard.code == "2022-2025"
    assert services.review_round_run(round=round_, actor=people.lan) == 2
    assessment = Assessment.objects.get(round=round_, household=poor)
    assert assessment.status == "poor"
    assert assessment.deprivation_count == 4  # employment, health insurance, housing quality, telecom
    assert "1.200.000 đồng" in assessment.reason and "hộ nghèo" in assessment.reason
    assert "bảo hiểm y tế" in assessment.reason
    assert assessment.head_ethnicity == "05"
    rows, total = figures.summary(Assessment.objects.filter(round=round_), engine.spec_for(round_.standard))
    assert (total.households, total.poor, total.khmer_poor) == (2, 1, 1)
    assert total.poor_rate == 50.0


def test_it_records_transitions_against_the_previous_round(people, units):
    household = make_household(people, units)
    first = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2024)
    services.conditions_record(actor=people.lan, household=household, year=2024, housing="simple",
                               floor_area=Decimal("30"), income_per_capita=Decimal(900_000))
    services.review_round_run(round=first, actor=people.lan)
    services.conditions_record(actor=people.lan, household=household, year=2025, housing="durable",
                               floor_area=Decimal("60"), income_per_capita=Decimal(2_600_000), has_phone=True)
    second = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    assert second.previous == first
    services.review_round_run(round=second, actor=people.lan)
    assert Assessment.objects.get(round=second).transition == "escaped_poverty"


def test_a_decided_round_is_locked(people, units):
    make_household(people, units)
    round_ = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    services.review_round_run(round=round_, actor=people.lan)
    with pytest.raises(ValidationError):  # posting must come first
        services.review_round_decide(round=round_, actor=people.minh, decision_number="12/QĐ-UBND",
                                     decided_on=dt.date(2025, 12, 15))
    with pytest.raises(ValidationError):  # steps in order
        services.review_round_step(actor=people.lan, round=round_, commune=units.tra_cu, step=Step.MEETING,
                                   on=dt.date(2025, 11, 1))
    for step in (Step.LIST, Step.SURVEY, Step.MEETING, Step.POSTING):
        services.review_round_step(actor=people.lan, round=round_, commune=units.tra_cu, step=step,
                                   on=dt.date(2025, 11, 1))
    services.review_round_decide(round=round_, actor=people.minh, decision_number="12/QĐ-UBND",
                                 decided_on=dt.date(2025, 12, 15))
    assert ReviewRound.objects.get(pk=round_.pk).status == RoundStatus.DECIDED
    with pytest.raises(ValidationError):
        services.review_round_run(round=round_, actor=people.lan)
    assert AuditEvent.objects.filter(action="review_round.decide").count() == 1


def test_a_regular_review_classifies_only_the_households_surveyed_in_its_month(people, units):
    asked = make_household(people, units, surveyed_on=dt.date(2025, 3, 10))
    make_household(people, units, code="HH-4", surveyed_on=dt.date(2025, 1, 5))
    round_ = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025, kind="regular", month=3)
    assert round_.reference_date == dt.date(2025, 3, 31)
    assert services.review_round_run(round=round_, actor=people.lan) == 1
    assert list(Assessment.objects.filter(round=round_).values_list("household_id", flat=True)) == [asked.pk]
