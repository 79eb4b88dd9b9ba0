"""Workflows of procedure dossiers: receive, ask for additions, complete, transfer, suspend,
resume, apologise with a new appointment, record the result, return it. Typed, keyword-only,
atomic, audited; they raise `ValidationError` (Vietnamese messages keyed by field) and
`PermissionDenied` when a signed-in actor may not change the dossier's unit in its field (the
system actor — imports' checked rows, demo data — is trusted).

The deadline, with its legal basis:
1. The term is the procedure's statutory time in working days (`Procedure.days`, the version in
   force on the day of receipt), counted on the calendar of the receiving unit's province
   (`ansinh.workdays`): the day after the start is day 1 (Civil Code 2015 Art. 147.2).
2. The count starts on the day of receipt. Decree 61/2018/NĐ-CP Art. 18 (and Decree 118/2025/NĐ-CP
   from 1 Jul 2025) hands a dossier received after 15:00 over at the start of the next working
   day; that is a rule of hand-over, so it moves the start only when the dated `HandoverRule`
   says so (`shift_start`, off by default) or the procedure's own text does
   (`Procedure.counts_from_next_day`).
3. A dossier returned for additions stops the clock; once complete, the term restarts from zero
   (Decree 61/2018 Art. 19.1, the day it is complete being the new start).
4. A suspension (verification by another body, a court case) adds its working days to the term.
5. A late dossier gets an apology slip with one new appointment, issued at least one day before
   the deadline, and the appointment is moved only once (Decree 61/2018 Art. 19.2; Form 04 of
   Circular 01/2018/TT-VPCP). It stays late in the counts: the statutory date is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.workdays import CalendarError, WorkingCalendar
from ansinh.workdays.calendar import calendar_for, province_of

from .models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierStatus,
    EventKind,
    HandoverRule,
    Outcome,
    Procedure,
    ProcedureLevel,
    ProcedureUse,
)

DOSSIER_FIELDS = ["code", "procedure", "channel", "applicant_name", "person", "unit", "agency", "received_at", "start_on",
                  "days", "extra_days", "due_on", "new_due_on", "status", "outcome", "result_note", "resolved_at",
                  "returned_at"]
PROCEDURE_FIELDS = ["code", "name", "field", "receiving_level", "deciding_level", "days", "fee", "legal_basis",
                    "valid_from", "valid_to", "provisional", "counts_from_next_day", "note", "used_for"]
CITIZEN_ID = re.compile(r"^\d{12}$")
MAX_DAYS = 365


def _local(at: dt.datetime) -> dt.datetime:
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return timezone.localtime(at)


def _vn(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


# --- the catalogue ----------------------------------------------------------------------------


def procedure_for(code: str, on: dt.date) -> Procedure:
    """The version of procedure `code` in force on `on`."""
    found = (Procedure.objects.filter(code=code, valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
             .order_by("-valid_from").first())
    if found is None:
        raise ValidationError({"procedure": _("The procedure %(code)s is not in force on %(date)s.")
                               % {"code": code, "date": _vn(on)}})
    return found


def may_edit_catalogue(user: Any, field: str | None = None) -> bool:
    """Administrators, and the provincial officers of the procedure's field (the province
    publishes the procedures it handles)."""
    from ansinh.accounts.models import Role

    scope = get_scope(user)
    return any(a.role == Role.ADMIN or (a.role == Role.PROVINCIAL_OFFICER and (field is None or a.field == field))
               for a in scope.assignments)


def _check_procedure(values: dict[str, Any], pk: int | None) -> None:
    errors: dict[str, str] = {}
    if not str(values["code"]).strip():
        errors["code"] = _("Give the procedure's code.")
    if not str(values["name"]).strip():
        errors["name"] = _("Give the procedure's name.")
    if not str(values["legal_basis"]).strip():
        errors["legal_basis"] = _("Give the legal basis (the decree or circular and its article).")
    if not 0 <= int(values["days"]) <= MAX_DAYS:
        errors["days"] = _("The statutory time is between 0 and %(max)s working days.") % {"max": MAX_DAYS}
    if values["fee"] is not None and values["fee"] < 0:
        errors["fee"] = _("The fee cannot be negative.")
    if values["valid_to"] is not None and values["valid_to"] < values["valid_from"]:
        errors["valid_to"] = _("The end of validity is before its start.")
    if values["used_for"] and values["used_for"] not in ProcedureUse.values:
        errors["used_for"] = _("Choose the dossiers of the system this procedure sets the deadline of.")
    if errors:
        raise ValidationError(errors)
    end = values["valid_to"] or dt.date.max
    if values["used_for"]:
        # One deadline for each kind of the system's dossiers on any day (`deadlines.procedure_in_force`).
        rival = (Procedure.objects.filter(used_for=values["used_for"], valid_from__lte=end)
                 .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=values["valid_from"]))
                 .exclude(pk=pk or 0).exclude(code=values["code"].strip()).first())
        if rival is not None:
            raise ValidationError({"used_for": _("The procedure %(code)s already sets the deadline of these dossiers "
                                                 "from %(date)s: end its version first.")
                                   % {"code": rival.code, "date": _vn(rival.valid_from)}})
    overlapping = (Procedure.objects.filter(code=values["code"].strip(), valid_from__lte=end)
                   .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=values["valid_from"])).exclude(pk=pk or 0))
    other = overlapping.first()
    if other is not None:
        raise ValidationError({"valid_from": _("Another version of this procedure is in force from %(date)s: "
                                               "end it first.") % {"date": _vn(other.valid_from)}})


@transaction.atomic
def procedure_save(*, actor: Actor, procedure: Procedure | None, code: str, name: str, field: str,
                   receiving_level: str, deciding_level: str, days: int, fee: Any, legal_basis: str,
                   valid_from: dt.date, valid_to: dt.date | None, provisional: bool, counts_from_next_day: bool,
                   note: str = "", used_for: str = "") -> Procedure:
    """Creates a version of a procedure or corrects one; audited with before and after. A version
    `used_for` a kind of the system's dossiers sets the deadline of every new dossier of that kind
    received while it is in force (`ansinh.procedures.deadlines`)."""
    user = user_of(actor)
    if user is not None and not may_edit_catalogue(user, field):
        raise PermissionDenied
    values: dict[str, Any] = {"code": code.strip(), "name": name.strip(), "field": field,
                              "receiving_level": receiving_level, "deciding_level": deciding_level, "days": days,
                              "fee": fee or 0, "legal_basis": legal_basis.strip(), "valid_from": valid_from,
                              "valid_to": valid_to, "provisional": provisional,
                              "counts_from_next_day": counts_from_next_day, "note": note.strip(),
                              "used_for": used_for}
    _check_procedure(values, procedure.pk if procedure else None)
    before = audit.snapshot(procedure, PROCEDURE_FIELDS) if procedure is not None else None
    target = procedure if procedure is not None else Procedure()
    for key, value in values.items():
        setattr(target, key, value)
    target.full_clean()
    if procedure is None:
        target.save()
    else:
        target.save(update_fields=[*PROCEDURE_FIELDS, "updated_at"])
    after = audit.snapshot(target, PROCEDURE_FIELDS)
    if after != before:
        audit.record(actor=actor, action=AuditAction.PROCEDURE_SAVE, obj=target, before=before, after=after)
    return target


@transaction.atomic
def handover_rule_update(*, actor: Actor, rule: HandoverRule, cutoff: dt.time, shift_start: bool) -> HandoverRule:
    """Changes the cut-off hour or whether it moves the start of the count (administrators);
    dossiers already received keep their due date (`ansinh procedures recompute-due` applies a
    change to them)."""
    from ansinh.accounts.models import Role

    user = user_of(actor)
    if user is not None and Role.ADMIN not in get_scope(user).roles:
        raise PermissionDenied
    def snapshot() -> dict[str, Any]:  # audit.snapshot has no time of day
        return {"cutoff": rule.cutoff.strftime("%H:%M"), "shift_start": rule.shift_start}

    before = snapshot()
    rule.cutoff, rule.shift_start = cutoff, shift_start
    rule.full_clean()
    rule.save(update_fields=["cutoff", "shift_start"])
    after = snapshot()
    if after != before:
        audit.record(actor=actor, action=AuditAction.HANDOVER_RULE_SAVE, obj=rule, before=before, after=after)
    return rule


# --- deadlines --------------------------------------------------------------------------------


def handover_rule(on: dt.date) -> HandoverRule | None:
    return (HandoverRule.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from").first())


def count_start(received_at: dt.datetime, procedure: Procedure, calendar: WorkingCalendar,
                rule: HandoverRule | None | bool = False) -> dt.date:
    """The day the term is counted from (step 2 of the module's docstring). `rule`: the hand-over
    rule if the caller has it (None: none in force), False to look it up."""
    local = _local(received_at)
    day = local.date()
    found = handover_rule(day) if rule is False else rule
    if isinstance(found, HandoverRule) and (found.shift_start or procedure.counts_from_next_day) \
            and local.time() >= found.cutoff:
        return calendar.add_working_days(day, 1)
    return day


def due_date(start: dt.date, days: int, calendar: WorkingCalendar) -> dt.date:
    """The `days`-th working day after `start` (`start` itself for a same-day procedure)."""
    try:
        return calendar.add_working_days(start, days)
    except CalendarError as error:
        raise ValidationError({"received_at": str(error)}) from None


# --- scope ------------------------------------------------------------------------------------


def _check_actor(actor: Actor, unit: Unit, field: str) -> None:
    user = user_of(actor)
    if user is not None and not get_scope(user).can_change(unit, field=field):
        raise PermissionDenied


def _check_unit(unit: Unit) -> None:
    if unit.edition != Edition.CURRENT or unit.level not in (Level.PROVINCE, Level.COMMUNE):
        raise ValidationError({"unit": _("Choose a commune or a province of the current map.")})


# --- receiving --------------------------------------------------------------------------------


def next_code(unit: Unit, day: dt.date) -> str:
    """<unit code>-<yymmdd>-<number of the day at the unit> (Decree 61/2018 Art. 17: each dossier
    gets a code on its receipt slip)."""
    prefix = f"{unit.code}-{day:%y%m%d}-"
    taken = Dossier.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def dossier_receive(*, actor: Actor, procedure: Procedure, unit: Unit, channel: str, applicant_name: str,
                    applicant_id_number: str = "", applicant_contact: str = "", person: Any = None,
                    agency: str = "", received_at: dt.datetime | None = None, code: str = "") -> Dossier:
    """Receives a dossier: checks it, gives it a code, computes its due date, writes the first
    event and the audit row."""
    received_at = _local(received_at or timezone.now())
    day = received_at.date()
    _check_unit(unit)
    _check_actor(actor, unit, procedure.field)
    errors: dict[str, str] = {}
    if not applicant_name.strip():
        errors["applicant_name"] = _("Give the applicant's name.")
    if applicant_id_number and not CITIZEN_ID.match(applicant_id_number.strip()):
        errors["applicant_id_number"] = _("A citizen ID has 12 digits.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the dossier came in.")
    if received_at > timezone.localtime() + dt.timedelta(minutes=5):
        errors["received_at"] = _("The time of receipt cannot be in the future.")
    if not procedure.in_force(day):
        errors["procedure"] = _("This version of the procedure is not in force on %(date)s.") % {"date": _vn(day)}
    if errors:
        raise ValidationError(errors)
    province = province_of(unit)
    assert province is not None
    calendar = calendar_for(province)
    start = count_start(received_at, procedure, calendar)
    due = due_date(start, procedure.days, calendar)
    if not agency.strip():
        agency = default_agency(unit, procedure)
    dossier = Dossier(code=(code.strip() or next_code(unit, day))[:40], procedure=procedure, field=procedure.field,
                      channel=channel, applicant_name=applicant_name.strip(),
                      applicant_id_number=applicant_id_number.strip(), applicant_contact=applicant_contact.strip(),
                      person=person, unit=unit, province=province, agency=agency.strip()[:200],
                      received_at=received_at, received_on=day, start_on=start, days=procedure.days, due_on=due)
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:
        raise ValidationError({"code": _("A dossier with this code already exists.")}) from None
    _event(dossier, actor, EventKind.RECEIVED, received_at, due_on=due, to_agency=dossier.agency)
    audit.record(actor=actor, action=AuditAction.PROC_DOSSIER_RECEIVE, obj=dossier, unit=unit,
                 after=audit.snapshot(dossier, DOSSIER_FIELDS))
    return dossier


def default_agency(unit: Unit, procedure: Procedure) -> str:
    if unit.level == Level.COMMUNE:
        return f"Bộ phận Một cửa {unit.name}"
    return f"Trung tâm Phục vụ hành chính công {unit.name}"


# --- changes ----------------------------------------------------------------------------------


def _event(dossier: Dossier, actor: Actor, kind: str, at: dt.datetime, *, due_on: dt.date | None = None,
           from_agency: str = "", to_agency: str = "", note: str = "") -> DossierEvent:
    return DossierEvent.objects.create(dossier=dossier, kind=kind, at=at, actor=user_of(actor), due_on=due_on,
                                       from_agency=from_agency, to_agency=to_agency, note=note[:500])


def _transition(dossier: Dossier, actor: Actor, *, allowed: tuple[str, ...], at: dt.datetime | None,
                action: str, kind: str, changes: dict[str, Any], note: str = "", from_agency: str = "",
                to_agency: str = "") -> Dossier:
    """Moves the dossier from one of `allowed` statuses with `changes` (a conditional UPDATE on the
    status and version: two officers never apply the same step twice), writes the event and the
    audit row."""
    _check_actor(actor, dossier.unit, dossier.field)
    if dossier.status not in allowed:
        raise ValidationError({"status": _("This step is not possible for a dossier that is “%(status)s”.")
                               % {"status": dossier.get_status_display()}})
    when = _local(at or timezone.now())
    if when < _local(dossier.received_at):
        raise ValidationError({"at": _("This time is before the dossier was received.")})
    if when > timezone.localtime() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("This time cannot be in the future.")})
    before = audit.snapshot(dossier, DOSSIER_FIELDS)
    updated = Dossier.objects.filter(pk=dossier.pk, status=dossier.status, version=dossier.version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now())
    if updated != 1:
        raise ValidationError({"status": _("Someone else changed this dossier meanwhile: reload the page.")})
    dossier.refresh_from_db()
    _event(dossier, actor, kind, when, due_on=dossier.due_on, from_agency=from_agency, to_agency=to_agency, note=note)
    audit.record(actor=actor, action=action, obj=dossier, unit=dossier.unit, before=before,
                 after=audit.snapshot(dossier, DOSSIER_FIELDS))
    return dossier


@transaction.atomic
def dossier_request_additions(*, actor: Actor, dossier: Dossier, reason: str, at: dt.datetime | None = None) -> Dossier:
    """The dossier is incomplete: the applicant is asked for additions (Form 02); the clock stops."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the applicant must add.")})
    return _transition(dossier, actor, allowed=(DossierStatus.RECEIVED,), at=at,
                       action=AuditAction.PROC_DOSSIER_ADDITIONS, kind=EventKind.ADDITIONS_REQUESTED,
                       changes={"status": DossierStatus.ADDITIONS}, note=reason.strip())


