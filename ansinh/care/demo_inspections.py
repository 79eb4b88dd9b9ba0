"""Inspections, citizen reception and letters of the demo province (`ansinh demo care --province 86`).

Seed 001 reports "Tiếp 27 lượt công dân" and "Đội kiểm tra liên ngành 178 kiểm tra 15 cơ sở kinh
doanh – dịch vụ trên địa bàn thành phố Trà Vinh và 02 huyện: Càng Long, Trà Cú, phát hiện 02 cơ sở
sử dụng nhân viên không ký kết hợp đồng lao động": the first quarter of 2025 gets exactly 15
establishments checked by team 178 in those places (2 in violation, reminded and committed), one
inspection of a unit (the social assistance policy in Cầu Kè, not an establishment) and 27 lượt of
reception (two of them groups). The later months up to today get a realistic spread: inspections
by the inspectorate and the team with follow-ups due, done or late; receptions; complaints,
denunciations and recommendations, some resolved on time, some late, some open and due this week
or overdue. Deterministic (`random.Random(seed)`), written in bulk with one audit row; idempotent
(the province's demo records are replaced)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.vietnamese import fold
from ansinh.workdays.calendar import calendar_for

from . import limits_inspections as limits
from .models_inspections import (
    Complexity, FollowUp, Inspection, InspectionKind, InspectionPlan, InspectionTeam, LegalArea, Petition,
    PetitionKind, PetitionStatus, PetitionStep, Reception, ReceptionKind, ReceptionOutcome, StepKind, SubjectKind,
    ViolationKind,
)

SEED_INSPECTED, SEED_VIOLATING, SEED_RECEIVED = 15, 2, 27  # seed 001, first quarter
SEED_PLACES = ("Phường Trà Vinh", "Xã Càng Long", "Xã Trà Cú")
POLICY_PLACE = "Xã Cầu Kè"
PREFIX = "DEMO-"
BUSINESSES = ["Quán karaoke", "Cơ sở massage", "Quán cà phê", "Nhà nghỉ", "Cơ sở xông hơi", "Quán bar",
              "Cơ sở cắt tóc, gội đầu", "Khách sạn"]
FIRMS = ["Công ty TNHH may mặc", "Công ty cổ phần thủy sản", "Công ty TNHH giày da", "Doanh nghiệp tư nhân xây dựng",
         "Công ty TNHH chế biến dừa", "Hợp tác xã dịch vụ nông nghiệp"]
NAMES = ["Hoa Mai", "Phương Nam", "Sông Hậu", "Ánh Dương", "Bình Minh", "Thành Đạt", "Cửu Long", "Hồng Phát",
         "Trường Xuân", "Kim Ngân", "Tân Phú", "Hải Âu", "Mỹ Lệ", "Thiên Phúc", "Ngọc Lan", "Phú Quý"]
CITIZENS = [f"{a} {b} {c}" for a in ("Nguyễn", "Trần", "Lê", "Thạch", "Sơn", "Kim", "Huỳnh")
            for b in ("Văn", "Thị", "Minh") for c in ("An", "Bé", "Dũng", "Hoa", "Sang", "Út", "Khoa")]
MATTERS = ["Hỏi chế độ bảo hiểm xã hội một lần", "Thắc mắc về trợ cấp thôi việc", "Hỏi chế độ đối với người lao động "
           "bị nợ lương", "Hỏi cách tính trợ cấp thất nghiệp", "Đề nghị xác nhận thời gian công tác",
           "Thắc mắc về chế độ trợ cấp xã hội hằng tháng", "Hỏi thủ tục hưởng chế độ người có công"]
LETTERS = {PetitionKind.COMPLAINT: "Khiếu nại quyết định thôi hưởng trợ cấp xã hội",
           PetitionKind.DENUNCIATION: "Tố cáo doanh nghiệp không đóng bảo hiểm xã hội cho người lao động",
           PetitionKind.RECOMMENDATION: "Kiến nghị xem xét lại danh sách hộ cận nghèo"}


def _place(communes: list[Unit], name: str, rng: random.Random) -> Unit:
    return next((c for c in communes if c.name == name), None) or rng.choice(communes)


def _working_days(calendar: object, first: dt.date, last: dt.date) -> list[dt.date]:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if calendar.is_working_day(d)]  # type: ignore[attr-defined]


@transaction.atomic
def run(*, province: Unit, write: Callable[[str], None] = print, seed: int = 1) -> dict[str, int]:
    """Replaces the province's demo records with a fresh set; returns the counts made."""
    rng = random.Random(seed)
    calendar = calendar_for(province)
    today = timezone.localdate()
    communes = list(Unit.objects.filter(path__under=province.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                    .order_by("code"))
    if not communes:
        communes = [province]
    # 1. the old demo records out (steps and follow-ups go with their records)
    Petition.objects.filter(province=province, is_demo=True).delete()
    Reception.objects.filter(province=province, is_demo=True).delete()
    Inspection.objects.filter(province=province, is_demo=True).delete()
    InspectionPlan.objects.filter(province=province, notes__startswith=PREFIX).delete()
    # 2. the yearly plans
    plans: dict[tuple[int, str], InspectionPlan] = {}
    for year in range(2025, today.year + 1):
        for team, number, title, planned in [
            (InspectionTeam.INSPECTORATE, f"05/KH-TTr-{year}", f"Kế hoạch thanh tra năm {year}", 12),
            (InspectionTeam.TEAM_178, f"02/KH-ĐKT178-{year}",
             f"Kế hoạch kiểm tra các cơ sở kinh doanh dịch vụ nhạy cảm năm {year}", 60),
        ]:
            plans[(year, team)] = InspectionPlan.objects.create(
                province=province, year=year, team=team, number=number, title=title, planned_count=planned,
                approved_on=dt.date(year - 1, 12, 20), notes=f"{PREFIX}dữ liệu minh họa")
    # 3. inspections: seed 001's quarter, then a spread
    rows: list[Inspection] = []
    q1 = _working_days(calendar, dt.date(2025, 1, 6), dt.date(2025, 3, 28))
    places = [_place(communes, name, rng) for name in SEED_PLACES]
    seed_days = sorted(rng.sample(q1, SEED_INSPECTED))
    for i in range(SEED_INSPECTED):
        bad = i in (3, 11)
        unit = places[i % len(places)]
        name = f"{BUSINESSES[i % len(BUSINESSES)]} {NAMES[i]}"
        day = seed_days[i]
        rows.append(Inspection(
            plan=plans[(2025, InspectionTeam.TEAM_178)], province=province, unit=unit, kind=InspectionKind.CHECK,
            team=InspectionTeam.TEAM_178, legal_area=LegalArea.SOCIAL_EVILS, subject_kind=SubjectKind.ESTABLISHMENT,
            subject_name=name, subject_key=f"n{unit.pk}:{fold(name)}", started_on=day, ended_on=day,
            members="Đội kiểm tra liên ngành 178 (Sở, Công an tỉnh, Sở Văn hóa)",
            findings="Cơ sở có giấy phép kinh doanh; kiểm tra hồ sơ người lao động, nội quy, điều kiện hoạt động.",
            violations_count=1 if bad else 0, violation_kind=ViolationKind.NO_CONTRACT if bad else "",
            violations="Sử dụng nhân viên không ký kết hợp đồng lao động" if bad else "",
            recommendations="Ký hợp đồng lao động với toàn bộ nhân viên" if bad else "",
            sanction_note="Nhắc nhở, cơ sở cam kết không tái phạm" if bad else "", is_demo=True))
    policy_day = dt.date(2025, 2, 17)
    rows.append(Inspection(
        plan=plans[(2025, InspectionTeam.INSPECTORATE)], province=province,
        unit=_place(communes, POLICY_PLACE, rng), kind=InspectionKind.INSPECTION, team=InspectionTeam.INSPECTORATE,
        legal_area=LegalArea.SOCIAL_ASSISTANCE, subject_kind=SubjectKind.UNIT,
        subject_name="Ủy ban nhân dân xã Cầu Kè (thực hiện chính sách trợ giúp đối tượng bảo trợ xã hội tại cộng đồng)",
        subject_key="", started_on=policy_day, ended_on=None, members="Đoàn thanh tra theo Quyết định 12/QĐ-TTr",
        findings="Đang xác minh hồ sơ hưởng trợ cấp xã hội hằng tháng.", is_demo=True))
    month = dt.date(2025, 4, 1)
    n = 0
    while month <= today:
        last = min((month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1), today)
        days = _working_days(calendar, month, last)
        for _ in range(rng.randint(3, 6) if days else 0):
            n += 1
            day = rng.choice(days)
            team = rng.choice([InspectionTeam.TEAM_178, InspectionTeam.TEAM_178, InspectionTeam.INSPECTORATE])
            firm = team == InspectionTeam.INSPECTORATE
            name = f"{rng.choice(FIRMS if firm else BUSINESSES)} {rng.choice(NAMES)}"
            unit = rng.choice(communes)
            bad = rng.random() < (0.4 if firm else 0.2)
            kind = rng.choice([ViolationKind.INSURANCE, ViolationKind.WAGES, ViolationKind.SAFETY] if firm
                              else [ViolationKind.NO_CONTRACT, ViolationKind.LICENCE])
            rows.append(Inspection(
                plan=plans.get((day.year, team)), province=province, unit=unit,
                kind=InspectionKind.INSPECTION if firm else InspectionKind.CHECK, team=team,
                legal_area=rng.choice([LegalArea.LABOUR, LegalArea.SOCIAL_INSURANCE, LegalArea.SAFETY]) if firm
                else LegalArea.SOCIAL_EVILS, subject_kind=SubjectKind.ESTABLISHMENT, subject_name=name,
                subject_key=f"n{unit.pk}:{fold(name)}", started_on=day,
                ended_on=min(day + dt.timedelta(days=rng.choice([0, 0, 5, 14])), today),
                members="Thanh tra Sở" if firm else "Đội kiểm tra liên ngành 178",
                findings="Kiểm tra hồ sơ lao động, tiền lương, bảo hiểm xã hội, an toàn vệ sinh lao động.",
                violations_count=rng.randint(1, 3) if bad else 0, violation_kind=kind if bad else "",
                violations=str(kind.label) if bad else "",
                recommendations="Khắc phục vi phạm, báo cáo kết quả bằng văn bản" if bad else "",
                sanction_amount=Decimal(rng.choice([0, 7_500_000, 15_000_000, 30_000_000])) if bad and firm else Decimal(0),
                sanction_note="Quyết định xử phạt vi phạm hành chính" if bad and firm else ("Nhắc nhở" if bad else ""),
                is_demo=True))
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    Inspection.objects.bulk_create(rows, batch_size=1000)
    made = list(Inspection.objects.filter(province=province, is_demo=True, violations_count__gt=0)
                .order_by("started_on", "pk"))
    follow_ups = []
    for inspection in made:
        due = inspection.started_on + dt.timedelta(days=30)
        done = due - dt.timedelta(days=rng.randint(0, 10)) if due < today - dt.timedelta(days=20) or rng.random() < 0.3 \
            else None
        if done is not None and rng.random() < 0.15:
            done = None  # late, still not done
        follow_ups.append(FollowUp(inspection=inspection, action=inspection.recommendations or "Khắc phục vi phạm",
                                   due_on=due, done_on=min(done, today) if done else None))
    FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
    # 4. receptions: 27 lượt in the first quarter (two groups), then a spread
    receptions: list[Reception] = []
    provincial_days = sorted(rng.choice(q1) for _ in range(SEED_RECEIVED))
    for i, day in enumerate(provincial_days):
        receptions.append(Reception(
            province=province, unit=province, received_on=day,
            kind=ReceptionKind.LEADER if day.day in (10, 11, 12) else ReceptionKind.REGULAR,
            receiver="Chánh Thanh tra Sở" if i % 5 == 0 else "Cán bộ tiếp công dân", citizen_name=CITIZENS[i],
            headcount=(6 if i == 7 else 9 if i == 19 else 1), subject=MATTERS[i % len(MATTERS)],
            legal_area=LegalArea.LABOUR if i % 3 else LegalArea.SOCIAL_INSURANCE,
            outcome=ReceptionOutcome.ANSWERED if i % 4 else ReceptionOutcome.GUIDED, is_demo=True))
    month = dt.date(2025, 4, 1)
    while month <= today:
        last = min((month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1), today)
        days = _working_days(calendar, month, last)
        for _ in range(rng.randint(6, 12) if days else 0):
            receptions.append(Reception(
                province=province, unit=province if rng.random() < 0.7 else rng.choice(communes),
                received_on=rng.choice(days), kind=rng.choice(list(ReceptionKind)), receiver="Cán bộ tiếp công dân",
                citizen_name=rng.choice(CITIZENS), headcount=rng.choice([1, 1, 1, 1, 2, 7]),
                subject=rng.choice(MATTERS), legal_area=rng.choice([LegalArea.LABOUR, LegalArea.SOCIAL_INSURANCE,
                                                                     LegalArea.SOCIAL_ASSISTANCE]),
                outcome=rng.choice([ReceptionOutcome.ANSWERED, ReceptionOutcome.ANSWERED, ReceptionOutcome.GUIDED]),
                is_demo=True))
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    Reception.objects.bulk_create(receptions, batch_size=1000)
    # 5. letters: resolved on time or late over the past, open ones due this week and overdue
    petitions: list[Petition] = []
    received_days = [today - dt.timedelta(days=d) for d in (3, 5, 8, 12, 20, 26, 40, 55)]
    month = dt.date(2025, 2, 1)
    while month < today - dt.timedelta(days=60):
        received_days += [month + dt.timedelta(days=rng.randint(0, 25)) for _ in range(2)]
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    for letter_no, received in enumerate(sorted(received_days), start=1):
        while not calendar.is_working_day(received):
            received -= dt.timedelta(days=1)
        letter_kind = rng.choice([PetitionKind.COMPLAINT, PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION,
                           PetitionKind.RECOMMENDATION])
        complexity = rng.choice([Complexity.NORMAL, Complexity.NORMAL, Complexity.COMPLICATED])
        p = Petition(code=f"{PREFIX}{received.year}-{letter_no:03d}", province=province, unit=province, kind=letter_kind,
                     complexity=complexity, petitioner_name=rng.choice(CITIZENS), subject=LETTERS[letter_kind],
                     legal_area=LegalArea.SOCIAL_ASSISTANCE if letter_kind != PetitionKind.DENUNCIATION
                     else LegalArea.SOCIAL_INSURANCE, received_on=received, is_demo=True)
        steps = [(StepKind.RECEIVED, received)]
        accept_due, _row = limits.acceptance_due(kind=letter_kind, received_on=received, instance=1, calendar=calendar)
        if letter_kind == PetitionKind.RECOMMENDATION:
            start = received
        else:
            start = min(accept_due or received, received + dt.timedelta(days=rng.randint(2, 8)))
            while not calendar.is_working_day(start):
                start -= dt.timedelta(days=1)
        if start > today:  # not yet accepted: the acceptance deadline runs
            p.status, p.due_on, p.rule = PetitionStatus.RECEIVED, accept_due, _row.label if _row else ""
        else:
            if letter_kind != PetitionKind.RECOMMENDATION:
                p.accepted_on, p.status = start, PetitionStatus.ACCEPTED
                steps.append((StepKind.ACCEPTED, start))
            due, row = limits.resolution_due(kind=letter_kind, start=start, instance=1, remote=False, complexity=complexity,
                                             extensions=0, calendar=calendar)
            p.due_on, p.rule = due, row.label
            finish = start + dt.timedelta(days=rng.randint(10, 40))
            if finish <= today - dt.timedelta(days=1) and received < today - dt.timedelta(days=60):
                p.status, p.resolved_on = PetitionStatus.RESOLVED, finish
                p.outcome = "Đã ban hành quyết định, kết luận giải quyết" if letter_kind != PetitionKind.RECOMMENDATION \
                    else "Đã trả lời bằng văn bản"
                steps.append((StepKind.RESOLVED, finish))
            elif letter_kind == PetitionKind.RECOMMENDATION:
                p.status = PetitionStatus.RECEIVED
        p._demo_steps = steps  # type: ignore[attr-defined]
        petitions.append(p)
    # one complaint still waiting for acceptance, due later this week (when a working day is left in it)
    sunday = today + dt.timedelta(days=6 - today.weekday())
    for offset in range(10, -1, -1):
        received = today - dt.timedelta(days=offset)
        due_week, row_week = limits.acceptance_due(kind=PetitionKind.COMPLAINT, received_on=received, instance=1,
                                                   calendar=calendar)
        if calendar.is_working_day(received) and due_week and today <= due_week <= sunday and row_week:
            week_letter = Petition(
                code=f"{PREFIX}{received.year}-{len(petitions) + 1:03d}", province=province, unit=province,
                kind=PetitionKind.COMPLAINT, petitioner_name=rng.choice(CITIZENS),
                subject=LETTERS[PetitionKind.COMPLAINT], legal_area=LegalArea.SOCIAL_ASSISTANCE, received_on=received,
                status=PetitionStatus.RECEIVED, due_on=due_week, rule=row_week.label, is_demo=True)
            week_letter._demo_steps = [(StepKind.RECEIVED, received)]  # type: ignore[attr-defined]
            petitions.append(week_letter)
            break
    Petition.objects.bulk_create(petitions, batch_size=1000)
    ids = dict(Petition.objects.filter(province=province, is_demo=True).values_list("code", "pk"))
    PetitionStep.objects.bulk_create([PetitionStep(petition_id=ids[p.code], kind=step, on=on, due_on=p.due_on)
                                      for p in petitions for step, on in p._demo_steps],  # type: ignore[attr-defined]
                                     batch_size=1000)
    counts = {"inspection_plans": len(plans), "inspections": len(rows), "follow_ups": len(follow_ups),
              "receptions": len(receptions), "petitions": len(petitions)}
    audit.record(actor=Actor.system(), action=AuditAction.INSPECTION_DEMO, obj=Inspection, unit=province,
                 after={"demo": True, "province": province.code, **counts})
    open_letters = sum(1 for p in petitions if p.status in (PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED))
    overdue = sum(1 for p in petitions if p.status in (PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED)
                  and p.due_on and p.due_on < today)
    write(f"{province.name}: {len(rows)} cuộc thanh tra, kiểm tra (quý I/2025: kiểm tra {SEED_INSPECTED} cơ sở, "
          f"{SEED_VIOLATING} cơ sở vi phạm); {len(receptions)} lượt tiếp công dân (quý I/2025: {SEED_RECEIVED} lượt); "
          f"{len(petitions)} đơn, {open_letters} đang giải quyết ({overdue} quá hạn).")
    return counts
