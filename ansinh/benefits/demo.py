"""People served in the demo province: martyrs, entitlements, dossiers and a few recorded deaths.

Called at the end of `ansinh demo generate` (`ansinh.households.demo.generate`, same
transaction), after the households are written, so that the demo province's officers find
realistic beneficiaries. Everything is drawn from the register as it was just written:

- **Who.** Each category takes people whose recorded facts fit it (Decree 20/2021/NĐ-CP Art. 5;
  Law 41/2024/QH15 Art. 21; Ordinance 02/2020/UBTVQH14 Art. 3): severe and especially severe
  disabilities (`Member.disability`); children under 16 of a poor or near-poor household with no
  parent living in it (5(1)), turned 16 and still studying (5(2)); a head with no spouse raising
  children under 16 in a poor or near-poor household (5(4)); people of 60 or more in a poor
  household with no one of working age (5(5)a, a few cared for in the community, 5(5)d); people
  of 80 with no pension (5(5)c) and of 75–80 in poor or near-poor households of communes with
  many ethnic-minority households (5(5)b) until 30 Jun 2025, moved to the social pension from 1
  Jul 2025 (Law 41/2024 Art. 139(3)); the social pension for people of 75 with no pension, or of
  70–75 in a poor or near-poor household; children under 3 of poor or near-poor households in
  those communes (5(7)). People with meritorious service are veterans born before 1961 (war
  invalids with rates 21–100 %, grade B, sick soldiers 41–100 %, toxic-chemical victims, former
  prisoners, helpers, a Hero; resistance fighters have no monthly allowance in the law's tables
  and early revolutionaries would be over 95, so neither is generated), widows and parents of
  martyrs (1–3 martyrs, the martyrs' own records in the relative's commune, and martyrs whose
  relatives no longer receive), a few Heroic Mothers, and the disabled children of
  toxic-chemical victims.
- **Poverty.** The poverty rounds are made later (`ansinh demo rounds`), so "poor or near-poor"
  here is the generator's own signal: the household's income per person of the review year at or
  under the poverty line of the standard in force (Decree 07/2021/NĐ-CP: the income criterion
  is common to poor and near-poor households); "poor" adds a visible deprivation (a less durable
  or simple house, unsafe water or an unhygienic latrine). Households whose income was estimated
  (form B1) count as not poor. The rounds may classify a few households otherwise: the lists of
  `ansinh.benefits.checks` then show them, as they would in a real province.
- **Priced.** Every row is priced by the law's tables (`ansinh.benefits.law.RuleBook`) in its first and its
  last month paid, or left out; a few disabled elderly people are also granted 5(5)a, an
  oversight the paid-but-ineligible list shows (only the higher is paid, Art. 6(2)).
- **Flags.** `Member.social_allowance` (monthly social assistance or the social pension),
  `Member.meritorious` and `Member.health_insurance` (state-paid card, Decree 20 Art. 9; Law on
  Health Insurance Art. 12) are set for everyone who is given an entitlement; everyone the
  generator already flagged is given one (the generator flags people of 80 with no pension and
  most people with severe disabilities; veterans of 65 and over).
- **When.** Start months from Jul 2021 (the law's tables begin then; people already paid before
  were re-decided when Decree 20 and Ordinance 02 came into force) to the demo's present,
  `present(year)` (30 Nov of the year after the review year, never after today); decisions with
  a number, a date and the signer of the time (the district chairman before Jul 2025, the
  commune chairman after; the provincial Department of Labour, then of Home Affairs from Mar
  2025, for merit); meritorious recognitions decided months after the medical council (arrears).
  Stops: children turning 16 (or 3) stop that month, the elderly allowances of 5(5)b/c on 1 Jul
  2025 (replaced by the social pension).
- **Dossiers.** Every entitlement decided in the present year has its decided dossier and steps;
  applications under way (received, checked; some past their deadline), refused ones with the
  reason and the article; deadlines in working days (`services.deadline_for`, `ansinh.workdays`).
- **Deaths and moves.** A few beneficiaries die in the present year and a few move to another
  commune, through the register's and the registry's own services (`member_died` with its hook,
  which stops the entitlements and proposes the death benefits; the move dossier), so that they
  are exactly what an officer's actions would leave; some proposals are confirmed, one dismissed.
  Their number is fixed (`DEATHS`, `MOVES`), so the work does not grow with the province.

Set-based: one read of the register (members that can be beneficiaries only), NumPy for the
choices, `ansinh.lib.bulk.insert_rows` for martyrs, entitlements, their links, dossiers and
steps, and three UPDATE statements for the flags; a constant number of queries otherwise.
Deterministic: one random stream of purpose `PURPOSE` per step, seeded like the generator's.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Succession, Unit
from ansinh.households.models import Household, LivingConditions, Member
from ansinh.lib.bulk import insert_rows, next_ids
from ansinh.lib.vietnamese import fold, format_number, sort_key

from .models import (
    Category,
    Dossier,
    DossierKind,
    DossierStatus,
    DossierStep,
    Entitlement,
    Martyr,
    Proposal,
    ProposalStatus,
    Scheme,
    StopReason,
)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

PURPOSE = 11  # the households generator uses streams 1 and 2: this one leaves them untouched
DEATHS = 12  # beneficiaries whose death is recorded through the register's service
MOVES = 3  # beneficiaries who move to another commune, with their move dossier
# Dossiers are kept in the system for the decisions of the present year (`system_from`): the
# registry of earlier years holds the decisions only, as when a province starts using it.


def system_from(now: dt.date) -> dt.date:
    return dt.date(now.year, 1, 1)

SHARES = {
    # Take-up among the eligible who were not flagged by the generator (the rest apply later:
    # they are the "eligible but unpaid" of the checks).
    "sp_75": 0.62, "sp_70_poor": 0.45, "orphan": 0.45, "single_parent": 0.5, "elderly_poor": 0.6,
    "child_under_3": 0.7, "elderly_75_minority": 0.7,
    # People with meritorious service or their relatives, of all people.
    "merit": 0.0125,
}
# Meritorious categories of veterans and their weights (national figures of the Ministry,
# rounded: invalids are the largest group, then toxic-chemical victims and martyrs' relatives).
# Resistance fighters (merit_resistance) have no monthly allowance (a one-off, Appendix IV), so
# none are generated; early revolutionaries would be over 95 and are left out.
VETERANS = {"merit_war_invalid": 0.42, "merit_war_invalid_b": 0.03, "merit_sick_soldier": 0.12,
            "merit_toxic_chemical": 0.27, "merit_former_prisoner": 0.14, "merit_helper": 0.02}
MARTYR_RELATIVE_SHARE = 0.22  # of the merit target: widows and parents of martyrs
TOXIC_CHILD_SHARE = 0.04  # of the merit target: disabled children of toxic-chemical victims
SA_CODES = ("sa_orphan", "sa_orphan_student", "sa_single_parent", "sa_elderly_poor_alone", "sa_elderly_75",
            "sa_elderly_80", "sa_elderly_community_care", "sa_disability_especially_severe", "sa_disability_severe",
            "sa_child_under_3")
MERIT_CODES = ("merit_martyr_relative", "merit_heroic_mother", "merit_hero", "merit_toxic_chemical_child",
               *VETERANS)
CODES = (*SA_CODES, "social_pension", *MERIT_CODES)

HEAD, SPOUSE, CHILD, PARENT, GRANDCHILD, GRANDPARENT, SIBLING, OTHER = (
    "head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other")
DISABILITY = {"none": 0, "mild": 1, "severe": 2, "especially_severe": 3}


@dataclass(frozen=True)
class Made:
    """What `generate` wrote."""

    present: dt.date
    people: int
    paid: dict[str, int]  # scheme -> people with an entitlement open in the present month
    entitlements: int
    martyrs: int
    dossiers: int
    proposals: int
    deaths: int
    moves: int
    seconds: float
    skipped: str = ""  # why nothing was made (no categories in the database)


# --- Months ---------------------------------------------------------------------------------


def _mi(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


M_LAW = _mi(dt.date(2021, 7, 1))  # Decree 20/2021 and Ordinance 02/2020 in force
M_PENSION = _mi(dt.date(2025, 7, 1))  # Law 41/2024 in force: the social pension
M_DEPT = _mi(dt.date(2025, 3, 1))  # Departments of Labour merged into Home Affairs


def present(year: int) -> dt.date:
    """The demo's present: 30 Nov of the year after the review year (the review of `year` is
    decided in December), never after today (decisions and deaths cannot be in the future)."""
    return min(dt.date(year + 1, 11, 30), timezone.localdate())


def _stream(seed: int, province_code: str, step: int) -> np.random.Generator:
    return np.random.default_rng([seed, int(province_code), PURPOSE, step])


# --- The register as the generator left it -------------------------------------------------


@dataclass
class _Register:
    """Members who can be beneficiaries (NumPy arrays, in id order) and their households."""

    member_id: IntArray
    household: IntArray  # index into the household arrays
    birth: npt.NDArray[np.datetime64]
    by: IntArray  # year, month of birth
    bm: IntArray
    age: IntArray  # whole years at the end of the present month
    female: BoolArray
    relation: npt.NDArray[np.str_]
    disability: IntArray
    pension: BoolArray
    allowance: BoolArray  # Member.social_allowance as generated
    meritorious: BoolArray
    studying: BoolArray
    # Households (index = position in these arrays).
    household_id: IntArray
    commune: IntArray  # index into `communes`
    size: IntArray  # members alive and present
    poor_or_near: BoolArray
    poor: BoolArray
    communes: list[tuple[int, str, str]]  # (id, code, name)
    minority_commune: BoolArray  # per commune: many ethnic-minority households (≥ 25 %)
    people: int

    def reach(self, age: int | IntArray) -> IntArray:
        """The month index in which each member reaches `age` (the engine counts the age on the
        last day of the month)."""
        return (self.by + age) * 12 + self.bm - 1


def _communes(province: Unit) -> list[tuple[int, str, str]]:
    return list(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=province.path)
                .order_by("code").values_list("id", "code", "name"))


def _lines(year: int) -> tuple[float, float]:
    from ansinh.poverty.models import PovertyStandard

    try:
        standard = PovertyStandard.in_force_on(dt.date(year, 12, 14))
    except PovertyStandard.DoesNotExist:
        return (1_500_000.0, 2_000_000.0)
    return (float(standard.poverty_line_rural), float(standard.poverty_line_urban))


def _read(province: Unit, *, year: int, now: dt.date, people: int | None = None) -> _Register:
    """Two or three queries: the share of ethnic-minority households per commune; the members who
    can be beneficiaries (aged 60 or more, severely disabled, flagged, or of a poor or near-poor
    household) with their household's commune, poverty signal and size, in one pass over the
    members; the number of people, unless the caller knows it."""
    communes = _communes(province)
    commune_index = {pk: i for i, (pk, _code, _name) in enumerate(communes)}
    q = connection.ops.quote_name
    h, m, lc = Household._meta.db_table, Member._meta.db_table, LivingConditions._meta.db_table
    rural, urban = _lines(year)
    in_province = f"h.commune_id IN (SELECT id FROM {q(Unit._meta.db_table)} WHERE path LIKE %s)"
    like = province.path + "%"
    alive = "m.died_on IS NULL AND m.left_on IS NULL"
    line = "(CASE WHEN h.area = 'urban' THEN %s ELSE %s END)"
    # Poor or near-poor: income at or under the line (Decree 07/2021/NĐ-CP); poor: and a visible deprivation.
    poverty = (f"(CASE WHEN c.income_per_capita IS NOT NULL AND c.income_per_capita <= {line} THEN (CASE WHEN "
               f"c.housing IN ('less_durable', 'simple') OR c.water_source IN ('unprotected', 'surface') OR "
               f"c.latrine IN ('unhygienic', 'none') THEN 2 ELSE 1 END) ELSE 0 END)")
    born60 = dt.date(now.year - 60, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT h.commune_id, SUM(CASE WHEN h.head_ethnicity <> '01' THEN 1 ELSE 0 END), COUNT(*) "
                       f"FROM {q(h)} h WHERE {in_province} GROUP BY h.commune_id", [like])
        minority = np.zeros(len(communes))
        for commune_id, minorities, total in cursor.fetchall():
            minority[commune_index[commune_id]] = float(minorities) / max(int(total), 1)
        cursor.execute(
            f"SELECT m.id, m.household_id, m.birth_date, m.sex, m.relation, m.disability, m.pension, "
            f"m.social_allowance, m.meritorious, m.schooling, h.commune_id, {poverty}, "
            f"(SELECT COUNT(*) FROM {q(m)} s WHERE s.household_id = m.household_id AND s.died_on IS NULL "
            f"AND s.left_on IS NULL) "
            f"FROM {q(m)} m JOIN {q(h)} h ON h.id = m.household_id "
            f"LEFT JOIN {q(lc)} c ON c.household_id = h.id AND c.year = %s "
            f"WHERE {alive} AND {in_province} AND (m.birth_date <= %s OR m.disability IN ('severe', "
            f"'especially_severe') OR m.social_allowance OR m.meritorious OR c.income_per_capita <= {line})",
            [urban, rural, year, like, born60, urban, rural])
        # Read in chunks turned into arrays at once: a province of a million households has about
        # 900,000 such members, and a list of tuples of them all would take hundreds of megabytes.
        chunks: list[dict[str, Any]] = []
        while rows := cursor.fetchmany(100_000):
            chunks.append(_member_columns(rows, commune_index))
        if people is None:
            cursor.execute(f"SELECT COUNT(*) FROM {q(m)} m JOIN {q(h)} h ON h.id = m.household_id "
                           f"WHERE {alive} AND {in_province}", [like])
            people = int(cursor.fetchone()[0])

    empty = _member_columns([], commune_index)
    col = {key: np.concatenate([chunk[key] for chunk in chunks] or [empty[key]]) for key in empty}
    order = np.argsort(col["id"], kind="stable")  # member order, whatever order the database chose
    col = {key: values[order] for key, values in col.items()}
    n = len(col["id"])
    hh_ids, first, household = np.unique(col["household"], return_index=True, return_inverse=True)
    birth = col["birth"]
    by = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    bm = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    bd = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    end = _month(_mi(now) + 1) - dt.timedelta(days=1)
    age = end.year - by - ((bm > end.month) | ((bm == end.month) & (bd > end.day))).astype(np.int64)
    poverty_code = col["poverty"][first]
    return _Register(
        member_id=col["id"], household=household.reshape(n).astype(np.int64), birth=birth, by=by, bm=bm, age=age,
        female=col["female"], relation=col["relation"], disability=col["disability"], pension=col["pension"],
        allowance=col["allowance"], meritorious=col["meritorious"], studying=col["studying"],
        household_id=hh_ids.astype(np.int64), commune=col["commune"][first], size=col["size"][first],
        poor_or_near=poverty_code >= 1, poor=poverty_code == 2, communes=communes,
        minority_commune=minority >= 0.25, people=people,
    )


def _member_columns(rows: Sequence[Sequence[Any]], commune_index: dict[int, int]) -> dict[str, Any]:
    """The columns of a chunk of `_read`'s member rows, as arrays."""
    n = len(rows)
    return {
        "id": np.array([row[0] for row in rows], dtype=np.int64),
        "household": np.array([row[1] for row in rows], dtype=np.int64),
        "birth": np.array([row[2] for row in rows], dtype="datetime64[D]").reshape(n),
        "female": np.array([row[3] == "female" for row in rows], dtype=bool),
        "relation": np.array([row[4] for row in rows], dtype="U12").reshape(n),
        "disability": np.array([DISABILITY.get(row[5], 0) for row in rows], dtype=np.int64),
        "pension": np.array([bool(row[6]) for row in rows], dtype=bool),
        "allowance": np.array([bool(row[7]) for row in rows], dtype=bool),
        "meritorious": np.array([bool(row[8]) for row in rows], dtype=bool),
        "studying": np.array([row[9] not in ("none", "preschool") for row in rows], dtype=bool),
        "commune": np.array([commune_index[row[10]] for row in rows], dtype=np.int64),
        "poverty": np.array([int(row[11]) for row in rows], dtype=np.int64),
        "size": np.array([int(row[12]) for row in rows], dtype=np.int64),
    }