@transaction.atomic
def dossier_complete_additions(*, actor: Actor, dossier: Dossier, at: dt.datetime | None = None,
                               note: str = "") -> Dossier:
    """The applicant brought the additions: the term restarts from zero on that day (Art. 19.1),
    suspended days and an earlier new appointment no longer count."""
    when = _local(at or timezone.now())
    calendar = calendar_for(dossier.province)
    start = count_start(when, dossier.procedure, calendar)
    due = due_date(start, dossier.days, calendar)
    return _transition(dossier, actor, allowed=(DossierStatus.ADDITIONS,), at=when,
                       action=AuditAction.PROC_DOSSIER_ADDITIONS, kind=EventKind.ADDITIONS_RECEIVED,
                       changes={"status": DossierStatus.RECEIVED, "start_on": start, "extra_days": 0, "due_on": due,
                                "new_due_on": None, "apology_at": None, "apology_reason": ""}, note=note.strip())


@transaction.atomic
def dossier_transfer(*, actor: Actor, dossier: Dossier, to_agency: str, at: dt.datetime | None = None,
                     note: str = "") -> Dossier:
    """Passes the dossier to another agency (the one that decides, or back); the term runs on."""
    target = to_agency.strip()
    if not target:
        raise ValidationError({"to_agency": _("Name the agency the dossier goes to.")})
    if target == dossier.agency:
        raise ValidationError({"to_agency": _("The dossier is already with this agency.")})
    return _transition(dossier, actor, allowed=(DossierStatus.RECEIVED,), at=at,
                       action=AuditAction.PROC_DOSSIER_TRANSFER, kind=EventKind.TRANSFERRED,
                       changes={"agency": target[:200]}, note=note.strip(), from_agency=dossier.agency,
                       to_agency=target[:200])


