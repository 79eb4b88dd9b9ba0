"""The one access layer: what a user may see and change.

Every view, API endpoint and export asks this module; nothing else filters by scope.
A role on a unit covers the unit's descendants (its subtree in the current map). A user also
sees, read-only, the ancestors of those units (for context) and the legacy units that were
merged into them, so that data recorded under the pre-2025 map stays reachable.
(Decree 13/2023/NĐ-CP on personal data protection: access only as far as the task needs.)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from ansinh.geo.models import Edition, Level, Succession, Unit, UnitQuerySet, ids_from_paths
from ansinh.households.models import Household, HouseholdQuerySet, Member
from ansinh.plans.models import Plan, Submission
from ansinh.poverty.models import Assessment, ReviewRound

from .models import AUDIT_ROLES, EDITING_ROLES, ROLE_LEVEL, ApiToken, AuditEvent, Field, Role, RoleAssignment, User


@dataclass
class Scope:
    user: User
    assignments: list[RoleAssignment] = field(default_factory=list)

    @cached_property
    def national(self) -> bool:
        return any(a.unit.level == Level.COUNTRY for a in self.assignments)

    @cached_property
    def roles(self) -> set[str]:
        return {a.role for a in self.assignments}

    @cached_property
    def units(self) -> list[Unit]:
        return [a.unit for a in self.assignments]

    def _paths(self, roles: Collection[str] | None = None) -> list[str]:
        return [a.unit.path for a in self.assignments if roles is None or a.role in roles]

    @staticmethod
    def _under(paths: list[str], prefix: str = "") -> Q:
        if not paths:
            return Q(pk__in=[])
        q = Q()
        for path in paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    @cached_property
    def _context_ids(self) -> set[int]:
        """Ancestors of the assigned units, and legacy units merged into them with their ancestors."""
        ids = ids_from_paths(self._paths())
        legacy_paths = Succession.objects.filter(self._under(self._paths(), "new__")).values_list(
            "old__path", flat=True
        )
        return ids | ids_from_paths(legacy_paths)

    def unit_filter(self) -> Q:
        """Units this user may see."""
        if self.national:
            return Q()
        return self._under(self._paths()) | Q(pk__in=self._context_ids)

    def data_filter(self, unit_field: str = "unit", roles: Collection[str] | None = None) -> Q:
        """Records attached to a unit (through `unit_field`) inside the user's units (for `roles`)."""
        assignments = [a for a in self.assignments if roles is None or a.role in roles]
        if any(a.unit.level == Level.COUNTRY for a in assignments):
            return Q()
        return self._under([a.unit.path for a in assignments], f"{unit_field}__" if unit_field else "")

    def covers(self, unit: Unit) -> bool:
        """The unit is inside (or is) one of the user's units."""
        return any(unit.path.startswith(path) for path in self._paths())

    def can_change(self, unit: Unit, field: str | None = None) -> bool:
        """The user holds an editing role on the unit; with `field`, a provincial officer only
        counts for that field (a labour officer does not run the poverty review)."""
        return any(
            unit.path.startswith(a.unit.path) for a in self.assignments
            if a.role in EDITING_ROLES and (field is None or a.role != Role.PROVINCIAL_OFFICER or a.field == field)
        )

    @property
    def can_read_audit(self) -> bool:
        return bool(self.roles & AUDIT_ROLES)

    def may_see_citizen_ids(self, unit: Unit | None) -> bool:
        """Full citizen IDs of a unit's people: administrators, the commune officers over the unit
        and the province's poverty officers (their field keeps the register); everyone else sees
        them masked (Decree 13/2023/NĐ-CP: only as far as the task needs)."""
        for a in self.assignments:
            if a.role == Role.ADMIN:
                return True
            if unit is None or not unit.path.startswith(a.unit.path):
                continue
            if a.role == Role.COMMUNE_OFFICER or (a.role == Role.PROVINCIAL_OFFICER and a.field == Field.POVERTY):
                return True
        return False


