"""Every change to plans, targets, tasks and submissions: validated, audited, in one transaction.

Callers check access first (`ansinh.plans.access`); these functions check the data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.geo.models import Level, Unit, current_home
from ansinh.lib.parsing import CellError, parse_decimal

from .models import (Aggregation, Agency, Dimension, Indicator, Plan, ReportText, Source, Submission,
                     SubmissionEvent, SubmissionStatus, SubmissionValue, Target, TargetRevision, Task, TaskNote,
                     TaskStatus)
from .periods import Period, check_rule
from .sentences import number

PLAN_FIELDS = ["doc_type", "number", "agency", "unit", "year", "place", "issued_on", "title", "basis", "situation",
               "objectives", "solutions", "recipients", "signer_authority", "signer_title", "signer_name", "deadlines",
               "form_codes", "percent_decimals", "status"]
TASK_FIELDS = ["order", "sector", "description", "lead", "due_on", "due_period", "due_condition", "status"]

Key = tuple[str, str]


# --- agencies ------------------------------------------------------------------------------


@transaction.atomic
def agency_create(*, actor: Actor, unit: Unit, name: str, kind: str, symbol: str = "", short_name: str = "",
                  parent: Agency | None = None) -> Agency:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter the agency's name.")})
    if Agency.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": _("This unit already has an agency with that name.")})
    agency = Agency.objects.create(unit=unit, name=name, kind=kind, symbol=symbol, short_name=short_name, parent=parent)
    audit.record(actor=actor, action="plans.agency.create", obj=agency, unit=current_home(unit),
                 after=audit.snapshot(agency, ["name", "kind", "symbol", "unit", "parent"]))
    return agency


AGENCY_FIELDS = ["name", "short_name", "kind", "symbol", "parent", "active"]


@transaction.atomic
def agency_update(*, actor: Actor, agency: Agency, name: str, kind: str, symbol: str = "",
                  short_name: str = "", parent: Agency | None = None, active: bool = True) -> Agency:
    """Renames or retypes an agency, sets the body above it, or retires it; its unit stays."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter the agency's name.")})
    if Agency.objects.filter(unit=agency.unit, name=name).exclude(pk=agency.pk).exists():
        raise ValidationError({"name": _("This unit already has an agency with that name.")})
    if parent is not None and (parent.pk == agency.pk or not agency.unit.path.startswith(parent.unit.path)):
        raise ValidationError({"parent": _("The body above must belong to %(unit)s or to a unit above it.") % {
            "unit": agency.unit.name}})
    ancestor = parent
    while ancestor is not None:  # no body above itself, however far up
        if ancestor.pk == agency.pk:
            raise ValidationError({"parent": _("An agency cannot be above itself.")})
        ancestor = ancestor.parent
    before = audit.snapshot(agency, AGENCY_FIELDS)
    agency.name, agency.kind, agency.symbol, agency.short_name = name, kind, symbol.strip(), short_name.strip()
    agency.parent, agency.active = parent, active
    agency.save(update_fields=AGENCY_FIELDS)
    after = audit.snapshot(agency, AGENCY_FIELDS)
    if after != before:
        audit.record(actor=actor, action="plans.agency.update", obj=agency, unit=current_home(agency.unit),
                     before=before, after=after)
    return agency


def agency_for(unit: Unit, name: str, kind: str, *, actor: Actor | None = None, symbol: str = "") -> Agency:
    """The unit's agency of that name, made when missing (imports name agencies by text)."""
    existing = Agency.objects.filter(unit=unit, name=" ".join(name.split())).first()
    return existing or agency_create(actor=actor or Actor.system(), unit=unit, name=name, kind=kind, symbol=symbol)


def _assign(obj: Plan | Task, fields: Mapping[str, object], allowed: list[str]) -> None:
    """Sets the fields an update passes; a name outside `allowed` is a programming error."""
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(obj, name, value)


# --- plans ---------------------------------------------------------------------------------


