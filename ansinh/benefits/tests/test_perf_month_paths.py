"""The fast paths of `monthly` (a person's single entitlement, a person holding several with
nothing to weigh, the people counted by case in the totals and figures, the birth date read as an
integer) give exactly what the full precedence gives, on a generated demo province and on the
cases that test the precedence."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from ansinh.benefits import indicators, monthly
from ansinh.benefits.models import Entitlement, LineKind, Scheme
from ansinh.benefits.monthly import month_lines, month_totals, paid_parts, paid_summary

from .checks_data import entitle, household, member
from .test_perf_totals import from_lines, make_more, totals_from_lines

pytestmark = pytest.mark.django_db

MONTHS = [dt.date(2023, 6, 1), dt.date(2023, 7, 1), dt.date(2024, 7, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1),
          dt.date(2025, 11, 1), dt.date(2026, 11, 1)]


def reference_lines(entitlements: Any, month: dt.date) -> list[monthly.MonthLine]:
    """The month's lines with the precedence applied to every person, none left out: the slow
    path, the fast paths' yardstick (by person in the order of the rows)."""
    rows, book = monthly._load_month(entitlements, month)
    price = monthly._pricer(month, book)
    by_person: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_person[row[monthly.PERSON]].append(row)
    return [line for group in by_person.values() for line in monthly._weighed(group, price, book, month)]


def reference_figures(communes: list[int], month: dt.date) -> dict[str, dict[tuple[int, str], float]]:
    """The counted stocks from the month's lines, people in sets (the figures' former way)."""
    counts: dict[str, dict[tuple[int, str], float]] = {name: {} for name in indicators.STOCK_QUERIES}
    people: dict[tuple[str, int, str], set[int]] = defaultdict(set)
    amounts: dict[tuple[str, int], int] = defaultdict(int)
    for person, commune, scheme, code, amount in from_lines(month):
        amounts[(scheme, commune)] += amount
        for key in indicators._people_keys(scheme, commune, code):
            people[key].add(person)
    for (query, commune, breakdown), persons in people.items():
        counts[query][(commune, breakdown)] = float(len(persons))
    for (scheme, commune), amount in amounts.items():
        counts[indicators.AMOUNT[scheme]][(commune, "")] = amount / indicators.MILLION
    return counts


def make_weighed(units):  # type: ignore[no-untyped-def]
    """People holding several entitlements: a war invalid (81 %, a carer) also on the social
    pension (both paid), a war invalid and a toxic-chemical victim each with a carer (only the
    highest carer allowance), a martyr's mother on two social-assistance categories and the
    social pension (the highest of them), one born on the last day of a month, one born on 29
    February, one born after the month counted."""
    h = household(units.tra_cu, status="near_poor")
    both = member(h, "Thương Binh Hưu Trí", dt.date(1945, 3, 2), sex="male")
    entitle(both, "merit_war_invalid", rate=81, carer_name="Người Nhà")
    entitle(both, "social_pension", start=dt.date(2025, 7, 1))
    carers = member(h, "Hai Người Phục Vụ", dt.date(1950, 6, 30), relation="spouse", sex="male")
    entitle(carers, "merit_war_invalid", rate=85, carer_name="Con Trai")
    entitle(carers, "merit_toxic_chemical", rate=81, carer_name="Con Gái")
    mother = member(h, "Mẹ Liệt Sĩ", dt.date(1944, 2, 29), relation="parent")
    entitle(mother, "merit_martyr_relative", martyr_count=2)
    entitle(mother, "sa_disability_severe")
    entitle(mother, "sa_elderly_poor_alone")
    entitle(mother, "social_pension", start=dt.date(2025, 7, 1))
    child = member(h, "Trẻ Sinh Cuối Tháng", dt.date(2021, 7, 31), relation="grandchild")
    entitle(child, "sa_orphan", start=dt.date(2023, 1, 1))
    late = member(h, "Sinh Sau Tháng Tính", dt.date(2026, 12, 1), relation="grandchild")
    entitle(late, "sa_orphan", start=dt.date(2026, 1, 1))


