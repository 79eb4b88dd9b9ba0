"""Foreign workers in the province and their work permits (Decree 152/2020/NĐ-CP as amended by
Decree 70/2023/NĐ-CP; Decree 219/2025/NĐ-CP from 7 Aug 2025).

- A permit dossier received on a day is decided within the working days of the catalogue's
  procedure in force on that day (`ansinh.procedures.deadlines`, uses `permit_issue`,
  `permit_reissue`, `permit_extend`, `permit_exemption`): `due_on = received_on + n working days`
  on the province's working-day calendar (`ansinh.workdays`; Civil Code Art. 147.2: the day after
  receipt is day 1), the same logic as every dossier of the system. What stays here is the
  refusal time of each decree (`PermitRule`): a limit on notifying a refusal, not a deadline.
- A permit (and a confirmation of exemption) lasts at most 2 years (Labour Code 2019 Art. 155;
  Decree 152/2020 Art. 10, 19; kept by Decree 219/2025); a permit is extended once only
  (Decree 152/2020 Art. 16.1; kept by Decree 219/2025 [S]).
- The expiry list: granted permits or exemptions ending within 45 days, not yet followed by an
  extension or a new permit.

Every change is audited (`foreign_worker.save`, `work_permit.save`, `labour.law.save`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.vietnamese import fold
from ansinh.lib.workdays import WorkingCalendar
from ansinh.procedures.deadlines import DueDates, deadline
from ansinh.procedures.models import Procedure
from ansinh.workdays.calendar import calendar_for

from . import access
from .countries import COUNTRIES
from .models import Employer, ForeignWorker, PermitKind, PermitRule, PermitState, Position, WorkPermit

WORKER_FIELDS = ["full_name", "passport_number", "nationality", "sex", "birth_date", "employer", "position",
                 "job_title", "workplace", "note"]
PERMIT_FIELDS = ["worker", "kind", "received_on", "due_on", "state", "decided_on", "number", "valid_from",
                 "valid_to", "refusal_reason", "note"]
RULE_FIELDS = ["kind", "decree", "valid_from", "valid_to", "refusal_working_days", "legal_basis", "provisional"]
EXPIRY_DAYS = 45
MAX_TERM_YEARS = 2
TERM_BASIS = "Bộ luật Lao động 2019, Điều 155; Nghị định 152/2020/NĐ-CP, Điều 10, 19"
ONE_EXTENSION_BASIS = "Nghị định 152/2020/NĐ-CP, Điều 16 khoản 1"
FIRST_RULE_DAY = dt.date(2021, 2, 15)
# The procedures a permit in force is needed for, and those that make one.
NEEDS_PERMIT = (PermitKind.REISSUE, PermitKind.EXTEND)


def _deny(user: Any, unit: Unit) -> None:
    if user is not None and not access.may_change(user, unit, "foreign_worker"):
        raise PermissionDenied("Anh/chị không được ghi người lao động nước ngoài ở địa bàn này.")


def normal_passport(text: str) -> str:
    return "".join((text or "").split()).upper()


# --- Foreign workers ------------------------------------------------------------------------------


def foreign_worker_save(*, actor: Actor, full_name: str, passport_number: str, nationality: str, sex: str,
                        employer: Employer, position: str, workplace: Unit, birth_date: dt.date | None = None,
                        job_title: str = "", note: str = "", worker: ForeignWorker | None = None) -> ForeignWorker:
    """Records a foreign worker (`worker` None) or changes one. The workplace is a commune of the
    current map (the figures count the worker there)."""
    user = user_of(actor)
    _deny(user, workplace)
    full_name = " ".join((full_name or "").split())
    passport = normal_passport(passport_number)
    errors: dict[str, str] = {}
    if not full_name:
        errors["full_name"] = "Ghi họ và tên."
    if not passport or len(passport) > 20 or not passport.isalnum():
        errors["passport_number"] = "Số hộ chiếu phải gồm chữ và số, tối đa 20 ký tự."
    if nationality not in COUNTRIES:
        errors["nationality"] = "Chọn quốc tịch trong danh sách."
    if sex not in ("male", "female"):
        errors["sex"] = "Chọn giới tính."
    if position not in Position.values:
        errors["position"] = "Chọn vị trí công việc trong danh sách."
    if workplace.level != Level.COMMUNE or workplace.edition != Edition.CURRENT:
        errors["workplace"] = "Nơi làm việc phải là một xã, phường theo bản đồ hành chính hiện hành."
    if birth_date is not None and birth_date > dt.date.today():
        errors["birth_date"] = "Ngày sinh sau ngày hôm nay."
    if not errors and ForeignWorker.objects.filter(nationality=nationality, passport_number=passport).exclude(
            pk__in=[worker.pk] if worker is not None else []).exists():
        errors["passport_number"] = f"Hộ chiếu {passport} đã có trong danh sách người lao động nước ngoài."
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {"full_name": full_name, "passport_number": passport, "nationality": nationality,
                              "sex": sex, "birth_date": birth_date, "employer": employer, "position": position,
                              "job_title": (job_title or "").strip(), "workplace": workplace,
                              "note": (note or "").strip(), "search_name": fold(full_name)}
    with transaction.atomic():
        before = None
        if worker is None:
            worker = ForeignWorker(created_by=user, **values)
            worker.save()
        else:
            worker = ForeignWorker.objects.select_for_update().get(pk=worker.pk)
            before = audit.snapshot(worker, WORKER_FIELDS)
            for key, value in values.items():
                setattr(worker, key, value)
            worker.save(update_fields=list(values))
        audit.record(actor=actor, action=AuditAction.FOREIGN_WORKER_SAVE, obj=worker, unit=workplace, before=before,
                     after=audit.snapshot(worker, WORKER_FIELDS))
    return worker


# --- Processing times ------------------------------------------------------------------------------


def permit_use(kind: str) -> str:
    """The catalogue use whose procedure sets the deadline of a permit dossier of `kind`."""
    return f"permit_{kind}"


PERMIT_USES = [permit_use(kind) for kind in PermitKind.values]


def permit_due_dates(calendar: WorkingCalendar) -> DueDates:
    """Due dates for a batch of permit dossiers (an import, the demo): the catalogue read once."""
    return DueDates(PERMIT_USES, calendar)


def rule_for(kind: str, received_on: dt.date, rules: list[PermitRule] | None = None) -> PermitRule:
    """The decree's row of `kind` in force on `received_on` (its refusal time)."""
    found = [r for r in (rules if rules is not None else PermitRule.objects.filter(kind=kind))
             if r.kind == kind and r.valid_from <= received_on and (r.valid_to is None or received_on <= r.valid_to)]
    if not found:
        raise ValidationError({"received_on": f"Chưa có quy định thời hạn giải quyết cho thủ tục này vào ngày "
                                              f"{received_on:%d/%m/%Y} (quy định có từ 15/02/2021)."})
    return max(found, key=lambda r: r.valid_from)


