"""Who should and who should not be paid: two lists per unit and month, from the register, the
current poverty status and the entitlements (issue 11, item 4).

- `eligible_unpaid(unit, on)`: people who appear eligible for a monthly scheme but hold no open
  entitlement of it in the month of `on`;
- `paid_ineligible(unit, on)`: open entitlements of people who no longer appear eligible.

Each line (`Finding`) says why in Vietnamese, naming the fact and the article. The lists are
leads for the commune officer, not decisions: the law's conditions the register does not hold
(a disadvantaged commune, someone obliged to support an elderly person, a pension lower than the
social pension) are named in the reason for her to check.

Set-based, a constant number of queries whatever the number of people, none per person: the
eligible are three reads of the unit's members (the elderly and the disabled in one, through the
members' birth date and disability indexes; the children and the lone elderly of poor households
through the status index), each filtered in the database
with NOT EXISTS on the open entitlements; the paid are one read of those of the unit's open
entitlements some rule may list (dead, moved, paid elsewhere, a category with a condition the
register shows, two monthly amounts: a GROUP BY), with their people's facts, the rules applied to
those rows in Python. Ages are taken on the last
day of the month (Decree 20/2021/NĐ-CP Art. 8(1): a person who reaches an age during a month is
counted at the new age for that month); the poverty status is the household's current one
(`poverty.CurrentStatus`: its latest review round); the scheme's open entitlements are those
whose start month is on or before the month and whose stop month is empty or after it.

How "no parent recorded in the household" is read from the relations to the head (the register
records each member's relation to the head only):
- the head's child (relation `child`): the head or the head's spouse (another member) is present;
- the head's grandchild: a present member aged 18 or over who is the head's child or an "other
  relative" (a son- or daughter-in-law is usually recorded so) — both count as a possible parent,
  so that a child is listed only when no one in the household can be her parent;
- the head's sibling, or a child who is the head: the head's parent is present;
- an "other relative": no parent can be recorded in the household, so she is listed.
"Present" means alive and not moved out at the end of the month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Disability, HouseholdStatus, Member, Relation, Schooling
from ansinh.poverty.models import PovertyStatus

from .models import Category, Entitlement, LineKind, Scheme
from .months import month_end, month_of

# The social pension replaces Decree 20 Art. 5(5)b and c from this month (Law 41/2024/QH15, in
# force 1 Jul 2025; Decree 176/2025/NĐ-CP). The end of 5(5)b/c is provisional (benefits-sources §5).
SOCIAL_PENSION_FROM = dt.date(2025, 7, 1)
ENDED_ELDERLY = ("sa_elderly_75", "sa_elderly_80")

ART_5_1 = "Điều 5 khoản 1 Nghị định 20/2021/NĐ-CP"
ART_5_2 = "Điều 5 khoản 2 Nghị định 20/2021/NĐ-CP"
ART_5_5A = "Điều 5 khoản 5 điểm a Nghị định 20/2021/NĐ-CP"
ART_5_5C = "Điều 5 khoản 5 điểm c Nghị định 20/2021/NĐ-CP"
ART_5_6 = "Điều 5 khoản 6 Nghị định 20/2021/NĐ-CP"
ART_6_2 = "Điều 6 khoản 2 Nghị định 20/2021/NĐ-CP"
ART_8_2 = "Điều 8 khoản 2 Nghị định 20/2021/NĐ-CP"
ART_8_4 = "Điều 8 khoản 4 Nghị định 20/2021/NĐ-CP"
LAW_41_21 = "Điều 21 Luật Bảo hiểm xã hội số 41/2024/QH15; Nghị định 176/2025/NĐ-CP"
LAW_41_22 = "Điều 22 Luật Bảo hiểm xã hội số 41/2024/QH15"
DECREE_176 = "Nghị định 176/2025/NĐ-CP"
DECREE_131_DEATH = "Điều 121, 125 Nghị định 131/2021/NĐ-CP"
DECREE_131 = "Nghị định 131/2021/NĐ-CP"

# Categories that need a poor household, or a poor or near-poor one (Decree 20 Art. 5), with the
# article that says so.
POOR_ONLY: dict[str, str] = {
    "sa_child_hiv": "Điều 5 khoản 3 Nghị định 20/2021/NĐ-CP",
    "sa_elderly_poor_alone": ART_5_5A,
    "sa_elderly_community_care": "Điều 5 khoản 5 điểm d Nghị định 20/2021/NĐ-CP",
    "sa_hiv_poor": "Điều 5 khoản 8 Nghị định 20/2021/NĐ-CP",
}
POOR_OR_NEAR: dict[str, str] = {
    "sa_single_parent": "Điều 5 khoản 4 Nghị định 20/2021/NĐ-CP",
    "sa_elderly_75": "Điều 5 khoản 5 điểm b Nghị định 20/2021/NĐ-CP",
    "sa_child_under_3": "Điều 5 khoản 7 Nghị định 20/2021/NĐ-CP",
}
# A single poor parent (5(4)) who is also in 5(5), 5(6) or 5(8) receives both (Art. 6(2)).
SINGLE_PARENT = "sa_single_parent"
WITH_SINGLE_PARENT = frozenset({
    "sa_elderly_poor_alone", "sa_elderly_75", "sa_elderly_80", "sa_elderly_community_care",
    "sa_disability_especially_severe", "sa_disability_severe", "sa_hiv_poor",
})

POOR = frozenset({PovertyStatus.POOR.value})
POOR_AND_NEAR = frozenset({PovertyStatus.POOR.value, PovertyStatus.NEAR_POOR.value})

# Categories whose conditions the paid list checks on the register (poverty, age, schooling, pension).
CONDITIONAL = (*POOR_ONLY, *POOR_OR_NEAR, "sa_orphan", "sa_orphan_student", *ENDED_ELDERLY)

STATUS_VI: dict[str, str] = {
    PovertyStatus.POOR: "hộ nghèo", PovertyStatus.NEAR_POOR: "hộ cận nghèo",
    PovertyStatus.AVERAGE: "hộ có mức sống trung bình", PovertyStatus.NOT_POOR: "hộ không nghèo",
}


class Kind:
    """The reasons of the two lists (`Finding.kind`)."""

    # eligible but unpaid
    AGE_80 = "age_80"
    PENSION_75 = "pension_75"
    PENSION_70_POOR = "pension_70_poor"
    CHILD_NO_PARENT = "child_no_parent"
    DISABILITY = "disability"
    ELDERLY_POOR_ALONE = "elderly_poor_alone"
    # paid but no longer eligible
    DIED = "died"
    MOVED = "moved"
    OTHER_COMMUNE = "other_commune"
    NOT_POOR = "not_poor"
    PENSION_UNDER_70 = "pension_under_70"
    HAS_PENSION = "has_pension"
    ORPHAN_16 = "orphan_16"
    STUDENT_22 = "student_22"
    STUDENT_NOT_STUDYING = "student_not_studying"
    TWO_SA = "two_sa"
    PENSION_AND_SA = "pension_and_sa"
    CATEGORY_ENDED = "category_ended"


ELIGIBLE_KINDS = (Kind.AGE_80, Kind.PENSION_75, Kind.PENSION_70_POOR, Kind.CHILD_NO_PARENT, Kind.DISABILITY,
                  Kind.ELDERLY_POOR_ALONE)
INELIGIBLE_KINDS = (Kind.DIED, Kind.MOVED, Kind.OTHER_COMMUNE, Kind.NOT_POOR, Kind.PENSION_UNDER_70,
                    Kind.HAS_PENSION, Kind.ORPHAN_16, Kind.STUDENT_22, Kind.STUDENT_NOT_STUDYING, Kind.TWO_SA,
                    Kind.PENSION_AND_SA, Kind.CATEGORY_ENDED)


@dataclass(frozen=True)
class Finding:
    person_id: int
    household_id: int
    commune_id: int
    name: str
    reason: str  # Vietnamese: the fact and the article
    category: str  # the category concerned (codes joined by "+" when several entitlements are)
    kind: str  # one of `Kind`
    scheme: str = ""
    entitlement_id: int | None = None
    birth_date: dt.date | None = None


# --- Dates ----------------------------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 Feb for a 29 Feb that does not exist): a person born on or
    before it is `years` old or more on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _m(month: dt.date) -> str:
    return f"tháng {month.month}/{month.year}"


# --- The unit, the people, the open entitlements ---------------------------------------------


def commune_ids(unit: Unit) -> list[int]:
    """The current map's communes of `unit` (itself if it is one); none for a legacy unit."""
    if unit.edition == Edition.LEGACY:
        return []
    if unit.level == Level.COMMUNE:
        return [unit.pk]
    return list(Unit.objects.filter(path__under=unit.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                .values_list("pk", flat=True))


def open_in(month: dt.date) -> Q:
    """Entitlements paid in `month` by their dates (start ≤ month < stop)."""
    return Q(start_month__lte=month) & (Q(stop_month__isnull=True) | Q(stop_month__gt=month))


def _present(day: dt.date) -> QuerySet[Member]:
    return Member.objects.present(day)


def _people(communes: list[int], day: dt.date) -> QuerySet[Member]:
    """Members present at `day` in active households of the communes (a join: on SQLite a
    subquery of the households was 1,5–2 times slower at 300,000 households)."""
    return _present(day).filter(household__commune_id__in=communes, household__status=HouseholdStatus.ACTIVE)


def _receives(month: dt.date, schemes: tuple[str, ...]) -> Exists:
    return Exists(Entitlement.objects.filter(open_in(month), person=OuterRef("pk"), scheme__in=schemes))


def category_names() -> dict[str, str]:
    return dict(Category.objects.values_list("code", "name"))


# --- Eligible but receiving nothing -----------------------------------------------------------

PERSON_FIELDS = ("pk", "household_id", "household__commune_id", "full_name", "birth_date")


def eligible_unpaid(unit: Unit, on: dt.date) -> list[Finding]:
    """People of `unit` who appear eligible in the month of `on` but receive nothing of the scheme
(three queries).

    1. The elderly with no pension: before 1 Jul 2025, aged 80 or over with no open social
       assistance (Decree 20 Art. 5(5)c); from then on the social pension: aged 75 or over, or 70
       to 75 in a poor or near-poor household, with neither the social pension nor social
       assistance open (someone on both gets the higher: Law 41/2024 Art. 22).
    2. A child under 16 in a poor household with no parent recorded in it (see the module's
       docstring), with no social assistance open (Art. 5(1)).
    3. A person with a severe or especially severe disability and no social assistance (Art. 5(6)).
    4. A person aged 60 or over alone in a poor household (the only member present), with no
       social assistance (Art. 5(5)a: to check whether someone is obliged to support her).
    """
    communes = commune_ids(unit)
    if not communes:
        return []
    month = month_of(on)
    end = month_end(month)
    out: list[Finding] = []
    sa = (Scheme.SOCIAL_ASSISTANCE.value,)
    sa_or_pension = (Scheme.SOCIAL_ASSISTANCE.value, Scheme.SOCIAL_PENSION.value)
    status = "household__poverty_current__status"
    poor_or_near = [PovertyStatus.POOR, PovertyStatus.NEAR_POOR]

    # 1 and 3 in one read of the members: the elderly with no pension, the severely disabled.
    if month < SOCIAL_PENSION_FROM:
        elderly = Q(birth_date__lte=years_before(end, 80))
    else:
        elderly = Q(birth_date__lte=years_before(end, 70)) & (Q(birth_date__lte=years_before(end, 75))
                                                              | Q(**{f"{status}__in": poor_or_near}))
    elderly &= Q(pension=False)
    disabled = Q(disability__in=[Disability.SEVERE, Disability.ESPECIALLY_SEVERE])
    # The candidates first, by the birth date and disability indexes (a few per cent of the members),
    # rather than every member of the unit's households.
    oldest = years_before(end, 80 if month < SOCIAL_PENSION_FROM else 70)
    candidates = Member.objects.filter(Q(birth_date__lte=oldest) | disabled).values("pk")
    rows = (_people(communes, end).filter(pk__in=candidates)
            .filter((elderly & ~_receives(month, sa_or_pension)) | (disabled & ~_receives(month, sa)))
            .annotate(any_open=_receives(month, sa_or_pension), sa_open=_receives(month, sa))
            .values_list(*PERSON_FIELDS, status, "pension", "disability", "any_open", "sa_open"))
    c70, c75, c80 = years_before(end, 70), years_before(end, 75), years_before(end, 80)
    for pk, household, commune, name, born, st, pension, disability, any_open, sa_open in rows:
        if not pension and not any_open:
            kind = ""
            if month < SOCIAL_PENSION_FROM:
                if born <= c80:
                    kind, code, scheme = Kind.AGE_80, "sa_elderly_80", Scheme.SOCIAL_ASSISTANCE
            elif born <= c75 or (born <= c70 and st in POOR_AND_NEAR):
                kind = Kind.PENSION_75 if born <= c75 else Kind.PENSION_70_POOR
                code, scheme = "social_pension", Scheme.SOCIAL_PENSION
            if kind:
                out.append(Finding(pk, household, commune, name, _elderly_reason(kind, born, month, st), code, kind,
                                   scheme, None, born))
        if disability in (Disability.SEVERE, Disability.ESPECIALLY_SEVERE) and not sa_open:
            especially = disability == Disability.ESPECIALLY_SEVERE
            code = "sa_disability_especially_severe" if especially else "sa_disability_severe"
            reason = (f"Khuyết tật {'đặc biệt nặng' if especially else 'nặng'} (ghi trong sổ hộ), chưa hưởng trợ cấp "
                      f"xã hội hằng tháng {_m(month)} — {ART_5_6}")
            out.append(Finding(pk, household, commune, name, reason, code, Kind.DISABILITY,
                               Scheme.SOCIAL_ASSISTANCE, None, born))

    # 2. A child under 16 in a poor household with no parent recorded in it.
    present = _present(end).filter(household=OuterRef("household")).exclude(pk=OuterRef("pk"))
    adult = years_before(end, 18)
    head_or_spouse = Exists(present.filter(relation__in=[Relation.HEAD, Relation.SPOUSE]))
    grown_child = Exists(present.filter(relation__in=[Relation.CHILD, Relation.OTHER], birth_date__lte=adult))
    heads_parent = Exists(present.filter(relation=Relation.PARENT))
    no_parent = ((Q(relation=Relation.CHILD) & ~head_or_spouse) | (Q(relation=Relation.GRANDCHILD) & ~grown_child)
                 | (Q(relation__in=[Relation.SIBLING, Relation.HEAD]) & ~heads_parent) | Q(relation=Relation.OTHER))
    rows3 = (_people(communes, end).filter(no_parent, birth_date__gt=years_before(end, 16),
                                           **{status: PovertyStatus.POOR})
             .exclude(_receives(month, sa)).values_list(*PERSON_FIELDS, "relation"))
    for pk, household, commune, name, born, relation in rows3:
        out.append(Finding(pk, household, commune, name, _child_reason(born, relation), "sa_orphan",
                           Kind.CHILD_NO_PARENT, Scheme.SOCIAL_ASSISTANCE, None, born))

    # 4. Aged 60 or over, alone in a poor household.
    anyone_else = Exists(present)
    rows5 = (_people(communes, end).filter(birth_date__lte=years_before(end, 60), **{status: PovertyStatus.POOR})
             .exclude(anyone_else).exclude(_receives(month, sa)).values_list(*PERSON_FIELDS))
    for pk, household, commune, name, born in rows5:
        reason = (f"Từ đủ 60 tuổi (sinh ngày {_d(born)}), sống một mình trong hộ nghèo (hộ không còn thành viên nào "
                  f"khác), chưa hưởng trợ cấp xã hội hằng tháng {_m(month)}; cần xác minh không có người có nghĩa vụ "
                  f"phụng dưỡng — {ART_5_5A}")
        out.append(Finding(pk, household, commune, name, reason, "sa_elderly_poor_alone", Kind.ELDERLY_POOR_ALONE,
                           Scheme.SOCIAL_ASSISTANCE, None, born))
    return out


def _elderly_reason(kind: str, born: dt.date, month: dt.date, status: str | None) -> str:
    none = "không có lương hưu, trợ cấp bảo hiểm xã hội hằng tháng"
    if kind == Kind.AGE_80:
        return (f"Đủ 80 tuổi (sinh ngày {_d(born)}), {none}, chưa hưởng trợ cấp xã hội hằng tháng {_m(month)} — "
                f"{ART_5_5C}")
    if kind == Kind.PENSION_75:
        return (f"Đủ 75 tuổi (sinh ngày {_d(born)}), {none}, chưa hưởng trợ cấp hưu trí xã hội hay trợ cấp xã hội "
                f"hằng tháng {_m(month)} — {LAW_41_21}")
    return (f"Từ đủ 70 đến dưới 75 tuổi (sinh ngày {_d(born)}), thuộc {STATUS_VI.get(status or '', 'hộ nghèo')} "
            f"(kết quả rà soát gần nhất), {none}, chưa hưởng trợ cấp hưu trí xã hội hay trợ cấp xã hội hằng tháng "
            f"{_m(month)} — {LAW_41_21}")


def _child_reason(born: dt.date, relation: str) -> str:
    missing = {
        Relation.CHILD: "không còn chủ hộ hay vợ/chồng chủ hộ (cha, mẹ) trong hộ",
        Relation.GRANDCHILD: "không có người từ đủ 18 tuổi là con của chủ hộ hay người thân khác (có thể là cha, mẹ) "
                             "trong hộ",
        Relation.SIBLING: "không có cha, mẹ của chủ hộ (cha, mẹ của trẻ) trong hộ",
        Relation.HEAD: "trẻ là chủ hộ, không có cha, mẹ trong hộ",
        Relation.OTHER: "là người thân khác của chủ hộ, không có cha, mẹ được ghi trong hộ",
    }.get(Relation(relation), "không có cha, mẹ trong hộ")
    return (f"Trẻ em dưới 16 tuổi (sinh ngày {_d(born)}) thuộc hộ nghèo, {missing}; chưa hưởng trợ cấp xã hội hằng "
            f"tháng; cần xác minh hoàn cảnh không có nguồn nuôi dưỡng — {ART_5_1}")


# --- Paid but no longer eligible --------------------------------------------------------------

@dataclass(frozen=True)
class _Paid:
    """An open entitlement with the facts the checks read (one row of the single query)."""

    pk: int
    person: int
    household: int
    commune: int
    name: str
    code: str
    scheme: str
    kind: str
    valid_to: dt.date | None
    born: dt.date
    died: dt.date | None
    left: dt.date | None
    schooling: str
    pension: bool
    lives: int
    status: str | None


PAID_FIELDS = ("pk", "person_id", "person__household_id", "commune_id", "person__full_name", "category__code",
               "scheme", "category__kind", "category__valid_to", "person__birth_date", "person__died_on",
               "person__left_on", "person__schooling", "person__pension", "person__household__commune_id",
               "person__household__poverty_current__status")


def _death_basis(scheme: str) -> str:
    if scheme == Scheme.SOCIAL_PENSION:
        return f"{DECREE_176} (thôi hưởng từ tháng sau)"
    if scheme == Scheme.MERITORIOUS:
        return f"{DECREE_131_DEATH} (trợ cấp tuất từ tháng liền kề sau tháng chết)"
    return ART_8_2


def _move_basis(scheme: str) -> str:
    if scheme == Scheme.MERITORIOUS:
        return f"{DECREE_131} (di chuyển hồ sơ người có công)"
    if scheme == Scheme.SOCIAL_PENSION:
        return f"{DECREE_176} (nơi cư trú mới chi trả từ tháng tiếp theo tháng dừng ở nơi cũ)"
    return f"{ART_8_4} (nơi cư trú mới chi trả từ tháng sau tháng thôi hưởng ở nơi cũ)"


def paid_ineligible(unit: Unit, on: dt.date) -> list[Finding]:
    """Open entitlements, paid by a commune of `unit` in the month of `on`, of people who no longer
    appear eligible. One read of the unit's open entitlements with their people's facts (the
    entitlement's commune index), then the rules over those rows:

    1. dead in an earlier month (paid until the month of death, stopped from the next: Decree 20
       Art. 8(2); Decree 176/2025; Decree 131/2021 Art. 121, 125);
    2. moved out of the household in an earlier month, or living in another commune than the one
       that pays (Art. 8(4));
    3. the household no longer poor (or near-poor) where the category needs it, by its current
       status (Art. 5(3), 5(4), 5(5)a/b/d, 5(7), 5(8); Law 41/2024 Art. 21 for the social pension
       at 70–75); a social pensioner under 70;
    4. a pension recorded for a 5(5)c beneficiary or a social pensioner;
    5. an orphan (5(1)) who turned 16 in an earlier month and does not study; a 5(2) student who
       turned 22 or no longer studies;
    6. two social-assistance categories open at once outside the single-parent exception (Art.
       6(2)); the social pension and social assistance both open (Law 41/2024 Art. 22);
    7. a category no longer in force (5(5)b and c after 30 Jun 2025: the social pension).
    A person listed as dead or moved out is not listed again for another reason.
    """
    communes = commune_ids(unit)
    if not communes:
        return []
    month = month_of(on)
    end = month_end(month)
    names = category_names()
    # Only the rows some rule may list are read (a few per cent of the open entitlements): the
    # dead, the moved, the paid elsewhere, the categories with a condition the register shows, and
    # the people with two monthly amounts (a GROUP BY).
    open_here = Entitlement.objects.filter(open_in(month), commune_id__in=communes)
    several = (open_here.filter(category__kind=LineKind.ALLOWANCE,
                                scheme__in=[Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION])
               .order_by().values("person_id").annotate(n=Count("pk")).filter(n__gte=2).values("person_id"))
    may = (Q(person__died_on__lt=month) | Q(person__left_on__lt=month) | ~Q(person__household__commune_id=F("commune_id"))
           | Q(category__code__in=CONDITIONAL) | Q(category__valid_to__lt=month)
           | Q(scheme=Scheme.SOCIAL_PENSION, person__birth_date__gt=years_before(end, 75))
           | Q(scheme=Scheme.SOCIAL_PENSION, person__pension=True)
           | Q(person_id__in=several))
    rows = [_Paid(*values) for values in open_here.filter(may).order_by("person_id", "pk").values_list(*PAID_FIELDS)]
    out: list[Finding] = []

    def add(row: _Paid, reason: str, kind: str, category: str | None = None) -> None:
        out.append(Finding(row.person, row.household, row.commune, row.name, reason, category or row.code, kind,
                           row.scheme, row.pk, row.born))

    def label(code: str) -> str:
        return names.get(code, code)

    # 1. Dead.
    for row in rows:
        if row.died is not None and row.died < month:
            add(row, f"Đã chết ngày {_d(row.died)} nhưng “{label(row.code)}” vẫn còn chi trả {_m(month)}: thôi "
                     f"hưởng từ tháng sau tháng chết — {_death_basis(row.scheme)}", Kind.DIED)
    gone = {f.person_id for f in out}

    # 2. Moved out, or paid by another commune than the one she lives in.
    for row in rows:
        if row.person not in gone and row.left is not None and row.left < month:
            add(row, f"Đã chuyển khỏi hộ ngày {_d(row.left)} nhưng “{label(row.code)}” vẫn còn chi trả {_m(month)} "
                     f"tại nơi cũ — {_move_basis(row.scheme)}", Kind.MOVED)
    gone |= {f.person_id for f in out}
    elsewhere = [row for row in rows if row.person not in gone and row.left is None and row.lives != row.commune]
    if elsewhere:
        unit_names = dict(Unit.objects.filter(pk__in={r.lives for r in elsewhere} | {r.commune for r in elsewhere})
                          .values_list("pk", "name"))
        for row in elsewhere:
            add(row, f"Đang cư trú tại {unit_names.get(row.lives, '')} nhưng “{label(row.code)}” vẫn do "
                     f"{unit_names.get(row.commune, '')} chi trả {_m(month)}: điều chỉnh nơi chi trả — "
                     f"{_move_basis(row.scheme)}", Kind.OTHER_COMMUNE)
    gone |= {f.person_id for f in out}
    stays = [row for row in rows if row.person not in gone]

    c75, c70 = years_before(end, 75), years_before(end, 70)
    c16, c22 = years_before(month, 16), years_before(month, 22)
    for row in stays:
        code, status = row.code, row.status
        # 3. The household no longer poor or near-poor where the category needs it.
        for codes, allowed in ((POOR_ONLY, POOR), (POOR_OR_NEAR, POOR_AND_NEAR)):
            if code in codes and status and status not in allowed:
                need = "hộ nghèo" if allowed == POOR else "hộ nghèo hoặc hộ cận nghèo"
                add(row, f"Hộ nay là {STATUS_VI.get(status, status)} (kết quả rà soát gần nhất), không còn là {need} "
                         f"như “{label(code)}” đòi hỏi — {codes[code]}; thôi hưởng từ tháng sau tháng không còn đủ "
                         f"điều kiện — {ART_8_2}", Kind.NOT_POOR)
        if row.scheme == Scheme.SOCIAL_PENSION and row.born > c75:
            if row.born > c70:
                add(row, f"Chưa đủ 70 tuổi (sinh ngày {_d(row.born)}) nhưng đang hưởng trợ cấp hưu trí xã hội — "
                         f"{LAW_41_21}", Kind.PENSION_UNDER_70)
            elif status and status not in POOR_AND_NEAR:
                add(row, f"Từ 70 đến dưới 75 tuổi (sinh ngày {_d(row.born)}), hộ nay là {STATUS_VI.get(status, status)} "
                         f"(kết quả rà soát gần nhất), không còn là hộ nghèo hoặc hộ cận nghèo — {LAW_41_21}",
                    Kind.NOT_POOR)
        # 4. A pension recorded in the register.
        if row.pension and code == "sa_elderly_80":
            add(row, f"Sổ hộ ghi người này có lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng, không thuộc diện "
                     f"“{label(code)}” — {ART_5_5C}", Kind.HAS_PENSION)
        elif row.pension and row.scheme == Scheme.SOCIAL_PENSION:
            add(row, "Sổ hộ ghi người này có lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng; chỉ được hưởng trợ cấp "
                     f"hưu trí xã hội nếu mức đang hưởng thấp hơn mức trợ cấp hưu trí xã hội — {LAW_41_21}",
                Kind.HAS_PENSION)
        # 5. Age and schooling of children.
        studying = row.schooling != Schooling.NONE
        if code == "sa_orphan" and not studying and row.born < c16:
            add(row, f"Đã đủ 16 tuổi (sinh ngày {_d(row.born)}) và không còn đi học (sổ hộ): không còn thuộc diện trẻ "
                     f"em dưới 16 tuổi, cũng không thuộc diện đang học — {ART_5_1}, {ART_5_2}", Kind.ORPHAN_16)
        elif code == "sa_orphan_student" and row.born < c22:
            add(row, f"Đã đủ 22 tuổi (sinh ngày {_d(row.born)}): trợ cấp khi đang học chỉ đến 22 tuổi — {ART_5_2}",
                Kind.STUDENT_22)
        elif code == "sa_orphan_student" and not studying:
            add(row, f"Sổ hộ ghi không còn đi học nhưng vẫn hưởng “{label(code)}” — {ART_5_2}",
                Kind.STUDENT_NOT_STUDYING)
        # 7. A category no longer in force.
        if code in ENDED_ELDERLY and month >= SOCIAL_PENSION_FROM:
            add(row, f"“{label(code)}” (Điều 5 khoản 5 điểm {'b' if code == 'sa_elderly_75' else 'c'} Nghị định "
                     f"20/2021/NĐ-CP) không còn áp dụng từ 01/7/2025 nhưng vẫn còn chi trả {_m(month)}: xét chuyển "
                     f"sang trợ cấp hưu trí xã hội — {LAW_41_21} (tạm tính — chưa đối chiếu văn bản gốc)",
                Kind.CATEGORY_ENDED)
        elif row.valid_to is not None and row.valid_to < month:
            add(row, f"“{label(code)}” hết hiệu lực sau ngày {_d(row.valid_to)} nhưng vẫn còn chi trả {_m(month)}",
                Kind.CATEGORY_ENDED)

    # 6. Two monthly amounts where the law pays one.
    by_person: dict[int, list[_Paid]] = defaultdict(list)
    for row in stays:
        if row.kind == LineKind.ALLOWANCE and row.scheme in (Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION):
            by_person[row.person].append(row)
    for held in by_person.values():
        if len(held) < 2:
            continue
        sa_rows = [r for r in held if r.scheme == Scheme.SOCIAL_ASSISTANCE]
        pension_rows = [r for r in held if r.scheme == Scheme.SOCIAL_PENSION]
        sa_codes = [r.code for r in sa_rows]
        others = [c for c in sa_codes if c != SINGLE_PARENT]
        single = sa_codes.count(SINGLE_PARENT)
        if len(others) >= 2 or single >= 2 or (single == 1 and any(c not in WITH_SINGLE_PARENT for c in others)):
            listed = ", ".join(f"“{label(c)}”" for c in sa_codes)
            add(sa_rows[-1], f"Đang mở cùng lúc {len(sa_codes)} chế độ trợ cấp xã hội hằng tháng ({listed}): chỉ được "
                             f"hưởng một mức cao nhất (trừ người đơn thân nghèo nuôi con thuộc thêm diện khoản 5, 6 "
                             f"hoặc 8) — {ART_6_2}", Kind.TWO_SA, "+".join(sa_codes))
        if pension_rows and sa_rows:
            listed = ", ".join(f"“{label(r.code)}”" for r in pension_rows + sa_rows)
            add(pension_rows[0], f"Đang mở cùng lúc trợ cấp hưu trí xã hội và trợ cấp xã hội hằng tháng ({listed}): "
                                 f"chỉ được hưởng một chế độ có mức cao hơn — {LAW_41_22}", Kind.PENSION_AND_SA,
                "+".join(r.code for r in pension_rows + sa_rows))
        elif len(pension_rows) >= 2:
            add(pension_rows[-1], f"Đang mở {len(pension_rows)} quyết định trợ cấp hưu trí xã hội cùng lúc: chỉ được "
                                  f"hưởng một — {LAW_41_21}", Kind.TWO_SA, "social_pension")
    return out


__all__ = ["ELIGIBLE_KINDS", "INELIGIBLE_KINDS", "Finding", "Kind", "eligible_unpaid", "paid_ineligible"]