def _household_members(household_ids: list[int]) -> list[tuple[int, int, dt.date, str]]:
    """(id, household id, birth date, disability) of the members present in these households
    (the carers of the especially severely disabled: a few thousand households in a province of
    a million), in one query."""
    return list(Member.objects.present().filter(household_id__in=household_ids).order_by("pk")
                .values_list("pk", "household_id", "birth_date", "disability"))


# --- The plan: entitlements as arrays --------------------------------------------------------


@dataclass
class _Rows:
    """Entitlements planned, one list entry per call of `add` (concatenated at the end)."""

    parts: list[dict[str, Any]] = field(default_factory=list)

    def add(self, code: str, who: IntArray, start: IntArray, *, stop: IntArray | None = None, reason: str = "",
            decided: npt.NDArray[np.datetime64] | None = None, recognised: npt.NDArray[np.datetime64] | None = None,
            rate: IntArray | None = None, martyrs: IntArray | None = None, children: IntArray | None = None,
            severe: BoolArray | None = None, alone: BoolArray | None = None, carer: IntArray | None = None,
            carer_name: Sequence[str] | None = None, batch: BoolArray | None = None) -> None:
        k = len(who)
        if not k:
            return

        def ints(values: IntArray | None) -> IntArray:
            return np.full(k, -1, dtype=np.int64) if values is None else values.astype(np.int64)

        def flags(values: BoolArray | None) -> BoolArray:
            return np.zeros(k, dtype=bool) if values is None else values.astype(bool)

        self.parts.append({
            "code": np.full(k, code, dtype=object), "who": who.astype(np.int64), "start": start.astype(np.int64),
            "stop": ints(stop), "reason": np.full(k, reason, dtype=object),
            "decided": decided if decided is not None else np.full(k, np.datetime64("NaT", "D")),
            "recognised": recognised if recognised is not None else np.full(k, np.datetime64("NaT", "D")),
            "rate": ints(rate), "martyrs": ints(martyrs), "children": ints(children), "severe": flags(severe),
            "alone": flags(alone), "carer": ints(carer),
            "carer_name": np.array(list(carer_name), dtype=object) if carer_name is not None else np.full(k, "", dtype=object),
            "batch": flags(batch),
        })

    def columns(self) -> dict[str, Any]:
        if not self.parts:
            return {}
        return {key: np.concatenate([part[key] for part in self.parts]) for key in self.parts[0]}


def _days(month_index: IntArray) -> npt.NDArray[np.datetime64]:
    """The first day of each month index, as datetime64[D]."""
    years = month_index // 12
    months = month_index % 12
    return ((years - 1970) * 12 + months).astype("datetime64[M]").astype("datetime64[D]")


def _within(rng: np.random.Generator, month_index: IntArray, *, last: int = 24) -> npt.NDArray[np.datetime64]:
    """A working-ish day in each month (the 1st to the `last`th)."""
    return _days(month_index) + rng.integers(0, last, len(month_index)).astype("timedelta64[D]")


def _uniform_month(rng: np.random.Generator, low: IntArray, high: int) -> IntArray:
    """A month between low and high (inclusive), low clipped to high."""
    low = np.minimum(low, high)
    return low + np.floor(rng.random(len(low)) * (high - low + 1)).astype(np.int64)


