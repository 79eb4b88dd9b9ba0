"""The statute part of the calendar, without the database: lunar dates, defaults, days given back."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.lib import workdays
from ansinh.lib.workdays import Decision, WorkingCalendar, build_year, statutory_calendar

D = dt.date


@pytest.mark.parametrize(("year", "tet", "hung_kings"), [
    (2024, D(2024, 2, 10), D(2024, 4, 18)),
    (2025, D(2025, 1, 29), D(2025, 4, 7)),
    (2026, D(2026, 2, 17), D(2026, 4, 26)),
    (2007, D(2007, 2, 17), D(2007, 4, 26)),  # the Vietnamese calendar (UTC+7), not the Chinese (18/2)
    (1985, D(1985, 1, 21), D(1985, 4, 29)),  # likewise (China: 20/2)
])
def test_it_computes_lunar_dates_on_the_vietnamese_calendar(year: int, tet: dt.date, hung_kings: dt.date) -> None:
    assert workdays.lunar_new_year(year) == tet
    assert workdays.hung_kings_day(year) == hung_kings


def test_it_refuses_years_outside_the_lunar_tables() -> None:
    with pytest.raises(workdays.CalendarError, match="1901–2099"):
        workdays.lunar_new_year(2100)
    with pytest.raises(workdays.CalendarError):
        statutory_calendar().add_working_days(D(2099, 12, 30), 5)


@pytest.mark.parametrize(("year", "extra"), [
    (2024, D(2024, 9, 3)),  # 2/9 Monday: 1/9 is Sunday, so 3/9 (as decided that year)
    (2025, D(2025, 9, 1)),  # 2/9 Tuesday: Monday 1/9 (as decided)
    (2027, D(2027, 9, 3)),  # 2/9 Thursday: Friday 3/9 joins the weekend
])
def test_it_picks_a_default_day_next_to_national_day(year: int, extra: dt.date) -> None:
    assert workdays.default_national_day_extra(year) == extra


def test_it_uses_default_tet_days_and_gives_back_those_on_a_weekend_without_a_decision() -> None:
    year = build_year(2027, [])  # mùng 1 = Saturday 6/2/2027
    tet = [d for d, entry in year.off.items() if entry.kind == workdays.HOLIDAY and d.month == 2]
    assert tet == [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8), D(2027, 2, 9)]
    assert all(year.off[d].provisional for d in tet)
    given = sorted(d for d, entry in year.off.items() if entry.kind == workdays.COMPENSATION and d.month == 2)
    assert given == [D(2027, 2, 10), D(2027, 2, 11)]  # for Saturday 6 and Sunday 7, after the run


def test_it_replaces_the_default_tet_days_with_the_decided_ones() -> None:
    decided = [Decision(D(2027, 2, d), workdays.TET, "Tết", "Thông báo X") for d in (4, 5, 8, 9, 10)]
    year = build_year(2027, decided)
    assert D(2027, 2, 4) in year.off and D(2027, 2, 11) not in year.off
    assert not any(entry.kind == workdays.COMPENSATION and entry.day.month == 2 for entry in year.off.values())


def test_it_counts_from_the_day_after_the_start() -> None:
    calendar = statutory_calendar()
    assert calendar.add_working_days(D(2027, 3, 1), 0) == D(2027, 3, 1)
    assert calendar.add_working_days(D(2027, 3, 1), 1) == D(2027, 3, 2)  # Monday → Tuesday
    assert calendar.add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)  # Friday → Monday
    assert calendar.add_working_days(D(2027, 3, 6), 1) == D(2027, 3, 8)  # from a Saturday
    with pytest.raises(workdays.CalendarError):
        calendar.add_working_days(D(2027, 3, 1), -1)


def test_it_makes_working_days_between_the_inverse_of_adding() -> None:
    calendar = statutory_calendar()
    start = D(2027, 1, 20)
    for n in (0, 1, 5, 13, 40, 300):
        end = calendar.add_working_days(start, n)
        assert calendar.working_days_between(start, end) == n
        assert calendar.working_days_between(end, start) == -n


def test_it_builds_each_year_once_per_calendar() -> None:
    asked: list[int] = []

    def decisions(year: int) -> list[Decision]:
        asked.append(year)
        return []

    calendar = WorkingCalendar(decisions)
    calendar.add_working_days(D(2027, 12, 1), 60)
    assert asked == [2027, 2028]