@transaction.atomic
def dossier_suspend(*, actor: Actor, dossier: Dossier, reason: str, at: dt.datetime | None = None) -> Dossier:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the dossier is suspended.")})
    return _transition(dossier, actor, allowed=(DossierStatus.RECEIVED,), at=at,
                       action=AuditAction.PROC_DOSSIER_SUSPEND, kind=EventKind.SUSPENDED,
                       changes={"status": DossierStatus.SUSPENDED}, note=reason.strip())


@transaction.atomic
def dossier_resume(*, actor: Actor, dossier: Dossier, at: dt.datetime | None = None, note: str = "") -> Dossier:
    """Resumes a suspended dossier: the working days it stood still are added to its term."""
    when = _local(at or timezone.now())
    since = dossier.events.filter(kind=EventKind.SUSPENDED).order_by("-at", "-pk").values_list("at", flat=True).first()
    calendar = calendar_for(dossier.province)
    stood = calendar.working_days_between(_local(since).date(), when.date()) if since else 0
    extra = dossier.extra_days + max(0, stood)
    due = due_date(dossier.start_on, dossier.days + extra, calendar)
    return _transition(dossier, actor, allowed=(DossierStatus.SUSPENDED,), at=when,
                       action=AuditAction.PROC_DOSSIER_SUSPEND, kind=EventKind.RESUMED,
                       changes={"status": DossierStatus.RECEIVED, "extra_days": extra, "due_on": due},
                       note=note.strip())


