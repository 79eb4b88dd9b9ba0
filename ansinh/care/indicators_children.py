"""Counted indicators of the children area (seed 004 target 5: "tỷ lệ xã, phường phù hợp với trẻ
em đạt 80% … trẻ em có hoàn cảnh đặc biệt được chăm sóc, nuôi dưỡng, trợ giúp từ 95% trở lên …
giảm tỷ lệ trẻ em bị xâm hại trên tổng số trẻ em xuống dưới 4,5%"), registered with
`ansinh.plans.counted.add_provider`. Each rate is a numerator and a denominator counted by commune
(so that they add up the map) and the catalogue's formula over the two at every level:

- `child_friendly_communes` / `communes_total` → `child_friendly_commune_rate`: communes whose
  latest approved assessment (of the period's year, or of the year before while this year's is not
  approved yet) meets the standard of Decision 06/QĐ-TTg, over **all** communes of the current map
  of the area: the target is a share of the province's communes, and a commune not assessed is not
  recognised (dividing by the communes assessed would reward not assessing). Counted only where
  some commune of the area has an approved assessment of those years; otherwise the declared figure
  stands in;
- `special_children_supported` / `special_children` → `special_children_care_rate`: children in
  some group during the period (under 16 for part of it), and those of them who received support in
  the period from any source (`support_children.supported_filter`);
- `children_abused` / `children_total` → `child_abuse_rate`: children with an abuse case that
  occurred in the period, over all children (members of the household register under 16 on the
  period's last day, living there) — "trên tổng số trẻ em". Counted only where the area keeps the
  register of children (some child registered); otherwise the declared figure stands in.

By the commune of the child (her household's commune when registered) or of the assessment. Five
GROUP BY queries. A legacy root returns nothing.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models_children import (
    Child,
    ChildAbuseCase,
    ChildAssessmentStatus,
    ChildFriendlyAssessment,
    sixteenth_birthday,
)
from .support_children import supported_filter

FRIENDLY, COMMUNES = "child_friendly_communes", "communes_total"
SPECIAL, SUPPORTED = "special_children", "special_children_supported"
ABUSED, CHILDREN = "children_abused", "children_total"
QUERIES = frozenset({FRIENDLY, COMMUNES, SPECIAL, SUPPORTED, ABUSED, CHILDREN})
NOTE = ("sổ theo dõi trẻ em có hoàn cảnh đặc biệt, hỗ trợ trẻ em và kết quả đánh giá xã, phường phù hợp với "
        "trẻ em (trẻ em trong kỳ, trợ giúp trong kỳ; kết quả được tỉnh phê duyệt)")


def commune_ids(unit: Unit) -> list[int]:
    if unit.level == Level.COMMUNE:
        return [unit.pk]
    return list(Unit.objects.filter(path__under=unit.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                .values_list("pk", flat=True))


def years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def in_groups(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Children (through `prefix`) in some group during [start, end] while under 16 and alive."""
    return (Q(**{f"{prefix}circumstances__since__lte": end})
            & (Q(**{f"{prefix}circumstances__until__isnull": True}) | Q(**{f"{prefix}circumstances__until__gte": start}))
            & Q(**{f"{prefix}person__birth_date__gt": years_back(start, 16)})
            & (Q(**{f"{prefix}person__died_on__isnull": True}) | Q(**{f"{prefix}person__died_on__gte": start})))


def friendly_counts(communes: list[int], period: Period) -> Counts:
    counts: Counts = {FRIENDLY: {}, COMMUNES: {}}
    year = period.end.year
    latest: dict[int, tuple[int, bool]] = {}
    for commune, y, ok in (ChildFriendlyAssessment.objects.filter(
            commune_id__in=communes, year__in=(year - 1, year), status=ChildAssessmentStatus.APPROVED)
            .values_list("commune_id", "year", "recognised")):
        if commune not in latest or latest[commune][0] < y:
            latest[commune] = (y, ok)
    if not latest:
        return counts
    for commune in communes:
        counts[COMMUNES][(commune, "")] = 1.0
        counts[FRIENDLY][(commune, "")] = 1.0 if latest.get(commune, (0, False))[1] else 0.0
    return counts


def special_counts(communes: list[int], period: Period) -> Counts:
    counts: Counts = {SPECIAL: {}, SUPPORTED: {}}
    ids = (Child.objects.filter(commune_id__in=communes).filter(in_groups(period.start, period.end))
           .values("pk"))
    rows = (Child.objects.filter(pk__in=ids).order_by().values_list("commune_id")
            .annotate(n=Count("id"), supported=Count("id", filter=supported_filter(period.start, period.end))))
    for commune, n, supported in rows:
        counts[SPECIAL][(commune, "")] = float(n)
        counts[SUPPORTED][(commune, "")] = float(supported)
    return counts


def abuse_counts(communes: list[int], period: Period) -> Counts:
    counts: Counts = {ABUSED: {}, CHILDREN: {}}
    if not Child.objects.filter(commune_id__in=communes).exists():
        return counts
    end = period.end
    living = (Q(died_on__isnull=True) | Q(died_on__gt=end)) & (Q(left_on__isnull=True) | Q(left_on__gt=end))
    for commune, n in (Member.objects.filter(living, household__commune_id__in=communes,
                                             birth_date__gt=years_back(end, 16), birth_date__lte=end)
                       .order_by().values_list("household__commune_id").annotate(n=Count("id"))):
        counts[CHILDREN][(commune, "")] = float(n)
        counts[ABUSED][(commune, "")] = 0.0
    for commune, n in (ChildAbuseCase.objects.filter(child__commune_id__in=communes, occurred_on__gte=period.start,
                                                     occurred_on__lte=end)
                       .order_by().values_list("child__commune_id").annotate(n=Count("child_id", distinct=True))):
        counts[ABUSED][(commune, "")] = float(n)
    return counts


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    communes = commune_ids(root)
    counts: Counts = {}
    if communes:
        counts.update(friendly_counts(communes, period))
        counts.update(special_counts(communes, period))
        counts.update(abuse_counts(communes, period))
    return counts, NOTE, f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}"


def records_url(query: str, unit: Unit, breakdown: str, key: str) -> str | None:
    """The list behind a figure: the children of the unit in the period (supported, abused), or the
    assessments of the unit's communes for the year."""
    if query not in QUERIES or query == CHILDREN or unit.edition == Edition.LEGACY or ".." not in key:
        return None
    first, last = key.split("..", 1)
    try:
        if query in (FRIENDLY, COMMUNES):
            params = {"unit": str(unit.pk), "year": first[:4]}
            if query == FRIENDLY:
                params["recognised"] = "1"
            return f"{reverse('child-assessment-list')}?{urlencode(params)}"
        params = {"unit": str(unit.pk), "from": first, "to": last}
        if query == SUPPORTED:
            params["supported"] = "1"
        if query == ABUSED:
            params["abused"] = "1"
        return f"{reverse('child-list')}?{urlencode(params)}"
    except NoReverseMatch:
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    """Adds the provider to `plans.counted.PROVIDERS` once (called by the app's `ready`)."""
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


__all__ = ["PROVIDER", "QUERIES", "abuse_counts", "fetch", "friendly_counts", "in_groups", "register",
           "special_counts", "sixteenth_birthday"]