def due_date(kind: str, received_on: dt.date, *, calendar: WorkingCalendar,
             due_dates: DueDates | None = None) -> tuple[dt.date, Procedure]:
    """The day a decision is due: the n-th working day after receipt by the catalogue's procedure
    in force (`ansinh.procedures.deadlines`); `due_dates` for a batch."""
    if due_dates is not None:
        found = due_dates(permit_use(kind), received_on)
    else:
        found = deadline(permit_use(kind), received_on, calendar=calendar)
    return found.due_on, found.procedure


def term_error(valid_from: dt.date | None, valid_to: dt.date | None) -> str | None:
    """A Vietnamese message when the term is missing, reversed or longer than 2 years."""
    if valid_from is None or valid_to is None:
        return "Ghi thời hạn của giấy phép (hiệu lực từ, đến)."
    if valid_to < valid_from:
        return "Ngày hết hiệu lực phải sau ngày có hiệu lực."
    try:
        limit = valid_from.replace(year=valid_from.year + MAX_TERM_YEARS)
    except ValueError:  # 29/2
        limit = dt.date(valid_from.year + MAX_TERM_YEARS, 3, 1)
    if valid_to >= limit:
        return (f"Thời hạn tối đa là 02 năm ({TERM_BASIS}): hiệu lực từ {valid_from:%d/%m/%Y} thì đến muộn nhất "
                f"{limit - dt.timedelta(days=1):%d/%m/%Y}.")
    return None


