"""Counted indicators of placements, counselling and job fairs (issue 13 item 2), registered with
`ansinh.plans.counted.add_provider`.

Seed 001: "giải quyết việc làm cho 7.645 lao động (nữ 3.899, dân tộc 2.142, thanh niên 4.969) …
tư vấn 11.913 lượt (11.142 lượt đang hưởng trợ cấp thất nghiệp) … 02 phiên giao dịch việc làm".

- `jobs_created`: placements dated in the period, by the commune of the record, with the parts
  `female`, `ethnic_minority` (ethnicity other than Kinh) and `youth` (16–30 on the placement's
  day, Law on Youth 57/2020/QH14 Art. 1), all read from the register; work abroad included (the
  departures' placements, seed 004);
- `jobs_added`: those with `new_job` (việc làm tăng thêm);
- `job_counselling`: lượt of counselling in the period, part `unemployment_insurance` (receiving
  unemployment benefit);
- `job_fairs`: sessions of kind job fair held in the period, by the unit that held them. A fair
  held by the province (the employment service centre) belongs to no commune: the province's own
  key carries the province's total (its own fairs and its communes'), which `plans.results`
  takes as the province's figure instead of the sum of its communes.

The period is its calendar dates (first to last day). One GROUP BY per registry, for the
current-map communes of the root; a legacy root returns nothing (the declared figures stand in).
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.ethnicity import KINH
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .forms_placements import age_key, youth_q
from .models import Counselling, CounsellingSession, Placement, SessionKind

PLACEMENT_QUERIES = frozenset({"jobs_created", "jobs_added"})
COUNSELLING_QUERIES = frozenset({"job_counselling"})
SESSION_QUERIES = frozenset({"job_fairs"})
QUERIES = PLACEMENT_QUERIES | COUNSELLING_QUERIES | SESSION_QUERIES
NOTE = "sổ giải quyết việc làm, tư vấn việc làm và phiên giao dịch việc làm (theo ngày của hồ sơ trong kỳ)"


def commune_ids(unit: Unit) -> list[int]:
    """The current map's communes of `unit` (itself if it is one)."""
    if unit.level == Level.COMMUNE:
        return [unit.pk]
    return list(Unit.objects.filter(path__under=unit.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                .values_list("pk", flat=True))


def placement_counts(communes: list[int], period: Period) -> Counts:
    counts: Counts = {name: {} for name in PLACEMENT_QUERIES}
    if not communes:
        return counts
    rows = (Placement.objects.filter(commune_id__in=communes, placed_on__range=(period.start, period.end))
            .alias(age_key=age_key("placed_on")).order_by().values_list("commune_id")
            .annotate(total=Count("id"), female=Count("id", filter=Q(person__sex="female")),
                      minority=Count("id", filter=~Q(person__ethnicity=KINH)), youth=Count("id", filter=youth_q()),
                      added=Count("id", filter=Q(new_job=True))))
    for commune, total, female, minority, youth, added in rows:
        created = counts["jobs_created"]
        created[(commune, "")] = float(total)
        created[(commune, "female")] = float(female)
        created[(commune, "ethnic_minority")] = float(minority)
        created[(commune, "youth")] = float(youth)
        counts["jobs_added"][(commune, "")] = float(added)
    return counts


def counselling_counts(communes: list[int], period: Period) -> Counts:
    counts: Counts = {"job_counselling": {}}
    if not communes:
        return counts
    rows = (Counselling.objects.filter(commune_id__in=communes, counselled_on__range=(period.start, period.end))
            .order_by().values_list("commune_id")
            .annotate(total=Count("id"), benefit=Count("id", filter=Q(on_unemployment_benefit=True))))
    for commune, total, benefit in rows:
        counts["job_counselling"][(commune, "")] = float(total)
        counts["job_counselling"][(commune, "unemployment_insurance")] = float(benefit)
    return counts


def fair_counts(root: Unit, period: Period) -> Counts:
    """Job fairs by the unit that held them; a province's key carries its total (see above)."""
    out: dict[tuple[int, str], float] = {}
    rows = (CounsellingSession.objects.filter(kind=SessionKind.JOB_FAIR, held_on__range=(period.start, period.end),
                                              unit__path__under=root.path, unit__edition=Edition.CURRENT)
            .order_by().values_list("unit_id", "unit__level", "unit__path").annotate(n=Count("id")))
    provinces: dict[int, float] = defaultdict(float)
    for unit_id, level, path, n in rows:
        if level == Level.COMMUNE:
            out[(unit_id, "")] = out.get((unit_id, ""), 0.0) + n
        # The current map has two tiers: a commune's parent is its province.
        parts = [int(part) for part in path.strip("/").split("/") if part]
        province = unit_id if level == Level.PROVINCE else (parts[-2] if len(parts) >= 2 else None)
        if province is not None and root.level <= Level.PROVINCE:
            provinces[province] += n
    for province, n in provinces.items():
        out[(province, "")] = n
    return {"job_fairs": out}


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    communes = commune_ids(root)
    counts: Counts = {}
    counts.update(placement_counts(communes, period))
    counts.update(counselling_counts(communes, period))
    counts.update(fair_counts(root, period))
    return counts, NOTE, period.key


LISTS = {"jobs_created": "placement-list", "jobs_added": "placement-list", "job_counselling": "counselling-list",
         "job_fairs": "session-list"}


def records_url(query: str, unit: Unit, breakdown: str, period: str) -> str | None:
    """The list behind a figure, filtered by unit, period (and breakdown)."""
    if query not in QUERIES or unit.edition == Edition.LEGACY or not period:
        return None
    params = {"unit": str(unit.pk), "period": period}
    if breakdown:
        params["breakdown"] = breakdown
    if query == "jobs_added":
        params["new_job"] = "1"
    if query == "job_fairs":
        params["kind"] = SessionKind.JOB_FAIR
    try:
        return f"{reverse(LISTS[query])}?{urlencode(params)}"
    except NoReverseMatch:
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    """Adds the provider to `plans.counted.PROVIDERS` once (called by the app's `ready`)."""
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


__all__ = ["PROVIDER", "QUERIES", "counselling_counts", "fair_counts", "fetch", "placement_counts", "register"]
