"""The dossiers of the system's other registries on the procedures' pages: benefit dossiers,
unemployment dossiers and work permits, whose deadlines come from the catalogue
(`procedures.deadlines`), listed beside the procedure dossiers when due today, this week or
overdue, and counted early / on time / late on the on-time rates page.

They stay in their own tables (each registry has its own workflow, scope and page); each app
registers a `Source` saying, for its model, which queryset the user may read (its own access
layer), which fields hold the due date, the decision date and the unit, and what "still open"
means. The procedures app imports none of them. One query per source and page: a filtered,
limited SELECT for the lists, one aggregate for the rates.

They are not added to the procedure dossiers' counted indicators (seed 001's "287 hồ sơ … 100%"
counts the one-stop shop's procedure dossiers), nor to the procedures' totals: the rates page
shows them in a table of their own, by kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from ansinh.geo.models import Unit

from .due import Rate

LIMIT = 100  # rows shown per kind in a list (the registry's own page has them all)


@dataclass(frozen=True)
class Source:
    key: str
    label: Any  # a lazy translation
    scoped: Callable[[Any], QuerySet[Any]]  # the user's records of this kind (the app's access layer)
    due: str  # the field of the statutory due date
    resolved: str  # the field of the decision's date
    open: Q  # waiting for the decision
    unit: str  # the field of the unit it belongs to (a commune)
    title: Callable[[Any], str]  # what the row shows (the person, the procedure)
    url: Callable[[Any], str]
    select: tuple[str, ...] = ()


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.key] = source


@dataclass(frozen=True)
class Row:
    kind: Any
    title: str
    unit: str
    due_on: dt.date
    url: str


def _attr(record: Any, path: str) -> Any:
    for name in path.split("__"):
        record = getattr(record, name)
    return record


def _in_unit(found: QuerySet[Any], source: Source, unit: Unit | None) -> QuerySet[Any]:
    if unit is None:
        return found
    return found.filter(Q(**{source.unit: unit}) | Q(**{f"{source.unit}__path__under": unit.path}))


def due_rows(user: Any, tab: str, today: dt.date, *, first: dt.date, last: dt.date,
             unit: Unit | None = None) -> list[tuple[Source, int, list[Row]]]:
    """For the tabs "today", "week" (due in [first, last]) and "overdue" (due before today): each
    kind's count and its first LIMIT rows by due date. Empty for the other tabs."""
    if tab not in ("today", "week", "overdue"):
        return []
    out = []
    for source in SOURCES.values():
        found = _in_unit(source.scoped(user).filter(source.open), source, unit)
        if tab == "overdue":
            found = found.filter(**{f"{source.due}__lt": today})
        else:
            found = found.filter(**{f"{source.due}__gte": first, f"{source.due}__lte": last})
        records = list(found.select_related(source.unit, *source.select).order_by(source.due, "pk")[:LIMIT + 1])
        if not records:
            continue
        count = len(records) if len(records) <= LIMIT else found.count()
        out.append((source, count, [Row(source.label, source.title(r), _attr(r, source.unit).name,
                                        _attr(r, source.due), source.url(r)) for r in records[:LIMIT]]))
    return out


def rates(user: Any, *, first: dt.date, last: dt.date, unit: Unit | None = None) -> list[Rate]:
    """Decisions taken in [first, last] of each kind, early / on time / late against the due
    date (records with no due date are left out): one aggregate per kind."""
    out = []
    for source in SOURCES.values():
        found = _in_unit(source.scoped(user), source, unit).filter(
            **{f"{source.resolved}__gte": first, f"{source.resolved}__lte": last, f"{source.due}__isnull": False})
        due, done = F(source.due), source.resolved
        row = found.order_by().aggregate(
            resolved=Count("pk"), early=Count("pk", filter=Q(**{f"{done}__lt": due})),
            on_time=Count("pk", filter=Q(**{done: due})), late=Count("pk", filter=Q(**{f"{done}__gt": due})))
        if row["resolved"]:
            out.append(Rate(key=source.key, label=str(source.label), resolved=row["resolved"], early=row["early"],
                            on_time=row["on_time"], late=row["late"]))
    return out


def url_of(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk])


__all__ = ["LIMIT", "Row", "SOURCES", "Source", "due_rows", "rates", "register", "url_of"]