class _Planner:
    """Chooses the beneficiaries category by category; `taken` keeps people from getting two
    social-assistance categories at once (the decision gives only the highest, Art. 6(2))."""

    def __init__(self, reg: _Register, *, seed: int, province_code: str, now: dt.date) -> None:
        self.r = reg
        self.seed, self.code = seed, province_code
        self.now = _mi(now)
        self.today = np.datetime64(now)
        self.rows = _Rows()
        n = len(reg.member_id)
        self.sa = np.zeros(n, dtype=bool)  # holds a social-assistance category now (or until replaced)
        self.merit = np.zeros(n, dtype=bool)
        self.sp = np.zeros(n, dtype=bool)
        self._youngest: dict[int, int] | None = None
        self.replaced: set[int] = set()

    def rng(self, step: int) -> np.random.Generator:
        return _stream(self.seed, self.code, step)

    def _start(self, rng: np.random.Generator, earliest: IntArray, *, transitional: float) -> IntArray:
        """Start months: people already eligible in Jul 2021 were re-decided then (with the
        probability `transitional`), the others from a month after they became eligible."""
        already = (earliest <= M_LAW) & (rng.random(len(earliest)) < transitional)
        later = _uniform_month(rng, np.maximum(earliest, M_LAW + 1), self.now)
        return np.where(already, M_LAW, later)

    def _decided(self, rng: np.random.Generator, start: IntArray) -> npt.NDArray[np.datetime64]:
        """Social assistance and the social pension start from the month of the decision (Art.
        8(1)đ): a day of the start month, never after the present."""
        days = _within(rng, start)
        return np.minimum(days, self.today)

    # -- social assistance ---------------------------------------------------------------

    def disability(self) -> None:
        r, rng = self.r, self.rng(20)
        who = np.flatnonzero((r.disability >= 2) & r.allowance & ~self.sa)
        birth_month = r.reach(0)[who] + 1
        start = self._start(rng, birth_month, transitional=0.55)
        for level, code in ((3, "sa_disability_especially_severe"), (2, "sa_disability_severe")):
            sel = r.disability[who] == level
            people = who[sel]
            carer = self._carers(people, rng) if level == 3 else None
            self.rows.add(code, people, start[sel], decided=self._decided(rng, start[sel]), carer=carer)
        self.sa[who] = True

    def _carers(self, people: IntArray, rng: np.random.Generator) -> IntArray:
        """A household member of working age caring for an especially severely disabled person
        (Decree 20 Art. 20), for about two in three of them: the eldest member of 18–69 without a
        severe disability (read for these households only)."""
        r = self.r
        households = sorted({int(r.household_id[r.household[p]]) for p in people.tolist()})
        end = _month(self.now + 1) - dt.timedelta(days=1)
        best: dict[int, tuple[int, int]] = {}
        for pk, household, born, disability in _household_members(households):
            age = end.year - born.year - ((end.month, end.day) < (born.month, born.day))
            if 18 <= age < 70 and DISABILITY.get(disability, 0) <= 1:
                if household not in best or age > best[household][1]:
                    best[household] = (pk, age)
        out = np.full(len(people), -1, dtype=np.int64)
        draws = rng.random(len(people))
        for i, person in enumerate(people.tolist()):
            found = best.get(int(r.household_id[r.household[person]]))
            if found is not None and found[0] != int(r.member_id[person]) and draws[i] < 0.67:
                out[i] = found[0]
        return out

    def children(self) -> None:
        """5(1) and 5(2): children with no parent in a poor or near-poor household; 5(7) under 3."""
        r, rng = self.r, self.rng(21)
        hh = r.household
        parent_here = np.zeros(len(r.household_id), dtype=bool)
        adult_child = ((r.relation == CHILD) | (r.relation == OTHER) | (r.relation == SPOUSE)) & (r.age >= 18) & (r.age < 60)
        parent_here[hh[adult_child]] = True
        head_young = (r.relation == HEAD) & (r.age < 60)
        parent_here[hh[head_young]] = True
        orphan = (((r.relation == GRANDCHILD) | (r.relation == CHILD)) & (r.age < 21) & r.poor_or_near[hh]
                  & ~parent_here[hh] & ~self.sa & (rng.random(len(hh)) < SHARES["orphan"]))
        who = np.flatnonzero(orphan)
        turned16 = r.reach(16)[who]
        start = self._start(rng, r.reach(0)[who] + 2, transitional=0.5)
        keep = start < turned16  # a child of 16 or more in Jul 2021 was never a 5(1) child here
        who, start, turned16 = who[keep], start[keep], turned16[keep]
        stop = np.where(turned16 <= self.now, turned16, -1)
        self.rows.add("sa_orphan", who, start, stop=stop, reason=StopReason.NOT_ELIGIBLE,
                      decided=self._decided(rng, start))
        # Turned 16 and still studying: 5(2) from that month, until 22.
        student = (stop >= 0) & r.studying[who] & (r.age[who] < 22)
        sw = who[student]
        self.rows.add("sa_orphan_student", sw, turned16[student], decided=self._decided(rng, turned16[student]))
        self.sa[who[(stop < 0) | student]] = True

        # 5(7): under 3, poor or near-poor, in a commune with many ethnic-minority households.
        little = ((r.age < 4) & r.poor_or_near[hh] & r.minority_commune[r.commune[hh]] & ~self.sa
                  & (rng.random(len(hh)) < SHARES["child_under_3"]))
        who = np.flatnonzero(little)
        start = np.maximum(r.reach(0)[who] + 1 + rng.integers(0, 4, len(who)), M_LAW)
        turned3 = r.reach(3)[who]
        keep = start < np.minimum(turned3, self.now + 1)
        who, start, turned3 = who[keep], start[keep], turned3[keep]
        stop = np.where(turned3 <= self.now, turned3, -1)
        self.rows.add("sa_child_under_3", who, start, stop=stop, reason=StopReason.NOT_ELIGIBLE,
                      decided=self._decided(rng, start))
        self.sa[who[stop < 0]] = True

    def single_parents(self) -> None:
        """5(4): a head with no spouse in the household raising children under 16, poor or near-poor."""
        r, rng = self.r, self.rng(22)
        hh = r.household
        spouse = np.zeros(len(r.household_id), dtype=bool)
        spouse[hh[r.relation == SPOUSE]] = True
        kids = np.bincount(hh[(r.relation == CHILD) & (r.age < 16)], minlength=len(r.household_id))
        candidate = ((r.relation == HEAD) & (r.age >= 18) & (r.age < 60) & ~spouse[hh] & (kids[hh] > 0)
                     & r.poor_or_near[hh] & ~self.sa & (rng.random(len(hh)) < SHARES["single_parent"]))
        who = np.flatnonzero(candidate)
        start = self._start(rng, np.full(len(who), M_LAW, dtype=np.int64), transitional=0.3)
        self.rows.add("sa_single_parent", who, start, children=kids[hh[who]], decided=self._decided(rng, start))
        self.sa[who] = True

    def elderly(self) -> None:
        """5(5)a (poor, no one of working age at home), a few 5(5)d (cared for in the community),
        then 5(5)c (80, no pension) and 5(5)b (75, poor or near-poor, minority commune) until the
        social pension replaced them on 1 Jul 2025."""
        r, rng = self.r, self.rng(23)
        hh = r.household
        working_age = np.zeros(len(r.household_id), dtype=bool)
        working_age[hh[(r.age >= 16) & (r.age < 60)]] = True
        poor_alone = ((r.age >= 60) & r.poor[hh] & ~working_age[hh] & ~self.sa
                      & (r.allowance | (rng.random(len(hh)) < SHARES["elderly_poor"])))
        who = np.flatnonzero(poor_alone)
        community = (r.age[who] >= 80) & (r.size[hh[who]] == 1) & (rng.random(len(who)) < 0.15)
        start = self._start(rng, r.reach(60)[who], transitional=0.6)
        names = _carer_names(rng, int(community.sum()))
        self.rows.add("sa_elderly_community_care", who[community], start[community],
                      decided=self._decided(rng, start[community]), carer_name=names)
        rest = who[~community]
        self.rows.add("sa_elderly_poor_alone", rest, start[~community], decided=self._decided(rng, start[~community]),
                      alone=r.size[hh[rest]] == 1)
        # An oversight an officer must correct: a few disabled people already paid under 5(6)
        # were also granted 5(5)a; only the higher is paid (Art. 6(2)) and the checks list them.
        twice = np.flatnonzero((r.age >= 60) & r.poor[hh] & ~working_age[hh] & self.sa & (r.disability >= 2)
                               & (rng.random(len(hh)) < 0.25))
        start = _uniform_month(rng, np.full(len(twice), M_PENSION, dtype=np.int64), self.now)
        self.rows.add("sa_elderly_poor_alone", twice, start, decided=self._decided(rng, start),
                      alone=r.size[hh[twice]] == 1)
        self.sa[who] = True

        # 5(5)c: 80 with no pension, from the month of 80 (Art. 8(1)đ), until Jun 2025.
        reach80 = r.reach(80)
        old = np.flatnonzero(~self.sa & ~r.pension & (reach80 < M_PENSION) & (r.allowance | (rng.random(len(hh)) < 0.9)))
        start = np.maximum(reach80[old], M_LAW)
        late = (start > M_LAW) & (rng.random(len(old)) < 0.3)  # some applied a few months after their birthday
        start = np.where(late, np.minimum(start + rng.integers(1, 4, len(old)), M_PENSION - 1), start)
        self.rows.add("sa_elderly_80", old, start, stop=np.full(len(old), M_PENSION), reason=StopReason.REPLACED,
                      decided=self._decided(rng, start))
        self.replaced = set(old.tolist())
        # 5(5)b: 75 to 80, poor or near-poor, in a commune with many ethnic-minority households.
        reach75 = r.reach(75)
        b = np.flatnonzero(~self.sa & ~r.pension & (reach75 < M_PENSION) & (reach80 >= M_PENSION)
                           & r.poor_or_near[hh] & r.minority_commune[r.commune[hh]]
                           & (rng.random(len(hh)) < SHARES["elderly_75_minority"]))
        start = np.maximum(reach75[b], M_LAW)
        self.rows.add("sa_elderly_75", b, start, stop=np.full(len(b), M_PENSION), reason=StopReason.REPLACED,
                      decided=self._decided(rng, start))
        self.replaced |= set(b.tolist())

    # -- social pension ------------------------------------------------------------------

    def social_pension(self) -> None:
        """Law 41/2024 Art. 21: 75 with no pension, or 70–75 in a poor or near-poor household;
        those paid under 5(5)b/c moved over in Jul 2025 (one decision per commune); the others
        apply when they reach the age. Someone paid more under social assistance keeps it (Art. 22)."""
        r, rng = self.r, self.rng(30)
        hh = r.household
        reach75, reach70 = r.reach(75), r.reach(70)
        eligible_from = np.where(r.poor_or_near[hh], reach70, reach75)
        moved = np.zeros(len(hh), dtype=bool)
        moved[list(self.replaced)] = True
        draw = rng.random(len(hh))
        take = np.where(r.poor_or_near[hh] & (r.age < 75), SHARES["sp_70_poor"], SHARES["sp_75"])
        chosen = (~r.pension & ~self.sa & (eligible_from <= self.now)
                  & (moved | (r.allowance & (r.age >= 75)) | (draw < take)))
        who = np.flatnonzero(chosen)
        first = np.maximum(eligible_from[who], M_PENSION)
        lag = rng.choice([0, 0, 1, 1, 2, 3, 5], size=len(who))
        start = np.where(moved[who], M_PENSION, np.minimum(first + lag, self.now))
        batch = moved[who]
        decided = np.where(batch, np.datetime64("2025-07-01") + rng.integers(0, 8, len(who)).astype("timedelta64[D]"),
                           self._decided(rng, start))
        self.rows.add("social_pension", who, start, decided=decided, batch=batch)
        self.sp[who] = True

    # -- people with meritorious service -------------------------------------------------

    def meritorious(self) -> None:
        """Veterans, martyrs' relatives (their martyrs are written with them), Heroic Mothers,
        Heroes and the disabled children of toxic-chemical victims, about `SHARES["merit"]` of
        all people."""
        r, rng = self.r, self.rng(40)
        target = int(round(SHARES["merit"] * r.people))
        hh = r.household
        chosen = np.zeros(len(hh), dtype=bool)

        # Disabled children of toxic-chemical victims: 20–55, severe or especially severe, not on social assistance.
        pool = np.flatnonzero((r.disability >= 2) & (r.age >= 20) & (r.age <= 55) & ~self.sa & ~self.sp)
        k = min(len(pool), int(round(TOXIC_CHILD_SHARE * target)))
        pick = rng.choice(pool, size=k, replace=False) if k else pool[:0]
        child_rate = np.where(r.disability[pick] == 3, rng.integers(81, 101, k), rng.integers(61, 81, k))
        self._merit_rows("merit_toxic_chemical_child", pick, rng, rate=child_rate, old=0.7)
        chosen[pick] = True

        # A few Heroic Mothers (88 or more) and Heroes (men of 75 or more).
        mothers = np.flatnonzero(r.female & (r.age >= 88) & ~chosen)
        k = min(len(mothers), max(1, int(round(target * 0.003))))
        mothers = rng.choice(mothers, size=k, replace=False) if k else mothers[:0]
        counts = rng.choice([2, 2, 3, 3, 4], size=len(mothers))
        self._merit_rows("merit_heroic_mother", mothers, rng, martyrs=counts, old=1.0,
                         carer=self._family_carer(mothers, rng))
        chosen[mothers] = True
        heroes = np.flatnonzero(~r.female & (r.age >= 75) & ~chosen)
        k = min(len(heroes), int(round(target * 0.002)))
        heroes = rng.choice(heroes, size=k, replace=False) if k else heroes[:0]
        self._merit_rows("merit_hero", heroes, rng, old=1.0)
        chosen[heroes] = True

        # Martyrs' relatives: widows of 65 or more, and a few parents of 88 or more.
        widows = np.flatnonzero(r.female & (r.age >= 65) & ((r.relation == HEAD) | (r.relation == PARENT)) & ~chosen
                                & ((r.relation == PARENT) | (np.bincount(hh[r.relation == SPOUSE],
                                                                          minlength=len(r.household_id))[hh] == 0)))
        flagged = widows[r.meritorious[widows]]
        others = widows[~r.meritorious[widows]]
        k = max(0, int(round(MARTYR_RELATIVE_SHARE * target)) - len(flagged))
        extra = rng.choice(others, size=min(k, len(others)), replace=False) if len(others) else others
        relatives = np.sort(np.concatenate([flagged, extra]))
        counts = rng.choice([1, 2, 3], size=len(relatives), p=[0.92, 0.06, 0.02])
        self._merit_rows("merit_martyr_relative", relatives, rng, martyrs=counts, old=0.85,
                         alone=r.size[hh[relatives]] == 1)
        chosen[relatives] = True

        # Veterans: everyone the generator flagged, then others born before 1961 up to the target.
        veterans_pool = (r.age >= 65) & ~chosen
        flagged = np.flatnonzero(veterans_pool & r.meritorious)
        weight = np.where(r.female, 0.25, 1.0) * np.where(r.age >= 92, 0.3, 1.0)
        others = np.flatnonzero(veterans_pool & ~r.meritorious)
        k = max(0, target - int(chosen.sum()) - len(flagged))
        if len(others) and k:
            p = weight[others] / weight[others].sum()
            extra = rng.choice(others, size=min(k, len(others)), replace=False, p=p)
        else:
            extra = others[:0]
        veterans = np.sort(np.concatenate([flagged, extra]))
        codes = list(VETERANS)
        weights = np.array([VETERANS[c] for c in codes])
        kind = rng.choice(len(codes), size=len(veterans), p=weights / weights.sum())
        # Women were seldom invalids or sick soldiers: most are former prisoners, toxic-chemical victims, helpers.
        female_kind = rng.choice([codes.index("merit_former_prisoner"), codes.index("merit_toxic_chemical"),
                                  codes.index("merit_helper"), codes.index("merit_war_invalid")],
                                 size=len(veterans), p=[0.45, 0.3, 0.1, 0.15])
        kind = np.where(r.female[veterans] & (rng.random(len(veterans)) < 0.8), female_kind, kind)
        for i, code in enumerate(codes):
            people = veterans[kind == i]
            k = len(people)
            rate = None
            if code in ("merit_war_invalid", "merit_war_invalid_b"):
                rate = np.minimum(21 + np.floor(rng.exponential(20.0, k)).astype(np.int64), 100)
            elif code == "merit_sick_soldier":
                rate = np.minimum(41 + np.floor(rng.exponential(16.0, k)).astype(np.int64), 100)
            elif code == "merit_toxic_chemical":
                rate = np.minimum(21 + np.floor(rng.exponential(24.0, k)).astype(np.int64), 100)
            severe = rate >= 81 if rate is not None else None
            carer = self._family_carer(people, rng) if rate is not None else None
            if carer is not None and rate is not None:
                carer = np.where(rate >= 81, carer, -1)
            new = {"merit_toxic_chemical": 0.7, "merit_former_prisoner": 0.8}.get(code, 0.9)
            self._merit_rows(code, people, rng, rate=rate, old=new, severe=severe & (rng.random(k) < 0.3)
                             if severe is not None else None, carer=carer)
            # Some invalids were also exposed to toxic chemicals: both are paid (Ordinance Art. 6).
            if code == "merit_war_invalid":
                both = people[rng.random(k) < 0.08]
                both_rate = np.minimum(21 + np.floor(rng.exponential(24.0, len(both))).astype(np.int64), 100)
                self._merit_rows("merit_toxic_chemical", both, rng, rate=both_rate, old=0.5)
        chosen[veterans] = True
        self.merit |= chosen

    def _family_carer(self, people: IntArray, rng: np.random.Generator) -> IntArray:
        """Another member of the household (the youngest adult read: a child, the spouse) when
        one is in the register read."""
        r = self.r
        if self._youngest is None:
            adults = np.flatnonzero((r.age >= 18) & (r.disability <= 1))
            order = adults[np.lexsort((r.age[adults], r.household[adults]))]
            youngest: dict[int, int] = {}
            for index, key in zip(order.tolist(), r.household[order].tolist(), strict=True):
                youngest.setdefault(key, index)
            self._youngest = youngest
        first = self._youngest
        out = np.full(len(people), -1, dtype=np.int64)
        for i, person in enumerate(people.tolist()):
            carer = first.get(int(r.household[person]), -1)
            if carer >= 0 and carer != person:
                out[i] = r.member_id[carer]
        return out

    def _merit_rows(self, code: str, people: IntArray, rng: np.random.Generator, *, old: float,
                    rate: IntArray | None = None, martyrs: IntArray | None = None, severe: BoolArray | None = None,
                    alone: BoolArray | None = None, carer: IntArray | None = None) -> None:
        """Recognised long ago (`old` of them: re-decided when the Ordinance came into force, paid
        from Jul 2021) or since (from the month of the recognition or of the medical council,
        Decree 131/2021 Arts. 8 and 45, decided one to eight months later: arrears)."""
        k = len(people)
        if not k:
            return
        long_ago = rng.random(k) < old
        born = self.r.by[people]
        first_year = np.maximum(born + 18, 1976)
        year = first_year + np.floor(rng.random(k) * np.maximum(2021 - first_year, 1)).astype(np.int64)
        old_day = (np.array(year - 1970, dtype=np.int64).astype("datetime64[Y]").astype("datetime64[D]")
                   + rng.integers(0, 360, k).astype("timedelta64[D]"))
        new_month = _uniform_month(rng, np.full(k, M_LAW + 1, dtype=np.int64), self.now - 2)
        new_day = _within(rng, new_month, last=27)
        decided_new = np.minimum(new_day + rng.integers(25, 240, k).astype("timedelta64[D]"), self.today)
        recognised = np.where(long_ago, old_day, new_day)
        decided = np.where(long_ago, old_day, decided_new)
        start = np.where(long_ago, M_LAW, new_month)
        self.rows.add(code, people, start, decided=decided, recognised=recognised, rate=rate, martyrs=martyrs,
                      severe=severe, alone=alone, carer=carer)


