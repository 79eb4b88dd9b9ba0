"""Scope rules of the people served (entitlements, martyrs, dossiers, death-benefit proposals)
and of the law's tables, built on `ansinh.accounts.access`.

Who sees what (Decree 13/2023/NĐ-CP: personal data only as far as the task needs):
- a commune officer sees and changes every scheme of her commune (she is a generalist);
- a provincial officer sees and changes the schemes of her field in her province: field
  `social_assistance` the monthly social assistance and the social pension, field `meritorious`
  the preferential allowances and the martyrs; officers of other fields see none of the records
  (they read the figures);
- leaders and national viewers read everything in their units and change nothing;
- administrators change everything.
The law's national rows (categories, base levels, amount rules) are changed by administrators; a
province's own base levels and top-ups by the provincial officers of the scheme's field in that
province (and administrators). Everyone signed in reads the law.

Views, the API, exports and commands ask these helpers; none of them filters by a unit's path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import EDITING_ROLES, Role
from ansinh.geo.models import Level, Unit

from .models import FIELD_SCHEMES, SCHEME_FIELD, Dossier, Entitlement, Martyr, Proposal, Scheme

NOTHING = Q(pk__in=[])


def _records(user: Any, *, change: bool, unit_field: str = "commune", scheme_field: str | None = "scheme",
             schemes: tuple[str, ...] | None = None) -> Q:
    """Records (attached to a unit through `unit_field`, of a scheme through `scheme_field`) the
    user may see, or with change=True change. `schemes` narrows to some schemes (martyrs:
    meritorious only)."""
    scope = get_scope(user)
    roles = EDITING_ROLES if change else None
    general = [a for a in scope.assignments if a.role != Role.PROVINCIAL_OFFICER and (roles is None or a.role in roles)]
    parts: list[Q] = []
    if general:
        if any(a.unit.level == Level.COUNTRY for a in general):
            return Q() if schemes is None or scheme_field is None else Q(**{f"{scheme_field}__in": schemes})
        parts.append(scope.assignments_filter(general, unit_field))
        if schemes is not None and scheme_field is not None:
            parts[-1] &= Q(**{f"{scheme_field}__in": schemes})
    for field, field_schemes in FIELD_SCHEMES.items():
        allowed = tuple(s for s in field_schemes if schemes is None or s in schemes)
        mine = [a for a in scope.assignments if a.role == Role.PROVINCIAL_OFFICER and a.field == field]
        if not mine or not allowed:
            continue
        q = scope.assignments_filter(mine, unit_field)
        if scheme_field is not None:
            q &= Q(**{f"{scheme_field}__in": allowed})
        parts.append(q)
    if not parts:
        return NOTHING
    out = parts[0]
    for q in parts[1:]:
        out |= q
    return out


# --- Entitlements ---------------------------------------------------------------------------


def entitlements_for_user(user: Any) -> QuerySet[Entitlement]:
    return Entitlement.objects.filter(_records(user, change=False))


def entitlements_to_change(user: Any) -> QuerySet[Entitlement]:
    return Entitlement.objects.filter(_records(user, change=True))


def may_change_scheme(user: Any, unit: Unit, scheme: str) -> bool:
    """The user may record and change entitlements and dossiers of `scheme` in `unit` (a commune)."""
    return get_scope(user).can_change(unit, field=SCHEME_FIELD[Scheme(scheme)])


def benefit_editor(user: Any, scheme: str | None = None) -> bool:
    """Some role of the user changes entitlements (of `scheme`): the imports and "new" buttons."""
    scope = get_scope(user)
    if scheme is not None:
        return scope.changes_anything(SCHEME_FIELD[Scheme(scheme)])
    return any(scope.changes_anything(field) for field in FIELD_SCHEMES)


def schemes_for_user(user: Any, *, change: bool = False) -> list[str]:
    """The schemes whose records the user sees (or changes) somewhere."""
    scope = get_scope(user)
    out: list[str] = []
    for scheme in Scheme:
        field = SCHEME_FIELD[scheme]
        for a in scope.assignments:
            if change and a.role not in EDITING_ROLES:
                continue
            if a.role != Role.PROVINCIAL_OFFICER or a.field == field:
                out.append(scheme.value)
                break
    return out


def get_entitlement_for_user(user: Any, pk: int, *, change: bool = False) -> Entitlement:
    found = (entitlements_for_user(user).select_related("category", "commune", "person__household")
             .filter(pk=pk).first())
    if found is None:
        raise Http404
    if change and not may_change_scheme(user, found.commune, found.scheme):
        raise PermissionDenied
    return found


def may_see_citizen_ids(user: Any, unit: Unit, scheme: str) -> bool:
    """Full citizen IDs of a scheme's people in `unit`: those who keep the register there, and the
    officers who pay them (the scheme's field); others see them masked."""
    scope = get_scope(user)
    return scope.may_see_citizen_ids(unit) or may_change_scheme(user, unit, scheme)


# --- Martyrs, dossiers, proposals ------------------------------------------------------------


def martyrs_for_user(user: Any) -> QuerySet[Martyr]:
    """Martyrs recorded in a commune inside the user's units, for those who see merit records."""
    return Martyr.objects.filter(_records(user, change=False, scheme_field=None, schemes=(Scheme.MERITORIOUS,)))


def dossiers_for_user(user: Any) -> QuerySet[Dossier]:
    return Dossier.objects.filter(_records(user, change=False))


def get_dossier_for_user(user: Any, pk: int, *, change: bool = False) -> Dossier:
    found = dossiers_for_user(user).select_related("category", "commune", "person__household").filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not may_change_scheme(user, found.commune, found.scheme):
        raise PermissionDenied
    return found


def proposals_for_user(user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(_records(user, change=False))


# --- The law's tables ------------------------------------------------------------------------


def may_edit_national_rules(user: Any) -> bool:
    """Categories, national base levels and amount rules: system administrators."""
    return any(a.role == Role.ADMIN and a.unit.level == Level.COUNTRY for a in get_scope(user).assignments)


def may_edit_province_rules(user: Any, province: Unit, scheme: str) -> bool:
    """A province's own base level or top-up for a scheme: its provincial officers of the scheme's
    field, or administrators."""
    if may_edit_national_rules(user):
        return True
    field = SCHEME_FIELD[Scheme(scheme)]
    return any(a.role == Role.PROVINCIAL_OFFICER and a.field == field and province.path.startswith(a.unit.path)
               for a in get_scope(user).assignments)


__all__ = ["benefit_editor", "dossiers_for_user", "entitlements_for_user", "entitlements_to_change",
           "get_dossier_for_user", "get_entitlement_for_user", "martyrs_for_user", "may_change_scheme",
           "may_edit_national_rules", "may_edit_province_rules", "may_see_citizen_ids", "proposals_for_user",
           "schemes_for_user"]
