"""Periodic reporting on the web: who has reported (timeliness and completeness), the unit's
form (fill, save, submit; the unit above returns it with a reason or approves it), and a
plan's results against its targets with drill-down to the units and records behind a figure.

Every query goes through `ansinh.plans.access`; every change through `services` (audited).
A commune officer sees his own row of the timeliness table and his own form; the province sees
every unit's. Figures are typed the Vietnamese way ("7.645"; "21,3").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.accounts.access import Scope, get_scope, request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import EDITING_ROLES, User
from ansinh.geo.models import REFORM_DATE, Edition, Level, Unit, current_home
from ansinh.plans import counted, reporting_forms, results, services
from ansinh.plans.access import (
    can_change_unit,
    can_decide_submission,
    covers_unit,
    get_plan_for_user,
    get_submission_for_user,
    plan_area_unit,
    submissions_for_user,
)
from ansinh.plans.models import (
    SECTOR_ORDER,
    Indicator,
    Plan,
    Sector,
    Source,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionValue,
    Target,
)
from ansinh.plans.periods import Period
from ansinh.plans.reporting_forms import FormField
from ansinh.plans.services import Timeliness, TimelinessRow
from ansinh.web.shortcuts import parse_int

Key = tuple[str, str]


# --- helpers ----------------------------------------------------------------------------------


def maybe_url(name: str, *args: object, query: dict[str, str] | None = None) -> str | None:
    """The URL of a page another part of the app provides, or None while it does not exist."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def int_param(value: str | None) -> int | None:
    """An id from a query or form value; None unless a positive number a database column holds."""
    return parse_int(value, low=1)


def state_text(row: TimelinessRow) -> str:
    if row.state == Timeliness.ON_TIME:
        return _("on time")
    if row.state == Timeliness.LATE:
        days = row.days_late
        return ngettext("late by %(days)d day", "late by %(days)d days", days) % {"days": days}
    if row.state == Timeliness.MISSING:
        return _("not submitted (overdue)")
    return _("not yet due")


STATE_CLASSES = {Timeliness.ON_TIME: "state-on-time", Timeliness.LATE: "state-late",
                 Timeliness.MISSING: "state-missing", Timeliness.NOT_DUE: "state-not-due"}


@dataclass
class StateRow:
    row: TimelinessRow
    text: str
    cls: str
    visible_form: bool  # the user may open the submission's page
    can_open: bool  # no form yet, and the user may start it

    @property
    def unit(self) -> Unit:
        return self.row.unit

    @property
    def submission(self) -> Submission | None:
        return self.row.submission


@dataclass
class Counts:
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.missing + self.not_due

    def parts(self) -> list[tuple[str, str, int]]:
        return [(_("on time"), "bar-good", self.on_time), (_("late"), "bar-late", self.late),
                (_("not submitted (overdue)"), "bar-bad", self.missing), (_("not yet due"), "bar-neutral", self.not_due)]


def timeliness_rows(user: User, plan: Plan, period: Period, today: dt.date) -> tuple[list[StateRow], Counts]:
    """The timeliness table as the user may see it: every reporting unit for the plan's own unit
    and above, a unit's own row for a unit below. A constant number of queries."""
    scope = get_scope(user)
    whole = covers_unit(scope, plan.home)
    rows = services.timeliness(plan, period.key, today=today)
    visible_ids = set(submissions_for_user(user).filter(plan=plan, period=period.key).values_list("pk", flat=True))
    out: list[StateRow] = []
    counts = Counts()
    for row in rows:
        form = row.submission
        if not (whole or scope.covers(row.unit) or (form is not None and form.pk in visible_ids)):
            continue
        setattr(counts, row.state, getattr(counts, row.state) + 1)
        out.append(StateRow(row=row, text=state_text(row), cls=STATE_CLASSES[row.state],
                            visible_form=form is not None and form.pk in visible_ids,
                            can_open=form is None and can_change_unit(scope, row.unit)))
    return out, counts


# --- the timeliness table ---------------------------------------------------------------------


