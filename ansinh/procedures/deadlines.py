"""One deadline logic for every dossier of the system (issue 14 item 1).

The dossiers other capabilities open — benefit dossiers (`ansinh.benefits`), unemployment
insurance dossiers and work permits (`ansinh.labour`) — take their statutory time from the
catalogue of procedures: each kind of dossier is a `ProcedureUse`, and the catalogue version
marked with that use and in force on the day of receipt gives the working days and the legal
basis. The due date is then `services.due_date`, the same function the procedure dossiers use
(the n-th working day after the start on the province's calendar, Civil Code 2015 Art. 147.2).
An administrator who edits the catalogue therefore changes the deadline of every new dossier of
each kind; dossiers already received keep the date they were given (as procedure dossiers do).

Two entry points:
- `deadline(use, received_on, calendar=…)`: one dossier (a form, a service);
- `DueDates(uses, calendar)`: a batch (an import, the demo): the versions read once, and the
  working days of the calendar numbered once (the in-memory twin of `WorkdayIndex`), so that each
  due date is two lookups, no calendar walk and no query per row.

What stays with each capability, because it is not the deadline of a dossier: a work permit's
refusal time (`labour.PermitRule.refusal_working_days`, a limit on notifying a refusal), the
monthly job-search report dates of an unemployment benefit (`labour.unemployment.report_due_dates`,
appointments inside a granted benefit) and the start of the benefit (`UnemploymentRule.start_day`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from ansinh.lib.workdays import CalendarError, WorkingCalendar

from .models import Procedure, ProcedureUse

MARGIN_DAYS = 120  # calendar days numbered beyond the longest term (as `due.MARGIN_DAYS`)


@dataclass(frozen=True)
class Deadline:
    procedure: Procedure
    due_on: dt.date

    @property
    def days(self) -> int:
        return int(self.procedure.days)


def versions(uses: Iterable[str]) -> list[Procedure]:
    """Every catalogue version that sets the deadline of one of `uses` (one query)."""
    return list(Procedure.objects.filter(used_for__in=list(uses)).order_by("used_for", "valid_from"))


def _vn(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def procedure_in_force(use: str, on: dt.date, *, rows: Sequence[Procedure] | None = None,
                       first_if_before: bool = False, field: str = "received_on") -> Procedure:
    """The catalogue version for `use` in force on `on` (the latest start wins). With
    `first_if_before`, a date before every version takes the first one (the benefit registry's
    rule: its table starts with the scheme). Raises ValidationError on `field` otherwise."""
    if rows is None:
        found = list(Procedure.objects.filter(used_for=use, valid_from__lte=on)
                     .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from")[:1])
        candidates = found
        if not found and first_if_before:
            candidates = list(Procedure.objects.filter(used_for=use, valid_from__gt=on).order_by("valid_from")[:1])
    else:
        mine = [r for r in rows if r.used_for == use]
        found = [r for r in mine if r.in_force(on)]
        candidates = [max(found, key=lambda r: r.valid_from)] if found else []
        if not found and first_if_before:
            later = [r for r in mine if r.valid_from > on]
            candidates = [min(later, key=lambda r: r.valid_from)] if later else []
    if not candidates:
        first = min((r.valid_from for r in (rows if rows is not None else Procedure.objects.filter(used_for=use))
                     if r.used_for == use), default=None)
        label = ProcedureUse(use).label if use in ProcedureUse.values else use
        since = f" (quy định có từ {_vn(first)})" if first is not None else ""
        raise ValidationError({field: f"Chưa có thủ tục trong danh mục quy định thời hạn giải quyết cho “{label}” "
                                      f"vào ngày {_vn(on)}{since}."})
    return candidates[0]


def due_on(start: dt.date, days: int, *, calendar: WorkingCalendar, field: str = "received_on") -> dt.date:
    """The `days`-th working day after `start` (`start` itself for a same-day procedure): the
    procedures app's `services.due_date`, with its error keyed on the caller's field."""
    from .services import due_date

    try:
        return due_date(start, days, calendar)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def deadline(use: str, received_on: dt.date, *, calendar: WorkingCalendar, rows: Sequence[Procedure] | None = None,
             first_if_before: bool = False, field: str = "received_on") -> Deadline:
    """The procedure in force for `use` on `received_on` and the due date it gives."""
    procedure = procedure_in_force(use, received_on, rows=rows, first_if_before=first_if_before, field=field)
    return Deadline(procedure, due_on(received_on, procedure.days, calendar=calendar, field=field))


class DueDates:
    """Due dates for a batch of dossiers of `uses` on one calendar: the versions read once, the
    working days numbered once for the years the batch touches (re-numbered when a date falls
    outside), each due date the working day whose number is number(start) + days."""

    def __init__(self, uses: Iterable[str], calendar: WorkingCalendar, *, first_if_before: bool = False,
                 rows: Sequence[Procedure] | None = None) -> None:
        self.rows = list(rows) if rows is not None else versions(uses)
        self.calendar = calendar
        self.first_if_before = first_if_before
        self._first: dt.date | None = None
        self._last: dt.date | None = None
        self._ordinal: dict[dt.date, int] = {}
        self._working: list[dt.date] = []  # _working[k - 1] is the k-th working day from _first

    def _number(self, first: dt.date, last: dt.date) -> None:
        if self._first is not None and self._last is not None:
            first, last = min(first, self._first), max(last, self._last)
        first, last = dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)
        try:
            for year in range(first.year, last.year + 1):
                self.calendar.year(year)
        except CalendarError as error:
            raise ValidationError({"received_on": str(error)}) from None
        ordinal, day = 0, first
        self._ordinal, self._working = {}, []
        while day <= last:
            if self.calendar.is_working_day(day):
                ordinal += 1
                self._working.append(day)
            self._ordinal[day] = ordinal
            day += dt.timedelta(days=1)
        self._first, self._last = first, last

    def add(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (= `calendar.add_working_days`)."""
        if days == 0:
            return start
        reach = start + dt.timedelta(days=2 * days + MARGIN_DAYS)
        if self._first is None or self._last is None or start < self._first or reach > self._last:
            self._number(start, reach)
        return self._working[self._ordinal[start] + days - 1]

    def __call__(self, use: str, received_on: dt.date) -> Deadline:
        procedure = procedure_in_force(use, received_on, rows=self.rows, first_if_before=self.first_if_before)
        return Deadline(procedure, self.add(received_on, procedure.days))


__all__ = ["Deadline", "DueDates", "deadline", "due_on", "procedure_in_force", "versions"]
