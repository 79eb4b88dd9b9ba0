"""Workflows of the children area: the register of children in special circumstances, their
support, case notes and abuse cases, and the yearly child-friendly assessment of communes.

Every function takes keyword arguments, runs in one transaction, checks the actor's scope (an
actor without a user is the system: the demo, an import already checked), raises ValidationError
with a message in Vietnamese, and writes one audit row with what changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member

from . import access_children as access
from .models_children import (
    Child,
    ChildAbuseCase,
    ChildAbuseKind,
    ChildAssessmentEvent,
    ChildAssessmentStatus,
    ChildCaseNote,
    ChildCircumstance,
    ChildCommuneKind,
    ChildEndReason,
    ChildFriendlyAssessment,
    ChildFriendlyCriterion,
    ChildFriendlyScore,
    ChildFriendlyThreshold,
    ChildGroup,
    ChildSupport,
    ChildSupportKind,
    sixteenth_birthday,
)

MAX_NOTE = 5000
MAX_AMOUNT = Decimal(1_000_000_000)


def _user(actor: Actor) -> Any:
    return actor.user


def _check_change(actor: Actor, unit: Unit) -> None:
    user = _user(actor)
    if user is not None and not access.may_change(user, unit):
        raise ValidationError(_("You may not change the children's records of %(unit)s.") % {"unit": unit.name})


def _today() -> dt.date:
    return timezone.localdate()


def groups_on(day: dt.date) -> list[ChildGroup]:
    """The groups of the law in force on `day`."""
    return list(ChildGroup.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("number"))


def _check_person(person: Member, day: dt.date) -> None:
    if person.died_on is not None and person.died_on <= day:
        raise ValidationError(_("%(name)s died on %(date)s according to the household register.")
                              % {"name": person.full_name, "date": f"{person.died_on:%d/%m/%Y}"})
    if person.left_on is not None and person.left_on <= day:
        raise ValidationError(_("%(name)s left her household on %(date)s according to the household register.")
                              % {"name": person.full_name, "date": f"{person.left_on:%d/%m/%Y}"})
    if day < person.birth_date:
        raise ValidationError(_("The date %(date)s is before the child's birth.") % {"date": f"{day:%d/%m/%Y}"})
    if day >= sixteenth_birthday(person.birth_date):
        raise ValidationError(_("%(name)s is 16 or older on %(date)s: the Law on Children covers children under 16.")
                              % {"name": person.full_name, "date": f"{day:%d/%m/%Y}"})


def _check_circumstance(child: Child, group: ChildGroup, since: dt.date, until: dt.date | None,
                        exclude: int | None = None) -> None:
    person = child.person
    if since > _today():
        raise ValidationError({"since": _("The date %(date)s is in the future.") % {"date": f"{since:%d/%m/%Y}"}})
    if since < person.birth_date or since >= sixteenth_birthday(person.birth_date):
        raise ValidationError({"since": _("On %(date)s the child was not yet born or was already 16.")
                               % {"date": f"{since:%d/%m/%Y}"}})
    if until is not None and until < since:
        raise ValidationError({"until": _("The end date is before the start date.")})
    if group.valid_from > since or (group.valid_to is not None and group.valid_to < since):
        raise ValidationError({"group": _("The group “%(group)s” was not in force on %(date)s.")
                               % {"group": group.name, "date": f"{since:%d/%m/%Y}"}})
    overlapping = child.circumstances.filter(group__code=group.code).filter(
        Q(until__isnull=True) | Q(until__gte=since))
    if until is not None:
        overlapping = overlapping.filter(since__lte=until)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    if overlapping.exists():
        raise ValidationError({"group": _("The child is already in the group “%(group)s” at that time.")
                               % {"group": group.name}})


@transaction.atomic
def child_register(*, actor: Actor, person: Member, groups: list[tuple[ChildGroup, dt.date]],
                   registered_on: dt.date | None = None, note: str = "") -> Child:
    """Adds a member of the register to the register of children in special circumstances, in
    one or more groups (each with the day it began)."""
    registered_on = registered_on or _today()
    household = person.household
    commune = Unit.objects.get(pk=household.commune_id)
    _check_change(actor, commune)
    if commune.edition != Edition.CURRENT or commune.level != Level.COMMUNE:
        raise ValidationError(_("The child's household is not in a commune of the current map."))
    if Child.objects.filter(person=person).exists():
        raise ValidationError(_("%(name)s is already in the register of children in special circumstances.")
                              % {"name": person.full_name})
    if not groups:
        raise ValidationError({"groups": _("Choose at least one group of the Law on Children, Art. 10.")})
    if registered_on > _today():
        raise ValidationError({"registered_on": _("The date %(date)s is in the future.")
                               % {"date": f"{registered_on:%d/%m/%Y}"}})
    _check_person(person, min(since for _g, since in groups))
    note = (note or "").strip()[:500]
    child = Child.objects.create(person=person, commune=commune, registered_on=registered_on, note=note,
                                 created_by=_user(actor))
    seen: set[str] = set()
    for group, since in groups:
        if group.code in seen:
            raise ValidationError({"groups": _("The group “%(group)s” is given twice.") % {"group": group.name}})
        seen.add(group.code)
        _check_circumstance(child, group, since, None)
        ChildCircumstance.objects.create(child=child, group=group, since=since)
    audit.record(actor=actor, action=AuditAction.CHILD_REGISTER, obj=child, unit=commune,
                 after={"person": person.pk, "groups": sorted(seen), "registered_on": registered_on.isoformat()})
    return child


@transaction.atomic
def child_update(*, actor: Actor, child: Child, note: str) -> Child:
    _check_change(actor, child.commune)
    before = {"note": child.note}
    child.note = (note or "").strip()[:500]
    child.full_clean(exclude=["person", "commune", "created_by"])
    child.save(update_fields=["note", "updated_at"])
    audit.record(actor=actor, action=AuditAction.CHILD_UPDATE, obj=child, unit=child.commune, before=before,
                 after={"note": child.note})
    return child


@transaction.atomic
def circumstance_add(*, actor: Actor, child: Child, group: ChildGroup, since: dt.date,
                     until: dt.date | None = None, note: str = "") -> ChildCircumstance:
    _check_change(actor, child.commune)
    _check_circumstance(child, group, since, until)
    made = ChildCircumstance.objects.create(child=child, group=group, since=since, until=until,
                                            note=(note or "").strip()[:300])
    audit.record(actor=actor, action=AuditAction.CHILD_CIRCUMSTANCE, obj=child, unit=child.commune,
                 after={"group": group.code, "since": since.isoformat(), "until": until.isoformat() if until else None})
    return made


@transaction.atomic
def circumstance_end(*, actor: Actor, circumstance: ChildCircumstance, until: dt.date, reason: str) -> None:
    child = circumstance.child
    _check_change(actor, child.commune)
    if reason not in ChildEndReason.values:
        raise ValidationError({"end_reason": _("Choose why the circumstance ended.")})
    if until < circumstance.since:
        raise ValidationError({"until": _("The end date is before the start date.")})
    if until > _today():
        raise ValidationError({"until": _("The date %(date)s is in the future.") % {"date": f"{until:%d/%m/%Y}"}})
    updated = ChildCircumstance.objects.filter(pk=circumstance.pk, until__isnull=True).update(
        until=until, end_reason=reason)
    if updated != 1:
        raise ValidationError(_("This circumstance has already ended."))
    audit.record(actor=actor, action=AuditAction.CHILD_CIRCUMSTANCE, obj=child, unit=child.commune,
                 before={"group": circumstance.group.code, "until": None},
                 after={"group": circumstance.group.code, "until": until.isoformat(), "reason": reason})


@transaction.atomic
def support_add(*, actor: Actor, child: Child, kind: str, provided_on: dt.date, provider: str,
                description: str = "", amount: Decimal | None = None) -> ChildSupport:
    _check_change(actor, child.commune)
    errors: dict[str, str] = {}
    if kind not in ChildSupportKind.values:
        errors["kind"] = _("Choose the kind of support.")
    if provided_on > _today():
        errors["provided_on"] = _("The date %(date)s is in the future.") % {"date": f"{provided_on:%d/%m/%Y}"}
    elif provided_on < child.person.birth_date:
        errors["provided_on"] = _("The date %(date)s is before the child's birth.") % {
            "date": f"{provided_on:%d/%m/%Y}"}
    if not (provider or "").strip():
        errors["provider"] = _("Say who provided the support.")
    if amount is not None and (amount < 0 or amount > MAX_AMOUNT or amount != amount.to_integral_value()):
        errors["amount"] = _("The amount is a whole number of đồng between 0 and 1.000.000.000.")
    if errors:
        raise ValidationError(errors)
    made = ChildSupport.objects.create(child=child, kind=kind, provided_on=provided_on,
                                       provider=provider.strip()[:200], description=(description or "").strip()[:500],
                                       amount=amount, created_by=_user(actor))
    audit.record(actor=actor, action=AuditAction.CHILD_SUPPORT, obj=child, unit=child.commune,
                 after={"support": made.pk, "kind": kind, "provided_on": provided_on.isoformat(),
                        "amount": str(amount) if amount is not None else None})
    return made


@transaction.atomic
def note_add(*, actor: Actor, child: Child, text: str) -> ChildCaseNote:
    _check_change(actor, child.commune)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > MAX_NOTE:
        raise ValidationError({"text": _("The note is too long (%(n)s characters at most).") % {"n": "5.000"}})
    user = _user(actor)
    name = (user.get_full_name() or user.get_username()) if user is not None else "Hệ thống"
    made = ChildCaseNote.objects.create(child=child, written_at=timezone.now(), author=user, author_name=name,
                                        text=text)
    audit.record(actor=actor, action=AuditAction.CHILD_NOTE, obj=child, unit=child.commune,
                 after={"note": made.pk, "length": len(text)})  # the text itself stays out of the audit log
    return made


@transaction.atomic
def abuse_add(*, actor: Actor, child: Child, kind: str, occurred_on: dt.date) -> ChildAbuseCase:
    _check_change(actor, child.commune)
    if kind not in ChildAbuseKind.values:
        raise ValidationError({"kind": _("Choose the kind of abuse.")})
    if occurred_on > _today():
        raise ValidationError({"occurred_on": _("The date %(date)s is in the future.")
                               % {"date": f"{occurred_on:%d/%m/%Y}"}})
    if occurred_on < child.person.birth_date or occurred_on >= child.leaves_on:
        raise ValidationError({"occurred_on": _("On %(date)s the child was not yet born or was already 16.")
                               % {"date": f"{occurred_on:%d/%m/%Y}"}})
    made = ChildAbuseCase.objects.create(child=child, kind=kind, occurred_on=occurred_on, created_by=_user(actor))
    audit.record(actor=actor, action=AuditAction.CHILD_ABUSE, obj=child, unit=child.commune,
                 after={"case": made.pk, "kind": kind, "occurred_on": occurred_on.isoformat()})
    return made


# --- Child-friendly assessments ------------------------------------------------------------------


def criteria_for(year: int) -> list[ChildFriendlyCriterion]:
    """The criteria in force on 31 December of `year`."""
    day = dt.date(year, 12, 31)
    return list(ChildFriendlyCriterion.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("number"))


def threshold_for(year: int, kind: str) -> ChildFriendlyThreshold | None:
    day = dt.date(year, 12, 31)
    return (ChildFriendlyThreshold.objects.filter(kind=kind, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("-valid_from").first())


def recognised(points: list[int], total: int, threshold: int, criteria_count: int) -> bool:
    """Decision 06/QĐ-TTg Art. 2: every criterion met (scored), none scoring 0, the total at
    least the minimum for the kind of commune."""
    return len(points) == criteria_count and criteria_count > 0 and all(p > 0 for p in points) and total >= threshold


def _event(assessment: ChildFriendlyAssessment, actor: Actor, status: str, note: str = "") -> None:
    user = _user(actor)
    ChildAssessmentEvent.objects.create(assessment=assessment, status=status, by=user,
                                        by_name=(user.get_username() if user is not None else "Hệ thống"),
                                        at=timezone.now(), note=note[:500])


@transaction.atomic
def assessment_save(*, actor: Actor, commune: Unit, year: int, commune_kind: str, points: dict[int, int],
                    note: str = "") -> ChildFriendlyAssessment:
    """Enters (or corrects, while a draft or returned) a commune's scores for `year`:
    1. check the commune, the year and the kind of commune;
    2. check each criterion's points (whole, not negative, at most the criterion's maximum where known);
    3. compute the total, the threshold of the kind of commune and whether it meets the standard;
    4. write the assessment and its scores, an event row and an audit row."""
    _check_change(actor, commune)
    if commune.level != Level.COMMUNE or commune.edition != Edition.CURRENT:
        raise ValidationError(_("An assessment is made for a commune of the current map."))
    if year < 2019 or year > _today().year:
        raise ValidationError({"year": _("The year must be between 2019 (Decision 06/QĐ-TTg) and this year.")})
    if commune_kind not in ChildCommuneKind.values:
        raise ValidationError({"commune_kind": _("Choose the kind of commune.")})
    criteria = criteria_for(year)
    if not criteria:
        raise ValidationError(_("No child-friendly criteria are in force for %(year)s.") % {"year": year})
    errors: dict[str, str] = {}
    clean: dict[int, int] = {}
    for criterion in criteria:
        value = points.get(criterion.pk)
        key = f"c{criterion.number}"
        if value is None:
            errors[key] = _("Give the points of criterion %(n)s.") % {"n": criterion.number}
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[key] = _("The points are a whole number, 0 or more.")
        elif criterion.max_points is not None and value > criterion.max_points:
            errors[key] = _("Criterion %(n)s has at most %(max)s points.") % {"n": criterion.number,
                                                                             "max": criterion.max_points}
        else:
            clean[criterion.pk] = value
    unknown = set(points) - {c.pk for c in criteria}
    if unknown:
        errors["__all__"] = _("Some points are for criteria not in force in %(year)s.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    threshold = threshold_for(year, commune_kind)
    if threshold is None:
        raise ValidationError(_("No minimum total is in force for this kind of commune in %(year)s.") % {"year": year})
    total = sum(clean.values())
    meets = recognised(list(clean.values()), total, threshold.points, len(criteria))
    assessment = ChildFriendlyAssessment.objects.select_for_update().filter(commune=commune, year=year).first()
    before = None
    if assessment is not None:
        if assessment.status not in (ChildAssessmentStatus.DRAFT, ChildAssessmentStatus.RETURNED):
            raise ValidationError(_("The assessment of %(unit)s for %(year)s was already submitted: it can no "
                                    "longer be changed.") % {"unit": commune.name, "year": year})
        before = {"total": assessment.total, "recognised": assessment.recognised,
                  "kind": assessment.commune_kind}
        assessment.commune_kind, assessment.total, assessment.threshold = commune_kind, total, threshold.points
        assessment.recognised, assessment.note = meets, (note or "").strip()[:500]
        assessment.entered_by = _user(actor)
        assessment.save(update_fields=["commune_kind", "total", "threshold", "recognised", "note", "entered_by",
                                       "updated_at"])
        assessment.scores.all().delete()
    else:
        assessment = ChildFriendlyAssessment.objects.create(
            commune=commune, year=year, commune_kind=commune_kind, total=total, threshold=threshold.points,
            recognised=meets, note=(note or "").strip()[:500], entered_by=_user(actor))
        _event(assessment, actor, ChildAssessmentStatus.DRAFT)
    ChildFriendlyScore.objects.bulk_create(
        ChildFriendlyScore(assessment=assessment, criterion_id=pk, points=value) for pk, value in clean.items())
    audit.record(actor=actor, action=AuditAction.CHILD_ASSESSMENT_SAVE, obj=assessment, unit=commune, before=before,
                 after={"year": year, "total": total, "threshold": threshold.points, "recognised": meets,
                        "kind": commune_kind})
    return assessment


def _move(*, actor: Actor, assessment: ChildFriendlyAssessment, old: tuple[str, ...], new: str, action: str,
          note: str = "") -> ChildFriendlyAssessment:
    updated = ChildFriendlyAssessment.objects.filter(pk=assessment.pk, status__in=old).update(
        status=new, updated_at=timezone.now())
    if updated != 1:
        raise ValidationError(_("The assessment is “%(status)s”: this step is not possible now.")
                              % {"status": assessment.get_status_display()})
    before = assessment.status
    assessment.status = new
    _event(assessment, actor, new, note)
    audit.record(actor=actor, action=action, obj=assessment, unit=assessment.commune, before={"status": before},
                 after={"status": new, "note": note[:200]} if note else {"status": new})
    return assessment


@transaction.atomic
def assessment_submit(*, actor: Actor, assessment: ChildFriendlyAssessment) -> ChildFriendlyAssessment:
    _check_change(actor, assessment.commune)
    return _move(actor=actor, assessment=assessment, old=(ChildAssessmentStatus.DRAFT, ChildAssessmentStatus.RETURNED),
                 new=ChildAssessmentStatus.SUBMITTED, action=AuditAction.CHILD_ASSESSMENT_SUBMIT)


@transaction.atomic
def assessment_approve(*, actor: Actor, assessment: ChildFriendlyAssessment) -> ChildFriendlyAssessment:
    user = _user(actor)
    if user is not None and not access.may_approve(user, assessment.commune):
        raise ValidationError(_("Only the province's children officers approve assessments."))
    return _move(actor=actor, assessment=assessment, old=(ChildAssessmentStatus.SUBMITTED,),
                 new=ChildAssessmentStatus.APPROVED, action=AuditAction.CHILD_ASSESSMENT_APPROVE)


@transaction.atomic
def assessment_return(*, actor: Actor, assessment: ChildFriendlyAssessment, note: str) -> ChildFriendlyAssessment:
    user = _user(actor)
    if user is not None and not access.may_approve(user, assessment.commune):
        raise ValidationError(_("Only the province's children officers approve assessments."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the assessment is returned.")})
    return _move(actor=actor, assessment=assessment, old=(ChildAssessmentStatus.SUBMITTED,),
                 new=ChildAssessmentStatus.RETURNED, action=AuditAction.CHILD_ASSESSMENT_RETURN, note=note.strip())


__all__ = [
    "abuse_add", "assessment_approve", "assessment_return", "assessment_save", "assessment_submit",
    "child_register", "child_update", "circumstance_add", "circumstance_end", "criteria_for", "groups_on",
    "note_add", "recognised", "support_add", "threshold_for",
]