_NEIGHBOURS = ("Nguyễn Thị Lệ", "Trần Thị Mười", "Lê Văn Sáu", "Phạm Thị Út", "Huỳnh Thị Nga", "Võ Văn Tám",
               "Đặng Thị Bảy", "Thạch Thị Sa Ri", "Sơn Thị Ny", "Lâm Văn Tư")


def _carer_names(rng: np.random.Generator, k: int) -> list[str]:
    """Carers of 5(5)d who are not in the register (a neighbour, a relative living elsewhere)."""
    picks = rng.integers(0, len(_NEIGHBOURS), k).tolist()
    return [f"{_NEIGHBOURS[p]} (người nhận chăm sóc tại cộng đồng)" for p in picks]


# --- Decisions: authorities, signers, numbers ------------------------------------------------


_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương",
           "Thạch", "Lâm")
_MIDDLE = ("Văn", "Minh", "Thanh", "Hoàng", "Quốc", "Thị", "Ngọc", "Hữu")
_GIVEN = ("Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Sơn", "Hải", "Thành", "Phúc", "Lan", "Hương", "Hằng", "Mai",
          "Bình", "Tâm", "Nghĩa", "Thắng", "Hòa", "Trung", "Phong")


def _official(key: str, seed: int) -> str:
    """A deterministic name for the official holding an office (no stream: one per office)."""
    h = zlib.crc32(f"{seed}:{key}".encode())
    return f"{_FAMILY[h % len(_FAMILY)]} {_MIDDLE[(h >> 8) % len(_MIDDLE)]} {_GIVEN[(h >> 16) % len(_GIVEN)]}"


