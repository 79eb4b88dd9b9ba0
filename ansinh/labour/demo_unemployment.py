"""Demo unemployment insurance dossiers for a year (issue 13: realistic volumes at Trà Vinh's scale).

Seed 001 reports for a quarter "1.506 hồ sơ hưởng bảo hiểm thất nghiệp, 13.747 triệu đồng": about
6.000 dossiers a year, ~9,1 million đồng each on average. The demo draws:

1. claimants among the province's living working-age members (18–60 on the receipt date), one
   dossier each, their commune from the register;
2. a receipt date spread over the year (working days), the contract's end 5–80 days before, an
   average salary around 4,4 million đồng (never below the region's minimum wage), months of
   contributions mostly 12–47 (so 3 months of benefit), fewer longer ones, a few under 12 (refused);
3. the decision 5–18 working days after receipt (before the due date) by the law itself
   (`ui_law.compute`, one read of the law, one calendar): granted with the amounts and the monthly
   reports, or refused with the reason; dossiers received in the last weeks stay undecided; one
   in ten granted benefits stopped because the person found a job; reports due before today
   mostly made, a few missed.

Everything is bulk-created (no query per dossier); `delete` removes the province's dossiers.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ansinh.geo.models import Unit
from ansinh.households.models import Member
from ansinh.procedures.deadlines import DueDates
from ansinh.workdays.calendar import calendar_for

from .models import ContractKind, DossierState, JobSearchReport, RegionalMinimumWage, ReportState, UnemploymentDossier
from .ui_law import UNEMPLOYMENT_USE, LawBook, LawMissing, seed_wage_regions
from .unemployment import apply_decision, decide, reports_for

PER_YEAR = 6_000
EMPLOYERS = ["Công ty TNHH May mặc Vĩnh Long", "Công ty CP Thủy sản Trà Vinh", "Công ty TNHH Giày da Mỹ Phong",
             "Công ty CP Chế biến dừa Bến Tre", "Công ty TNHH Điện tử Long Đức", "Hợp tác xã Nông nghiệp Cầu Kè",
             "Công ty TNHH Xây dựng Duyên Hải", "Công ty CP Dược phẩm Cửu Long", "Trường Mầm non tư thục Hoa Sen",
             "Công ty TNHH Chế biến gạo Tiểu Cần"]


def _months(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.03:
        return rng.randint(6, 11)  # refused: fewer than 12 months
    if draw < 0.72:
        return rng.randint(12, 35)
    if draw < 0.86:
        return rng.randint(36, 47)
    if draw < 0.96:
        return rng.randint(48, 71)
    return rng.randint(72, 150)


def generate(province: Unit, *, year: int, seed: int, users: Any = None) -> dict[str, int]:
    """About PER_YEAR dossiers received in `year` in `province` (fewer if the register is small)."""
    rng = random.Random(f"unemployment-{seed}-{year}-{province.pk}")
    seed_wage_regions(province)
    today = timezone.localdate()
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    if last < first:
        return {"unemployment_dossiers": 0, "job_search_reports": 0}
    already = UnemploymentDossier.objects.filter(commune__path__startswith=province.path,
                                                 received_on__year=year).values("person_id")
    people = list(Member.objects.filter(household__commune__path__startswith=province.path, died_on__isnull=True,
                                        left_on__isnull=True, birth_date__gte=dt.date(year - 60, 1, 1),
                                        birth_date__lte=dt.date(year - 18, 12, 31))
                  .exclude(pk__in=already).order_by("pk").values_list("pk", "household__commune_id"))
    if not people:
        return {"unemployment_dossiers": 0, "job_search_reports": 0}
    rng.shuffle(people)
    count = min(round(PER_YEAR * ((last - first).days + 1) / 365), len(people))
    book, calendar = LawBook.load(), calendar_for(province)
    due_dates = DueDates([UNEMPLOYMENT_USE], calendar, rows=book.procedures)
    wages = {w.region: w for w in RegionalMinimumWage.objects.filter(valid_from__lte=last).order_by("valid_from")}
    span = (last - first).days
    dossiers: list[UnemploymentDossier] = []
    for pid, commune in people[:count]:
        received = first + dt.timedelta(days=rng.randint(0, span))
        while not calendar.is_working_day(received):
            received += dt.timedelta(days=1)
        if received > last:
            received = last
        end = received - dt.timedelta(days=rng.randint(5, 80))
        region = 3 if rng.random() < 0.15 else 4
        floor = wages[region].monthly if region in wages else 3_450_000
        salary = max(floor, int(rng.gauss(4_400_000, 900_000) // 1000 * 1000))
        kind = ContractKind.SHORT if rng.random() < 0.05 else ContractKind.FIXED if rng.random() < 0.4 \
            else ContractKind.INDEFINITE
        try:
            book.rule(end)
            due = due_dates(UNEMPLOYMENT_USE, received).due_on  # the catalogue's deadline
        except (LawMissing, ValidationError):
            continue
        dossier = UnemploymentDossier(
            person_id=pid, commune_id=commune, received_on=received, employer_name=rng.choice(EMPLOYERS),
            region=region, contract_kind=kind, contract_end=end, months_contributed=_months(rng),
            average_salary=salary, decision_due=due)
        decided = calendar.add_working_days(received, rng.randint(5, 18))
        if decided <= today and decided <= due:
            number = f"{rng.randint(1, 9999)}/QĐ-SNV"
            apply_decision(dossier, decide(dossier, book=book, calendar=calendar), decided_on=decided, number=number)
        dossiers.append(dossier)
    # The reports and the later stops are settled before writing (no UPDATE afterwards).
    reports: list[JobSearchReport] = []
    for dossier in dossiers:
        made = reports_for(dossier, calendar)
        stop_after = rng.randint(1, len(made) - 1) if len(made) > 1 and rng.random() < 0.1 else None
        for report in made:
            if stop_after is not None and report.month_number > stop_after:
                continue
            if report.due_on <= today:
                if rng.random() < 0.97:
                    report.state, report.reported_on = ReportState.REPORTED, report.due_on
                else:
                    report.state = ReportState.MISSED
            reports.append(report)
        if stop_after is not None:
            stop_on = made[stop_after].due_on - dt.timedelta(days=rng.randint(1, 20))
            if stop_on <= today:
                dossier.state, dossier.stopped_on, dossier.stop_reason = DossierState.STOPPED, stop_on, "Đã có việc làm"
        elif dossier.state == DossierState.GRANTED and dossier.ends_on is not None and dossier.ends_on < today:
            dossier.state = DossierState.FINISHED
    with transaction.atomic():
        UnemploymentDossier.objects.bulk_create(dossiers, batch_size=2000)
        for report in reports:
            report.dossier_id = report.dossier.pk
        JobSearchReport.objects.bulk_create(reports, batch_size=5000)
    return {"unemployment_dossiers": len(dossiers), "job_search_reports": len(reports)}


def delete(province: Unit) -> None:
    """Removes the province's unemployment dossiers (and their reports) for `--replace`."""
    with transaction.atomic():
        JobSearchReport.objects.filter(dossier__commune__path__startswith=province.path).delete()
        UnemploymentDossier.objects.filter(commune__path__startswith=province.path).delete()


__all__ = ["PER_YEAR", "delete", "generate"]
