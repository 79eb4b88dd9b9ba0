"""Who should and who should not be paid: two lists per unit and month, from the register, the
current poverty status and the entitlements (issue 11, item 4).

- `eligible_unpaid(unit, on)`: people who appear eligible for a monthly scheme but hold no open
  entitlement of it in the month of `on`;
- `paid_ineligible(unit, on)`: open entitlements of people who no longer appear eligible.

Each line (`Finding`) says why in Vietnamese, naming the fact and the article. The lists are
leads for the commune officer, not decisions: the law's conditions the register does not hold
(a disadvantaged commune, someone obliged to support an elderly person, a pension lower than the
social pension) are named in the reason for her to check.

Set-based: one query per reason over the unit's communes (EXISTS / GROUP BY in the database), a
constant number whatever the number of people; no query per person. Ages are taken on the last
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

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Disability, HouseholdStatus, Member, Relation, Schooling
from ansinh.poverty.models import PovertyStatus

from .models import Category, Entitlement, LineKind, Scheme

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


def month_of(on: dt.date) -> dt.date:
    return on.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


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
    """Members present at `day` in active households of the communes."""
    return _present(day).filter(household__commune_id__in=communes, household__status=HouseholdStatus.ACTIVE)


def _receives(month: dt.date, schemes: tuple[str, ...]) -> Exists:
    return Exists(Entitlement.objects.filter(open_in(month), person=OuterRef("pk"), scheme__in=schemes))


def category_names() -> dict[str, str]:
    return dict(Category.objects.values_list("code", "name"))


# --- Eligible but receiving nothing -----------------------------------------------------------

PERSON_FIELDS = ("pk", "household_id", "household__commune_id", "full_name", "birth_date")


def eligible_unpaid(unit: Unit, on: dt.date) -> list[Finding]:
    """People of `unit` who appear eligible in the month of `on` but receive nothing of the scheme.

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

    # 1. The elderly.
    people = _people(communes, end).filter(pension=False)
    if month < SOCIAL_PENSION_FROM:
        rows = (people.filter(birth_date__lte=years_before(end, 80)).exclude(_receives(month, sa_or_pension))
                .values_list(*PERSON_FIELDS, status))
    else:
        rows = (people.filter(Q(birth_date__lte=years_before(end, 75))
                              | Q(birth_date__lte=years_before(end, 70), **{f"{status}__in": poor_or_near}))
                .exclude(_receives(month, sa_or_pension)).values_list(*PERSON_FIELDS, status))
    c75 = years_before(end, 75)
    for pk, household, commune, name, born, st in rows:
        if month < SOCIAL_PENSION_FROM:
            kind, code, scheme = Kind.AGE_80, "sa_elderly_80", Scheme.SOCIAL_ASSISTANCE
        else:
            kind = Kind.PENSION_75 if born <= c75 else Kind.PENSION_70_POOR
            code, scheme = "social_pension", Scheme.SOCIAL_PENSION
        out.append(Finding(pk, household, commune, name, _elderly_reason(kind, born, month, st), code, kind,
                           scheme, None, born))

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

    # 3. Severe or especially severe disability.
    rows4 = (_people(communes, end).filter(disability__in=[Disability.SEVERE, Disability.ESPECIALLY_SEVERE])
             .exclude(_receives(month, sa)).values_list(*PERSON_FIELDS, "disability"))
    for pk, household, commune, name, born, disability in rows4:
        code = "sa_disability_especially_severe" if disability == Disability.ESPECIALLY_SEVERE else "sa_disability_severe"
        level = "đặc biệt nặng" if disability == Disability.ESPECIALLY_SEVERE else "nặng"
        reason = (f"Khuyết tật {level} (ghi trong sổ hộ), chưa hưởng trợ cấp xã hội hằng tháng {_m(month)} — {ART_5_6}")
        out.append(Finding(pk, household, commune, name, reason, code, Kind.DISABILITY, Scheme.SOCIAL_ASSISTANCE,
                           None, born))

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