@transaction.atomic
def dossier_apologise(*, actor: Actor, dossier: Dossier, new_due_on: dt.date, reason: str,
                      at: dt.datetime | None = None) -> Dossier:
    """The apology slip of a dossier that will be late, with one new appointment (Art. 19.2)."""
    when = _local(at or timezone.now())
    errors: dict[str, str] = {}
    if dossier.new_due_on is not None:
        raise ValidationError({"new_due_on": _("This dossier already has its new appointment (%(date)s): it can be "
                                               "moved only once.") % {"date": _vn(dossier.new_due_on)}})
    if not reason.strip():
        errors["reason"] = _("Say why the dossier is late.")
    if when.date() >= dossier.due_on:
        errors["at"] = _("The apology slip is sent at least one day before the deadline (%(date)s).") % {
            "date": _vn(dossier.due_on)}
    if new_due_on <= dossier.due_on:
        errors["new_due_on"] = _("The new appointment is after the deadline (%(date)s).") % {"date": _vn(dossier.due_on)}
    elif not calendar_for(dossier.province).is_working_day(new_due_on):
        errors["new_due_on"] = _("The new appointment must be a working day.")
    if errors:
        raise ValidationError(errors)
    return _transition(dossier, actor, allowed=(DossierStatus.RECEIVED, DossierStatus.SUSPENDED), at=when,
                       action=AuditAction.PROC_DOSSIER_APOLOGY, kind=EventKind.APOLOGY,
                       changes={"new_due_on": new_due_on, "apology_reason": reason.strip()[:500], "apology_at": when},
                       note=reason.strip())