# The list's filter: the form's status, or its timeliness (late, overdue and not sent, not yet due).
STATUS_FILTERS: dict[str, Callable[[], str]] = {
    "": lambda: _("All"),
    SubmissionStatus.SUBMITTED: lambda: str(SubmissionStatus.SUBMITTED.label),
    SubmissionStatus.RETURNED: lambda: str(SubmissionStatus.RETURNED.label),
    SubmissionStatus.APPROVED: lambda: str(SubmissionStatus.APPROVED.label),
    SubmissionStatus.DRAFT: lambda: str(SubmissionStatus.DRAFT.label),
    Timeliness.MISSING: lambda: _("not submitted (overdue)"),
    Timeliness.LATE: lambda: _("late"),
    Timeliness.NOT_DUE: lambda: _("not yet due"),
}


def _shown(row: StateRow, status: str) -> bool:
    if not status:
        return True
    if status in SubmissionStatus.values:
        return row.submission is not None and row.submission.status == status
    return row.row.state == status


@login_required
@require_GET
def submission_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has reported for a period: on time, late (by how many days), not submitted, not due."""
    user = request_user(request)
    plan = get_plan_for_user(user, pk)
    today = timezone.localdate()
    period = reporting_forms.offered_period(request.GET.get("period"), plan) or reporting_forms.latest_due(plan, today)
    rows, counts = timeliness_rows(user, plan, period, today)
    shown_status = request.GET.get("status", "")
    if shown_status not in STATUS_FILTERS:
        shown_status = ""
    scope = get_scope(user)
    own_unit = covers_unit(scope, plan.home)
    own_form = (Submission.objects.filter(plan=plan, unit=plan.unit, period=period.key).first()
                if own_unit else None)
    context = {
        "plan": plan,
        "period": period,
        "period_label": period.label(),
        "choices": reporting_forms.period_choices(plan),
        "deadline": period.deadline(plan.deadlines),
        "rows": [r for r in rows if _shown(r, shown_status)],
        "status_filters": [(key, label()) for key, label in STATUS_FILTERS.items()],
        "shown_status": shown_status,
        "counts": counts,
        "behind": [r for r in rows if r.row.state in (Timeliness.LATE, Timeliness.MISSING)],
        "own_unit": own_unit,
        "own_form": own_form,
        "can_open_own": own_unit and own_form is None and can_change_unit(scope, plan.unit),
        "plan_url": maybe_url("plan-detail", plan.pk),
        "results_url": reverse("plan-results", args=[plan.pk]) + "?" + urlencode({"period": period.key}),
        "import_url": maybe_url("submission-import") if scope.roles & EDITING_ROLES else None,  # leaders read
    }
    return render(request, "plans/reporting/submission_list.html", context)


@login_required
@require_POST
def submission_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Starts (or finds) a unit's form for a period, then shows it."""
    user = request_user(request)
    plan = get_plan_for_user(user, pk)
    unit_pk = int_param(request.POST.get("unit"))
    unit = plan_area_unit(plan, unit_pk)
    if unit is None:
        raise Http404
    if not can_change_unit(get_scope(user), unit):
        raise PermissionDenied
    period = request.POST.get("period", "")
    try:
        submission = services.submission_open(actor=Actor.from_request(request), plan=plan, unit=unit, period=period)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("submission-list", args=[plan.pk]) + "?" + urlencode({"period": period}))
    return redirect("submission-detail", pk=submission.pk)


# --- the form -----------------------------------------------------------------------------------


def _event_label(action: str) -> str:
    labels = {"create": _("form created"), "save": _("figures saved"), "submit": _("submitted"),
              "return": _("returned"), "approve": _("approved")}
    return labels.get(action, action)


def _form_fields(submission: Submission, stored: dict[Key, Decimal]) -> list[FormField]:
    """The plan's form, and any other indicator the form already holds a figure for (an import)."""
    indicators = services.form_indicators(submission.plan)
    codes = {i.code for i in indicators}
    extra = {code for code, _breakdown in stored} - codes
    if extra:
        indicators += list(Indicator.objects.filter(code__in=extra).exclude(source=Source.DERIVED).order_by("order"))
    return reporting_forms.build_fields(indicators)


def _stored(submission: Submission) -> dict[Key, Decimal]:
    return {(code, breakdown): value for code, breakdown, value in
            SubmissionValue.objects.filter(submission=submission).values_list("indicator__code", "breakdown", "value")}


