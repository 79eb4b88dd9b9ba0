"""Job counselling (tư vấn việc làm, counted in lượt) and counselling sessions and job fairs
(phiên giao dịch việc làm, hội thảo).

- `counselling_record`: one person counselled once, in her commune of the register, optionally
  at a session; entered by commune officers for their commune and by provincial labour officers
  (`labour.access.may_change(user, commune, "counselling")`); audited COUNSELLING_CREATE.
- `session_save`: a session or job fair held in a commune or at the province, with its attendance
  in lượt, employers taking part, vacancies offered and people hired on the day; entered by
  provincial labour officers (the employment service centre) (`may_change(user, unit, "session")`);
  audited COUNSELLING_SESSION_SAVE.

Refusals are `ValidationError`s with Vietnamese messages per field; outside the scope,
`PermissionDenied`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member

from . import access
from .models import Counselling, CounsellingSession, CounsellingTopic, SessionKind
from .placements import date_error, person_error

COUNSELLING_AUDITED = ["person", "commune", "counselled_on", "session", "topic", "on_unemployment_benefit", "note"]
SESSION_AUDITED = ["kind", "unit", "held_on", "title", "organiser", "attendance", "employers", "vacancies", "hired",
                   "note"]


def _may(actor: Actor | Any, unit: Unit, kind: str) -> bool:
    user = user_of(actor)
    return user is None or access.may_change(user, unit, kind)


def session_error(session: CounsellingSession | None, commune: Unit, on: dt.date) -> str | None:
    """A person counselled at a session: on its day, in its unit (a province's session takes
    people of all its communes)."""
    if session is None:
        return None
    if session.held_on != on:
        return _("The session “%(title)s” was held on %(date)s, not on %(on)s.") % {
            "title": session.title, "date": f"{session.held_on:%d/%m/%Y}", "on": f"{on:%d/%m/%Y}"}
    if not commune.path.startswith(session.unit.path):
        return _("The session “%(title)s” was held in %(unit)s: the person lives elsewhere.") % {
            "title": session.title, "unit": session.unit.name}
    return None


@transaction.atomic
def counselling_record(*, actor: Actor | Any, person: Member, counselled_on: dt.date,
                       topic: str = CounsellingTopic.JOBS, on_unemployment_benefit: bool = False,
                       session: CounsellingSession | None = None, note: str = "") -> Counselling:
    """Records one lượt of counselling of `person` on `counselled_on`."""
    commune = person.household.commune
    if not _may(actor, commune, "counselling"):
        raise PermissionDenied(_("You may not record counselling in %(commune)s.") % {"commune": commune.name})
    errors: dict[str, list[str]] = {}
    if problem := date_error(counselled_on):
        errors["counselled_on"] = [problem]
    elif problem := person_error(person, counselled_on):
        errors["person"] = [problem]
    elif problem := session_error(session, commune, counselled_on):
        errors["session"] = [problem]
    if topic not in CounsellingTopic.values:
        errors["topic"] = [_("Choose a topic from the list.")]
    if errors:
        raise ValidationError(errors)
    counselling = Counselling(person=person, commune=commune, counselled_on=counselled_on, topic=topic,
                              on_unemployment_benefit=on_unemployment_benefit, session=session, note=note.strip(),
                              created_by=user_of(actor))
    counselling.full_clean(exclude=["person", "commune", "session", "created_by", "import_job"])
    counselling.save()
    audit.record(actor=actor, action=AuditAction.COUNSELLING_CREATE, obj=counselling, unit=commune,
                 after=audit.snapshot(counselling, COUNSELLING_AUDITED))
    return counselling


def session_unit_error(unit: Unit | None) -> str | None:
    if unit is None:
        return _("Choose where the session was held.")
    if unit.edition != Edition.CURRENT or unit.level not in (Level.PROVINCE, Level.COMMUNE):
        return _("A session is held in a province or a commune of the current map.")
    return None


@transaction.atomic
def session_save(*, actor: Actor | Any, session: CounsellingSession | None = None, kind: str, unit: Unit,
                 held_on: dt.date, title: str, organiser: str = "", attendance: int = 0, employers: int = 0,
                 vacancies: int = 0, hired: int = 0, note: str = "") -> CounsellingSession:
    """Records a new session (`session` None) or changes one."""
    errors: dict[str, list[str]] = {}
    if problem := session_unit_error(unit):
        errors["unit"] = [problem]
    elif not _may(actor, unit, "session"):
        raise PermissionDenied(_("You may not record counselling sessions in %(unit)s.") % {"unit": unit.name})
    if session is not None:
        session = CounsellingSession.objects.select_for_update().select_related("unit").get(pk=session.pk)
        if not _may(actor, session.unit, "session"):
            raise PermissionDenied(_("You may not record counselling sessions in %(unit)s.") % {
                "unit": session.unit.name})
    if problem := date_error(held_on):
        errors["held_on"] = [problem]
    if kind not in SessionKind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    if not title.strip():
        errors["title"] = [_("The title is required.")]
    for name, value in (("attendance", attendance), ("employers", employers), ("vacancies", vacancies),
                        ("hired", hired)):
        if value is None or value < 0:
            errors[name] = [_("A whole number, zero or more.")]
    if not errors and hired > attendance:
        errors["hired"] = [_("More people hired (%(hired)s) than attended (%(attendance)s).") % {
            "hired": hired, "attendance": attendance}]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(session, SESSION_AUDITED) if session is not None else None
    if session is None:
        session = CounsellingSession(created_by=user_of(actor))
    session.kind, session.unit, session.held_on, session.title = kind, unit, held_on, title.strip()
    session.organiser, session.note = organiser.strip(), note.strip()
    session.attendance, session.employers, session.vacancies, session.hired = attendance, employers, vacancies, hired
    session.full_clean(exclude=["unit", "created_by", "import_job"])
    session.save()
    audit.record(actor=actor, action=AuditAction.COUNSELLING_SESSION_SAVE, obj=session, unit=unit, before=before,
                 after=audit.snapshot(session, SESSION_AUDITED))
    return session


__all__ = ["counselling_record", "session_error", "session_save", "session_unit_error"]
