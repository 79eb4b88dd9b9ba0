"""Job placements (giải quyết việc làm): entering, changing and deleting one placement.

A placement is tied to a person of the household register; her commune is read from the register
(her household's commune on the current map), never typed, and is the unit the scope rules and the
figures count the placement in. Who may: `labour.access.may_change(user, commune, "placement")`
(commune officers for their commune, provincial labour officers, administrators); an operator's
run without a user (the CLI without --as) may everywhere. Every change writes an audit row in the
same transaction (PLACEMENT_CREATE/UPDATE/DELETE). A refusal is a `ValidationError` with a
Vietnamese message per field.

Rules checked:
1. the date is not in the future;
2. the person had not died nor left her household on or before that date;
3. the same person, date and channel is recorded once (`labour_placement_once`): a duplicate is
   a message, not an error page;
4. the employer: by tax code when it is on the employers' list, else the name as written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.households.models import Member

from . import access
from .models import Employer, Placement, PlacementChannel

AUDITED = ["person", "commune", "placed_on", "channel", "employer", "employer_name", "new_job", "note"]


def may_change_placement(actor: Actor | Any, commune: Any) -> bool:
    user = user_of(actor)
    return user is None or access.may_change(user, commune, "placement")


def person_error(person: Member, on: dt.date) -> str | None:
    """Why `person` cannot have a record dated `on` (dead or gone by then), None when she can."""
    if person.died_on is not None and person.died_on <= on:
        return _("%(name)s died on %(date)s according to the household register: no record can be dated %(on)s.") % {
            "name": person.full_name, "date": f"{person.died_on:%d/%m/%Y}", "on": f"{on:%d/%m/%Y}"}
    if person.left_on is not None and person.left_on <= on:
        return _("%(name)s left her household on %(date)s according to the household register: no record can be "
                 "dated %(on)s here.") % {"name": person.full_name, "date": f"{person.left_on:%d/%m/%Y}",
                                          "on": f"{on:%d/%m/%Y}"}
    return None


def date_error(on: dt.date | None) -> str | None:
    if on is None:
        return _("The date is required.")
    if on > timezone.localdate():
        return _("The date %(date)s is in the future.") % {"date": f"{on:%d/%m/%Y}"}
    return None


def employer_by_tax_code(tax_code: str) -> Employer | None:
    code = "".join(tax_code.split())
    return Employer.objects.filter(tax_code=code).first() if code else None


def _check(*, person: Member, placed_on: dt.date, channel: str, exclude: int | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if problem := date_error(placed_on):
        errors["placed_on"] = [problem]
    elif problem := person_error(person, placed_on):
        errors["person"] = [problem]
    if channel not in PlacementChannel.values:
        errors["channel"] = [_("Choose a channel from the list.")]
    if not errors:
        same = Placement.objects.filter(person=person, placed_on=placed_on, channel=channel)
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            errors["placed_on"] = [duplicate_message(person.full_name, placed_on, channel)]
    if errors:
        raise ValidationError(errors)


def duplicate_message(name: str, on: dt.date, channel: str) -> str:
    return _("%(name)s already has a placement on %(date)s by the channel “%(channel)s”: it is in the register "
             "already.") % {"name": name, "date": f"{on:%d/%m/%Y}",
                            "channel": PlacementChannel(channel).label}


def _save(placement: Placement, *, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            placement.save(update_fields=update_fields)
    except IntegrityError:  # a placement saved meanwhile by someone else (the constraint holds)
        raise ValidationError({"placed_on": [duplicate_message(placement.person.full_name, placement.placed_on,
                                                               placement.channel)]}) from None


@transaction.atomic
def placement_create(*, actor: Actor | Any, person: Member, placed_on: dt.date, channel: str,
                     employer_name: str = "", tax_code: str = "", new_job: bool = False,
                     note: str = "") -> Placement:
    """Records that `person` got a job on `placed_on` by `channel`, in her commune of the register."""
    commune = person.household.commune
    if not may_change_placement(actor, commune):
        raise PermissionDenied(_("You may not record job placements in %(commune)s.") % {"commune": commune.name})
    _check(person=person, placed_on=placed_on, channel=channel)
    employer = employer_by_tax_code(tax_code)
    placement = Placement(person=person, commune=commune, placed_on=placed_on, channel=channel, employer=employer,
                          employer_name=employer_name.strip() if employer is None else "",
                          new_job=new_job, note=note.strip(), created_by=user_of(actor))
    placement.full_clean(exclude=["person", "commune", "employer", "departure", "created_by", "import_job"],
                         validate_constraints=False)
    _save(placement)
    audit.record(actor=actor, action=AuditAction.PLACEMENT_CREATE, obj=placement, unit=commune,
                 after=audit.snapshot(placement, AUDITED))
    return placement


@transaction.atomic
def placement_update(*, actor: Actor | Any, placement: Placement, placed_on: dt.date, channel: str,
                     employer_name: str, tax_code: str = "", new_job: bool, note: str) -> Placement:
    """Changes a placement's date, channel, employer, new job and note (the person stays; a
    placement made by a departure abroad is changed through the departure)."""
    placement = Placement.objects.select_for_update().select_related("person__household", "commune").get(
        pk=placement.pk)
    if not may_change_placement(actor, placement.commune):
        raise PermissionDenied(_("You may not change job placements in %(commune)s.") % {
            "commune": placement.commune.name})
    if placement.departure_id is not None:
        raise ValidationError(_("This placement was made by a departure abroad: change the departure instead."))
    _check(person=placement.person, placed_on=placed_on, channel=channel, exclude=placement.pk)
    before = audit.snapshot(placement, AUDITED)
    employer = employer_by_tax_code(tax_code) if tax_code else placement.employer
    if employer is not None and employer_name.strip() and employer_name.strip() != employer.name:
        employer = None  # the name was changed: it is another employer, written as it is
    placement.placed_on, placement.channel, placement.new_job = placed_on, channel, new_job
    placement.employer = employer
    placement.employer_name = employer_name.strip() if employer is None else ""
    placement.note = note.strip()
    placement.full_clean(exclude=["person", "commune", "employer", "departure", "created_by", "import_job"],
                         validate_constraints=False)
    _save(placement, update_fields=["placed_on", "channel", "employer", "employer_name", "new_job", "note"])
    audit.record(actor=actor, action=AuditAction.PLACEMENT_UPDATE, obj=placement, unit=placement.commune,
                 before=before, after=audit.snapshot(placement, AUDITED))
    return placement


@transaction.atomic
def placement_delete(*, actor: Actor | Any, placement: Placement) -> None:
    if not may_change_placement(actor, placement.commune):
        raise PermissionDenied(_("You may not delete job placements in %(commune)s.") % {
            "commune": placement.commune.name})
    if placement.departure_id is not None:
        raise ValidationError(_("This placement was made by a departure abroad: change the departure instead."))
    before = audit.snapshot(placement, AUDITED)
    commune = placement.commune
    audit.record(actor=actor, action=AuditAction.PLACEMENT_DELETE, obj=placement, unit=commune, before=before)
    deleted, _count = Placement.objects.filter(pk=placement.pk).delete()
    if not deleted:
        raise ValidationError(_("The placement was deleted meanwhile."))


def employer_text(placement: Placement) -> str:
    """The employer as the pages show it: the listed employer's name, else the name as written."""
    if placement.employer_id is not None:
        return placement.employer.name if placement.employer else ""
    return placement.employer_name


__all__ = ["date_error", "duplicate_message", "employer_text", "may_change_placement", "person_error",
           "placement_create", "placement_delete", "placement_update"]
