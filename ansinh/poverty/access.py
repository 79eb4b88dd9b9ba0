"""Who may see and change the poverty review: rounds, their communes' steps, assessments and the
standards (Decree 07/2021/NĐ-CP; Decision 24/2021/QĐ-TTg). Built on `ansinh.accounts.access`; the
register's rules (households, members) are `ansinh.households.access`. The review belongs to the
poverty field: a provincial officer of another field follows it read-only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope, get_unit_for_user, own_units_for_user
from ansinh.accounts.models import EDITING_ROLES, Field, Role
from ansinh.geo.models import Edition, Level, Unit

from .models import Assessment, ReviewRound

POVERTY_FIELD = Field.POVERTY

# --- Poverty review ------------------------------------------------------------------------------


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
    if round_.unit.level == Level.COMMUNE:  # a commune's own round is its one commune
        return Unit.objects.filter(pk=round_.unit.pk).filter(get_scope(user).data_filter(""))
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


__all__ = ["POVERTY_FIELD", "assessments_for_user", "can_decide_round", "get_commune_for_step", "get_round_for_user",
           "get_unit_to_open_round", "may_change_round_unit", "may_change_standards", "openable_units", "poverty_editor",
           "round_communes", "rounds_for_user"]