ENTITLEMENT_FIELDS = ("pk", "person_id", "person__household_id", "commune_id", "person__full_name",
                      "category__code", "scheme", "person__birth_date")


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
    appear eligible. One query per reason over the open entitlements (index on the commune):

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
    base = Entitlement.objects.filter(open_in(month), commune_id__in=communes)
    out: list[Finding] = []

    def add(row: tuple, reason: str, kind: str, category: str | None = None) -> None:
        pk, person, household, commune, name, code, scheme, born = row[:8]
        out.append(Finding(person, household, commune, name, reason, category or code, kind, scheme, pk, born))

    def label(code: str) -> str:
        return names.get(code, code)

    # 1. Dead.
    for row in base.filter(person__died_on__lt=month).values_list(*ENTITLEMENT_FIELDS, "person__died_on"):
        code, scheme, died = row[5], row[6], row[8]
        add(row, f"Đã chết ngày {_d(died)} nhưng “{label(code)}” vẫn còn chi trả {_m(month)}: thôi hưởng từ tháng "
                 f"sau tháng chết — {_death_basis(scheme)}", Kind.DIED)
    gone = {f.person_id for f in out}

    # 2. Moved out, or paid by another commune than the one she lives in.
    for row in (base.filter(person__left_on__lt=month).exclude(person_id__in=gone)
                .values_list(*ENTITLEMENT_FIELDS, "person__left_on")):
        code, scheme, left = row[5], row[6], row[8]
        add(row, f"Đã chuyển khỏi hộ ngày {_d(left)} nhưng “{label(code)}” vẫn còn chi trả {_m(month)} tại nơi cũ — "
                 f"{_move_basis(scheme)}", Kind.MOVED)
    gone |= {f.person_id for f in out}
    for row in (base.exclude(person__household__commune_id=F("commune_id")).filter(person__left_on__isnull=True)
                .exclude(person_id__in=gone)
                .values_list(*ENTITLEMENT_FIELDS, "commune__name", "person__household__commune__name")):
        code, scheme, paying, lives = row[5], row[6], row[8], row[9]
        add(row, f"Đang cư trú tại {lives} nhưng “{label(code)}” vẫn do {paying} chi trả {_m(month)}: điều chỉnh nơi "
                 f"chi trả — {_move_basis(scheme)}", Kind.OTHER_COMMUNE)
    stays = base.exclude(person_id__in=gone)

    # 3. The household no longer poor or near-poor where the category needs it.
    status = "person__household__poverty_current__status"
    for codes, allowed in ((POOR_ONLY, [PovertyStatus.POOR]), (POOR_OR_NEAR, [PovertyStatus.POOR, PovertyStatus.NEAR_POOR])):
        rows = (stays.filter(category__code__in=list(codes), **{f"{status}__isnull": False})
                .exclude(**{f"{status}__in": allowed}).values_list(*ENTITLEMENT_FIELDS, status))
        need = "hộ nghèo" if len(allowed) == 1 else "hộ nghèo hoặc hộ cận nghèo"
        for row in rows:
            code, st = row[5], row[8]
            add(row, f"Hộ nay là {STATUS_VI.get(st, st)} (kết quả rà soát gần nhất), không còn là {need} như "
                     f"“{label(code)}” đòi hỏi — {codes[code]}; thôi hưởng từ tháng sau tháng không còn đủ điều kiện "
                     f"— {ART_8_2}", Kind.NOT_POOR)
    young = (stays.filter(scheme=Scheme.SOCIAL_PENSION, person__birth_date__gt=years_before(end, 75))
             .values_list(*ENTITLEMENT_FIELDS, status))
    c70 = years_before(end, 70)
    for row in young:
        born, st = row[7], row[8]
        if born > c70:
            add(row, f"Chưa đủ 70 tuổi (sinh ngày {_d(born)}) nhưng đang hưởng trợ cấp hưu trí xã hội — {LAW_41_21}",
                Kind.PENSION_UNDER_70)
        elif st and st not in (PovertyStatus.POOR, PovertyStatus.NEAR_POOR):
            add(row, f"Từ 70 đến dưới 75 tuổi (sinh ngày {_d(born)}), hộ nay là {STATUS_VI.get(st, st)} (kết quả rà "
                     f"soát gần nhất), không còn là hộ nghèo hoặc hộ cận nghèo — {LAW_41_21}", Kind.NOT_POOR)

    # 4. A pension recorded in the register.
    for row in (stays.filter(Q(category__code="sa_elderly_80") | Q(scheme=Scheme.SOCIAL_PENSION), person__pension=True)
                .values_list(*ENTITLEMENT_FIELDS)):
        code = row[5]
        if code == "sa_elderly_80":
            add(row, f"Sổ hộ ghi người này có lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng, không thuộc diện "
                     f"“{label(code)}” — {ART_5_5C}", Kind.HAS_PENSION)
        else:
            add(row, "Sổ hộ ghi người này có lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng; chỉ được hưởng trợ cấp "
                     "hưu trí xã hội nếu mức đang hưởng thấp hơn mức trợ cấp hưu trí xã hội — "
                     f"{LAW_41_21}", Kind.HAS_PENSION)

    # 5. Age and schooling of children.
    not_studying = Q(person__schooling=Schooling.NONE)
    for row in (stays.filter(not_studying, category__code="sa_orphan", person__birth_date__lt=years_before(month, 16))
                .values_list(*ENTITLEMENT_FIELDS)):
        add(row, f"Đã đủ 16 tuổi (sinh ngày {_d(row[7])}) và không còn đi học (sổ hộ): không còn thuộc diện trẻ em "
                 f"dưới 16 tuổi, cũng không thuộc diện đang học — {ART_5_1}, {ART_5_2}", Kind.ORPHAN_16)
    students = stays.filter(category__code="sa_orphan_student")
    for row in students.filter(person__birth_date__lt=years_before(month, 22)).values_list(*ENTITLEMENT_FIELDS):
        add(row, f"Đã đủ 22 tuổi (sinh ngày {_d(row[7])}): trợ cấp khi đang học chỉ đến 22 tuổi — {ART_5_2}",
            Kind.STUDENT_22)
    for row in (students.filter(not_studying, person__birth_date__gte=years_before(month, 22))
                .values_list(*ENTITLEMENT_FIELDS)):
        add(row, f"Sổ hộ ghi không còn đi học nhưng vẫn hưởng “{label(row[5])}” — {ART_5_2}", Kind.STUDENT_NOT_STUDYING)

    # 6. Two monthly amounts where the law pays one.
    allowance = stays.filter(category__kind=LineKind.ALLOWANCE)
    multi = (allowance.filter(scheme__in=[Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION]).order_by()
             .values("person_id").annotate(n=Count("pk")).filter(n__gte=2).values("person_id"))
    by_person: dict[int, list[tuple]] = defaultdict(list)
    for row in (allowance.filter(person_id__in=multi, scheme__in=[Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION])
                .order_by("person_id", "pk").values_list(*ENTITLEMENT_FIELDS)):
        by_person[row[1]].append(row)
    for person_rows in by_person.values():
        sa_rows = [r for r in person_rows if r[6] == Scheme.SOCIAL_ASSISTANCE]
        pension_rows = [r for r in person_rows if r[6] == Scheme.SOCIAL_PENSION]
        sa_codes = [r[5] for r in sa_rows]
        others = [c for c in sa_codes if c != SINGLE_PARENT]
        single = sa_codes.count(SINGLE_PARENT)
        clash = len(others) >= 2 or single >= 2 or (single == 1 and any(c not in WITH_SINGLE_PARENT for c in others))
        if clash:
            listed = ", ".join(f"“{label(c)}”" for c in sa_codes)
            add(sa_rows[-1], f"Đang mở cùng lúc {len(sa_codes)} chế độ trợ cấp xã hội hằng tháng ({listed}): chỉ được "
                             f"hưởng một mức cao nhất (trừ người đơn thân nghèo nuôi con thuộc thêm diện khoản 5, 6 "
                             f"hoặc 8) — {ART_6_2}", Kind.TWO_SA, "+".join(sa_codes))
        if pension_rows and sa_rows:
            listed = ", ".join(f"“{label(r[5])}”" for r in pension_rows + sa_rows)
            add(pension_rows[0], f"Đang mở cùng lúc trợ cấp hưu trí xã hội và trợ cấp xã hội hằng tháng ({listed}): "
                                 f"chỉ được hưởng một chế độ có mức cao hơn — {LAW_41_22}", Kind.PENSION_AND_SA,
                "+".join(r[5] for r in pension_rows + sa_rows))
        elif len(pension_rows) >= 2:
            add(pension_rows[-1], f"Đang mở {len(pension_rows)} quyết định trợ cấp hưu trí xã hội cùng lúc: chỉ được "
                                  f"hưởng một — {LAW_41_21}", Kind.TWO_SA, "social_pension")

    # 7. A category no longer in force.
    ended = Q(category__valid_to__lt=month)
    if month >= SOCIAL_PENSION_FROM:
        ended |= Q(category__code__in=ENDED_ELDERLY)
    for row in stays.filter(ended).values_list(*ENTITLEMENT_FIELDS, "category__valid_to"):
        code, until = row[5], row[8]
        if code in ENDED_ELDERLY:
            reason = (f"“{label(code)}” (Điều 5 khoản 5 điểm {'b' if code == 'sa_elderly_75' else 'c'} Nghị định "
                      f"20/2021/NĐ-CP) không còn áp dụng từ 01/7/2025 nhưng vẫn còn chi trả {_m(month)}: xét chuyển "
                      f"sang trợ cấp hưu trí xã hội — {LAW_41_21} (tạm tính — chưa đối chiếu văn bản gốc)")
        else:
            reason = f"“{label(code)}” hết hiệu lực sau ngày {_d(until)} nhưng vẫn còn chi trả {_m(month)}"
        add(row, reason, Kind.CATEGORY_ENDED)
    return out


__all__ = ["ELIGIBLE_KINDS", "INELIGIBLE_KINDS", "Finding", "Kind", "eligible_unpaid", "paid_ineligible"]
