"""Reporting periods: month, quarter, half-year and year, with their data cut-off dates and deadlines.

Keys: "2025-03" (month), "2025-Q1" (quarter), "2025-H1" (half-year), "2025" (year).
Data cut-off (Decree 09/2019/NĐ-CP, Art. 12): a month runs from the 15th of the month before to
the 14th; a quarter from the 15th of the month before the quarter to the 14th of its last month;
six months from 15 Dec of the year before to 14 Jun; a year from 15 Dec to 14 Dec.
Deadlines are set per plan (seed 004: quarterly before the 15th of the quarter's last month,
six-monthly before 30 May, yearly before 5 Dec), as rules:
  "last:15"  the 15th of the period's last month;
  "next:05"  the 5th of the month after the period's last month;
  "12-05"    a fixed day and month, written for the first period of its kind in the year (H1,
             Q1, January) and moving with the period: "05-30" is 30 May for H1 and 30 Nov for H2.
A deadline never falls before the day after its data cut-off ends (see `Period.deadline`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Kind = Literal["month", "quarter", "half", "year"]
KINDS: tuple[Kind, ...] = ("month", "quarter", "half", "year")
ROMAN = ["I", "II", "III", "IV"]

# Deadlines when a plan sets none. Decree 09/2019 sets no calendar deadline: Art. 8(5)(b) only asks
# for at least one working day between the data cut-off (the 14th) and the deadline, and leaves the
# date to the body that sets the reporting duty. These defaults (the 20th) are configurable data;
# each plan sets its own (`Plan.deadlines`; seed 004: "last:15", "05-30", "12-05").
DEFAULT_DEADLINES: dict[str, str] = {"month": "last:20", "quarter": "last:20", "half": "06-20", "year": "12-20"}

_PATTERN = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4])|-H([12]))?$")
_RULE = re.compile(r"^(?:(last|next):(\d{1,2})|(\d{2})-(\d{2}))$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: Kind
    index: int = 1  # month 1–12, quarter 1–4, half 1–2; 1 for a year

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match(text.strip().upper())
        if match is None:
            raise ValidationError(
                _("“%(text)s” is not a period: write 2025, 2025-H1, 2025-Q1 or 2025-03.") % {"text": text}
            )
        year = int(match.group(1))
        if match.group(2):
            return cls(year, "month", int(match.group(2)))
        if match.group(3):
            return cls(year, "quarter", int(match.group(3)))
        if match.group(4):
            return cls(year, "half", int(match.group(4)))
        return cls(year, "year", 1)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        if self.kind == "half":
            return f"{self.year}-H{self.index}"
        return str(self.year)

    @property
    def key(self) -> str:
        return str(self)

    @property
    def months(self) -> tuple[int, int]:
        """First and last calendar month."""
        if self.kind == "month":
            return self.index, self.index
        if self.kind == "quarter":
            return 3 * self.index - 2, 3 * self.index
        if self.kind == "half":
            return 6 * self.index - 5, 6 * self.index
        return 1, 12

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.months[0], 1)

    @property
    def end(self) -> dt.date:
        last = self.months[1]
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def cutoff(self) -> tuple[dt.date, dt.date]:
        """Data cut-off period of Decree 09/2019/NĐ-CP, Art. 12 (the 15th before to the 14th)."""
        first, last = self.months
        if self.kind in ("half", "year") and self.index == 1:
            begin = dt.date(self.year - 1, 12, 15)
        else:
            begin = _shift_month(dt.date(self.year, first, 15), -1)
        return begin, dt.date(self.year, last, 14)

    def label(self) -> str:
        """The label in the interface language ("quý I năm 2020" in Vietnamese, through i18n);
        `label_vi` for documents and files."""
        if self.kind == "month":
            return _("month %(month)d of %(year)d") % {"month": self.index, "year": self.year}
        if self.kind == "quarter":
            return _("quarter %(roman)s of %(year)d") % {"roman": ROMAN[self.index - 1], "year": self.year}
        if self.kind == "half":
            if self.index == 1:
                return _("the first six months of %(year)d") % {"year": self.year}
            return _("the last six months of %(year)d") % {"year": self.year}
        return _("the year %(year)d") % {"year": self.year}

    def label_vi(self) -> str:
        """The label in Vietnamese whatever the interface language, for documents and files:
        "quý I năm 2020", "6 tháng đầu năm 2022", "tháng 3 năm 2025", "năm 2022"."""
        if self.kind == "month":
            return f"tháng {self.index} năm {self.year}"
        if self.kind == "quarter":
            return f"quý {ROMAN[self.index - 1]} năm {self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}"

    def previous_year(self) -> Period:
        """The same period a year earlier (for the change against last year)."""
        return Period(self.year - 1, self.kind, self.index)

    def next(self) -> Period:
        """The period that follows (the "next period" of a report's priorities)."""
        limit = {"month": 12, "quarter": 4, "half": 2, "year": 1}[self.kind]
        if self.index < limit:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def parts(self) -> list[Period]:
        """The periods one step finer that make this one up (year → halves → quarters → months)."""
        if self.kind == "year":
            return [Period(self.year, "half", 1), Period(self.year, "half", 2)]
        if self.kind == "half":
            return [Period(self.year, "quarter", q) for q in (2 * self.index - 1, 2 * self.index)]
        if self.kind == "quarter":
            return [Period(self.year, "month", m) for m in range(3 * self.index - 2, 3 * self.index + 1)]
        return []

    def year_to_date(self) -> list[Period]:
        """The fewest periods that cover 1 January to the end of this one: Q3 → H1, Q3; 2025-05 →
        Q1, 04, 05; a year → itself."""
        out: list[Period] = []
        month, last = 1, self.months[1]
        while month <= last:
            if month in (1, 7) and month + 5 <= last:
                out.append(Period(self.year, "half", 1 if month == 1 else 2))
                month += 6
            elif month % 3 == 1 and month + 2 <= last:
                out.append(Period(self.year, "quarter", (month + 2) // 3))
                month += 3
            else:
                out.append(Period(self.year, "month", month))
                month += 1
        if len(out) == 2 and out[0].kind == "half" and out[1].kind == "half":
            return [Period(self.year, "year")]
        return out

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def deadline(self, rules: dict[str, str] | None = None) -> dt.date:
        """The submission deadline under the plan's rules (or the defaults), never before the day
        after the data cut-off ends: a report cannot be due before the last day it covers
        (Decree 09/2019/NĐ-CP, Art. 12 and Art. 8(5)(b)). Seed 004's "05-30" for six months thus
        gives 15 June for H1 and 15 December for H2 (their data run to 14 June and 14 December),
        and its "12-05" for the year gives 15 December."""
        rule = (rules or {}).get(self.kind) or DEFAULT_DEADLINES[self.kind]
        return max(apply_rule(rule, self), self.cutoff[1] + dt.timedelta(days=1))


def _shift_month(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    day = min(date.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def check_rule(rule: str) -> str:
    """Validates a deadline rule; returns it tidied."""
    rule = rule.strip().lower()
    match = _RULE.match(rule)
    if match is None:
        raise ValidationError(
            _("“%(rule)s” is not a deadline rule: write last:15, next:05 or 12-05.") % {"rule": rule}
        )
    day = int(match.group(2) or match.group(4))
    month = int(match.group(3) or 1)
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise ValidationError(_("“%(rule)s” names a day that does not exist.") % {"rule": rule})
    return rule


def apply_rule(rule: str, period: Period) -> dt.date:
    match = _RULE.match(check_rule(rule))
    assert match is not None
    last_month = dt.date(period.year, period.months[1], 1)
    if match.group(1) == "last":
        base = last_month
    elif match.group(1) == "next":
        base = _shift_month(last_month, 1)
    else:  # written for the first period of the kind; later periods move by their offset in months
        base = _shift_month(dt.date(period.year, int(match.group(3)), 1), period.months[0] - 1)
    day = int(match.group(2) or match.group(4))
    return dt.date(base.year, base.month, min(day, calendar.monthrange(base.year, base.month)[1]))


def periods_of_year(year: int, kind: Kind) -> list[Period]:
    count = {"month": 12, "quarter": 4, "half": 2, "year": 1}[kind]
    return [Period(year, kind, index) for index in range(1, count + 1)]
