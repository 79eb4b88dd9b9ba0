"""Scope of the law's forms, beside `access.py` (kept apart so that the helpers' edits merge):
which provinces a user may set a province's own base level or top-up for."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import Role
from ansinh.geo.models import Edition, Level, Unit

from .access import may_edit_national_rules
from .models import FIELD_SCHEMES


def current_provinces() -> QuerySet[Unit]:
    return Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT)


def law_editable_provinces(user: Any) -> QuerySet[Unit]:
    """Current provinces where the user may set a province's own rows for some scheme: all of them
    for an administrator, else those inside a provincial officer's units of a field with schemes
    (`access.may_edit_province_rules` then checks the scheme of the row)."""
    if may_edit_national_rules(user):
        return current_provinces()
    paths = [a.unit.path for a in get_scope(user).assignments
             if a.role == Role.PROVINCIAL_OFFICER and a.field in FIELD_SCHEMES]
    ids = [unit.pk for unit in current_provinces() if any(unit.path.startswith(path) for path in paths)]
    return current_provinces().filter(pk__in=ids)
