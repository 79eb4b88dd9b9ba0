"""The figures of a review round, by commune (or hamlet, or province) and in total, counted by the database.

One GROUP BY over the round's assessments, with conditional counts: households, poor and
near-poor (count and rate), Khmer and other ethnic-minority households, poor households with no
working capacity, with a meritorious member or under social protection, the share deprived in
each indicator, the transitions, and the support needs counted in seed 000. The caller passes an
already scoped queryset (`ansinh.poverty.access.assessments_for_user`); grouped by province,
it may span the province rounds of a year (the country's figures).

A round's figures are counted once per commune and kept (`commune_counts`, table
`RoundFigures`): the figures page, the API, the home page and the plans' counted results read
them, and a re-run of an open round (a new `classified_at`) counts them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.lookups import GreaterThan

from ansinh.geo.models import Unit
from ansinh.households.models import NEED_FIELDS
from ansinh.lib.ethnicity import KHMER, KINH

from . import engine
from .engine import StandardSpec
from .models import Assessment, PovertyStatus, ReviewRound, RoundFigures, Transition

POOR_OR_NEAR = Q(status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR])


def _bit(column: str, bit: int) -> Q:
    return Q(GreaterThan(F(column).bitand(1 << bit), 0))


@dataclass
class Row:
    """The figures of one unit (a commune, a hamlet, a province, or the total)."""

    unit_id: int | None
    name: str
    households: int = 0
    poor: int = 0
    near_poor: int = 0
    average: int = 0
    khmer: int = 0
    khmer_poor: int = 0
    khmer_near_poor: int = 0
    minority_poor: int = 0
    minority_near_poor: int = 0
    poor_no_working_capacity: int = 0
    poor_meritorious: int = 0
    poor_social_protection: int = 0
    near_poor_no_working_capacity: int = 0
    deprived: list[int] = field(default_factory=list)  # households deprived in each indicator
    needs: dict[str, int] = field(default_factory=dict)  # poor and near-poor households needing each kind
    transitions: dict[str, int] = field(default_factory=dict)

    @property
    def poor_rate(self) -> float:
        return 100 * self.poor / self.households if self.households else 0.0

    @property
    def near_poor_rate(self) -> float:
        return 100 * self.near_poor / self.households if self.households else 0.0

    @property
    def khmer_poor_rate(self) -> float:
        return 100 * self.khmer_poor / self.khmer if self.khmer else 0.0

    def deprived_share(self, index: int) -> float:
        return 100 * self.deprived[index] / self.households if self.households else 0.0

    def add(self, other: Row) -> None:
        for name in ("households", "poor", "near_poor", "average", "khmer", "khmer_poor", "khmer_near_poor",
                     "minority_poor", "minority_near_poor", "poor_no_working_capacity", "poor_meritorious",
                     "poor_social_protection", "near_poor_no_working_capacity"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.deprived = [a + b for a, b in zip(self.deprived or [0] * len(other.deprived), other.deprived, strict=True)]
        for key, value in other.needs.items():
            self.needs[key] = self.needs.get(key, 0) + value
        for key, value in other.transitions.items():
            self.transitions[key] = self.transitions.get(key, 0) + value


def _aggregates(spec: StandardSpec) -> dict[str, Any]:
    poor, near = Q(status=PovertyStatus.POOR), Q(status=PovertyStatus.NEAR_POOR)
    khmer, minority = Q(head_ethnicity=KHMER), ~Q(head_ethnicity=KINH)
    out: dict[str, Any] = {
        "households": Count("id"),
        "poor": Count("id", filter=poor),
        "near_poor": Count("id", filter=near),
        "average": Count("id", filter=Q(status=PovertyStatus.AVERAGE)),
        "khmer": Count("id", filter=khmer),
        "khmer_poor": Count("id", filter=khmer & poor),
        "khmer_near_poor": Count("id", filter=khmer & near),
        "minority_poor": Count("id", filter=minority & poor),
        "minority_near_poor": Count("id", filter=minority & near),
        "poor_no_working_capacity": Count("id", filter=poor & Q(no_working_capacity=True)),
        "poor_meritorious": Count("id", filter=poor & Q(has_meritorious=True)),
        "poor_social_protection": Count("id", filter=poor & Q(social_protection=True)),
        "near_poor_no_working_capacity": Count("id", filter=near & Q(no_working_capacity=True)),
    }
    for i in range(len(spec.indicators)):
        out[f"d{i}"] = Count("id", filter=_bit("deprivations", i))
    for i, name in enumerate(NEED_FIELDS):
        out[f"n_{name}"] = Count("id", filter=POOR_OR_NEAR & _bit("needs", i))
    for transition in Transition.values:
        out[f"t_{transition}"] = Count("id", filter=Q(transition=transition))
    # for the plans' counted figures (plans/counted.py): the reduction against the previous round
    out["previous_poor"] = Count("id", filter=Q(previous_status=PovertyStatus.POOR))
    # a household new to the register, or a first round, has no previous status ("")
    out["previous_total"] = Count("id", filter=~Q(previous_status=""))
    return out


COUNT_FIELDS = ("households", "poor", "near_poor", "average", "khmer", "khmer_poor", "khmer_near_poor",
                "minority_poor", "minority_near_poor", "poor_no_working_capacity", "poor_meritorious",
                "poor_social_protection", "near_poor_no_working_capacity")


def _row(unit_id: int | None, name: str, values: dict[str, Any], spec: StandardSpec) -> Row:
    row = Row(unit_id=unit_id, name=name)
    for key in COUNT_FIELDS:
        setattr(row, key, values.get(key) or 0)
    row.deprived = [values.get(f"d{i}") or 0 for i in range(len(spec.indicators))]
    row.needs = {name: values.get(f"n_{name}") or 0 for name in NEED_FIELDS}
    row.transitions = {t: values.get(f"t_{t}") or 0 for t in Transition.values}
    return row


GROUP_COLUMNS = {"commune": "commune_id", "hamlet": "hamlet_id", "province": "commune__parent_id"}


def summary(assessments: QuerySet[Assessment], spec: StandardSpec, *, by: str = "commune") -> tuple[list[Row], Row]:
    """Rows per commune (or per hamlet, `by="hamlet"`, or per province, `by="province"`) in
    Vietnamese order, and the total.

    By province the rows group on the commune's parent: since the two-level government of
    1 Jul 2025 (Resolution 202/2025/QH15) a commune's parent in the current map is its province.
    """
    column = GROUP_COLUMNS.get(by)
    if column is None:
        raise ValueError(f"Unknown grouping: {by!r}")
    grouped = list(assessments.order_by().values(column).annotate(**_aggregates(spec)))
    names = dict(Unit.objects.filter(pk__in=[g[column] for g in grouped if g[column]]).values_list("pk", "name"))
    keys = dict(Unit.objects.filter(pk__in=list(names)).values_list("pk", "sort_key"))
    rows = [_row(g[column], names.get(g[column], "—"), g, spec) for g in grouped]
    rows.sort(key=lambda r: (r.unit_id is None, keys.get(r.unit_id or 0, ""), r.name))
    total = Row(unit_id=None, name="Tổng cộng", deprived=[0] * len(spec.indicators))
    for row in rows:
        total.add(row)
    return rows, total


# --- Counted once: a round's figures by commune, kept in RoundFigures --------------------------

# Bump when the counts change (a new aggregate): rows counted by older code are counted again.
COUNTS_VERSION = 1


def round_stamp(round_: ReviewRound) -> str:
    """Which classification of the round the kept figures count: re-running it gives a new one."""
    at = round_.classified_at.isoformat() if round_.classified_at else "-"
    return f"{COUNTS_VERSION}/{at}/{round_.households_classified}"


Counts = dict[str, int]  # the conditional counts of _aggregates, by name


def add_counts(parts: Iterable[Counts]) -> Counts:
    """The counts of several units (or rounds) added up."""
    out: Counts = {}
    for part in parts:
        for key, value in part.items():
            out[key] = out.get(key, 0) + (value or 0)
    return out


def _count(missing: list[tuple[ReviewRound, list[int]]], spec: StandardSpec | None
           ) -> dict[tuple[int, int], tuple[Counts, list[Any]]]:
    """One GROUP BY (round, commune, hamlet) over the assessments of these rounds' communes (one per
    standard, as the deprivations counted follow the standard's indicators): per (round, commune),
    its total and its hamlets' counts ([hamlet id or None, counts])."""
    by_standard: dict[int, list[tuple[ReviewRound, list[int]]]] = {}
    for round_, ids in missing:
        by_standard.setdefault(round_.standard_id, []).append((round_, ids))
    out: dict[tuple[int, int], tuple[Counts, list[Any]]] = {}
    for group in by_standard.values():
        where = reduce(or_, (Q(round_id=round_.pk, commune_id__in=ids) for round_, ids in group))
        grouped = (Assessment.objects.filter(where).order_by().values("round_id", "commune_id", "hamlet_id")
                   .annotate(**_aggregates(spec or engine.spec_for(group[0][0].standard))))
        hamlets: dict[tuple[int, int], list[Any]] = {(round_.pk, pk): [] for round_, ids in group for pk in ids}
        for found in grouped:
            values: dict[str, Any] = dict(found)
            key = (values.pop("round_id"), values.pop("commune_id"))
            hamlets.setdefault(key, []).append([values.pop("hamlet_id"), {k: v or 0 for k, v in values.items()}])
        out.update({key: (add_counts(counts for _hamlet, counts in parts), parts) for key, parts in hamlets.items()})
    return out