@dataclass
class _Offices:
    """Who signed a decision of a scheme in a commune on a date (Decree 20 Art. 8; Decree 147/2025
    and 176/2025 from 1 Jul 2025; for merit the provincial Department of Labour, Invalids and
    Social Affairs, merged into the Department of Home Affairs on 1 Mar 2025)."""

    province: Unit
    seed: int
    communes: list[tuple[int, str, str]]
    district: dict[int, str]  # commune id -> legacy district name
    legacy_province: dict[int, str]  # commune id -> legacy province name
    _cache: dict[tuple[str, int, int], tuple[str, str, str]] = field(default_factory=dict)
    _signers: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def load(cls, province: Unit, communes: list[tuple[int, str, str]], seed: int) -> _Offices:
        district: dict[int, str] = {}
        legacy: dict[int, str] = {}
        for new_id, district_name, province_name in (
                Succession.objects.filter(new_id__in=[c[0] for c in communes])
                .order_by("new_id", "-partial", "old__code")
                .values_list("new_id", "old__parent__name", "old__parent__parent__name")):
            district.setdefault(new_id, district_name or "")
            legacy.setdefault(new_id, province_name or "")
        return cls(province=province, seed=seed, communes=communes, district=district, legacy_province=legacy)

    def office(self, scheme: str, commune: int, day: dt.date) -> tuple[str, str, str]:
        """(office key, signer, number suffix), the same for every day of a period."""
        period = (day >= dt.date(2025, 3, 1)) + (day >= dt.date(2025, 7, 1))
        key = (scheme, commune, int(period))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._office(scheme, commune, day)
        return found

    def _office(self, scheme: str, commune: int, day: dt.date) -> tuple[str, str, str]:
        commune_id, _code, name = self.communes[commune]
        if scheme == Scheme.MERITORIOUS:
            if day < dt.date(2025, 7, 1):
                where = self.legacy_province.get(commune_id) or self.province.name
                if day < dt.date(2025, 3, 1):
                    return (f"ldtbxh:{where}", f"Giám đốc Sở Lao động - Thương binh và Xã hội {where}", "QĐ-SLĐTBXH")
                return (f"snv:{where}", f"Giám đốc Sở Nội vụ {where}", "QĐ-SNV")
            return (f"snv:{self.province.name}", f"Giám đốc Sở Nội vụ {self.province.name}", "QĐ-SNV")
        if day < dt.date(2025, 7, 1):
            district = self.district.get(commune_id) or name
            return (f"huyen:{district}", f"Chủ tịch UBND {district}", "QĐ-UBND")
        return (f"xa:{_code}", f"Chủ tịch UBND {name}", "QĐ-UBND")

    def signer(self, key: str, title: str) -> str:
        found = self._signers.get((key, title))
        if found is None:
            found = self._signers[(key, title)] = f"{_official(key, self.seed)}, {title}"
        return found


def _numbers(keys: list[tuple[str, dt.date, int]], seed: int) -> list[int]:
    """Decision numbers: per office and year, in date order; rows of a batch (same office, date
    and batch key ≥ 0) share one number. Offices issue other decisions too: numbers start
    further on and leave gaps."""
    order = sorted(range(len(keys)), key=lambda i: (keys[i][0], keys[i][1].year, keys[i][1], keys[i][2] < 0, keys[i][2], i))
    out = [0] * len(keys)
    current: tuple[str, int] | None = None
    number = 0
    last_batch: tuple[dt.date, int] | None = None
    for i in order:
        office, day, batch = keys[i]
        if current != (office, day.year):
            current = (office, day.year)
            number = 20 + zlib.crc32(f"{seed}:{office}:{day.year}".encode()) % 180
            last_batch = None
        if batch >= 0 and last_batch == (day, batch):
            out[i] = number
            continue
        number += 1 + zlib.crc32(f"{i}:{seed}".encode()) % 4
        out[i] = number
        last_batch = (day, batch) if batch >= 0 else None
    return out


# --- Writing ----------------------------------------------------------------------------------


def _columns(model: type[models.Model], names: list[str]) -> list[str]:
    out = []
    for name in names:
        f = model._meta.get_field(name)
        assert isinstance(f, models.Field) and f.column
        out.append(f.column)
    return out


