"""The figures of a review round, by commune (or hamlet, or province) and in total, counted by the database.

One GROUP BY over the round's assessments, with conditional counts: households, poor and
near-poor (count and rate), Khmer and other ethnic-minority households, poor households with no
working capacity, with a meritorious member or under social protection, the share deprived in
each indicator, the transitions, and the support needs counted in seed 000. The caller passes an
already scoped queryset (`ansinh.poverty.access.assessments_for_user`); grouped by province,
it may span the province rounds of a year (the country's figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.lookups import GreaterThan

from ansinh.geo.models import Unit
from ansinh.households.models import NEED_FIELDS
from ansinh.lib.ethnicity import KHMER, KINH

from .engine import StandardSpec
from .models import Assessment, PovertyStatus, Transition

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
    return out


def _row(unit_id: int | None, name: str, values: dict[str, Any], spec: StandardSpec) -> Row:
    row = Row(unit_id=unit_id, name=name)
    for key in ("households", "poor", "near_poor", "average", "khmer", "khmer_poor", "khmer_near_poor",
                "minority_poor", "minority_near_poor", "poor_no_working_capacity", "poor_meritorious",
                "poor_social_protection", "near_poor_no_working_capacity"):
        setattr(row, key, values[key] or 0)
    row.deprived = [values[f"d{i}"] or 0 for i in range(len(spec.indicators))]
    row.needs = {name: values[f"n_{name}"] or 0 for name in NEED_FIELDS}
    row.transitions = {t: values[f"t_{t}"] or 0 for t in Transition.values}
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