def get_scope(user: Any) -> Scope:
    """The scope of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    cached = getattr(user, "_ansinh_scope", None)
    if cached is None:
        assignments = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
        cached = Scope(user=user, assignments=assignments)
        user._ansinh_scope = cached
    return cached


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a request (views are behind login_required)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def units_for_user(user: Any) -> UnitQuerySet:
    return Unit.objects.filter(get_scope(user).unit_filter())


def get_unit_for_user(user: Any, pk: int, *, change: bool = False) -> Unit:
    """The unit, if the user may see it (else 404) and, with change=True, change it (else 403)."""
    unit = units_for_user(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if change and not get_scope(user).can_change(unit):
        raise PermissionDenied
    return unit


def audit_events_for_user(user: Any, *, unit: Unit | None = None) -> QuerySet[AuditEvent]:
    """Leaders and administrators browse the audit trail of their units; with `unit` (one the
    user may see), only the events of that unit and the units below it."""
    scope = get_scope(user)
    if not scope.can_read_audit:
        raise PermissionDenied
    # unit_path is the unit's path when the event was written: "unit_" + "path__startswith".
    assignments = [a for a in scope.assignments if a.role in AUDIT_ROLES]
    if any(a.unit.level == Level.COUNTRY for a in assignments):
        events = AuditEvent.objects.all()
    else:
        events = AuditEvent.objects.filter(Scope._under([a.unit.path for a in assignments], "unit_"))
    if unit is not None:
        events = events.filter(Scope._under([unit.path], "unit_"))
    return events


def users_for_user(user: Any) -> QuerySet[User]:
    """Users holding a role on a unit inside the user's units."""
    scope = get_scope(user)
    if scope.national:
        return User.objects.all()
    role_ids = RoleAssignment.objects.filter(scope.data_filter("unit")).values("user_id")
    return User.objects.filter(pk__in=role_ids)


# --- Managing users (accounts.views_users) ---------------------------------------------------
# Administrators manage every user. A provincial leader manages the users of her province: those
# whose roles all lie inside it; she grants roles on her province or its communes, never the
# national roles (administrator, national viewer).

USER_MANAGER_ROLES = {Role.ADMIN, Role.PROVINCIAL_LEADER}


def _manager_paths(scope: Scope) -> list[str] | None:
    """The units a user manages users in: None for everywhere (an administrator), [] for nowhere."""
    if Role.ADMIN in scope.roles:
        return None
    return [a.unit.path for a in scope.assignments if a.role == Role.PROVINCIAL_LEADER]


def can_manage_users(user: Any) -> bool:
    return bool(get_scope(user).roles & USER_MANAGER_ROLES)


def managed_users_for_user(user: Any) -> QuerySet[User]:
    """Users the user may manage (403 for someone who manages nobody)."""
    scope = get_scope(user)
    paths = _manager_paths(scope)
    if paths is None:
        return User.objects.all()
    if not paths:
        raise PermissionDenied
    inside = Scope._under(paths, "unit__")
    return User.objects.filter(pk__in=RoleAssignment.objects.filter(inside).values("user_id")).exclude(
        pk__in=RoleAssignment.objects.exclude(inside).values("user_id"))


def user_directory_for_user(actor: Any) -> QuerySet[User]:
    """Users listed on the user pages: every user for an administrator, the users with a role in
    her province for a leader (403 for anyone else)."""
    scope = get_scope(actor)
    if not scope.roles & USER_MANAGER_ROLES:
        raise PermissionDenied
    return User.objects.all() if _manager_paths(scope) is None else users_for_user(actor)


def users_under_unit(users: QuerySet[User], unit: Unit) -> QuerySet[User]:
    """Of `users`, those holding a role on the unit or a unit inside it."""
    return users.filter(pk__in=RoleAssignment.objects.filter(unit__path__startswith=unit.path).values("user_id"))


MAX_PK = 2**63 - 1  # a larger number in a URL is nobody's key (and would overflow SQLite: a 500)


def get_user_for_user(actor: Any, pk: int, *, change: bool = False) -> User:
    """A user the actor may see on the user pages (else 404: a leader does not learn who works in
    another province); with change=True, one she may change (else 403: a user of her province
    who also holds a role elsewhere is the administrators' to change)."""
    visible = user_directory_for_user(actor)
    if not 0 < pk <= MAX_PK:
        raise Http404
    found = visible.filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not managed_users_for_user(actor).filter(pk=pk).exists():
        raise PermissionDenied
    return found


def grantable_roles(actor: Any) -> list[Role]:
    """The roles the actor may give: all for an administrator; a leader those at or below her
    province."""
    scope = get_scope(actor)
    if _manager_paths(scope) is None:
        return list(Role)
    if not scope.roles & USER_MANAGER_ROLES:
        return []
    return [role for role in Role if ROLE_LEVEL[role] != Level.COUNTRY]


def grantable_units(actor: Any) -> UnitQuerySet:
    """Current-map units the actor may bind a role to: for a leader her province and its
    communes, for an administrator the country, every province and commune."""
    scope = get_scope(actor)
    units = Unit.objects.on(timezone.localdate()).filter(level__in=set(ROLE_LEVEL.values())).filter(
        Q(edition=Edition.CURRENT) | Q(level=Level.COUNTRY))
    paths = _manager_paths(scope)
    if paths is None:
        return units
    return units.filter(Scope._under(paths)).exclude(level=Level.COUNTRY)