def _context_figures(submission: Submission, fields: list[FormField]) -> None:
    """The unit's targets for the year and its figures for the same period last year, beside each input."""
    plan = submission.plan
    targets = {(code, breakdown): float(value) for code, breakdown, value in Target.objects.filter(
        plan=plan, unit=submission.unit, period=str(plan.year)).values_list("indicator__code", "breakdown", "value")}
    previous = results.compute(submission.unit, Period.parse(submission.period).previous_year(), None,
                               with_previous=False)
    for item in fields:
        item.target = targets.get(item.key)
        item.last_year = previous.value(submission.unit_id, *item.key)


@dataclass(frozen=True)
class Lateness:
    deadline: dt.date
    days: int  # days after the deadline the form was first sent (0: on time)


def lateness(submission: Submission) -> Lateness | None:
    """When the form was first sent against its deadline (a returned and resent form keeps its
    first date, as in the timeliness table); None for a form never sent."""
    first = (SubmissionEvent.objects.filter(submission=submission, action="submit")
             .order_by("at").values_list("at", flat=True).first())
    if first is None:
        return None
    deadline = submission.deadline or Period.parse(submission.period).deadline(submission.plan.deadlines)
    return Lateness(deadline=deadline, days=max(0, (timezone.localtime(first).date() - deadline).days))


def _render_form(request: HttpRequest, submission: Submission, *, fields: list[FormField] | None = None,
                 errors: list[str] | None = None, reason: str = "", reason_error: str = "",
                 status: int = 200) -> HttpResponse:
    user = request_user(request)
    scope = get_scope(user)
    stored = _stored(submission)
    if fields is None:
        fields = _form_fields(submission, stored)
        for item in fields:
            item.text = reporting_forms.input_text(stored.get(item.key))
    _context_figures(submission, fields)
    plan, period = submission.plan, Period.parse(submission.period)
    editable = submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    can_edit = editable and scope.can_change(submission.home)
    query = {"unit": str(submission.unit_id), "period": submission.period}
    context = {
        "submission": submission,
        "plan": plan,
        "period": period,
        "period_label": period.label(),
        "cutoff": period.cutoff,
        "part_warnings": services.parts_over_total(stored, {f.indicator.code: f.indicator for f in fields}),
        "sections": reporting_forms.sections(fields),
        "errors": errors or [],
        "field_errors": [f for f in fields if f.error],
        "can_edit": can_edit,
        "read_only_note": not editable,
        "can_decide": submission.status == SubmissionStatus.SUBMITTED and can_decide_submission(user, submission),
        "reason": reason,
        "reason_error": reason_error,
        "events": [(e, _event_label(e.action)) for e in submission.events.select_related("by")],
        "list_url": reverse("submission-list", args=[plan.pk]) + "?" + urlencode({"period": submission.period}),
        "template_url": maybe_url("submission-template", plan.pk, query=query),
        "import_url": maybe_url("submission-import"),
        "status_class": f"status-{submission.status}",
        "lateness": lateness(submission),
    }
    return render(request, "plans/reporting/submission_detail.html", context, status=status)


def _save_typed(request: HttpRequest, submission: Submission, user: User) -> HttpResponse | None:
    """Saves the typed figures; on an error, the page again with what was typed (400)."""
    stored = _stored(submission)
    fields = _form_fields(submission, stored)
    values, ok = reporting_forms.parse(fields, request.POST)
    if not ok:
        return _render_form(request, submission, fields=fields, status=400)
    shown = {item.key for item in fields}
    merged: dict[Key, Decimal | None] = {k: v for k, v in stored.items() if k not in shown}
    merged.update(values)
    try:
        services.submission_save(actor=Actor.from_request(request), submission=submission, values=merged)
    except ValidationError as error:
        return _render_form(request, submission, fields=fields, errors=error.messages, status=400)
    return None


def _refuse_locked(request: HttpRequest, submission: Submission) -> HttpResponse | None:
    if submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        return None
    message = (_("This form has been approved; it can no longer be changed.")
               if submission.status == SubmissionStatus.APPROVED
               else _("This form has been submitted; it can no longer be changed."))
    return _render_form(request, submission, errors=[message], status=400)


@login_required
@require_http_methods(["GET", "POST"])
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's form for the period; a POST saves the figures as a draft."""
    user = request_user(request)
    if request.method != "POST":
        return _render_form(request, get_submission_for_user(user, pk))
    submission = get_submission_for_user(user, pk, action="edit")
    refused = _refuse_locked(request, submission)
    if refused is not None:
        return refused
    failed = _save_typed(request, submission, user)
    if failed is not None:
        return failed
    messages.success(request, _("Figures saved as a draft."))
    return redirect("submission-detail", pk=submission.pk)


