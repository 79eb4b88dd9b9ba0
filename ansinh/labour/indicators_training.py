"""Counted indicators of vocational training (issue 13 item 2), registered with
`ansinh.plans.counted.add_provider` by `register()` (called by `labour.indicators`).

- `trained_workers`: enrolments with `enrolled_on` in the period, by the enrolment's commune; parts
  by the course's level code (`intermediate`, `elementary`, `under_3_months`) and field (`non_farm`,
  `farm`): one GROUP BY.
- `trained_labour_rate`, `certified_labour_rate` (%), `employed_regularly` (people): stocks on the
  period's last day, from the register's members of working age (`training.rate_counts`, one GROUP
  BY), by the definition in force (`TrainedRateDefinition`, provisional: the note says "chưa xác
  nhận"). The rates are not added up the map (catalogue aggregation "none"): `plans.results` takes a
  provider's value for any unit it is given, and adds up the communes' only where it has none, so
  the provider gives every unit from the root down to its communes its own rate, recomputed from
  the sums of numerators and denominators (`training.rates_up_the_map`).

A legacy root (an old plan's) has no counted figures here: declared values stand in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from ansinh.geo.models import Edition, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models import Enrolment, TrainingField
from .training import PROVISIONAL_NOTE, commune_ids, definition_on, rates_up_the_map

LEVEL_PARTS = ("intermediate", "elementary", "under_3_months")
FIELD_PARTS = (TrainingField.NON_FARM.value, TrainingField.FARM.value)
FLOW_QUERIES = frozenset({"trained_workers"})
STOCK_QUERIES = frozenset({"trained_labour_rate", "certified_labour_rate", "employed_regularly"})


def trained_workers(communes: list[int], period: Period) -> Counts:
    """People enrolled in the period by commune, with the parts by level and field."""
    counts: Counts = {"trained_workers": {}}
    if not communes:
        return counts
    rows: Any = trained_workers_query(communes, period)
    out = counts["trained_workers"]
    for row in rows:
        commune = row["commune_id"]
        out[(commune, "")] = float(row["total"])
        for code in LEVEL_PARTS:
            out[(commune, code)] = float(row[f"l_{code}"])
        for code in FIELD_PARTS:
            out[(commune, code)] = float(row[f"f_{code}"])
    return counts


def trained_workers_query(communes: list[int], period: Period) -> QuerySet[Any]:
    """One GROUP BY over the enrolments of the period, by commune (index commune, enrolled_on)."""
    parts = {f"l_{code}": Count("pk", filter=Q(course__level__code=code)) for code in LEVEL_PARTS}
    parts.update({f"f_{code}": Count("pk", filter=Q(course__field=code)) for code in FIELD_PARTS})
    return (Enrolment.objects.filter(commune_id__in=communes, enrolled_on__gte=period.start,
                                     enrolled_on__lte=period.end)
            .order_by().values("commune_id").annotate(total=Count("pk"), **parts))


def _flow_fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    return trained_workers(commune_ids(root), period), "sổ theo dõi người học nghề (ngày nhập học trong kỳ)", period.key


def _stock_fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    if root.edition == Edition.LEGACY:
        return {}, "", ""
    on = period.end
    definition = definition_on(on)
    if definition is None:
        return {}, "", ""
    counts: Counts = {name: {} for name in STOCK_QUERIES}
    for unit_id, found in rates_up_the_map(root, on, definition).items():
        if not found.members:
            continue
        counts["employed_regularly"][(unit_id, "")] = float(found.employed)
        counts["trained_labour_rate"][(unit_id, "")] = round(found.trained_rate or 0.0, 2)
        counts["certified_labour_rate"][(unit_id, "")] = round(found.certified_rate or 0.0, 2)
    mark = f" – {PROVISIONAL_NOTE}" if definition.provisional else ""
    note = (f"sổ hộ: lao động trong độ tuổi ngày {on:%d/%m/%Y} và trình độ đào tạo "
            f"(cách tính: {definition.name}{mark})")
    return counts, note, period.key


def _url(name: str, params: dict[str, str]) -> str | None:
    try:
        return f"{reverse(name)}?{urlencode(params)}"
    except NoReverseMatch:  # the training pages are not installed
        return None


def records_url(query: str, unit: Unit, breakdown: str, period: str) -> str | None:
    """The enrolments behind `trained_workers` (unit, period, part); the rates page for the stocks."""
    if unit.edition == Edition.LEGACY or not period:
        return None
    params = {"unit": str(unit.pk), "period": period}
    if query == "trained_workers":
        if breakdown:
            params["breakdown"] = breakdown
        return _url("enrolment-list", params)
    if query in STOCK_QUERIES:
        return _url("training-rates", params)
    return None


FLOW_PROVIDER = Provider(FLOW_QUERIES, _flow_fetch, records_url)
STOCK_PROVIDER = Provider(STOCK_QUERIES, _stock_fetch, records_url)


def register() -> None:
    from ansinh.plans.counted import add_provider

    add_provider(FLOW_PROVIDER)
    add_provider(STOCK_PROVIDER)
    # The enrolment import's kind of background job (the jobs app discovers `labour/jobs.py`,
    # which no lane owns; the training lane registers its kind here, at the app's ready).
    from . import jobs_training  # noqa: F401