def in_force(worker: ForeignWorker, on: dt.date, *, exclude: int | None = None) -> WorkPermit | None:
    """The worker's granted permit (not an exemption) in force on `on`, the latest first."""
    return (worker.permits.filter(state=PermitState.GRANTED, valid_from__lte=on, valid_to__gte=on)
            .exclude(kind=PermitKind.EXEMPTION).exclude(pk__in=[exclude] if exclude else []).order_by("-valid_to").first())


def extension_error(worker: ForeignWorker, received_on: dt.date, *, exclude: int | None = None) -> str | None:
    """An extension needs a permit in force, and a permit is extended once only: after the
    latest first issue, no other extension granted or being processed."""
    current = in_force(worker, received_on, exclude=exclude)
    if current is None:
        return (f"{worker.full_name} không có giấy phép lao động còn hiệu lực vào ngày {received_on:%d/%m/%Y}: "
                "không gia hạn được (cấp giấy phép mới).")
    issued = (worker.permits.filter(kind=PermitKind.ISSUE, state=PermitState.GRANTED, received_on__lte=received_on)
              .order_by("-received_on").first())
    since = issued.received_on if issued is not None else dt.date.min
    earlier = (worker.permits.filter(kind=PermitKind.EXTEND, state__in=[PermitState.GRANTED, PermitState.PENDING],
                                     received_on__gte=since).exclude(pk__in=[exclude] if exclude else []))
    if earlier.exists():
        return (f"Giấy phép lao động của {worker.full_name} đã được gia hạn một lần: chỉ được gia hạn một lần "
                f"({ONE_EXTENSION_BASIS}); cấp giấy phép mới.")
    return None


def work_permit_receive(*, actor: Actor, worker: ForeignWorker, kind: str, received_on: dt.date,
                        note: str = "") -> WorkPermit:
    """A permit dossier received: pending, with its due date by the decree in force that day.

    1. Scope (provincial labour officers of the workplace's province).
    2. Re-issue and extension need a permit in force; one extension only.
    3. The due date on the province's working-day calendar; saved and audited.
    """
    user = user_of(actor)
    _deny(user, worker.workplace)
    if kind not in PermitKind.values:
        raise ValidationError({"kind": "Chọn loại thủ tục trong danh sách."})
    if kind == PermitKind.EXTEND:
        problem = extension_error(worker, received_on)
        if problem:
            raise ValidationError({"kind": problem})
    elif kind == PermitKind.REISSUE and in_force(worker, received_on) is None:
        raise ValidationError({"kind": f"{worker.full_name} không có giấy phép lao động còn hiệu lực để cấp lại."})
    due, _rule = due_date(kind, received_on, calendar=calendar_for(worker.workplace))
    with transaction.atomic():
        permit = WorkPermit.objects.create(worker=worker, kind=kind, received_on=received_on, due_on=due,
                                           state=PermitState.PENDING, note=(note or "").strip(), created_by=user)
        audit.record(actor=actor, action=AuditAction.WORK_PERMIT_SAVE, obj=permit, unit=worker.workplace,
                     after=audit.snapshot(permit, PERMIT_FIELDS))
    return permit


def work_permit_decide(*, actor: Actor, permit: WorkPermit, granted: bool, decided_on: dt.date, number: str = "",
                       valid_from: dt.date | None = None, valid_to: dt.date | None = None,
                       refusal_reason: str = "") -> WorkPermit:
    """Grants (number and term, at most 2 years) or refuses (with the reason) a pending dossier."""
    worker = permit.worker
    user = user_of(actor)
    _deny(user, worker.workplace)
    errors: dict[str, str] = {}
    if decided_on < permit.received_on:
        errors["decided_on"] = "Ngày quyết định phải từ ngày tiếp nhận hồ sơ trở đi."
    if granted:
        problem = term_error(valid_from, valid_to)
        if problem:
            errors["valid_to"] = problem
        if not number.strip():
            errors["number"] = "Ghi số giấy phép."
    elif not refusal_reason.strip():
        errors["refusal_reason"] = "Ghi lý do không cấp."
    if errors:
        raise ValidationError(errors)
    state = PermitState.GRANTED if granted else PermitState.REFUSED
    with transaction.atomic():
        before = audit.snapshot(permit, PERMIT_FIELDS)
        changed = WorkPermit.objects.filter(pk=permit.pk, state=PermitState.PENDING).update(
            state=state, decided_on=decided_on, number=number.strip() if granted else "",
            valid_from=valid_from if granted else None, valid_to=valid_to if granted else None,
            refusal_reason="" if granted else refusal_reason.strip())
        if changed != 1:
            raise ValidationError({"state": "Hồ sơ này đã được giải quyết."})
        permit.refresh_from_db()
        audit.record(actor=actor, action=AuditAction.WORK_PERMIT_SAVE, obj=permit, unit=worker.workplace,
                     before=before, after=audit.snapshot(permit, PERMIT_FIELDS))
    return permit


