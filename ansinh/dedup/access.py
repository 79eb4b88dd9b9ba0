"""Scope rules of possible duplicates, built on `ansinh.households.access`.

A pair is seen by whoever reads the register of either record's commune (a pair across two
communes is seen by both communes' officers), and decided by whoever may change the register of
both records' communes (a provincial officer of the register's field, or an administrator, for a
pair across communes; a commune officer for a pair inside her commune). A duplicate search is run
by whoever keeps the register of the unit. Citizen IDs are masked as in the register.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.geo.models import Unit
from ansinh.households.access import may_change_register

from .models import DedupRun, DuplicatePair


def pairs_for_user(user: Any) -> QuerySet[DuplicatePair]:
    scope = get_scope(user)
    return DuplicatePair.objects.filter(scope.data_filter("left__household__commune")
                                        | scope.data_filter("right__household__commune"))


def may_decide_pair(user: Any, pair: DuplicatePair) -> bool:
    return (may_change_register(user, pair.left.household.commune)
            and may_change_register(user, pair.right.household.commune))


def get_pair_for_user(user: Any, pk: int, *, change: bool = False) -> DuplicatePair:
    found = (pairs_for_user(user).select_related("left__household__commune", "right__household__commune")
             .filter(pk=pk).first())
    if found is None:
        raise Http404
    if change and not may_decide_pair(user, found):
        raise PermissionDenied
    return found


def runs_for_user(user: Any) -> QuerySet[DedupRun]:
    return DedupRun.objects.filter(get_scope(user).data_filter("unit") | Q(unit_id__in=get_scope(user).ancestor_ids))


def may_run_dedup(user: Any, unit: Unit) -> bool:
    return may_change_register(user, unit)


__all__ = ["get_pair_for_user", "may_decide_pair", "may_run_dedup", "pairs_for_user", "runs_for_user"]
