"""Months as the people served count them: a month is the `date` of its first day (an
entitlement's first and last month paid, a payroll's month)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

MONTH_RE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after (before, if negative) `month`'s."""
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    """The last day of `month`'s month."""
    return add_months(month_of(month), 1) - dt.timedelta(days=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The months from `start`'s to `end`'s, both included."""
    out, month = [], month_of(start)
    while month <= month_of(end):
        out.append(month)
        month = add_months(month, 1)
    return out


def this_month() -> dt.date:
    return month_of(timezone.localdate())


def parse_month(value: str | None) -> dt.date | None:
    """"2026-03" or "03/2026" -> 1 Mar 2026; None when it is not a month from 2000 to 2100."""
    found = MONTH_RE.match(value or "")
    if not found:
        return None
    year, month = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    y, m = int(year), int(month)
    if not (2000 <= y <= 2100 and 1 <= m <= 12):
        return None
    return dt.date(y, m, 1)
