"""The amount engine against the tables of benefits.md and docs/benefits-sources.md, on both sides
of every change (1/7/2023, 1/7/2024, 1/7/2025, 1/7/2026), at age, rate and count boundaries,
from the rows the migration ships (no fixtures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.benefits import law_data
from ansinh.benefits.law import NotInForce, RuleBook, age_on, amount

pytestmark = pytest.mark.django_db

D = dt.date
BEFORE_2024, FROM_2024 = D(2024, 6, 30), D(2024, 7, 1)
BEFORE_2023, FROM_2023 = D(2023, 6, 30), D(2023, 7, 1)
BEFORE_2025, FROM_2025 = D(2025, 6, 30), D(2025, 7, 1)
BEFORE_2026, FROM_2026 = D(2026, 6, 30), D(2026, 7, 1)


@pytest.fixture(scope="module")
def book(django_db_setup: None, django_db_blocker: object) -> RuleBook:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return RuleBook.load(D(2021, 7, 1))


def born(age: int, on: dt.date) -> dt.date:
    """A birth date giving exactly `age` on `on` (the birthday is `on` itself)."""
    return on.replace(year=on.year - age)


# --- Social assistance: Decree 20 Art. 6 × the base level ------------------------------------

SA_BASES = [(D(2021, 7, 1), 360_000), (BEFORE_2024, 360_000), (FROM_2024, 500_000), (BEFORE_2026, 500_000),
            (FROM_2026, 540_000)]


@pytest.mark.parametrize(("on", "base"), SA_BASES)
@pytest.mark.parametrize(("code", "age", "coefficient"), [
    ("sa_orphan", 3, 2.5), ("sa_orphan", 4, 1.5), ("sa_orphan", 15, 1.5),
    ("sa_orphan_student", 16, 1.5), ("sa_orphan_student", 22, 1.5),
    ("sa_child_hiv", 3, 2.5), ("sa_child_hiv", 4, 2.0), ("sa_child_hiv", 15, 2.0),
    ("sa_single_parent", None, 1.0),
    ("sa_elderly_poor_alone", 60, 1.5), ("sa_elderly_poor_alone", 79, 1.5), ("sa_elderly_poor_alone", 80, 2.0),
    ("sa_elderly_community_care", 70, 3.0),
    ("sa_disability_especially_severe", 15, 2.5), ("sa_disability_especially_severe", 16, 2.0),
    ("sa_disability_especially_severe", 59, 2.0), ("sa_disability_especially_severe", 60, 2.5),
    ("sa_disability_severe", 15, 2.0), ("sa_disability_severe", 16, 1.5), ("sa_disability_severe", 59, 1.5),
    ("sa_disability_severe", 60, 2.0),
    ("sa_child_under_3", 2, 1.5), ("sa_hiv_poor", 40, 1.5),
])
def test_it_prices_social_assistance_by_coefficient_and_age(book: RuleBook, on: dt.date, base: int, code: str,
                                                            age: int | None, coefficient: float) -> None:
    birth = born(age, on) if age is not None else None
    found = book.amount(code, on, birth_date=birth)
    assert found.amount == round(coefficient * base)
    assert found.kind == "allowance" and found.category == code
    assert f"{base:,}".replace(",", ".") in found.text
    assert found.provisional == (base != 360_000)  # 500.000 and 540.000 are not confirmed in the text


@pytest.mark.parametrize(("code", "age"), [("sa_orphan", 16), ("sa_child_hiv", 16), ("sa_elderly_poor_alone", 59),
                                           ("sa_child_under_3", 3), ("sa_orphan_student", 15),
                                           ("sa_elderly_75", 74), ("sa_elderly_75", 80), ("sa_elderly_80", 79)])
def test_it_refuses_an_age_outside_the_bands(book: RuleBook, code: str, age: int) -> None:
    on = D(2024, 12, 1) if code not in ("sa_elderly_75", "sa_elderly_80") else D(2024, 12, 1)
    with pytest.raises(NotInForce, match=f"Tuổi {age} nằm ngoài"):
        book.amount(code, on, birth_date=born(age, on))


def test_it_counts_the_new_age_from_the_birthday(book: RuleBook) -> None:
    birth = D(2020, 7, 15)
    assert book.amount("sa_orphan", D(2024, 7, 14), birth_date=birth).amount == 1_250_000  # still 3
    assert book.amount("sa_orphan", D(2024, 7, 15), birth_date=birth).amount == 750_000  # 4 today
    assert age_on(D(1944, 2, 29), D(2024, 2, 28)) == 79 and age_on(D(1944, 2, 29), D(2024, 2, 29)) == 80


def test_it_asks_for_a_birth_date_only_when_the_amount_depends_on_age(book: RuleBook) -> None:
    with pytest.raises(NotInForce, match="cần ngày sinh"):
        book.amount("sa_disability_severe", FROM_2024)
    assert book.amount("sa_elderly_75", FROM_2023).amount == 360_000  # one band: the age is not needed


def test_it_multiplies_the_single_parent_allowance_per_child(book: RuleBook) -> None:
    assert book.amount("sa_single_parent", FROM_2024, children=3).amount == 1_500_000
    assert "× 3 con" in book.amount("sa_single_parent", FROM_2024, children=3).text
    with pytest.raises(NotInForce, match="số con"):
        book.amount("sa_single_parent", FROM_2024, children=0)


@pytest.mark.parametrize(("code", "age", "coefficient"), [("sa_elderly_75", 75, 1.0), ("sa_elderly_75", 79, 1.0),
                                                       ("sa_elderly_80", 80, 1.0), ("sa_elderly_80", 95, 1.0)])
@pytest.mark.parametrize(("on", "base"), [(BEFORE_2024, 360_000), (FROM_2024, 500_000), (BEFORE_2025, 500_000)])
def test_it_prices_the_5_5_b_and_c_groups_from_their_ages(book: RuleBook, code: str, age: int, coefficient: float,
                                                          on: dt.date, base: int) -> None:
    assert book.amount(code, on, birth_date=born(age, on)).amount == round(coefficient * base)


@pytest.mark.parametrize("code", ["sa_elderly_75", "sa_elderly_80"])
def test_it_ends_the_5_5_b_and_c_groups_with_june_2025(book: RuleBook, code: str) -> None:
    assert book.amount(code, BEFORE_2025, birth_date=D(1944, 1, 1) if code == "sa_elderly_80" else None).amount == 500_000
    assert book.in_force(code, BEFORE_2025) and not book.in_force(code, FROM_2025)
    with pytest.raises(NotInForce, match="không áp dụng vào ngày 01/07/2025"):
        book.amount(code, FROM_2025)


def test_it_starts_the_social_pension_in_july_2025(book: RuleBook) -> None:
    with pytest.raises(NotInForce, match="không áp dụng vào ngày 30/06/2025"):
        book.amount("social_pension", BEFORE_2025)
    assert book.amount("social_pension", FROM_2025).amount == 500_000
    assert book.amount("social_pension", BEFORE_2026).amount == 500_000
    assert book.amount("social_pension", FROM_2026).amount == 540_000
    assert book.amount("social_pension", FROM_2026).provisional


def test_it_keeps_the_social_pension_apart_from_the_sa_base(book: RuleBook) -> None:
    assert book.base("social_pension", FROM_2025).legal_basis.startswith("Điều 3 Nghị định 176/2025")
    assert book.base("sa_base", FROM_2025).amount == 500_000
    assert book.base("merit_base", D(2021, 7, 1)).amount == 1_624_000
    assert book.base("merit_base", BEFORE_2023).amount == 1_624_000
    assert book.base("merit_base", FROM_2023).amount == 2_055_000
    assert book.base("merit_base", FROM_2023).decided_on == D(2023, 7, 21)
    assert book.base("merit_base", FROM_2024).amount == 2_789_000
    assert book.base("merit_base", FROM_2026).amount == 3_012_000
    assert book.base("merit_base", FROM_2026).provisional
    assert book.base("base_salary", BEFORE_2026).amount == 2_340_000
    assert book.base("base_salary", FROM_2026).amount == 2_530_000
    assert book.base("sa_base", FROM_2026).decided_on == D(2026, 8, 21)
    with pytest.raises(NotInForce, match="Chưa có mức trợ cấp hưu trí xã hội"):
        book.base("social_pension", BEFORE_2025)


def test_it_computes_the_carers_of_article_20(book: RuleBook) -> None:
    lines = book.lines("sa_orphan", FROM_2024, birth_date=D(2022, 1, 1), has_carer=True)
    assert [(line.category, line.kind, line.amount) for line in lines] == [
        ("sa_orphan", "allowance", 1_250_000), ("sa_carer_foster_child", "carer", 1_250_000)]
    lines = book.lines("sa_disability_especially_severe", FROM_2024, birth_date=D(1990, 1, 1), has_carer=True)
    assert [line.amount for line in lines] == [1_000_000, 500_000]
    assert book.amount("sa_carer_disability", FROM_2024, flag="taken_in", birth_date=D(2015, 1, 1)).amount == 1_250_000
    assert book.amount("sa_carer_disabled_mother", FROM_2024, flag="two_children").amount == 1_000_000
    with pytest.raises(NotInForce, match="cần chọn trường hợp"):
        book.amount("sa_carer_disabled_mother", FROM_2024)
    assert len(book.lines("sa_orphan", FROM_2024, birth_date=D(2022, 1, 1))) == 1  # no carer, no carer line
    mother = book.lines("sa_disability_severe", FROM_2024, birth_date=D(1995, 1, 1), has_carer=True,
                        flag="two_children")
    assert [(line.category, line.amount) for line in mother] == [
        ("sa_disability_severe", 750_000), ("sa_carer_disabled_mother", 1_000_000)]
    taken_in = book.lines("sa_disability_especially_severe", FROM_2024, birth_date=D(2015, 1, 1), has_carer=True,
                          flag="taken_in")
    assert [(line.category, line.amount) for line in taken_in] == [
        ("sa_disability_especially_severe", 1_250_000), ("sa_carer_disability", 1_250_000)]


# --- People with meritorious service: Decree 75/2021 Appendix I ------------------------------

APPENDIX_I = [
    # code, params, from 1/7/2023, from 1/7/2024
    ("merit_pre1945_fulltime", {}, 2_297_000, 3_117_000),
    ("merit_pre1945_parttime", {}, 3_899_000, 5_291_000),
    ("merit_pre_uprising", {}, 2_125_000, 2_884_000),
    ("merit_martyr_relative", {"martyrs": 1}, 2_055_000, 2_789_000),
    ("merit_martyr_relative", {"martyrs": 2}, 4_110_000, 5_578_000),
    ("merit_martyr_relative", {"martyrs": 3}, 6_165_000, 8_367_000),
    ("merit_martyr_relative", {"martyrs": 4}, 6_165_000, 8_367_000),
    ("merit_martyr_spouse_remarried", {}, 2_055_000, 2_789_000),
    ("merit_heroic_mother", {}, 6_165_000, 8_367_000),
    ("merit_hero", {}, 1_722_000, 2_337_000),
    ("merit_sick_soldier", {"rate": 41}, 2_145_000, 2_911_000),
    ("merit_sick_soldier", {"rate": 50}, 2_145_000, 2_911_000),
    ("merit_sick_soldier", {"rate": 51}, 2_673_000, 3_627_000),
    ("merit_sick_soldier", {"rate": 60}, 2_673_000, 3_627_000),
    ("merit_sick_soldier", {"rate": 61}, 3_406_000, 4_622_000),
    ("merit_sick_soldier", {"rate": 71}, 3_927_000, 5_329_000),
    ("merit_sick_soldier", {"rate": 80}, 3_927_000, 5_329_000),
    ("merit_sick_soldier", {"rate": 81}, 4_700_000, 6_378_000),
    ("merit_sick_soldier", {"rate": 91}, 5_235_000, 7_104_000),
    ("merit_sick_soldier", {"rate": 100}, 5_235_000, 7_104_000),
    ("merit_toxic_chemical", {"rate": 21}, 1_562_000, 2_120_000),
    ("merit_toxic_chemical", {"rate": 40}, 1_562_000, 2_120_000),
    ("merit_toxic_chemical", {"rate": 41}, 2_610_000, 3_542_000),
    ("merit_toxic_chemical", {"rate": 60}, 2_610_000, 3_542_000),
    ("merit_toxic_chemical", {"rate": 61}, 3_658_000, 4_964_000),
    ("merit_toxic_chemical", {"rate": 80}, 3_658_000, 4_964_000),
    ("merit_toxic_chemical", {"rate": 81}, 4_685_000, 6_358_000),
    ("merit_toxic_chemical", {"rate": 100}, 4_685_000, 6_358_000),
    ("merit_toxic_chemical_child", {"rate": 61}, 1_233_000, 1_673_000),
    ("merit_toxic_chemical_child", {"rate": 80}, 1_233_000, 1_673_000),
    ("merit_toxic_chemical_child", {"rate": 81}, 2_055_000, 2_789_000),
    ("merit_former_prisoner", {}, 1_233_000, 1_673_000),
    ("merit_helper", {}, 2_055_000, 2_789_000),
    ("merit_helper", {"flag": "medal"}, 1_208_000, 1_639_000),
    ("merit_survivor_pre1945", {}, 2_055_000, 2_789_000),
    ("merit_survivor_pre_uprising", {}, 1_153_000, 1_565_000),
    ("merit_survivor_invalid", {}, 1_153_000, 1_565_000),
    ("merit_survivor_sick_soldier", {}, 1_153_000, 1_565_000),
    ("merit_survivor_toxic_chemical", {}, 1_153_000, 1_565_000),
    ("merit_heroic_mother_supplement", {}, 1_722_000, 2_337_000),
    ("merit_heroic_mother_carer", {}, 2_055_000, 2_789_000),
    ("merit_pre1945_seniority", {"years": 1}, 390_000, 529_000),
    ("merit_pre1945_seniority", {"years": 10}, 3_900_000, 5_290_000),
    ("merit_invalid_81_supplement", {"rate": 81}, 1_031_000, 1_399_000),
    ("merit_invalid_81_supplement", {"rate": 100, "flag": "especially_severe"}, 2_113_000, 2_867_000),
    ("merit_invalid_carer", {"rate": 81}, 2_055_000, 2_789_000),
    ("merit_invalid_carer", {"rate": 90, "flag": "especially_severe"}, 2_640_000, 3_582_000),
    ("merit_sick_soldier_81_supplement", {"rate": 81}, 1_031_000, 1_399_000),
    ("merit_sick_soldier_81_supplement", {"rate": 81, "flag": "especially_severe"}, 2_055_000, 2_789_000),
    ("merit_sick_soldier_carer", {"rate": 81, "flag": "especially_severe"}, 2_640_000, 3_582_000),
    ("merit_toxic_chemical_81_supplement", {"rate": 81}, 1_031_000, 1_399_000),
    ("merit_toxic_chemical_81_supplement", {"rate": 81, "flag": "especially_severe"}, 2_055_000, 2_789_000),
    ("merit_toxic_chemical_carer", {"rate": 81}, 2_055_000, 2_789_000),
    ("merit_living_alone", {"flag": "living_alone"}, 1_644_000, 2_231_000),
    ("merit_study_full", {}, 2_055_000, 2_789_000),
    ("merit_study_partial", {}, 1_031_000, 1_399_000),
]


@pytest.mark.parametrize(("code", "params", "in_2023", "in_2024"), APPENDIX_I)
def test_it_reproduces_appendix_i_on_both_sides_of_each_change(book: RuleBook, code: str, params: dict[str, int],
                                                                in_2023: int, in_2024: int) -> None:
    assert book.amount(code, FROM_2023, **params).amount == in_2023
    assert book.amount(code, BEFORE_2024, **params).amount == in_2023
    assert book.amount(code, FROM_2024, **params).amount == in_2024
    # The 2026 base level (3.012.000, provisional) came without its tables: the 2024 table stays.
    assert book.amount(code, FROM_2026, **params).amount == in_2024
    with pytest.raises(NotInForce, match="Chưa có bảng mức trợ cấp cho diện .* cho ngày 30/06/2023"):
        book.amount(code, BEFORE_2023, **params)


def test_it_has_no_especially_severe_carer_row_for_toxic_chemical_victims(book: RuleBook) -> None:
    with pytest.raises(NotInForce, match="cần chọn trường hợp"):
        book.amount("merit_toxic_chemical_carer", FROM_2024, rate=90, flag="especially_severe")
    lines = book.lines("merit_toxic_chemical", FROM_2024, rate=90, especially_severe=True, has_carer=True)
    assert [(line.category, line.amount) for line in lines] == [
        ("merit_toxic_chemical", 6_358_000), ("merit_toxic_chemical_81_supplement", 2_789_000),
        ("merit_toxic_chemical_carer", 2_789_000)]


WAR_INVALIDS = [(code, table, rate, thousands * 1000)
                for code, tables in (("merit_war_invalid", (law_data.APPENDIX_II_2023, law_data.APPENDIX_II_2024)),
                                     ("merit_war_invalid_b", (law_data.APPENDIX_III_2023, law_data.APPENDIX_III_2024)))
                for table, values in zip((2023, 2024), tables, strict=True)
                for rate, thousands in zip(range(21, 101), values, strict=True)]


def test_it_ships_all_80_rows_of_appendices_ii_and_iii_in_both_years() -> None:
    assert len(WAR_INVALIDS) == 4 * 80
    # The sample rows benefits.md quotes, read independently of the table above.
    samples = {(2024, 21): 1_878_000, (2024, 41): 3_667_000, (2024, 61): 5_450_000, (2024, 81): 7_240_000,
               (2024, 100): 8_941_000, (2023, 21): 1_384_000, (2023, 41): 2_702_000, (2023, 61): 4_016_000,
               (2023, 81): 5_335_000, (2023, 100): 6_589_000}
    found = {(year, rate): value for code, year, rate, value in WAR_INVALIDS if code == "merit_war_invalid"}
    assert {key: found[key] for key in samples} == samples
    grade_b = {(year, rate): value for code, year, rate, value in WAR_INVALIDS if code == "merit_war_invalid_b"}
    assert grade_b[(2024, 21)] == 1_552_000 and grade_b[(2024, 100)] == 7_397_000
    assert grade_b[(2024, 55)] - grade_b[(2024, 54)] == 142_000  # the jump is in the law, not smoothed


@pytest.mark.parametrize(("code", "year", "rate", "value"), WAR_INVALIDS)
def test_it_reproduces_every_row_of_appendices_ii_and_iii(book: RuleBook, code: str, year: int, rate: int,
                                                          value: int) -> None:
    first, last = (FROM_2023, BEFORE_2024) if year == 2023 else (FROM_2024, FROM_2026)
    assert book.amount(code, first, rate=rate).amount == value
    assert book.amount(code, last, rate=rate).amount == value


@pytest.mark.parametrize("code", ["merit_war_invalid", "merit_war_invalid_b", "merit_toxic_chemical"])
@pytest.mark.parametrize("rate", [20, 101, 0])
def test_it_refuses_a_rate_outside_the_table(book: RuleBook, code: str, rate: int) -> None:
    with pytest.raises(NotInForce, match=f"Tỷ lệ tổn thương {rate}% nằm ngoài bảng mức .*từ 21% đến 100%"):
        book.amount(code, FROM_2024, rate=rate)


def test_it_refuses_a_sick_soldier_under_41_percent(book: RuleBook) -> None:
    with pytest.raises(NotInForce, match="từ 41% đến 100%"):
        book.amount("merit_sick_soldier", FROM_2024, rate=40)


@pytest.mark.parametrize("code", ["merit_war_invalid", "merit_sick_soldier", "merit_toxic_chemical_child"])
def test_it_asks_for_the_rate(book: RuleBook, code: str) -> None:
    with pytest.raises(NotInForce, match=r"cần tỷ lệ tổn thương cơ thể \(--rate\)"):
        book.amount(code, FROM_2024)


def test_it_asks_for_the_number_of_martyrs_and_refuses_zero(book: RuleBook) -> None:
    with pytest.raises(NotInForce, match=r"cần số liệt sĩ \(--martyrs\)"):
        book.amount("merit_martyr_relative", FROM_2024)
    with pytest.raises(NotInForce, match="Số liệt sĩ 0 không hợp lệ"):
        book.amount("merit_martyr_relative", FROM_2024, martyrs=0)


def test_it_refuses_an_unknown_category_and_one_without_a_monthly_allowance(book: RuleBook) -> None:
    with pytest.raises(NotInForce, match="Không có diện trợ cấp mã “sa_unknown”"):
        book.amount("sa_unknown", FROM_2024)
    with pytest.raises(NotInForce, match="không có mức trợ cấp hằng tháng"):
        book.amount("merit_resistance", FROM_2024)
    assert not book.in_force("merit_resistance", FROM_2024)


def test_it_has_every_category_code_of_the_issue(book: RuleBook) -> None:
    codes = ("sa_orphan sa_orphan_student sa_child_hiv sa_single_parent sa_elderly_poor_alone sa_elderly_75 "
             "sa_elderly_80 sa_elderly_community_care sa_disability_especially_severe sa_disability_severe "
             "sa_child_under_3 sa_hiv_poor social_pension merit_pre1945_fulltime merit_pre1945_parttime "
             "merit_pre_uprising merit_martyr_relative merit_heroic_mother merit_hero merit_war_invalid "
             "merit_war_invalid_b merit_sick_soldier merit_toxic_chemical merit_toxic_chemical_child "
             "merit_former_prisoner merit_resistance merit_helper").split()
    assert set(codes) <= set(book.categories)
    assert all(book.categories[code].kind == "allowance" for code in codes)


# --- lines(): supplements, carers, top-ups ---------------------------------------------------


def test_it_adds_the_supplements_and_carer_of_a_war_invalid(book: RuleBook) -> None:
    lines = book.lines("merit_war_invalid", FROM_2024, rate=81, has_carer=True)
    assert [(line.category, line.kind, line.amount) for line in lines] == [
        ("merit_war_invalid", "allowance", 7_240_000), ("merit_invalid_81_supplement", "supplement", 1_399_000),
        ("merit_invalid_carer", "carer", 2_789_000)]
    severe = book.lines("merit_war_invalid", FROM_2024, rate=81, has_carer=True, especially_severe=True)
    assert [line.amount for line in severe] == [7_240_000, 2_867_000, 3_582_000]
    assert [line.amount for line in book.lines("merit_war_invalid", FROM_2024, rate=80, has_carer=True)] == [7_150_000]


def test_it_adds_the_heroic_mother_supplement_and_carer(book: RuleBook) -> None:
    assert [line.amount for line in book.lines("merit_heroic_mother", FROM_2024, has_carer=True)] == [
        8_367_000, 2_337_000, 2_789_000]
    assert [line.amount for line in book.lines("merit_heroic_mother", FROM_2023)] == [6_165_000, 1_722_000]


def test_it_adds_seniority_per_year_and_the_living_alone_allowance(book: RuleBook) -> None:
    lines = book.lines("merit_pre1945_fulltime", FROM_2024, years=12)
    assert [(line.category, line.amount) for line in lines] == [
        ("merit_pre1945_fulltime", 3_117_000), ("merit_pre1945_seniority", 12 * 529_000)]
    assert len(book.lines("merit_pre1945_fulltime", FROM_2024)) == 1
    relative = book.lines("merit_martyr_relative", FROM_2024, martyrs=2, living_alone=True)
    assert [(line.category, line.amount) for line in relative] == [
        ("merit_martyr_relative", 5_578_000), ("merit_living_alone", 2_231_000)]
    assert len(book.lines("merit_martyr_relative", FROM_2024, martyrs=2)) == 1


def test_it_answers_with_a_constant_number_of_queries(django_db_blocker: object) -> None:
    with CaptureQueriesContext(connection) as queries:
        RuleBook.load(D(2024, 1, 1), D(2026, 12, 31), province_id=1)
    assert len(queries.captured_queries) <= 5
    with CaptureQueriesContext(connection) as queries:
        assert amount("merit_hero", FROM_2024).amount == 2_337_000
    assert len(queries.captured_queries) <= 5


def test_it_prices_200000_lines_asking_the_rules_once_per_distinct_case(book: RuleBook) -> None:
    """200.000 lines of 133 cases over 36 months: the rules are worked out once per distinct case
    and month (the cache), not once per line (its speed is `make bench`'s to measure)."""
    fresh = RuleBook(start=book.start, end=None, province_id=None, categories=book.categories, rules=book.rules,
                     bases=book.bases, province_bases=book.province_bases, top_ups=book.top_ups)
    cases = [("sa_elderly_poor_alone", {"birth_date": D(1930 + i % 30, 1 + i % 12, 1)}) for i in range(50)]
    cases += [("merit_war_invalid", {"rate": 21 + i % 80, "has_carer": i % 2 == 0}) for i in range(80)]
    cases += [("merit_martyr_relative", {"martyrs": 1 + i % 3}) for i in range(3)]
    months = [D(2023 + (6 + i) // 12, 1 + (6 + i) % 12, 28) for i in range(36)]  # 7/2023 to 6/2026
    worked = 0
    work = fresh._lines

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal worked
        worked += 1
        return work(*args, **kwargs)

    fresh._lines = counted  # type: ignore[method-assign]
    total = 0
    for i in range(200_000):
        code, params = cases[i % len(cases)]
        total += sum(line.amount for line in fresh.lines(code, months[i % len(months)], **params))  # type: ignore[arg-type]
    assert total > 0
    distinct = len({(i % len(cases), i % len(months)) for i in range(200_000)})
    assert 0 < worked <= distinct < 200_000
