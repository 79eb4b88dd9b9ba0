"""Demo placements, counselling and job fairs for a year of the demo province, drawn from its
register (called by `ansinh demo labour`, lane figures, after the other registries: the
departures abroad make their own placements, so none is made here with the channel abroad).

Volumes at Trà Vinh's scale (seed 001's quarter × 4: about 30.000 placements, 48.000 lượt of
counselling, 8 job fairs), scaled to the register: a placement a year for one working-age
person in 20, a lượt of counselling for one in 12.5 (Trà Vinh has some 600.000 people of working
age), never more than the seed's figures. The parts follow seed 001: women about half of the
placements, youth about two thirds (the youngest working-age members are drawn more often),
ethnic minorities as the register has them; "việc làm tăng thêm" one in five (seed 004: 600 of
3.200); 93 % of the lượt of counselling by people on unemployment benefit (11.142 of 11.913).
Job fairs: two a quarter, held by the province's employment service centre; seminars in a few
communes. Dates fall in the year, never after today.

Set-based: one read of the register, the sessions by `bulk_create`, the placements and counselling by
`lib.bulk.insert_rows` (COPY on PostgreSQL), one audit row per registry.
Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member
from ansinh.lib.bulk import insert_rows

from .models import (
    Counselling,
    CounsellingSession,
    CounsellingTopic,
    Placement,
    PlacementChannel,
    SessionKind,
)

BATCH = 5_000
PLACEMENT_COLUMNS = ["person_id", "commune_id", "placed_on", "channel", "employer_name", "new_job", "created_at",
                     "created_by_id", "note"]
COUNSELLING_COLUMNS = ["person_id", "commune_id", "counselled_on", "topic", "on_unemployment_benefit", "session_id",
                       "created_at", "created_by_id", "note"]
MAX_PLACEMENTS, MAX_COUNSELLING = 30_000, 48_000
PLACEMENT_RATE, COUNSELLING_RATE = 0.05, 0.08
WORKING_AGE = (15, 60)
CHANNELS = [(PlacementChannel.EMPLOYER, 0.55), (PlacementChannel.JOB_CENTRE, 0.2), (PlacementChannel.LOAN, 0.18),
            (PlacementChannel.PUBLIC_WORKS, 0.07)]
TOPICS = [(CounsellingTopic.UNEMPLOYMENT, 0.45), (CounsellingTopic.JOBS, 0.4), (CounsellingTopic.TRAINING, 0.1),
          (CounsellingTopic.ABROAD, 0.05)]
EMPLOYERS = ["Công ty TNHH Giày da Mỹ Phong", "Công ty TNHH May mặc Trà Vinh", "Công ty CP Thủy sản Cửu Long",
             "Công ty TNHH Điện gió Đông Hải", "Công ty TNHH Chế biến dừa Bến Tre", "Công ty CP Dược phẩm TV.Pharm",
             "Hợp tác xã Nông nghiệp Long Hiệp", "Công ty TNHH Sợi Thế Kỷ", "Công ty TNHH Điện tử Việt Hưng",
             "Công ty CP Xây dựng Cầu đường Vĩnh Long"]


def _in_year(rng: random.Random, year: int, last: dt.date) -> dt.date:
    start = dt.date(year, 1, 1)
    days = (min(dt.date(year, 12, 31), last) - start).days
    return start + dt.timedelta(days=rng.randint(0, max(days, 0)))


def _pick(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    return rng.choices([value for value, _ in weighted], weights=[w for _, w in weighted])[0]


def _working(province: Unit, on: dt.date) -> list[tuple[int, int, dt.date]]:
    """(person, commune, birth date) of the living members of working age on `on`."""
    young = dt.date(on.year - WORKING_AGE[0], on.month, min(on.day, 28))
    old = dt.date(on.year - WORKING_AGE[1] - 1, on.month, min(on.day, 28))
    return list(Member.objects.filter(household__commune__path__under=province.path, died_on__isnull=True,
                                      left_on__isnull=True, birth_date__lte=young, birth_date__gt=old)
                .order_by("pk").values_list("pk", "household__commune_id", "birth_date"))


def _youth_first(rng: random.Random, people: list[tuple[int, int, dt.date]], on: dt.date,
                 k: int) -> list[tuple[int, int, dt.date]]:
    """`k` people, the 16–30 year-olds three times as likely as the others (seed 001: 4.969 of 7.645)."""
    if not people:
        return []
    weights = [3.0 if 16 <= on.year - born.year <= 30 else 1.0 for _, _, born in people]
    return rng.choices(people, weights=weights, k=k)


@transaction.atomic
def generate(province: Unit, *, year: int, seed: int, users: Any = None) -> dict[str, int]:
    """Makes a year of placements, counselling and sessions for `province`; returns the counts."""
    rng = random.Random(f"labour-place-{province.code}-{year}-{seed}")
    today = timezone.localdate()
    last = min(dt.date(year, 12, 31), today)
    if last < dt.date(year, 1, 1):
        return {"placements": 0, "counselling": 0, "sessions": 0}
    user = users if getattr(users, "pk", None) and hasattr(users, "username") else None
    user_id, now = getattr(user, "pk", None), connection.ops.adapt_datetimefield_value(timezone.now())
    people = _working(province, dt.date(year, 6, 30))
    communes = list(Unit.objects.filter(path__under=province.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                    .values_list("pk", flat=True).order_by("pk"))

    # 1. Sessions: two job fairs a quarter at the province, seminars in a few communes.
    sessions = []
    for quarter in range(4):
        for n in range(2):
            held = dt.date(year, 3 * quarter + 1 + n, rng.randint(5, 25))
            if held > last:
                continue
            attendance = rng.randint(300, 1500)
            sessions.append(CounsellingSession(
                kind=SessionKind.JOB_FAIR, unit=province, held_on=held, created_by=user,
                title=f"Phiên giao dịch việc làm tháng {held.month:02d}/{year}",
                organiser="Trung tâm Dịch vụ việc làm tỉnh", attendance=attendance, employers=rng.randint(15, 45),
                vacancies=rng.randint(800, 3000), hired=rng.randint(20, min(200, attendance))))
    for commune in rng.sample(communes, k=min(16, len(communes))):
        held = _in_year(rng, year, last)
        sessions.append(CounsellingSession(
            kind=SessionKind.SEMINAR, unit_id=commune, held_on=held, created_by=user,
            title=f"Tư vấn việc làm lưu động ngày {held:%d/%m/%Y}", organiser="Trung tâm Dịch vụ việc làm tỉnh",
            attendance=rng.randint(40, 200), employers=rng.randint(0, 6), vacancies=rng.randint(0, 150)))
    CounsellingSession.objects.bulk_create(sessions, batch_size=BATCH)
    fairs = [s for s in sessions if s.kind == SessionKind.JOB_FAIR]

    # 2. Placements: unique per person, day and channel (the register's constraint).
    wanted = min(MAX_PLACEMENTS, round(len(people) * PLACEMENT_RATE)) if people else 0
    seen: set[tuple[int, dt.date, str]] = set()
    placements: list[tuple[Any, ...]] = []
    for person, commune, _born in _youth_first(rng, people, dt.date(year, 6, 30), wanted):
        on, channel = _in_year(rng, year, last), _pick(rng, CHANNELS)
        if (person, on, channel) in seen:
            continue
        seen.add((person, on, channel))
        employer = rng.choice(EMPLOYERS) if channel in (PlacementChannel.EMPLOYER, PlacementChannel.JOB_CENTRE) else ""
        placements.append((person, commune, on, str(channel), employer, rng.random() < 0.2, now, user_id, ""))
    insert_rows(Placement, PLACEMENT_COLUMNS, placements)

    # 3. Counselling: most by people on unemployment benefit; a share at the job fairs.
    wanted = min(MAX_COUNSELLING, round(len(people) * COUNSELLING_RATE)) if people else 0
    counselling: list[tuple[Any, ...]] = []
    for person, commune, _born in (rng.choices(people, k=wanted) if people else []):
        fair = rng.choice(fairs) if fairs and rng.random() < 0.15 else None
        on = fair.held_on if fair is not None else _in_year(rng, year, last)
        benefit = rng.random() < 0.93
        topic = CounsellingTopic.UNEMPLOYMENT if benefit and rng.random() < 0.6 else _pick(rng, TOPICS)
        counselling.append((person, commune, on, str(topic), benefit, fair.pk if fair is not None else None, now,
                            user_id, ""))
    insert_rows(Counselling, COUNSELLING_COLUMNS, counselling)
    made = {"placements": len(placements), "counselling": len(counselling), "sessions": len(sessions)}
    for model in (Placement, Counselling, CounsellingSession):
        audit.record(actor=user, action=AuditAction.LABOUR_IMPORT, obj=model, unit=province,
                     after={"import": "demo", "year": year, "seed": seed, **made})
    return made


@transaction.atomic
def delete(province: Unit) -> None:
    """Deletes the province's placements (not those of departures abroad: they go with their
    departure), counselling and sessions (for `--replace`)."""
    Counselling.objects.filter(commune__path__under=province.path).delete()
    Placement.objects.filter(commune__path__under=province.path, departure__isnull=True).delete()
    CounsellingSession.objects.filter(unit__path__under=province.path).delete()


__all__ = ["delete", "generate"]