@transaction.atomic
def dossier_resolve(*, actor: Actor, dossier: Dossier, outcome: str, result_note: str,
                    at: dt.datetime | None = None) -> Dossier:
    """The result is ready (granted, or refused with the reason in writing)."""
    when = _local(at or timezone.now())
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the result.")})
    if outcome == Outcome.REFUSED and not result_note.strip():
        raise ValidationError({"result_note": _("A refusal states its reason.")})
    return _transition(dossier, actor, allowed=(DossierStatus.RECEIVED,), at=when,
                       action=AuditAction.PROC_DOSSIER_RESOLVE, kind=EventKind.RESOLVED,
                       changes={"status": DossierStatus.RESOLVED, "outcome": outcome,
                                "result_note": result_note.strip()[:500], "resolved_at": when,
                                "resolved_on": when.date()}, note=result_note.strip())


@transaction.atomic
def dossier_return(*, actor: Actor, dossier: Dossier, at: dt.datetime | None = None, note: str = "") -> Dossier:
    when = _local(at or timezone.now())
    if dossier.resolved_at is not None and when < dossier.resolved_at:
        raise ValidationError({"at": _("The result cannot be returned before it was ready.")})
    return _transition(dossier, actor, allowed=(DossierStatus.RESOLVED,), at=when,
                       action=AuditAction.PROC_DOSSIER_RETURN, kind=EventKind.RETURNED,
                       changes={"status": DossierStatus.RETURNED, "returned_at": when}, note=note.strip())


__all__ = ["count_start", "default_agency", "dossier_apologise", "dossier_complete_additions", "dossier_receive",
           "dossier_request_additions", "dossier_resolve", "dossier_resume", "dossier_return", "dossier_suspend",
           "dossier_transfer", "due_date", "handover_rule", "handover_rule_update", "may_edit_catalogue", "next_code", "procedure_for",
           "procedure_save", "ProcedureLevel"]