def _clean_plan(plan: Plan) -> None:
    errors: dict[str, str] = {}
    plan.number = " ".join(plan.number.split())
    if not plan.number:
        errors["number"] = _("Enter the number and symbol, e.g. 12/KH-UBND.")
    if not plan.title.strip():
        errors["title"] = _("Enter the title.")
    if not plan.place.strip():
        errors["place"] = _("Enter the place of issue.")
    if plan.issued_on is not None and plan.issued_on.year not in (plan.year - 1, plan.year):
        errors["issued_on"] = _("A plan for %(year)d is issued in %(year)d or the year before.") % {"year": plan.year}
    if plan.unit_id and plan.unit.level > Level.COMMUNE:
        errors["unit"] = _("A plan belongs to a province, district or commune.")
    for kind, rule in (plan.deadlines or {}).items():
        if kind not in ("month", "quarter", "half", "year"):
            errors["deadlines"] = _("Unknown period type: %(kind)s.") % {"kind": kind}
            continue
        try:
            check_rule(str(rule))
        except ValidationError as error:
            errors["deadlines"] = " ".join(error.messages)
    unknown = set(plan.form_codes or []) - set(Indicator.objects.values_list("code", flat=True))
    if unknown:
        errors["form_codes"] = _("Unknown indicators: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
    if plan.pk is not None:
        stored = Plan.objects.filter(pk=plan.pk).values("year", "unit_id").first()
        moved = stored is not None and (stored["year"] != plan.year or stored["unit_id"] != plan.unit_id)
        if moved and (plan.targets.exists() or plan.submissions.exists()):
            errors["year"] = _("The plan already has targets or reports: its year and unit can no longer change.")
    clash = Plan.objects.filter(agency_id=plan.agency_id, number=plan.number, year=plan.year).exclude(pk=plan.pk)
    if plan.agency_id and clash.exists():
        errors["number"] = _("This agency already has a plan %(number)s for %(year)d.") % {
            "number": plan.number, "year": plan.year}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_create(*, actor: Actor, agency: Agency, unit: Unit, year: int, number: str, title: str, place: str,
                **fields: object) -> Plan:
    plan = Plan(agency=agency, unit=unit, year=year, number=number, title=title, place=place, created_by=user_of(actor),
                **fields)
    _clean_plan(plan)
    plan.home = current_home(unit)
    plan.save()
    audit.record(actor=actor, action="plans.plan.create", obj=plan, unit=plan.home,
                 after=audit.snapshot(plan, PLAN_FIELDS))
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, **fields: object) -> Plan:
    before = audit.snapshot(plan, PLAN_FIELDS)
    _assign(plan, fields, PLAN_FIELDS)
    _clean_plan(plan)
    plan.home = current_home(plan.unit)
    plan.save()
    if before.get("deadlines") != plan.deadlines:
        # The forms already opened carry their deadline: they follow the plan's new rules (one
        # UPDATE per period; timeliness reads the plan's rules, the form page the stored date).
        for key in plan.submissions.order_by().values_list("period", flat=True).distinct():
            plan.submissions.filter(period=key).update(deadline=Period.parse(key).deadline(plan.deadlines))
    audit.record(actor=actor, action="plans.plan.update", obj=plan, unit=plan.home, before=before,
                 after=audit.snapshot(plan, PLAN_FIELDS))
    return plan


def form_indicators(plan: Plan) -> list[Indicator]:
    """The indicators units declare in the plan's periodic form: the plan's list, or else every
    indicator with a target that is not computed by a formula.

    A *counted* indicator is in the default form as a stand-in (DESIGN, principle 1; issue 13): a
    registry may start in the middle of a plan, or a commune may keep its records on paper for a
    while, and where the registry has no data for a unit and period, the figure the unit declared
    stands in (`plans.results`, step 2) and the report says so. Where the registry has data, the
    counted figure wins and the declared one is kept for comparison only. The form marks these
    inputs (`stands_in`)."""
    codes = list(plan.form_codes or [])
    if codes:
        found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        return [found[c] for c in codes if c in found]
    return list(Indicator.objects.filter(targets__plan=plan).exclude(source=Source.DERIVED).distinct()
                .order_by("order"))


# --- targets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    indicator: Indicator
    unit: Unit
    period: str
    breakdown: str
    value: Decimal
    note: str = ""


