"""What the settle includes show on the payroll and package pages: the hamlets (and communes) to
export a list for, whether the user may upload results, the last result files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from ansinh.geo.models import Unit

from .. import access
from ..models import Package, PackageState, Payroll, PayrollLine, PayrollState, PayStatus, ResultImport

register = template.Library()


@dataclass
class SettleInfo:
    hamlets: list[Unit] = field(default_factory=list)
    communes: list[Unit] = field(default_factory=list)
    may_upload: bool = False
    ready: bool = False
    pending: int = 0
    results: list[ResultImport] = field(default_factory=list)


@register.simple_tag
def payroll_settle_info(payroll: Payroll, user: Any) -> SettleInfo:
    ids = PayrollLine.objects.filter(payroll=payroll, hamlet__isnull=False).order_by().values("hamlet_id").distinct()
    return SettleInfo(
        hamlets=list(Unit.objects.filter(pk__in=ids).order_by("sort_key", "name")),
        may_upload=access.may_prepare_payroll(user, payroll.commune, payroll.field),
        ready=payroll.state == PayrollState.SENT,
        pending=PayrollLine.objects.filter(payroll=payroll, status=PayStatus.PENDING).count(),
        results=list(ResultImport.objects.filter(payroll=payroll).select_related("imported_by")[:5]))


@register.simple_tag
def package_settle_info(package: Package, user: Any) -> SettleInfo:
    lines = access.package_lines_for_user(user).filter(package=package).order_by()
    return SettleInfo(
        communes=list(Unit.objects.filter(pk__in=lines.values("commune_id").distinct()).order_by("sort_key")),
        hamlets=list(Unit.objects.filter(pk__in=lines.filter(hamlet__isnull=False).values("hamlet_id").distinct())
                     .select_related("parent").order_by("sort_key", "name")[:200]),
        may_upload=access.may_run_package(user, package.unit, package.field),
        ready=package.state in (PackageState.FROZEN, PackageState.RECONCILED),
        pending=lines.filter(status=PayStatus.PENDING).count(),
        results=list(ResultImport.objects.filter(package=package).select_related("imported_by")[:5]))

