"""Workflows of the inspections area: each a typed, keyword-only function in one transaction,
writing its audit row and raising ValidationError (messages in Vietnamese) instead of returning
flags. Scope is checked by the callers (`access_inspections`); the services check the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, User
from ansinh.geo.models import Level, Unit
from ansinh.lib.vietnamese import fold
from ansinh.workdays.calendar import calendar_for

from . import limits_inspections as limits
from .models_inspections import (
    Complexity, FollowUp, Inspection, InspectionPlan, Petition, PetitionKind, PetitionStatus, PetitionStep, Reception,
    ReceptionOutcome, StepKind, SubjectKind,
)

AnyActor = Actor | User | None

INSPECTION_FIELDS = ["plan_id", "unit_id", "kind", "team", "legal_area", "subject_kind", "employer_id", "subject_name",
                     "started_on", "ended_on", "members", "findings", "violations_count", "violation_kind",
                     "violations", "recommendations", "sanction_amount", "sanction_note"]
RECEPTION_FIELDS = ["unit_id", "received_on", "kind", "receiver", "headcount", "subject", "legal_area", "outcome"]
PETITION_FIELDS = ["code", "unit_id", "kind", "instance", "remote_area", "complexity", "subject", "legal_area",
                   "received_on", "accepted_on", "extensions", "due_on", "resolved_on", "status", "outcome"]


def _province(unit: Unit) -> Unit:
    province = unit if unit.level == Level.PROVINCE else unit.province()
    if province is None or unit.level not in (Level.PROVINCE, Level.COMMUNE):
        raise ValidationError({"unit": "Chọn một tỉnh, thành phố hoặc một xã, phường."})
    return province


@transaction.atomic
def plan_save(*, actor: AnyActor, plan: InspectionPlan) -> InspectionPlan:
    before = audit.snapshot(plan, ["year", "team", "number", "title", "planned_count"]) if plan.pk else None
    if plan.province.level != Level.PROVINCE:
        raise ValidationError({"province": "Kế hoạch thanh tra thuộc một tỉnh, thành phố."})
    plan.full_clean()
    plan.save()
    audit.record(actor=actor, action=AuditAction.INSPECTION_PLAN_SAVE, obj=plan, unit=plan.province, before=before,
                 after=audit.snapshot(plan, ["year", "team", "number", "title", "planned_count"]))
    return plan


def subject_key(inspection: Inspection) -> str:
    """Who was inspected, to count an establishment once however often it is inspected."""
    if inspection.employer_id:
        return f"e{inspection.employer_id}"
    return f"n{inspection.unit_id}:{fold(inspection.subject_name)}"[:260]


@transaction.atomic
def inspection_save(*, actor: AnyActor, inspection: Inspection) -> Inspection:
    """Records a new inspection or saves a changed one:
    1. its province is the province of its unit; the plan and the employer must be of it;
    2. an establishment named from the employers' register takes the register's name;
    3. violations: a count without a description (or the reverse) is refused;
    4. saved after full_clean, with an audit row (before and after)."""
    before = None
    if inspection.pk:
        old = Inspection.objects.get(pk=inspection.pk)
        before = audit.snapshot(old, INSPECTION_FIELDS)
    inspection.province = _province(inspection.unit)
    errors: dict[str, str] = {}
    if inspection.plan is not None and inspection.plan.province_id != inspection.province.pk:
        errors["plan"] = "Kế hoạch thanh tra này thuộc tỉnh, thành phố khác."
    if inspection.employer is not None:
        employer_unit = inspection.employer.unit
        if not employer_unit.path.startswith(inspection.province.path):
            errors["employer"] = "Doanh nghiệp này không ở tỉnh, thành phố của cuộc kiểm tra."
        inspection.subject_kind = SubjectKind.ESTABLISHMENT
        if not inspection.subject_name:
            inspection.subject_name = inspection.employer.name
    if inspection.violations_count and not inspection.violations.strip():
        errors["violations"] = "Có vi phạm thì ghi rõ nội dung vi phạm."
    if inspection.violations.strip() and not inspection.violations_count:
        errors["violations_count"] = "Đã ghi nội dung vi phạm: số vi phạm phải lớn hơn 0."
    if inspection.violations_count and not inspection.violation_kind:
        errors["violation_kind"] = "Chọn loại vi phạm chính."
    if errors:
        raise ValidationError(errors)
    inspection.subject_key = subject_key(inspection)
    inspection.full_clean()
    inspection.save()
    audit.record(actor=actor, action=AuditAction.INSPECTION_SAVE, obj=inspection, unit=inspection.unit, before=before,
                 after=audit.snapshot(inspection, INSPECTION_FIELDS))
    return inspection


@transaction.atomic
def follow_up_add(*, actor: AnyActor, inspection: Inspection, action: str, due_on: dt.date) -> FollowUp:
    if not action.strip():
        raise ValidationError({"action": "Ghi việc cần làm sau kiểm tra."})
    if due_on < inspection.started_on:
        raise ValidationError({"due_on": "Hạn thực hiện không thể trước ngày bắt đầu kiểm tra."})
    item = FollowUp(inspection=inspection, action=action.strip(), due_on=due_on)
    item.full_clean()
    item.save()
    audit.record(actor=actor, action=AuditAction.INSPECTION_FOLLOW_UP, obj=inspection, unit=inspection.unit,
                 after={"follow_up": item.pk, "action": item.action, "due_on": due_on.isoformat()})
    return item


@transaction.atomic
def follow_up_done(*, actor: AnyActor, item: FollowUp, done_on: dt.date, note: str = "") -> FollowUp:
    """Marks a follow-up done once (a second click changes nothing and says so)."""
    if done_on < item.inspection.started_on:
        raise ValidationError({"done_on": "Ngày hoàn thành không thể trước ngày bắt đầu kiểm tra."})
    if done_on > dt.date.today() + dt.timedelta(days=1):
        raise ValidationError({"done_on": "Ngày hoàn thành không thể ở tương lai."})
    changed = FollowUp.objects.filter(pk=item.pk, done_on__isnull=True).update(done_on=done_on, note=note[:500])
    if changed != 1:
        raise ValidationError("Việc này đã được ghi nhận hoàn thành trước đó.")
    item.refresh_from_db()
    audit.record(actor=actor, action=AuditAction.INSPECTION_FOLLOW_UP, obj=item.inspection, unit=item.inspection.unit,
                 before={"follow_up": item.pk, "done_on": None},
                 after={"follow_up": item.pk, "done_on": done_on.isoformat(), "note": item.note})
    return item


@transaction.atomic
def reception_save(*, actor: AnyActor, reception: Reception, letter_kind: str = "", letter_code: str = ""
                   ) -> Reception:
    """Records one lượt of citizen reception; a letter received (outcome LETTER) with its kind
    becomes a complaint, denunciation or petition received the same day."""
    reception.province = _province(reception.unit)
    if reception.outcome == ReceptionOutcome.LETTER and not reception.pk:
        if letter_kind not in PetitionKind.values:
            raise ValidationError({"letter_kind": "Đã nhận đơn: chọn loại đơn (khiếu nại, tố cáo, kiến nghị)."})
        if not letter_code.strip():
            raise ValidationError({"letter_code": "Đã nhận đơn: ghi số vào sổ của đơn."})
    if reception.received_on > dt.date.today():
        raise ValidationError({"received_on": "Ngày tiếp công dân không thể ở tương lai."})
    reception.full_clean()
    reception.save()
    audit.record(actor=actor, action=AuditAction.INSPECTION_RECEPTION_SAVE, obj=reception, unit=reception.unit,
                 after=audit.snapshot(reception, RECEPTION_FIELDS))
    if reception.outcome == ReceptionOutcome.LETTER and letter_kind:
        petition_receive(actor=actor, petition=Petition(
            code=letter_code.strip(), unit=reception.unit, kind=letter_kind, petitioner_name=reception.citizen_name,
            subject=reception.subject, legal_area=reception.legal_area, reception=reception,
            received_on=reception.received_on))
    return reception


def _step(petition: Petition, kind: str, on: dt.date, actor: AnyActor, note: str = "") -> None:
    PetitionStep.objects.create(petition=petition, kind=kind, on=on, actor=audit.user_of(actor), due_on=petition.due_on,
                                note=note[:500])


def _set_due(petition: Petition) -> None:
    """The current deadline: acceptance while received (resolution for a recommendation, which has
    no acceptance stage), resolution once accepted, none once closed."""
    calendar = calendar_for(petition.province)
    if petition.status == PetitionStatus.RECEIVED and petition.kind != PetitionKind.RECOMMENDATION:
        due, row = limits.acceptance_due(kind=petition.kind, received_on=petition.received_on,
                                         instance=petition.instance, calendar=calendar)
    elif petition.status in (PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED):
        start = petition.accepted_on or petition.received_on
        due, row = limits.resolution_due(kind=petition.kind, start=start, instance=petition.instance,
                                         remote=petition.remote_area, complexity=petition.complexity,
                                         extensions=petition.extensions, calendar=calendar)
    else:
        return
    petition.due_on = due
    petition.rule = row.label[:300] if row else ""


@transaction.atomic
def petition_receive(*, actor: AnyActor, petition: Petition) -> Petition:
    """Records a letter received and its first deadline."""
    petition.province = _province(petition.unit)
    if petition.kind != PetitionKind.COMPLAINT:
        petition.instance = 1
    if petition.received_on > dt.date.today():
        raise ValidationError({"received_on": "Ngày nhận đơn không thể ở tương lai."})
    if Petition.objects.filter(province=petition.province, code=petition.code).exclude(pk=petition.pk).exists():
        raise ValidationError({"code": f"Số đơn {petition.code} đã có trong sổ của tỉnh, thành phố."})
    petition.status = PetitionStatus.RECEIVED
    _set_due(petition)
    petition.full_clean()
    petition.save()
    _step(petition, StepKind.RECEIVED, petition.received_on, actor)
    audit.record(actor=actor, action=AuditAction.INSPECTION_PETITION_SAVE, obj=petition, unit=petition.unit,
                 after=audit.snapshot(petition, PETITION_FIELDS))
    return petition


def _move(petition: Petition, old: str, fields: dict[str, Any]) -> None:
    """Applies a status change once: a concurrent change of the same petition fails cleanly."""
    changed = Petition.objects.filter(pk=petition.pk, status=old).update(**fields)
    if changed != 1:
        raise ValidationError("Đơn này vừa được người khác cập nhật; tải lại trang.")
    for name, value in fields.items():
        setattr(petition, name, value)


@transaction.atomic
def petition_accept(*, actor: AnyActor, petition: Petition, on: dt.date, complexity: str = Complexity.NORMAL,
                    remote_area: bool = False) -> Petition:
    """Accepts (thụ lý) a complaint or denunciation: its resolution term starts."""
    if petition.status != PetitionStatus.RECEIVED or petition.kind == PetitionKind.RECOMMENDATION:
        raise ValidationError("Chỉ đơn khiếu nại, tố cáo đang chờ thụ lý mới được thụ lý.")
    if on < petition.received_on or on > dt.date.today():
        raise ValidationError({"on": "Ngày thụ lý phải từ ngày nhận đơn đến hôm nay."})
    before = audit.snapshot(petition, PETITION_FIELDS)
    petition.accepted_on, petition.complexity, petition.remote_area = on, complexity, remote_area
    petition.status = PetitionStatus.ACCEPTED
    _set_due(petition)
    _move(petition, PetitionStatus.RECEIVED, {"status": PetitionStatus.ACCEPTED, "accepted_on": on,
                                               "complexity": complexity, "remote_area": remote_area,
                                               "due_on": petition.due_on, "rule": petition.rule})
    _step(petition, StepKind.ACCEPTED, on, actor)
    audit.record(actor=actor, action=AuditAction.INSPECTION_PETITION_STEP, obj=petition, unit=petition.unit,
                 before=before, after=audit.snapshot(petition, PETITION_FIELDS))
    return petition


@transaction.atomic
def petition_extend(*, actor: AnyActor, petition: Petition, on: dt.date, complexity: str, note: str) -> Petition:
    """Extends a denunciation's resolution term by 30 days (Law 25/2018/QH14, Art. 30.1): once for a
    complicated case, twice for an especially complicated one, before the term ends."""
    if petition.status != PetitionStatus.ACCEPTED or petition.kind != PetitionKind.DENUNCIATION:
        raise ValidationError("Chỉ thời hạn giải quyết tố cáo đã thụ lý mới được gia hạn.")
    if not note.strip():
        raise ValidationError({"note": "Ghi số, ngày của quyết định gia hạn."})
    if petition.due_on and on > petition.due_on:
        raise ValidationError({"on": "Quyết định gia hạn phải ban hành trước khi hết thời hạn giải quyết."})
    before = audit.snapshot(petition, PETITION_FIELDS)
    petition.complexity, petition.extensions = complexity, petition.extensions + 1
    _set_due(petition)  # raises when the complexity allows no further extension
    _move(petition, PetitionStatus.ACCEPTED, {"complexity": complexity, "extensions": petition.extensions,
                                               "due_on": petition.due_on, "rule": petition.rule,
                                               "status": PetitionStatus.ACCEPTED})
    _step(petition, StepKind.EXTENDED, on, actor, note)
    audit.record(actor=actor, action=AuditAction.INSPECTION_PETITION_STEP, obj=petition, unit=petition.unit,
                 before=before, after=audit.snapshot(petition, PETITION_FIELDS))
    return petition


@transaction.atomic
def petition_finish(*, actor: AnyActor, petition: Petition, on: dt.date, outcome: str, resolved: bool) -> Petition:
    """Resolves the case (a decision or conclusion) or closes it unaccepted (forwarded, filed)."""
    if not petition.is_open:
        raise ValidationError("Đơn này đã được giải quyết hoặc đã đóng.")
    if not outcome.strip():
        raise ValidationError({"outcome": "Ghi kết quả giải quyết hoặc lý do không thụ lý, chuyển đơn."})
    if on < petition.received_on or on > dt.date.today():
        raise ValidationError({"on": "Ngày phải từ ngày nhận đơn đến hôm nay."})
    if resolved and petition.kind != PetitionKind.RECOMMENDATION and petition.status != PetitionStatus.ACCEPTED:
        raise ValidationError("Khiếu nại, tố cáo phải được thụ lý trước khi giải quyết.")
    before = audit.snapshot(petition, PETITION_FIELDS)
    status = PetitionStatus.RESOLVED if resolved else PetitionStatus.CLOSED
    _move(petition, petition.status, {"status": status, "resolved_on": on, "outcome": outcome.strip()[:500]})
    _step(petition, StepKind.RESOLVED if resolved else StepKind.CLOSED, on, actor, outcome)
    audit.record(actor=actor, action=AuditAction.INSPECTION_PETITION_STEP, obj=petition, unit=petition.unit,
                 before=before, after=audit.snapshot(petition, PETITION_FIELDS))
    return petition


__all__ = ["follow_up_add", "follow_up_done", "inspection_save", "petition_accept", "petition_extend",
           "petition_finish", "petition_receive", "plan_save", "reception_save", "subject_key"]
