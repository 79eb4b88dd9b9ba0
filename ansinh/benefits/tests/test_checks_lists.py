"""The two lists of issue 11 item 4: who appears eligible but receives nothing, who is paid but no
longer appears eligible. Each reason on a hand-made case, and the people who must not be listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.benefits.checks import Kind, eligible_unpaid, paid_ineligible

from .checks_data import category, entitle, household, member, other_commune

pytestmark = pytest.mark.django_db

JUNE_2025 = dt.date(2025, 6, 10)
NOV_2025 = dt.date(2025, 11, 20)


def kinds(findings: list, person_id: int) -> list[str]:
    return sorted(f.kind for f in findings if f.person_id == person_id)


# --- Eligible but receiving nothing ---------------------------------------------------------


def test_it_lists_a_person_of_80_with_no_pension_before_july_2025(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    old = member(h, "Nguyễn Thị Tám", dt.date(1945, 6, 30))  # 80 on the last day of June 2025
    member(h, "Nguyễn Văn Hưu", dt.date(1944, 1, 1), relation="spouse", pension=True)  # has a pension
    almost = member(h, "Trần Thị Bảy", dt.date(1945, 7, 1), relation="sibling")  # 80 in July only
    found = eligible_unpaid(units.tra_cu, JUNE_2025)
    assert kinds(found, old.pk) == [Kind.AGE_80]
    line = next(f for f in found if f.person_id == old.pk)
    assert "Đủ 80 tuổi (sinh ngày 30/06/1945)" in line.reason
    assert "Điều 5 khoản 5 điểm c Nghị định 20/2021/NĐ-CP" in line.reason
    assert line.category == "sa_elderly_80" and line.commune_id == units.tra_cu.pk and line.household_id == h.pk
    assert kinds(found, almost.pk) == []
    assert all(f.name != "Nguyễn Văn Hưu" for f in found)


def test_it_does_not_list_a_person_already_paid(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    paid = member(h, "Lê Thị Chín", dt.date(1940, 1, 1))
    entitle(paid, "sa_elderly_80", start=dt.date(2020, 1, 1))
    stopped = member(h, "Lê Văn Mười", dt.date(1940, 2, 1), relation="spouse")
    entitle(stopped, "sa_elderly_80", start=dt.date(2021, 1, 1), stop=dt.date(2025, 1, 1))
    found = eligible_unpaid(units.tra_cu, JUNE_2025)
    assert kinds(found, paid.pk) == []
    assert kinds(found, stopped.pk) == [Kind.AGE_80]  # stopped before the month: receives nothing


def test_it_lists_the_social_pension_from_july_2025(units):  # type: ignore[no-untyped-def]
    poor = household(units.tra_cu, status="poor")
    seventy_poor = member(poor, "Phạm Thị Bảy Mươi", dt.date(1954, 1, 5))
    rich = household(units.tra_cu, status="not_poor")
    seventy_rich = member(rich, "Phạm Văn Giàu", dt.date(1954, 1, 5))
    seventy_five = member(rich, "Phạm Văn Bảy Lăm", dt.date(1950, 11, 30), relation="parent")
    on_sa = member(rich, "Phạm Thị Trợ Cấp", dt.date(1948, 1, 1), relation="parent")
    entitle(on_sa, "sa_disability_severe")
    pensioner = member(poor, "Phạm Văn Lương", dt.date(1940, 1, 1), relation="parent", pension=True)
    found = eligible_unpaid(units.tra_cu, NOV_2025)
    assert kinds(found, seventy_poor.pk) == [Kind.PENSION_70_POOR]
    assert "thuộc hộ nghèo" in next(f.reason for f in found if f.person_id == seventy_poor.pk)
    assert kinds(found, seventy_five.pk) == [Kind.PENSION_75]
    line = next(f for f in found if f.person_id == seventy_five.pk)
    assert "Điều 21 Luật Bảo hiểm xã hội số 41/2024/QH15" in line.reason and line.category == "social_pension"
    assert kinds(found, seventy_rich.pk) == []  # 70–75 and not poor: not eligible
    assert kinds(found, on_sa.pk) == []  # on social assistance: gets the higher of the two
    assert kinds(found, pensioner.pk) == []


def test_it_lists_a_child_with_no_parent_in_a_poor_household(units):  # type: ignore[no-untyped-def]
    orphaned = household(units.tra_cu, status="poor")
    member(orphaned, "Bà Nội", dt.date(1950, 1, 1), relation="head")
    grandchild = member(orphaned, "Cháu Mồ Côi", dt.date(2015, 3, 3), relation="grandchild")
    with_parents = household(units.tra_cu, status="poor")
    member(with_parents, "Ông Chủ", dt.date(1950, 1, 1), relation="head")
    member(with_parents, "Con Trai", dt.date(1985, 1, 1), relation="child")
    kept = member(with_parents, "Cháu Có Cha", dt.date(2016, 1, 1), relation="grandchild")
    head_dead = household(units.tra_cu, status="poor")
    member(head_dead, "Cha Đã Mất", dt.date(1980, 1, 1), relation="head", died_on=dt.date(2024, 5, 1))
    child = member(head_dead, "Con Mồ Côi", dt.date(2012, 1, 1), relation="child")
    adult_child = member(head_dead, "Con Lớn", dt.date(2005, 1, 1), relation="child")  # 20: not a child
    not_poor = household(units.tra_cu, status="near_poor")
    member(not_poor, "Cháu Cận Nghèo", dt.date(2015, 1, 1), relation="other")
    found = eligible_unpaid(units.tra_cu, NOV_2025)
    assert kinds(found, grandchild.pk) == [Kind.CHILD_NO_PARENT]
    assert kinds(found, child.pk) == [Kind.CHILD_NO_PARENT]
    line = next(f for f in found if f.person_id == child.pk)
    assert "Điều 5 khoản 1 Nghị định 20/2021/NĐ-CP" in line.reason and "không còn chủ hộ" in line.reason
    assert kinds(found, kept.pk) == []
    assert kinds(found, adult_child.pk) == []
    assert all(f.name != "Cháu Cận Nghèo" for f in found)


def test_it_lists_a_severe_disability_with_no_social_assistance(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    severe = member(h, "Người Khuyết Tật", dt.date(1990, 1, 1), disability="especially_severe")
    mild = member(h, "Khuyết Tật Nhẹ", dt.date(1991, 1, 1), relation="spouse", disability="mild")
    paid = member(h, "Đã Hưởng", dt.date(1992, 1, 1), relation="sibling", disability="severe")
    entitle(paid, "sa_disability_severe")
    found = eligible_unpaid(units.tra_cu, NOV_2025)
    assert kinds(found, severe.pk) == [Kind.DISABILITY]
    line = next(f for f in found if f.person_id == severe.pk)
    assert "Khuyết tật đặc biệt nặng" in line.reason and "Điều 5 khoản 6" in line.reason
    assert line.category == "sa_disability_especially_severe"
    assert kinds(found, mild.pk) == [] and kinds(found, paid.pk) == []


def test_it_lists_an_elderly_person_alone_in_a_poor_household(units):  # type: ignore[no-untyped-def]
    alone = household(units.tra_cu, status="poor")
    lonely = member(alone, "Cụ Một Mình", dt.date(1960, 1, 1))
    together = household(units.tra_cu, status="poor")
    not_alone = member(together, "Cụ Có Con", dt.date(1960, 1, 1))
    member(together, "Con", dt.date(1990, 1, 1), relation="child")
    found = eligible_unpaid(units.tra_cu, NOV_2025)
    assert kinds(found, lonely.pk) == [Kind.ELDERLY_POOR_ALONE]
    assert "Điều 5 khoản 5 điểm a" in next(f.reason for f in found if f.person_id == lonely.pk)
    assert kinds(found, not_alone.pk) == []


def test_it_skips_the_dead_and_those_who_moved_out(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    member(h, "Cụ Đã Mất", dt.date(1930, 1, 1), died_on=dt.date(2025, 1, 1))
    member(h, "Cụ Đã Đi", dt.date(1930, 1, 1), relation="spouse", left_on=dt.date(2025, 2, 1))
    assert eligible_unpaid(units.tra_cu, NOV_2025) == []


# --- Paid but no longer eligible ----------------------------------------------------------------


def test_it_lists_an_entitlement_open_after_the_month_of_death(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    died_october = member(h, "Người Mất Tháng Mười", dt.date(1940, 1, 1), died_on=dt.date(2025, 10, 31))
    entitle(died_october, "social_pension", start=dt.date(2025, 7, 1))
    died_november = member(h, "Người Mất Tháng Này", dt.date(1940, 1, 1), relation="spouse",
                           died_on=dt.date(2025, 11, 2))
    entitle(died_november, "social_pension", start=dt.date(2025, 7, 1))  # paid through the month of death
    stopped = member(h, "Đã Dừng Đúng", dt.date(1940, 1, 1), relation="sibling", died_on=dt.date(2025, 9, 1))
    entitle(stopped, "social_pension", start=dt.date(2025, 7, 1), stop=dt.date(2025, 10, 1))
    found = paid_ineligible(units.tra_cu, NOV_2025)
    assert kinds(found, died_october.pk) == [Kind.DIED]
    line = next(f for f in found if f.person_id == died_october.pk)
    assert "Đã chết ngày 31/10/2025" in line.reason and "tháng 11/2025" in line.reason
    assert "Nghị định 176/2025/NĐ-CP" in line.reason and line.entitlement_id is not None
    assert kinds(found, died_november.pk) == [] and kinds(found, stopped.pk) == []


def test_it_lists_people_who_moved_away(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    moved = member(h, "Đã Chuyển Đi", dt.date(1950, 1, 1), left_on=dt.date(2025, 8, 1))
    entitle(moved, "sa_disability_severe")
    elsewhere = other_commune(units.vinh_long, units.tra_cu)
    h2 = household(elsewhere)
    lives_there = member(h2, "Ở Xã Khác", dt.date(1950, 1, 1))
    entitle(lives_there, "sa_disability_severe", commune=units.tra_cu)  # still paid by Trà Cú
    found = paid_ineligible(units.tra_cu, NOV_2025)
    assert kinds(found, moved.pk) == [Kind.MOVED]
    assert "Điều 8 khoản 4 Nghị định 20/2021/NĐ-CP" in next(f.reason for f in found if f.person_id == moved.pk)
    assert kinds(found, lives_there.pk) == [Kind.OTHER_COMMUNE]
    assert elsewhere.name in next(f.reason for f in found if f.person_id == lives_there.pk)


def test_it_lists_a_category_that_needs_a_poor_household(units):  # type: ignore[no-untyped-def]
    near = household(units.tra_cu, status="near_poor")
    hiv = member(near, "Người Có HIV", dt.date(1980, 1, 1))
    entitle(hiv, "sa_hiv_poor")
    single = member(near, "Mẹ Đơn Thân", dt.date(1985, 1, 1), relation="spouse")
    entitle(single, "sa_single_parent", children=1)  # near-poor is enough for 5(4)
    rich = household(units.tra_cu, status="not_poor")
    parent = member(rich, "Cha Đơn Thân", dt.date(1985, 1, 1))
    entitle(parent, "sa_single_parent", children=2)
    young_pensioner = member(rich, "Bảy Mươi Hai", dt.date(1953, 5, 5), relation="parent")
    entitle(young_pensioner, "social_pension", start=dt.date(2025, 7, 1))
    unknown = household(units.tra_cu)  # never assessed: not listed
    unassessed = member(unknown, "Chưa Rà Soát", dt.date(1980, 1, 1))
    entitle(unassessed, "sa_hiv_poor")
    found = paid_ineligible(units.tra_cu, NOV_2025)
    assert kinds(found, hiv.pk) == [Kind.NOT_POOR]
    assert "Hộ nay là hộ cận nghèo" in next(f.reason for f in found if f.person_id == hiv.pk)
    assert "Điều 5 khoản 8" in next(f.reason for f in found if f.person_id == hiv.pk)
    assert kinds(found, single.pk) == []
    assert kinds(found, parent.pk) == [Kind.NOT_POOR]
    assert kinds(found, young_pensioner.pk) == [Kind.NOT_POOR]
    assert "Điều 21 Luật" in next(f.reason for f in found if f.person_id == young_pensioner.pk)
    assert kinds(found, unassessed.pk) == []


def test_it_lists_an_orphan_of_16_who_does_not_study_and_a_student_of_22(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    sixteen = member(h, "Mười Sáu", dt.date(2009, 10, 15))  # 16 in October 2025
    entitle(sixteen, "sa_orphan")
    studying = member(h, "Đang Học", dt.date(2009, 10, 15), relation="sibling", schooling="upper_secondary")
    entitle(studying, "sa_orphan")
    this_month = member(h, "Tròn Mười Sáu", dt.date(2009, 11, 3), relation="sibling")  # 16 this month: paid
    entitle(this_month, "sa_orphan")
    student = member(h, "Sinh Viên", dt.date(2003, 9, 1), relation="sibling", schooling="higher")
    entitle(student, "sa_orphan_student")
    dropped = member(h, "Bỏ Học", dt.date(2006, 1, 1), relation="sibling")
    entitle(dropped, "sa_orphan_student")
    found = paid_ineligible(units.tra_cu, NOV_2025)
    assert kinds(found, sixteen.pk) == [Kind.ORPHAN_16]
    assert kinds(found, studying.pk) == [] and kinds(found, this_month.pk) == []
    assert kinds(found, student.pk) == [Kind.STUDENT_22]
    assert kinds(found, dropped.pk) == [Kind.STUDENT_NOT_STUDYING]


def test_it_lists_two_social_assistance_categories_but_not_the_single_parent_exception(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu, status="poor")
    two = member(h, "Hai Chế Độ", dt.date(1990, 1, 1))
    entitle(two, "sa_disability_severe")
    entitle(two, "sa_hiv_poor")
    exception = member(h, "Mẹ Đơn Thân Khuyết Tật", dt.date(1991, 1, 1), relation="spouse")
    entitle(exception, "sa_single_parent", children=1)
    entitle(exception, "sa_disability_severe")
    not_allowed = member(h, "Đơn Thân Và Mồ Côi", dt.date(2008, 1, 1), relation="child", schooling="upper_secondary")
    entitle(not_allowed, "sa_single_parent", children=1)
    entitle(not_allowed, "sa_orphan_student")
    found = paid_ineligible(units.tra_cu, NOV_2025)
    assert kinds(found, two.pk) == [Kind.TWO_SA]
    line = next(f for f in found if f.person_id == two.pk)
    assert "Điều 6 khoản 2 Nghị định 20/2021/NĐ-CP" in line.reason and line.category == "sa_disability_severe+sa_hiv_poor"
    assert kinds(found, exception.pk) == []
    assert kinds(found, not_allowed.pk) == [Kind.TWO_SA]


def test_it_lists_the_social_pension_and_social_assistance_both_open(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu, status="poor")
    both = member(h, "Cả Hai", dt.date(1945, 1, 1))
    entitle(both, "social_pension", start=dt.date(2025, 7, 1))
    entitle(both, "sa_disability_severe")
    found = paid_ineligible(units.tra_cu, NOV_2025)
    assert kinds(found, both.pk) == [Kind.PENSION_AND_SA]
    assert "Điều 22 Luật Bảo hiểm xã hội số 41/2024/QH15" in next(f.reason for f in found if f.person_id == both.pk)


def test_it_lists_5_5_b_and_c_still_open_after_june_2025(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    eighty = member(h, "Tám Mươi Lăm", dt.date(1940, 1, 1))
    entitle(eighty, "sa_elderly_80", start=dt.date(2021, 1, 1))
    stopped = member(h, "Đã Chuyển", dt.date(1940, 1, 1), relation="spouse")
    entitle(stopped, "sa_elderly_80", start=dt.date(2021, 1, 1), stop=dt.date(2025, 7, 1))
    assert kinds(paid_ineligible(units.tra_cu, JUNE_2025), eighty.pk) == []
    found = paid_ineligible(units.tra_cu, NOV_2025)
    assert kinds(found, eighty.pk) == [Kind.CATEGORY_ENDED]
    assert "không còn áp dụng từ 01/7/2025" in next(f.reason for f in found if f.person_id == eighty.pk)
    assert kinds(found, stopped.pk) == []


def test_it_lists_a_pension_recorded_for_an_80_year_old_on_5_5_c(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu)
    pensioner = member(h, "Có Lương Hưu", dt.date(1940, 1, 1), pension=True)
    entitle(pensioner, "sa_elderly_80", start=dt.date(2021, 1, 1))
    found = paid_ineligible(units.tra_cu, JUNE_2025)
    assert kinds(found, pensioner.pk) == [Kind.HAS_PENSION]


def test_it_lists_a_dead_person_once(units):  # type: ignore[no-untyped-def]
    h = household(units.tra_cu, status="not_poor")
    dead = member(h, "Mất Và Không Nghèo", dt.date(1980, 1, 1), died_on=dt.date(2025, 3, 1))
    entitle(dead, "sa_hiv_poor")
    entitle(dead, "sa_disability_severe")
    found = paid_ineligible(units.tra_cu, NOV_2025)
    assert kinds(found, dead.pk) == [Kind.DIED, Kind.DIED]


def test_it_keeps_to_the_unit(units):  # type: ignore[no-untyped-def]
    elsewhere = other_commune(units.vinh_long, units.tra_cu)
    there = household(elsewhere)
    old = member(there, "Cụ Xã Khác", dt.date(1930, 1, 1))
    dead = member(there, "Mất Xã Khác", dt.date(1930, 1, 1), relation="spouse", died_on=dt.date(2025, 1, 1))
    entitle(dead, "social_pension", start=dt.date(2025, 7, 1))
    assert eligible_unpaid(units.tra_cu, NOV_2025) == [] and paid_ineligible(units.tra_cu, NOV_2025) == []
    assert [f.person_id for f in eligible_unpaid(units.vinh_long, NOV_2025)] == [old.pk]
    assert [f.person_id for f in paid_ineligible(units.vinh_long, NOV_2025)] == [dead.pk]
    assert eligible_unpaid(units.legacy_tra_vinh, NOV_2025) == []


def test_it_runs_a_constant_number_of_queries(units):  # type: ignore[no-untyped-def]
    category("sa_disability_severe")
    category("social_pension")

    def make(n: int) -> None:
        for i in range(n):
            h = household(units.tra_cu, status="poor")
            member(h, f"Cụ {i}", dt.date(1940, 1, 1))
            member(h, f"Cháu {i}", dt.date(2015, 1, 1), relation="grandchild")
            dead = member(h, f"Mất {i}", dt.date(1950, 1, 1), relation="spouse", died_on=dt.date(2025, 1, 1))
            entitle(dead, "social_pension", start=dt.date(2025, 7, 1))
            entitle(dead, "sa_disability_severe")

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            eligible_unpaid(units.vinh_long, NOV_2025)
        with CaptureQueriesContext(connection) as ctx2:
            paid_ineligible(units.vinh_long, NOV_2025)
        return len(ctx), len(ctx2)

    make(2)
    few = queries()
    make(8)
    assert queries() == few
    assert len(eligible_unpaid(units.vinh_long, NOV_2025)) == 20
    assert few[0] <= 8 and few[1] <= 20
