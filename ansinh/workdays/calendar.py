"""The working-day calendar with the stored decisions: the entry points other apps call.

`add_working_days(start, n, province=...)` and friends build a `WorkingCalendar` (one query per
year touched, then set lookups); a batch computing many deadlines should take one
`calendar_for(province)` and reuse it."""

from __future__ import annotations

import datetime as dt

from ansinh.geo.models import Level, Unit
from ansinh.lib import workdays
from ansinh.lib.workdays import Day, Decision, WorkingCalendar

from .models import CalendarDay, DayKind

# A province's own Tết days or day next to 2/9, when it records any for a year, replace the national ones.
REPLACING_KINDS = (DayKind.TET, DayKind.NATIONAL_DAY)


def province_of(unit: Unit | None) -> Unit | None:
    """The province a unit lies in (itself for a province); None for the country or no unit."""
    if unit is None or unit.level == Level.COUNTRY:
        return None
    return unit.province()


def decisions_for(year: int, province: Unit | None = None, *, exclude_pk: int | None = None) -> list[Decision]:
    """The decisions in force for `year` in `province` (or nationally); `exclude_pk` leaves one
    out (to check a change against the others)."""
    found = CalendarDay.objects.for_province(province).filter(day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31))
    rows = list(found if exclude_pk is None else found.exclude(pk=exclude_pk))
    own = {row.kind for row in rows if row.province_id is not None and row.kind in REPLACING_KINDS}
    by_day: dict[dt.date, CalendarDay] = {}
    for row in rows:
        if row.province_id is None and row.kind in own:
            continue
        if row.province_id is not None or row.day not in by_day:  # a province's day wins over the nation's
            by_day[row.day] = row
    return [row.decision() for row in by_day.values()]


def calendar_for(unit: Unit | None = None) -> WorkingCalendar:
    province = province_of(unit)
    return WorkingCalendar(lambda year: decisions_for(year, province))


def add_working_days(start: dt.date, n: int, *, province: Unit | None = None) -> dt.date:
    """The n-th working day after `start` (the day after it is day 1, Civil Code Art. 147.2)."""
    return calendar_for(province).add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date, *, province: Unit | None = None) -> int:
    return calendar_for(province).working_days_between(start, end)


def is_working_day(day: dt.date, *, province: Unit | None = None) -> bool:
    return calendar_for(province).is_working_day(day)


def days_off(year: int, *, province: Unit | None = None) -> list[Day]:
    return calendar_for(province).days_off(year)


__all__ = ["add_working_days", "calendar_for", "days_off", "decisions_for", "is_working_day", "province_of",
           "working_days_between", "workdays"]
