"""Scope rules of plans, targets, periodic forms (submissions), agencies and results.

Built on `ansinh.accounts.access` (Scope, get_scope). Views, the API, exports and commands ask
these helpers; none of them filters by a unit's path itself.

Fields: plans are cross-field (one plan of the department sets targets of every field, and a
commune's form carries figures of all of them), so a provincial officer of any field keeps
changing her province's plans and forms, as before; leaders and viewers read. Records of the
legacy map are checked through `home`, the current unit that took them over.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import Scope, get_scope
from ansinh.accounts.models import EDITING_ROLES, Role
from ansinh.geo.models import Edition, Level, Unit, UnitQuerySet, current_home

from .models import Plan, Submission

DECIDING_ROLES = {Role.PROVINCIAL_OFFICER, Role.PROVINCIAL_LEADER, Role.ADMIN}


def plans_for_user(user: Any) -> QuerySet[Plan]:
    """Plans of the user's units and of the units above them (a commune sees the plan that gives
    it targets)."""
    scope = get_scope(user)
    if scope.national:
        return Plan.objects.all()
    return Plan.objects.filter(scope.data_filter("home") | Q(home_id__in=scope.context_ids))


def get_plan_for_user(user: Any, pk: int, *, change: bool = False) -> Plan:
    plan = plans_for_user(user).select_related("agency", "unit", "home").filter(pk=pk).first()
    if plan is None:
        raise Http404
    if change and not get_scope(user).can_change(plan.home):
        raise PermissionDenied
    return plan


def submissions_for_user(user: Any) -> QuerySet[Submission]:
    return Submission.objects.filter(get_scope(user).data_filter("home"))


def can_decide_submission(user: Any, submission: Submission) -> bool:
    """The unit above approves or returns: a provincial officer, leader or administrator over the
    submitting unit, other than the one who sent it; a province's own form needs its leader (or an
    administrator)."""
    scope = get_scope(user)
    home = submission.home
    if submission.submitted_by_id is not None and submission.submitted_by_id == scope.user.pk:
        return False  # four eyes: whoever sent a form does not approve it
    return any(
        home.path.startswith(a.unit.path) and (a.unit.pk != home.pk or a.role != Role.PROVINCIAL_OFFICER)
        for a in scope.assignments if a.role in DECIDING_ROLES
    )


def get_submission_for_user(user: Any, pk: int, *, action: str = "view") -> Submission:
    """The submission, if visible (else 404); `action` "edit" (fill or submit) needs an editing
    role on its unit, "decide" (approve or return) a role on the unit above (else 403)."""
    submission = (submissions_for_user(user).select_related("plan", "plan__agency", "unit", "home")
                  .filter(pk=pk).first())
    if submission is None:
        raise Http404
    if action == "edit" and not get_scope(user).can_change(submission.home):
        raise PermissionDenied
    if action == "decide" and not can_decide_submission(user, submission):
        raise PermissionDenied
    return submission


# --- Units of a plan -------------------------------------------------------------------------------


def can_change_unit(scope: Scope, unit: Unit) -> bool:
    """Records of the legacy map are changed by whoever may change the current unit that took them over."""
    return scope.can_change(current_home(unit) if unit.edition == Edition.LEGACY else unit)


def covers_unit(scope: Scope, unit: Unit) -> bool:
    """The unit is in the user's scope (a legacy unit through the current unit that took it over)."""
    if scope.national or scope.covers(unit):
        return True
    return unit.edition == Edition.LEGACY and scope.covers(current_home(unit))


def plan_area(plan: Plan) -> UnitQuerySet:
    """The plan's unit and the units below it, down to communes (its targets' units)."""
    return Unit.objects.subtree(plan.unit).filter(level__lte=Level.COMMUNE)


def plan_area_unit(plan: Plan, pk: int | None) -> Unit | None:
    """A unit of the plan's area by id, or None."""
    return plan_area(plan).filter(pk=pk).first() if pk is not None else None


def plans_in_unit(plans: QuerySet[Plan], unit: Unit) -> QuerySet[Plan]:
    """Narrows (already scoped) plans to those whose home is the unit or below it."""
    return plans.filter(home__in=Unit.objects.subtree(unit))


def submissions_in_unit(submissions: QuerySet[Submission], unit: Unit) -> QuerySet[Submission]:
    """Narrows (already scoped) forms to those whose home is the unit or below it."""
    return submissions.filter(home__in=Unit.objects.subtree(unit))


def form_units(user: Any, plan: Plan) -> list[Unit]:
    """The units whose form the user may fill for the plan: its own unit and the units below it
    (two levels: a province's districts and communes) that the user may edit. Units of the legacy
    map count through the current units that took them over."""
    scope = get_scope(user)
    area = Unit.objects.subtree(plan.unit).filter(edition=plan.unit.edition,
                                                  level__lte=min(Level.COMMUNE, plan.unit.level + 2))
    if scope.can_change(plan.home):
        return list(area.vietnamese_order())
    if not scope.changes_anything():
        return []
    mine = scope.change_filter("successions__new" if plan.unit.edition == Edition.LEGACY else "")
    return [unit for unit in area.filter(mine).distinct().vietnamese_order() if scope.can_change(current_home(unit))]


def editing_unit_ids(user: Any) -> list[int]:
    """The units the user holds an editing role on."""
    return [a.unit.pk for a in get_scope(user).assignments if a.role in EDITING_ROLES]


__all__ = ["DECIDING_ROLES", "can_change_unit", "can_decide_submission", "covers_unit", "editing_unit_ids",
           "form_units", "get_plan_for_user", "get_submission_for_user", "plan_area", "plan_area_unit",
           "plans_for_user", "plans_in_unit", "submissions_for_user", "submissions_in_unit"]
