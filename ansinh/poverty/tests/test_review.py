"""The registry's workflows and the review round, end to end on a few households."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.models import AuditEvent
from ansinh.households import services as household_services
from ansinh.households.models import HouseholdEvent, HouseholdStatus, Member
from ansinh.poverty import engine, figures, services
from ansinh.poverty.explain import explain_household
from ansinh.poverty.models import Assessment, PovertyStandard, ReviewRound, RoundStatus, Step

pytestmark = pytest.mark.django_db

# Citizen IDs valid for the sex and birth year: province 084, sex/century digit, year, 6 digits.
HEAD_ID = "084080000001"  # male, 1980
WIFE_ID = "084182000002"  # female, 1982


def make_household(people, units, code="HH-1", income=1_200_000, **conditions):
    household = household_services.household_create(actor=people.lan, commune=units.tra_cu, code=code, address="Ấp Chợ")
    household_services.member_add(actor=people.lan, household=household, full_name="Thạch Văn Sóc", citizen_id=HEAD_ID
                        if code == "HH-1" else None, sex="male", birth_date=dt.date(1980, 3, 1), relation="head",
                        ethnicity="05", employment="no_contract", education="primary")
    household_services.member_add(actor=people.lan, household=household, full_name="Kim Thị Sa Ri",
                        citizen_id=WIFE_ID if code == "HH-1" else None, sex="female", birth_date=dt.date(1982, 5, 2),
                        relation="spouse", ethnicity="05", health_insurance=False, employment="self_employed")
    values = {"housing": "simple", "floor_area": Decimal("30"), "water_source": "piped", "latrine": "flush",
              "has_phone": True, "income_per_capita": Decimal(income)}
    values.update(conditions)
    household_services.conditions_record(actor=people.lan, household=household, year=2025, **values)
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
    household = household_services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-9")
    with pytest.raises(ValidationError) as error:
        household_services.member_add(actor=people.lan, household=household, full_name="Lê Văn A", citizen_id="084182000009",
                            sex="male", birth_date=dt.date(1982, 1, 1), relation="head")
    assert "giới tính" in str(error.value)
    assert not Member.objects.filter(household=household).exists()


def test_it_splits_and_merges_households_keeping_history(people, units):
    household = make_household(people, units)
    wife = household.members.get(relation="spouse")
    new = household_services.household_split(actor=people.lan, household=household, members=[wife], new_code="HH-2",
                                   head=wife, on=dt.date(2025, 8, 1))
    assert new.head_name == "Kim Thị Sa Ri"
    assert household.members.present().count() == 1
    household_services.household_merge(actor=people.lan, household=new, into=household, on=dt.date(2025, 9, 1))
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
    reason = assessment.reason_text()  # derived from the stored figures, not stored
    assert "1.200.000 đồng" in reason and reason.endswith("→ hộ nghèo.")
    assert "bảo hiểm y tế" in reason
    assert assessment.head_ethnicity == "05"
    rows, total = figures.summary(Assessment.objects.filter(round=round_), engine.spec_for(round_.standard))
    assert (total.households, total.poor, total.khmer_poor) == (2, 1, 1)
    assert total.poor_rate == 50.0


def urban_household(people, units, code, income):
    """A household of Phường Ba Đình (an urban ward of Hà Nội), deprived in nothing but income."""
    household = household_services.household_create(actor=people.binh, commune=units.ba_dinh, code=code, address="Phố Huế")
    household_services.member_add(actor=people.binh, household=household, full_name="Trần Văn Hà", sex="male",
                        birth_date=dt.date(1975, 1, 1), relation="head", ethnicity="01", employment="contract",
                        education="upper_secondary", health_insurance=True, uses_internet=True)
    household_services.conditions_record(actor=people.binh, household=household, year=2025, housing="durable",
                               floor_area=Decimal("40"), water_source="piped", latrine="flush", has_phone=True,
                               has_tv=True, income_per_capita=Decimal(income))
    return household


def test_it_the_reason_derived_from_the_stored_row_is_the_engines_sentence_for_the_facts(people, units):
    """`Assessment` stores no reason: computed from its stored figures with the round's standard, it
    is `engine.reason` for the household's facts (read again here by the explanation, not from the
    row), under both rules (2016-2020: income or deprivations; 2022-2025: income and deprivations),
    in both areas and every income band."""
    incomes = [(650_000, 1_200_000), (850_000, 1_700_000), (1_200_000, 3_500_000)]  # 2020, 2025
    households = [make_household(people, units, code=f"HH-{i + 1}", income=income)
                  for i, (_, income) in enumerate(incomes)]
    for household, (income, _) in zip(households, incomes, strict=True):
        household_services.conditions_record(actor=people.lan, household=household, year=2020, housing="durable",
                                   floor_area=Decimal("30"), water_source="piped", latrine="flush", has_phone=True,
                                   income_per_capita=Decimal(income))
    for i, income in enumerate([1_900_000, 2_500_000, 4_000_000]):
        urban_household(people, units, f"BD-{i}", income)
    rounds = [services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2020),
              services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025),
              services.review_round_open(actor=people.binh, unit=units.ba_dinh, year=2025)]
    assert [r.standard.code for r in rounds] == ["2016-2020", "2022-2025", "2022-2025"]
    seen = set()
    for round_ in rounds:
        services.review_round_run(round=round_, actor=None)
        spec = engine.spec_for(round_.standard)
        assessments = list(Assessment.objects.filter(round=round_).select_related("household", "round__standard")
                           .order_by("household__code"))
        assert len(assessments) == 3
        together = engine.reasons_for(spec, assessments)
        assert engine.reasons_by_standard(assessments) == together
        for assessment, reason in zip(assessments, together, strict=True):
            facts = explain_household(assessment.household, standard=round_.standard, year=round_.year,
                                      on=round_.reference_date)
            mask = sum(1 << i for i, indicator in enumerate(facts.indicators) if indicator.deprived)
            expected = engine.reason(spec, urban=facts.urban, income=facts.income, mask=mask,
                                     status=engine.STATUS_INDEX[facts.status])
            assert assessment.reason_text(spec) == assessment.reason_text() == reason == expected
            assert f"{format(int(assessment.income_per_capita), ',').replace(',', '.')} đồng" in reason
            seen.add((spec.code, assessment.area, assessment.status))
    # Every band of both rules and both areas came up, so each part of the sentence was checked.
    assert seen == {("2016-2020", "rural", "poor"), ("2016-2020", "rural", "near_poor"),
                    ("2016-2020", "rural", "average"), ("2022-2025", "rural", "poor"),
                    ("2022-2025", "rural", "average"), ("2022-2025", "rural", "not_poor"),
                    ("2022-2025", "urban", "near_poor"), ("2022-2025", "urban", "average"),
                    ("2022-2025", "urban", "not_poor")}


def test_it_an_estimated_income_is_classified_in_whole_dong_as_stored(people, units):
    """Form B1 answers may be fractions (earners_share 0,5…): the income is rounded to the đồng it is
    stored in before it is classified, so the stored income, the status and the derived reason agree.
    Here 550.000 + 250.000 + 1.400.000 × share = 1.500.000,4 đồng, stored as 1.500.000: at the
    poverty line, so not above it."""
    share = 700_000.4 / 1_400_000
    household = make_household(people, units)
    household_services.conditions_record(actor=people.lan, household=household, year=2025, housing="simple",
                               floor_area=Decimal("30"), income_per_capita=None,
                               b1_answers={"has_motorbike": 1, "earners_share": share})
    round_ = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    services.review_round_run(round=round_, actor=people.lan)
    assessment = Assessment.objects.get(round=round_, household=household)
    assert assessment.income_method == "estimated" and assessment.income_per_capita == 1_500_000
    assert assessment.status in ("poor", "near_poor")
    assert "1.500.000 đồng/người/tháng, không vượt chuẩn nông thôn 1.500.000 đồng" in assessment.reason_text()
    explanation = explain_household(household, standard=round_.standard, year=2025, on=round_.reference_date)
    assert explanation.income == 1_500_000 and explanation.status == assessment.status


def test_it_records_transitions_against_the_previous_round(people, units):
    household = make_household(people, units)
    first = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2024)
    household_services.conditions_record(actor=people.lan, household=household, year=2024, housing="simple",
                               floor_area=Decimal("30"), income_per_capita=Decimal(900_000))
    services.review_round_run(round=first, actor=people.lan)
    household_services.conditions_record(actor=people.lan, household=household, year=2025, housing="durable",
                               floor_area=Decimal("60"), income_per_capita=Decimal(2_600_000), has_phone=True)
    second = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    assert second.previous == first
    services.review_round_run(round=second, actor=people.lan)
    assert Assessment.objects.get(round=second).transition == "escaped_poverty"


def test_it_a_decided_round_is_locked(people, units):
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


def test_it_a_regular_review_classifies_only_the_households_surveyed_in_its_month(people, units):
    asked = make_household(people, units, surveyed_on=dt.date(2025, 3, 10))
    make_household(people, units, code="HH-4", surveyed_on=dt.date(2025, 1, 5))
    round_ = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025, kind="regular", month=3)
    assert round_.reference_date == dt.date(2025, 3, 31)
    assert services.review_round_run(round=round_, actor=people.lan) == 1
    assert list(Assessment.objects.filter(round=round_).values_list("household_id", flat=True)) == [asked.pk]



def test_it_gives_a_communes_own_round_its_commune(people, units):
    """A commune may run its own round (the province's figures count the province's only): its
    steps are recorded against the commune itself."""
    from ansinh.poverty.access import round_communes

    own = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2024)
    assert list(round_communes(people.lan, own)) == [units.tra_cu]
    assert list(round_communes(people.binh, own)) == []