def _check_target(plan: Plan, row: TargetRow) -> None:
    errors: dict[str, str] = {}
    try:
        period = Period.parse(row.period)
        if period.year != plan.year:
            errors["period"] = _("The period must be in the plan's year %(year)d.") % {"year": plan.year}
    except ValidationError as error:
        errors["period"] = " ".join(error.messages)
    if row.breakdown and row.breakdown not in row.indicator.breakdown_codes:
        errors["breakdown"] = _("“%(breakdown)s” is not a breakdown of %(indicator)s.") % {
            "breakdown": row.breakdown, "indicator": row.indicator.name}
    if not row.unit.path.startswith(plan.unit.path):
        errors["unit"] = _("%(unit)s is not in the plan's area.") % {"unit": row.unit.name}
    if row.indicator.source == Source.DERIVED and row.indicator.aggregation == Aggregation.FORMULA and row.breakdown:
        errors["breakdown"] = _("A computed rate has no breakdowns.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def targets_replace(*, actor: Actor, plan: Plan, rows: Iterable[TargetRow], reason: str = "") -> int:
    """Sets the plan's targets to `rows` in one go (import, or the targets form): new targets are
    created with revision 0, changed ones get a revision, missing ones are removed. Returns how many
    targets changed."""
    rows = list(rows)
    seen: set[tuple[int, int, str, str]] = set()
    for row in rows:
        _check_target(plan, row)
        key = (row.indicator.pk, row.unit.pk, row.period, row.breakdown)
        if key in seen:
            raise ValidationError(_("The target of %(indicator)s for %(unit)s appears twice.") % {
                "indicator": row.indicator.name, "unit": row.unit.name})
        seen.add(key)
    existing = {(t.indicator_id, t.unit_id, t.period, t.breakdown): t
                for t in plan.targets.select_related("indicator", "unit")}
    today = timezone.localdate()
    new_targets = [Target(plan=plan, indicator=r.indicator, unit=r.unit, period=r.period, breakdown=r.breakdown,
                          value=r.value, note=r.note) for r in rows
                   if (r.indicator.pk, r.unit.pk, r.period, r.breakdown) not in existing]
    Target.objects.bulk_create(new_targets)
    created = list(plan.targets.filter(revision=0).exclude(revisions__isnull=False))
    revisions = [TargetRevision(target=t, number=0, value=t.value, previous=None, reason=reason, revised_on=today,
                                by=user_of(actor)) for t in created]
    changed: list[Target] = []
    before: dict[str, str] = {}
    for row in rows:
        target = existing.get((row.indicator.pk, row.unit.pk, row.period, row.breakdown))
        if target is not None and (target.value != row.value or target.note != row.note):
            before[_target_label(target)] = _plain(target.value)
            revisions.append(TargetRevision(target=target, number=target.revision + 1, value=row.value,
                                            previous=target.value, reason=reason, revised_on=today, by=user_of(actor)))
            target.value, target.note, target.revision = row.value, row.note, target.revision + 1
            changed.append(target)
    Target.objects.bulk_update(changed, ["value", "note", "revision"])
    TargetRevision.objects.bulk_create(revisions)
    gone = [t for k, t in existing.items() if k not in seen]
    # A removed target's revisions are deleted with it, so the audit row keeps them: every value a
    # target ever had (when, by which decision, why) stays on record whatever later imports do.
    removed = _revision_history(gone)
    Target.objects.filter(pk__in=[t.pk for t in gone]).delete()
    count = len(new_targets) + len(changed) + len(gone)
    if count:
        audit.record(actor=actor, action="plans.targets.replace", obj=plan, unit=plan.home,
                     before={"revised": before, "removed": removed},
                     after={"created": {_target_label(t): _plain(t.value) for t in new_targets},
                            "revised": {_target_label(t): _plain(t.value) for t in changed}})
    return count


def _target_label(target: Target) -> str:
    """ "jobs_created 29461 2023 female": indicator, unit code, period, breakdown."""
    return " ".join(part for part in (target.indicator.code, target.unit.code, target.period, target.breakdown)
                    if part)


def _plain(value: Decimal) -> str:
    """23000.0000 → "23000"; 67.6700 → "67.67"."""
    return format(Decimal(value).normalize(), "f")


def _revision_history(targets: list[Target]) -> dict[str, list[dict[str, str]]]:
    """Each target's revisions (one query), oldest first, as the audit trail keeps them."""
    labels = {t.pk: _target_label(t) for t in targets}
    history: dict[str, list[dict[str, str]]] = {label: [] for label in labels.values()}
    rows = TargetRevision.objects.filter(target_id__in=list(labels)).order_by("target_id", "number").values_list(
        "target_id", "number", "value", "reason", "document", "revised_on")
    for target_id, revision, value, why, document, revised_on in rows:
        history[labels[target_id]].append({"number": str(revision), "value": _plain(value), "reason": why,
                                           "document": document, "revised_on": revised_on.isoformat()})
    return history


@transaction.atomic
def target_revise(*, actor: Actor, target: Target, value: Decimal, reason: str, document: str = "",
                  revised_on: dt.date | None = None) -> Target:
    """A revision during the year (điều chỉnh chỉ tiêu): the old value stays in the history."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the target is revised.")})
    if value < 0 and target.indicator.unit_of_measure != "%":
        raise ValidationError({"value": _("A target cannot be negative.")})
    locked = Target.objects.select_for_update().get(pk=target.pk)  # the stored revision, not the caller's copy
    target.value, target.revision = locked.value, locked.revision
    before = audit.snapshot(target, ["value", "revision"])
    TargetRevision.objects.create(target=target, number=target.revision + 1, value=value, previous=target.value,
                                  reason=reason.strip(), document=document.strip(),
                                  revised_on=revised_on or timezone.localdate(), by=user_of(actor))
    target.value, target.revision = value, target.revision + 1
    target.save(update_fields=["value", "revision", "updated_at"])
    audit.record(actor=actor, action="plans.target.revise", obj=target, unit=target.plan.home, before=before,
                 after=audit.snapshot(target, ["value", "revision"]))
    return target


@dataclass(frozen=True)
class SplitLine:
    """A target of the plan's unit against the sum of its split among the units below."""

    indicator: Indicator
    period: str
    breakdown: str
    total: Decimal
    split: Decimal
    units: int

    @property
    def difference(self) -> Decimal:
        return self.total - self.split


def split_check(plan: Plan) -> list[SplitLine]:
    """For every summable target of the plan's own unit that is split among the units below it:
    the total, the sum of the split and their difference (zero when it adds up)."""
    rows = list(plan.targets.select_related("indicator", "unit"))
    totals = {(t.indicator_id, t.period, t.breakdown): t for t in rows if t.unit_id == plan.unit_id}
    sums: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[int, str, str], int] = defaultdict(int)
    for t in rows:
        if t.unit_id != plan.unit_id and t.unit.parent_id == plan.unit_id:
            sums[(t.indicator_id, t.period, t.breakdown)] += t.value
            counts[(t.indicator_id, t.period, t.breakdown)] += 1
    out = []
    for key, total in totals.items():
        if total.indicator.aggregation != Aggregation.SUM or key not in sums:
            continue
        out.append(SplitLine(total.indicator, total.period, total.breakdown, total.value, sums[key], counts[key]))
    return sorted(out, key=lambda line: (line.indicator.order, line.period, line.breakdown))


