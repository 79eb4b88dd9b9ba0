"""Counted indicators: registered queries over the registries, one GROUP BY per registry.

A provider answers several queries at once, by commune, for a unit's subtree and a period. Today
the household registry answers the poverty figures from the review round in force at the end of
the period (the latest periodic round whose reference date, 14 Dec, is on or before the period's
end: Decision 24/2021/QĐ-TTg); later capabilities register their own providers in `PROVIDERS`.
Where no registry data exist for the period (years before the registry), results fall back on
what units declared, and say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from ansinh.geo.models import Edition, Level, Unit, current_home
from ansinh.lib.ethnicity import KHMER, KINH
from ansinh.poverty import figures
from ansinh.poverty.models import Assessment, PovertyStatus, ReviewRound, RoundKind, Transition

from .periods import Period

# {(commune id, breakdown): value} per query
Counts = dict[str, dict[tuple[int, str], float]]


@dataclass(frozen=True)
class Provider:
    queries: frozenset[str]
    # counts, a note on the source, and the key of the records behind them (for records_url)
    fetch: Callable[[Unit, Period], tuple[Counts, str, str]]
    records_url: Callable[[str, Unit, str, str], str | None]  # (query, unit, breakdown, records key)


def poverty_rounds(root: Unit, period: Period) -> list[ReviewRound]:
    """The periodic rounds in force at the end of `period` for the area of `root`."""
    home = current_home(root)
    province = home if home.level <= Level.PROVINCE else (home.province() or home)
    candidates = ReviewRound.objects.filter(
        kind=RoundKind.PERIODIC, reference_date__lte=period.end, unit__path__startswith=province.path
    ) | ReviewRound.objects.filter(
        kind=RoundKind.PERIODIC, reference_date__lte=period.end, unit_id__in=[*home.ancestor_ids(), home.pk]
    )
    # A round counts once it has classified its households (an opened, empty round does not).
    rounds = list(candidates.filter(households_classified__gt=0).distinct().select_related("unit").order_by("-year"))
    if not rounds:
        return []
    latest = rounds[0].year
    return [r for r in rounds if r.year == latest]


def _legacy_poverty_rows(rounds: list[ReviewRound], root: Unit) -> list[dict[str, Any]]:
    """A legacy unit's figures (an old plan's): one GROUP BY over the rounds' assessments by the
    households' legacy commune."""
    poor, near = Q(status=PovertyStatus.POOR), Q(status=PovertyStatus.NEAR_POOR)
    khmer, minority = Q(head_ethnicity=KHMER), ~Q(head_ethnicity=KINH)
    return list(
        Assessment.objects.filter(round__in=rounds, household__legacy_commune__path__startswith=root.path)
        .order_by()
        .values(LEGACY_COLUMN)
        .annotate(
            households=Count("id"),
            khmer_households=Count("id", filter=khmer),
            poor=Count("id", filter=poor),
            poor_khmer=Count("id", filter=poor & khmer),
            poor_minority=Count("id", filter=poor & minority),
            poor_nwc=Count("id", filter=poor & Q(no_working_capacity=True)),
            poor_sp=Count("id", filter=poor & Q(social_protection=True)),
            poor_merit=Count("id", filter=poor & Q(has_meritorious=True)),
            near=Count("id", filter=near),
            near_khmer=Count("id", filter=near & khmer),
            previous_poor=Count("id", filter=Q(previous_status=PovertyStatus.POOR)),
            # A household new to the register, or a first round, has no previous status ("").
            previous_total=Count("id", filter=~Q(previous_status="")),
            escaped=Count("id", filter=Q(transition=Transition.ESCAPED_POVERTY)),
            new_poor=Count("id", filter=Q(transition__in=NEW_POOR_TRANSITIONS)),
        )
    )


def _kept_poverty_rows(rounds: list[ReviewRound], root: Unit) -> list[dict[str, Any]]:
    """A current unit's figures from the rounds' counts kept per commune (poverty.figures.commune_counts),
    read for the communes of `root` only: a commune's results read its own row, not the province's.
    A decided round's counts are kept for good, so a closed period's figures are counted once."""
    if root.level == Level.COMMUNE:
        communes = [(root.pk, root.path)]
    else:
        communes = list(Unit.objects.filter(path__startswith=root.path, level=Level.COMMUNE,
                                            edition=Edition.CURRENT).values_list("pk", "path"))
    by_commune: dict[int, list[dict[str, int]]] = {}
    wanted = [(round_, [pk for pk, path in communes if path.startswith(round_.unit.path)]) for round_ in rounds]
    for (_round_id, pk), kept in figures.rounds_commune_counts(wanted).items():
        if kept:
            by_commune.setdefault(pk, []).append(kept)
    rows = []
    for pk, parts in by_commune.items():
        kept = parts[0] if len(parts) == 1 else figures.add_counts(parts)  # a commune in two rounds: both count
        row: dict[str, Any] = {name: kept.get(key, 0) for name, key in KEPT_NAMES.items()}
        row["commune_id"] = pk
        row["new_poor"] = sum(kept.get(f"t_{t}", 0) for t in NEW_POOR_TRANSITIONS)
        rows.append(row)
    return rows


