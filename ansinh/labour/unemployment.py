"""Unemployment insurance dossiers: receive, decide, job-search reports, suspend and stop.

Every function is a typed, keyword-only service in one transaction, writing its audit row
(UNEMPLOYMENT_RECEIVE, _DECIDE, _REPORT, _STOP) and refusing with a Vietnamese ValidationError.
State changes go through `filter(pk=…, state=old).update(…)` so two officers never apply the same
transition twice. Scope: `access.may_change(user, commune, "unemployment")` (the provincial
labour officers, the employment service centre; administrators); an operator's run (no user:
the CLI without --as, the demo) is not scoped.

The law: `ui_law.compute` by the contract's end date (Law 38/2013/QH13, Law 74/2025/QH15). The
decision's deadline is the catalogue's unemployment procedure in force on the day of receipt
(`ansinh.procedures.deadlines`, the one deadline logic of every dossier), counted in working days
on the province's calendar (`ansinh.workdays`). The monthly job-search report dates below are not
a dossier's deadline (appointments within a granted benefit) and stay here.

Monthly job-search reports (Law 38/2013 Art. 52; Decree 28/2015 Art. 20–21; Decree 374/2025):
one per benefit month, due on the first working day of that month counted from the start (the
centre fixes the day in the appointment slip; Circular 28/2015 Art. 10 was not read [U]). A
missed report suspends the benefit (Law 38/2013 Art. 53.1; Decree 28/2015 Art. 20); reporting
again in the benefit period resumes it; three months in a row without a report stop it (Art.
53.3(g)). Stops (Art. 53.3): the benefit period ended, a job found, military service, a pension,
two job offers refused, emigration, studying 12 months or more, death, and others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, snapshot, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Unit
from ansinh.households.models import Member
from ansinh.lib.workdays import WorkingCalendar
from ansinh.plans.periods import Period
from ansinh.workdays.calendar import calendar_for

from . import access
from .models import ContractKind, DossierState, JobSearchReport, ReportState, UnemploymentDossier
from .ui_law import Decision, LawBook, LawMissing, add_months, compute, region_of

DECISION_FIELDS = ["state", "rule", "decided_on", "decision_number", "monthly_amount", "benefit_months", "starts_on",
                   "ends_on", "total_amount", "refusal_reason"]
OPEN = (DossierState.GRANTED, DossierState.SUSPENDED)
# Granted by the decision, whatever happened since (the figures count these by decision date).
AWARDED = (DossierState.GRANTED, DossierState.SUSPENDED, DossierState.STOPPED, DossierState.FINISHED)
AWARDED_FILTER = "awarded"  # the list's and the API's state filter for AWARDED


class StopReason(TextChoices):
    """Law 38/2013/QH13 Art. 53 (suspension: 53.1; stop: 53.3); Law 74/2025/QH15 Art. 41 [S]."""

    MISSED_REPORT = "missed_report", _("did not report the job search (suspended)")
    FOUND_JOB = "found_job", _("found a job")
    MILITARY = "military", _("military or police service")
    PENSION = "pension", _("receives a monthly pension")
    REFUSED_JOBS = "refused_jobs", _("refused two jobs offered by the centre")
    EMIGRATED = "emigrated", _("settled abroad")
    STUDYING = "studying", _("studying for 12 months or more")
    DIED = "died", _("died")
    DETAINED = "detained", _("detained, imprisoned or sent to a rehabilitation centre")
    FINISHED = "finished", _("benefit period ended")
    OTHER = "other", _("other reason")


def dossiers_in_unit(found: QuerySet[UnemploymentDossier], unit: Unit) -> QuerySet[UnemploymentDossier]:
    """The dossiers of `found` (already scoped by `access`) whose commune lies in `unit`'s subtree
    (the list's and the API's unit filter, the figures' drill-down)."""
    return found.filter(commune__path__under=unit.path)


def dossiers_in_state(found: QuerySet[UnemploymentDossier], state: str) -> QuerySet[UnemploymentDossier]:
    """One state, or AWARDED_FILTER: every dossier granted by its decision."""
    if state == AWARDED_FILTER:
        return found.filter(state__in=AWARDED)
    return found.filter(state=state)


def dossiers_in_period(found: QuerySet[UnemploymentDossier], period: Period, *,
                       by: str = "received") -> QuerySet[UnemploymentDossier]:
    """Received (or decided, `by="decided"`) within the period's first and last day."""
    column = "decided_on" if by == "decided" else "received_on"
    return found.filter(**{f"{column}__gte": period.start, f"{column}__lte": period.end})


def _check_scope(actor: Actor | None, commune: Unit) -> None:
    user = user_of(actor)
    if user is not None and not access.may_change(user, commune, "unemployment"):
        raise PermissionDenied("Bạn không được nhập hồ sơ bảo hiểm thất nghiệp của xã này.")


def decision_due(*, received_on: dt.date, contract_end: dt.date, calendar: WorkingCalendar,
                 book: LawBook) -> dt.date:
    """The decision's due date: the statutory working days of the catalogue's unemployment
    procedure in force on the day of receipt (the law of the contract's end must exist too)."""
    try:
        book.rule(contract_end)
    except LawMissing as error:
        raise ValidationError({"contract_end": str(error)}) from None
    try:
        return book.deadline(received_on, calendar).due_on
    except LawMissing as error:
        raise ValidationError({"received_on": str(error)}) from None


def report_due_dates(starts: dt.date, months: int, calendar: WorkingCalendar) -> list[dt.date]:
    """The first working day of each benefit month, on or after the month's first day."""
    out = []
    for k in range(months):
        day = add_months(starts, k)
        while not calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        out.append(day)
    return out


def apply_decision(dossier: UnemploymentDossier, decision: Decision, *, decided_on: dt.date, number: str) -> None:
    """Fills the decision's fields on an unsaved or loaded dossier (the import and `unemployment_decide`)."""
    dossier.rule = decision.rule
    dossier.decided_on = decided_on
    dossier.decision_number = number
    if decision.eligible:
        dossier.state = DossierState.GRANTED
        dossier.monthly_amount, dossier.benefit_months = decision.monthly, decision.months
        dossier.starts_on, dossier.ends_on, dossier.total_amount = decision.starts, decision.ends, decision.total
        dossier.refusal_reason = ""
    else:
        dossier.state = DossierState.REFUSED
        dossier.monthly_amount = dossier.benefit_months = dossier.total_amount = None
        dossier.starts_on = dossier.ends_on = None
        dossier.refusal_reason = decision.reason[:255]


def decide(dossier: UnemploymentDossier, *, book: LawBook, calendar: WorkingCalendar) -> Decision:
    return compute(contract_end=dossier.contract_end, months=dossier.months_contributed,
                   average_salary=dossier.average_salary, region=dossier.region,
                   state_pay_scale=dossier.state_pay_scale, contract_kind=dossier.contract_kind,
                   filed_on=dossier.received_on, book=book, calendar=calendar)


def reports_for(dossier: UnemploymentDossier, calendar: WorkingCalendar) -> list[JobSearchReport]:
    if dossier.state != DossierState.GRANTED or dossier.starts_on is None or not dossier.benefit_months:
        return []
    return [JobSearchReport(dossier=dossier, month_number=k, due_on=day)
            for k, day in enumerate(report_due_dates(dossier.starts_on, dossier.benefit_months, calendar), start=1)]


def resolve_region(*, employer_unit: Unit | None, typed: int | None, on: dt.date) -> int:
    """The employer's commune's region (its most specific WageRegionUnit row in force) when a
    commune is given and mapped, else the region as typed."""
    found = region_of(employer_unit, on) if employer_unit is not None else None
    region = found or typed
    if region not in (1, 2, 3, 4):
        raise ValidationError({"region": "Chưa có vùng lương tối thiểu: ghi vùng (I–IV) hoặc chọn xã nơi đơn vị "
                                         "làm việc cuối cùng đóng trụ sở đã có vùng."})
    return int(region)


@transaction.atomic
def unemployment_receive(*, actor: Actor, person: Member, received_on: dt.date, employer_name: str,
                         contract_end: dt.date, months_contributed: int, average_salary: int,
                         region: int | None = None, employer_unit: Unit | None = None,
                         contract_kind: str = ContractKind.INDEFINITE, state_pay_scale: bool = False,
                         note: str = "") -> UnemploymentDossier:
    """Receives a complete dossier: the person's commune from the register, the region from the
    employer's commune (or as typed), the decision due the catalogue's working days after receipt
    (Law 38/2013 Art. 46.2; Decree 61/2020; `decision_due`)."""
    if person.died_on is not None or person.left_on is not None:
        raise ValidationError({"person": "Người này đã chết hoặc đã chuyển khỏi hộ: không nhận hồ sơ."})
    commune = person.household.commune
    _check_scope(actor, commune)
    if received_on <= contract_end:
        raise ValidationError({"received_on": "Ngày nộp hồ sơ phải sau ngày chấm dứt hợp đồng."})
    if months_contributed < 0 or months_contributed > 600:
        raise ValidationError({"months_contributed": "Số tháng đóng phải từ 0 đến 600."})
    if average_salary <= 0:
        raise ValidationError({"average_salary": "Tiền lương bình quân phải lớn hơn 0."})
    book = LawBook.load()
    calendar = calendar_for(commune)
    dossier = UnemploymentDossier(
        person=person, commune=commune, received_on=received_on, employer_name=employer_name.strip(),
        employer_unit=employer_unit, region=resolve_region(employer_unit=employer_unit, typed=region, on=contract_end),
        contract_kind=contract_kind, contract_end=contract_end, months_contributed=months_contributed,
        average_salary=average_salary, state_pay_scale=state_pay_scale, created_by=user_of(actor), note=note,
        decision_due=decision_due(received_on=received_on, contract_end=contract_end, calendar=calendar, book=book))
    dossier.full_clean(exclude=["person", "commune", "employer_unit", "rule", "import_job", "created_by"])
    dossier.save()
    audit.record(actor=actor, action=AuditAction.UNEMPLOYMENT_RECEIVE, obj=dossier, unit=commune,
                 after=snapshot(dossier, ["person", "received_on", "contract_end", "months_contributed",
                                          "average_salary", "region", "decision_due"]))
    return dossier


@transaction.atomic
def unemployment_decide(*, actor: Actor, dossier: UnemploymentDossier, decided_on: dt.date,
                        decision_number: str = "") -> UnemploymentDossier:
    """Decides a received dossier by the law (granted with the amounts and the monthly reports
    due, or refused with the reason)."""
    _check_scope(actor, dossier.commune)
    if dossier.state != DossierState.RECEIVED:
        raise ValidationError("Hồ sơ này đã có quyết định.")
    if decided_on < dossier.received_on:
        raise ValidationError({"decided_on": "Ngày quyết định không được trước ngày nhận hồ sơ."})
    calendar = calendar_for(dossier.commune)
    decision = decide(dossier, book=LawBook.load(), calendar=calendar)
    before = snapshot(dossier, DECISION_FIELDS)
    apply_decision(dossier, decision, decided_on=decided_on, number=decision_number.strip())
    changed = UnemploymentDossier.objects.filter(pk=dossier.pk, state=DossierState.RECEIVED).update(
        **{name: getattr(dossier, name) for name in DECISION_FIELDS})
    if changed != 1:
        raise ValidationError("Hồ sơ vừa được người khác quyết định: tải lại trang.")
    JobSearchReport.objects.bulk_create(reports_for(dossier, calendar))
    audit.record(actor=actor, action=AuditAction.UNEMPLOYMENT_DECIDE, obj=dossier, unit=dossier.commune,
                 before=before, after=snapshot(dossier, DECISION_FIELDS))
    return dossier


def _set_state(dossier: UnemploymentDossier, old: Sequence[str], new: str, **fields: Any) -> None:
    changed = UnemploymentDossier.objects.filter(pk=dossier.pk, state__in=list(old)).update(state=new, **fields)
    if changed != 1:
        raise ValidationError("Trạng thái hồ sơ vừa thay đổi: tải lại trang.")
    dossier.state = new
    for name, value in fields.items():
        setattr(dossier, name, value)


@transaction.atomic
def unemployment_report(*, actor: Actor, dossier: UnemploymentDossier, month_number: int, reported_on: dt.date,
                        excused: bool = False, note: str = "") -> JobSearchReport:
    """Records a monthly job-search report (or an excuse: illness, maternity, force majeure with
    proof, Law 38/2013 Art. 52); a suspended benefit resumes (Decree 28/2015 Art. 20.3)."""
    _check_scope(actor, dossier.commune)
    if dossier.state not in OPEN:
        raise ValidationError("Chỉ ghi thông báo tìm kiếm việc làm cho hồ sơ đang hưởng hoặc tạm dừng.")
    report = JobSearchReport.objects.filter(dossier=dossier, month_number=month_number).first()
    if report is None:
        raise ValidationError({"month_number": f"Hồ sơ không có tháng hưởng thứ {month_number}."})
    if report.state in (ReportState.REPORTED, ReportState.EXCUSED):
        raise ValidationError({"month_number": f"Tháng hưởng thứ {month_number} đã được ghi thông báo."})
    if dossier.starts_on and reported_on < dossier.starts_on - dt.timedelta(days=31):
        raise ValidationError({"reported_on": "Ngày thông báo quá sớm so với thời gian hưởng."})
    before = snapshot(report, ["state", "reported_on"])
    report.state = ReportState.EXCUSED if excused else ReportState.REPORTED
    report.reported_on, report.note = reported_on, note[:255]
    report.save(update_fields=["state", "reported_on", "note"])
    if dossier.state == DossierState.SUSPENDED:
        _set_state(dossier, [DossierState.SUSPENDED], DossierState.GRANTED, stop_reason="", stopped_on=None)
    audit.record(actor=actor, action=AuditAction.UNEMPLOYMENT_REPORT, obj=dossier, unit=dossier.commune,
                 before=before, after={**snapshot(report, ["state", "reported_on"]), "month_number": month_number,
                                       "dossier_state": dossier.state})
    return report


@transaction.atomic
def unemployment_stop(*, actor: Actor, dossier: UnemploymentDossier, on: dt.date, reason: str,
                      month_number: int | None = None, note: str = "") -> UnemploymentDossier:
    """Suspends (a missed monthly report: `month_number`) or stops the benefit (Law 38/2013 Art.
    53). Three months in a row without a report stop it."""
    _check_scope(actor, dossier.commune)
    if reason not in StopReason.values:
        raise ValidationError({"reason": "Lý do không hợp lệ."})
    if dossier.state not in OPEN:
        raise ValidationError("Hồ sơ không đang hưởng trợ cấp: không tạm dừng hay chấm dứt được.")
    if dossier.starts_on and on < dossier.starts_on - dt.timedelta(days=31):
        raise ValidationError({"on": "Ngày tạm dừng hoặc chấm dứt phải trong thời gian hưởng."})
    before = snapshot(dossier, ["state", "stopped_on", "stop_reason"])
    label = str(StopReason(reason).label)
    text = f"{label}: {note}" if note else label
    if reason == StopReason.MISSED_REPORT:
        report = JobSearchReport.objects.filter(dossier=dossier, month_number=month_number or 0).first()
        if report is None:
            raise ValidationError({"month_number": "Chọn tháng hưởng không thông báo."})
        if report.state != ReportState.DUE:
            raise ValidationError({"month_number": "Tháng hưởng này đã có thông báo."})
        JobSearchReport.objects.filter(pk=report.pk).update(state=ReportState.MISSED)
        missed = list(JobSearchReport.objects.filter(dossier=dossier, month_number__lte=report.month_number)
                      .order_by("-month_number").values_list("state", flat=True)[:3])
        if len(missed) == 3 and all(state == ReportState.MISSED for state in missed):
            text = "Không thông báo tìm kiếm việc làm 3 tháng liên tục"
            _set_state(dossier, OPEN, DossierState.STOPPED, stopped_on=on, stop_reason=text[:255])
        else:
            _set_state(dossier, OPEN, DossierState.SUSPENDED, stopped_on=on, stop_reason=text[:255])
    else:
        new = DossierState.FINISHED if reason == StopReason.FINISHED else DossierState.STOPPED
        _set_state(dossier, OPEN, new, stopped_on=on, stop_reason=text[:255])
    audit.record(actor=actor, action=AuditAction.UNEMPLOYMENT_STOP, obj=dossier, unit=dossier.commune,
                 before=before, after={**snapshot(dossier, ["state", "stopped_on", "stop_reason"]), "reason": reason})
    return dossier


__all__ = ["StopReason", "apply_decision", "decide", "decision_due", "dossiers_in_period", "dossiers_in_state", "dossiers_in_unit", "report_due_dates", "reports_for",
           "resolve_region", "unemployment_decide", "unemployment_receive", "unemployment_report", "unemployment_stop"]