# --- tasks ---------------------------------------------------------------------------------


def _clean_task(task: Task) -> None:
    errors: dict[str, str] = {}
    if not task.description.strip():
        errors["description"] = _("Describe the task.")
    if task.due_period:
        try:
            task.due_period = Period.parse(task.due_period).key
        except ValidationError as error:
            errors["due_period"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(*, actor: Actor, plan: Plan, description: str, partners: Iterable[Agency] = (),
                **fields: object) -> Task:
    task = Task(plan=plan, description=description.strip(), **fields)
    if not task.order:
        task.order = (plan.tasks.count() + 1) * 10
    _clean_task(task)
    task.save()
    task.partners.set(list(partners))
    audit.record(actor=actor, action="plans.task.create", obj=task, unit=plan.home,
                 after=audit.snapshot(task, TASK_FIELDS))
    return task


@transaction.atomic
def task_update(*, actor: Actor, task: Task, partners: Iterable[Agency] | None = None,
                **fields: object) -> Task:
    before = audit.snapshot(task, TASK_FIELDS)
    _assign(task, fields, TASK_FIELDS)
    _clean_task(task)
    task.save()
    if partners is not None:
        task.partners.set(list(partners))
    audit.record(actor=actor, action="plans.task.update", obj=task, unit=task.plan.home, before=before,
                 after=audit.snapshot(task, TASK_FIELDS))
    return task


@transaction.atomic
def task_note_add(*, actor: Actor, task: Task, text: str, status: str | None = None,
                  written_on: dt.date | None = None) -> TaskNote:
    if not text.strip():
        raise ValidationError({"text": _("Write the progress note.")})
    note = TaskNote.objects.create(task=task, text=text.strip(), written_on=written_on or timezone.localdate(),
                                   by=user_of(actor))
    before = {"status": task.status}
    if status and status != task.status:
        if status not in TaskStatus.values:
            raise ValidationError({"status": _("Choose a status.")})
        task.status = status
        task.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="plans.task.note", obj=task, unit=task.plan.home,
                 before=before, after={"status": task.status, "note": note.text})
    return note