def commune_counts(round_: ReviewRound, commune_ids: Iterable[int], *, hamlets: bool = False,
                   spec: StandardSpec | None = None) -> dict[int, Any]:
    """The round's counts of each commune asked for: its total (`Counts`, empty when none of its
    households was classified) or, with `hamlets`, its hamlets' ([[hamlet id or None, Counts], …]).
    See `rounds_commune_counts`."""
    kept = rounds_commune_counts([(round_, commune_ids)], hamlets=hamlets, spec=spec)
    return {commune_id: value for (_round_id, commune_id), value in kept.items()}


def rounds_commune_counts(wanted: Iterable[tuple[ReviewRound, Iterable[int]]], *, hamlets: bool = False,
                          spec: StandardSpec | None = None) -> dict[tuple[int, int], Any]:
    """`commune_counts` of several rounds at once, by (round id, commune id): one query for all
    the rounds' kept rows whatever their number (the country's 34 province rounds).

    1. Read the kept rows of these communes that count each round's current classification (its
       stamp): a decided round's are read for good, an open round's until it is run again.
    2. Count the communes missing (none kept yet, or kept from an earlier run) in one GROUP BY
       (per standard) over the (round, commune, status) index, only those communes: a commune
       officer's first view counts her commune, not the province.
    3. Keep them, replacing any of an earlier run (`_keep`).
    A round never classified has no assessments: nothing to count or keep. `spec` is the rounds'
    standard when they all apply the same one (else it is read for each round that is counted).
    """
    empty: Any = [] if hamlets else {}
    asked = [(round_, list(dict.fromkeys(ids))) for round_, ids in wanted]
    found: dict[tuple[int, int], Any] = {}
    for round_, ids in asked:
        if round_.classified_at is None:
            found.update({(round_.pk, pk): empty for pk in ids})
    asked = [(round_, ids) for round_, ids in asked if round_.classified_at is not None and ids]
    if not asked:
        return found
    stamps = {round_.pk: round_stamp(round_) for round_, _ids in asked}
    column = "hamlets" if hamlets else "total"
    for round_id, commune_id, stamp, value in RoundFigures.objects.filter(
            round_id__in=list(stamps), commune_id__in={pk for _round, ids in asked for pk in ids}
    ).values_list("round_id", "commune_id", "stamp", column):
        if stamps[round_id] == stamp:  # else kept from an earlier run of the round: counted again
            found[(round_id, commune_id)] = value
    missing = [(round_, [pk for pk in ids if (round_.pk, pk) not in found]) for round_, ids in asked]
    missing = [(round_, ids) for round_, ids in missing if ids]
    if missing:
        counted = _count(missing, spec)
        found.update({key: parts if hamlets else total for key, (total, parts) in counted.items()})
        _keep(stamps, counted)
    return found


