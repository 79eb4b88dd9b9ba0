"""The support a child in special circumstances received, from every source, read where it is
recorded (never copied):

- entitlements of the benefits app (e.g. the monthly social assistance of orphans and children
  without support, Decree 20/2021/NĐ-CP Art. 5.1): months paid overlapping the period;
- lines of the payments app's one-off packages (e.g. Tết gifts to children): the package's date in
  the period, a line the paying agent reported as not paid excluded;
- support recorded in this area (`ChildSupport`): care, education, health, legal, psychological …

`supported_filter(period_start, period_end)` is the same rule as one condition over `Child`, for
the counted indicator and the list's "supported" filter (set-based: three EXISTS subqueries).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from ansinh.benefits.models import Entitlement
from ansinh.payments.models import PackageLine, PayStatus

from .models_children import Child, ChildSupport


@dataclass(frozen=True)
class SupportRow:
    source: str  # "benefit", "package", "recorded"
    on: dt.date
    until: dt.date | None
    what: str
    by: str
    amount: Decimal | None


def supported_filter(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Children (through `prefix`, e.g. "child__") who received support between start and end."""
    person = OuterRef(f"{prefix}person_id")
    recorded = ChildSupport.objects.filter(child_id=OuterRef(f"{prefix}pk" if prefix else "pk"),
                                           provided_on__gte=start, provided_on__lte=end)
    benefit = Entitlement.objects.filter(person_id=person, start_month__lte=end).filter(
        Q(stop_month__isnull=True) | Q(stop_month__gt=start))
    package = PackageLine.objects.filter(person_id=person, package__on__gte=start, package__on__lte=end).exclude(
        status=PayStatus.NOT_PAID)
    return Q(Exists(recorded)) | Q(Exists(benefit)) | Q(Exists(package))


def support_of(child: Child) -> list[SupportRow]:
    """Every support of the child, newest first (three queries)."""
    rows: list[SupportRow] = []
    for ent in Entitlement.objects.filter(person_id=child.person_id).select_related("category").order_by("-start_month"):
        rows.append(SupportRow("benefit", ent.start_month, ent.stop_month, ent.category.name,
                               ent.decision_number, None))
    for line in (PackageLine.objects.filter(person_id=child.person_id).exclude(status=PayStatus.NOT_PAID)
                 .select_related("package").order_by("-package__on")):
        rows.append(SupportRow("package", line.package.on, None, line.package.name, line.package.legal_basis,
                               Decimal(line.amount) if getattr(line, "amount", None) is not None else None))
    for support in ChildSupport.objects.filter(child=child):
        rows.append(SupportRow("recorded", support.provided_on, None,
                               f"{support.get_kind_display()}" + (f": {support.description}" if support.description
                                                                  else ""), support.provider, support.amount))
    rows.sort(key=lambda r: r.on, reverse=True)
    return rows


__all__ = ["SupportRow", "support_of", "supported_filter"]
