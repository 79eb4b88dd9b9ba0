"""Scope rules of the register of households and people (and, for now, of the poverty review).

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

from .models import Assessment, Household, HouseholdQuerySet, Member, ReviewRound

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


# --- Poverty review ------------------------------------------------------------------------------
# Review rounds, assessments and standards: to move to the `poverty` app's access.py.


def rounds_for_user(user: Any) -> QuerySet[ReviewRound]:
    """Review rounds on a unit inside the user's units, or on a unit above them (a commune officer
    follows the province's round, seeing only the commune's part of it)."""
    scope = get_scope(user)
    if scope.national:
        return ReviewRound.objects.all()
    return ReviewRound.objects.filter(scope.data_filter("unit") | Q(unit_id__in=scope.ancestor_ids))


def get_round_for_user(user: Any, pk: int, *, change: bool = False) -> ReviewRound:
    """A round the user may follow (else 404); with change=True, one on a unit the user may change
    in the poverty field (a commune officer may not run or decide the province's round; a labour
    officer none: 403)."""
    found = rounds_for_user(user).select_related("unit", "standard").filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not get_scope(user).can_change(found.unit, field=POVERTY_FIELD):
        raise PermissionDenied
    return found


def assessments_for_user(user: Any) -> QuerySet[Assessment]:
    """Assessments of households in communes inside the user's units."""
    return Assessment.objects.filter(get_scope(user).data_filter("commune"))


def round_communes(user: Any, round_: ReviewRound) -> QuerySet[Unit]:
    """The round's communes the user may see: all of them for the province, a commune officer's own."""
    return (Unit.objects.descendants_of(round_.unit).filter(edition=Edition.CURRENT, level=Level.COMMUNE)
            .filter(get_scope(user).data_filter("")))


def get_commune_for_step(user: Any, pk: int) -> Unit:
    """A commune whose steps of the round the user records (poverty field; else 403)."""
    return get_unit_for_user(user, pk, change=True, field=POVERTY_FIELD)


def may_change_round_unit(user: Any, unit: Unit) -> bool:
    return get_scope(user).can_change(unit, field=POVERTY_FIELD)


def get_unit_to_open_round(user: Any, pk: int) -> Unit:
    """The province or commune a round is opened on: the poverty field's (else 403)."""
    return get_unit_for_user(user, pk, change=True, field=POVERTY_FIELD)


def can_decide_round(user: Any, round_: ReviewRound) -> bool:
    """Who signs the decision recognising poor and near-poor households.

    Decision 24/2021/QĐ-TTg, as adapted to the two-level government since 1 Jul 2025:
    the commune chair decides the commune's list (the commune officer records it); for a round
    run by the province, the provincial department (its poverty officer) or an administrator
    records the decision that closes the round.
    """
    scope = get_scope(user)
    if not scope.can_change(round_.unit, field=POVERTY_FIELD):
        return False
    if round_.unit.level == Level.PROVINCE:
        return True
    return any(a.role in (Role.COMMUNE_OFFICER, Role.ADMIN) and round_.unit.path.startswith(a.unit.path)
               for a in scope.assignments)


def openable_units(user: Any) -> list[tuple[Unit, list[Unit]]]:
    """Units the user may open a round on, grouped: a province with its communes, or a commune."""
    scope = get_scope(user)
    groups: list[tuple[Unit, list[Unit]]] = []
    current = Unit.objects.filter(edition=Edition.CURRENT)
    for assignment in scope.assignments:
        if assignment.role not in EDITING_ROLES or (
                assignment.role == Role.PROVINCIAL_OFFICER and assignment.field != POVERTY_FIELD):
            continue
        unit = assignment.unit
        if unit.level == Level.COUNTRY:
            groups += [(province, []) for province in current.filter(level=Level.PROVINCE).order_by("sort_key")]
        elif unit.level == Level.PROVINCE and unit.edition == Edition.CURRENT:
            communes = list(current.descendants_of(unit).filter(level=Level.COMMUNE).order_by("sort_key"))
            groups.append((unit, communes))
        elif unit.level == Level.COMMUNE and unit.edition == Edition.CURRENT:
            groups.append((unit, []))
    return groups


def poverty_editor(user: Any) -> bool:
    """Some role of the user changes poverty data (file assessment, standards, rounds)."""
    return get_scope(user).changes_anything(POVERTY_FIELD)


def may_change_standards(user: Any) -> bool:
    """Poverty standards are national law (Decree 07/2021/NĐ-CP): administrators load them."""
    return Role.ADMIN in get_scope(user).roles


__all__ = ["POVERTY_FIELD", "REGISTER_FIELD", "assessments_for_user", "can_decide_round", "communes_in_scope",
           "communes_to_change", "get_commune_for_step", "get_household_for_user", "get_member_for_user",
           "get_round_for_user", "get_unit_to_open_round", "households_for_user", "households_in_unit",
           "households_to_change", "may_change_register", "may_change_round_unit", "may_change_standards",
           "may_see_citizen_ids", "members_for_user", "openable_units", "poverty_editor", "register_change_check",
           "register_editor", "require_register_editor", "round_communes", "rounds_for_user"]