def _keep(stamps: dict[int, str], counted: dict[tuple[int, int], tuple[Counts, list[Any]]]) -> None:
    """Insert the counts, or replace those of an earlier run, in one statement (an upsert on the
    unique (round, commune)): two processes keeping the same commune at once do not clash."""
    try:
        with transaction.atomic():
            RoundFigures.objects.bulk_create(
                [RoundFigures(round_id=round_id, commune_id=commune_id, stamp=stamps[round_id], total=total,
                              hamlets=parts) for (round_id, commune_id), (total, parts) in counted.items()],
                update_conflicts=True, unique_fields=["round", "commune"],
                update_fields=["stamp", "total", "hamlets", "counted_at"])
    except IntegrityError:
        pass  # kept by another process meanwhile: these counts are answered all the same


def counts_row(unit_id: int | None, name: str, counts: Counts, spec: StandardSpec) -> Row:
    """The figures of a unit from its counts (`commune_counts`, added up with `add_counts`)."""
    return _row(unit_id, name, counts, spec)


def round_summary(round_: ReviewRound, spec: StandardSpec, commune_ids: Iterable[int], *,
                  by: str = "commune") -> tuple[list[Row], Row]:
    """`summary` of the round's assessments in these communes (those the user may see), by
    commune or by hamlet, from the counts kept per commune (`commune_counts`): rows in Vietnamese
    order and the total."""
    if by not in ("commune", "hamlet"):
        raise ValueError(f"Unknown grouping: {by!r}")
    kept = commune_counts(round_, commune_ids, hamlets=by == "hamlet", spec=spec)
    parts: dict[int | None, list[Counts]] = {}
    for commune_id, value in kept.items():
        if by == "commune":
            if value:
                parts.setdefault(commune_id, []).append(value)
        else:
            for hamlet_id, counts in value:
                parts.setdefault(hamlet_id, []).append(counts)
    merged = {unit_id: (found[0] if len(found) == 1 else add_counts(found)) for unit_id, found in parts.items()}
    total = _row(None, "Tổng cộng", add_counts(merged.values()), spec)
    units = {pk: (name, key) for pk, name, key in
             Unit.objects.filter(pk__in=[pk for pk in merged if pk]).values_list("pk", "name", "sort_key")}
    rows = [_row(unit_id, units.get(unit_id or 0, ("—", ""))[0], counts, spec) for unit_id, counts in merged.items()]
    rows.sort(key=lambda r: (r.unit_id is None, units.get(r.unit_id or 0, ("", ""))[1], r.name))
    return rows, total
