"""Changing the calendar's decisions: checked against the statute and the other decisions,
audited as "calendar.change" in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.models import User
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib import workdays

from .calendar import decisions_for
from .models import CalendarDay, DayKind

FIELDS = ["day", "kind", "province", "reason", "legal_basis", "provisional"]
ACTION = "calendar.change"
TET_DAYS = 5  # Labour Code 2019, Art. 112.1.b
TET_WINDOW = 10  # days either side of mùng 1 where a Tết day may be fixed


def _check(*, pk: int | None, day: dt.date, kind: str, province: Unit | None, reason: str, legal_basis: str) -> None:
    """Refuses a decision the statute or the other decisions rule out, with the reason.

    1. A date in the calendar's range; a known kind; a reason and a legal basis; a current province.
    2. One decision per day and scope.
    3. Tết days near mùng 1, at most five a year; the day next to 2/9 is 1/9 or 3/9, one a year.
    4. A day off on a weekday that is not already off; a make-up working day on a weekly rest
       day that is not a holiday.
    """
    errors: dict[str, str] = {}
    if not workdays.FIRST_YEAR <= day.year <= workdays.LAST_YEAR:
        raise ValidationError({"day": _("Choose a date between %(first)s and %(last)s.")
                               % {"first": workdays.FIRST_YEAR, "last": workdays.LAST_YEAR}})
    if kind not in DayKind.values:
        raise ValidationError({"kind": _("Choose a kind of day.")})
    if not reason.strip():
        errors["reason"] = _("Say why this day is off or worked.")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Give the legal basis (the notice or decision and its date).")
    if province is not None and (province.level != Level.PROVINCE or province.edition != Edition.CURRENT):
        errors["province"] = _("Choose a province of the current map.")
    if errors:
        raise ValidationError(errors)
    same_day = CalendarDay.objects.filter(day=day, province=province).exclude(pk=pk or 0)
    if same_day.exists():
        raise ValidationError({"day": _("This date already has a decision for this scope: edit that one.")})
    year = day.year
    others = [d for d in decisions_for(year, province, exclude_pk=pk)]
    if kind == DayKind.TET:
        first = workdays.lunar_new_year(year)
        if abs((day - first).days) > TET_WINDOW:
            raise ValidationError({"day": _("A Tết day must be near the lunar New Year (%(date)s).")
                                   % {"date": f"{first:%d/%m/%Y}"}})
        scoped = CalendarDay.objects.filter(kind=DayKind.TET, province=province, day__year=year).exclude(pk=pk or 0)
        if scoped.count() >= TET_DAYS:
            raise ValidationError({"kind": _("This year already has five Tết days (Labour Code 2019, Art. 112.1.b).")})
    elif kind == DayKind.NATIONAL_DAY:
        if (day.month, day.day) not in ((9, 1), (9, 3)):
            raise ValidationError({"day": _("The day next to National Day is 1/9 or 3/9 (Labour Code 2019, Art. 112.1.đ).")})
        scoped = CalendarDay.objects.filter(kind=DayKind.NATIONAL_DAY, province=province, day__year=year).exclude(pk=pk or 0)
        if scoped.exists():
            raise ValidationError({"kind": _("This year already has its day next to National Day.")})
    else:
        calendar = workdays.build_year(year, others)
        rest = day.weekday() in workdays.REST_DAYS
        if kind == DayKind.DAY_OFF:
            if rest:
                raise ValidationError({"day": _("This date is a weekly rest day: only a working day can be given off.")})
            if day in calendar.off:
                raise ValidationError({"day": _("This date is already a day off: %(reason)s.")
                                       % {"reason": calendar.off[day].reason}})
        elif kind == DayKind.WORKING_DAY:
            if not rest:
                raise ValidationError({"day": _("A make-up working day falls on a Saturday or Sunday.")})
            if day in calendar.off:
                raise ValidationError({"day": _("This date is a holiday and cannot be worked: %(reason)s.")
                                       % {"reason": calendar.off[day].reason}})


@transaction.atomic
def calendar_day_create(*, actor: User | None, day: dt.date, kind: str, province: Unit | None, reason: str,
                        legal_basis: str, provisional: bool = False, ip: str | None = None) -> CalendarDay:
    _check(pk=None, day=day, kind=kind, province=province, reason=reason, legal_basis=legal_basis)
    entry = CalendarDay(day=day, kind=kind, province=province, reason=reason.strip(),
                        legal_basis=legal_basis.strip(), provisional=provisional)
    entry.full_clean()
    entry.save()
    audit.record(actor=actor, action=ACTION, obj=entry, unit=province, ip=ip, after=audit.snapshot(entry, FIELDS))
    return entry


@transaction.atomic
def calendar_day_update(*, actor: User | None, entry: CalendarDay, day: dt.date, kind: str, province: Unit | None,
                        reason: str, legal_basis: str, provisional: bool = False, ip: str | None = None) -> CalendarDay:
    locked = CalendarDay.objects.select_for_update().get(pk=entry.pk)
    before = audit.snapshot(locked, FIELDS)
    _check(pk=locked.pk, day=day, kind=kind, province=province, reason=reason, legal_basis=legal_basis)
    locked.day, locked.kind, locked.province = day, kind, province
    locked.reason, locked.legal_basis, locked.provisional = reason.strip(), legal_basis.strip(), provisional
    locked.full_clean()
    locked.save(update_fields=[*FIELDS, "updated_at"])
    after = audit.snapshot(locked, FIELDS)
    if after != before:
        audit.record(actor=actor, action=ACTION, obj=locked, unit=province, ip=ip, before=before, after=after)
    return locked


@transaction.atomic
def calendar_day_delete(*, actor: User | None, entry: CalendarDay, ip: str | None = None) -> None:
    before = audit.snapshot(entry, FIELDS)
    audit.record(actor=actor, action=ACTION, obj=entry, unit=entry.province, ip=ip, before=before, after=None)
    CalendarDay.objects.filter(pk=entry.pk).delete()
