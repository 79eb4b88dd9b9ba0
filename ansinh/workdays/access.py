"""Who sees and who changes the calendar's decisions, built on `ansinh.accounts.access`.

Everyone signed in reads the national days and those of the provinces their units lie in. The
national days are changed by system administrators; a province's own days by its provincial
officers and leaders (and administrators)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import Role
from ansinh.geo.models import Edition, Level, Unit, ids_from_paths

from .models import CalendarDay, CalendarDayQuerySet

CALENDAR_ROLES = {Role.PROVINCIAL_OFFICER, Role.PROVINCIAL_LEADER, Role.ADMIN}


def days_for_user(user: Any) -> CalendarDayQuerySet:
    scope = get_scope(user)
    if scope.national:
        return CalendarDay.objects.all()
    provinces = ids_from_paths(unit.path for unit in scope.units)
    return CalendarDay.objects.filter(Q(province__isnull=True) | Q(province_id__in=provinces))


def can_edit_calendar(user: Any, province: Unit | None) -> bool:
    """National days: an administrator; a province's days: a provincial officer or leader of it,
    or an administrator."""
    scope = get_scope(user)
    if province is None:
        return any(a.role == Role.ADMIN and a.unit.level == Level.COUNTRY for a in scope.assignments)
    return any(a.role in CALENDAR_ROLES and province.path.startswith(a.unit.path) for a in scope.assignments)


def editable_provinces(user: Any) -> QuerySet[Unit]:
    """Current provinces whose days the user may change."""
    scope = get_scope(user)
    provinces = Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT)
    if any(a.role == Role.ADMIN and a.unit.level == Level.COUNTRY for a in scope.assignments):
        return provinces
    ids = [a.unit.pk for a in scope.assignments if a.role in CALENDAR_ROLES and a.unit.level == Level.PROVINCE]
    return provinces.filter(pk__in=ids)


def get_day_for_user(user: Any, pk: int, *, change: bool = False) -> CalendarDay:
    """The decision, if the user may see it (else 404) and, with change=True, change it (else 403)."""
    found = days_for_user(user).select_related("province").filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not can_edit_calendar(user, found.province):
        raise PermissionDenied
    return found
