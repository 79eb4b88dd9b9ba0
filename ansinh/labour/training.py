"""Vocational training: providers, courses, enrolments (with completion and certificate), and the
trained-labour rates counted from the register.

Services are keyword-only, checked (`full_clean` plus the rules below), audited in the same
transaction (TRAINING_PROVIDER_SAVE, COURSE_SAVE, ENROLMENT_SAVE, LABOUR_LAW_SAVE), and raise
`ValidationError` with a Vietnamese message:

- a provider (cơ sở giáo dục nghề nghiệp) has a name unique in its province (imports find it by
  name), an establishment decision dated no later than today and before its closing;
- a course's level must be in force on its start date (`TrainingLevel` is dated law: trung học
  nghề only from 1 Jan 2026, Law 124/2025/QH15), its provider open then, its end after its start;
- an enrolment is a living member of the register; a completion needs its date (not before the
  enrolment), a certificate needs a completion, and its date is not before the completion.

The rates (`rate_counts`) read the register's members of working age (Labour Code 2019 Art. 3: from
15; Art. 169 and Decree 135/2020 Art. 4: below the retirement age, `poverty.facts.retirement_age_months`)
on a day, and count them trained or certified by the `TrainedRateDefinition` in force (provisional:
the official method is not known, digest §4 [U]).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Education, Employment, Member
from ansinh.lib.vietnamese import fold

from . import access
from .models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    Funding,
    ProviderKind,
    TrainedRateDefinition,
    TrainingField,
    TrainingLevel,
    TrainingProvider,
)

PROVIDER_FIELDS = ["name", "kind", "unit", "address", "decision_number", "decision_date", "closed_on"]
COURSE_FIELDS = ["provider", "occupation", "level", "field", "funding", "unit", "starts_on", "ends_on"]
ENROLMENT_FIELDS = ["course", "person", "commune", "enrolled_on", "status", "completed_on", "certificate_number",
                    "certificate_on", "note"]
LEVEL_FIELDS = ["name", "rank", "certified", "valid_from", "valid_to", "legal_basis", "provisional"]
EMPLOYED = (Employment.CONTRACT, Employment.NO_CONTRACT, Employment.SELF_EMPLOYED)
PROVISIONAL_NOTE = "chưa xác nhận"  # shown beside every rate: the official method is not known


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _check_change(actor: Actor, unit: Unit, kind: str = "training") -> None:
    user = audit.user_of(actor)
    if user is not None and not access.may_change(user, unit, kind):
        raise ValidationError(_("You may not change training records of %(unit)s.") % {"unit": unit.name})


def _province(unit: Unit) -> Unit:
    if unit.level <= Level.PROVINCE:
        return unit
    return unit.province() or unit


# --- Levels -----------------------------------------------------------------------------------------


def level_in_force(level: TrainingLevel, on: dt.date) -> bool:
    return level.valid_from <= on and (level.valid_to is None or on <= level.valid_to)


def levels_in_force(on: dt.date) -> QuerySet[TrainingLevel]:
    return TrainingLevel.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def check_level(level: TrainingLevel, on: dt.date) -> None:
    """The level must be in force on the course's start date (dated law)."""
    if level_in_force(level, on):
        return
    if on < level.valid_from:
        raise ValidationError({"level": _(
            "The level “%(level)s” applies only from %(start)s (%(basis)s): a course starting on %(on)s cannot "
            "be at this level.") % {"level": level.name, "start": _d(level.valid_from), "basis": level.legal_basis,
                                   "on": _d(on)}})
    raise ValidationError({"level": _(
        "The level “%(level)s” no longer applies after %(end)s: a course starting on %(on)s cannot be at this "
        "level.") % {"level": level.name, "end": _d(level.valid_to), "on": _d(on)}})


@transaction.atomic
def training_level_save(*, actor: Actor, level: TrainingLevel, name: str, rank: int, certified: bool,
                        valid_from: dt.date, valid_to: dt.date | None, legal_basis: str,
                        provisional: bool) -> TrainingLevel:
    """Changes a level's law data (administrators; audited LABOUR_LAW_SAVE). The code stays: the
    figures' breakdowns and the import read it."""
    user = audit.user_of(actor)
    if user is not None and not access.may_change(user, level_unit_placeholder(), "law"):
        raise ValidationError(_("Only administrators change the law's data."))
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    used = Course.objects.filter(level=level)
    if used.filter(starts_on__lt=valid_from).exists() or (
            valid_to is not None and used.filter(starts_on__gt=valid_to).exists()):
        raise ValidationError(_("Courses at this level start outside these dates: the dates cannot exclude them."))
    before = audit.snapshot(level, LEVEL_FIELDS)
    level.name, level.rank, level.certified = name.strip(), rank, certified
    level.valid_from, level.valid_to, level.legal_basis, level.provisional = valid_from, valid_to, legal_basis, provisional
    level.full_clean()
    level.save(update_fields=LEVEL_FIELDS)
    audit.record(actor=actor, action=AuditAction.LABOUR_LAW_SAVE, obj=level, before=before,
                 after=audit.snapshot(level, LEVEL_FIELDS))
    return level


