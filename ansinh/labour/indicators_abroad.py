"""Counted indicators of the abroad registries (issue 13 item 2), registered with
`ansinh.plans.counted.add_provider`:

- `overseas_workers`: workers who left to work abroad under contract in the period (departures
  with `departed_on` in it, Law 69/2020/QH14), by the commune of the person, breakdowns `taiwan`,
  `japan`, `korea`, `other` (seed 001: "192 lao động … Đài Loan 61, Nhật Bản 128, Hàn Quốc 03");
- `foreign_workers`: foreign workers in the province at the period's end (a stock: a granted
  work permit or confirmation of exemption valid on the period's last day), by the commune of the
  workplace, breakdowns by nationality `CN`, `KR`, `JP`, `TW`, `other` (seed 001: "1.186 lao động
  nước ngoài, 1.011 người Trung Quốc").

One GROUP BY per indicator, over the communes of the current map under the root; a legacy root
returns nothing (the declared figures stand in). The figures drill down to the list pages,
filtered by unit, period and breakdown.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Case, CharField, Count, Q, Value, When
from django.urls import NoReverseMatch, reverse

from ansinh.benefits.checks import commune_ids
from ansinh.geo.models import Edition, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models import Departure, ForeignWorker, PermitState, WorkPermit

OVERSEAS, FOREIGN = "overseas_workers", "foreign_workers"
QUERIES = frozenset({OVERSEAS, FOREIGN})
DESTINATIONS = {"TW": "taiwan", "JP": "japan", "KR": "korea"}  # ISO code -> breakdown; else "other"
NATIONALITIES = ("CN", "KR", "JP", "TW")  # the breakdowns; else "other"
CHUNK = 5_000


def _chunks(values: list[int]) -> list[list[int]]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)] or [[]]


def overseas_counts(communes: list[int], period: Period) -> dict[tuple[int, str], float]:
    out: dict[tuple[int, str], float] = {}
    if not communes:
        return out
    group = Case(*[When(destination=code, then=Value(name)) for code, name in DESTINATIONS.items()],
                 default=Value("other"), output_field=CharField())
    for chunk in _chunks(communes):
        rows = (Departure.objects.filter(commune_id__in=chunk, departed_on__gte=period.start,
                                         departed_on__lte=period.end)
                .order_by().annotate(group=group).values_list("commune_id", "group").annotate(n=Count("id")))
        for commune, name, n in rows:
            out[(commune, name)] = out.get((commune, name), 0.0) + n
            out[(commune, "")] = out.get((commune, ""), 0.0) + n
    return out


def foreign_counts(communes: list[int], period: Period) -> dict[tuple[int, str], float]:
    out: dict[tuple[int, str], float] = {}
    if not communes:
        return out
    day = period.end
    group = Case(*[When(nationality=code, then=Value(code)) for code in NATIONALITIES], default=Value("other"),
                 output_field=CharField())
    valid = WorkPermit.objects.filter(state=PermitState.GRANTED, valid_from__lte=day, valid_to__gte=day)
    for chunk in _chunks(communes):
        rows = (ForeignWorker.objects.filter(workplace_id__in=chunk, pk__in=valid.values("worker_id"))
                .order_by().annotate(group=group).values_list("workplace_id", "group").annotate(n=Count("id")))
        for commune, name, n in rows:
            out[(commune, name)] = out.get((commune, name), 0.0) + n
            out[(commune, "")] = out.get((commune, ""), 0.0) + n
    return out


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    communes = commune_ids(root)
    counts: Counts = {OVERSEAS: overseas_counts(communes, period), FOREIGN: foreign_counts(communes, period)}
    note = (f"sổ người lao động đi làm việc ở nước ngoài và sổ người lao động nước ngoài (giấy phép còn hiệu lực "
            f"ngày {period.end:%d/%m/%Y})")
    return counts, note, period.key


def records_url(query: str, unit: Unit, breakdown: str, key: str) -> str | None:
    """The list behind a figure: departures of the period, or foreign workers at its end."""
    if query not in QUERIES or unit.edition == Edition.LEGACY or not key:
        return None
    params = {"unit": str(unit.pk), "period": key}
    if breakdown:
        params["breakdown"] = breakdown
    try:
        return f"{reverse('departure-list' if query == OVERSEAS else 'foreign-worker-list')}?{urlencode(params)}"
    except NoReverseMatch:
        return None


def breakdown_filter(query: str, breakdown: str) -> Q | None:
    """The filter of a breakdown on the list pages (None for an unknown code)."""
    if query == OVERSEAS:
        if breakdown == "other":
            return ~Q(destination__in=list(DESTINATIONS))
        code = next((c for c, name in DESTINATIONS.items() if name == breakdown), None)
        return Q(destination=code) if code else None
    if breakdown == "other":
        return ~Q(nationality__in=NATIONALITIES)
    return Q(nationality=breakdown) if breakdown in NATIONALITIES else None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


__all__ = ["PROVIDER", "QUERIES", "breakdown_filter", "fetch", "foreign_counts", "overseas_counts", "register"]
