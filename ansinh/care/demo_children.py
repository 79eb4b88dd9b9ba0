"""Demo data of the children area (`ansinh demo care --province 86`), made from the province's
household register:

1. children in special circumstances: the disabled children of the register, and about one child
   in thirty more, spread over the other groups of the Law on Children Art. 10 (weights below) and
   over the communes, each since a day of 2020–2024, a few leaving a group in 2025;
2. support recorded each quarter from 2024 to today for most of them (nine in ten quarters), by the
   commune, the social work centre, the women's union or the school; a case note or two each;
   an abuse case for the children of the groups of violence, sexual abuse, exploitation and
   trafficking (the day the circumstance began);
3. the 2024 assessment of every commune against Decision 06/QĐ-TTg, entered, submitted and approved,
   four in five meeting the standard (seed 004's 80 %), and a few 2025 assessments in progress;
4. seed 001's "tặng quà cho 948 trẻ em nghèo, có hoàn cảnh đặc biệt khó khăn … tổng tiền trên 242
   triệu đồng": a Tết package of 20/01/2025 (Tết Ất Tỵ) from socialised funds, 256.000 đồng to each of
   948 children (the children in special circumstances first, then children of poor households), so
   that the province's report of 2025-Q1 counts 948 children given gifts (the package indicator of
   the payments app).

Deterministic (`random.Random`, people in id order) and idempotent: the register is made once per
province (a province with children registered is left as it is), a commune's assessment of a year
once, the package once (its name, unit and date)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import HouseholdStatus, Member
from ansinh.lib.vietnamese import format_number

from . import services_children as services
from .models_children import (
    Child,
    ChildAbuseCase,
    ChildAssessmentStatus,
    ChildCaseNote,
    ChildCircumstance,
    ChildCommuneKind,
    ChildFriendlyAssessment,
    ChildGroup,
    ChildSupport,
    ChildSupportKind,
)

GIFT_DAY = dt.date(2025, 1, 20)  # before Tết Ất Tỵ (29/01/2025)
GIFT_CHILDREN = 948  # seed 001
GIFT_AMOUNT = 256_000  # 948 × 256.000 = 242.688.000 đồng: "tổng tiền trên 242 triệu đồng"
GIFT_NAME = "Quà Tết Ất Tỵ 2025 tặng trẻ em nghèo, có hoàn cảnh đặc biệt khó khăn"
FRIENDLY_SHARE = 0.8  # seed 004
TOTAL_POINTS = 1000  # the scale of Decision 06/QĐ-TTg as published summaries give it
SHARE_OTHER_GROUPS = 1 / 30
GROUP_WEIGHTS = {"orphan": 8, "abandoned": 3, "no_carer": 6, "hiv": 2, "law_conflict": 6, "drug_addicted": 1,
                 "dropout": 15, "violence": 5, "exploited": 3, "sexual_abuse": 3, "trafficked": 1,
                 "serious_illness": 20, "migrant": 2}
ABUSE_GROUPS = {"violence": "violence", "sexual_abuse": "sexual", "exploited": "exploitation",
                "trafficked": "trafficking", "abandoned": "abandonment"}
PROVIDERS = ["UBND xã", "Trung tâm Công tác xã hội tỉnh", "Hội Liên hiệp Phụ nữ xã", "Trường Tiểu học",
             "Trạm Y tế xã", "Trung tâm Trợ giúp pháp lý Nhà nước tỉnh", "Đoàn Thanh niên xã"]
NOTES = ["Thăm hộ gia đình, trẻ đang đi học đều, sức khỏe ổn định.",
         "Đã trao đổi với người chăm sóc về kế hoạch hỗ trợ học tập trong năm học mới.",
         "Phối hợp trạm y tế xã theo dõi sức khỏe định kỳ; gia đình cần hỗ trợ thêm chi phí đi lại.",
         "Cán bộ bảo vệ trẻ em cấp xã đánh giá nhu cầu; đề nghị đưa vào danh sách nhận quà Tết."]


def _quarters(first: dt.date, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    out = []
    day = first
    while day <= today:
        end_month = day.month + 2
        end = (dt.date(day.year, end_month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        out.append((day, min(end, today)))
        day = end + dt.timedelta(days=1)
    return out


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _children_of(province: Unit, on: dt.date) -> list[tuple[int, dt.date, str, int]]:
    """(person, birth date, disability, commune) of the children under 16 on `on` living in the
    province's households that day, in id order."""
    born_after = on.replace(year=on.year - 16)
    return list(Member.objects.filter(
        household__commune__path__startswith=province.path, household__commune__edition=Edition.CURRENT,
        birth_date__gt=born_after, birth_date__lte=on)
        .filter(Q(died_on__isnull=True) | Q(died_on__gt=on), Q(left_on__isnull=True) | Q(left_on__gt=on))
        .filter(Q(household__status=HouseholdStatus.ACTIVE) | Q(household__ended_on__gt=on))
        .order_by("pk").values_list("pk", "birth_date", "disability", "household__commune_id"))