def level_unit_placeholder() -> Unit:
    """`access.may_change(…, "law")` ignores the unit: any unit does (the country's, or the first)."""
    unit = Unit.objects.order_by("level", "pk").first()
    if unit is None:
        raise ValidationError(_("The administrative map is not loaded."))
    return unit


# --- Providers --------------------------------------------------------------------------------------


@transaction.atomic
def training_provider_save(*, actor: Actor, provider: TrainingProvider | None = None, name: str, kind: str,
                           unit: Unit, address: str = "", decision_number: str = "",
                           decision_date: dt.date | None = None, closed_on: dt.date | None = None) -> TrainingProvider:
    """Creates (provider None) or changes a training provider with its establishment decision."""
    _check_change(actor, unit)
    if provider is not None:
        _check_change(actor, provider.unit)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Write the provider's name.")})
    if kind not in ProviderKind.values:
        raise ValidationError({"kind": _("Choose the provider's ownership.")})
    today = timezone.localdate()
    if decision_date is not None and decision_date > today:
        raise ValidationError({"decision_date": _("The decision date %(date)s is after today.") % {
            "date": _d(decision_date)}})
    if decision_date is None and decision_number.strip():
        raise ValidationError({"decision_date": _("Write the date of the establishment decision.")})
    if closed_on is not None and decision_date is not None and closed_on < decision_date:
        raise ValidationError({"closed_on": _("The closing date is before the establishment decision.")})
    province = _province(unit)
    same = TrainingProvider.objects.filter(search_name=fold(name), unit__path__startswith=province.path)
    if provider is not None:
        same = same.exclude(pk=provider.pk)
    if same.exists():
        raise ValidationError({"name": _("%(province)s already has a training provider named “%(name)s”.") % {
            "province": province.name, "name": name}})
    before = audit.snapshot(provider, PROVIDER_FIELDS) if provider is not None else None
    target = provider or TrainingProvider()
    target.name, target.kind, target.unit, target.address = name, kind, unit, address.strip()
    target.decision_number, target.decision_date, target.closed_on = decision_number.strip(), decision_date, closed_on
    target.search_name = fold(name)
    target.full_clean()
    if provider is None:
        target.save()
    else:
        target.save(update_fields=[*PROVIDER_FIELDS, "search_name"])
    audit.record(actor=actor, action=AuditAction.TRAINING_PROVIDER_SAVE, obj=target, unit=unit, before=before,
                 after=audit.snapshot(target, PROVIDER_FIELDS))
    return target


# --- Courses ----------------------------------------------------------------------------------------


def check_course(*, provider: TrainingProvider, level: TrainingLevel, starts_on: dt.date,
                 ends_on: dt.date | None) -> None:
    check_level(level, starts_on)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The course ends (%(end)s) before it starts (%(start)s).") % {
            "end": _d(ends_on), "start": _d(starts_on)}})
    if provider.closed_on is not None and starts_on > provider.closed_on:
        raise ValidationError({"starts_on": _("%(provider)s closed on %(date)s.") % {
            "provider": provider.name, "date": _d(provider.closed_on)}})


