"""Scope rules of care facilities and their residents, built on `ansinh.accounts.access`.

Who sees what (Decree 13/2023/NĐ-CP: personal data only as far as the task needs):
- a facility belongs to a unit (a province or a commune of the current map) and to the field that
  manages it (`Facility.field`: social assistance, or children for facilities of children);
- provincial officers of the facility's field read and change the facilities of their province and
  their residents; officers of other fields read none (they read the figures);
- commune officers read and change the facilities of their commune (a commune's social work centre,
  a private facility registered there), not the province's own centres;
- leaders and national viewers read the facilities of their units and change nothing;
- administrators everything;
- citizen IDs of residents: in full for those who change the facility, masked for the others.

Views, the API, exports and commands ask these helpers; none of them filters by a unit's path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import EDITING_ROLES, Role
from ansinh.geo.models import Edition, Level, Unit

from .models_facilities import Facility, FacilityKind, KIND_FIELD, Resident

NOTHING = Q(pk__in=[])


def _facilities_q(user: Any, *, change: bool, prefix: str = "") -> Q:
    """Facilities (through `prefix`, "" or "facility__") the user reads or changes."""
    scope = get_scope(user)
    parts: list[Q] = []
    general = [a for a in scope.assignments
               if a.role != Role.PROVINCIAL_OFFICER and (not change or a.role in EDITING_ROLES)]
    if general:
        if any(a.unit.level == Level.COUNTRY for a in general):
            return Q()
        parts.append(scope.assignments_filter(general, f"{prefix}unit"))
    officers: dict[str, list[Any]] = {}
    for a in scope.assignments:
        if a.role == Role.PROVINCIAL_OFFICER and a.field:
            officers.setdefault(a.field, []).append(a)
    for field, mine in officers.items():
        parts.append(scope.assignments_filter(mine, f"{prefix}unit") & Q(**{f"{prefix}field": field}))
    if not parts:
        return NOTHING
    out = parts[0]
    for q in parts[1:]:
        out |= q
    return out


def facilities_for_user(user: Any) -> QuerySet[Facility]:
    return Facility.objects.filter(_facilities_q(user, change=False))


def facilities_to_change(user: Any) -> QuerySet[Facility]:
    return Facility.objects.filter(_facilities_q(user, change=True))


def residents_for_user(user: Any) -> QuerySet[Resident]:
    return Resident.objects.filter(_facilities_q(user, change=False, prefix="facility__"))


def may_change(user: Any, facility: Facility) -> bool:
    """Admit, discharge and edit the residents of `facility`, and edit the facility."""
    return get_scope(user).can_change(facility.unit, field=facility.field)


def may_create(user: Any, unit: Unit, kind: str) -> bool:
    """Register a facility of `kind` belonging to `unit`."""
    return get_scope(user).can_change(unit, field=KIND_FIELD[FacilityKind(kind)])


def may_see_personal(user: Any, facility: Facility) -> bool:
    """Full citizen IDs of the facility's residents: those who change them."""
    return may_change(user, facility)


def sees_facilities(user: Any) -> bool:
    """The menu entry."""
    return _facilities_q(user, change=False) != NOTHING


def creates_anything(user: Any) -> bool:
    """Some role of the user registers facilities somewhere (the "new facility" button)."""
    return get_scope(user).changes_anything()


def facility_units(user: Any) -> QuerySet[Unit]:
    """Provinces and communes of the current map where the user may register a facility."""
    scope = get_scope(user)
    editing = [a for a in scope.assignments if a.role in EDITING_ROLES]
    if not editing:
        return Unit.objects.none()
    units = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
    return units.filter(scope.assignments_filter(editing, "")).order_by("level", "name")


def units_in_scope(user: Any) -> QuerySet[Unit]:
    """Provinces and communes whose facilities the user may read (the lists' unit filter)."""
    scope = get_scope(user)
    units = Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE])
    return units.filter(scope.data_filter("")).order_by("level", "name")


def communes_of_province(facility: Facility) -> QuerySet[Unit]:
    """The communes of the facility's province (current map): where its residents come from (the
    choices of the admission form; no personal data)."""
    province = facility.unit if facility.unit.level == Level.PROVINCE else facility.unit.province()
    if province is None:
        return Unit.objects.none()
    return Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE,
                               path__under=province.path).order_by("name")


def in_unit(queryset: QuerySet[Any], unit: Unit, prefix: str = "") -> QuerySet[Any]:
    """Records (of a scoped `queryset`) of facilities belonging to `unit` or below it: narrows the
    user's scope, never widens it."""
    return queryset.filter(Q(**{f"{prefix}unit": unit}) | Q(**{f"{prefix}unit__path__under": unit.path}))


def get_facility_for_user(user: Any, pk: int, *, change: bool = False) -> Facility:
    found = facilities_for_user(user).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not may_change(user, found):
        raise PermissionDenied
    return found


def get_resident_for_user(user: Any, pk: int, *, change: bool = False) -> Resident:
    found = (residents_for_user(user).select_related("facility", "facility__unit", "category", "member",
                                                     "home_commune", "aftercare_commune")
             .filter(pk=pk).first())
    if found is None:
        raise Http404
    if change and not may_change(user, found.facility):
        raise PermissionDenied
    return found


__all__ = ["creates_anything", "facilities_for_user", "facilities_to_change", "facility_units",
           "get_facility_for_user", "get_resident_for_user", "in_unit", "may_change", "may_create",
           "may_see_personal", "residents_for_user", "sees_facilities", "units_in_scope"]
