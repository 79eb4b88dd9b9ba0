"""From member and living-condition facts to deprivation flags, for many households at once.

Facts are read set-based (one SQL query for households, one for members, one for living
conditions) into NumPy arrays; each indicator rule is a vectorised function named in the
standard's data (`StandardIndicator.rule`) with its thresholds in `params`. A rule returns the
household flags and, for member-level indicators, which members caused them, so that the
explanation can name them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from ansinh.households.models import (
    EDUCATION_RANK,
    HYGIENIC_LATRINES,
    NEED_FIELDS,
    SAFE_WATER,
    SCHOOLING_RANK,
    Disability,
    Employment,
    Housing,
)

from .engine import BoolArray, FloatArray, IntArray, StandardSpec
from .standards_data import PROVINCE_REGION

# --- Frames -----------------------------------------------------------------------------------

MEMBER_BOOLS = ["health_insurance", "in_training", "can_work", "pension", "social_allowance", "meritorious",
                "stunted", "underweight", "uses_internet", "sick_untreated"]
EMPLOYMENT_CODES = {value: i for i, value in enumerate(Employment.values)}
DISABILITY_CODES = {value: i for i, value in enumerate(Disability.values)}
HOUSING_CODES = {value: i for i, value in enumerate(Housing.values)}
CONDITION_BOOLS = ["waste_treated", "has_tv", "has_radio", "has_computer", "has_phone", "hears_loudspeaker",
                   *NEED_FIELDS]


@dataclass
class Members:
    """One entry per member present on the reference date; `hh` indexes the households frame."""

    hh: IntArray
    age_months: IntArray
    female: BoolArray
    employment: IntArray
    disability: IntArray
    schooling: IntArray
    education: IntArray
    bools: dict[str, BoolArray]
    ids: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    names: list[str] = field(default_factory=list)

    @property
    def age(self) -> IntArray:
        return self.age_months // 12

    def __len__(self) -> int:
        return len(self.hh)


@dataclass
class Households:
    """One entry per household: identity, area, income and that year's living conditions."""

    ids: IntArray
    urban: BoolArray
    size: IntArray
    income: FloatArray  # NaN where not declared
    has_conditions: BoolArray
    housing: IntArray
    floor_area: FloatArray
    water_safe: BoolArray
    latrine_hygienic: BoolArray
    bools: dict[str, BoolArray]
    b1: list[dict[str, Any]] = field(default_factory=list)
    b2: list[dict[str, Any]] = field(default_factory=list)
    region: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


def retirement_age_months(year: int, female: BoolArray) -> IntArray:
    """Retirement age in months (Labour Code 45/2019/QH14, Art. 169; Decree 135/2020/NĐ-CP, Art. 4):
    men 60 years 3 months in 2021, three months more each year until 62 in 2028; women 55 years
    4 months in 2021, four months more each year until 60 in 2035. Before 2021: 60 and 55."""
    steps = max(0, year - 2020)
    men = 720 + min(3 * steps, 24) if steps else 720
    women = 660 + min(4 * steps, 60) if steps else 660
    return np.where(female, women, men).astype(np.int64)


# --- Rules ------------------------------------------------------------------------------------

RuleResult = tuple[BoolArray, BoolArray | None]
RuleFn = Callable[[Members, Households, dict[str, Any], dt.date], RuleResult]
RULES: dict[str, RuleFn] = {}