# --- The expiry list ---------------------------------------------------------------------------------


def expiring(permits: QuerySet[WorkPermit], today: dt.date, days: int = EXPIRY_DAYS) -> QuerySet[WorkPermit]:
    """Granted permits and exemptions ending within `days` days of `today` (today included), of
    workers with no later permit granted or being processed."""
    later = WorkPermit.objects.filter(worker_id=OuterRef("worker_id")).exclude(pk=OuterRef("pk")).filter(
        Q(state=PermitState.PENDING, received_on__gte=OuterRef("received_on"))
        | Q(state=PermitState.GRANTED, valid_to__gt=OuterRef("valid_to")))
    return (permits.filter(state=PermitState.GRANTED, valid_to__gte=today,
                           valid_to__lte=today + dt.timedelta(days=days))
            .filter(~Exists(later)).order_by("valid_to", "pk"))


# --- The law's rows --------------------------------------------------------------------------------


def permit_rule_save(*, actor: Actor, rule: PermitRule, working_days: int, refusal_working_days: int | None,
                     legal_basis: str, provisional: bool, valid_to: dt.date | None) -> PermitRule:
    """An administrator corrects a permit procedure's times: the refusal time on the decree's row
    (audited `labour.law.save`), the decision time in the catalogue of procedures, the one place
    every deadline is read from (the version in force on the row's first day, audited
    `procedure.save`)."""
    from ansinh.procedures.deadlines import procedure_in_force
    from ansinh.procedures.services import procedure_save

    user = user_of(actor)
    if user is not None and not access.may_change(user, Unit(path=""), "law"):  # the law: not a unit's
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa quy định thời hạn giải quyết.")
    errors: dict[str, str] = {}
    if not 1 <= working_days <= 60:
        errors["working_days"] = "Số ngày làm việc phải từ 1 đến 60."
    if refusal_working_days is not None and not 1 <= refusal_working_days <= 60:
        errors["refusal_working_days"] = "Số ngày làm việc phải từ 1 đến 60."
    if not legal_basis.strip():
        errors["legal_basis"] = "Ghi căn cứ pháp lý."
    if valid_to is not None and valid_to < rule.valid_from:
        errors["valid_to"] = "Ngày hết hiệu lực phải sau ngày có hiệu lực."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        procedure = procedure_in_force(permit_use(rule.kind), rule.valid_from, field="working_days")
        if procedure.days != working_days:
            procedure_save(actor=actor, procedure=procedure, code=procedure.code, name=procedure.name,
                           field=procedure.field, receiving_level=procedure.receiving_level,
                           deciding_level=procedure.deciding_level, days=working_days, fee=procedure.fee,
                           legal_basis=procedure.legal_basis, valid_from=procedure.valid_from,
                           valid_to=procedure.valid_to, provisional=procedure.provisional,
                           counts_from_next_day=procedure.counts_from_next_day, note=procedure.note,
                           used_for=procedure.used_for)
        before = audit.snapshot(rule, RULE_FIELDS)
        rule.refusal_working_days = refusal_working_days
        rule.legal_basis, rule.provisional, rule.valid_to = legal_basis.strip(), provisional, valid_to
        rule.save(update_fields=["refusal_working_days", "legal_basis", "provisional", "valid_to"])
        audit.record(actor=actor, action=AuditAction.LABOUR_LAW_SAVE, obj=rule, before=before,
                     after={**audit.snapshot(rule, RULE_FIELDS), "working_days": working_days})
    return rule


__all__ = ["PERMIT_USES", "due_date", "expiring", "permit_due_dates", "permit_use", "extension_error", "foreign_worker_save", "permit_rule_save", "rule_for",
           "term_error", "work_permit_decide", "work_permit_receive"]
