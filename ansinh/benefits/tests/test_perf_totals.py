"""The totals-only path (`monthly.paid_parts`, behind `month_totals` and the counted figures)
gives exactly what the month's lines (`monthly.month_lines`) give, precedence and deaths included,
with a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.benefits.models import Entitlement, LineKind
from ansinh.benefits.monthly import month_lines, month_totals, paid_parts

from .checks_data import entitle, household, member
from .test_checks_figures import make_register

pytestmark = pytest.mark.django_db

MONTHS = [dt.date(2025, 6, 1), dt.date(2025, 7, 1), dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)]


def from_lines(month: dt.date) -> list[tuple[int, int, str, str, int]]:
    """The paid parts as the lines say: each paid line with an amount, with its entitlement's own
    category (its first allowance line's)."""
    lines = month_lines(Entitlement.objects.all(), month)
    own: dict[int, str] = {}
    for line in lines:
        if line.kind == LineKind.ALLOWANCE and line.entitlement_id not in own:
            own[line.entitlement_id] = line.category
    return [(line.person_id, line.commune_id, line.scheme, own.get(line.entitlement_id, line.category), line.amount)
            for line in lines if line.paid and line.amount]


def totals_from_lines(month: dt.date) -> dict[tuple[int, str], tuple[int, int]]:
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    amounts: dict[tuple[int, str], int] = defaultdict(int)
    for line in month_lines(Entitlement.objects.all(), month):
        if line.paid and line.amount:
            people[(line.commune_id, line.scheme)].add(line.person_id)
            amounts[(line.commune_id, line.scheme)] += line.amount
    return {key: (len(people[key]), amounts[key]) for key in amounts}


def make_more(units):  # type: ignore[no-untyped-def]
    """Besides `make_register`'s: a person who died in October on two categories, a pensioner also
    on social assistance (the higher paid), a single parent also disabled (both paid), a war
    invalid with a carer, a person on a category with no rule for her case."""
    h = household(units.tra_cu, status="poor")
    dead = member(h, "Đã Mất", dt.date(1950, 1, 1), died_on=dt.date(2025, 10, 15))
    entitle(dead, "sa_disability_severe")
    entitle(dead, "sa_hiv_poor")
    lone_dead = member(h, "Mất Một Chế Độ", dt.date(1952, 1, 1), relation="spouse", died_on=dt.date(2025, 11, 20))
    entitle(lone_dead, "sa_disability_severe")
    both = member(h, "Hưu Và Trợ Cấp", dt.date(1947, 1, 1), relation="parent")
    entitle(both, "social_pension", start=dt.date(2025, 7, 1))
    entitle(both, "sa_disability_especially_severe")
    parent = member(h, "Đơn Thân", dt.date(1990, 1, 1), relation="child")
    entitle(parent, "sa_single_parent", children=2)
    entitle(parent, "sa_disability_severe")
    invalid = member(h, "Thương Binh Nặng", dt.date(1950, 5, 1), relation="other", sex="male")
    entitle(invalid, "merit_war_invalid", rate=85, carer_name="Người Phục Vụ")


def test_it_gives_exactly_the_paid_lines_of_month_lines(units):  # type: ignore[no-untyped-def]
    make_register(units)
    make_more(units)
    for month in MONTHS:
        assert sorted(paid_parts(Entitlement.objects.all(), month)) == sorted(from_lines(month)), month
        assert month_totals(Entitlement.objects.all(), month) == totals_from_lines(month), month
    assert any(paid_parts(Entitlement.objects.all(), month) for month in MONTHS)


def test_it_reads_with_a_constant_number_of_queries(units):  # type: ignore[no-untyped-def]
    make_register(units)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            paid_parts(Entitlement.objects.all(), dt.date(2025, 12, 1))
        return len(ctx)

    few = queries()
    make_more(units)
    assert queries() == few


def test_it_has_nothing_for_no_entitlement(units):  # type: ignore[no-untyped-def]
    assert paid_parts(Entitlement.objects.none(), dt.date(2025, 12, 1)) == []
    assert month_totals(Entitlement.objects.none(), dt.date(2025, 12, 1)) == {}


def test_it_reads_the_eligible_elderly_and_disabled_through_the_members_indexes(units):  # type: ignore[no-untyped-def]
    from ansinh.benefits.checks import eligible_unpaid

    h = household(units.tra_cu, status="poor")
    old = member(h, "Cụ Tám Mươi", dt.date(1940, 1, 1))
    young = member(h, "Người Trẻ", dt.date(1995, 1, 1), relation="child")
    disabled = member(h, "Khuyết Tật Nặng", dt.date(1990, 1, 1), relation="spouse", disability="severe")
    with CaptureQueriesContext(connection) as ctx:
        found = eligible_unpaid(units.tra_cu, dt.date(2025, 11, 1))
    listed = {f.person_id for f in found}
    assert old.pk in listed and disabled.pk in listed and young.pk not in listed
    if connection.vendor != "sqlite":
        return  # PostgreSQL chooses by its statistics: on a few rows it starts from the households
    first = next(q["sql"] for q in ctx.captured_queries if '"disability"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + first)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "member_birth_date_idx" in plan and "member_disability_idx" in plan, plan