def check_role_grant(actor: Any, *, role: str, unit: Unit) -> None:
    """Raises PermissionDenied unless the actor may give this role on this unit."""
    if role not in grantable_roles(actor) or not grantable_units(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied


def can_grant_role(actor: Any, *, role: str, unit: Unit) -> bool:
    try:
        check_role_grant(actor, role=role, unit=unit)
    except PermissionDenied:
        return False
    return True


def get_role_for_user(actor: Any, user: User, pk: int) -> RoleAssignment:
    """One of `user`'s roles (else 404) that the actor may take away (else 403): a leader takes
    away only roles she could give."""
    if not 0 < pk <= MAX_PK:
        raise Http404
    assignment = RoleAssignment.objects.filter(user=user, pk=pk).select_related("unit", "user").first()
    if assignment is None:
        raise Http404
    check_role_grant(actor, role=assignment.role, unit=assignment.unit)
    return assignment


def get_token_for_user(actor: Any, user: User, pk: int) -> ApiToken:
    """One of `user`'s API tokens (else 404); `user` comes from get_user_for_user(change=True)."""
    if not 0 < pk <= MAX_PK:
        raise Http404
    token = ApiToken.objects.filter(user=user, pk=pk).select_related("user").first()
    if token is None:
        raise Http404
    return token


# --- Households and the poverty review (ansinh.households) -------------------------------------


def households_for_user(user: Any) -> HouseholdQuerySet:
    """Households registered in a commune inside the user's units."""
    return Household.objects.filter(get_scope(user).data_filter("commune"))


def get_household_for_user(user: Any, pk: int, *, change: bool = False) -> Household:
    """The household, if the user may see it (else 404) and, with change=True, change it (else 403)."""
    household = households_for_user(user).select_related("commune", "hamlet", "legacy_commune").filter(pk=pk).first()
    if household is None:
        raise Http404
    if change and not get_scope(user).can_change(household.commune):
        raise PermissionDenied
    return household


def members_for_user(user: Any) -> QuerySet[Member]:
    return Member.objects.filter(get_scope(user).data_filter("household__commune"))


def get_member_for_user(user: Any, pk: int, *, change: bool = False) -> Member:
    member = members_for_user(user).select_related("household__commune").filter(pk=pk).first()
    if member is None:
        raise Http404
    if change and not get_scope(user).can_change(member.household.commune):
        raise PermissionDenied
    return member


def rounds_for_user(user: Any) -> QuerySet[ReviewRound]:
    """Review rounds on a unit inside the user's units, or on a unit above them (a commune officer
    follows the province's round, seeing only the commune's part of it)."""
    scope = get_scope(user)
    if scope.national:
        return ReviewRound.objects.all()
    above = ids_from_paths(scope._paths())
    return ReviewRound.objects.filter(scope.data_filter("unit") | Q(unit_id__in=above))


def get_round_for_user(user: Any, pk: int, *, change: bool = False) -> ReviewRound:
    """A round the user may follow (else 404); with change=True, one on a unit the user may change
    (a commune officer may not run or decide the province's round: 403)."""
    found = rounds_for_user(user).select_related("unit", "standard").filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not get_scope(user).can_change(found.unit, field=Field.POVERTY):
        raise PermissionDenied
    return found


def assessments_for_user(user: Any) -> QuerySet[Assessment]:
    """Assessments of households in communes inside the user's units."""
    return Assessment.objects.filter(get_scope(user).data_filter("commune"))


__all__ = ["Role", "Scope", "assessments_for_user", "audit_events_for_user", "can_grant_role", "can_manage_users", "check_role_grant",
           "get_household_for_user", "get_member_for_user", "get_role_for_user", "get_round_for_user", "get_scope",
           "get_token_for_user", "get_unit_for_user", "get_user_for_user", "grantable_roles", "grantable_units",
           "households_for_user", "managed_users_for_user", "members_for_user", "rounds_for_user", "units_for_user",
           "user_directory_for_user", "users_for_user", "users_under_unit"]


# --- Plans, targets and periodic submissions (ansinh.plans) --------------------------------
# Records of the legacy map are checked through `home`, the current unit that took them over.

DECIDING_ROLES = {Role.PROVINCIAL_OFFICER, Role.PROVINCIAL_LEADER, Role.ADMIN}


def plans_for_user(user: Any) -> QuerySet[Plan]:
    """Plans of the user's units and of the units above them (a commune sees the plan that gives
    it targets)."""
    scope = get_scope(user)
    if scope.national:
        return Plan.objects.all()
    return Plan.objects.filter(scope.data_filter("home") | Q(home_id__in=scope._context_ids))


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
