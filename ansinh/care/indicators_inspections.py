"""Counted indicators of the inspectorate (seed 001: "Tiếp 27 lượt công dân"; "Đội kiểm tra liên
ngành 178 kiểm tra 15 cơ sở kinh doanh – dịch vụ …, phát hiện 02 cơ sở …" in violation), registered
with `ansinh.plans.counted.PROVIDERS` when the app is ready.

- `establishments_inspected`: establishments (not agencies or units) inspected or checked with an
  inspection started in the period, each counted once however often it was inspected;
- `establishments_with_violations`: those of them found in violation;
- `citizens_received`: lượt of citizen reception in the period (a group is one lượt);
- `petitions_received`: complaints and denunciations received in the period;
- `petitions_on_time`: complaints and denunciations resolved in the period on or before their due date.

Counted by the unit of the record (the commune of the establishment, the commune or province that
received the citizen); a province's own records are added to its total, since results add the
communes up the map. One GROUP BY per registry.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from ansinh.geo.models import Edition, Level, Unit
from ansinh.plans.counted import Counts, Provider
from ansinh.plans.periods import Period

from .models_inspections import Inspection, Petition, PetitionKind, PetitionStatus, Reception, SubjectKind

INSPECTED, VIOLATING = "establishments_inspected", "establishments_with_violations"
RECEIVED = "citizens_received"
PETITIONS, PETITIONS_ON_TIME = "petitions_received", "petitions_on_time"
QUERIES = frozenset({INSPECTED, VIOLATING, RECEIVED, PETITIONS, PETITIONS_ON_TIME})


def _add(counts: Counts, root: Unit, rows: list[tuple[int, int, int, list[float]]], codes: list[str]) -> None:
    """rows: (unit id, level, province id, values in the order of `codes`). A commune's values go to
    the commune; a province with records of its own gets its own plus its communes' as its total."""
    provinces: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(codes))
    own: set[int] = set()
    for unit_id, level, province_id, values in rows:
        if level == Level.COMMUNE:
            for code, value in zip(codes, values, strict=True):
                counts[code][(unit_id, "")] = counts[code].get((unit_id, ""), 0.0) + float(value)
        else:
            own.add(province_id)
        for i, value in enumerate(values):
            provinces[province_id][i] += float(value)
    if root.level <= Level.PROVINCE:
        for province_id in own:
            for i, code in enumerate(codes):
                counts[code][(province_id, "")] = provinces[province_id][i]


def _within(queryset: QuerySet, root: Unit) -> QuerySet:  # type: ignore[type-arg]
    return queryset.filter(Q(unit=root) | Q(unit__path__under=root.path))


def figures(root: Unit, period: Period) -> Counts:
    counts: Counts = {code: {} for code in QUERIES}
    if root.edition == Edition.LEGACY:
        return counts
    inspections = (_within(Inspection.objects.filter(subject_kind=SubjectKind.ESTABLISHMENT,
                                                     started_on__gte=period.start, started_on__lte=period.end), root)
                   .order_by().values_list("unit_id", "unit__level", "province_id")
                   .annotate(n=Count("subject_key", distinct=True),
                             bad=Count("subject_key", distinct=True, filter=Q(violations_count__gt=0))))
    _add(counts, root, [(u, lv, p, [n, bad]) for u, lv, p, n, bad in inspections], [INSPECTED, VIOLATING])
    receptions = (_within(Reception.objects.filter(received_on__gte=period.start, received_on__lte=period.end), root)
                  .order_by().values_list("unit_id", "unit__level", "province_id").annotate(n=Count("id")))
    _add(counts, root, [(u, lv, p, [n]) for u, lv, p, n in receptions], [RECEIVED])
    letters = Petition.objects.filter(kind__in=[PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION])
    received = Q(received_on__gte=period.start, received_on__lte=period.end)
    on_time = Q(status=PetitionStatus.RESOLVED, resolved_on__gte=period.start, resolved_on__lte=period.end) & Q(
        resolved_on__lte=F("due_on"))
    petitions = (_within(letters.filter(received | on_time), root).order_by()
                 .values_list("unit_id", "unit__level", "province_id")
                 .annotate(n=Count("id", filter=received), ok=Count("id", filter=on_time)))
    _add(counts, root, [(u, lv, p, [n, ok]) for u, lv, p, n, ok in petitions], [PETITIONS, PETITIONS_ON_TIME])
    return counts


def fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    note = ("sổ theo dõi thanh tra, kiểm tra; sổ tiếp công dân; sổ xử lý đơn khiếu nại, tố cáo "
            "(ngày bắt đầu kiểm tra, ngày tiếp, ngày nhận đơn trong kỳ)")
    return figures(root, period), note, f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}"


def records_url(query: str, unit: Unit, breakdown: str, key: str) -> str | None:
    """The list behind a figure, filtered to the unit and the period."""
    if query not in QUERIES or unit.edition == Edition.LEGACY or ".." not in key:
        return None
    first, last = key.split("..", 1)
    params = {"unit": str(unit.pk), "from": first, "to": last}
    try:
        if query in (INSPECTED, VIOLATING):
            params["subject_kind"] = SubjectKind.ESTABLISHMENT
            if query == VIOLATING:
                params["violations"] = "yes"
            return f"{reverse('inspection-list')}?{urlencode(params)}"
        if query == RECEIVED:
            return f"{reverse('inspection-reception-list')}?{urlencode(params)}"
        params["kind"] = "letters"
        return f"{reverse('inspection-petition-list')}?{urlencode(params)}"
    except NoReverseMatch:
        return None


PROVIDER = Provider(QUERIES, fetch, records_url)


def register() -> None:
    from ansinh.plans.counted import add_provider

    add_provider(PROVIDER)


__all__ = ["PROVIDER", "QUERIES", "fetch", "figures", "records_url", "register"]