@transaction.atomic
def course_save(*, actor: Actor, course: Course | None = None, provider: TrainingProvider, occupation: str,
                level: TrainingLevel, field: str, funding: str = Funding.STATE, unit: Unit | None = None,
                starts_on: dt.date, ends_on: dt.date | None = None) -> Course:
    """Creates or changes a course; `unit` (where it is taught) defaults to the provider's."""
    unit = unit or provider.unit
    _check_change(actor, unit)
    occupation = " ".join(occupation.split())
    if not occupation:
        raise ValidationError({"occupation": _("Write the occupation taught.")})
    if field not in TrainingField.values:
        raise ValidationError({"field": _("Choose the field (farm or non-farm).")})
    check_course(provider=provider, level=level, starts_on=starts_on, ends_on=ends_on)
    if course is not None:
        early = course.enrolments.filter(enrolled_on__lt=starts_on - dt.timedelta(days=366)).exists()
        if early:
            raise ValidationError({"starts_on": _("Enrolments of this course are more than a year before the new "
                                                  "start date.")})
    before = audit.snapshot(course, COURSE_FIELDS) if course is not None else None
    target = course or Course(created_by=audit.user_of(actor))
    target.provider, target.occupation, target.level, target.field = provider, occupation, level, field
    target.funding, target.unit, target.starts_on, target.ends_on = funding, unit, starts_on, ends_on
    target.full_clean()
    if course is None:
        target.save()
    else:
        target.save(update_fields=COURSE_FIELDS)
    audit.record(actor=actor, action=AuditAction.COURSE_SAVE, obj=target, unit=unit, before=before,
                 after=audit.snapshot(target, COURSE_FIELDS))
    return target


# --- Enrolments -------------------------------------------------------------------------------------


def check_enrolment(*, enrolled_on: dt.date, status: str, completed_on: dt.date | None, certificate_number: str,
                    certificate_on: dt.date | None, today: dt.date | None = None) -> dict[str, str]:
    """The rules of one enrolment's dates and certificate: {field: Vietnamese message} (empty when
    right). Also used by the import, row by row, without a query."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if enrolled_on > today:
        errors["enrolled_on"] = _("The enrolment date %(date)s is after today.") % {"date": _d(enrolled_on)}
    if status not in EnrolmentStatus.values:
        errors["status"] = _("Choose the status.")
        return errors
    if status == EnrolmentStatus.COMPLETED:
        if completed_on is None:
            errors["completed_on"] = _("A completed course needs its completion date.")
        elif completed_on < enrolled_on:
            errors["completed_on"] = _("The completion date %(done)s is before the enrolment date %(start)s.") % {
                "done": _d(completed_on), "start": _d(enrolled_on)}
        elif completed_on > today:
            errors["completed_on"] = _("The completion date %(date)s is after today.") % {"date": _d(completed_on)}
    elif completed_on is not None:
        errors["completed_on"] = _("Only a completed course has a completion date: set the status to completed.")
    if (certificate_number or certificate_on) and status != EnrolmentStatus.COMPLETED:
        errors["certificate_number"] = _("A diploma or certificate needs the course completed.")
    elif certificate_on is not None and not certificate_number:
        errors["certificate_number"] = _("Write the number of the diploma or certificate.")
    elif certificate_on is not None and completed_on is not None and certificate_on < completed_on:
        errors["certificate_on"] = _("The certificate date %(date)s is before the completion date %(done)s.") % {
            "date": _d(certificate_on), "done": _d(completed_on)}
    elif certificate_on is not None and certificate_on > today:
        errors["certificate_on"] = _("The certificate date %(date)s is after today.") % {"date": _d(certificate_on)}
    return errors


@transaction.atomic
def enrolment_save(*, actor: Actor, enrolment: Enrolment | None = None, course: Course, person: Member,
                   enrolled_on: dt.date, status: str = EnrolmentStatus.ENROLLED, completed_on: dt.date | None = None,
                   certificate_number: str = "", certificate_on: dt.date | None = None, note: str = "") -> Enrolment:
    """Enrols a member of the register in a course, or changes her enrolment (completion,
    certificate). Her commune is her household's. A certificate without a date takes the
    completion date."""
    if person.died_on is not None or person.left_on is not None:
        raise ValidationError({"person": _("%(name)s no longer lives in her household (died or moved away).") % {
            "name": person.full_name}})
    commune = person.household.commune
    _check_change(actor, commune)
    certificate_number = certificate_number.strip()
    if certificate_number and certificate_on is None:
        certificate_on = completed_on
    errors = check_enrolment(enrolled_on=enrolled_on, status=status, completed_on=completed_on,
                             certificate_number=certificate_number, certificate_on=certificate_on)
    if errors:
        raise ValidationError(errors)
    twice = Enrolment.objects.filter(course=course, person=person)
    if enrolment is not None:
        twice = twice.exclude(pk=enrolment.pk)
    if twice.exists():
        raise ValidationError({"person": _("%(name)s is already enrolled in this course.") % {"name": person.full_name}})
    before = audit.snapshot(enrolment, ENROLMENT_FIELDS) if enrolment is not None else None
    target = enrolment or Enrolment(created_by=audit.user_of(actor))
    target.course, target.person, target.commune, target.enrolled_on = course, person, commune, enrolled_on
    target.status, target.completed_on = status, completed_on
    target.certificate_number, target.certificate_on, target.note = certificate_number, certificate_on, note.strip()
    target.full_clean(validate_constraints=False)
    if enrolment is None:
        target.save()
    else:
        target.save(update_fields=ENROLMENT_FIELDS)
    audit.record(actor=actor, action=AuditAction.ENROLMENT_SAVE, obj=target, unit=commune, before=before,
                 after=audit.snapshot(target, ENROLMENT_FIELDS))
    return target


# --- Trained-labour rates ------------------------------------------------------------------------


def definition_on(on: dt.date) -> TrainedRateDefinition | None:
    """The definition of the rates in force on `on` (the latest that started by then)."""
    return (TrainedRateDefinition.objects.filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from").first())


def months_before(on: dt.date, months: int) -> dt.date:
    """The day `months` calendar months before `on` (the last of the month when it is shorter)."""
    total = on.year * 12 + on.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def retirement_ages(on: dt.date) -> tuple[int, int]:
    """(men, women) retirement age in months in `on`'s year (Labour Code 2019 Art. 169)."""
    from ansinh.poverty.facts import retirement_age_months

    men, women = retirement_age_months(on.year, np.array([False, True]))
    return int(men), int(women)


