"""Counted indicators of the unemployment registry (issue 13 item 2), registered with
`ansinh.plans.counted.add_provider` by `labour.indicators.register`.

Seed 001 reports "1.506 hồ sơ hưởng bảo hiểm thất nghiệp, 13.747 triệu đồng" for a quarter: the
dossiers GRANTED by a decision dated in the period (`decided_on`; a benefit suspended, stopped or
finished since was still granted then), and the sum of their total benefit (`total_amount`, the
monthly amount × months) in million đồng (the catalogue's unit). By the person's commune of the
current map (`commune`); `plans.results` adds them up the map. One GROUP BY query. A legacy root
(an old plan's unit) returns nothing: the declared values stand in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import NoReverseMatch, reverse

from ansinh.benefits.checks import commune_ids
from ansinh.geo.models import Edition, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models import UnemploymentDossier
from .unemployment import AWARDED, AWARDED_FILTER

DOSSIERS, AMOUNT = "unemployment_dossiers", "unemployment_amount"
QUERIES = frozenset({DOSSIERS, AMOUNT})
GRANTED = AWARDED
MILLION = 1_000_000


def granted_figures(communes: list[int], period: Period) -> Counts:
    counts: Counts = {DOSSIERS: {}, AMOUNT: {}}
    if not communes:
        return counts
    rows = (UnemploymentDossier.objects.filter(commune_id__in=communes, state__in=GRANTED,
                                               decided_on__gte=period.start, decided_on__lte=period.end)
            .order_by().values_list("commune_id").annotate(n=Count("id"), amount=Sum("total_amount")))
    for commune, n, amount in rows:
        counts[DOSSIERS][(commune, "")] = float(n)
        counts[AMOUNT][(commune, "")] = (amount or 0) / MILLION
    return counts


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    note = "sổ hồ sơ bảo hiểm thất nghiệp: hồ sơ được hưởng theo ngày quyết định"
    return granted_figures(commune_ids(root), period), note, period.key


def records_url(query: str, unit: Unit, breakdown: str, key: str) -> str | None:
    """The dossiers behind a figure: the list filtered by unit, period (by decision date), granted."""
    if query not in QUERIES or unit.edition == Edition.LEGACY or not key:
        return None
    try:
        return f"{reverse('unemployment-list')}?" + urlencode({"unit": unit.pk, "period": key, "by": "decided",
                                                                "state": AWARDED_FILTER})
    except NoReverseMatch:
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


__all__ = ["PROVIDER", "QUERIES", "fetch", "granted_figures", "records_url", "register"]
