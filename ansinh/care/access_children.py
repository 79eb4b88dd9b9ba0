"""Scope rules of the children area, built on `ansinh.accounts.access` (field `children`).

Who sees what (Law on Children Art. 33 and Decree 13/2023/NĐ-CP: a child's private life and
personal data only as far as the task needs):
- the register (children, their groups, support, case notes) is attached to the child's commune:
  a commune officer reads and changes her commune's; a provincial officer of the field `children`
  reads and changes those of her province; officers of other fields read none; leaders and national
  viewers read what is in their units; administrators everything;
- case notes are read by whoever reads the child, each reading audited;
- abuse cases are shown only to those who change the child's records (leaders read the figures);
- citizen IDs: full for those who change the record, masked for the others;
- the yearly child-friendly assessment of a commune is entered and submitted by the commune's
  officers (or a provincial children officer) and approved or returned by a provincial officer of
  the field `children` (or an administrator); readers of the unit read it;
- the law's rows (groups, criteria, thresholds) are changed by administrators.

Views, the API, the CLI and the demo ask these helpers; none of them filters by a unit's path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import EDITING_ROLES, Field, Role
from ansinh.geo.models import Level, Unit

from .models_children import Child, ChildFriendlyAssessment

FIELD = Field.CHILDREN.value
NOTHING = Q(pk__in=[])
MAX_ID = 2**63 - 1  # an id past the database's integer is no record (and would overflow the query)


def _records(user: Any, *, change: bool, unit_field: str) -> Q:
    scope = get_scope(user)
    wanted = []
    for a in scope.assignments:
        if change and a.role not in EDITING_ROLES:
            continue
        if a.role == Role.PROVINCIAL_OFFICER and a.field != FIELD:
            continue
        wanted.append(a)
    if not wanted:
        return NOTHING
    if any(a.unit.level == Level.COUNTRY for a in wanted):
        return Q()
    return scope.assignments_filter(wanted, unit_field)


def may_change(user: Any, unit: Unit) -> bool:
    """Enter or change children's records (and a commune's assessment) attached to `unit`."""
    scope = get_scope(user)
    for a in scope.assignments:
        if a.role not in EDITING_ROLES or not unit.path.startswith(a.unit.path):
            continue
        if a.role == Role.ADMIN or a.role == Role.COMMUNE_OFFICER:
            return True
        if a.role == Role.PROVINCIAL_OFFICER and a.field == FIELD:
            return True
    return False


def may_approve(user: Any, unit: Unit) -> bool:
    """Approve or return a commune's assessment: the province's children officers."""
    scope = get_scope(user)
    for a in scope.assignments:
        if not unit.path.startswith(a.unit.path):
            continue
        if a.role == Role.ADMIN or (a.role == Role.PROVINCIAL_OFFICER and a.field == FIELD):
            return True
    return False


def enters_anything(user: Any) -> bool:
    """Some role of the user enters children's records somewhere (the "new" and import buttons)."""
    return any(a.role in (Role.ADMIN, Role.COMMUNE_OFFICER)
               or (a.role == Role.PROVINCIAL_OFFICER and a.field == FIELD) for a in get_scope(user).assignments)


def approves_anything(user: Any) -> bool:
    return any(a.role == Role.ADMIN or (a.role == Role.PROVINCIAL_OFFICER and a.field == FIELD)
               for a in get_scope(user).assignments)


def reads_children(user: Any) -> bool:
    return _records(user, change=False, unit_field="commune") != NOTHING


def children_for_user(user: Any) -> QuerySet[Child]:
    return Child.objects.filter(_records(user, change=False, unit_field="commune"))


def assessments_for_user(user: Any) -> QuerySet[ChildFriendlyAssessment]:
    return ChildFriendlyAssessment.objects.filter(_records(user, change=False, unit_field="commune"))


def communes_for_user(user: Any, *, change: bool) -> QuerySet[Unit]:
    """Current-map communes whose children's records the user reads (or changes)."""
    from ansinh.geo.models import Edition

    return Unit.objects.filter(_records(user, change=change, unit_field=""), level=Level.COMMUNE,
                               edition=Edition.CURRENT)


def in_unit(found: QuerySet[Any], unit: Unit) -> QuerySet[Any]:
    """Records of children or assessments (attached through `commune`) inside `unit` (a filter of
    the lists, on top of the user's scope)."""
    return found.filter(commune__path__startswith=unit.path)


def get_child_for_user(user: Any, pk: int, *, change: bool = False) -> Child:
    """One child of the register (404 outside the user's scope); with change=True the user must
    also be allowed to change the child's records."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    found = children_for_user(user).select_related("person__household", "commune").filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not may_change(user, found.commune):
        raise PermissionDenied
    return found


def get_assessment_for_user(user: Any, pk: int) -> ChildFriendlyAssessment:
    if not 0 < pk <= MAX_ID:
        raise Http404
    found = assessments_for_user(user).select_related("commune").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_see_abuse(user: Any, child: Child) -> bool:
    return may_change(user, child.commune)


def may_see_personal(user: Any, unit: Unit) -> bool:
    """Full citizen IDs: those who change the record."""
    return may_change(user, unit)


__all__ = [
    "FIELD", "approves_anything", "assessments_for_user", "children_for_user", "communes_for_user",
    "enters_anything", "get_assessment_for_user", "in_unit", "get_child_for_user", "may_approve", "may_change",
    "may_see_abuse", "may_see_personal", "reads_children",
]
