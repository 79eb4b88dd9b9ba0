"""The assessment engine: deprivation flags and income in, counts and statuses out, vectorised.

Works on NumPy arrays for any number of households at once, with no database and no Python
loop per household, so the same code classifies one household on its page, a spreadsheet of
survey results, or a province in a review round. The standard is a `StandardSpec` read from the
database (`spec_for`), never a constant here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from ansinh.households.models import Area
from ansinh.lib.vietnamese import format_number

from .models import STATUS_CODES, Assessment, PovertyStandard, PovertyStatus, Rule, Transition

NOT_POOR, AVERAGE, NEAR_POOR, POOR = range(4)
STATUS_VALUES = [str(status) for status in STATUS_CODES]
STATUS_INDEX = {status: code for code, status in enumerate(STATUS_VALUES)}

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    dimension: str
    definition: str
    rule: str
    params: dict[str, float]
    basis: str


@dataclass(frozen=True)
class StandardSpec:
    """A poverty standard as the engine needs it (see `PovertyStandard` for the legal text)."""

    code: str
    name: str
    basis: str
    rule: str
    poverty_line: tuple[float, float]  # (rural, urban), VND per person per month
    near_poor_line: tuple[float, float] | None
    average_line: tuple[float, float] | None
    min_deprivations: int
    indicators: tuple[IndicatorSpec, ...]
    provisional: bool = False

    @property
    def codes(self) -> list[str]:
        return [indicator.code for indicator in self.indicators]


def _pair(rural: Decimal | None, urban: Decimal | None) -> tuple[float, float] | None:
    if rural is None or urban is None:
        return None
    return float(rural), float(urban)


def spec_for(standard: PovertyStandard) -> StandardSpec:
    indicators = tuple(
        IndicatorSpec(code=i.code, name=i.name, dimension=i.dimension, definition=i.definition, rule=i.rule,
                      params=dict(i.params or {}), basis=i.basis)
        for i in standard.indicators.order_by("position")
    )
    poverty = _pair(standard.poverty_line_rural, standard.poverty_line_urban)
    assert poverty is not None
    return StandardSpec(
        code=standard.code, name=standard.name, basis=standard.basis, rule=standard.rule, poverty_line=poverty,
        near_poor_line=_pair(standard.near_poor_line_rural, standard.near_poor_line_urban),
        average_line=_pair(standard.average_line_rural, standard.average_line_urban),
        min_deprivations=standard.min_deprivations, indicators=indicators, provisional=standard.provisional,
    )


def spec_by_code(code: str) -> StandardSpec:
    return spec_for(PovertyStandard.objects.get(code=code))


def _line(pair: tuple[float, float], urban: BoolArray) -> FloatArray:
    return np.where(urban, pair[1], pair[0])


def classify(spec: StandardSpec, *, urban: BoolArray, income: FloatArray,
             flags: npt.NDArray[np.uint8]) -> tuple[IntArray, IntArray]:
    """Deprivation counts and status codes (NOT_POOR, AVERAGE, NEAR_POOR, POOR) of n households.

    `flags` is n × k (k = the standard's indicators, in order), 1 where deprived.
    1. Count the deprivations.
    2. Apply the standard's rule to income against the lines of the household's area:
       - income_and_deprivation (Decree 07/2021/NĐ-CP, Art. 3): income ≤ line and ≥ 3
         deprivations → poor; income ≤ line and fewer → near-poor;
       - income_or_deprivation (Decision 59/2015/QĐ-TTg, Art. 2): income ≤ poverty line → poor;
         poverty line < income ≤ near-poverty line → poor with ≥ 3 deprivations, else near-poor.
       Lines are inclusive: "từ đủ … đồng trở xuống".
    3. Above those lines, income up to the average-living line → average living standard.
    """
    count = flags.sum(axis=1, dtype=np.int64) if flags.size else np.zeros(len(income), dtype=np.int64)
    many = count >= spec.min_deprivations
    poverty_line = _line(spec.poverty_line, urban)
    status = np.full(len(income), NOT_POOR, dtype=np.int64)
    if spec.rule == Rule.INCOME_OR_DEPRIVATION:
        assert spec.near_poor_line is not None, "this rule needs a near-poverty line"
        near_line = _line(spec.near_poor_line, urban)
        below_poverty = income <= poverty_line
        in_band = ~below_poverty & (income <= near_line)
        upper = near_line
        status[in_band & ~many] = NEAR_POOR
        status[below_poverty | (in_band & many)] = POOR
    else:
        low = income <= poverty_line
        upper = poverty_line
        status[low & ~many] = NEAR_POOR
        status[low & many] = POOR
    if spec.average_line is not None:
        average = (income > upper) & (income <= _line(spec.average_line, urban))
        status[average] = AVERAGE
    return count, status


def masks(flags: npt.NDArray[np.uint8]) -> IntArray:
    """One integer per household: bit i set when deprived in indicator i."""
    if not flags.size:
        return np.zeros(flags.shape[0], dtype=np.int64)
    weights = (1 << np.arange(flags.shape[1], dtype=np.int64))
    return flags.astype(np.int64) @ weights


TRANSITION_VALUES = [str(t) for t in Transition]


def transitions(previous: IntArray, current: IntArray, ever_poor_before: BoolArray) -> list[str]:
    """The change of each household against the previous round (Decision 24/2021/QĐ-TTg).

    `previous` holds status codes, or -1 where the household was not assessed then.
    A household that is poor again after having escaped poverty is re-poor (tái nghèo).
    """
    was_poor, was_near = previous == POOR, previous == NEAR_POOR
    now_poor, now_near = current == POOR, current == NEAR_POOR
    choices = [
        (now_poor & was_poor, Transition.STILL_POOR),
        (now_poor & was_near, Transition.NEAR_POOR_TO_POOR),
        (now_poor & ever_poor_before, Transition.RE_POOR),
        (now_poor, Transition.NEW_POOR),
        (now_near & was_poor, Transition.POOR_TO_NEAR_POOR),
        (now_near & was_near, Transition.STILL_NEAR_POOR),
        (now_near, Transition.NEW_NEAR_POOR),
        (was_poor, Transition.ESCAPED_POVERTY),
        (was_near, Transition.ESCAPED_NEAR_POVERTY),
    ]
    index = np.select([c for c, _ in choices], list(range(len(choices))), default=len(choices))
    labels = [str(t) for _, t in choices] + [str(Transition.UNCHANGED)]
    return [labels[i] for i in index.tolist()]


def money(value: float) -> str:
    return f"{format_number(round(value))} đồng"


STATUS_PHRASE = {
    PovertyStatus.POOR: "hộ nghèo",
    PovertyStatus.NEAR_POOR: "hộ cận nghèo",
    PovertyStatus.AVERAGE: "hộ có mức sống trung bình",
    PovertyStatus.NOT_POOR: "không thuộc hộ nghèo, hộ cận nghèo",
}


def _income_template(spec: StandardSpec, *, urban: bool, band: int) -> str:
    """The income half of the reason, with "{income}" left to fill: band 0 at or below the
    poverty line, 1 between the poverty and near-poverty lines (Decision 59/2015), 2 above."""
    area = "thành thị" if urban else "nông thôn"
    index = 1 if urban else 0
    line = money(spec.poverty_line[index])
    start = "Thu nhập bình quân {income}/người/tháng, "
    if spec.rule == Rule.INCOME_OR_DEPRIVATION and spec.near_poor_line is not None:
        near = money(spec.near_poor_line[index])
        return start + [f"không vượt chuẩn nghèo {area} {line}",
                        f"trên chuẩn nghèo {line} nhưng không vượt chuẩn cận nghèo {area} {near}",
                        f"vượt chuẩn cận nghèo {area} {near}"][band]
    return start + (f"không vượt chuẩn {area} {line}" if band == 0 else f"vượt chuẩn {area} {line}")


def _bands(spec: StandardSpec, urban: BoolArray, income: FloatArray) -> IntArray:
    band = np.where(income <= _line(spec.poverty_line, urban), 0, 2)
    if spec.rule == Rule.INCOME_OR_DEPRIVATION and spec.near_poor_line is not None:
        band = np.where((band == 2) & (income <= _line(spec.near_poor_line, urban)), 1, band)
    return band.astype(np.int64)


def _deprivation_text(spec: StandardSpec, mask: int, status: int, details: dict[str, str] | None = None) -> str:
    deprived = [ind for i, ind in enumerate(spec.indicators) if mask >> i & 1]
    count = len(deprived)
    if deprived:
        names = []
        for ind in deprived:
            detail = (details or {}).get(ind.code)
            names.append(f"{ind.name.lower()} ({detail})" if detail else ind.name.lower())
        threshold = "từ" if count >= spec.min_deprivations else "dưới"
        part = f"thiếu hụt {count} chỉ số ({threshold} {spec.min_deprivations:02d}): {'; '.join(names)}"
    else:
        part = "không thiếu hụt chỉ số nào"
    return f"; {part} → {STATUS_PHRASE[PovertyStatus(STATUS_VALUES[status])]}."


def reason(spec: StandardSpec, *, urban: bool, income: float, mask: int, status: int,
           details: dict[str, str] | None = None) -> str:
    """One Vietnamese sentence that says why: income against the line, the deprivations, the status.

    `details` may name, per indicator code, the members and facts behind a deprivation.
    """
    band = int(_bands(spec, np.array([urban]), np.array([income], dtype=np.float64))[0])
    head = _income_template(spec, urban=urban, band=band).format(income=money(income))
    return head + _deprivation_text(spec, mask, status, details)


def reasons(spec: StandardSpec, *, urban: BoolArray, income: FloatArray, mask: IntArray,
            status: IntArray) -> list[str]:
    """`reason` for many households: the sentence halves are built once per distinct case and
    only the income is formatted per household."""
    bands = _bands(spec, urban, income)
    heads: dict[tuple[bool, int], str] = {}
    tails: dict[tuple[int, int], str] = {}
    out = []
    for u, b, inc, m, st in zip(urban.tolist(), bands.tolist(), np.rint(income).tolist(), mask.tolist(),
                                status.tolist(), strict=True):
        head = heads.get((u, b))
        if head is None:
            head = heads[(u, b)] = _income_template(spec, urban=u, band=b)
        tail = tails.get((m, st))
        if tail is None:
            tail = tails[(m, st)] = _deprivation_text(spec, m, st)
        out.append(head.replace("{income}", money(inc)) + tail)
    return out


def stored_reasons(spec: StandardSpec, *, area: Sequence[str], income: Sequence[Decimal | float | int],
                   mask: Sequence[int], status: Sequence[str]) -> list[str]:
    """`reasons` from the columns an `Assessment` stores (area, income per capita, deprivations
    bitmask, status value): the very sentences the round would have written, since it classifies
    the whole-đồng income it stores (`facts.estimate_income`). For rows read with values_list."""
    return reasons(spec, urban=np.array([a == Area.URBAN for a in area], dtype=np.bool_),
                   income=np.array([float(x) for x in income], dtype=np.float64),
                   mask=np.array(mask, dtype=np.int64),
                   status=np.array([STATUS_INDEX[s] for s in status], dtype=np.int64))


def reasons_for(spec: StandardSpec, assessments: Sequence[Assessment]) -> list[str]:
    """The reason of each assessment (all of rounds with the standard of `spec`), computed together."""
    return stored_reasons(spec, area=[a.area for a in assessments], income=[a.income_per_capita for a in assessments],
                          mask=[a.deprivations for a in assessments], status=[a.status for a in assessments])


def reasons_by_standard(assessments: Sequence[Assessment]) -> list[str]:
    """`reasons_for` over assessments of rounds of any standards (read `round__standard` with them):
    one spec, so one query, per distinct standard."""
    groups: dict[int, list[int]] = {}
    for i, assessment in enumerate(assessments):
        groups.setdefault(assessment.round.standard_id, []).append(i)
    out = [""] * len(assessments)
    for rows in groups.values():
        spec = spec_for(assessments[rows[0]].round.standard)
        for i, text in zip(rows, reasons_for(spec, [assessments[i] for i in rows]), strict=True):
            out[i] = text
    return out