@login_required
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends the form to the unit above: saves what was typed, asks for confirmation, then submits."""
    user = request_user(request)
    submission = get_submission_for_user(user, pk, action="edit")
    refused = _refuse_locked(request, submission)
    if refused is not None:
        return refused
    if reporting_forms.has_figures(request.POST):
        failed = _save_typed(request, submission, user)
        if failed is not None:
            return failed
    if request.POST.get("confirm") != "1":
        stored = _stored(submission)
        fields = [f for f in _form_fields(submission, stored) if f.key in stored]
        for item in fields:
            item.text = reporting_forms.input_text(stored[item.key])
        period = Period.parse(submission.period)
        return render(request, "plans/reporting/submission_confirm.html", {
            "submission": submission, "plan": submission.plan, "period_label": period.label(),
            "sections": reporting_forms.sections(fields),
            "part_warnings": services.parts_over_total(stored, {f.indicator.code: f.indicator for f in fields})})
    try:
        services.submission_submit(actor=Actor.from_request(request), submission=submission)
    except ValidationError as error:
        return _render_form(request, submission, errors=error.messages, status=400)
    messages.success(request, _("The form has been submitted for approval."))
    return redirect("submission-detail", pk=submission.pk)


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit above sends the form back, saying why; the unit corrects and submits again."""
    user = request_user(request)
    submission = get_submission_for_user(user, pk, action="decide")
    reason, missing = reporting_forms.reason_of(request.POST)
    if missing:
        return _render_form(request, submission, reason_error=missing, status=400)
    try:
        services.submission_return(actor=Actor.from_request(request), submission=submission, reason=reason)
    except ValidationError as error:
        return _render_form(request, submission, errors=error.messages, reason=reason, status=400)
    messages.success(request, _("The form has been returned to %(unit)s.") % {"unit": submission.unit.name})
    return redirect("submission-detail", pk=submission.pk)