@transaction.atomic
def _register(province: Unit, rng: random.Random, today: dt.date) -> dict[str, int]:
    if Child.objects.filter(commune__path__startswith=province.path).exists():
        return {}
    groups = {g.code: g for g in services.groups_on(dt.date(2024, 12, 31))}
    codes = [c for c in GROUP_WEIGHTS if c in groups]
    weights = [GROUP_WEIGHTS[c] for c in codes]
    picked: list[tuple[int, dt.date, int, str]] = []  # person, born, commune, group
    for person, born, disability, commune in _children_of(province, dt.date(2024, 12, 31)):
        if disability and disability != "none":
            picked.append((person, born, commune, "disabled"))
        elif rng.random() < SHARE_OTHER_GROUPS and codes:
            picked.append((person, born, commune, rng.choices(codes, weights)[0]))
    if not picked:
        return {}
    children = [Child(person_id=person, commune_id=commune, registered_on=_random_day(
        rng, max(born, dt.date(2020, 1, 1)), dt.date(2024, 12, 31))) for person, born, commune, _g in picked]
    Child.objects.bulk_create(children, batch_size=2000)
    ids = dict(Child.objects.filter(person_id__in=[p for p, *_ in picked]).values_list("person_id", "pk"))
    circumstances, supports, notes, abuses = [], [], [], []
    quarters = _quarters(dt.date(2024, 1, 1), today)
    for (person, born, commune, code), child in zip(picked, children, strict=True):
        child_id = ids[person]
        since = child.registered_on
        leaves = born.replace(year=born.year + 16) if not (born.month == 2 and born.day == 29) else dt.date(
            born.year + 16, 2, 28)
        until = _random_day(rng, dt.date(2025, 4, 1), dt.date(2025, 12, 31)) if rng.random() < 0.05 else None
        if until is not None and until > today:
            until = None
        circumstances.append(ChildCircumstance(child_id=child_id, group=groups[code], since=since, until=until,
                                               end_reason="ended" if until else ""))
        for first, last in quarters:
            if last < since or first >= leaves or (until and first > until) or rng.random() >= 0.9:
                continue
            kind = rng.choice(ChildSupportKind.values)
            supports.append(ChildSupport(
                child_id=child_id, kind=kind, provided_on=_random_day(rng, max(first, since), min(last, today)),
                provider=rng.choice(PROVIDERS), description="",
                amount=Decimal(rng.choice([300_000, 500_000, 1_000_000])) if kind == "material" else None))
        for _ in range(rng.choice([1, 1, 2])):
            at = _random_day(rng, max(since, dt.date(2024, 1, 1)), min(today, dt.date(2025, 12, 31)))
            notes.append(ChildCaseNote(child_id=child_id, author_name="Cán bộ bảo vệ trẻ em cấp xã", text=rng.choice(NOTES),
                                       written_at=timezone.make_aware(dt.datetime.combine(at, dt.time(9, 30)))))
        if code in ABUSE_GROUPS:
            last = min(today, leaves - dt.timedelta(days=1), dt.date(2025, 12, 31))
            first = max(since, dt.date(2024, 1, 1))
            if first <= last:
                abuses.append(ChildAbuseCase(child_id=child_id, kind=ABUSE_GROUPS[code],
                                             occurred_on=_random_day(rng, first, last)))
    ChildCircumstance.objects.bulk_create(circumstances, batch_size=2000)
    ChildSupport.objects.bulk_create(supports, batch_size=2000)
    ChildCaseNote.objects.bulk_create(notes, batch_size=2000)
    ChildAbuseCase.objects.bulk_create(abuses, batch_size=2000)
    audit.record(actor=Actor.system(), action=AuditAction.CHILD_IMPORT, obj=Child, unit=province,
                 after={"demo": True, "children": len(children), "supports": len(supports)})
    return {"children": len(children), "child_supports": len(supports), "child_notes": len(notes),
            "child_abuse_cases": len(abuses)}


def _scores(rng: random.Random, criteria: list[tuple[int, int, int | None]], meets: bool,
            threshold: int) -> dict[int, int]:
    """Points per criterion: those meeting the standard near the top of each criterion, the others
    below the minimum total."""
    known = [most for _pk, _n, most in criteria if most is not None]
    unknown = len(criteria) - len(known)
    # The criteria whose maximum is not confirmed share what the known ones leave of 1.000 points.
    rest = (TOTAL_POINTS - sum(known)) // unknown if unknown else 0
    while True:
        out = {}
        for pk, _number, most in criteria:
            top = most or rest
            share = rng.uniform(0.9, 1.0) if meets else rng.uniform(0.5, 0.72)
            out[pk] = max(1, round(top * share))
        total = sum(out.values())
        if (total >= threshold) == meets:
            return out
        if meets:  # lift the criteria below their maximum, one point at a time, up to the minimum total
            room = [pk for pk, _number, most in criteria for _ in range((most or rest) - out[pk])]
            lift = threshold - total
            if len(room) >= lift:
                for pk in room[:lift]:
                    out[pk] += 1
                return out


