"""Set-based deadline work over many dossiers: due dates recomputed by one UPDATE per province,
and on-time rates by one GROUP BY.

The due date of a dossier is the (days + extra_days)-th working day after its start. With the
working days of the province numbered in order in `WorkdayIndex` (ordinal = working days up to
and including the day), it is the working day whose ordinal is ordinal(start) + n: two index
lookups per dossier inside the database, no calendar walk and no ORM object per row. The index is
rebuilt from `ansinh.workdays` (the same `WorkingCalendar` the single-dossier services use) right
before each run, so a change to the calendar is always taken into account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet

from ansinh.geo.models import Unit
from ansinh.workdays.calendar import calendar_for

from .models import DONE_STATUSES, Dossier, WorkdayIndex

MARGIN_DAYS = 120  # calendar days beyond the longest term, so that every due date falls inside the index


def refresh_index(province: Unit, first: dt.date, last: dt.date) -> int:
    """Rebuilds the province's numbered working days for [1 Jan of first's year, 31 Dec of last's
    year]; returns the number of days written."""
    calendar = calendar_for(province)
    day, end = dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)
    rows: list[WorkdayIndex] = []
    ordinal = 0
    while day <= end:
        working = calendar.is_working_day(day)
        ordinal += working
        rows.append(WorkdayIndex(province=province, day=day, ordinal=ordinal, working=working))
        day += dt.timedelta(days=1)
    WorkdayIndex.objects.filter(province=province).delete()
    WorkdayIndex.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# A join, not correlated subqueries: PostgreSQL ran those as a sub-plan per row over a freshly
# rebuilt (unanalysed) index table, 19 s for 100,000 dossiers; the join is hashed. Only the rows
# whose date changes are written. SQLite runs UPDATE … FROM since 3.33.
UPDATE_SQL = """
UPDATE {dossier} SET due_on = w2.day
FROM {index} w1, {index} w2
WHERE {dossier}.province_id = %s AND {dossier}.days + {dossier}.extra_days > 0
  AND w1.province_id = {dossier}.province_id AND w1.day = {dossier}.start_on
  AND w2.province_id = {dossier}.province_id AND w2.working = %s
  AND w2.ordinal = w1.ordinal + {dossier}.days + {dossier}.extra_days
  AND {dossier}.due_on <> w2.day
"""
SAME_DAY_SQL = """
UPDATE {dossier} SET due_on = start_on
WHERE province_id = %s AND days + extra_days = 0 AND due_on <> start_on
"""


SELECT_SQL = """
SELECT d.id, CASE WHEN d.days + d.extra_days = 0 THEN d.start_on ELSE w2.day END
FROM {dossier} d
JOIN {index} w1 ON w1.province_id = d.province_id AND w1.day = d.start_on
LEFT JOIN {index} w2 ON w2.province_id = d.province_id AND w2.working = %s
     AND w2.ordinal = w1.ordinal + d.days + d.extra_days AND d.days + d.extra_days > 0
