"""Demo vocational training for a province: providers, courses by level with the shares of seed
001's quarter (of 2.650 people trained: trung cấp 419, sơ cấp 210, dưới 03 tháng 2.031), and the
enrolments of working-age members of the province's register, with completions and certificates.

Volumes: seed 001's quarter × 4 (10.600 people a year at Trà Vinh's scale), capped at a third of
the register's working-age members for a small demo register. Everything is bulk-created (no
per-row ORM work), drawn with a seeded generator (`seed`), so a run is reproducible. `delete`
removes a province's training records (for `--replace`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member
from ansinh.lib.vietnamese import fold

from .models import Course, Enrolment, EnrolmentStatus, Funding, ProviderKind, TrainingLevel, TrainingProvider
from .training import months_before

PURPOSE = 13_02  # a stream of its own in the seeded generator
PER_QUARTER = {"intermediate": 419, "elementary": 210, "under_3_months": 2_031}  # seed 001
CLASS_SIZE = {"intermediate": 35, "elementary": 30, "under_3_months": 25}
NON_FARM_SHARE = {"intermediate": 0.95, "elementary": 0.9, "under_3_months": 0.65}
# months from the start to the end of a course (sơ cấp: 3 months to a year; dưới 03 tháng: 1–3 months)
LENGTH_MONTHS = {"intermediate": (18, 24), "elementary": (3, 6), "under_3_months": (1, 3)}
FUNDING = {"intermediate": [Funding.STATE, Funding.LEARNER], "elementary": [Funding.PROGRAMME, Funding.STATE],
           "under_3_months": [Funding.PROGRAMME, Funding.STATE, Funding.UNEMPLOYMENT]}
OCCUPATIONS = {
    "non_farm": ["May công nghiệp", "Điện dân dụng", "Hàn điện", "Sửa chữa xe máy", "Kỹ thuật chế biến món ăn",
                 "Tin học văn phòng", "Kế toán doanh nghiệp", "Công nghệ ô tô", "Điện công nghiệp", "Đan lục bình",
                 "Làm bánh", "Nghiệp vụ nhà hàng"],
    "farm": ["Trồng lúa chất lượng cao", "Nuôi tôm nước lợ", "Chăn nuôi bò", "Trồng rau an toàn",
             "Trồng cây ăn trái", "Nuôi cá nước ngọt", "Trồng dừa", "Thú y"],
}
PROVIDERS = [
    ("Trường Cao đẳng Vĩnh Long", ProviderKind.PUBLIC, "15/QĐ-BLĐTBXH", dt.date(2017, 2, 10)),
    ("Trường Cao đẳng nghề Trà Vinh", ProviderKind.PUBLIC, "678/QĐ-BLĐTBXH", dt.date(2008, 5, 20)),
    ("Trường Cao đẳng Bến Tre", ProviderKind.PUBLIC, "1020/QĐ-UBND", dt.date(2013, 6, 14)),
    ("Trường Trung cấp nghề Trà Cú", ProviderKind.PUBLIC, "1522/QĐ-UBND", dt.date(2010, 8, 3)),
    ("Trường Trung cấp Kinh tế - Kỹ thuật Vĩnh Long", ProviderKind.PRIVATE, "305/QĐ-UBND", dt.date(2009, 3, 12)),
    ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Cầu Ngang", ProviderKind.PUBLIC, "2410/QĐ-UBND",
     dt.date(2019, 11, 1)),
    ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Trà Ôn", ProviderKind.PUBLIC, "2411/QĐ-UBND",
     dt.date(2019, 11, 1)),
    ("Trung tâm Dịch vụ việc làm Vĩnh Long", ProviderKind.PUBLIC, "88/QĐ-SNV", dt.date(2025, 7, 1)),
    ("Công ty TNHH May mặc Đồng Tiến", ProviderKind.ENTERPRISE, "", None),
]


def _rng(seed: int, province: Unit, step: int) -> np.random.Generator:
    return np.random.default_rng([seed, int(province.code or 0), PURPOSE, step])


def _providers(province: Unit, actor_user: Any) -> list[TrainingProvider]:
    """The demo providers of the province (created once; a second run reuses them)."""
    existing = {p.search_name: p for p in TrainingProvider.objects.filter(unit=province)}
    new = [TrainingProvider(name=name, kind=kind, unit=province, decision_number=number, decision_date=on,
                            search_name=fold(name))
           for name, kind, number, on in PROVIDERS if fold(name) not in existing]
    TrainingProvider.objects.bulk_create(new)
    return list(TrainingProvider.objects.filter(unit=province, search_name__in=[fold(n) for n, *_ in PROVIDERS])
                .order_by("pk"))


def _add_months(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


def generate(province: Unit, *, year: int, seed: int, users: Any = None) -> dict[str, int]:
    """A year of training in `province`: providers, courses, enrolments (counts made)."""
    if province.level != Level.PROVINCE or province.edition != Edition.CURRENT:
        raise ValueError("a province of the current map")
    today = timezone.localdate()
    last = min(dt.date(year, 12, 31), today)
    if last < dt.date(year, 1, 1):
        return {"providers": 0, "courses": 0, "enrolments": 0}
    levels = {lv.code: lv for lv in TrainingLevel.objects.filter(code__in=PER_QUARTER)}
    rng = _rng(seed, province, year)
    # The register's members of working age on 1 July (15 to 55/60), with their commune.
    middle = dt.date(year, 7, 1)
    members = np.array(list(
        Member.objects.present(middle).filter(household__commune__path__startswith=province.path,
                                              birth_date__lte=months_before(middle, 15 * 12),
                                              birth_date__gt=months_before(middle, 55 * 12))
        .order_by("pk").values_list("pk", "household__commune_id")), dtype=np.int64).reshape(-1, 2)
    wanted = {code: per * 4 for code, per in PER_QUARTER.items()}
    total = sum(wanted.values())
    cap = len(members) // 3
    if cap < total:
        wanted = {code: n * cap // total for code, n in wanted.items()}
    with transaction.atomic():
        providers = _providers(province, users)
        if not providers or not len(members):
            return {"providers": len(providers), "courses": 0, "enrolments": 0}
        specs: list[tuple[str, Course, int]] = []
        days = (last - dt.date(year, 1, 1)).days + 1
        for code, n in wanted.items():
            if n <= 0 or code not in levels:
                continue
            size = CLASS_SIZE[code]
            for index in range((n + size - 1) // size):
                people = min(size, n - index * size)
                field = "non_farm" if rng.random() < NON_FARM_SHARE[code] else "farm"
                starts = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, days)))
                low, high = LENGTH_MONTHS[code]
                ends = _add_months(starts, int(rng.integers(low, high + 1)))
                provider = providers[int(rng.integers(0, len(providers)))]
                funding = FUNDING[code][int(rng.integers(0, len(FUNDING[code])))]
                occupation = OCCUPATIONS[field][int(rng.integers(0, len(OCCUPATIONS[field])))]
                course = Course(provider=provider, occupation=occupation, level=levels[code], field=field,
                                funding=funding, unit=province, starts_on=starts, ends_on=ends,
                                note="demo")
                specs.append((code, course, people))
        Course.objects.bulk_create([course for _code, course, _n in specs], batch_size=2_000)
        chosen = rng.choice(len(members), size=min(sum(n for *_x, n in specs), len(members)), replace=False)
        enrolments: list[Enrolment] = []
        at = 0
        for code, course, people in specs:
            for pick in chosen[at:at + people]:
                person, commune = int(members[pick][0]), int(members[pick][1])
                status, completed, number, certified_on = EnrolmentStatus.ENROLLED.value, None, "", None
                if course.ends_on is not None and course.ends_on <= last:
                    draw = rng.random()
                    if draw < 0.92:
                        status, completed = EnrolmentStatus.COMPLETED.value, course.ends_on
                        if levels[code].certified and rng.random() < 0.95:
                            number = f"{code[:2].upper()}-{year}-{course.pk}-{person}"
                            certified_on = completed
                    elif draw < 0.97:
                        status = EnrolmentStatus.DROPPED.value
                enrolments.append(Enrolment(course=course, person_id=person, commune_id=commune,
                                            enrolled_on=course.starts_on, status=status, completed_on=completed,
                                            certificate_number=number, certificate_on=certified_on, note="demo"))
            at += people
        Enrolment.objects.bulk_create(enrolments, batch_size=5_000)
    return {"providers": len(providers), "courses": len(specs), "enrolments": len(enrolments)}


def delete(province: Unit) -> None:
    """The province's training records: enrolments of its people, its courses, its providers."""
    with transaction.atomic():
        Enrolment.objects.filter(commune__path__startswith=province.path).delete()
        Enrolment.objects.filter(course__unit__path__startswith=province.path).delete()
        Course.objects.filter(unit__path__startswith=province.path).delete()
        Course.objects.filter(provider__unit__path__startswith=province.path).delete()
        TrainingProvider.objects.filter(unit__path__startswith=province.path).delete()
