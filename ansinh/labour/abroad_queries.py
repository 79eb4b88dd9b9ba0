"""Narrowing the abroad registries' scoped querysets to one unit's subtree (the pages' and the
API's `unit` filter, the figures' drill-down). The querysets come from `labour.access` already
scoped; this only narrows them to a unit the user may see (`get_unit_for_user`)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from ansinh.geo.models import Unit

M = TypeVar("M", bound=Model)


def in_unit(queryset: QuerySet[M], field: str, unit: Unit | None) -> QuerySet[M]:
    """`queryset` restricted to the records whose `field` (a unit) lies in `unit` (unchanged for None)."""
    if unit is None:
        return queryset
    return queryset.filter(Q(**{f"{field}__path__under": unit.path}))


__all__ = ["in_unit"]