def _date(value: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _in_year(day: dt.date, year: int) -> dt.date:
    """The same day in another year (29 Feb becomes 28 Feb)."""
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


MARTYR_NAMES_MALE = ("Hùng", "Dũng", "Sơn", "Hải", "Thành", "Phúc", "Bình", "Tâm", "Nghĩa", "Thắng", "Hòa", "Trung",
                     "Phong", "Lợi", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Út", "Hiền", "Dân", "Quang")
MARTYR_MIDDLE = ("Văn", "Văn", "Văn", "Minh", "Thanh", "Hoàng", "Quốc", "Hữu", "Công", "Tấn")
MARTYR_FAMILY = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương",
                 "Đặng", "Bùi", "Đỗ", "Ngô", "Hồ", "Dương", "Thạch", "Sơn", "Kim", "Lâm", "Châu", "Đoàn", "Mai")


def _martyrs(rng: np.random.Generator, n: int, *, heroic: BoolArray) -> dict[str, Any]:
    """Martyrs of the wars: most fell in 1960–1975, others in 1946–1954 or on the south-western
    and northern borders (1977–1989); "Tổ quốc ghi công" certificates a few years later."""
    era = rng.choice(3, size=n, p=[0.07, 0.7, 0.23])
    era = np.where(heroic, 1, era)
    lo = np.array([1946, 1960, 1977])[era]
    hi = np.array([1954, 1975, 1989])[era]
    year = lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(np.int64)
    died = (np.array(year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
            + rng.integers(0, 364, n).astype("timedelta64[D]"))
    birth_year = year - rng.integers(18, 36, n)
    certificate = died + (rng.integers(1, 12, n) * 365 + rng.integers(0, 300, n)).astype("timedelta64[D]")
    names = [f"{MARTYR_FAMILY[a]} {MARTYR_MIDDLE[b]} {MARTYR_NAMES_MALE[c]}" for a, b, c in zip(
        rng.integers(0, len(MARTYR_FAMILY), n).tolist(), rng.integers(0, len(MARTYR_MIDDLE), n).tolist(),
        rng.integers(0, len(MARTYR_NAMES_MALE), n).tolist(), strict=True)]
    numbers = rng.integers(1000, 99999, n).tolist()
    return {"name": names, "birth_year": birth_year.tolist(), "died": [_date(d) for d in died],
            "certificate": [_date(c) for c in certificate], "number": [f"{x:05d}" for x in numbers]}


def delete_province(province: Unit) -> int:
    """Deletes the province's people-served rows (before `--replace` deletes its households, which
    these protect): proposals, dossiers and their steps, entitlements and their martyr links,
    martyrs of its communes; a carer of the province named by an entitlement elsewhere is
    unlinked. One statement per table, on the indexed commune columns (what hangs on the members
    some other way goes with them in `ansinh.households.demo._delete`). Returns the entitlements
    deleted."""
    communes = Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE,
                                   path__startswith=province.path).values("pk")
    Entitlement.objects.filter(carer__household__commune__in=communes).exclude(commune__in=communes).update(carer=None)
    entitlements = Entitlement.objects.filter(commune__in=communes)
    ids = entitlements.values("pk")
    dossiers = Dossier.objects.filter(Q(commune__in=communes) | Q(entitlement__in=ids))
    steps = DossierStep.objects.filter(dossier__in=dossiers.values("pk"))
    steps._raw_delete(steps.db)
    proposals = Proposal.objects.filter(Q(commune__in=communes) | Q(entitlement__in=ids))
    proposals._raw_delete(proposals.db)
    dossiers._raw_delete(dossiers.db)
    through = Entitlement.martyrs.through
    links = through.objects.filter(Q(entitlement__in=ids) | Q(martyr__in=Martyr.objects.filter(
        commune__in=communes).values("pk")))
    links._raw_delete(links.db)
    count = entitlements._raw_delete(entitlements.db)
    martyrs = Martyr.objects.filter(commune__in=communes)
    martyrs._raw_delete(martyrs.db)
    return count


STOP_NOTES = {
    "sa_orphan": "Đủ 16 tuổi (khoản 1 Điều 5 Nghị định 20/2021/NĐ-CP)",
    "sa_child_under_3": "Đủ 3 tuổi (khoản 7 Điều 5 Nghị định 20/2021/NĐ-CP)",
    "sa_elderly_80": "Chuyển sang hưởng trợ cấp hưu trí xã hội từ tháng 7/2025 (khoản 3 Điều 139 Luật Bảo hiểm xã "
                     "hội số 41/2024/QH15)",
    "sa_elderly_75": "Chuyển sang hưởng trợ cấp hưu trí xã hội từ tháng 7/2025 (Điều 21 Luật Bảo hiểm xã hội số "
                     "41/2024/QH15)",
}
ENTITLEMENT_COLUMNS = ["id", "person", "category", "scheme", "commune", "rate", "martyr_count", "children", "years",
                       "especially_severe", "living_alone", "carer", "carer_name", "recognised_on", "decision_number",
                       "decision_date", "decision_signer", "start_month", "stop_month", "stop_reason", "stop_note",
                       "created_at", "updated_at", "version"]
MARTYR_COLUMNS = ["id", "full_name", "birth_year", "died_on", "certificate_number", "certificate_date", "commune",
                  "note", "search_name", "sort_key", "created_at", "updated_at"]
DOSSIER_COLUMNS = ["id", "kind", "scheme", "category", "person", "entitlement", "commune", "rate", "martyr_count",
                   "children", "stop_reason", "received_on", "due_on", "status", "decided_on", "decision_number",
                   "decision_signer", "refusal_reason", "note", "created_at", "updated_at", "version"]
STEP_COLUMNS = ["dossier", "status", "on", "note", "at"]
REFUSALS = {
    "social_pension": "Chưa đủ 75 tuổi và hộ gia đình không thuộc hộ nghèo, hộ cận nghèo: chưa đủ điều kiện hưởng trợ "
                      "cấp hưu trí xã hội (Điều 21 Luật Bảo hiểm xã hội số 41/2024/QH15).",
    "sa_disability_severe": "Hội đồng xác định mức độ khuyết tật kết luận khuyết tật nhẹ: không thuộc đối tượng tại "
                            "khoản 6 Điều 5 Nghị định 20/2021/NĐ-CP.",
}


class _Writer:
    """Turns the plan into rows and writes them (`insert_rows`), with ids taken up front so that
    links (martyrs, dossiers) need no read-back."""

    def __init__(self, province: Unit, reg: _Register, *, seed: int, now: dt.date,
                 categories: dict[str, tuple[int, str, dt.date, dt.date | None]]) -> None:
        from ansinh.workdays.calendar import calendar_for

        self.province, self.r, self.seed, self.now = province, reg, seed, now
        self.categories = categories
        self.offices = _Offices.load(province, reg.communes, seed)
        self.calendar = calendar_for(province)
        for year in range(now.year - 1, now.year + 2):  # one query per year, whatever the dossiers
            self.calendar.year(year)
        self.stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        self.due_cache: dict[tuple[str, str, dt.date], dt.date] = {}
        self.due_dates: Any = None

    def due(self, scheme: str, kind: str, received: dt.date) -> dt.date:
        """The catalogue's deadline (`ansinh.procedures.deadlines`), versions read once."""
        from .services import benefit_due_dates, procedure_use

        key = (scheme, kind, received)
        found = self.due_cache.get(key)
        if found is None:
            if self.due_dates is None:
                self.due_dates = benefit_due_dates(self.calendar)
            found = self.due_cache[key] = self.due_dates(procedure_use(scheme, kind), received).due_on
        return found

    def commune_id(self, who: int) -> int:
        return self.r.communes[int(self.r.commune[self.r.household[who]])][0]

    def entitlements(self, c: dict[str, Any]) -> tuple[list[tuple[Any, ...]], IntArray]:
        """Rows of the entitlement table; returns them and their ids."""
        r = self.r
        n = len(c["who"])
        first = next_ids(Entitlement, n).start
        ids = np.arange(first, first + n, dtype=np.int64)
        decided = [_date(d) for d in c["decided"]]
        # The July 2025 move to the social pension: one decision per commune.
        communes = [int(r.commune[r.household[w]]) for w in c["who"].tolist()]
        for i in np.flatnonzero(c["batch"]).tolist():
            decided[i] = dt.date(2025, 7, 1) + dt.timedelta(days=zlib.crc32(f"{self.seed}:{communes[i]}".encode()) % 8)
        schemes = [self.categories[code][1] for code in c["code"].tolist()]
        offices = [self.offices.office(s, cm, d) for s, cm, d in zip(schemes, communes, decided, strict=True)]
        numbers = _numbers([(o[0], d, cm if b else -1) for o, d, cm, b in zip(
            offices, decided, communes, c["batch"].tolist(), strict=True)], self.seed)
        self.decisions = [(f"{number}/{office[2]}", self.offices.signer(office[0], office[1]))
                          for number, office in zip(numbers, offices, strict=True)]
        self.decided = decided
        rows = []
        stamp = self.stamp
        for i, (pk, code, who, start, stop, reason, rate, martyrs, children, severe, alone, carer, carer_name,
                recognised) in enumerate(zip(
                    ids.tolist(), c["code"].tolist(), c["who"].tolist(), c["start"].tolist(), c["stop"].tolist(),
                    c["reason"].tolist(), c["rate"].tolist(), c["martyrs"].tolist(), c["children"].tolist(),
                    c["severe"].tolist(), c["alone"].tolist(), c["carer"].tolist(), c["carer_name"].tolist(),
                    c["recognised"], strict=True)):
            category, scheme, _from, _to = self.categories[code]
            number, signer = self.decisions[i]
            rows.append((
                pk, int(r.member_id[who]), category, scheme, r.communes[communes[i]][0],
                rate if rate >= 0 else None, martyrs if martyrs >= 0 else None, children if children >= 0 else None,
                None, severe, alone, carer if carer >= 0 else None, carer_name,
                None if np.isnat(recognised) else _date(recognised), number, decided[i], signer[:150],
                _month(start), _month(stop) if stop >= 0 else None, reason if stop >= 0 else "",
                STOP_NOTES.get(code, "") if stop >= 0 else "", stamp, stamp, 1))
        return rows, ids

    def martyrs(self, rng: np.random.Generator, c: dict[str, Any], ids: IntArray) -> tuple[list[tuple[Any, ...]], list[tuple[int, int]]]:
        """The martyrs of each relative's entitlement (in the relative's commune), and as many
        again whose relatives no longer receive (records kept for worship and the cemetery)."""
        r = self.r
        holders = np.flatnonzero(np.isin(c["code"], ["merit_martyr_relative", "merit_heroic_mother"]))
        counts = np.maximum(c["martyrs"][holders], 1)
        owner = np.repeat(holders, counts)
        unlinked = int(round(0.0025 * r.people))
        n = len(owner) + unlinked
        heroic = np.r_[c["code"][owner] == "merit_heroic_mother", np.zeros(unlinked, dtype=bool)]
        drawn = _martyrs(rng, n, heroic=heroic)
        # A relative's martyr: a husband, or a son (mothers of 85 and more), of a plausible age.
        relative_by = np.r_[r.by[c["who"][owner]], np.full(unlinked, 1930)]
        mother = np.r_[(c["code"][owner] == "merit_heroic_mother") | (r.age[c["who"][owner]] >= 85),
                       np.zeros(unlinked, dtype=bool)]
        died_year = np.array([d.year for d in drawn["died"]], dtype=np.int64)
        earliest = np.where(mother, relative_by + 35, relative_by + 17)
        shift = np.maximum(earliest - died_year, 0)
        shift = np.where(np.arange(n) < len(owner), shift, 0)
        communes = np.r_[np.array([self.commune_id(w) for w in c["who"][owner].tolist()], dtype=np.int64),
                         np.array([r.communes[k][0] for k in rng.integers(0, len(r.communes), unlinked).tolist()],
                                  dtype=np.int64)]
        first = next_ids(Martyr, n).start
        rows, links = [], []
        for i in range(n):
            died = _in_year(drawn["died"][i], min(drawn["died"][i].year + int(shift[i]), 1989))
            certificate = _in_year(drawn["certificate"][i], drawn["certificate"][i].year + int(shift[i]))
            birth = int(drawn["birth_year"][i]) + int(shift[i])
            birth = max(birth, int(relative_by[i]) + 17) if mother[i] else birth
            birth = min(birth, died.year - 16)
            name = drawn["name"][i]
            note = "" if i < len(owner) else "Thân nhân không còn hưởng trợ cấp; quản lý hồ sơ, mộ liệt sĩ."
            rows.append((first + i, name, birth, died, f"Số {drawn['number'][i]}", max(certificate, died),
                         int(communes[i]), note, fold(name), sort_key(name), self.stamp, self.stamp))
            if i < len(owner):
                links.append((int(ids[owner[i]]), first + i))
        return rows, links

    def dossiers(self, rng: np.random.Generator, c: dict[str, Any], ids: IntArray,
                 planner: _Planner) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """1. The decided dossier of each entitlement decided since `system_from` (not the July
        2025 batch); 2. applications under way; 3. refused applications."""
        r = self.r
        dossiers: list[tuple[Any, ...]] = []
        steps: list[tuple[Any, ...]] = []
        first = next_ids(Dossier, 0).start
        stamp = self.stamp
        now = self.now

        def add(kind: str, scheme: str, code: str | None, who: int, entitlement: int | None, received: dt.date,
                status: str, *, checked: dt.date | None = None, decided: dt.date | None = None, number: str = "",
                signer: str = "", refusal: str = "", rate: int | None = None, martyrs: int | None = None,
                children: int | None = None) -> None:
            pk = first + len(dossiers)
            category = self.categories[code][0] if code else None
            dossiers.append((pk, kind, scheme, category, int(r.member_id[who]), entitlement, self.commune_id(who),
                             rate, martyrs, children, "", received, self.due(scheme, kind, received), status,
                             decided, number, signer[:150], refusal, "", stamp, stamp, 1))
            steps.append((pk, DossierStatus.RECEIVED, received, "", stamp))
            if checked is not None:
                steps.append((pk, DossierStatus.CHECKED, checked, "", stamp))
            if status == DossierStatus.DECIDED and decided is not None:
                steps.append((pk, DossierStatus.DECIDED, decided, f"Quyết định {number}, {signer}"[:500], stamp))
            elif status == DossierStatus.REFUSED and decided is not None:
                steps.append((pk, DossierStatus.REFUSED, decided, refusal[:500], stamp))

        # 1. Decided.
        since = system_from(now)
        lags = rng.integers(4, 24, len(ids))
        for i in range(len(ids)):
            decided = self.decided[i]
            if decided < since or c["batch"][i]:
                continue
            code = str(c["code"][i])
            scheme = self.categories[code][1]
            received = decided - dt.timedelta(days=int(lags[i]))
            checked = received + dt.timedelta(days=int(lags[i]) // 2)
            number, signer = self.decisions[i]
            rate, martyrs, children = (int(c[k][i]) if c[k][i] >= 0 else None for k in ("rate", "martyrs", "children"))
            add(DossierKind.START, scheme, code, int(c["who"][i]), int(ids[i]), received, DossierStatus.DECIDED,
                checked=checked, decided=decided, number=number, signer=signer, rate=rate, martyrs=martyrs,
                children=children)

        # 2. Under way: people of 75 with no pension applying for the social pension, people with
        # a severe disability or poor elderly people applying for social assistance, veterans
        # applying for recognition as toxic-chemical victims. Received in the last four weeks:
        # the older ones are past their deadline.
        hh = r.household
        paid = planner.sa | planner.sp | planner.merit
        # The demo commune (the commune officer's, with real hamlets) gets more, so that her list
        # has every status to show.
        from ansinh.households.demo import DEMO_HAMLETS

        showcase = np.array([code in DEMO_HAMLETS for _pk, code, _name in r.communes], dtype=bool)[r.commune[hh]]
        boost = np.where(showcase, 5.0, 1.0)
        applying = np.flatnonzero((r.age >= 75) & ~r.pension & ~paid & (rng.random(len(hh)) < 0.12 * boost))
        veterans = np.flatnonzero(~r.female & (r.age >= 68) & ~paid & (rng.random(len(hh)) < 0.004 * boost * 4))
        disabled = np.flatnonzero((r.disability >= 2) & ~paid & (rng.random(len(hh)) < 0.3 * boost))
        poor_elderly = np.flatnonzero((r.age >= 60) & r.poor[hh] & ~paid & (rng.random(len(hh)) < 0.1 * boost))
        for who, scheme, code, kind_rate in (
                [(int(w), Scheme.SOCIAL_PENSION, "social_pension", None) for w in applying.tolist()]
                + [(int(w), Scheme.MERITORIOUS, "merit_toxic_chemical", 41) for w in veterans.tolist()]
                + [(int(w), Scheme.SOCIAL_ASSISTANCE, "sa_disability_especially_severe" if r.disability[w] == 3
                    else "sa_disability_severe", None) for w in disabled.tolist()]
                + [(int(w), Scheme.SOCIAL_ASSISTANCE, "sa_elderly_poor_alone", None) for w in poor_elderly.tolist()
                   if w not in set(disabled.tolist())]):
            received = now - dt.timedelta(days=int(rng.integers(0, 28)))
            checked = received + dt.timedelta(days=int(rng.integers(2, 8)))
            status = DossierStatus.CHECKED if checked <= now and rng.random() < 0.5 else DossierStatus.RECEIVED
            add(DossierKind.START, scheme, code, who, None, received, status,
                checked=checked if status == DossierStatus.CHECKED else None, rate=kind_rate)

        # 3. Refused: 70–75 in a household that is not poor or near-poor (social pension); a
        # mild disability (severe disability allowance).
        young = np.flatnonzero((r.age >= 70) & (r.age < 75) & ~r.pension & ~r.poor_or_near[hh] & ~paid
                               & (rng.random(len(hh)) < 0.04 * boost))
        mild = np.flatnonzero((r.disability == 1) & ~paid & (rng.random(len(hh)) < 0.08 * boost))
        span = (now - dt.date(2025, 7, 15)).days
        for who, code in [(int(w), "social_pension") for w in young.tolist()] + [
                (int(w), "sa_disability_severe") for w in mild.tolist()]:
            scheme = self.categories[code][1]
            received = dt.date(2025, 7, 15) + dt.timedelta(days=int(rng.integers(0, max(span - 20, 1))))
            decided = received + dt.timedelta(days=int(rng.integers(5, 13)))
            add(DossierKind.START, scheme, code, who, None, received, DossierStatus.REFUSED,
                checked=received + dt.timedelta(days=3), decided=decided, refusal=REFUSALS[code])
        taken = next_ids(Dossier, len(dossiers))  # on PostgreSQL, moves the sequence past them
        assert taken.start == first
        return dossiers, steps


def _categories() -> dict[str, tuple[int, str, dt.date, dt.date | None]]:
    return {code: (pk, scheme, valid_from, valid_to) for code, pk, scheme, valid_from, valid_to in
            Category.objects.filter(code__in=CODES).values_list("code", "pk", "scheme", "valid_from", "valid_to")}


def _in_force(columns: dict[str, Any], categories: dict[str, tuple[int, str, dt.date, dt.date | None]]) -> BoolArray:
    """Rows whose category is in the database and in force over the months paid (the law's
    data decide: a category that ends stops being granted)."""
    keep = np.zeros(len(columns["who"]), dtype=bool)
    for code, (_pk, _scheme, valid_from, valid_to) in categories.items():
        rows = columns["code"] == code
        ok = rows & (columns["start"] >= _mi(valid_from))
        if valid_to is not None:
            last = _mi(valid_to)
            ok &= (columns["stop"] >= 0) & (columns["stop"] <= last + 1)
        keep |= ok
    return keep


def _payable(columns: dict[str, Any], reg: _Register, *, province: Unit, now: dt.date) -> BoolArray:
    """Rows the law's tables price in their first and their last month paid (an age band, a rate
    or a count outside every row of the table would leave a month unpaid): one rule book, one
    call per distinct case (category, age, rate, count), not per row."""
    from .law import NotInForce, RuleBook

    book = RuleBook.load(_month(M_LAW), now, province_id=province.pk)
    # The first month a table prices each category (the merit tables of Jul 2021 – Jun 2023 are
    # not in the law's data: those months show no amount, the entitlement is still right).
    priced = {code: _mi(min(rule.valid_from for rule in rules)) for code, rules in book.rules.items() if rules}
    codes = sorted(set(columns["code"].tolist()))
    code_index = np.array([codes.index(c) for c in columns["code"].tolist()], dtype=np.int64)
    first_priced = np.array([priced.get(c, 10**6) for c in codes], dtype=np.int64)[code_index]
    last = np.where(columns["stop"] >= 0, columns["stop"] - 1, _mi(now))
    keep = last >= first_priced
    born = (reg.by * 12 + reg.bm - 1)[columns["who"]]
    ok = np.ones(len(keep), dtype=bool)
    # Months between two changes of any table price alike: a case is (category, period, age, …).
    changes = sorted({_mi(rule.valid_from) for rules in book.rules.values() for rule in rules}
                     | {_mi(rule.valid_to) + 1 for rules in book.rules.values() for rule in rules if rule.valid_to})
    boundaries = np.array(changes, dtype=np.int64)
    for month in (np.maximum(columns["start"], first_priced), last):
        # On the last day of a month everyone born in it has had their birthday.
        age = (month - born) // 12
        period = np.searchsorted(boundaries, month, side="right")
        cases = np.stack([code_index, period, age, columns["rate"], columns["martyrs"], columns["children"],
                          columns["severe"].astype(np.int64), month], axis=1)[keep]
        unique, index, inverse = np.unique(cases[:, :7], axis=0, return_index=True, return_inverse=True)
        good = np.ones(len(unique), dtype=bool)
        for j, ((c, _p, a, rate, martyrs, children, severe), m) in enumerate(zip(
                unique.tolist(), cases[index, 7].tolist(), strict=True)):
            on = _month(m + 1) - dt.timedelta(days=1)
            try:
                book.amount(codes[c], on, birth_date=dt.date(on.year - a, on.month, 1),
                            rate=rate if rate >= 0 else None, martyrs=martyrs if martyrs >= 0 else None,
                            children=children if children >= 0 else None,
                            flag="especially_severe" if severe else "")
            except NotInForce:
                good[j] = False
        ok[np.flatnonzero(keep)] &= good[inverse.reshape(-1)]
    return keep & ok


def generate(*, province: Unit, seed: int, year: int, people: int | None = None,
             progress: Callable[[str], None] | None = None) -> Made:
    """Generates the people served of a province whose households were just generated.

    1. Read the register (`_read`) and the categories (the law's data migration made them).
    2. Plan the entitlements, category by category (`_Planner`).
    3. Write martyrs, entitlements, their links, dossiers and their steps (`_Writer`).
    4. Set the members' flags from the entitlements paid in the present month.
    5. Record a few deaths and moves through the services (`_events`).
    `people`: the members just generated, when the caller knows (saves a count). Runs inside
    the caller's transaction."""
    started = time.perf_counter()
    say = progress or (lambda text: None)
    now = present(year)
    categories = _categories()
    if not categories:
        say("Chưa có danh mục đối tượng hưởng trợ cấp (chạy `ansinh migrate`): không tạo người hưởng.")
        return Made(present=now, people=0, paid={}, entitlements=0, martyrs=0, dossiers=0, proposals=0, deaths=0,
                    moves=0, seconds=time.perf_counter() - started,
                    skipped="Chưa có danh mục đối tượng hưởng trợ cấp (chạy `ansinh migrate`): không tạo người hưởng.")
    reg = _read(province, year=year, now=now, people=people)
    planner = _Planner(reg, seed=seed, province_code=province.code, now=now)
    planner.disability()
    planner.children()
    planner.single_parents()
    planner.elderly()
    planner.social_pension()
    planner.meritorious()
    columns = planner.rows.columns()
    if not columns:
        return Made(present=now, people=reg.people, paid={}, entitlements=0, martyrs=0, dossiers=0, proposals=0,
                    deaths=0, moves=0, seconds=time.perf_counter() - started)
    keep = _in_force(columns, categories) & _payable(columns, reg, province=province, now=now)
    columns = {key: values[keep] for key, values in columns.items()}

    writer = _Writer(province, reg, seed=seed, now=now, categories=categories)
    rows, ids = writer.entitlements(columns)
    martyr_rows, links = writer.martyrs(_stream(seed, province.code, 50), columns, ids)
    insert_rows(Entitlement, _columns(Entitlement, ENTITLEMENT_COLUMNS), rows)
    insert_rows(Martyr, _columns(Martyr, MARTYR_COLUMNS), martyr_rows)
    through = Entitlement.martyrs.through
    insert_rows(through, _columns(through, ["entitlement", "martyr"]), links)
    dossier_rows, step_rows = writer.dossiers(_stream(seed, province.code, 51), columns, ids, planner)
    insert_rows(Dossier, _columns(Dossier, DOSSIER_COLUMNS), dossier_rows)
    insert_rows(DossierStep, _columns(DossierStep, STEP_COLUMNS), step_rows)

    communes = [c[0] for c in reg.communes]
    _flags(communes, now)
    deaths, moves, proposals = _events(province, reg, planner, columns, ids, seed=seed, now=now, writer=writer)
    paid = _paid(communes, now)
    made = Made(present=now, people=reg.people, paid=paid, entitlements=len(rows), martyrs=len(martyr_rows),
                dossiers=len(dossier_rows) + moves, proposals=proposals, deaths=deaths, moves=moves,
                seconds=time.perf_counter() - started)
    share = {scheme: format_number(100 * paid.get(scheme, 0) / max(reg.people, 1), 1) for scheme in Scheme.values}
    say(f"Người hưởng trợ cấp tháng {now:%m/%Y}: {format_number(paid.get(Scheme.SOCIAL_ASSISTANCE, 0))} trợ giúp xã "
        f"hội ({share[Scheme.SOCIAL_ASSISTANCE]}%), {format_number(paid.get(Scheme.SOCIAL_PENSION, 0))} hưu trí xã "
        f"hội ({share[Scheme.SOCIAL_PENSION]}%), {format_number(paid.get(Scheme.MERITORIOUS, 0))} người có công và "
        f"thân nhân ({share[Scheme.MERITORIOUS]}%); {format_number(made.martyrs)} liệt sĩ, "
        f"{format_number(made.dossiers)} hồ sơ, {deaths} người mất với {proposals} đề xuất, {moves} người chuyển "
        f"nơi ở ({format_number(made.seconds, 1)} giây).")
    return made


def _open_in(month: dt.date) -> Q:
    return Q(start_month__lte=month) & (Q(stop_month__isnull=True) | Q(stop_month__gt=month))


def _flags(communes: list[int], now: dt.date) -> None:
    """Members paid in the present month are flagged (three UPDATE statements)."""
    month = now.replace(day=1)
    paid = Entitlement.objects.filter(_open_in(month), commune_id__in=communes)
    Member.objects.filter(pk__in=paid.filter(scheme__in=[Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION])
                          .values("person_id")).update(social_allowance=True)
    Member.objects.filter(pk__in=paid.filter(scheme=Scheme.MERITORIOUS).values("person_id")).update(meritorious=True)
    Member.objects.filter(pk__in=paid.values("person_id"), health_insurance=False).update(health_insurance=True)


def _paid(communes: list[int], now: dt.date) -> dict[str, int]:
    month = now.replace(day=1)
    rows = (Entitlement.objects.filter(_open_in(month), commune_id__in=communes).values("scheme")
            .annotate(n=models.Count("person", distinct=True)).values_list("scheme", "n"))
    return {str(scheme): int(n) for scheme, n in rows}


def _events(province: Unit, reg: _Register, planner: _Planner, columns: dict[str, Any], ids: IntArray, *, seed: int,
            now: dt.date, writer: _Writer) -> tuple[int, int, int]:
    """A few deaths (`DEATHS`) and moves (`MOVES`) of beneficiaries in the present year, through
    the register's and the registry's services, exactly as an officer's actions leave them: the
    death hook stops the entitlements from the next month and proposes the death benefits (most
    older proposals confirmed, one dismissed); a move goes to a household of another commune, and
    its move dossier stops the entitlement there and continues it in the new commune.
    Returns (deaths, moves, proposals)."""
    try:
        from . import law  # noqa: F401 — the death benefits are computed by the law's rules
    except ImportError:  # pragma: no cover — the law's module ships with the app
        return 0, 0, 0
    from ansinh.households.models import Relation
    from ansinh.households.services import member_died, member_move

    from . import services

    rng = _stream(seed, province.code, 60)
    actor = Actor.system()
    month = _mi(now)
    open_now = (columns["start"] <= month) & ((columns["stop"] < 0) | (columns["stop"] > month))
    # One person, one row: the latest start and decision of the rows open now.
    latest: dict[int, tuple[int, dt.date]] = {}
    for i in np.flatnonzero(open_now).tolist():
        who = int(columns["who"][i])
        start, decided = int(columns["start"][i]), writer.decided[i]
        before = latest.get(who)
        latest[who] = (max(start, before[0]), max(decided, before[1])) if before else (start, decided)
    people = np.array(sorted(latest), dtype=np.int64)
    carers = {int(x) for x in columns["carer"].tolist() if x >= 0}
    if not len(people):
        return 0, 0, 0
    # Deaths: the oldest die most (weights rise with age), never a carer of someone else nor a head.
    weight = np.exp((reg.age[people] - 70).clip(0) / 6.0) * (reg.age[people] >= 60)
    weight = weight * np.array([int(reg.member_id[p]) not in carers for p in people.tolist()])
    weight = weight * (reg.relation[people] != HEAD)  # the household keeps its head (and its name)
    # A third of the deaths among people with meritorious service, so that their death benefits
    # (funeral, three months, survivors) are shown too.
    merit_holder = planner.merit[people]
    chosen: list[int] = []
    for group, k in ((merit_holder, DEATHS // 3), (~merit_holder, DEATHS - DEATHS // 3)):
        w = weight * group
        k = min(k, int((w > 0).sum()))
        if k:
            chosen += rng.choice(people, size=k, replace=False, p=w / w.sum()).tolist()
    chosen = sorted(chosen)
    year_start = dt.date(now.year, 1, 1)
    deaths, proposals = 0, 0
    died: list[tuple[int, dt.date]] = []
    members = Member.objects.select_related("household").in_bulk([int(reg.member_id[w]) for w in chosen])
    for who in chosen:
        start, decided = latest[who]
        earliest = max(year_start, _month(start), decided + dt.timedelta(days=1))
        span = (now - earliest).days
        if span < 1:
            continue
        on = earliest + dt.timedelta(days=int(rng.integers(0, span)))
        member = members[int(reg.member_id[who])]
        member_died(actor=actor, member=member, on=on)
        deaths += 1
        died.append((member.pk, on))
    made = list(Proposal.objects.filter(person_id__in=[pk for pk, _on in died]).order_by("person_id", "kind"))
    proposals = len(made)
    dates = dict(died)
    dismissed = False
    for proposal in made:
        on = dates[proposal.person_id]
        if (now - on).days < 45:
            continue  # recent: still to be confirmed
        if not dismissed and proposal.kind in ("sa_funeral", "pension_funeral"):
            services.dismiss_proposal(actor, proposal, note=(
                "Gia đình đã nhận trợ cấp mai táng theo chế độ bảo hiểm xã hội; chỉ hưởng một mức cao nhất "
                "(khoản 2 Điều 11 Nghị định 20/2021/NĐ-CP)."))
            dismissed = True
        elif rng.random() < 0.8:
            services.confirm_proposal(actor, proposal, note="Đã chi trả cho đại diện gia đình.")

    # Moves: someone on social assistance or the social pension goes to live with a relative in
    # another commune of the province.
    dead = set(chosen)
    movers = [int(p) for p in people.tolist() if p not in dead and int(reg.member_id[p]) not in carers
              and reg.relation[p] != HEAD and reg.size[reg.household[p]] >= 2]
    moves = 0
    if movers and len(reg.communes) > 1:
        picks = rng.choice(np.array(movers, dtype=np.int64), size=min(MOVES, len(movers)), replace=False).tolist()
        for who in sorted(int(p) for p in picks):
            member = Member.objects.select_related("household").get(pk=int(reg.member_id[who]))
            held = (Entitlement.objects.filter(person=member, scheme__in=[Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION])
                    .filter(_open_in(now.replace(day=1))).order_by("pk").first())
            if held is None:
                continue
            target = int(rng.integers(0, len(reg.household_id)))
            others = np.flatnonzero(reg.commune != reg.commune[reg.household[who]])
            if not len(others):
                continue
            target = int(others[target % len(others)])
            to = Household.objects.get(pk=int(reg.household_id[target]))
            since = max(dt.date(now.year, 1, 1), held.decision_date + dt.timedelta(days=1), held.start_month)
            span = (now - dt.timedelta(days=20) - since).days
            if span < 1:
                continue
            on = since + dt.timedelta(days=int(rng.integers(0, span)))
            member_move(actor=actor, member=member, to=to, relation=Relation.PARENT, on=on)
            dossier = services.receive_dossier(actor, kind=DossierKind.MOVE, person=member, scheme=held.scheme,
                                               entitlement=held, received_on=on + dt.timedelta(days=2),
                                               to_commune=to.commune,
                                               note="Chuyển đến sống cùng con tại " + to.commune.name)
            services.check_dossier(actor, dossier, on=on + dt.timedelta(days=5))
            decided = on + dt.timedelta(days=9)
            index = [c[0] for c in reg.communes].index(held.commune_id)
            office, title, suffix = writer.offices.office(held.scheme, index, decided)
            number = 200 + zlib.crc32(f"{seed}:{who}".encode()) % 600
            services.decide_dossier(actor, dossier, on=decided, decision_number=f"{number}/{suffix}",
                                    signer=writer.offices.signer(office, title))
            moves += 1
    return deaths, moves, proposals