# --- submissions ---------------------------------------------------------------------------


def _event(submission: Submission, action: str, actor: Actor, reason: str = "") -> None:
    SubmissionEvent.objects.create(submission=submission, action=action, by=user_of(actor), reason=reason)


@transaction.atomic
def submission_open(*, actor: Actor, plan: Plan, unit: Unit, period: str) -> Submission:
    """The unit's form for the period (made as a draft the first time)."""
    key = Period.parse(period)
    if not unit.path.startswith(plan.unit.path):
        raise ValidationError({"unit": _("%(unit)s is not in the plan's area.") % {"unit": unit.name}})
    if key.year != plan.year:
        raise ValidationError({"period": _("The period must be in the plan's year %(year)d.") % {"year": plan.year}})
    submission, created = Submission.objects.get_or_create(
        plan=plan, unit=unit, period=key.key,
        defaults={"home": current_home(unit), "deadline": key.deadline(plan.deadlines)},
    )
    if created:
        _event(submission, "create", actor)
        audit.record(actor=actor, action="plans.submission.create", obj=submission, unit=submission.home,
                     after={"plan": plan.number, "unit": unit.code, "period": key.key})
    return submission


def parse_value(text: object, *, label: str, check: bool = True) -> Decimal | None:
    """A figure typed in Vietnamese or plain form: "7.645", "7645", "21,3", "13.747,5"; blank → None.
    Read by the one parser of every import (`ansinh.lib.parsing.parse_decimal`), so a page, the
    API and a workbook agree: "1.200" is 1200, "0,5" is one half, "2.5e3" is refused."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = parse_decimal(text)
    except CellError:
        raise ValidationError(_("%(label)s: “%(text)s” is not a number.") % {"label": label, "text": text}) from None
    return check_size(value, label=label, text=text) if check else value


MAX_INTEGER_DIGITS, MAX_DECIMALS = 16, 4  # the figures' columns: 20 digits, 4 after the point


def check_size(value: Decimal, *, label: str, text: object) -> Decimal:
    """The figure, rounded to four decimals; refused when it has more than 16 digits before the point."""
    if abs(value) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise ValidationError(_("%(label)s: “%(text)s” is too large.") % {"label": label, "text": text})
    return value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)).normalize() if value != value.to_integral_value() \
        else value


@transaction.atomic
def submission_save(*, actor: Actor, submission: Submission, values: Mapping[Key, Decimal | None]) -> int:
    """Replaces the form's figures (a draft or a returned form only). Blank figures are removed.
    Returns how many figures the form holds."""
    # Touch the row first, on condition it is still open: the transaction then holds it until the end.
    _move(submission, (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED),
          _("This form has been submitted; it can no longer be changed."))
    # The plan's form, and any other indicator not computed by a formula (a unit may report more
    # than it is asked): a counted one stands in where the registry has no data for the unit and
    # period (form_indicators; plans.results, step 2).
    allowed = {i.code: i for i in form_indicators(submission.plan)}
    known = {i.code: i for i in Indicator.objects.filter(code__in=[k[0] for k in values])}
    allowed.update({code: i for code, i in known.items() if i.source != Source.DERIVED})
    errors: list[str] = []
    rows: list[SubmissionValue] = []
    for (code, breakdown), value in values.items():
        indicator = allowed.get(code)
        if indicator is None:
            if code in known:
                errors.append(_("%(indicator)s is computed by a formula from other figures: units do not declare "
                                "it.") % {"indicator": known[code].name})
            else:
                errors.append(_("Unknown indicator: %(code)s.") % {"code": code})
            continue
        if breakdown and breakdown not in indicator.breakdown_codes:
            errors.append(_("“%(breakdown)s” is not a breakdown of %(indicator)s.") % {
                "breakdown": breakdown, "indicator": indicator.name})
            continue
        if value is None:
            continue
        if value < 0 and indicator.unit_of_measure != "%":
            errors.append(_("%(indicator)s cannot be negative.") % {"indicator": indicator.name})
            continue
        if indicator.counts_whole and value != value.to_integral_value():
            errors.append(whole_number_error(indicator, value))
            continue
        rows.append(SubmissionValue(submission=submission, indicator=indicator, breakdown=breakdown, value=value))
    if errors:
        raise ValidationError(errors)
    before = {f"{v.indicator.code}.{v.breakdown}".rstrip("."): str(v.value)
              for v in submission.values.select_related("indicator")}
    submission.values.all().delete()
    SubmissionValue.objects.bulk_create(rows)
    submission.save(update_fields=["updated_at"])
    _event(submission, "save", actor)
    audit.record(actor=actor, action="plans.submission.save", obj=submission, unit=submission.home, before=before,
                 after={f"{r.indicator.code}.{r.breakdown}".rstrip("."): str(r.value) for r in rows})
    return len(rows)


def whole_number_error(indicator: Indicator, value: Decimal) -> str:
    return _("%(indicator)s counts whole %(unit)s: %(value)s is not a whole number.") % {
        "indicator": indicator.name, "unit": indicator.unit_of_measure, "value": number(value)}


def _move(submission: Submission, from_statuses: tuple[str, ...], refusal: str, **fields: object) -> None:
    """Changes the form's status only if it still is in `from_statuses` (one conditional UPDATE, so
    two officers acting at once cannot both succeed, on SQLite as on PostgreSQL); else refuses."""
    now = timezone.now()
    moved = Submission.objects.filter(pk=submission.pk, status__in=from_statuses).update(**fields, updated_at=now)
    if not moved:
        raise ValidationError(refusal)
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.updated_at = now


@transaction.atomic
def submission_submit(*, actor: Actor, submission: Submission) -> Submission:
    if not submission.values.exists():
        raise ValidationError(_("The form is empty: enter the figures before submitting."))
    old = submission.status
    _move(submission, (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED), _("This form has already been submitted."),
          status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=user_of(actor))
    _event(submission, "submit", actor)
    audit.record(actor=actor, action="plans.submission.submit", obj=submission, unit=submission.home,
                 before={"status": old}, after={"status": submission.status})
    return submission


@transaction.atomic
def submission_return(*, actor: Actor, submission: Submission, reason: str) -> Submission:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the form is returned.")})
    old = submission.status
    _move(submission, (SubmissionStatus.SUBMITTED,), _("Only a submitted form can be returned."),
          status=SubmissionStatus.RETURNED, return_reason=reason.strip(), decided_at=timezone.now(), decided_by=user_of(actor))
    _event(submission, "return", actor, reason.strip())
    audit.record(actor=actor, action="plans.submission.return", obj=submission, unit=submission.home,
                 before={"status": old}, after={"status": submission.status, "return_reason": submission.return_reason})
    return submission


@transaction.atomic
def submission_approve(*, actor: Actor, submission: Submission) -> Submission:
    old = submission.status
    _move(submission, (SubmissionStatus.SUBMITTED,), _("Only a submitted form can be approved."),
          status=SubmissionStatus.APPROVED, decided_at=timezone.now(), decided_by=user_of(actor))
    _event(submission, "approve", actor)
    audit.record(actor=actor, action="plans.submission.approve", obj=submission, unit=submission.home,
                 before={"status": old}, after={"status": submission.status})
    return submission


# --- timeliness ----------------------------------------------------------------------------


class Timeliness:
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"


@dataclass(frozen=True)
class TimelinessRow:
    unit: Unit
    submission: Submission | None
    deadline: dt.date
    state: str  # Timeliness.*
    first_sent: dt.datetime | None = None  # the first submission (a returned and resent form keeps it)

    @property
    def days_late(self) -> int:
        if self.state == Timeliness.LATE and self.first_sent is not None:
            return (timezone.localtime(self.first_sent).date() - self.deadline).days
        if self.state == Timeliness.MISSING:
            return (timezone.localdate() - self.deadline).days
        return 0


def reporting_units(plan: Plan) -> list[Unit]:
    """The units that report to the plan's unit: those below it (communes of a province or
    district; districts of a legacy province)."""
    return list(Unit.objects.filter(parent=plan.unit).vietnamese_order())


def timeliness(plan: Plan, period: str, *, today: dt.date | None = None) -> list[TimelinessRow]:
    """Per reporting unit: on time, late, missing (past the deadline, not submitted) or not yet due.
    A form counts as sent when it was first submitted (a returned form keeps that date)."""  # noqa: D401
    key = Period.parse(period)
    today = today or timezone.localdate()
    deadline = key.deadline(plan.deadlines)
    units = reporting_units(plan)
    forms = {s.unit_id: s for s in Submission.objects.filter(plan=plan, period=key.key, unit__in=units)}
    first_sent = dict(
        SubmissionEvent.objects.filter(submission__in=forms.values(), action="submit").order_by("-at")
        .values_list("submission_id", "at").distinct()
    )
    rows = []
    for unit in units:
        form = forms.get(unit.pk)
        # A draft, or a form returned and not sent again, has not been sent.
        sent = first_sent.get(form.pk) if form is not None and form.locked else None
        if sent is None:
            state = Timeliness.MISSING if today > deadline else Timeliness.NOT_DUE
        else:
            state = Timeliness.ON_TIME if timezone.localtime(sent).date() <= deadline else Timeliness.LATE
        rows.append(TimelinessRow(unit=unit, submission=form, deadline=deadline, state=state, first_sent=sent))
    return rows


REPORT_TEXT_FIELDS = ["number", "issued_on", "strengths", "difficulties", "recipients"]


@transaction.atomic
def report_text_save(*, actor: Actor, plan: Plan, unit: Unit, period: Period, number: str = "",
                     issued_on: dt.date | None = None, strengths: str = "", difficulties: str = "",
                     recipients: str = "") -> ReportText:
    """Sets the words of a unit's periodic report (number, date, assessment, recipients); the
    report's figures come from the forms and registries, never from here."""
    if period.year != plan.year:
        raise ValidationError(_("The period must be in the plan's year %(year)d.") % {"year": plan.year})
    if issued_on is not None and issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("A report cannot be dated in the future.")})
    if issued_on is not None and issued_on < period.start:
        raise ValidationError({"issued_on": _("A report is dated after its period begins (%(start)s).") % {
            "start": period.start.strftime("%d/%m/%Y")}})
    text, created = ReportText.objects.select_for_update().get_or_create(plan=plan, unit=unit, period=period.key)
    before = None if created else audit.snapshot(text, REPORT_TEXT_FIELDS)
    text.number, text.issued_on = " ".join(number.split()), issued_on
    text.strengths, text.difficulties, text.recipients = (
        "\n".join(line.strip() for line in value.strip().splitlines() if line.strip())
        for value in (strengths, difficulties, recipients))
    text.updated_by = user_of(actor)
    text.save()
    after = audit.snapshot(text, REPORT_TEXT_FIELDS)
    if before != after:
        audit.record(actor=actor, action="plans.report_text.save", obj=text, unit=current_home(unit),
                     before=before, after=after)
    return text


def parts_over_total(values: Mapping[tuple[str, str], Decimal | float | None],
                     indicators: Mapping[str, Indicator]) -> list[str]:
    """Where the parts of one kind add up to more than their total ("of which women, ethnic
    minorities" each; the training levels together): a warning, not a refusal, since reports
    do so (seed 001: 419 + 210 + 2.031 trained against 2.650). In Vietnamese, as figures are."""
    out = []
    for code, indicator in indicators.items():
        total = values.get((code, ""))
        if total is None or not indicator.breakdowns:
            continue
        by_dimension: dict[str, list[str]] = defaultdict(list)
        for part in indicator.breakdowns:
            by_dimension[str(part.get("dimension", ""))].append(str(part["code"]))
        for dimension, codes in by_dimension.items():
            found = [values[(code, c)] for c in codes if values.get((code, c)) is not None]
            added = sum((Decimal(str(v)) for v in found), Decimal(0))
            if found and added > Decimal(str(total)):
                with translation.override("vi"):
                    what = str(Dimension(dimension).label) if dimension in Dimension.values else "chi tiết"
                out.append(f"{indicator.name}: các chi tiết theo {what} cộng lại {number(added)}, "
                           f"lớn hơn tổng số {number(Decimal(str(total)))}.")
    return out