def _assess(province: Unit, rng: random.Random, today: dt.date) -> dict[str, int]:
    communes = list(Unit.objects.filter(path__startswith=province.path, level=Level.COMMUNE,
                                        edition=Edition.CURRENT).order_by("code"))
    if not communes:
        return {}
    actor = Actor.system()
    made = 0
    recognised = set(rng.sample(range(len(communes)), round(FRIENDLY_SHARE * len(communes))))
    for year, approve in ((2024, True), (2025, False)):
        if year > today.year:
            continue
        criteria = [(c.pk, c.number, c.max_points) for c in services.criteria_for(year)]
        done = set(ChildFriendlyAssessment.objects.filter(commune__in=communes, year=year)
                   .values_list("commune_id", flat=True))
        for index, commune in enumerate(communes):
            if commune.pk in done or (not approve and index % 4):
                continue
            kind = ChildCommuneKind.URBAN_WARD if commune.name.startswith("Phường") else ChildCommuneKind.OTHER
            threshold = services.threshold_for(year, kind)
            if threshold is None or not criteria:
                continue
            meets = index in recognised if approve else rng.random() < 0.8
            assessment = services.assessment_save(actor=actor, commune=commune, year=year, commune_kind=kind,
                                                  points=_scores(rng, criteria, meets, threshold.points))
            if approve or index % 8 == 0:
                services.assessment_submit(actor=actor, assessment=assessment)
            if approve:
                services.assessment_approve(actor=actor, assessment=assessment)
            made += 1
    return {"child_friendly_assessments": made}


def _gifts(province: Unit, rng: random.Random) -> dict[str, int]:
    from ansinh.payments.models import Package
    from ansinh.payments.packages import TierSpec, create_package

    if Package.objects.filter(name=GIFT_NAME, unit=province, on=GIFT_DAY).exists():
        return {}
    present = _children_of(province, GIFT_DAY)
    special = set(Child.objects.filter(commune__path__startswith=province.path).values_list("person_id", flat=True))
    first = [p for p, *_ in present if p in special]
    rest = [p for p, *_ in present if p not in special]
    rng.shuffle(rest)
    members = sorted((first + rest)[:GIFT_CHILDREN])
    if not members:
        return {}
    package, _created = create_package(
        name=GIFT_NAME, purpose="tet", field="children", unit=province, on=GIFT_DAY,
        period=(dt.date(2025, 1, 1), dt.date(2025, 2, 28)), actor=Actor.system(),
        legal_basis="Vận động các tổ chức, từ thiện, nhà hảo tâm (nguồn xã hội hóa)",
        tiers=[TierSpec(name="Trẻ em nghèo, có hoàn cảnh đặc biệt khó khăn", rule="file",
                        params={"members": members}, per="person", socialised=GIFT_AMOUNT)])
    return {"children_given_gifts": package.recipients}


def run(*, province: Unit, write: Callable[[str], None] = print, seed: int = 1) -> dict[str, int]:
    rng = random.Random(f"children-{province.code}-{seed}")
    today = timezone.localdate()
    made: dict[str, int] = {}
    made.update(_register(province, rng, today))
    made.update(_assess(province, rng, today))
    made.update(_gifts(province, rng))
    children = Child.objects.filter(commune__path__startswith=province.path).count()
    friendly = ChildFriendlyAssessment.objects.filter(commune__path__startswith=province.path, year=2024,
                                                      status=ChildAssessmentStatus.APPROVED)
    write(f"{province.name}: {format_number(children)} trẻ em có hoàn cảnh đặc biệt trong sổ theo dõi; năm 2024 "
          f"{format_number(friendly.filter(recognised=True).count())}/{format_number(friendly.count())} xã, phường "
          f"đạt tiêu chuẩn phù hợp với trẻ em; quà Tết 2025: "
          f"{format_number(made.get('children_given_gifts', 0))} trẻ em (lần chạy này).")
    if children and len(_children_of(province, GIFT_DAY)) < GIFT_CHILDREN:
        write(f"Sổ hộ gia đình của {province.name} có ít hơn {GIFT_CHILDREN} trẻ em: danh sách quà Tết nhỏ hơn "
              "số của báo cáo mẫu.")
    return made


__all__ = ["GIFT_CHILDREN", "GIFT_DAY", "run"]
