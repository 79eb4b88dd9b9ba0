"""Why a household has its status: the assessment engine run on one household, with names.

The household page must never disagree with a review round, so this runs the very code a round
runs (`facts.load` → `facts.compute_flags` → `facts.estimate_income` → `engine.classify` →
`engine.reason`) on a frame of one household, and then reads the member-level hits of each rule
to say who is behind a deprivation ("Kim Thị Sa Ri, 43 tuổi, không có thẻ BHYT").

The facts and sentences are Vietnamese domain text, like the engine's reasons shown with the
assessments (Circular 07/2021/TT-BLĐTBXH: the review's results are posted publicly in Vietnamese).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from ansinh.households.models import Household, LivingConditions, Member
from ansinh.lib.vietnamese import format_number, format_percent

from . import engine, facts
from .models import IncomeScoringTable, PovertyStandard, PovertyStatus

# Rules that read the living conditions (form B2's household part): without a survey row they
# count as not deprived, which the page must say rather than show a plain ✓.
HOUSEHOLD_RULES = {"housing_quality", "housing_area", "water", "latrine", "waste", "information_assets",
                   "information_assets_2016", "telecom_2016"}

HOUSING_VI = {"durable": "kiên cố", "semi_durable": "bán kiên cố", "less_durable": "thiếu kiên cố",
              "simple": "đơn sơ"}
WATER_VI = {"piped": "nước máy", "drilled_well": "giếng khoan", "protected_well": "giếng đào được bảo vệ",
            "rainwater": "nước mưa được trữ an toàn", "bottled": "nước đóng chai, nước lọc",
            "unprotected": "giếng, khe, mó không được bảo vệ", "surface": "nước sông, hồ, ao, kênh"}
LATRINE_VI = {"flush": "tự hoại, bán tự hoại", "double_vault": "hai ngăn",
              "ventilated_pit": "chìm có ống thông hơi", "unhygienic": "không hợp vệ sinh", "none": "không có nhà tiêu"}
EDUCATION_VI = {"none": "chưa có bằng cấp", "primary": "tiểu học", "lower_secondary": "trung học cơ sở",
                "upper_secondary": "trung học phổ thông", "vocational": "chứng chỉ, bằng nghề",
                "higher": "cao đẳng, đại học"}
SCHOOLING_VI = {"none": "không đi học", "preschool": "mầm non", "primary": "tiểu học",
                "lower_secondary": "trung học cơ sở", "upper_secondary": "trung học phổ thông",
                "vocational": "giáo dục nghề nghiệp", "higher": "cao đẳng, đại học"}


@dataclass(frozen=True)
class MemberFact:
    """A member behind a deprivation, with the age on the reference date and the fact."""

    member_id: int
    name: str
    age: int
    fact: str

    def __str__(self) -> str:
        return f"{self.name}, {self.age} tuổi, {self.fact}"


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    dimension: str
    definition: str
    basis: str
    provisional: bool
    deprived: bool
    members: tuple[MemberFact, ...] = ()
    fact: str = ""  # a household-level fact ("nhà đơn sơ"), or why the indicator could not be told
    from_b2: bool = False  # the value was recorded on a paper form B2
    unknown: bool = False  # nothing to tell it from: no survey row, or a B2-only indicator not recorded

    @property
    def why(self) -> str:
        """Who and what, in one line for the table and the sentence."""
        parts = [str(member) for member in self.members]
        if self.fact:
            parts.append(self.fact)
        return "; ".join(parts)


@dataclass(frozen=True)
class IncomeItem:
    label: str
    answer: float
    amount: float  # VND per person per month added by this answer


@dataclass(frozen=True)
class Explanation:
    household_id: int
    standard: PovertyStandard
    on: dt.date
    year: int
    urban: bool
    size: int
    income: float
    income_estimated: bool
    poverty_line: float
    near_poor_line: float | None
    average_line: float | None
    conditions_year: int | None
    indicators: tuple[IndicatorResult, ...]
    count: int
    min_deprivations: int
    status: str
    sentence: str
    income_base: float | None = None
    income_items: tuple[IncomeItem, ...] = ()

    @property
    def provisional(self) -> bool:
        return self.standard.provisional or any(indicator.provisional for indicator in self.indicators)

    @property
    def status_label(self) -> str:
        return str(PovertyStatus(self.status).label)

    @property
    def deprived(self) -> list[IndicatorResult]:
        return [indicator for indicator in self.indicators if indicator.deprived]

    @property
    def below_line(self) -> bool:
        line = self.near_poor_line if self.near_poor_line is not None else self.poverty_line
        return self.income <= line


def standard_on(on: dt.date) -> PovertyStandard:
    """The standard in force on a date or, past the last one in the data, the latest before it."""
    try:
        return PovertyStandard.in_force_on(on)
    except PovertyStandard.DoesNotExist:
        found = (PovertyStandard.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
                 or PovertyStandard.objects.order_by("valid_from").first())
        if found is None:
            raise
        return found


def _scoring_tables(standard: PovertyStandard) -> dict[str, dict[str, Any]]:
    return {t.region: {"base": t.base, "items": t.items} for t in IncomeScoringTable.objects.filter(standard=standard)}


def explain_household(household: Household, *, standard: PovertyStandard | None = None, year: int | None = None,
                      on: dt.date | None = None) -> Explanation:
    """Classifies one household and says why, indicator by indicator.

    1. Choose the day (ages and membership), the survey year and the standard: by default today,
       this year and the standard in force today; the household page passes its latest round's.
    2. Load the household's facts as a one-row frame, with the members' names.
    3. Compute the flags, the income (declared, or estimated with the region's table, form B1)
       and the status with the engine.
    4. For each indicator: deprived or not, the members the rule found, and the household fact.
    5. The engine's sentence, with the names behind each deprivation.
    """
    on = on or timezone.localdate()
    year = year or on.year
    standard = standard or standard_on(on)
    spec = engine.spec_for(standard)
    indicator_rows = {i.code: i for i in standard.indicators.all()}
    province = household.commune.province()
    region = facts.region_of(province.code) if province else ""
    tables = _scoring_tables(standard)

    loaded = facts.load(household_ids=[household.pk], with_names=True, on=on, year=year, region=region)
    h, m = loaded.households, loaded.members
    flags = facts.compute_flags(spec, m, h, on)
    income, estimated = facts.estimate_income(h, tables)
    counts, status = engine.classify(spec, urban=h.urban, income=income, flags=flags.matrix)
    mask = int(engine.masks(flags.matrix)[0])

    conditions = (LivingConditions.objects.filter(household=household, year__lte=year).order_by("-year").first())
    rows = Member.objects.filter(pk__in=m.ids.tolist()).values(
        "pk", "employment", "education", "schooling", "stunted", "underweight", "disability", "social_allowance")
    member_rows: dict[int, dict[str, Any]] = {row["pk"]: dict(row) for row in rows}
    size = int(h.size[0])
    b2 = h.b2[0] if h.b2 else {}
    ages = m.age.tolist()

    results = []
    details: dict[str, str] = {}
    for j, indicator in enumerate(spec.indicators):
        deprived = bool(flags.matrix[0, j])
        from_b2 = indicator.code in b2 and b2[indicator.code] in (0, 1, True, False, "0", "1")
        known_rule = indicator.rule in facts.RULES
        unknown = not from_b2 and (not known_rule or (indicator.rule in HOUSEHOLD_RULES and conditions is None))
        members: list[MemberFact] = []
        hit = flags.member_hits.get(indicator.code)
        if deprived and hit is not None:
            for i in np.flatnonzero(hit).tolist():
                row: dict[str, Any] = member_rows.get(int(m.ids[i]), {})
                members.append(MemberFact(member_id=int(m.ids[i]), name=m.names[i], age=int(ages[i]),
                                          fact=_member_fact(indicator, row, ages[i])))
        fact = _household_fact(indicator, conditions, size) if deprived else ""
        if deprived and indicator.rule == "dependants" and size:
            fact = (f"{len(members)}/{size} nhân khẩu là người phụ thuộc "
                    f"({format_percent(100 * len(members) / size)})")
        if from_b2:
            fact = f"{fact}, theo phiếu B2" if fact else "theo phiếu B2"
        elif unknown:
            fact = ("chưa có phiếu khảo sát điều kiện sống" if known_rule
                    else "chỉ xác định được qua phiếu B2, chưa ghi nhận")
        row_model = indicator_rows.get(indicator.code)
        result = IndicatorResult(
            code=indicator.code, name=indicator.name, dimension=indicator.dimension,
            definition=indicator.definition, basis=indicator.basis,
            provisional=bool(row_model.provisional) if row_model else False, deprived=deprived,
            members=tuple(members), fact=fact, from_b2=from_b2, unknown=unknown and not deprived)
        results.append(result)
        if deprived:
            names = ", ".join(member.name for member in members)
            details[indicator.code] = ", ".join(part for part in (names, fact) if part)

    urban = bool(h.urban[0])
    index = 1 if urban else 0
    income_value = float(income[0])
    sentence = engine.reason(spec, urban=urban, income=income_value, mask=mask, status=int(status[0]),
                             details=details)
    base, items = _income_items(bool(estimated[0]), tables, region, h.b1[0] if h.b1 else {})
    return Explanation(
        household_id=household.pk, standard=standard, on=on, year=year, urban=urban, size=size,
        income=income_value, income_estimated=bool(estimated[0]), poverty_line=spec.poverty_line[index],
        near_poor_line=spec.near_poor_line[index] if spec.near_poor_line else None,
        average_line=spec.average_line[index] if spec.average_line else None,
        conditions_year=conditions.year if conditions else None, indicators=tuple(results),
        count=int(counts[0]), min_deprivations=spec.min_deprivations,
        status=engine.STATUS_VALUES[int(status[0])], sentence=sentence, income_base=base, income_items=items,
    )


def _income_items(estimated: bool, tables: dict[str, dict[str, Any]], region: str,
                  answers: dict[str, Any]) -> tuple[float | None, tuple[IncomeItem, ...]]:
    """The form B1 items that made an estimated income (the same arithmetic as estimate_income)."""
    if not estimated:
        return None, ()
    table = tables.get(region) or next(iter(tables.values()), None)
    if table is None:
        return None, ()
    items = []
    for item in table["items"]:
        try:
            answer = min(float(answers.get(item["code"], 0) or 0), 3.0)
        except (TypeError, ValueError):
            answer = 0.0
        if answer:
            items.append(IncomeItem(label=str(item.get("label", item["code"])), answer=answer,
                                    amount=answer * float(item["points"])))
    return float(table["base"]), tuple(items)


def _member_fact(indicator: engine.IndicatorSpec, row: dict[str, Any], age: int) -> str:
    """What about this member makes the rule fire, in the words of the indicator."""
    rule, params = indicator.rule, indicator.params
    if rule == "health_insurance":
        return "không có thẻ BHYT"
    if rule == "health_access":
        return "ốm đau nhưng không đi khám chữa bệnh"
    if rule == "nutrition":
        kinds = [text for key, text in (("stunted", "suy dinh dưỡng thể thấp còi"),
                                        ("underweight", "suy dinh dưỡng thể nhẹ cân")) if row.get(key)]
        return " và ".join(kinds) or "suy dinh dưỡng"
    if rule == "employment":
        if row.get("employment") == "unemployed":
            return "trong độ tuổi lao động, đang thất nghiệp"
        return "làm công ăn lương không có hợp đồng lao động"
    if rule == "dependants":
        if age < int(params.get("child_under", 16)):
            return f"trẻ em dưới {int(params.get('child_under', 16))} tuổi, người phụ thuộc"
        if row.get("disability", "none") != "none" and row.get("social_allowance"):
            return "người khuyết tật hưởng trợ cấp xã hội hằng tháng, người phụ thuộc"
        suffix = ", hưởng trợ cấp xã hội hằng tháng" if row.get("social_allowance") else ""
        return f"người cao tuổi{suffix}, người phụ thuộc"
    if rule in ("adult_education", "adult_education_2016"):
        level = EDUCATION_VI.get(row.get("education", ""), "chưa có bằng cấp")
        return f"trình độ cao nhất: {level}, không đi học hay đào tạo"
    if rule in ("school_attendance", "school_attendance_2016"):
        schooling = row.get("schooling", "none")
        if schooling == "none":
            return "không đi học"
        return f"đang học {SCHOOLING_VI.get(schooling, schooling)}, chưa đúng cấp học theo độ tuổi"
    return indicator.name.lower()


def _household_fact(indicator: engine.IndicatorSpec, conditions: LivingConditions | None, size: int) -> str:
    """The household's own fact behind a household-level deprivation."""
    rule = indicator.rule
    if rule == "telecom":
        return "không thành viên nào sử dụng internet"
    if conditions is None:
        return ""
    if rule == "housing_quality":
        return f"nhà {HOUSING_VI.get(conditions.housing, conditions.housing)}"
    if rule == "housing_area":
        area = float(conditions.floor_area)
        return f"{_m2(area)} m² cho {size} người: {_m2(area / max(size, 1))} m²/người"
    if rule == "water":
        return f"nguồn nước: {WATER_VI.get(conditions.water_source, conditions.water_source)}"
    if rule == "latrine":
        return f"nhà tiêu: {LATRINE_VI.get(conditions.latrine, conditions.latrine)}"
    if rule == "waste":
        return "rác thải không được thu gom, xử lý"
    if rule == "telecom_2016":
        return "không có điện thoại, không thành viên nào sử dụng internet"
    if rule == "information_assets":
        return "không có ti vi, radio, máy tính hay điện thoại"
    if rule == "information_assets_2016":
        return "không có ti vi, radio, máy tính, không nghe được loa truyền thanh"
    return ""


def _m2(value: float) -> str:
    """30 → "30"; 7.5 → "7,5"."""
    return format_number(value, 0 if float(value).is_integer() else 1)
