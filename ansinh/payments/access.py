"""Scope rules of payrolls, packages, their lines and results, built on `ansinh.accounts.access`.

Who sees what (Decree 13/2023/NĐ-CP: personal data only as far as the task needs):
- payrolls go with the field that pays them (`Payroll.field`): a commune officer sees and
  prepares every payroll of her commune; a provincial officer those of her field in her
  province; leaders and national viewers read what is in their units; administrators everything;
- a payroll is prepared (computed, recomputed, sent, reconciled) by whoever may change it, and
  approved by someone else who may approve it: a provincial officer of the field or a provincial
  leader in the province, or an administrator — never the person who last computed it (four eyes);
- packages go with their field (`Package.field`) and unit: seen by whoever reads the unit's
  records of that field, created and frozen by whoever changes them;
- citizen IDs and bank accounts on lines: full for those who may change the payroll or package
  (they pay), masked for the others.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import EDITING_ROLES, Role
from ansinh.geo.models import Level, Unit

from .models import Package, PackageLine, Payroll, PayrollLine

NOTHING = Q(pk__in=[])


def _by_field(user: Any, *, change: bool, unit_field: str, field_field: str) -> Q:
    """Records attached to a unit (`unit_field`) and a field (`field_field`) the user may see or
    change: her general roles for every field, a provincial officer for her own field."""
    scope = get_scope(user)
    parts: list[Q] = []
    general = [a for a in scope.assignments
               if a.role != Role.PROVINCIAL_OFFICER and (not change or a.role in EDITING_ROLES)]
    if general:
        if any(a.unit.level == Level.COUNTRY for a in general):
            return Q()
        parts.append(scope.assignments_filter(general, unit_field))
    officers: dict[str, list[Any]] = {}
    for a in scope.assignments:
        if a.role == Role.PROVINCIAL_OFFICER and a.field:
            officers.setdefault(a.field, []).append(a)
    for field, mine in officers.items():
        parts.append(scope.assignments_filter(mine, unit_field) & Q(**{field_field: field}))
    if not parts:
        return NOTHING
    out = parts[0]
    for q in parts[1:]:
        out |= q
    return out


# --- Payrolls -------------------------------------------------------------------------------


def payrolls_for_user(user: Any) -> QuerySet[Payroll]:
    return Payroll.objects.filter(_by_field(user, change=False, unit_field="commune", field_field="field"))


def payrolls_to_change(user: Any) -> QuerySet[Payroll]:
    return Payroll.objects.filter(_by_field(user, change=True, unit_field="commune", field_field="field"))


def payroll_lines_for_user(user: Any) -> QuerySet[PayrollLine]:
    return PayrollLine.objects.filter(_by_field(user, change=False, unit_field="commune",
                                                field_field="payroll__field"))


def may_prepare_payroll(user: Any, commune: Unit, field: str) -> bool:
    """Compute, recompute, send and reconcile the payrolls of `field` in `commune`."""
    return get_scope(user).can_change(commune, field=field)


def may_approve_payroll(user: Any, payroll: Payroll) -> bool:
    """Approve (lock) a payroll: a provincial officer of its field or a provincial leader of the
    province, or an administrator; not the person who last computed it."""
    if payroll.computed_by_id is not None and payroll.computed_by_id == getattr(user, "pk", None):
        return False
    path = payroll.commune.path
    for a in get_scope(user).assignments:
        if not path.startswith(a.unit.path):
            continue
        if a.role == Role.ADMIN:
            return True
        if a.role == Role.PROVINCIAL_LEADER and a.unit.level != Level.COUNTRY:
            return True
        if a.role == Role.PROVINCIAL_OFFICER and a.field == payroll.field:
            return True
    return False


def get_payroll_for_user(user: Any, pk: int, *, change: bool = False) -> Payroll:
    found = payrolls_for_user(user).select_related("commune").filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not may_prepare_payroll(user, found.commune, found.field):
        raise PermissionDenied
    return found


# --- Packages -------------------------------------------------------------------------------


def packages_for_user(user: Any) -> QuerySet[Package]:
    """Packages whose unit is inside the user's units, or above them (a province's package is read
    by its communes' officers, who see only their own lines)."""
    scope = get_scope(user)
    inside = _by_field(user, change=False, unit_field="unit", field_field="field")
    above = Q(unit_id__in=scope.ancestor_ids) if not scope.national else Q()
    return Package.objects.filter(inside | above)


def package_lines_for_user(user: Any) -> QuerySet[PackageLine]:
    return PackageLine.objects.filter(_by_field(user, change=False, unit_field="commune",
                                                field_field="package__field"))


def may_run_package(user: Any, unit: Unit, field: str) -> bool:
    """Create, freeze and reconcile a package of `field` for `unit`."""
    return get_scope(user).can_change(unit, field=field)


def get_package_for_user(user: Any, pk: int, *, change: bool = False) -> Package:
    found = packages_for_user(user).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404
    if change and not may_run_package(user, found.unit, found.field):
        raise PermissionDenied
    return found


def may_see_personal(user: Any, commune: Unit, field: str) -> bool:
    """Full citizen IDs and bank accounts of lines in `commune`: those who pay them."""
    return get_scope(user).can_change(commune, field=field)


__all__ = ["get_package_for_user", "get_payroll_for_user", "may_approve_payroll", "may_prepare_payroll",
           "may_run_package", "may_see_personal", "package_lines_for_user", "packages_for_user",
           "payroll_lines_for_user", "payrolls_for_user", "payrolls_to_change"]
