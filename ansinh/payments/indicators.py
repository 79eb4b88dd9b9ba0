"""Counted indicators of what was paid (issue 12 item 6), registered with
`ansinh.plans.counted.PROVIDERS` when the app is ready.

Seed 001 reports "trợ cấp xã hội hàng tháng cho 32.413 người … 12.220 triệu đồng/tháng": people
actually paid and the amount actually paid, not the entitlements. They are counted from the
payroll lines the paying agent reported paid or partly paid (`PayStatus.PAID`, `PARTLY`), on the
payrolls of the month at the period's end (stocks, as the benefits figures), every kind of line
(the month's allowance, arrears, amounts carried from an earlier month), by the commune of the
line; `plans.results` adds them up the map. People are counted once per scheme and commune;
amounts are in million đồng (the catalogue's unit). One GROUP BY query.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import NoReverseMatch, reverse

from ansinh.benefits.checks import commune_ids
from ansinh.benefits.models import Scheme
from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models import PayrollLine, PayStatus

PEOPLE: dict[str, str] = {Scheme.SOCIAL_ASSISTANCE: "social_allowance_paid_recipients",
                          Scheme.SOCIAL_PENSION: "social_pension_paid_recipients",
                          Scheme.MERITORIOUS: "merit_paid_recipients"}
AMOUNT: dict[str, str] = {Scheme.SOCIAL_ASSISTANCE: "social_allowance_paid_amount",
                          Scheme.SOCIAL_PENSION: "social_pension_paid_amount",
                          Scheme.MERITORIOUS: "merit_paid_amount"}
QUERIES = frozenset({*PEOPLE.values(), *AMOUNT.values()})
SCHEME_OF = {query: scheme for scheme, query in (*PEOPLE.items(), *AMOUNT.items())}
PAID = (PayStatus.PAID, PayStatus.PARTLY)
MILLION = 1_000_000


def period_month(period: Period) -> dt.date:
    return period.end.replace(day=1)


def paid_figures(communes: list[int], month: dt.date) -> Counts:
    """People paid and amount paid on the payrolls of `month`, by commune and scheme."""
    counts: Counts = {name: {} for name in QUERIES}
    if not communes:
        return counts
    rows = (PayrollLine.objects.filter(commune_id__in=communes, payroll__month=month, status__in=PAID)
            .order_by().values_list("commune_id", "scheme")
            .annotate(people=Count("person_id", distinct=True), amount=Sum("paid_amount")))
    for commune, scheme, people, amount in rows:
        if scheme in PEOPLE:
            counts[PEOPLE[scheme]][(commune, "")] = float(people)
            counts[AMOUNT[scheme]][(commune, "")] = (amount or 0) / MILLION
    return counts


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    month = period_month(period)
    counts = paid_figures(commune_ids(root), month)
    note = f"bảng chi trả trợ cấp hằng tháng đã đối soát với tổ chức dịch vụ chi trả (tháng {month:%m/%Y})"
    return counts, note, f"{month:%Y-%m}"


def records_url(query: str, unit: Unit, breakdown: str, month: str) -> str | None:
    """The payrolls behind a figure (`payroll-list` of the month, in the unit), when installed."""
    if query not in QUERIES or unit.edition == Edition.LEGACY or not month:
        return None
    params = {"month": month, ("province" if unit.level <= Level.PROVINCE else "commune"): str(unit.pk)}
    try:
        return f"{reverse('payroll-list')}?{urlencode(params)}"
    except NoReverseMatch:
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    """Adds the provider to `plans.counted.PROVIDERS` once (called by the app's `ready`)."""
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


__all__ = ["PROVIDER", "QUERIES", "fetch", "paid_figures", "register"]
