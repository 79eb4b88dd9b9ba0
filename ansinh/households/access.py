"""Scope rules of the register of households and people (the poverty review's are `ansinh.poverty.access`).

Built on `ansinh.accounts.access` (Scope, get_scope). Views, the API, exports and commands ask
these helpers; none of them filters by a unit's path itself.

Fields: the register and the poverty review belong to the poverty field (`REGISTER_FIELD`). A
commune officer keeps every field of her commune; a provincial officer changes households,
members, living conditions and review rounds only if her field is poverty (a labour officer
reads them, as her work needs, and gets 403 on every change); an administrator changes all.
Citizen IDs are shown in full only to those who keep the register (`Scope.may_see_citizen_ids`).

Every action that changes the register or the review, and the field it belongs to (poverty):
- pages: household-create, -edit, -split, -merge; member-add, -edit, -died, -move;
  conditions-record; household-import; round-open, round-step, round-run, round-decide;
- API: PATCH /api/v1/households/<id>, PATCH /api/v1/members/<id>;
- CLI: `households import --as`, `poverty review run|decide --actor`; `poverty standards --load
  --actor` is for administrators only (the standards are national law); `poverty assess` (the
  file assessment) stores nothing and acts for nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import REGISTER_FIELD, get_scope, get_unit_for_user, own_units_for_user
from ansinh.accounts.models import EDITING_ROLES, Field, Role
from ansinh.geo.models import Edition, Level, Unit

from .models import Household, HouseholdQuerySet, Member

POVERTY_FIELD = Field.POVERTY

# --- The register: households and members ------------------------------------------------------


def households_for_user(user: Any) -> HouseholdQuerySet:
    """Households registered in a commune inside the user's units."""
    return Household.objects.filter(get_scope(user).data_filter("commune"))


def households_to_change(user: Any) -> HouseholdQuerySet:
    """Households the user may change (editing roles of the register's field): where a member may
    move, a household may merge."""
    return households_for_user(user).filter(get_scope(user).change_filter("commune", REGISTER_FIELD))


def may_change_register(user: Any, unit: Unit) -> bool:
    """The user may register and change households and members of `unit` (a commune)."""
    return get_scope(user).can_change(unit, field=REGISTER_FIELD)


def register_change_check(user: Any) -> Callable[[Unit], bool]:
    """The check an import applies to each commune of its file."""
    scope = get_scope(user)
    return lambda unit: scope.can_change(unit, field=REGISTER_FIELD)


def register_editor(user: Any) -> bool:
    """Some role of the user changes the register (the import, "register a household")."""
    return get_scope(user).changes_anything(REGISTER_FIELD)


def require_register_editor(user: Any) -> None:
    if not register_editor(user):
        raise PermissionDenied


def may_see_citizen_ids(user: Any, unit: Unit) -> bool:
    return get_scope(user).may_see_citizen_ids(unit)


def get_household_for_user(user: Any, pk: int, *, change: bool = False) -> Household:
    """The household, if the user may see it (else 404) and, with change=True, change it (an
    editing role of the register's field on its commune; else 403)."""
    household = households_for_user(user).select_related("commune", "hamlet", "legacy_commune").filter(pk=pk).first()
    if household is None:
        raise Http404
    if change and not may_change_register(user, household.commune):
        raise PermissionDenied
    return household


def members_for_user(user: Any) -> QuerySet[Member]:
    return Member.objects.filter(get_scope(user).data_filter("household__commune"))


def get_member_for_user(user: Any, pk: int, *, change: bool = False) -> Member:
    member = members_for_user(user).select_related("household__commune").filter(pk=pk).first()
    if member is None:
        raise Http404
    if change and not may_change_register(user, member.household.commune):
        raise PermissionDenied
    return member


def communes_in_scope(user: Any) -> QuerySet[Unit]:
    """Current communes inside the user's units (the list's filter)."""
    return (own_units_for_user(user).filter(level=Level.COMMUNE, edition=Edition.CURRENT)
            .select_related("parent").vietnamese_order())


def communes_to_change(user: Any) -> QuerySet[Unit]:
    """Current communes where the user may register households."""
    return communes_in_scope(user).filter(get_scope(user).change_filter("", REGISTER_FIELD))


def households_in_unit(households: HouseholdQuerySet, unit: Unit) -> HouseholdQuerySet:
    """Narrows (already scoped) households to those of a unit's communes."""
    return households.filter(commune__in=Unit.objects.subtree(unit))


__all__ = ["POVERTY_FIELD", "REGISTER_FIELD", "communes_in_scope", "communes_to_change", "get_household_for_user",
           "get_member_for_user", "households_for_user", "households_in_unit", "households_to_change",
           "may_change_register", "may_see_citizen_ids", "members_for_user", "register_change_check",
           "register_editor", "require_register_editor"]