def working_age(on: dt.date, min_age: int = 15) -> Q:
    """Members aged `min_age` or more on `on` and below the retirement age of their sex (a member
    reaches it once her age in completed months is the retirement age's)."""
    men, women = retirement_ages(on)
    young = Q(birth_date__lte=months_before(on, 12 * min_age))
    below = (Q(sex="female", birth_date__gt=months_before(on, women))
             | (~Q(sex="female") & Q(birth_date__gt=months_before(on, men))))
    return young & below


def trained_q(definition: TrainedRateDefinition, on: dt.date) -> Q:
    """A member counted as trained (the definition's flags); Q(pk__in=[]) when none counts."""
    parts: list[Q] = []
    if definition.trained_vocational:
        parts.append(Q(education=Education.VOCATIONAL))
    if definition.trained_higher:
        parts.append(Q(education=Education.HIGHER))
    if definition.trained_in_training:
        parts.append(Q(in_training=True))
    if definition.trained_completed:
        parts.append(Q(Exists(Enrolment.objects.filter(person=OuterRef("pk"), status=EnrolmentStatus.COMPLETED,
                                                       completed_on__lte=on))))
    return _any(parts) | certified_q(definition, on)


def certified_q(definition: TrainedRateDefinition, on: dt.date) -> Q:
    parts: list[Q] = []
    if definition.certified_vocational:
        parts.append(Q(education=Education.VOCATIONAL))
    if definition.certified_higher:
        parts.append(Q(education=Education.HIGHER))
    if definition.certified_certificate:
        parts.append(Q(Exists(Enrolment.objects.filter(
            person=OuterRef("pk"), status=EnrolmentStatus.COMPLETED, certificate_on__lte=on,
            course__level__certified=True).exclude(certificate_number=""))))
    return _any(parts)


def _any(parts: list[Q]) -> Q:
    out = Q(pk__in=[])
    for part in parts:
        out |= part
    return out


def denominator(definition: TrainedRateDefinition, on: dt.date) -> Q:
    """The members a rate is a share of: of working age on `on` (and in the labour force when the
    definition says so)."""
    q = working_age(on, definition.min_age)
    if definition.labour_force_only:
        q &= ~Q(employment=Employment.INACTIVE)
    return q


@dataclass
class RateCounts:
    """Members of working age in the denominator; of them trained, certified; and (working age,
    whatever the definition) employed regularly."""

    members: int = 0
    trained: int = 0
    certified: int = 0
    employed: int = 0

    def add(self, other: RateCounts) -> None:
        self.members += other.members
        self.trained += other.trained
        self.certified += other.certified
        self.employed += other.employed

    @property
    def trained_rate(self) -> float | None:
        return 100.0 * self.trained / self.members if self.members else None

    @property
    def certified_rate(self) -> float | None:
        return 100.0 * self.certified / self.members if self.members else None


def rate_counts(communes: Iterable[int], on: dt.date,
                definition: TrainedRateDefinition | None = None) -> dict[int, RateCounts]:
    """Per commune (the member's household's), the members living there on `on` of working age,
    trained, certified, and employed regularly: one GROUP BY. `employed_regularly` counts members
    of working age (15 to the retirement age) working with a labour contract, without one, or
    self-employed (Member.employment), whatever the definition's labour-force option."""
    definition = definition or definition_on(on)
    ids = list(communes)
    if definition is None or not ids:
        return {}
    return {commune: RateCounts(members, trained, certified, employed)
            for commune, members, trained, certified, employed in rate_query(ids, on, definition)}


