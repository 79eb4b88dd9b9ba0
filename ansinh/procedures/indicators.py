"""Counted indicators of the one-stop shop (seed 001: "tiếp nhận 287 hồ sơ yêu cầu giải quyết thủ
tục hành chính, trả kết quả trước hạn 287 hồ sơ đạt 100%"), registered with
`ansinh.plans.counted.PROVIDERS` when the app is ready.

- `admin_dossiers`: dossiers received in the period (by their date of receipt);
- `admin_dossiers_on_time`: dossiers of those whose result was ready on or before the statutory
  due date (early or on time; an apology's new appointment does not make a late one on time).
The rate (`admin_on_time_rate`) is the catalogue's formula over the two. Both are counted by the
receiving unit: a commune's dossiers by the commune; a province's own (its public-administration
service centre) are added to the province's total, since results add the communes up the map.
One GROUP BY query.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import NoReverseMatch, reverse

from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models import Dossier

RECEIVED, ON_TIME = "admin_dossiers", "admin_dossiers_on_time"
QUERIES = frozenset({RECEIVED, ON_TIME})


def dossier_figures(root: Unit, period: Period) -> Counts:
    counts: Counts = {RECEIVED: {}, ON_TIME: {}}
    if root.edition == Edition.LEGACY:
        return counts
    rows = (Dossier.objects.filter(received_on__gte=period.start, received_on__lte=period.end)
            .filter(Q(unit=root) | Q(unit__path__under=root.path))
            .order_by().values_list("unit_id", "unit__level", "province_id")
            .annotate(received=Count("id"), in_time=Count("id", filter=Q(resolved_on__lte=F("due_on")))))
    provinces: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    own: set[int] = set()
    for unit_id, level, province_id, received, in_time in rows:
        if level == Level.COMMUNE:
            counts[RECEIVED][(unit_id, "")] = float(received)
            counts[ON_TIME][(unit_id, "")] = float(in_time)
        else:
            own.add(province_id)
        provinces[province_id][0] += received
        provinces[province_id][1] += in_time
    for province_id in own:  # a province with dossiers of its own: its total is its own and its communes'
        if root.level <= Level.PROVINCE:
            counts[RECEIVED][(province_id, "")] = provinces[province_id][0]
            counts[ON_TIME][(province_id, "")] = provinces[province_id][1]
    return counts


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    counts = dossier_figures(root, period)
    note = "sổ theo dõi hồ sơ thủ tục hành chính (ngày tiếp nhận trong kỳ, hạn trả kết quả theo ngày làm việc)"
    return counts, note, f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}"


def records_url(query: str, unit: Unit, breakdown: str, key: str) -> str | None:
    """The dossier list behind a figure: the unit's dossiers received in the period."""
    if query not in QUERIES or unit.edition == Edition.LEGACY or ".." not in key:
        return None
    first, last = key.split("..", 1)
    params = {"unit": str(unit.pk), "received_from": first, "received_to": last}
    if query == ON_TIME:
        params["timeliness"] = "in_time"
    try:
        return f"{reverse('procedure-dossier-list')}?{urlencode(params)}"
    except NoReverseMatch:
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    """Adds the provider to `plans.counted.PROVIDERS` once (called by the app's `ready`)."""
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


__all__ = ["PROVIDER", "QUERIES", "dossier_figures", "fetch", "register"]