def as_tuples(lines: list[monthly.MonthLine]) -> list[tuple[Any, ...]]:
    return [dataclasses.astuple(line) for line in lines]


def test_it_gives_the_full_precedence_on_a_demo_province(settings, units):  # type: ignore[no-untyped-def]
    settings.DEMO = True
    call_command("demo", "generate", "--province", "86", "--households", "700", "--seed", "1", stdout=StringIO())
    make_more(units)
    make_weighed(units)
    everyone = Entitlement.objects.all()
    communes = sorted(set(everyone.values_list("commune_id", flat=True)))
    several = 0
    for month in MONTHS:
        lines = month_lines(everyone, month)
        assert as_tuples(lines) == as_tuples(reference_lines(everyone, month)), month  # the order too
        assert paid_parts(everyone, month) == from_lines(month), month
        assert month_totals(everyone, month) == totals_from_lines(month), month
        assert indicators.month_figures(communes, month) == reference_figures(communes, month), month
        singles, others = paid_summary(everyone, month)
        assert sum(n for n in singles.values()) + len({p for p, *_ in others}) == len(
            {line.person_id for line in lines if line.paid and line.amount}), month
        several += len({p for p, *_ in others})
    assert several  # the people holding several were weighed, not only counted by case


def test_it_pays_only_the_highest_carer_and_both_the_merit_and_the_pension(units):  # type: ignore[no-untyped-def]
    make_weighed(units)
    lines = month_lines(Entitlement.objects.all(), dt.date(2025, 11, 1))
    by_name: dict[str, list[monthly.MonthLine]] = defaultdict(list)
    names = dict(Entitlement.objects.values_list("pk", "person__full_name"))
    for line in lines:
        by_name[names[line.entitlement_id]].append(line)
    assert all(line.paid for line in by_name["Thương Binh Hưu Trí"])
    assert {line.scheme for line in by_name["Thương Binh Hưu Trí"]} == {Scheme.MERITORIOUS, Scheme.SOCIAL_PENSION}
    carer_lines = [line for line in by_name["Hai Người Phục Vụ"] if line.kind == LineKind.CARER]
    assert len(carer_lines) == 2 and sum(line.paid for line in carer_lines) == 1
    mother = by_name["Mẹ Liệt Sĩ"]
    assert all(line.paid for line in mother if line.scheme == Scheme.MERITORIOUS)
    assert sum(line.paid for line in mother if line.scheme != Scheme.MERITORIOUS and line.kind == LineKind.ALLOWANCE) == 1


def test_it_counts_the_age_reached_on_the_last_day_of_the_month(units):  # type: ignore[no-untyped-def]
    make_weighed(units)
    child = Entitlement.objects.filter(person__full_name="Trẻ Sinh Cuối Tháng")

    def amount(month: dt.date) -> int:
        return sum(line.amount for line in month_lines(child, month) if line.paid)

    # Decree 20 Art. 6(1)(a): coefficient 2,5 under 4, 1,5 from 4 (base 500.000 from July 2024).
    assert amount(dt.date(2025, 6, 1)) == 1_250_000
    assert amount(dt.date(2025, 7, 1)) == 750_000  # 4 years old on 31 July
    late = month_lines(Entitlement.objects.filter(person__full_name="Sinh Sau Tháng Tính"), dt.date(2026, 11, 1))
    assert [(line.paid, line.amount) for line in late] == [(False, 0)]
    assert "Ngày sinh sau ngày tính" in late[0].excluded


def test_it_reads_the_birth_date_as_an_integer_in_the_database(units):  # type: ignore[no-untyped-def]
    make_weighed(units)
    rows = monthly._fetch(monthly._query(Entitlement.objects.filter(person__full_name="Mẹ Liệt Sĩ"), dated=False))
    assert {row[monthly.BORN] for row in rows} == {19440229}
    assert all(isinstance(value, int) for row in rows for value in (row[monthly.BORN], row[monthly.FLAGS]))
    assert (monthly.date_key(dt.date(2024, 2, 28)) - 19440229) // 10000 == 79  # not yet 80 on 28 Feb 2024
    assert (monthly.date_key(dt.date(2024, 2, 29)) - 19440229) // 10000 == 80
