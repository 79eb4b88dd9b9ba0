"""Procedure dossiers of the demo province (`ansinh demo procedures --province 86`).

Seed 001 reports "tiếp nhận 287 hồ sơ yêu cầu giải quyết thủ tục hành chính, trả kết quả trước hạn
287 hồ sơ đạt 100%": the first quarter of 2025 gets exactly 287 dossiers, all returned before
their due date, so that the province's report for 2025-Q1 counts those figures from records. The
later quarters, up to today, have a few late dossiers, some with an apology slip, and open ones due
today, this week and overdue, so that every list shows something. Deterministic
(`random.Random(seed)`), written in bulk with one audit row; idempotent (the province's demo
dossiers are replaced)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.workdays.calendar import calendar_for

from . import services
from .models import Dossier, DossierEvent, DossierStatus, EventKind, Procedure

SEED_Q1 = 287  # seed 001
LATER_PER_MONTH = 60
PREFIX = "DEMO-"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@transaction.atomic
def demo_procedures(*, province: Unit, write: Callable[[str], None], seed: int = 1,
                     later_per_month: int = LATER_PER_MONTH) -> int:
    rng = random.Random(seed)
    calendar = calendar_for(province)
    today = timezone.localdate()
    communes = list(Unit.objects.filter(path__under=province.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                    .order_by("code"))
    old = Dossier.objects.filter(province=province, code__startswith=f"{PREFIX}{province.code}-")
    DossierEvent.objects.filter(dossier__in=old).delete()
    old.delete()

    def in_force(day: dt.date) -> list[Procedure]:
        return list(Procedure.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
                    .exclude(code__startswith="T."))

    plan: list[tuple[dt.date, str]] = []  # (day of receipt, kind: early / mixed)
    q1 = [d for d in (dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(90)) if calendar.is_working_day(d)]
    plan += [(rng.choice(q1), "early") for _ in range(SEED_Q1)]
    month = dt.date(2025, 4, 1)
    while month <= today:
        last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        days = [d for d in (month + dt.timedelta(days=i) for i in range((last - month).days + 1))
                if calendar.is_working_day(d) and d <= today]
        plan += [(rng.choice(days), "mixed") for _ in range(later_per_month if days else 0)]
        month = last + dt.timedelta(days=1)
    versions: dict[dt.date, list[Procedure]] = {}
    rows: list[Dossier] = []
    resolved_at: list[dt.datetime | None] = []
    for number, (day, kind) in enumerate(sorted(plan)):
        procs = versions.setdefault(day, in_force(day))
        proc = rng.choice(procs)
        unit = province if proc.receiving_level in ("province", "central") or not communes else rng.choice(communes)
        received = _at(day, rng.randint(7, 16), rng.choice([0, 15, 30, 45]))
        due = calendar.add_working_days(day, proc.days)
        resolved: dt.date | None = None
        if kind == "early":
            resolved = max(day, due - dt.timedelta(days=rng.randint(1, 3))) if proc.days else day
            while resolved > day and not calendar.is_working_day(resolved):
                resolved -= dt.timedelta(days=1)
        elif due < today - dt.timedelta(days=3) or rng.random() < 0.5:
            offset = rng.choice([-2, -1, 0, 0, 1, 3])
            resolved = calendar.add_working_days(due, offset) if offset >= 0 else max(day, due + dt.timedelta(days=offset))
            if resolved > today:
                resolved = None
        status = DossierStatus.RECEIVED
        returned = None
        if resolved is not None:
            status = DossierStatus.RETURNED if resolved < today else DossierStatus.RESOLVED
            returned = _at(resolved, 16, 30) if status == DossierStatus.RETURNED else None
        new_due = None
        if resolved is not None and resolved > due and due - dt.timedelta(days=1) >= day and rng.random() < 0.6:
            new_due = calendar.add_working_days(due, 3)
        rows.append(Dossier(
            code=f"{PREFIX}{province.code}-{number + 1:05d}", procedure=proc, field=proc.field,
            channel=rng.choice(["in_person", "in_person", "online", "post"]),
            applicant_name=rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Thạch", "Sơn"]) + " "
            + rng.choice(["Văn", "Thị", "Minh", "Ngọc"]) + " " + rng.choice(["An", "Bình", "Chi", "Dũng", "Hoa", "Sang"]),
            unit=unit, province=province, agency=services.default_agency(unit, proc), received_at=received,
            received_on=day, start_on=day, days=proc.days, due_on=due, new_due_on=new_due,
            apology_reason="Chờ kết quả xác minh của cơ quan liên quan" if new_due else "",
            apology_at=_at(due - dt.timedelta(days=1), 9) if new_due else None, status=status,
            outcome="granted" if resolved else "", resolved_on=resolved,
            resolved_at=_at(resolved, 15) if resolved else None, returned_at=returned))
        resolved_at.append(rows[-1].resolved_at)
    Dossier.objects.bulk_create(rows, batch_size=2000)
    ids = dict(Dossier.objects.filter(code__in=[d.code for d in rows]).values_list("code", "pk"))
    events: list[DossierEvent] = []
    for d in rows:
        pk = ids[d.code]
        events.append(DossierEvent(dossier_id=pk, kind=EventKind.RECEIVED, at=d.received_at, due_on=d.due_on,
                                   to_agency=d.agency))
        if d.apology_at is not None:
            events.append(DossierEvent(dossier_id=pk, kind=EventKind.APOLOGY, at=d.apology_at, due_on=d.due_on,
                                       note=d.apology_reason))
        if d.resolved_at is not None:
            events.append(DossierEvent(dossier_id=pk, kind=EventKind.RESOLVED, at=d.resolved_at, due_on=d.due_on))
        if d.returned_at is not None:
            events.append(DossierEvent(dossier_id=pk, kind=EventKind.RETURNED, at=d.returned_at, due_on=d.due_on))
    DossierEvent.objects.bulk_create(events, batch_size=2000)
    audit.record(actor=Actor.system(), action=AuditAction.PROC_DOSSIER_IMPORT, obj=Dossier, unit=province,
                 after={"demo": True, "province": province.code, "dossiers": len(rows)})
    q1_count = sum(1 for d in rows if d.received_on <= dt.date(2025, 3, 31))
    write(f"{province.name}: {len(rows)} hồ sơ thủ tục hành chính (quý I/2025: {q1_count} hồ sơ, trả kết quả "
          f"trước hạn {q1_count}); {sum(1 for d in rows if d.status == DossierStatus.RECEIVED)} hồ sơ đang giải quyết.")
    return len(rows)
