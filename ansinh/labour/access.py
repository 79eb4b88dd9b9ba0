"""Scope rules of the labour registries, built on `ansinh.accounts.access`.

Who sees what (Decree 13/2023/NĐ-CP: personal data only as far as the task needs):
- the records of people (placements, counselling, enrolments, workers abroad, unemployment
  dossiers) are attached to the person's commune: a commune officer reads every one of her
  commune's; a provincial officer of the field `labour` reads those of her province; officers of
  other fields read none (they read the figures); leaders and national viewers read what is in
  their units; administrators everything;
- placements and counselling are entered by commune officers for their commune and by provincial
  labour officers; training, workers abroad, unemployment dossiers, sessions, employers, foreign
  workers and permits by provincial labour officers (the employment service centre, the
  department) and administrators: `may_change(user, unit, kind)`;
- foreign workers, employers and training providers are attached to the unit where they are
  (`workplace`, `unit`): read by whoever reads that unit's labour records;
- citizen IDs of people and passport numbers of foreign workers: full for those who change the
  record, masked for the others;
- the law's rows (minimum wages, base salary, unemployment rules, permit times, training levels)
  are read by everyone signed in and changed by administrators; a province's wage regions of its
  communes by its provincial labour officers too.

Views, the API, exports and commands ask these helpers; none of them filters by a unit's path.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import EDITING_ROLES, Field, Role
from ansinh.geo.models import Level, Unit

from .models import (
    Counselling,
    CounsellingSession,
    Course,
    Departure,
    Employer,
    Enrolment,
    ForeignWorker,
    Placement,
    TrainingProvider,
    UnemploymentDossier,
    WorkPermit,
)

FIELD = Field.LABOUR.value
NOTHING = Q(pk__in=[])
M = TypeVar("M", bound=Model)

# What a commune officer may enter for her commune (the others are provincial work).
COMMUNE_KINDS = frozenset({"placement", "counselling"})
KINDS = frozenset({"placement", "counselling", "session", "training", "departure", "unemployment",
                   "employer", "foreign_worker", "law"})


def _records(user: Any, *, change: bool, unit_field: str, commune_changes: bool = True) -> Q:
    """Records attached to a unit through `unit_field` the user may read (change=False) or change.
    With `commune_changes` False, commune officers read but do not change (provincial work)."""
    scope = get_scope(user)
    wanted = []
    for a in scope.assignments:
        if change and a.role not in EDITING_ROLES:
            continue
        if a.role == Role.PROVINCIAL_OFFICER and a.field != FIELD:
            continue
        if change and a.role == Role.COMMUNE_OFFICER and not commune_changes:
            continue
        wanted.append(a)
    if not wanted:
        return NOTHING
    if any(a.unit.level == Level.COUNTRY for a in wanted):
        return Q()
    return scope.assignments_filter(wanted, unit_field)


def may_change(user: Any, unit: Unit, kind: str) -> bool:
    """Enter or change a record of `kind` (one of KINDS) attached to `unit`."""
    if kind not in KINDS:
        raise ValueError(kind)
    scope = get_scope(user)
    if kind == "law":
        return Role.ADMIN in scope.roles
    for a in scope.assignments:
        if a.role not in EDITING_ROLES or not unit.path.startswith(a.unit.path):
            continue
        if a.role == Role.ADMIN:
            return True
        if a.role == Role.PROVINCIAL_OFFICER and a.field == FIELD:
            return True
        if a.role == Role.COMMUNE_OFFICER and kind in COMMUNE_KINDS:
            return True
    return False


def enters_anything(user: Any, kind: str) -> bool:
    """Some role of the user enters records of `kind` somewhere (the "new" and import buttons)."""
    scope = get_scope(user)
    for a in scope.assignments:
        if a.role == Role.ADMIN or (a.role == Role.PROVINCIAL_OFFICER and a.field == FIELD and kind != "law"):
            return True
        if a.role == Role.COMMUNE_OFFICER and kind in COMMUNE_KINDS:
            return True
    return False


def reads_labour(user: Any) -> bool:
    """The user reads some labour records (the menu entry)."""
    return _records(user, change=False, unit_field="unit") != NOTHING


def may_see_personal(user: Any, unit: Unit, kind: str) -> bool:
    """Full citizen IDs and passport numbers of records of `kind` in `unit`: those who change them."""
    return may_change(user, unit, kind)


# --- Querysets ------------------------------------------------------------------------------------


def placements_for_user(user: Any) -> QuerySet[Placement]:
    return Placement.objects.filter(_records(user, change=False, unit_field="commune"))


def counselling_for_user(user: Any) -> QuerySet[Counselling]:
    return Counselling.objects.filter(_records(user, change=False, unit_field="commune"))


def sessions_for_user(user: Any) -> QuerySet[CounsellingSession]:
    return CounsellingSession.objects.filter(_records(user, change=False, unit_field="unit"))


def enrolments_for_user(user: Any) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(_records(user, change=False, unit_field="commune"))


def courses_for_user(user: Any) -> QuerySet[Course]:
    return Course.objects.filter(_records(user, change=False, unit_field="unit"))


def providers_for_user(user: Any) -> QuerySet[TrainingProvider]:
    """Training providers in the user's units, and those above them (a commune officer sees the
    province's schools her people attend)."""
    scope = get_scope(user)
    inside = _records(user, change=False, unit_field="unit")
    if inside == NOTHING:
        return TrainingProvider.objects.none()
    above = Q(unit_id__in=scope.ancestor_ids) if not scope.national else Q()
    return TrainingProvider.objects.filter(inside | above)


def departures_for_user(user: Any) -> QuerySet[Departure]:
    return Departure.objects.filter(_records(user, change=False, unit_field="commune"))


def unemployment_for_user(user: Any) -> QuerySet[UnemploymentDossier]:
    return UnemploymentDossier.objects.filter(_records(user, change=False, unit_field="commune"))


def employers_for_user(user: Any) -> QuerySet[Employer]:
    return Employer.objects.filter(_records(user, change=False, unit_field="unit"))


def foreign_workers_for_user(user: Any) -> QuerySet[ForeignWorker]:
    return ForeignWorker.objects.filter(_records(user, change=False, unit_field="workplace"))


def permits_for_user(user: Any) -> QuerySet[WorkPermit]:
    return WorkPermit.objects.filter(_records(user, change=False, unit_field="worker__workplace"))


def get_for_user(user: Any, queryset: QuerySet[M], pk: int, *, unit_attr: str, kind: str,
                 change: bool = False) -> M:
    """One record of a scoped `queryset` (404 outside the user's scope); with change=True the user
    must also be allowed to change records of `kind` in the record's unit (`unit_attr`, e.g.
    "commune", "workplace")."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not may_change(user, getattr(found, unit_attr), kind):
        raise PermissionDenied
    return found


def sessions_around_user(user: Any) -> QuerySet[CounsellingSession]:
    """Sessions and job fairs in the user's units, and those held above them (a commune officer
    sees the province's job fairs her people attend); sessions hold no personal data."""
    inside = _records(user, change=False, unit_field="unit")
    if inside == NOTHING:
        return CounsellingSession.objects.none()
    scope = get_scope(user)
    above = Q(unit_id__in=scope.ancestor_ids) if not scope.national else Q()
    return CounsellingSession.objects.filter(inside | above)
