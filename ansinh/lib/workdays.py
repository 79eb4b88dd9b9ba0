"""The working-day calendar of public offices: days off, and counting deadlines in working days.

Pure functions, no database: the yearly decisions come in as `Decision` values (the
`ansinh.workdays` app stores them and builds a `WorkingCalendar` from them).

The rules, with their legal basis:
- Weekly rest: Saturday and Sunday for state offices (Decision 188/1999/QĐ-TTg, Art. 1: a 40-hour
  week in five days, rest on Saturday and Sunday; Labour Code 45/2019/QH14, Art. 111.2).
- Public holidays (Labour Code 2019, Art. 112.1): New Year 1/1 (a); Tết, 5 days (b); Victory
  Day 30/4 (c); Labour Day 1/5 (d); National Day 2/9 and one day next to it (đ); Hùng Kings
  10/3 lunar (e). The Prime Minister fixes the Tết days and the day next to 2/9 each year
  (Art. 112.3): those come as decisions; without one, a default is used and said to be so.
- A holiday on a weekly rest day is given back on the next working day (Art. 111.3).
- Swapped days (a working day off, made up on a Saturday) and extra days off are decisions.
- Counting (Civil Code 91/2015/QH13, Art. 147.2): a term in days starts on the day after the
  given day, so the day after the start is day 1; `add_working_days(start, n)` is the n-th
  working day after `start`.

The lunar dates (Tết, Hùng Kings) come from the `holidays` package's Vietnamese lunisolar
calendar (UTC+7; it differs from the Chinese calendar in years such as 1985 and 2007).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from holidays.calendars.chinese import VIETNAMESE_CALENDAR, _ChineseLunisolar

FIRST_YEAR, LAST_YEAR = 1901, 2099  # the range of the lunar tables
MAX_WORKING_DAYS = 3660  # about fourteen years of working days: no statutory term is longer

REST_DAYS = frozenset({5, 6})  # Saturday, Sunday (Decision 188/1999/QĐ-TTg, Art. 1)
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

# Kinds of a yearly decision (the values of `ansinh.workdays.models.DayKind`).
TET = "tet"  # one of the five Tết days the Prime Minister fixes
NATIONAL_DAY = "national_day"  # the day next to 2/9
DAY_OFF = "day_off"  # a swapped or extra day off
WORKING_DAY = "working_day"  # a make-up working day on a weekly rest day

# Kinds of a day in a year's calendar.
HOLIDAY = "holiday"
COMPENSATION = "compensation"

LABOUR_CODE = "Bộ luật Lao động 2019 (45/2019/QH14)"
REST_BASIS = f"{LABOUR_CODE}, Điều 111.3"
COUNTING_BASIS = "Bộ luật Dân sự 2015, Điều 147.2: ngày đầu tiên của thời hạn không được tính"

_LUNAR = _ChineseLunisolar(VIETNAMESE_CALENDAR)


class CalendarError(ValueError):
    """A date or a count the calendar cannot answer for (the message is for the user)."""


@dataclass(frozen=True)
class Decision:
    """One day of a yearly decision (government notice, or a province's own)."""

    day: dt.date
    kind: str
    reason: str
    basis: str
    provisional: bool = False


@dataclass(frozen=True)
class Day:
    """A day off (or, for WORKING_DAY, a make-up working day) with why and on what basis."""

    day: dt.date
    kind: str
    reason: str
    basis: str
    provisional: bool = False

    @property
    def weekday(self) -> str:
        return WEEKDAYS_VI[self.day.weekday()]


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarError(f"Lịch ngày làm việc chỉ tính được cho các năm {FIRST_YEAR}–{LAST_YEAR} (năm {year}).")


def lunar_new_year(year: int) -> dt.date:
    """Mùng 1 tháng Giêng of the lunar year that begins in `year`."""
    _check_year(year)
    day, _estimated = _LUNAR.lunar_new_year_date(year)
    assert day is not None
    return day


def hung_kings_day(year: int) -> dt.date:
    """10 tháng 3 Âm lịch."""
    _check_year(year)
    day, _estimated = _LUNAR.hung_kings_date(year)
    assert day is not None
    return day


def default_tet_days(year: int) -> list[dt.date]:
    """Without a decision: the last day of the old lunar year and mùng 1–4 (the usual choice)."""
    first = lunar_new_year(year)
    return [first + dt.timedelta(days=offset) for offset in range(-1, 4)]


def default_national_day_extra(year: int) -> dt.date:
    """Without a decision, the day next to 2/9 that joins a weekend (Monday or Friday), else 1/9
    if it is a weekday, else 3/9."""
    before, after = dt.date(year, 9, 1), dt.date(year, 9, 3)
    for candidate in (before, after):
        if candidate.weekday() in (0, 4):
            return candidate
    return before if before.weekday() not in REST_DAYS else after


@dataclass(frozen=True)
class Year:
    """One year's days off (holidays, also those on a weekend; days given back; decided days off)
    and make-up working days."""

    year: int
    off: Mapping[dt.date, Day]
    working: Mapping[dt.date, Day]

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working:
            return True
        return day.weekday() not in REST_DAYS and day not in self.off

    def days(self) -> list[Day]:
        """Days off and make-up working days, in date order."""
        return sorted([*self.off.values(), *self.working.values()], key=lambda d: (d.day, d.kind))


def build_year(year: int, decisions: Iterable[Decision]) -> Year:
    """A year's calendar from the statute and the decisions for that year.

    1. Holidays of Art. 112.1; Tết days and the day next to 2/9 from the decisions when there are
       any, else the defaults (marked provisional).
    2. Decided days off and make-up working days.
    3. Each holiday on a weekly rest day is given back on the next day that is a working day and
       not already off (Art. 111.3), in date order so that a run (Tết over a weekend) gives back
       consecutive days.
    """
    _check_year(year)
    decided = [d for d in decisions if d.day.year == year]
    holidays: dict[dt.date, Day] = {}

    def holiday(day: dt.date, reason: str, basis: str, provisional: bool = False) -> None:
        holidays.setdefault(day, Day(day, HOLIDAY, reason, basis, provisional))

    holiday(dt.date(year, 1, 1), "Tết Dương lịch", f"{LABOUR_CODE}, Điều 112.1.a")
    tet = sorted((d for d in decided if d.kind == TET), key=lambda d: d.day)
    if tet:
        for d in tet:
            holiday(d.day, d.reason or "Tết Âm lịch", d.basis, d.provisional)
    else:
        for day in default_tet_days(year):
            holiday(day, "Tết Âm lịch (mặc định, chưa có quyết định của Thủ tướng)", f"{LABOUR_CODE}, Điều 112.1.b", True)
    holiday(hung_kings_day(year), "Giỗ Tổ Hùng Vương (10/3 Âm lịch)", f"{LABOUR_CODE}, Điều 112.1.e")
    holiday(dt.date(year, 4, 30), "Ngày Chiến thắng", f"{LABOUR_CODE}, Điều 112.1.c")
    holiday(dt.date(year, 5, 1), "Ngày Quốc tế lao động", f"{LABOUR_CODE}, Điều 112.1.d")
    holiday(dt.date(year, 9, 2), "Quốc khánh", f"{LABOUR_CODE}, Điều 112.1.đ")
    extra = [d for d in decided if d.kind == NATIONAL_DAY]
    if extra:
        for d in extra:
            holiday(d.day, d.reason or "Quốc khánh (ngày liền kề)", d.basis, d.provisional)
    else:
        holiday(default_national_day_extra(year), "Quốc khánh (ngày liền kề, mặc định, chưa có quyết định)",
                f"{LABOUR_CODE}, Điều 112.1.đ", True)

    off: dict[dt.date, Day] = dict(holidays)
    working: dict[dt.date, Day] = {}
    for d in decided:
        if d.kind == DAY_OFF:
            off.setdefault(d.day, Day(d.day, DAY_OFF, d.reason, d.basis, d.provisional))
        elif d.kind == WORKING_DAY and d.day not in off:
            working[d.day] = Day(d.day, WORKING_DAY, d.reason, d.basis, d.provisional)

    def free(day: dt.date) -> bool:
        return (day in working or day.weekday() not in REST_DAYS) and day not in off

    for day in sorted(holidays):
        if day.weekday() in REST_DAYS and day not in working:
            given = day + dt.timedelta(days=1)
            while not free(given):
                given += dt.timedelta(days=1)
            reason = f"Nghỉ bù ({holidays[day].reason} trùng {WEEKDAYS_VI[day.weekday()]} {day:%d/%m/%Y})"
            off[given] = Day(given, COMPENSATION, reason, REST_BASIS, holidays[day].provisional)
    return Year(year=year, off=off, working=working)


class WorkingCalendar:
    """Working-day arithmetic over the years `decisions(year)` describes; each year is built once
    per calendar (a set lookup per day, no query per day). Reuse one calendar in a batch."""

    def __init__(self, decisions: Callable[[int], Iterable[Decision]]) -> None:
        self._decisions = decisions
        self._years: dict[int, Year] = {}

    def year(self, year: int) -> Year:
        built = self._years.get(year)
        if built is None:
            built = self._years[year] = build_year(year, self._decisions(year))
        return built

    def is_working_day(self, day: dt.date) -> bool:
        return self.year(day.year).is_working_day(day)

    def days_off(self, year: int) -> list[Day]:
        """Holidays, days given back and decided days off of `year` (weekends not listed), and its
        make-up working days (kind WORKING_DAY), in date order."""
        return self.year(year).days()

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (the day after `start` is the first day counted,
        Civil Code Art. 147.2); n = 0 is `start` itself."""
        if n < 0:
            raise CalendarError("Số ngày làm việc phải là số không âm.")
        if n > MAX_WORKING_DAYS:
            raise CalendarError(f"Số ngày làm việc quá lớn (tối đa {MAX_WORKING_DAYS}).")
        day = start
        while n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (negative when end is before start), so that
        working_days_between(s, add_working_days(s, n)) == n."""
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > MAX_WORKING_DAYS * 2:
            raise CalendarError("Khoảng thời gian quá dài.")
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def statutory_calendar() -> WorkingCalendar:
    """A calendar with no yearly decisions: the statute and its defaults only."""
    return WorkingCalendar(lambda year: ())