def rate_query(communes: list[int], on: dt.date, definition: TrainedRateDefinition) -> QuerySet[Any]:
    """The GROUP BY of `rate_counts`: (commune, members, trained, certified, employed) rows."""
    inside = denominator(definition, on)
    return (Member.objects.present(on).filter(household__commune_id__in=communes)
            .filter(working_age(on, definition.min_age)).order_by()
            .values_list("household__commune_id")
            .annotate(members=Count("pk", filter=inside),
                      trained=Count("pk", filter=inside & trained_q(definition, on)),
                      certified=Count("pk", filter=inside & certified_q(definition, on)),
                      employed=Count("pk", filter=Q(employment__in=EMPLOYED))))


def commune_ids(unit: Unit) -> list[int]:
    """The current map's communes of `unit` (itself if it is one); none for a legacy unit."""
    if unit.edition == Edition.LEGACY:
        return []
    if unit.level == Level.COMMUNE:
        return [unit.pk]
    return list(Unit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                .values_list("pk", flat=True))


def rates_up_the_map(root: Unit, on: dt.date, definition: TrainedRateDefinition | None = None
                     ) -> dict[int, RateCounts]:
    """`rate_counts` for every commune of `root` and every unit above them up to `root` (their sums:
    a rate is recomputed at each level from its numerator and denominator, never added up)."""
    if root.edition == Edition.LEGACY:
        return {}
    if root.level == Level.COMMUNE:
        return rate_counts([root.pk], on, definition)
    communes = dict(Unit.objects.filter(path__startswith=root.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                    .values_list("pk", "path"))
    counts = rate_counts(list(communes), on, definition)
    above = list(Unit.objects.filter(path__startswith=root.path, level__lt=Level.COMMUNE)
                 .exclude(edition=Edition.LEGACY).values_list("pk", "path"))
    out: dict[int, RateCounts] = dict(counts)
    for pk, path in above:
        total = RateCounts()
        for commune, found in counts.items():
            if communes[commune].startswith(path):
                total.add(found)
        out[pk] = total
    return out


# --- What the pages and the API ask (the unit filters live here, not in the views) ----------------


def within(queryset: QuerySet[Any], field: str, unit: Unit) -> QuerySet[Any]:
    """Records whose `field` (a unit) is `unit` or inside it (an already scoped queryset)."""
    return queryset.filter(**{f"{field}__path__startswith": unit.path})


def find_person(citizen_id: str, province: Unit) -> Member | None:
    """A living member of the province's register by citizen ID."""
    return (Member.objects.present().select_related("household__commune")
            .filter(citizen_id=citizen_id, household__commune__path__startswith=province.path).first())


DEFINITION_FIELDS = ["name", "min_age", "labour_force_only", "trained_vocational", "trained_higher",
                     "trained_in_training", "trained_completed", "certified_vocational", "certified_higher",
                     "certified_certificate", "legal_basis", "provisional"]


@transaction.atomic
def rate_definition_save(*, actor: Actor, definition: TrainedRateDefinition, values: dict[str, Any]
                         ) -> TrainedRateDefinition:
    """Changes the definition of the rates (administrators; audited LABOUR_LAW_SAVE)."""
    user = audit.user_of(actor)
    if user is not None and not access.may_change(user, level_unit_placeholder(), "law"):
        raise ValidationError(_("Only administrators change the law's data."))
    before = audit.snapshot(definition, DEFINITION_FIELDS)
    for name in DEFINITION_FIELDS:
        setattr(definition, name, values[name])
    definition.full_clean()
    definition.save(update_fields=DEFINITION_FIELDS)
    audit.record(actor=actor, action=AuditAction.LABOUR_LAW_SAVE, obj=definition, before=before,
                 after=audit.snapshot(definition, DEFINITION_FIELDS))
    return definition


def format_rate(value: float | None) -> str:
    from ansinh.lib.vietnamese import format_number

    return "" if value is None else f"{format_number(value, 2)}%"


__all__ = ["PROVISIONAL_NOTE", "RateCounts", "check_enrolment", "check_level", "course_save", "definition_on",
           "enrolment_save", "level_in_force", "levels_in_force", "rate_counts", "rates_up_the_map",
           "training_level_save", "training_provider_save", "working_age"]

