"""Demo data of the abroad registries for a province and a year, at Trà Vinh's scale (seed 001's
quarter × 4):

- ~800 workers leaving to work abroad under contract, drawn from the register's members aged 18–35,
  by destination as in seed 001 (Đài Loan 61, Nhật Bản 128, Hàn Quốc 3 of 192 a quarter), each with
  its placement "abroad" (the contract between the labour registries);
- ~1.200 foreign workers (seed 001: 1.186, of whom 1.011 Chinese, ~85 %) with their ~60 employers
  in a few communes (industrial zones), each with a granted permit (at most 2 years), some expiring
  within 45 days of today, and a few dossiers still being processed (due dates on the working-day
  calendar).

Deterministic for a seed; everything bulk-created (no per-row ORM). Rows carry the note `NOTE`
(and demo employers the address suffix `EMPLOYER_MARK`) so that `delete` removes only them.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member
from ansinh.lib.vietnamese import fold
from ansinh.workdays.calendar import calendar_for

from .models import (
    AbroadStatus,
    Departure,
    Employer,
    EmployerKind,
    ForeignWorker,
    PermitKind,
    PermitState,
    Placement,
    PlacementChannel,
    Position,
    SenderKind,
    WorkPermit,
)
from .services_foreign import due_date, permit_due_dates

NOTE = "Dữ liệu mẫu (demo)"
EMPLOYER_MARK = "(dữ liệu mẫu)"
DEPARTURES_PER_YEAR = 192 * 4
DESTINATIONS = [("TW", 61), ("JP", 128), ("KR", 3)]  # seed 001, a quarter
FOREIGN_WORKERS = 1_186
NATIONALITIES = [("CN", 1_011), ("KR", 70), ("TW", 52), ("JP", 25), ("IN", 12), ("PH", 8), ("TH", 8)]
EMPLOYERS = 60
EXPIRING_SHARE = 0.04
PENDING = 30
CHUNK = 2_000

ENTERPRISES = ["Công ty CP Cung ứng Nhân lực Quốc tế và Thương mại", "Công ty TNHH Phát triển Nhân lực Đông Á",
               "Công ty CP Xuất khẩu Lao động Thương mại và Du lịch", "Công ty CP Nhân lực Quốc tế Hoàng Long",
               "Công ty TNHH Dịch vụ Việc làm Quốc tế Sao Mai"]
JOBS = {"TW": ["Công nhân nhà máy", "Khán hộ công", "Xây dựng"], "JP": ["Thực tập sinh chế biến thực phẩm",
        "Điều dưỡng", "Thực tập sinh cơ khí", "Kỹ năng đặc định nông nghiệp"], "KR": ["Lao động EPS sản xuất",
        "Ngư nghiệp"]}
SURNAMES = {"CN": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"],
            "KR": ["Kim", "Lee", "Park", "Choi", "Jung"], "TW": ["Chen", "Lin", "Huang", "Chang", "Lee"],
            "JP": ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe"]}
GIVEN = {"CN": ["Wei", "Fang", "Jun", "Lei", "Min", "Jing", "Hao", "Yan", "Qiang", "Xiu"],
         "KR": ["Min-jun", "Seo-yeon", "Ji-hoon", "Ha-eun", "Dong-hyun"],
         "TW": ["Chih-ming", "Mei-ling", "Wen-hsiung", "Shu-fen", "Chia-hao"],
         "JP": ["Hiroshi", "Yuki", "Takeshi", "Akiko", "Kenji"]}
OTHER_NAMES = ["Rahul Sharma", "Maria Santos", "Somchai Srisuk", "Priya Nair", "Jose Reyes"]
FIRMS = ["Giày Da", "Dệt May", "Điện Tử", "Năng Lượng Gió", "Cơ Khí", "Bao Bì", "Thủy Sản", "Nhiệt Điện"]
TITLES = {Position.MANAGER: "Quản lý sản xuất", Position.EXECUTIVE: "Giám đốc điều hành",
          Position.EXPERT: "Kỹ sư", Position.TECHNICAL: "Kỹ thuật viên"}


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _w in weighted], weights=[w for _k, w in weighted])[0]


def _communes(province: Unit) -> list[int]:
    return list(Unit.objects.filter(path__under=province.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                .order_by("pk").values_list("pk", flat=True))


def generate(province: Unit, *, year: int, seed: int, users: Any = None) -> dict[str, int]:
    """Creates the year's departures (with placements) and the province's foreign workers,
    employers and permits; returns the counts made."""
    rng = random.Random(f"abroad-{seed}-{province.code}-{year}")
    user = getattr(users, "labour", None) if users is not None else None
    made = {"departures": 0, "placements": 0, "employers": 0, "foreign_workers": 0, "work_permits": 0}
    with transaction.atomic():
        made.update(_departures(province, year, rng, user))
        made.update(_foreign(province, year, rng, user))
    return made


def _departures(province: Unit, year: int, rng: random.Random, user: Any) -> dict[str, int]:
    oldest, youngest = dt.date(year - 35, 1, 1), dt.date(year - 18, 12, 31)
    busy = set(Departure.objects.filter(commune__path__under=province.path).values_list("person_id", flat=True))
    people = [(pk, commune) for pk, commune in Member.objects.present().filter(
        household__commune__path__under=province.path, birth_date__gte=oldest, birth_date__lte=youngest)
        .order_by("pk").values_list("pk", "household__commune_id") if pk not in busy]
    chosen = rng.sample(people, min(DEPARTURES_PER_YEAR, len(people)))
    start = dt.date(year, 1, 1)
    days = (dt.date(year, 12, 31) - start).days + 1
    departures: list[Departure] = []
    for person_id, commune_id in chosen:
        code = _pick(rng, DESTINATIONS)
        departed = start + dt.timedelta(days=rng.randrange(days))
        departures.append(Departure(
            person_id=person_id, commune_id=commune_id, destination=code, sender_kind=SenderKind.SERVICE,
            enterprise=rng.choice(ENTERPRISES), job=rng.choice(JOBS[code]),
            contract_months=rng.choice([12, 24, 36, 36, 36, 60]), departed_on=departed, status=AbroadStatus.ABROAD,
            labour_code=f"{province.code}{year % 100:02d}{len(departures) + 1:05d}", note=NOTE, created_by=user))
    made = Departure.objects.bulk_create(departures, batch_size=CHUNK)
    placements = [Placement(person_id=d.person_id, commune_id=d.commune_id, placed_on=d.departed_on or start,
                            channel=PlacementChannel.ABROAD, departure=d, new_job=False, employer_name=d.enterprise,
                            note=NOTE, created_by=user) for d in made]
    taken = set(Placement.objects.filter(person_id__in=[p.person_id for p in placements],
                                         channel=PlacementChannel.ABROAD).values_list("person_id", "placed_on"))
    placements = [p for p in placements if (p.person_id, p.placed_on) not in taken]
    Placement.objects.bulk_create(placements, batch_size=CHUNK)
    return {"departures": len(made), "placements": len(placements)}


def _foreign(province: Unit, year: int, rng: random.Random, user: Any) -> dict[str, int]:
    communes = _communes(province)
    if not communes:
        return {}
    zones = rng.sample(communes, min(8, len(communes)))
    known = set(Employer.objects.values_list("tax_code", flat=True))
    employers = []
    for i in range(EMPLOYERS):
        tax = f"{2100000000 + rng.randrange(99_999_999):010d}"
        while tax in known:
            tax = f"{2100000000 + rng.randrange(99_999_999):010d}"
        known.add(tax)
        name = f"Công ty TNHH {rng.choice(FIRMS)} {rng.choice(['Hoa Hạ', 'Đại Á', 'Hưng Thịnh', 'Vĩnh Phát', 'Tân Long', 'Kim Long', 'Thịnh Phong'])} {i + 1}"
        employers.append(Employer(name=name, tax_code=tax, kind=EmployerKind.FOREIGN_INVESTED, unit_id=rng.choice(zones),
                                  address=f"Khu công nghiệp {EMPLOYER_MARK}", in_industrial_zone=True,
                                  search_name=fold(name)))
    employers = Employer.objects.bulk_create(employers, batch_size=CHUNK)
    today = timezone.localdate()
    year_end = dt.date(year, 12, 31)
    used = set(ForeignWorker.objects.values_list("nationality", "passport_number"))
    workers, terms = [], []
    for i in range(FOREIGN_WORKERS):
        nationality = _pick(rng, NATIONALITIES)
        if nationality in SURNAMES:
            name = f"{rng.choice(SURNAMES[nationality])} {rng.choice(GIVEN[nationality])}"
        else:
            name = rng.choice(OTHER_NAMES)
        passport = f"{nationality[0]}{rng.randrange(10_000_000, 99_999_999)}"
        while (nationality, passport) in used:
            passport = f"{nationality[0]}{rng.randrange(10_000_000, 99_999_999)}"
        used.add((nationality, passport))
        employer = rng.choice(employers)
        position = rng.choices([Position.EXPERT, Position.TECHNICAL, Position.MANAGER, Position.EXECUTIVE],
                               weights=[55, 30, 12, 3])[0]
        workers.append(ForeignWorker(full_name=name, passport_number=passport, nationality=nationality,
                                     sex="female" if rng.random() < 0.18 else "male",
                                     birth_date=dt.date(year - rng.randrange(25, 56), rng.randrange(1, 13),
                                                        rng.randrange(1, 29)),
                                     employer=employer, position=position, job_title=TITLES[position],
                                     workplace_id=employer.unit_id, search_name=fold(name), note=NOTE,
                                     created_by=user))
        if rng.random() < EXPIRING_SHARE and today - dt.timedelta(days=700) <= year_end:
            valid_to = today + dt.timedelta(days=rng.randrange(1, 45))
            valid_from = valid_to - dt.timedelta(days=rng.randrange(300, 700))
        else:
            valid_from = dt.date(year - 1, 1, 1) + dt.timedelta(days=rng.randrange(700))
            valid_to = valid_from.replace(year=valid_from.year + 2) - dt.timedelta(days=1) \
                if not (valid_from.month == 2 and valid_from.day == 29) else dt.date(valid_from.year + 2, 2, 28)
        terms.append((valid_from, valid_to))
    workers = ForeignWorker.objects.bulk_create(workers, batch_size=CHUNK)
    calendar = calendar_for(province)
    due_dates = permit_due_dates(calendar)
    permits: list[WorkPermit] = []
    for worker, (valid_from, valid_to) in zip(workers, terms, strict=True):
        received = valid_from - dt.timedelta(days=rng.randrange(12, 30))
        due, _rule = due_date(PermitKind.ISSUE, received, calendar=calendar, due_dates=due_dates)
        decided = min(due, valid_from)
        permits.append(WorkPermit(worker=worker, kind=PermitKind.ISSUE, received_on=received, due_on=due,
                                  state=PermitState.GRANTED, decided_on=decided,
                                  number=f"{province.code}/{valid_from.year}/GPLĐ-{len(permits) + 1:05d}",
                                  valid_from=valid_from, valid_to=valid_to, note=NOTE, created_by=user))
    for worker in rng.sample(workers, min(PENDING, len(workers))):
        received = min(year_end, today) - dt.timedelta(days=rng.randrange(1, 10))
        due, _rule = due_date(PermitKind.REISSUE, received, calendar=calendar, due_dates=due_dates)
        permits.append(WorkPermit(worker=worker, kind=PermitKind.REISSUE, received_on=received, due_on=due,
                                  state=PermitState.PENDING, note=NOTE, created_by=user))
    WorkPermit.objects.bulk_create(permits, batch_size=CHUNK)
    return {"employers": len(employers), "foreign_workers": len(workers), "work_permits": len(permits)}


def delete(province: Unit) -> None:
    """Removes the demo's rows of the province (departures with their placements, foreign workers
    with their permits, the demo employers left without workers or placements)."""
    with transaction.atomic():
        Departure.objects.filter(commune__path__under=province.path, note=NOTE).delete()  # placements cascade
        ForeignWorker.objects.filter(workplace__path__under=province.path, note=NOTE).delete()  # permits cascade
        (Employer.objects.filter(unit__path__under=province.path, address__endswith=EMPLOYER_MARK,
                                 foreign_workers__isnull=True, placements__isnull=True).delete())


__all__ = ["delete", "generate"]
