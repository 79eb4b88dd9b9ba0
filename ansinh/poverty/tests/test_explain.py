"""The explanation of a household's status: the engine on one household, with the people behind it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ansinh.households import services as household_services
from ansinh.poverty import services
from ansinh.poverty.explain import explain_household
from ansinh.poverty.models import Assessment, PovertyStandard

pytestmark = pytest.mark.django_db

REFERENCE = dt.date(2025, 12, 14)  # the reference date of the 2025 periodic review


def make_household(people, units, income: int | None = 1_200_000, **conditions):
    household = household_services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-1", address="Ấp Chợ")
    household_services.member_add(actor=people.lan, household=household, full_name="Thạch Văn Sóc", sex="male",
                        birth_date=dt.date(1980, 3, 1), relation="head", ethnicity="05", employment="no_contract",
                        education="primary")
    household_services.member_add(actor=people.lan, household=household, full_name="Kim Thị Sa Ri", sex="female",
                        birth_date=dt.date(1982, 5, 2), relation="spouse", ethnicity="05", health_insurance=False,
                        employment="self_employed")
    values = {"housing": "simple", "floor_area": Decimal("30"), "water_source": "piped", "latrine": "flush",
              "has_phone": True, "income_per_capita": None if income is None else Decimal(income)}
    values.update(conditions)
    household_services.conditions_record(actor=people.lan, household=household, year=2025, **values)
    household.refresh_from_db()
    return household


def explain(household):
    return explain_household(household, standard=PovertyStandard.objects.get(code="2022-2025"), year=2025,
                             on=REFERENCE)


def test_it_names_the_member_behind_health_insurance_and_the_income_line(people, units):
    explanation = explain(make_household(people, units))
    by_code = {indicator.code: indicator for indicator in explanation.indicators}
    insurance = by_code["health_insurance"]
    assert insurance.deprived
    assert [str(m) for m in insurance.members] == ["Kim Thị Sa Ri, 43 tuổi, không có thẻ BHYT"]
    assert insurance.basis.startswith("Nghị định 07/2021/NĐ-CP")
    assert "6 tuổi" in insurance.definition
    employment = by_code["employment"]
    assert [m.name for m in employment.members] == ["Thạch Văn Sóc"]
    assert "không có hợp đồng lao động" in employment.members[0].fact
    assert by_code["housing_quality"].fact == "nhà đơn sơ"
    assert by_code["telecom"].deprived and not by_code["water"].deprived
    # Income against the line of the household's area (a xã: rural).
    assert not explanation.urban and not explanation.income_estimated
    assert explanation.income == 1_200_000 and explanation.poverty_line == 1_500_000
    assert explanation.count == 4 and explanation.status == "poor"
    assert "1.200.000 đồng" in explanation.sentence and "1.500.000 đồng" in explanation.sentence
    assert "bảo hiểm y tế (Kim Thị Sa Ri)" in explanation.sentence
    assert explanation.sentence.endswith("→ hộ nghèo.")
    assert explanation.provisional  # the employment indicator is marked provisional


def test_it_agrees_with_the_round(people, units):
    household = make_household(people, units)
    round_ = services.review_round_open(actor=people.lan, unit=units.tra_cu, year=2025)
    services.review_round_run(round=round_, actor=people.lan)
    assessment = Assessment.objects.get(round=round_, household=household)
    explanation = explain_household(household, standard=round_.standard, year=round_.year,
                                    on=round_.reference_date)
    assert (explanation.status, explanation.count) == (assessment.status, assessment.deprivation_count)
    assert int(explanation.income) == int(assessment.income_per_capita)


def test_it_shows_an_estimated_income_with_its_form_b1_items(people, units):
    household = make_household(people, units, income=None, b1_answers={"has_motorbike": 1, "earners_share": 0.5})
    explanation = explain(household)
    assert explanation.income_estimated
    # Vĩnh Long is in the Mekong delta: base 550.000 + motorbike 250.000 + half of 1.400.000.
    assert explanation.income_base == 550_000
    assert explanation.income == 550_000 + 250_000 + 700_000
    assert {item.label for item in explanation.income_items} == {"Có xe máy",
                                                                 "Tỷ lệ thành viên có việc làm tạo thu nhập (0–1)"}


def test_it_form_b2_answers_override_the_facts_and_say_so(people, units):
    household = make_household(people, units, b2_flags={"health_insurance": 0, "nutrition": 1})
    by_code = {i.code: i for i in explain(household).indicators}
    assert not by_code["health_insurance"].deprived and by_code["health_insurance"].members == ()
    assert by_code["nutrition"].deprived and by_code["nutrition"].from_b2
    assert "phiếu B2" in by_code["nutrition"].fact


def test_it_without_a_survey_household_indicators_are_unknown(people, units):
    household = household_services.household_create(actor=people.lan, commune=units.tra_cu, code="HH-2")
    household_services.member_add(actor=people.lan, household=household, full_name="Lâm Thị Út", sex="female",
                        birth_date=dt.date(2015, 1, 1), relation="head", schooling="none", health_insurance=True)
    explanation = explain(household)
    by_code = {i.code: i for i in explanation.indicators}
    assert by_code["housing_quality"].unknown and not by_code["housing_quality"].deprived
    assert explanation.conditions_year is None
    school = by_code["school_attendance"]
    assert school.deprived and str(school.members[0]) == "Lâm Thị Út, 10 tuổi, không đi học"
    dependants = by_code["dependants"]
    assert dependants.deprived and dependants.fact.startswith("1/1 nhân khẩu")


def test_it_uses_the_standard_in_force_by_default(people, units):
    household = make_household(people, units)
    explanation = explain_household(household, on=dt.date(2027, 3, 1))
    assert explanation.standard.code == "2027-2030"
    assert explanation.poverty_line == 2_200_000
    assert explanation.standard.provisional and explanation.provisional