def rule(name: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[name] = fn
        return fn
    return register


def any_member(members: Members, hit: BoolArray, n: int) -> RuleResult:
    flags = np.bincount(members.hh[hit], minlength=n) > 0 if len(members) else np.zeros(n, dtype=bool)
    return flags, hit


@rule("employment")
def _employment(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    """Decree 07/2021/NĐ-CP, Art. 3: a member of working age unemployed, or waged without a contract."""
    working_age = (m.age_months >= int(p.get("min_age", 15)) * 12) & (m.age_months < retirement_age_months(on.year, m.female))
    bad = (m.employment == EMPLOYMENT_CODES["unemployed"]) | (m.employment == EMPLOYMENT_CODES["no_contract"])
    return any_member(m, working_age & bad, len(h))


@rule("dependants")
def _dependants(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    """Decree 07/2021/NĐ-CP, Art. 3: dependants are more than half of the household. Dependants:
    children under 16; elderly people and people with disabilities (with `*_needs_allowance`, only
    those on a monthly social allowance: the wording is read from secondary sources)."""
    age = m.age
    allowance = m.bools["social_allowance"]
    elderly = age >= int(p.get("elderly_from", 60))
    if p.get("elderly_needs_allowance"):
        elderly &= allowance
    disabled = m.disability != DISABILITY_CODES["none"]
    if p.get("disabled_needs_allowance", 1):
        disabled &= allowance
    dependant = (age < int(p.get("child_under", 16))) | elderly | disabled
    count = np.bincount(m.hh[dependant], minlength=len(h)) if len(m) else np.zeros(len(h))
    size = np.maximum(h.size, 1)
    flags = (count / size) > float(p.get("max_share", 0.5))
    return flags & (h.size > 0), dependant & flags[m.hh] if len(m) else dependant


@rule("nutrition")
def _nutrition(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    child = m.age < int(p.get("child_under", 16))
    return any_member(m, child & (m.bools["stunted"] | m.bools["underweight"]), len(h))


@rule("health_insurance")
def _health_insurance(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    return any_member(m, (m.age >= int(p.get("min_age", 6))) & ~m.bools["health_insurance"], len(h))


@rule("health_access")
def _health_access(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    return any_member(m, m.bools["sick_untreated"], len(h))


@rule("adult_education")
def _adult_education(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    """Decree 07/2021/NĐ-CP, Art. 3: aged 16–30, not in training, without the qualification
    for the age (lower secondary under 18; upper secondary or vocational from 18)."""
    age = m.age
    in_range = (age >= int(p.get("min_age", 16))) & (age <= int(p.get("max_age", 30)))
    required = np.where(age >= int(p.get("secondary_from", 18)), EDUCATION_RANK["upper_secondary"],
                        EDUCATION_RANK["lower_secondary"])
    studying = m.bools["in_training"] | (m.schooling >= SCHOOLING_RANK["lower_secondary"])
    return any_member(m, in_range & ~studying & (m.education < required), len(h))


@rule("adult_education_2016")
def _adult_education_2016(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    """Decision 59/2015/QĐ-TTg: aged 15 to under 30, no lower-secondary diploma, not in school."""
    age = m.age
    in_range = (age >= int(p.get("min_age", 15))) & (age <= int(p.get("max_age", 29)))
    not_studying = m.schooling == SCHOOLING_RANK["none"]
    return any_member(m, in_range & not_studying & (m.education < EDUCATION_RANK["lower_secondary"]), len(h))


@rule("school_attendance")
def _school_attendance(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    """Decree 07/2021/NĐ-CP, Art. 3: a child aged 3 to under 16 not at the level for the age
    (3–5 preschool, 6–10 primary, 11–15 lower secondary or above)."""
    age = m.age
    in_range = (age >= int(p.get("min_age", 3))) & (age <= int(p.get("max_age", 15)))
    expected = np.select([age <= 5, age <= 10], [SCHOOLING_RANK["preschool"], SCHOOLING_RANK["primary"]],
                         default=SCHOOLING_RANK["lower_secondary"])
    return any_member(m, in_range & (m.schooling < expected), len(h))


@rule("school_attendance_2016")
def _school_attendance_2016(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    age = m.age
    in_range = (age >= int(p.get("min_age", 5))) & (age <= int(p.get("max_age", 14)))
    return any_member(m, in_range & (m.schooling == SCHOOLING_RANK["none"]), len(h))


def _household(flags: BoolArray, h: Households) -> RuleResult:
    return flags & h.has_conditions, None


@rule("housing_quality")
def _housing_quality(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    return _household((h.housing == HOUSING_CODES["less_durable"]) | (h.housing == HOUSING_CODES["simple"]), h)


@rule("housing_area")
def _housing_area(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    per_person = h.floor_area / np.maximum(h.size, 1)
    return _household(per_person < float(p.get("min_m2_per_person", 8)), h)


@rule("water")
def _water(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    return _household(~h.water_safe, h)


@rule("latrine")
def _latrine(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    return _household(~h.latrine_hygienic, h)


@rule("waste")
def _waste(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    return _household(~h.bools["waste_treated"], h)


def _internet_users(m: Members, n: int) -> BoolArray:
    if not len(m):
        return np.zeros(n, dtype=bool)
    return np.bincount(m.hh[m.bools["uses_internet"]], minlength=n) > 0


@rule("telecom")
def _telecom(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    """Decree 07/2021/NĐ-CP, Art. 3: no member uses the internet."""
    return ~_internet_users(m, len(h)) & (h.size > 0), None


@rule("telecom_2016")
def _telecom_2016(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    """Decision 59/2015/QĐ-TTg: no member uses a telephone subscription or the internet."""
    return ~_internet_users(m, len(h)) & ~h.bools["has_phone"] & h.has_conditions, None


@rule("information_assets")
def _information_assets(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    b = h.bools
    return _household(~(b["has_tv"] | b["has_radio"] | b["has_computer"] | b["has_phone"]), h)


@rule("information_assets_2016")
def _information_assets_2016(m: Members, h: Households, p: dict[str, Any], on: dt.date) -> RuleResult:
    b = h.bools
    return _household(~(b["has_tv"] | b["has_radio"] | b["has_computer"] | b["hears_loudspeaker"]), h)


@dataclass
class Flags:
    matrix: npt.NDArray[np.uint8]  # households × indicators
    member_hits: dict[str, BoolArray]  # indicator code -> members behind it


def compute_flags(spec: StandardSpec, members: Members, households: Households, on: dt.date) -> Flags:
    """Every indicator of the standard, then form B2 answers where the survey recorded them."""
    n = len(households)
    matrix = np.zeros((n, len(spec.indicators)), dtype=np.uint8)
    hits: dict[str, BoolArray] = {}
    for j, indicator in enumerate(spec.indicators):
        fn = RULES.get(indicator.rule)
        if fn is None:
            continue  # an indicator only a paper form B2 can tell (a provisional one, say)
        flags, hit = fn(members, households, indicator.params, on)
        matrix[:, j] = flags
        if hit is not None:
            hits[indicator.code] = hit
    if households.b2:
        position = {code: j for j, code in enumerate(spec.codes)}
        for row, answers in enumerate(households.b2):
            for code, value in (answers or {}).items():
                if code in position and value in (0, 1, True, False, "0", "1"):
                    matrix[row, position[code]] = int(value)
    return Flags(matrix=matrix, member_hits=hits)


def estimate_income(households: Households, tables: dict[str, dict[str, Any]]) -> tuple[FloatArray, BoolArray]:
    """Declared income where there is one, else the region's scoring table (form B1).

    Returns the income per person per month, in whole đồng (the figure an assessment stores, so
    the status and the reason derived from the stored figures agree), and whether it was estimated.
    """
    income = households.income.copy()
    estimated = np.isnan(income)
    for row in np.flatnonzero(estimated).tolist():
        region = households.region[row] if households.region else ""
        table = tables.get(region) or next(iter(tables.values()), None)
        if table is None:
            income[row] = 0.0
            continue
        answers = households.b1[row] if households.b1 else {}
        total = float(table["base"])
        for item in table["items"]:
            value = answers.get(item["code"], 0) if answers else 0
            try:
                amount = min(float(value), 3.0)
            except (TypeError, ValueError):
                amount = 0.0
            total += amount * float(item["points"])
        income[row] = total
    return np.rint(income), estimated


# --- Reading facts from the database ----------------------------------------------------------


def _case(column: str, mapping: dict[str, int]) -> str:
    whens = " ".join(f"WHEN '{key}' THEN {value}" for key, value in mapping.items())
    return f"CASE {column} {whens} ELSE 0 END"


def _bool(column: str) -> str:
    return f"CASE WHEN {column} THEN 1 ELSE 0 END"


def _date_param(day: dt.date) -> dt.date | str:
    """SQLite stores dates as ISO text: compare with text there, with a date on PostgreSQL."""
    return day if connection.vendor == "postgresql" else day.isoformat()


def _days_since_1900(column: str) -> str:
    """A date as days since 1 Jan 1900, computed by the database (a plain date in the WHERE clause
    keeps the planner's statistics usable; only the selected column is converted)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1900-01-01')"
    return f"CAST(julianday({column}) - 2415020.5 AS integer)"


def _fetch(sql: str, params: Sequence[Any], width: int, chunk: int = 200_000) -> npt.NDArray[np.int64]:
    """Runs a query whose columns are all integers (NULL as -1) into an int64 matrix."""
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            # fromiter over the flattened tuples: ≈ 40 % faster than np.array on a list of tuples.
            parts.append(np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
                         .reshape(-1, width))
    return np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.int64)


def _in(ids: Sequence[int]) -> tuple[str, list[int]]:
    return ", ".join(["%s"] * len(ids)), list(ids)


def _scope_sql(commune_ids: Sequence[int] | None, household_ids: Sequence[int] | None,
               alias: str = "h") -> tuple[str, list[Any]]:
    if household_ids is not None:
        marks, params = _in(household_ids or [0])
        return f"{alias}.id IN ({marks})", params
    marks, params = _in(list(commune_ids or []) or [0])
    return f"{alias}.commune_id IN ({marks}) AND {alias}.status = 'active'", params


@dataclass
class Loaded:
    households: Households
    members: Members
    commune: IntArray
    hamlet: IntArray
    ethnicity: list[str]
    province_code: str = ""


def _age_months(days_since_1900: IntArray, on: dt.date) -> IntArray:
    """Completed months of age on `on`, from birth dates given as days since 1 Jan 1900."""
    born = np.datetime64("1900-01-01") + days_since_1900.astype("timedelta64[D]")
    months = born.astype("datetime64[M]")
    by = born.astype("datetime64[Y]").astype(np.int64) + 1970
    bm = months.astype(np.int64) % 12 + 1
    bd = (born - months).astype(np.int64) + 1
    return (on.year - by) * 12 + (on.month - bm) - (on.day < bd).astype(np.int64)


def load(*, on: dt.date, year: int, commune_ids: Sequence[int] | None = None,
         household_ids: Sequence[int] | None = None, with_names: bool = False, region: str = "",
         surveyed: tuple[dt.date, dt.date] | None = None) -> Loaded:
    """Reads the facts of the households of some communes (or some households) as arrays.

    1. Households (active ones, for communes) ordered by id.
    2. Members present on `on` (alive and not moved out), mapped to their household's row.
    3. Living conditions of the latest year up to `year` (a household not surveyed this year
       keeps last year's conditions until it is).
    With `surveyed` (first, last day), only households surveyed in that period: a regular review
    covers the households that asked for one.
    """
    where, params = _scope_sql(commune_ids, household_ids)
    if surveyed is not None:
        where += (" AND EXISTS (SELECT 1 FROM households_livingconditions s WHERE s.household_id = h.id "
                  "AND s.surveyed_on >= %s AND s.surveyed_on <= %s)")
        params = [*params, *map(_date_param, surveyed)]
    hh_rows = _fetch(
        f"SELECT h.id, h.commune_id, COALESCE(h.hamlet_id, -1), {_case('h.area', {'urban': 1})}, "
        f"CAST(h.head_ethnicity AS integer) FROM households_household h WHERE {where} ORDER BY h.id",
        params, 5)
    ids = hh_rows[:, 0]
    n = len(ids)
    # The households' id range, implied by the join but not derived by PostgreSQL's planner: with
    # it, the members and living conditions of a batch of communes are read through their household
    # index instead of a scan of the whole province's table once per batch (the households of a
    # batch are mostly a run of ids, being registered commune by commune; at worst the range is the
    # whole table, as without it).
    first, last = (int(ids[0]), int(ids[-1])) if n else (0, -1)

    def span(alias: str) -> str:
        return f"{alias}.household_id >= {first} AND {alias}.household_id <= {last}"

    # Five integer columns per member, packed by the database: fewer Python objects to convert.
    codes = " + ".join([
        _case("m.sex", {"female": 1}), f"2 * ({_case('m.employment', EMPLOYMENT_CODES)})",
        f"16 * ({_case('m.disability', DISABILITY_CODES)})", f"64 * (1 + {_case('m.schooling', SCHOOLING_RANK)})",
        f"512 * ({_case('m.education', EDUCATION_RANK)})"])
    flags = " + ".join(f"{1 << i} * ({_bool(f'm.{name}')})" for i, name in enumerate(MEMBER_BOOLS))
    present = "(m.died_on IS NULL OR m.died_on > %s) AND (m.left_on IS NULL OR m.left_on > %s) AND m.birth_date <= %s"
    m_rows = _fetch(
        f"SELECT m.household_id, {_days_since_1900('m.birth_date')}, {codes}, {flags}, m.id FROM households_member m "
        f"JOIN households_household h ON h.id = m.household_id WHERE {where} AND {span('m')} AND {present} "
        f"ORDER BY m.household_id, m.id", [*params, *[_date_param(on)] * 3], 5)
    hh_index = np.searchsorted(ids, m_rows[:, 0])
    packed, bits = m_rows[:, 2], m_rows[:, 3]
    members = Members(
        hh=hh_index, age_months=_age_months(m_rows[:, 1], on), female=(packed & 1) == 1,
        employment=(packed >> 1) & 7, disability=(packed >> 4) & 3, schooling=((packed >> 6) & 7) - 1,
        education=(packed >> 9) & 7,
        bools={name: (bits >> i) & 1 == 1 for i, name in enumerate(MEMBER_BOOLS)}, ids=m_rows[:, 4],
    )
    size = np.bincount(hh_index, minlength=n).astype(np.int64)
    # Six integer columns per household's conditions, packed by the database; this year's rows
    # first, then, only for households not surveyed this year, their latest earlier year.
    kinds = " + ".join([_case("c.housing", HOUSING_CODES),
                        f"8 * ({_case('c.water_source', {str(v): 1 for v in SAFE_WATER})})",
                        f"16 * ({_case('c.latrine', {str(v): 1 for v in HYGIENIC_LATRINES})})"])
    cbits = " + ".join(f"{1 << i} * ({_bool(f'c.{b}')})" for i, b in enumerate(CONDITION_BOOLS))
    select = (f"SELECT c.household_id, {kinds}, CAST(c.floor_area * 10 AS integer), "
              f"COALESCE(CAST(c.income_per_capita AS bigint), -1), {cbits}, c.id "
              f"FROM households_livingconditions c JOIN households_household h ON h.id = c.household_id "
              f"WHERE {where} AND {span('c')}")
    current = _fetch(f"{select} AND c.year = %s", [*params, year], 6)
    earlier = _fetch(
        f"{select} AND c.year < %s AND NOT EXISTS (SELECT 1 FROM households_livingconditions c2 "
        f"WHERE c2.household_id = c.household_id AND c2.year = %s) ORDER BY c.household_id, c.year",
        [*params, year, year], 6)
    if len(earlier):  # keep the latest earlier year of each household
        earlier = earlier[np.append(earlier[1:, 0] != earlier[:-1, 0], True)]
    c_rows = np.concatenate([current, earlier])
    rows = np.searchsorted(ids, c_rows[:, 0])
    has = np.zeros(n, dtype=bool)
    has[rows] = True

    def column(values: IntArray, fill: int) -> IntArray:
        out = np.full(n, fill, dtype=np.int64)
        out[rows] = values
        return out

    packed_kinds, packed_bits = c_rows[:, 1], c_rows[:, 4]
    income = column(c_rows[:, 3], -1).astype(np.float64)
    income[(income < 0) | ~has] = np.nan
    cond_bools = {name: column((packed_bits >> i) & 1, 0) == 1 for i, name in enumerate(CONDITION_BOOLS)}
    households = Households(
        ids=ids, urban=hh_rows[:, 3] == 1, size=size, income=income, has_conditions=has,
        housing=column(packed_kinds & 7, 0), floor_area=column(c_rows[:, 2], 0) / 10.0,
        water_safe=column((packed_kinds >> 3) & 1, 1) == 1, latrine_hygienic=column((packed_kinds >> 4) & 1, 1) == 1,
        bools=cond_bools,
    )
    latest = dict(zip(c_rows[:, -1].tolist(), rows.tolist(), strict=True))
    households.b1, households.b2 = _json_answers(f"{where} AND {span('c')}", params, year, latest, n, estimated=np.isnan(income))
    households.region = [region] * n
    loaded = Loaded(households=households, members=members, commune=hh_rows[:, 1], hamlet=hh_rows[:, 2],
                    ethnicity=[f"{code:02d}" for code in hh_rows[:, 4].tolist()])
    if with_names:
        from ansinh.households.models import Member

        names = dict(Member.objects.filter(pk__in=members.ids.tolist()).values_list("pk", "full_name"))
        members.names = [names.get(pk, "") for pk in members.ids.tolist()]
    return loaded


def _json_answers(where: str, params: list[Any], year: int, latest: dict[int, int], n: int, *,
                  estimated: BoolArray) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Form B1 answers (only where income must be estimated) and form B2 answers, where recorded.

    `latest` maps the id of each household's latest living-conditions row to the household's row.
    """
    b1: list[dict[str, Any]] = [{} for _ in range(n)]
    b2: list[dict[str, Any]] = [{} for _ in range(n)]
    if not latest:
        return b1, b2
    empty = "'{}'::jsonb" if connection.vendor == "postgresql" else "'{}'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.b1_answers, c.b2_flags FROM households_livingconditions c JOIN households_household h "
            f"ON h.id = c.household_id WHERE {where} AND c.year <= %s "
            f"AND (c.b1_answers <> {empty} OR c.b2_flags <> {empty})", [*params, year])
        for pk, answers, flags in cursor.fetchall():
            row = latest.get(pk)
            if row is None:
                continue
            answers = json.loads(answers) if isinstance(answers, str) else answers
            flags = json.loads(flags) if isinstance(flags, str) else flags
            if estimated[row]:
                b1[row] = answers or {}
            b2[row] = flags or {}
    return b1, b2


def region_of(province_code: str) -> str:
    return PROVINCE_REGION.get(province_code, "")
