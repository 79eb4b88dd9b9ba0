"""Counted indicators of care facilities and drug rehabilitation (issue 14 item 2), registered with
`ansinh.plans.counted.add_provider`.

Seed 001: "Quyết định tiếp nhận 08 đối tượng, Quyết định dừng trợ giúp 15 đối tượng, … đang chăm
sóc, nuôi dưỡng 155 đối tượng (37 người cao tuổi, người khuyết tật; 104 người tâm thần; 14 em mồ
côi)" and "Cơ sở Cai nghiện ma túy tiếp nhận 25 học viên (19 bắt buộc, 06 tự nguyện); … tái hòa
nhập cộng đồng 30 học viên (25 bắt buộc, 05 tự nguyện) … đang quản lý 100 học viên (97 bắt buộc,
03 tự nguyện)".

- `care_admissions`, `care_discharges`: admission and discharge decisions dated in the period at
  care facilities (social protection centres, social work centres, facilities of children);
- `care_centre_residents`: residents of care facilities at the end of the period, by the report
  group of their category (`elderly_disabled`, `mental_illness`, `orphan`);
- `rehab_admissions`: admissions to drug rehabilitation facilities in the period, by kind
  (`compulsory`, `voluntary`: Law 73/2021/QH14 Art. 28);
- `rehab_reintegrated`: rehabilitation stays ended in the period at the end of the term or for
  community reintegration (after which the commune of residence manages the person, Art. 40);
- `rehab_residents`: rehabilitation residents at the end of the period, by kind.

Figures go with the unit the facility belongs to: a commune's facility by the commune; a
province's own (its provincial centre) is added to the province's total (the province's key
carries its own and its communes'), as `procedures.indicators` does. One GROUP BY over the stays.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models_facilities import CARE_KINDS, REINTEGRATED, CategoryGroup, FacilityKind, RehabKind, Resident

CARE_ADMISSIONS, CARE_DISCHARGES, CARE_RESIDENTS = "care_admissions", "care_discharges", "care_centre_residents"
REHAB_ADMISSIONS, REHAB_REINTEGRATED, REHAB_RESIDENTS = "rehab_admissions", "rehab_reintegrated", "rehab_residents"
QUERIES = frozenset({CARE_ADMISSIONS, CARE_DISCHARGES, CARE_RESIDENTS, REHAB_ADMISSIONS, REHAB_REINTEGRATED,
                     REHAB_RESIDENTS})
GROUPS = (CategoryGroup.ELDERLY_DISABLED, CategoryGroup.MENTAL_ILLNESS, CategoryGroup.ORPHAN)
KINDS = (RehabKind.COMPULSORY, RehabKind.VOLUNTARY)
NOTE = "sổ theo dõi đối tượng tại cơ sở trợ giúp xã hội và cơ sở cai nghiện ma túy (quyết định tiếp nhận, dừng trợ giúp)"


def _columns(period: Period) -> dict[str, Count]:
    admitted = Q(admitted_on__gte=period.start, admitted_on__lte=period.end)
    discharged = Q(discharged_on__gte=period.start, discharged_on__lte=period.end)
    present = Q(admitted_on__lte=period.end) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=period.end))
    reintegrated = discharged & Q(discharge_reason__in=REINTEGRATED)
    out = {"admitted": Count("id", filter=admitted), "discharged": Count("id", filter=discharged),
           "present": Count("id", filter=present), "reintegrated": Count("id", filter=reintegrated)}
    for kind in KINDS:
        out[f"admitted_{kind}"] = Count("id", filter=admitted & Q(rehab_kind=kind))
        out[f"reintegrated_{kind}"] = Count("id", filter=reintegrated & Q(rehab_kind=kind))
        out[f"present_{kind}"] = Count("id", filter=present & Q(rehab_kind=kind))
    for group in GROUPS:
        out[f"present_{group}"] = Count("id", filter=present & Q(category__group=group))
    return out


# (query, column of the total, {breakdown: column})
CARE = [(CARE_ADMISSIONS, "admitted", {}), (CARE_DISCHARGES, "discharged", {}),
        (CARE_RESIDENTS, "present", {str(g): f"present_{g}" for g in GROUPS})]
REHAB = [(REHAB_ADMISSIONS, "admitted", {str(k): f"admitted_{k}" for k in KINDS}),
         (REHAB_REINTEGRATED, "reintegrated", {str(k): f"reintegrated_{k}" for k in KINDS}),
         (REHAB_RESIDENTS, "present", {str(k): f"present_{k}" for k in KINDS})]


def facility_figures(root: Unit, period: Period) -> Counts:
    counts: Counts = {name: {} for name in QUERIES}
    if root.edition == Edition.LEGACY:
        return counts
    rows = (Resident.objects
            .filter(Q(facility__unit=root) | Q(facility__unit__path__under=root.path))
            .filter(admitted_on__lte=period.end)
            .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=period.start))
            .order_by().values("facility__unit_id", "facility__unit__level", "facility__unit__path", "facility__kind")
            .annotate(**_columns(period)))
    provinces: dict[int, dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))
    own: set[int] = set()
    for found in rows:
        row: dict[str, Any] = dict(found)
        unit_id, level = row["facility__unit_id"], row["facility__unit__level"]
        ids = [int(part) for part in row["facility__unit__path"].strip("/").split("/") if part]
        province = unit_id if level == Level.PROVINCE else (ids[-2] if len(ids) >= 2 else unit_id)
        if level != Level.COMMUNE:
            own.add(province)
        specs = REHAB if row["facility__kind"] == FacilityKind.REHAB else CARE
        for query, total, parts in specs:
            for breakdown, column in [("", total), *parts.items()]:
                value = float(row[column])
                if level == Level.COMMUNE:
                    key = (unit_id, breakdown)
                    counts[query][key] = counts[query].get(key, 0.0) + value
                provinces[province][(query, breakdown)] += value
    if root.level <= Level.PROVINCE:
        for province in own:  # a province with facilities of its own: its total is its own and its communes'
            for (query, breakdown), value in provinces[province].items():
                counts[query][(province, breakdown)] = value
    return counts


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    return facility_figures(root, period), NOTE, f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}"


def records_url(query: str, unit: Unit, breakdown: str, key: str) -> str | None:
    """The residents behind a figure: the unit's stays admitted, discharged in the period or present
    at its end, at care or rehabilitation facilities, with the figure's part."""
    if query not in QUERIES or unit.edition == Edition.LEGACY or ".." not in key:
        return None
    first, last = key.split("..", 1)
    rehab = query.startswith("rehab_")
    params = {"unit": str(unit.pk), "kind": "rehab" if rehab else "care"}
    if query in (CARE_ADMISSIONS, REHAB_ADMISSIONS):
        params.update(admitted_from=first, admitted_to=last)
    elif query in (CARE_DISCHARGES, REHAB_REINTEGRATED):
        params.update(discharged_from=first, discharged_to=last)
        if query == REHAB_REINTEGRATED:
            params["reason"] = "reintegrated"
    else:
        params["present_on"] = last
    if breakdown in KINDS:
        params["rehab_kind"] = breakdown
    elif breakdown in GROUPS:
        params["group"] = breakdown
    try:
        return f"{reverse('facilities-resident-list')}?{urlencode(params)}"
    except NoReverseMatch:
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    """Adds the provider to `plans.counted.PROVIDERS` once (called by the app's `ready`)."""
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


__all__ = ["CARE_KINDS", "PROVIDER", "QUERIES", "facility_figures", "fetch", "records_url", "register"]
