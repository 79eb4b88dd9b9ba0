"""The core of the access layer: who a user is in the map, and what that lets them see and change.

A role on a unit covers the unit's descendants (its subtree in the current map). A user also
sees, read-only, the ancestors of those units (for context) and the legacy units that were
merged into them, so that data recorded under the pre-2025 map stays reachable.
(Decree 13/2023/NĐ-CP on personal data protection: access only as far as the task needs.)

This module knows units, users, roles, fields and the audit log, and nothing of the apps'
records: each app owns its scope rules in `<app>/access.py` (`ansinh.households.access`,
`ansinh.plans.access`), built on `Scope` and `get_scope`. Views and the API call those helpers;
nothing else filters by a unit's path (a test scans the views and the API for it).

Fields: a provincial officer works in one field (poverty, labour, …) and changes only what
belongs to it; a commune officer is a generalist and changes every field of her commune; an
administrator changes everything. Leaders and viewers change nothing.

Inspectors (`Role.INSPECTOR`, bound to a province) read and record the inspectorate's own
records (inspections, citizen reception, complaints and denunciations) of their province, by the
rules of `ansinh.care.access_inspections`, where commune and field officers see nothing. Their
role reaches nothing else: it is kept apart from `Scope.assignments`, which every register's
scope rules read (`Scope.own_area`), so an inspector sees no household, person, beneficiary or
dossier through it (Decree 13/2023: personal data only as far as the task needs). An inspection
that needs a register's records asks for them, or the department gives the inspector a leader's
or an officer's role as well. The map's units (not personal data) stay visible to her.
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

from .models import AUDIT_ROLES, EDITING_ROLES, ROLE_LEVEL, ApiToken, AuditEvent, Field, Role, RoleAssignment, User

# The field whose officers keep the register of households and people and see citizen IDs in
# full: the poverty review is the register's reason to exist (Decision 24/2021/QĐ-TTg) until the
# registries of the other fields ship.
REGISTER_FIELD = Field.POVERTY


def under(paths: Collection[str], prefix: str = "") -> Q:
    """Records whose unit is inside one of the subtrees of `paths`.

    `prefix` says where the unit is: "" for units themselves, a relation ending in "__" for
    records attached to a unit ("commune__", "household__commune__"), or a column prefix ending in
    "_" for a copy of the unit's path ("unit_" for `AuditEvent.unit_path`).

    Written for the indexes: a record's unit is matched by id among the subtree's units,
    `commune_id IN (SELECT id FROM geo_unit WHERE path under …)`, so the records' table is read
    through its index on the unit and a commune officer's query costs what her commune holds. A
    prefix match over the join (`commune__path__startswith`) read the whole table on SQLite, whose
    LIKE uses no index. The path match itself is `path__under` (`ansinh.geo.models.Under`), served
    by the path index on both databases.
    """
    if not paths:
        return Q(pk__in=[])
    within = Q()
    for path in paths:
        within |= Q(path__under=path)
    if not prefix:
        return within
    if prefix.endswith("__"):
        return Q(**{f"{prefix[:-2]}__in": Unit.objects.filter(within).values("pk")})
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}path__under": path})
    return q


# The most unit ids a scope filter names outright: a province with its communes and hamlets is a
# few thousand; more (a region of several provinces) is a subquery (`Scope._filter`).
MAX_INLINE_IDS = 5000


# Roles whose reach is their own area's records only (see the module's docstring).
OWN_AREA_ROLES = frozenset({Role.INSPECTOR})


@dataclass
class Scope:
    user: User
    assignments: list[RoleAssignment] = field(default_factory=list)
    # Roles that reach only their own area's records (OWN_AREA_ROLES: the inspectorate), never the
    # registers: their app's scope rules read them here (`area_assignments`).
    own_area: list[RoleAssignment] = field(default_factory=list)
    # Unit ids of small subtrees (communes and below), read once per request: see `_filter`.
    _subtree_ids: dict[tuple[str, ...], list[int] | None] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def national(self) -> bool:
        return any(a.unit.level == Level.COUNTRY for a in self.assignments)

    @cached_property
    def roles(self) -> set[str]:
        return {a.role for a in self.assignments} | {a.role for a in self.own_area}

    def area_assignments(self, roles: Collection[str]) -> list[RoleAssignment]:
        """The assignments of `roles`, those of own-area roles included (for that area's rules)."""
        return [a for a in [*self.assignments, *self.own_area] if a.role in roles]

    @cached_property
    def units(self) -> list[Unit]:
        return [a.unit for a in self.assignments]

    def _paths(self, roles: Collection[str] | None = None) -> list[str]:
        return [a.unit.path for a in self.assignments if roles is None or a.role in roles]

    @cached_property
    def context_ids(self) -> set[int]:
        """Ancestors of the assigned units, and legacy units merged into them with their ancestors."""
        ids = ids_from_paths(self._paths())
        legacy_paths = Succession.objects.filter(self._filter(self.assignments, "new")).values_list(
            "old__path", flat=True
        )
        return ids | ids_from_paths(legacy_paths)

    @cached_property
    def ancestor_ids(self) -> set[int]:
        """The assigned units and the units above them."""
        return ids_from_paths(self._paths())

    def unit_filter(self) -> Q:
        """Units this user may see."""
        if self.national:
            return Q()
        return self._filter([*self.assignments, *self.own_area], "") | Q(pk__in=self.context_ids | self._own_area_context)

    @cached_property
    def _own_area_context(self) -> set[int]:
        return ids_from_paths([a.unit.path for a in self.own_area]) if self.own_area else set()

    def _editing(self, field: str | None) -> list[RoleAssignment]:
        """Assignments that change data, in `field` when given (a provincial officer counts only
        for her own field; commune officers and administrators for every field)."""
        return [a for a in self.assignments if a.role in EDITING_ROLES
                and (field is None or a.role != Role.PROVINCIAL_OFFICER or a.field == field)]

    def data_filter(self, unit_field: str = "unit", roles: Collection[str] | None = None) -> Q:
        """Records attached to a unit (through `unit_field`) inside the user's units (for `roles`)."""
        assignments = [a for a in self.assignments if roles is None or a.role in roles]
        return self._filter(assignments, unit_field)

    def change_filter(self, unit_field: str = "unit", field: str | None = None) -> Q:
        """Records attached to a unit (through `unit_field`) the user may change (in `field`)."""
        return self._filter(self._editing(field), unit_field)

    def _filter(self, assignments: list[RoleAssignment], unit_field: str) -> Q:
        """Records whose unit (through `unit_field`, "" for units themselves) is inside one of the
        assigned units' subtrees. The subtree's unit ids are named outright, `commune_id IN (13859,
        13860, …)`, read once per request: the planner of either database then reads the records
        through their index on the unit, and estimates their number from the column's statistics
        (behind a subquery on the units, PostgreSQL guessed ~1,300 of a province's 300,000
        households and probed the status table for each: 0,26 s for the list of poor households,
        16 ms with the ids). A subtree of more than MAX_INLINE_IDS units is a subquery on the
        path index (`under`)."""
        if any(a.unit.level == Level.COUNTRY for a in assignments):
            return Q()
        paths = tuple(sorted({a.unit.path for a in assignments}))
        if not paths:
            return under(paths, f"{unit_field}__" if unit_field else "")
        if paths not in self._subtree_ids:
            ids = list(Unit.objects.filter(under(paths)).order_by("pk").values_list("pk", flat=True)[:MAX_INLINE_IDS + 1])
            self._subtree_ids[paths] = ids if len(ids) <= MAX_INLINE_IDS else None
        named = self._subtree_ids[paths]
        if named is None:  # a subtree too large to name (several provinces with their hamlets)
            return under(paths, f"{unit_field}__" if unit_field else "")
        return Q(**{f"{unit_field}__in" if unit_field else "pk__in": named})

    def assignments_filter(self, assignments: list[RoleAssignment], unit_field: str = "unit") -> Q:
        """Records attached to a unit inside the subtrees of some of the user's `assignments`
        (an app that scopes by field and record kind at once, e.g. `ansinh.benefits.access`)."""
        return self._filter(assignments, unit_field)

    def covers(self, unit: Unit) -> bool:
        """The unit is inside (or is) one of the user's units."""
        return any(unit.path.startswith(path) for path in self._paths())

    def can_change(self, unit: Unit, field: str | None = None) -> bool:
        """The user holds an editing role on the unit; with `field`, a provincial officer only
        counts for that field (a labour officer does not run the poverty review)."""
        return any(unit.path.startswith(a.unit.path) for a in self._editing(field))

    def changes_anything(self, field: str | None = None) -> bool:
        """Some role of the user changes data (in `field`): the imports and "new" buttons."""
        return bool(self._editing(field))

    def may_see_citizen_ids(self, unit: Unit | None) -> bool:
        """Full citizen IDs of people registered in `unit`: for whoever keeps the register there,
        commune officers of the unit, provincial officers of the register's field (poverty) in
        their province, administrators. Leaders, viewers and officers of other fields see them
        masked (Decree 13/2023/NĐ-CP, Art. 3: personal data only as far as the task needs)."""
        if unit is None:  # a record of no unit (a user, a token): administrators only
            return Role.ADMIN in self.roles
        return self.can_change(unit, field=REGISTER_FIELD)

    @property
    def can_read_audit(self) -> bool:
        return bool(self.roles & AUDIT_ROLES)


def get_scope(user: Any) -> Scope:
    """The scope of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    cached = getattr(user, "_ansinh_scope", None)
    if cached is None:
        assignments = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
        cached = Scope(user=user, assignments=[a for a in assignments if a.role not in OWN_AREA_ROLES],
                       own_area=[a for a in assignments if a.role in OWN_AREA_ROLES])
        user._ansinh_scope = cached
    return cached


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a request (views are behind login_required)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def units_for_user(user: Any) -> UnitQuerySet:
    return Unit.objects.filter(get_scope(user).unit_filter())


def own_units_for_user(user: Any) -> UnitQuerySet:
    """Units inside the user's units (not the ancestors and legacy units seen for context)."""
    return units_for_user(user).filter(get_scope(user).data_filter(""))


def get_unit_for_user(user: Any, pk: int, *, change: bool = False, field: str | None = None) -> Unit:
    """The unit, if the user may see it (else 404) and, with change=True, change it (in `field`,
    when the change belongs to one; else 403)."""
    unit = units_for_user(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if change and not get_scope(user).can_change(unit, field=field):
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
        events = AuditEvent.objects.filter(under([a.unit.path for a in assignments], "unit_"))
    if unit is not None:
        events = events.filter(under([unit.path], "unit_"))
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
    inside = under(paths, "unit__")
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
    return users.filter(pk__in=RoleAssignment.objects.filter(under([unit.path], "unit__")).values("user_id"))


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
    return units.filter(under(paths)).exclude(level=Level.COUNTRY)


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


__all__ = ["REGISTER_FIELD", "Role", "Scope", "audit_events_for_user", "can_grant_role", "can_manage_users",
           "check_role_grant", "get_role_for_user", "get_scope", "get_token_for_user", "get_unit_for_user",
           "get_user_for_user", "grantable_roles", "grantable_units", "managed_users_for_user", "own_units_for_user",
           "request_user", "under", "units_for_user", "user_directory_for_user", "users_for_user", "users_under_unit"]
