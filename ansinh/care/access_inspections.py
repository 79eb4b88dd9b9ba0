"""Scope rules of the inspections area, built on `ansinh.accounts.access`.

Who sees what:
- an inspector (`Role.INSPECTOR`, bound to a province) reads and records the inspections, citizen
  receptions, complaints, denunciations and petitions of her province;
- a provincial leader reads those of her province, a national viewer all of them; neither
  changes anything; administrators read and change everything;
- commune officers and provincial officers of the fields see nothing of it: a denunciation names
  its denouncer, whose identity the law protects (Law on Denunciations 25/2018/QH14, Art. 47–48),
  and the findings of an inspection are the inspecting body's until it publishes its conclusion
  (Law on Inspection 11/2022/QH15, Art. 79). A department that wants its field officers to read
  inspections gives them an inspector's role as well.

Views, the API and the commands ask these helpers; none of them filters by a unit's path.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import MAX_PK, get_scope
from ansinh.accounts.models import Role
from ansinh.geo.models import Edition, Level, Unit

from .models_inspections import FollowUp, Inspection, InspectionPlan, Petition, Reception

READ_ROLES = frozenset({Role.INSPECTOR, Role.PROVINCIAL_LEADER, Role.NATIONAL_VIEWER, Role.ADMIN})
CHANGE_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN})

M = TypeVar("M", bound=Model)


def _filter(user: Any, roles: frozenset[str]) -> Q:
    scope = get_scope(user)
    mine = scope.area_assignments(roles)
    if not mine:
        return Q(pk__in=[])
    return scope.assignments_filter(mine, "province")


def sees_inspections(user: Any) -> bool:
    """The menu entry and the pages: some role of the user reads the inspectorate's records."""
    return bool(get_scope(user).roles & READ_ROLES)


def records_anything(user: Any) -> bool:
    """The "new" buttons."""
    return bool(get_scope(user).roles & CHANGE_ROLES)


def visible(user: Any, model: type[M]) -> QuerySet[M]:
    """The user's records of `model` (one of the area's models with a `province`)."""
    return model._default_manager.filter(_filter(user, READ_ROLES))


def plans_for_user(user: Any) -> QuerySet[InspectionPlan]:
    return visible(user, InspectionPlan)


def inspections_for_user(user: Any) -> QuerySet[Inspection]:
    return visible(user, Inspection)


def receptions_for_user(user: Any) -> QuerySet[Reception]:
    return visible(user, Reception)


def petitions_for_user(user: Any) -> QuerySet[Petition]:
    return visible(user, Petition)


def follow_ups_for_user(user: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(inspection__in=inspections_for_user(user).values("pk"))


def may_change(user: Any, province: Unit) -> bool:
    scope = get_scope(user)
    return any(province.path.startswith(a.unit.path) for a in scope.area_assignments(CHANGE_ROLES))


def provinces_to_change(user: Any) -> QuerySet[Unit]:
    """The provinces of the current map where the user records the inspectorate's work."""
    scope = get_scope(user)
    mine = scope.area_assignments(CHANGE_ROLES)
    if not mine:
        return Unit.objects.none()
    return Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE).filter(
        scope.assignments_filter(mine, "")).order_by("name")


def units_to_change(user: Any) -> QuerySet[Unit]:
    """The provinces and their communes (current map) a record of the user may be attached to."""
    scope = get_scope(user)
    mine = scope.area_assignments(CHANGE_ROLES)
    if not mine:
        return Unit.objects.none()
    return Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE]).filter(
        scope.assignments_filter(mine, "")).order_by("level", "name")


def units_in_scope(user: Any) -> QuerySet[Unit]:
    """The provinces and communes whose records the user reads (the lists' unit filter)."""
    scope = get_scope(user)
    mine = scope.area_assignments(READ_ROLES)
    if not mine:
        return Unit.objects.none()
    return Unit.objects.filter(edition=Edition.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE]).filter(
        scope.assignments_filter(mine, "")).order_by("level", "name")


def get_for_user(user: Any, model: type[M], pk: int, *, change: bool = False) -> M:
    """One record the user reads (else 404); with change=True one she may change (else 403)."""
    if not 0 < pk <= MAX_PK:
        raise Http404
    found = visible(user, model).filter(pk=pk).select_related("province").first()
    if found is None:
        raise Http404
    if change and not may_change(user, found.province):  # type: ignore[attr-defined]
        raise PermissionDenied
    return found


def in_unit(queryset: QuerySet[M], unit: Unit) -> QuerySet[M]:
    """The records (of a scoped `queryset`) of `unit` or below it: narrows, never widens."""
    return queryset.filter(Q(unit=unit) | Q(unit__path__under=unit.path))


__all__ = ["CHANGE_ROLES", "READ_ROLES", "follow_ups_for_user", "get_for_user", "in_unit", "inspections_for_user",
           "may_change", "petitions_for_user", "plans_for_user", "provinces_to_change", "receptions_for_user",
           "records_anything", "sees_inspections", "units_in_scope", "units_to_change", "visible"]