@login_required
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit above approves the form: its figures are locked."""
    user = request_user(request)
    submission = get_submission_for_user(user, pk, action="decide")
    if request.POST.get("confirm") != "1":
        # A step to confirm, as for submitting: approving locks the figures for good.
        if submission.status != SubmissionStatus.SUBMITTED:
            return _render_form(request, submission, errors=[_("Only a submitted form can be approved.")],
                                status=400)
        stored = _stored(submission)
        fields = [f for f in _form_fields(submission, stored) if f.key in stored]
        for item in fields:
            item.text = reporting_forms.input_text(stored[item.key])
        return render(request, "plans/reporting/approve_confirm.html", {
            "submission": submission, "plan": submission.plan,
            "period_label": Period.parse(submission.period).label(), "lateness": lateness(submission),
            "sections": reporting_forms.sections(fields)})
    try:
        services.submission_approve(actor=Actor.from_request(request), submission=submission)
    except ValidationError as error:
        return _render_form(request, submission, errors=error.messages, status=400)
    messages.success(request, _("The form has been approved; its figures are locked."))
    return redirect("submission-detail", pk=submission.pk)


# --- results --------------------------------------------------------------------------------------


SOURCE_FALLBACK = "fallback"
SOURCE_STOOD_IN = "stood_in"


def source_label(code: str) -> str:
    return {
        Source.COUNTED: _("counted from the household registry"),
        Source.DECLARED: _("reported by units"),
        Source.DERIVED: _("formula"),
        SOURCE_FALLBACK: _("reported by units (no registry data yet)"),
        SOURCE_STOOD_IN: _("counted from the registry; units with no registry data yet: as they reported"),
    }.get(code, "")


def source_of(figures: results.Results, unit_id: int, indicator: Indicator) -> str:
    """How the unit's figure arose; a counted indicator that fell back on declared values says so,
    and so does a counted figure that adds units whose declared figures stand in."""
    found = figures.source(unit_id, indicator.code)
    if indicator.source == Source.COUNTED and found == Source.DECLARED:
        return SOURCE_FALLBACK
    if found == Source.COUNTED and figures.stood_in(unit_id, indicator.code):
        return SOURCE_STOOD_IN
    return found


@dataclass
class ResultRow:
    indicator: Indicator
    breakdown: str
    label: str
    value: float | None
    target: float | None
    percent: float | None
    previous: float | None
    change: float | None
    source: str
    source_label: str
    lagging: bool
    expected: float | None
    drill_url: str
    records_url: str | None = None

    @property
    def decimals(self) -> int:
        return self.indicator.decimals


@dataclass
class ResultSection:
    sector: str
    label: str
    rows: list[ResultRow] = field(default_factory=list)


@dataclass
class DrillRow:
    node: results.Node
    value: float | None
    target: float | None
    percent: float | None
    lagging: bool
    url: str | None  # drill further
    records_url: str | None


@dataclass
class Drill:
    indicator: Indicator
    breakdown: str
    label: str
    rows: list[DrillRow]
    records_url: str | None


def _records_url(indicator: Indicator, unit: Unit, breakdown: str, figures: results.Results) -> str | None:
    if indicator.source != Source.COUNTED or not indicator.query:
        return None
    return counted.records_url(indicator.query, unit, breakdown, figures.record_keys)


def results_rows(figures: results.Results, unit: Unit, base: dict[str, str]) -> list[ResultSection]:
    """Per field of work, every indicator with a figure or a target for the unit, and its parts."""
    uid = unit.pk
    groups: dict[str, ResultSection] = {}
    ordered = sorted(figures.indicators.values(), key=lambda i: (SECTOR_ORDER.get(i.sector, 99), i.order, i.code))
    for indicator in ordered:
        keys = [""] + indicator.breakdown_codes
        shown = [b for b in keys if figures.value(uid, indicator.code, b) is not None
                 or figures.target(uid, indicator.code, b) is not None]
        if not shown:
            continue
        source = source_of(figures, uid, indicator)
        flow = indicator.over_time == "flow" and indicator.aggregation == "sum"
        section = groups.setdefault(indicator.sector, ResultSection(indicator.sector, str(Sector(indicator.sector).label)))
        for breakdown in shown if "" in shown else [""] + shown:
            section.rows.append(ResultRow(
                indicator=indicator, breakdown=breakdown,
                label=indicator.name if not breakdown else indicator.breakdown_name(breakdown),
                value=figures.value(uid, indicator.code, breakdown),
                target=figures.target(uid, indicator.code, breakdown),
                percent=figures.percent(uid, indicator.code, breakdown),
                previous=figures.previous_value(uid, indicator.code, breakdown),
                change=figures.change(uid, indicator.code, breakdown),
                source=source, source_label=source_label(source),
                lagging=not breakdown and figures.lagging(uid, indicator.code),
                expected=figures.expected_share() if flow else None,
                drill_url="?" + urlencode({**base, "unit": str(uid), "drill": indicator.code, "part": breakdown})
                + "#drill",
                records_url=(_records_url(indicator, unit, breakdown, figures)
                             if source == Source.COUNTED else None)))
    return sorted(groups.values(), key=lambda s: SECTOR_ORDER.get(s.sector, 99))


def drill_down(figures: results.Results, unit: Unit, indicator: Indicator, breakdown: str,
               base: dict[str, str]) -> Drill:
    """The units below `unit` behind one figure: value, target, percentage, lagging; links further down."""
    nodes = figures.child_nodes(unit.pk)
    counted_here = indicator.source == Source.COUNTED
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[n.id for n in nodes])} if counted_here else {}
    rows = []
    for node in nodes:
        has_children = bool(figures.children.get(node.id))
        rows.append(DrillRow(
            node=node,
            value=figures.value(node.id, indicator.code, breakdown),
            target=figures.target(node.id, indicator.code, breakdown),
            percent=figures.percent(node.id, indicator.code, breakdown),
            lagging=not breakdown and figures.lagging(node.id, indicator.code),
            url=("?" + urlencode({**base, "unit": str(node.id), "drill": indicator.code, "part": breakdown})
                 + "#drill") if has_children else None,
            records_url=(_records_url(indicator, units[node.id], breakdown, figures)
                         if counted_here and node.id in units
                         and figures.source(node.id, indicator.code) == Source.COUNTED else None)))
    label = indicator.name if not breakdown else f"{indicator.name} — {indicator.breakdown_name(breakdown)}"
    records = (_records_url(indicator, unit, breakdown, figures)
               if source_of(figures, unit.pk, indicator) == Source.COUNTED else None)
    return Drill(indicator=indicator, breakdown=breakdown, label=label, rows=rows, records_url=records)


def results_unit(user: User, plan: Plan, requested: int | None) -> Unit | None:
    """The unit whose results are shown: the one asked for (in the plan's area and the user's
    scope), else the plan's own unit, else the user's own unit inside the plan's area."""
    scope = get_scope(user)
    if requested is not None:
        unit = plan_area_unit(plan, requested)
        if unit is None or not covers_unit(scope, unit):
            raise Http404
        return unit
    if covers_unit(scope, plan.unit):
        return plan.unit
    return next((a.unit for a in scope.assignments if a.unit.path.startswith(plan.unit.path)), None)