WHERE d.province_id = %s
"""


def _prepare(base: QuerySet[Dossier]) -> list[Unit]:
    """Steps 1 and 2 of `recompute_due_dates`: the provinces touched, their working days numbered."""
    spans = list(base.order_by().values("province_id").annotate(
        first=Min("start_on"), last=Max("start_on"), longest=Max(F("days") + F("extra_days"))))
    provinces = Unit.objects.in_bulk([row["province_id"] for row in spans])
    out = []
    with connection.cursor() as cursor:
        for row in spans:
            province = provinces[row["province_id"]]
            last = row["last"] + dt.timedelta(days=2 * int(row["longest"] or 0) + MARGIN_DAYS)
            refresh_index(province, row["first"], last)
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {connection.ops.quote_name(WorkdayIndex._meta.db_table)}")
            out.append(province)
    return out


@transaction.atomic
def compute_due_dates(dossiers: QuerySet[Dossier] | None = None) -> dict[int, dt.date]:
    """The due date of every dossier of the provinces `dossiers` touch, computed by one SELECT per
    province joining the numbered working days (nothing written to the dossiers): what
    `recompute_due_dates` stores, and the check that the stored dates are current."""
    base = Dossier.objects.all() if dossiers is None else dossiers
    quote = connection.ops.quote_name
    sql = SELECT_SQL.format(dossier=quote(Dossier._meta.db_table), index=quote(WorkdayIndex._meta.db_table))
    out: dict[int, dt.date] = {}
    with connection.cursor() as cursor:
        for province in _prepare(base):
            cursor.execute(sql, [True, province.pk])
            for pk, day in cursor.fetchall():
                out[pk] = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    return out


@transaction.atomic
def recompute_due_dates(dossiers: QuerySet[Dossier] | None = None) -> int:
    """Recomputes the due date of every dossier of the provinces `dossiers` touch (all when None):
    1. one GROUP BY for the provinces and the range of start dates and terms;
    2. each province's working days numbered (`refresh_index`, a few hundred rows a year);
    3. one UPDATE per province joining each dossier to the numbered days of its start and its due
       date (and one for same-day procedures); rows whose date does not change are not written.
    Returns the number of dossiers whose due date changed."""
    base = Dossier.objects.all() if dossiers is None else dossiers
    table, index = Dossier._meta.db_table, WorkdayIndex._meta.db_table
    quote = connection.ops.quote_name
    sql = UPDATE_SQL.format(dossier=quote(table), index=quote(index))
    same_day = SAME_DAY_SQL.format(dossier=quote(table))
    updated = 0
    with connection.cursor() as cursor:
        for province in _prepare(base):
            cursor.execute(sql, [province.pk, True])
            updated += cursor.rowcount
            cursor.execute(same_day, [province.pk])
            updated += cursor.rowcount
    return updated


# --- on-time rates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    key: Any  # the agency's name, or the unit's id
    label: str
    resolved: int
    early: int
    on_time: int
    late: int

    @property
    def in_time(self) -> int:
        return self.early + self.on_time

    @property
    def rate(self) -> float | None:
        return 100.0 * self.in_time / self.resolved if self.resolved else None


def on_time_rates(dossiers: QuerySet[Dossier], *, by: str, first: dt.date, last: dt.date) -> list[Rate]:
    """Dossiers whose result was ready in [first, last], grouped `by` "agency" or "unit": how many,
    early, on time and late against the statutory due date. One GROUP BY."""
    column = {"agency": "agency", "unit": "unit_id"}[by]
    rows = (dossiers.filter(status__in=DONE_STATUSES, resolved_on__gte=first, resolved_on__lte=last)
            .order_by().values(column)
            .annotate(resolved=Count("id"), early=Count("id", filter=Q(resolved_on__lt=F("due_on"))),
                      on_time=Count("id", filter=Q(resolved_on=F("due_on"))),
                      late=Count("id", filter=Q(resolved_on__gt=F("due_on")))))
    found = list(rows)
    names: dict[Any, str] = {}
    if by == "unit":
        names = {pk: name for pk, name in Unit.objects.filter(pk__in=[r[column] for r in found])
                 .values_list("pk", "name")}
    out = [Rate(key=r[column], label=names.get(r[column], str(r[column])) if by == "unit" else str(r[column]),
                resolved=r["resolved"], early=r["early"], on_time=r["on_time"], late=r["late"]) for r in found]
    return sorted(out, key=lambda rate: (rate.rate if rate.rate is not None else 101, rate.label))


def total(rates: list[Rate]) -> Rate:
    return Rate(key=None, label="", resolved=sum(r.resolved for r in rates), early=sum(r.early for r in rates),
                on_time=sum(r.on_time for r in rates), late=sum(r.late for r in rates))


__all__ = ["Rate", "compute_due_dates", "on_time_rates", "recompute_due_dates", "refresh_index", "total"]