# the names of _legacy_poverty_rows's counts → those of the counts kept per commune (poverty.figures)
KEPT_NAMES = {
    "households": "households", "khmer_households": "khmer", "poor": "poor", "poor_khmer": "khmer_poor",
    "poor_minority": "minority_poor", "poor_nwc": "poor_no_working_capacity", "poor_sp": "poor_social_protection",
    "poor_merit": "poor_meritorious", "near": "near_poor", "near_khmer": "khmer_near_poor",
    "previous_poor": "previous_poor", "previous_total": "previous_total", "escaped": f"t_{Transition.ESCAPED_POVERTY}",
}


NEW_POOR_TRANSITIONS = [Transition.NEW_POOR, Transition.RE_POOR, Transition.NEAR_POOR_TO_POOR]
LEGACY_COLUMN = "household__legacy_commune_id"


def _poverty_fetch(root: Unit, period: Period) -> tuple[Counts, str, str]:
    rounds = poverty_rounds(root, period)
    if not rounds:
        return {}, "", ""
    legacy = root.edition == Edition.LEGACY
    column = LEGACY_COLUMN if legacy else "commune_id"
    rows = _legacy_poverty_rows(rounds, root) if legacy else _kept_poverty_rows(rounds, root)
    counts: Counts = {name: {} for name in POVERTY_QUERIES}
    for row in rows:
        unit_id = row[column]
        if unit_id is None:
            continue

        def put(query: str, value: float, breakdown: str = "", uid: int = unit_id) -> None:
            counts[query][(uid, breakdown)] = float(value)

        put("households", row["households"])
        put("khmer_households", row["khmer_households"])
        put("poor_households", row["poor"])
        put("poor_households", row["poor_khmer"], "khmer")
        put("poor_households", row["poor_minority"], "minority")
        put("poor_households", row["poor_nwc"], "no_working_capacity")
        put("poor_households", row["poor_sp"], "social_protection")
        put("poor_households", row["poor_merit"], "meritorious")
        put("near_poor_households", row["near"])
        put("near_poor_households", row["near_khmer"], "khmer")
        if row["previous_total"]:  # transitions need a previous round: a first one has none
            put("escaped_poverty", row["escaped"])
            put("new_poor", row["new_poor"])
            put("poor_reduction", row["previous_poor"] - row["poor"])
            put("previous_poor_households", row["previous_poor"])
            put("previous_households", row["previous_total"])
    # A round not yet decided by the commune chair (Decision 24/2021/QĐ-TTg, step 6) gives
    # preliminary figures: the report says so.
    names = ", ".join(sorted({f"{r.unit.name} {r.year}" + ("" if r.locked else " – kết quả sơ bộ, chưa quyết định")
                              for r in rounds}))
    return counts, names, ",".join(str(r.pk) for r in sorted(rounds, key=lambda r: r.pk))


POVERTY_QUERIES = frozenset({
    "households", "khmer_households", "poor_households", "near_poor_households", "escaped_poverty", "new_poor",
    "poor_reduction", "previous_poor_households", "previous_households",
})


# The households behind each counted figure, in the round's own classification: (status, transitions).
POVERTY_RECORDS: dict[str, tuple[str, str]] = {
    "households": ("", ""),
    "khmer_households": ("", ""),
    "poor_households": ("poor", ""),
    "near_poor_households": ("near_poor", ""),
    "escaped_poverty": ("", Transition.ESCAPED_POVERTY),
    "new_poor": ("", ",".join([Transition.NEW_POOR, Transition.RE_POOR, Transition.NEAR_POOR_TO_POOR])),
}


def _poverty_records(query: str, unit: Unit, breakdown: str, rounds: str) -> str | None:
    """The household list behind a counted poverty figure: the households of the round(s) it was
    counted from, in the unit, with the figure's status, transitions and part (Khmer, …). A
    difference between two rounds (the reduction) has no list of its own."""
    if unit.edition == Edition.LEGACY or not rounds or query not in POVERTY_RECORDS:
        return None
    status, transitions = POVERTY_RECORDS[query]
    params = {"round": rounds, f"{'province' if unit.level <= Level.PROVINCE else 'commune'}": str(unit.pk)}
    if status:
        params["status"] = status
    if transitions:
        params["transition"] = transitions
    group = "khmer" if query == "khmer_households" else breakdown
    if group:
        params["group"] = group
    return f"{reverse('household-list')}?{urlencode(params)}"


PROVIDERS: list[Provider] = [Provider(POVERTY_QUERIES, _poverty_fetch, _poverty_records)]


def add_provider(provider: Provider) -> None:
    """Adds an app's provider once (called by the app's `ready`; tests may call it again)."""
    if not any(p.queries == provider.queries for p in PROVIDERS):
        PROVIDERS.append(provider)


def provider_for(query: str) -> Provider | None:
    return next((p for p in PROVIDERS if query in p.queries), None)


def fetch_all(queries: set[str], root: Unit, period: Period) -> tuple[Counts, dict[str, str], dict[str, str]]:
    """Counts for every asked query (one fetch per provider) and, per query, the source note and
    the key of the records behind it."""
    out: Counts = {}
    notes: dict[str, str] = {}
    keys: dict[str, str] = {}
    for provider in PROVIDERS:
        wanted = queries & provider.queries
        if not wanted:
            continue
        counts, note, key = provider.fetch(root, period)
        for query in wanted:
            if query in counts and counts[query]:
                out[query] = counts[query]
                notes[query], keys[query] = note, key
    return out, notes, keys


def records_url(query: str, unit: Unit, breakdown: str, keys: dict[str, str]) -> str | None:
    """The page listing the records behind a counted figure, or None."""
    provider = provider_for(query)
    return provider.records_url(query, unit, breakdown, keys.get(query, "")) if provider else None