def result_notes(figures: results.Results, unit: Unit) -> list[str]:
    notes = []
    if unit.edition == Edition.LEGACY:
        notes.append(_("Figures on the administrative map in force before 1 July 2025."))
    elif figures.period.start < REFORM_DATE:
        notes.append(_("Figures recorded under the former map (before 1 July 2025) are re-aggregated to the "
                       "current units through the official crosswalk."))
    if figures.uncovered:
        notes.append(_("No form covers %(periods)s yet: the figures are those of the periods reported.") % {
            "periods": ", ".join(str(p.label()) for p in figures.uncovered)})
    if unit.pk in figures.estimated:
        notes.append(_("Some figures include estimates: a former commune split between several current ones "
                       "with no households in the registry to weigh it was shared equally."))
    counted_from: dict[str, list[str]] = {}  # one note per source, naming its indicators in the catalogue's order
    for indicator in sorted(figures.indicators.values(), key=lambda i: (i.order, i.code)):
        note = figures.notes.get(indicator.code)
        if note and figures.source(unit.pk, indicator.code) == Source.COUNTED:
            counted_from.setdefault(note, []).append(indicator.name)
    for note, names in counted_from.items():
        notes.append(_("%(indicator)s: counted from the review round %(rounds)s.") % {
            "indicator": ", ".join(names), "rounds": note})
    return notes


@login_required
@require_GET
def plan_results(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's results for a period against the plan's targets, with drill-down (?drill=CODE&part=)."""
    user = request_user(request)
    plan = get_plan_for_user(user, pk)
    today = timezone.localdate()
    period = (reporting_forms.offered_period(request.GET.get("period"), plan)
              or reporting_forms.current_period(plan.year, today, reporting_forms.main_kind(plan)))
    unit = results_unit(user, plan, int_param(request.GET.get("unit")))
    context: dict[str, Any] = {
        "plan": plan, "period": period, "period_label": period.label(), "unit": unit,
        "choices": reporting_forms.period_choices(plan),
        "list_url": reverse("submission-list", args=[plan.pk]) + "?" + urlencode({"period": period.key}),
        "plan_url": maybe_url("plan-detail", plan.pk),
    }
    if unit is None:
        return render(request, "plans/reporting/results.html", context)
    figures = results.compute(unit, period, plan)
    base = {"period": period.key}
    query = {"period": period.key, "unit": str(unit.pk)}
    drill = None
    code = request.GET.get("drill", "")
    if code in figures.indicators:
        indicator = figures.indicators[code]
        part = request.GET.get("part", "")
        drill = drill_down(figures, unit, indicator, part if part in indicator.breakdown_codes else "", base)
    ancestors = [a for a in unit.ancestors() if a.path.startswith(plan.unit.path)
                 and covers_unit(get_scope(user), a)]
    context.update({
        "figures": figures,
        "sections": results_rows(figures, unit, base),
        "drill": drill,
        "notes": result_notes(figures, unit),
        "expected": figures.expected_share(),
        "ancestors": ancestors,
        "previous_label": period.previous_year().label(),
        "document_url": maybe_url("report-document", plan.pk, query=query),
        "xlsx_url": maybe_url("report-xlsx", plan.pk, query=query),
        "text_url": maybe_url("report-text", plan.pk, query=query)
        if get_scope(user).can_change(current_home(unit)) else None,
        "children_count": len(figures.children.get(unit.pk, [])),
    })
    return render(request, "plans/reporting/results.html", context)
