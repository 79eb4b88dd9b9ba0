"""The plans pages: the list, a plan (document, targets and their split, revisions, tasks), the plan
form, the targets grid, a target's revision, tasks and their progress notes, the indicator
catalogue and the agencies.

Access: every plan comes through `ansinh.plans.access` (404 outside the user's units; a
commune sees the plan of its province, read-only), and every change needs an editing role on the
plan's home unit (403 otherwise). Every change is a call of `ansinh.plans.services` (validated,
audited, in one transaction). A form that comes back with errors answers 400 and keeps what was
typed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts.access import get_scope, request_user, units_for_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import EDITING_ROLES, Role, User
from ansinh.geo.models import Unit, current_home
from ansinh.households.forms import add_service_errors
from ansinh.plans import formulas, reporting_forms, services
from ansinh.plans.access import get_plan_for_user, plans_for_user
from ansinh.plans.documents import deadline_text
from ansinh.plans.forms import (
    AgencyEditForm,
    AgencyForm,
    PlanFilterForm,
    PlanForm,
    TargetReviseForm,
    TaskForm,
    TaskNoteForm,
)
from ansinh.plans.models import (
    OPEN_TASK_STATUSES,
    SECTOR_ORDER,
    Agency,
    Aggregation,
    Indicator,
    Plan,
    Sector,
    Source,
    Target,
    TargetRevision,
    Task,
    TaskNote,
)
from ansinh.plans.periods import KINDS, Period, periods_of_year
from ansinh.plans.templatetags.plans import figure, figure_input, task_overdue
from ansinh.plans.views.documents import sentence_units

PAGE_SIZE = 50


def _form_page(request: HttpRequest, template: str, context: dict[str, Any], *,
               failed: bool | None = None) -> HttpResponse:
    """A form page; 400 when a POST comes back with errors."""
    if failed is None:
        form = context.get("form")
        failed = request.method == "POST" and form is not None and form.is_bound and bool(form.errors)
    return render(request, template, context, status=400 if failed else 200)


def _refresh_initial(form_class: type[Any], data: QueryDict) -> dict[str, Any]:
    """What was typed, as the initial values of an unbound form (a refresh of the unit choices
    must not show errors for fields not yet filled)."""
    initial: dict[str, Any] = {}
    for name, form_field in form_class.base_fields.items():
        if hasattr(form_field, "widget") and getattr(form_field.widget, "allow_multiple_selected", False):
            initial[name] = data.getlist(name)
        elif name in data:
            initial[name] = data.get(name)
    return initial


def _can_plan(user: User) -> bool:
    return bool(get_scope(user).roles & EDITING_ROLES)


def _period_end(key: str) -> dt.date | None:
    try:
        return Period.parse(key).end
    except ValidationError:
        return None


def _overdue_counts(plan_ids: Iterable[int], today: dt.date) -> Counter[int]:
    """Open tasks past their date (or the end of their period) per plan: one query."""
    counts: Counter[int] = Counter()
    rows = (Task.objects.filter(plan_id__in=list(plan_ids), status__in=OPEN_TASK_STATUSES)
            .values_list("plan_id", "due_on", "due_period"))
    for plan_id, due_on, due_period in rows:
        due = due_on or (_period_end(due_period) if due_period else None)
        if due is not None and due < today:
            counts[plan_id] += 1
    return counts


def _count(model: type[Target] | type[Task], field: str = "pk") -> Subquery:
    """How many of the plan's rows (or distinct values of `field`: a target split among 124
    communes is one indicator, not 125)."""
    rows = (model.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
            .annotate(n=Count(field, distinct=field != "pk")).values("n"))
    return Subquery(rows, output_field=IntegerField())


# --- The list --------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans the user may see, newest year first; filters by year, unit (accent-insensitive)
    and status."""
    user = request_user(request)
    visible = plans_for_user(user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    form = PlanFilterForm(request.GET, years=years)
    plans: QuerySet[Plan] = visible.select_related("unit", "agency")
    if form.value("year"):
        plans = plans.filter(year=form.value("year"))
    if form.value("status"):
        plans = plans.filter(status=form.value("status"))
    query = (form.value("q") or "").strip()
    for word in PlanFilterForm.unit_words(query):
        plans = plans.filter(unit__search_name__contains=word)
    plans = plans.annotate(target_count=Coalesce(_count(Target, "indicator"), Value(0)),
                           task_count=Coalesce(_count(Task), Value(0)))
    page = Paginator(plans.order_by("-year", "-issued_on", "number", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = _overdue_counts([p.pk for p in page.object_list], timezone.localdate())
    for plan in page.object_list:
        plan.overdue_count = overdue.get(plan.pk, 0)  # type: ignore[attr-defined]
    context = {"form": form, "page": page, "query": query, "can_create": _can_plan(user)}
    if request.headers.get("HX-Request"):
        return render(request, "plans/_plan_results.html", context)
    return render(request, "plans/plan_list.html", context)


# --- A plan ----------------------------------------------------------------------------------


def _breakdown_index(indicator: Indicator, code: str) -> int:
    if not code:
        return -1
    codes = indicator.breakdown_codes
    return codes.index(code) if code in codes else len(codes)


def _target_order(target: Target) -> tuple[int, str, str, int, str]:
    return (target.indicator.order, target.indicator.code, target.period,
            _breakdown_index(target.indicator, target.breakdown), target.breakdown)


@dataclass
class OwnTarget:
    """A target of the plan's own unit: the indicator's value for a period and its breakdowns."""

    indicator: Indicator
    period: str
    main: Target | None = None
    parts: list[Target] = field(default_factory=list)


@dataclass
class SplitColumn:
    indicator: Indicator
    period: str
    breakdown: str
    year: str
    total: Decimal | None = None
    line: services.SplitLine | None = None

    @property
    def breakdown_name(self) -> str:
        return self.indicator.breakdown_name(self.breakdown) if self.breakdown else ""

    @property
    def other_period(self) -> bool:
        return self.period != self.year


def _own_targets(plan: Plan, targets: list[Target]) -> list[OwnTarget]:
    groups: dict[tuple[int, str], OwnTarget] = {}
    for target in targets:
        if target.unit_id != plan.unit_id:
            continue
        group = groups.setdefault((target.indicator_id, target.period), OwnTarget(target.indicator, target.period))
        if target.breakdown:
            group.parts.append(target)
        else:
            group.main = target
    return list(groups.values())


def _split_table(plan: Plan, targets: list[Target], lines: list[services.SplitLine]
                 ) -> tuple[list[SplitColumn], list[tuple[Unit, list[Target | None]]]]:
    """Units right below the plan's unit × the targets split among them."""
    below = [t for t in targets if t.unit_id != plan.unit_id and t.unit.parent_id == plan.unit_id]
    if not below:
        return [], []
    totals = {(t.indicator_id, t.period, t.breakdown): t.value for t in targets if t.unit_id == plan.unit_id}
    by_key = {(line.indicator.pk, line.period, line.breakdown): line for line in lines}
    columns: dict[tuple[int, str, str], SplitColumn] = {}
    for target in below:  # already in catalogue order
        key = (target.indicator_id, target.period, target.breakdown)
        if key not in columns:
            columns[key] = SplitColumn(target.indicator, target.period, target.breakdown, str(plan.year),
                                       totals.get(key), by_key.get(key))
    units: dict[int, Unit] = {t.unit_id: t.unit for t in below}
    cells: dict[tuple[int, tuple[int, str, str]], Target] = {
        (t.unit_id, (t.indicator_id, t.period, t.breakdown)): t for t in below}
    rows = [(unit, [cells.get((unit.pk, key)) for key in columns])
            for unit in sorted(units.values(), key=lambda u: (u.sort_key, u.code))]
    return list(columns.values()), rows


def _period_choices(plan: Plan) -> list[tuple[str, str]]:
    """The periods a periodic report may cover: the year, and those of the kinds the plan reports by."""
    kinds = reporting_forms.plan_kinds(plan)
    periods = [Period.parse(str(plan.year))]
    for kind in ("half", "quarter", "month"):
        if kind in kinds:
            periods += periods_of_year(plan.year, kind)  # type: ignore[arg-type]
    return [(p.key, p.label()) for p in periods]


def _default_period(plan: Plan, today: dt.date) -> str:
    """The quarter that ended last (or the one under way, in the plan's year)."""
    if today.year > plan.year:
        return str(plan.year)
    if today.year < plan.year:
        return f"{plan.year}-Q1"
    quarter = (today.month - 1) // 3 + 1
    return f"{plan.year}-Q{max(quarter - 1, 1)}"


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan: its document, targets with breakdowns and their split, revisions and tasks.
    A fixed number of queries, whatever the number of targets and tasks."""
    user = request_user(request)
    plan = get_plan_for_user(user, pk)
    today = timezone.localdate()
    targets = sorted(plan.targets.select_related("indicator", "unit"), key=_target_order)
    lines = services.split_check(plan)
    columns, split_rows = _split_table(plan, targets, lines)
    revisions = list(TargetRevision.objects.filter(target__plan=plan, number__gt=0)
                     .select_related("target__indicator", "target__unit", "by").order_by("-at", "-pk"))
    notes = Prefetch("notes", queryset=TaskNote.objects.select_related("by").order_by("written_on", "pk"))
    tasks = list(plan.tasks.select_related("lead").prefetch_related("partners", notes))
    by_sector: dict[str, list[Task]] = defaultdict(list)
    for task in sorted(tasks, key=lambda t: (SECTOR_ORDER.get(t.sector, len(SECTOR_ORDER)), t.order, t.pk)):
        task.is_overdue = task_overdue(task, today)  # type: ignore[attr-defined]
        by_sector[task.sector].append(task)
    sectors = dict(Sector.choices)
    periods = _period_choices(plan)
    default_period = _default_period(plan, today)
    context = {
        "plan": plan,
        "can_change": get_scope(user).can_change(plan.home),
        "own_targets": _own_targets(plan, targets),
        "target_count": len(targets),
        "columns": columns,
        "split_rows": split_rows,
        "split_lines": lines,
        "revisions": revisions,
        "task_groups": [(sectors.get(code, _("Other tasks")), items) for code, items in by_sector.items()],
        "task_count": len(tasks),
        "overdue_count": sum(1 for t in tasks if getattr(t, "is_overdue", False)),
        "basis_lines": [line for line in plan.basis.splitlines() if line.strip()],
        "recipient_lines": [line for line in plan.recipients.splitlines() if line.strip()],
        "deadlines": [(kind, rule, deadline_text(kind, str(rule))) for kind in KINDS
                      if (rule := (plan.deadlines or {}).get(kind))],
        "periods": periods,
        "default_period": default_period if default_period in dict(periods) else str(plan.year),
        "year": str(plan.year),
    }
    return render(request, "plans/plan_detail.html", context)


# --- The plan form ---------------------------------------------------------------------------


def _plan_form_page(request: HttpRequest, form: PlanForm, plan: Plan | None) -> HttpResponse:
    return _form_page(request, "plans/plan_form.html", {"form": form, "plan": plan})


def _save_plan(actor: Actor, form: PlanForm, plan: Plan | None) -> Plan:
    """The issuing body (made when typed new) and the plan, together or not at all."""
    data = form.cleaned_data
    unit: Unit = data["unit"]
    with transaction.atomic():
        agency: Agency = data["agency"] or services.agency_for(
            unit, data["new_agency"], data["new_agency_kind"], actor=actor, symbol=data["new_agency_symbol"].strip())
        fields = form.service_fields()
        if plan is None:
            return services.plan_create(actor=actor, agency=agency, unit=unit, year=fields.pop("year"),
                                        number=fields.pop("number"), title=fields.pop("title"),
                                        place=fields.pop("place"), **fields)
        return services.plan_update(actor=actor, plan=plan, agency=agency, unit=unit, **fields)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not _can_plan(user):
        raise PermissionDenied
    if request.method == "POST" and "refresh" not in request.POST:
        form = PlanForm(request.POST, user=user)
        if form.is_valid():
            try:
                plan = _save_plan(Actor.from_request(request), form, None)
            except ValidationError as error:
                add_service_errors(form, error, {"deadlines": "deadline_quarter"})
            else:
                messages.success(request, _("Plan %(number)s created. Now enter its targets.") % {
                    "number": plan.number})
                return redirect("plan-detail", pk=plan.pk)
    elif request.method == "POST":
        form = PlanForm(user=user, initial=_refresh_initial(PlanForm, request.POST))
    else:
        form = PlanForm(user=user, initial={"year": timezone.localdate().year, "doc_type": "KH",
                                            "percent_decimals": 1, "status": "draft"})
    return _plan_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = get_plan_for_user(user, pk, change=True)
    if request.method == "POST" and "refresh" not in request.POST:
        form = PlanForm(request.POST, user=user, plan=plan)
        if form.is_valid():
            try:
                _save_plan(Actor.from_request(request), form, plan)
            except ValidationError as error:
                plan.refresh_from_db()
                add_service_errors(form, error, {"deadlines": "deadline_quarter"})
            else:
                messages.success(request, _("Plan %(number)s saved.") % {"number": plan.number})
                return redirect("plan-detail", pk=plan.pk)
    elif request.method == "POST":
        form = PlanForm(user=user, plan=plan, initial=_refresh_initial(PlanForm, request.POST))
    else:
        form = PlanForm(user=user, plan=plan)
    return _plan_form_page(request, form, plan)


# --- The targets grid ------------------------------------------------------------------------


@dataclass
class Column:
    indicator: Indicator
    breakdown: str
    period: str
    year: str

    @property
    def key(self) -> str:
        return f"{self.indicator.code}|{self.breakdown}|{self.period}"

    @property
    def breakdown_name(self) -> str:
        return self.indicator.breakdown_name(self.breakdown) if self.breakdown else ""

    @property
    def other_period(self) -> bool:
        return self.period != self.year

    @property
    def summable(self) -> bool:
        return self.indicator.aggregation == Aggregation.SUM

    @property
    def label(self) -> str:
        text = self.indicator.name
        if self.breakdown:
            text += " — " + _("of which %(part)s") % {"part": self.breakdown_name}
        if self.other_period:
            text += f" ({Period.parse(self.period).label()})"
        return text


@dataclass
class Cell:
    name: str
    column: int
    text: str
    label: str
    error: str = ""


@dataclass
class GridRow:
    unit: Unit
    role: str  # "total" (the plan's unit), "part" (a unit right below it), "other" (further below)
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Difference:
    column: int
    summable: bool
    total: Decimal | None = None
    split: Decimal | None = None
    parts: int = 0

    @property
    def value(self) -> Decimal | None:
        if not self.summable or self.total is None or not self.parts:
            return None
        return self.total - (self.split or Decimal(0))

    @property
    def adds_up(self) -> bool:
        return self.value == 0


def _grid_units(plan: Plan, targets: list[Target]) -> list[tuple[Unit, str]]:
    """The plan's unit, the units right below it in Vietnamese order, then any other unit that
    already has a target (a commune under a legacy district), so that saving keeps it."""
    below = services.reporting_units(plan)
    seen = {plan.unit_id, *(u.pk for u in below)}
    others = sorted({t.unit_id: t.unit for t in targets if t.unit_id not in seen}.values(),
                    key=lambda u: (u.level, u.sort_key, u.code))
    return ([(plan.unit, "total")] + [(u, "part") for u in below]
            + [(u, "part" if u.parent_id == plan.unit_id else "other") for u in others])


def _safe_value(text: str) -> Decimal | None:
    try:
        return services.parse_value(text, label="")
    except ValidationError:
        return None


def _catalogue_choices(indicators: list[Indicator]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The columns one may add, grouped by field: each indicator, and each of its breakdowns."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for indicator in indicators:
        groups[indicator.sector].append((f"{indicator.code}|", f"{indicator.name} ({indicator.unit_of_measure})"))
        if indicator.source == Source.DERIVED and indicator.aggregation == Aggregation.FORMULA:
            continue
        for breakdown in indicator.breakdowns:
            groups[indicator.sector].append((
                f"{indicator.code}|{breakdown['code']}",
                f"{indicator.name} — " + _("of which %(part)s") % {"part": breakdown["name"]}))
    sectors = dict(Sector.choices)
    ordered = sorted(groups, key=lambda c: SECTOR_ORDER.get(c, 99))
    return [(str(sectors.get(code, code)), groups[code]) for code in ordered]


class TargetGrid:
    """The targets of a plan as typed: rows of units, columns of indicator × breakdown × period."""

    def __init__(self, plan: Plan, targets: list[Target], indicators: list[Indicator]) -> None:
        self.plan = plan
        self.year = str(plan.year)
        self.indicators = {i.code: i for i in indicators}
        self.units = _grid_units(plan, targets)
        self.notes = {(t.indicator_id, t.unit_id, t.period, t.breakdown): t.note for t in targets}
        self.columns: list[Column] = []
        self.texts: dict[tuple[int, str], str] = {}
        self.errors: dict[tuple[int, str], str] = {}
        self.messages: list[str] = []
        self._targets = targets

    # -- reading ------------------------------------------------------------------------------

    def column(self, key: str) -> Column | None:
        parts = key.split("|")
        if len(parts) != 3:
            return None
        code, breakdown, period = parts
        indicator = self.indicators.get(code)
        if indicator is None or (breakdown and breakdown not in indicator.breakdown_codes):
            return None
        return Column(indicator, breakdown, period, self.year)

    def from_targets(self) -> None:
        for target in sorted(self._targets, key=_target_order):
            key = f"{target.indicator.code}|{target.breakdown}|{target.period}"
            if all(c.key != key for c in self.columns):
                column = self.column(key)
                if column is not None:
                    self.columns.append(column)
            self.texts[(target.unit_id, key)] = _input_text(target.value)

    def from_post(self, data: QueryDict) -> None:
        for index, key in enumerate(data.getlist("col")):
            column = self.column(key)
            if column is None or any(c.key == key for c in self.columns):
                continue
            self.columns.append(column)
            for unit, _role in self.units:
                text = data.get(f"c{index}_{unit.pk}", "").strip()
                if text:
                    self.texts[(unit.pk, key)] = text

    # -- changing the columns -----------------------------------------------------------------

    def add(self, choice: str, period: str) -> bool:
        code, _sep, breakdown = choice.partition("|")
        period = (period or self.year).strip()
        try:
            period = Period.parse(period).key
        except ValidationError as error:
            self.messages.extend(error.messages)
            return False
        if Period.parse(period).year != self.plan.year:
            self.messages.append(_("The period must be in the plan's year %(year)d.") % {"year": self.plan.year})
            return False
        column = self.column(f"{code}|{breakdown}|{period}")
        if column is None:
            self.messages.append(_("Choose an indicator to add."))
            return False
        if any(c.key == column.key for c in self.columns):
            self.messages.append(_("That column is already in the grid."))
            return False
        self.columns.append(column)
        return True

    def remove(self, index: str) -> None:
        if index.isdigit() and int(index) < len(self.columns):
            del self.columns[int(index)]

    # -- saving -------------------------------------------------------------------------------

    def rows_to_save(self) -> list[services.TargetRow]:
        """The typed figures as target rows; an unreadable figure is an error on its cell."""
        rows = []
        for unit, _role in self.units:
            for column in self.columns:
                text = self.texts.get((unit.pk, column.key), "")
                label = f"{unit.name} — {column.label}"
                try:
                    value = services.parse_value(text, label=label)
                except ValidationError as error:
                    self.errors[(unit.pk, column.key)] = " ".join(error.messages)
                    continue
                if value is None:
                    continue
                if value < 0 and column.indicator.unit_of_measure != "%":
                    self.errors[(unit.pk, column.key)] = _("%(label)s: a target cannot be negative.") % {"label": label}
                    continue
                note = self.notes.get((column.indicator.pk, unit.pk, column.period, column.breakdown), "")
                rows.append(services.TargetRow(column.indicator, unit, column.period, column.breakdown, value, note))
        return rows

    # -- showing ------------------------------------------------------------------------------

    def rows(self) -> list[GridRow]:
        out = []
        for unit, role in self.units:
            row = GridRow(unit, role)
            for index, column in enumerate(self.columns):
                key = (unit.pk, column.key)
                row.cells.append(Cell(f"c{index}_{unit.pk}", index, self.texts.get(key, ""),
                                      f"{unit.name} — {column.label}", self.errors.get(key, "")))
            out.append(row)
        return out

    def differences(self) -> list[Difference]:
        """Per column, the plan unit's figure against the sum of the units right below it, as typed."""
        out = []
        for index, column in enumerate(self.columns):
            diff = Difference(index, column.summable)
            for unit, role in self.units:
                value = _safe_value(self.texts.get((unit.pk, column.key), ""))
                if role == "total":
                    diff.total = value
                elif role == "part" and value is not None:
                    diff.split = (diff.split or Decimal(0)) + value
                    diff.parts += 1
            out.append(diff)
        return out

    @property
    def error_list(self) -> list[str]:
        return [*self.messages, *self.errors.values()]


def _input_text(value: Decimal) -> str:
    return figure_input(value)


@login_required
@require_http_methods(["GET", "POST"])
def plan_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the targets as a grid: the plan's unit first, then the units below it; one column per
    indicator (or breakdown, or period). Saving replaces the plan's targets (changed ones keep
    their history); the split check follows."""
    user = request_user(request)
    plan = get_plan_for_user(user, pk, change=True)
    targets = list(plan.targets.select_related("indicator", "unit"))
    indicators = list(Indicator.objects.all())
    grid = TargetGrid(plan, targets, indicators)
    reason = ""
    failed = False
    if request.method == "POST":
        grid.from_post(request.POST)
        reason = request.POST.get("reason", "").strip()
        if "add" in request.POST:
            grid.add(request.POST.get("add_column", ""), request.POST.get("add_period", ""))
        elif "remove" in request.POST:
            grid.remove(request.POST.get("remove", ""))
        else:
            rows = grid.rows_to_save()
            if not grid.errors:
                try:
                    changed = services.targets_replace(actor=Actor.from_request(request), plan=plan, rows=rows, reason=reason)
                except ValidationError as error:
                    grid.messages.extend(error.messages)
                else:
                    messages.success(request, _("Targets saved (%(count)s changed).") % {"count": figure(changed)})
                    return redirect("plan-targets", pk=plan.pk)
            failed = True
    else:
        grid.from_targets()
    context = {
        "plan": plan,
        "grid": grid,
        "rows": grid.rows(),
        "differences": grid.differences(),
        "reason": reason,
        "catalogue": _catalogue_choices(indicators),
        "split_lines": [] if request.method == "POST" else services.split_check(plan),
        "decimal_separator": get_format("DECIMAL_SEPARATOR"),
        "thousand_separator": get_format("THOUSAND_SEPARATOR"),
        "year": str(plan.year),
    }
    return _form_page(request, "plans/targets_form.html", context, failed=failed)


def _of_plan_to_change[T: (Target, Task)](user: User, model: type[T], pk: int, *related: str) -> T:
    """A target or task, with its plan, of a plan the user may change (404 outside the user's
    plans, 403 read-only)."""
    plan_id = model.objects.filter(pk=pk).values_list("plan_id", flat=True).first()
    if plan_id is None:
        raise Http404
    plan = get_plan_for_user(user, plan_id, change=True)
    found = model.objects.select_related(*related).get(pk=pk, plan=plan)
    found.plan = plan
    return found


@login_required
@require_http_methods(["GET", "POST"])
def target_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Revise one target during the year (điều chỉnh chỉ tiêu), with the reason and the decision;
    the previous values stay in the history."""
    user = request_user(request)
    target = _of_plan_to_change(user, Target, pk, "indicator", "unit")
    if request.method == "POST":
        form = TargetReviseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.target_revise(actor=Actor.from_request(request), target=target, value=data["value"], reason=data["reason"],
                                       document=data["document"], revised_on=data["revised_on"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Target revised: %(indicator)s, %(unit)s.") % {
                    "indicator": target.indicator.name, "unit": target.unit.name})
                return redirect(reverse("plan-detail", args=[target.plan.pk]) + "#targets")
    else:
        form = TargetReviseForm(initial={"value": _input_text(target.value)})
    history = list(target.revisions.select_related("by").order_by("-number"))
    return _form_page(request, "plans/target_revise.html", {"form": form, "target": target, "plan": target.plan,
                                                            "history": history})


# --- Tasks -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = get_plan_for_user(user, pk, change=True)
    if request.method == "POST":
        form = TaskForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                task = services.task_create(actor=Actor.from_request(request), plan=plan, description=form.cleaned_data["description"],
                                            partners=form.cleaned_data["partners"], **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Task added."))
                return redirect(reverse("plan-detail", args=[plan.pk]) + f"#task-{task.pk}")
    else:
        form = TaskForm(plan=plan, initial={"sector": request.GET.get("sector", "")})
    return _form_page(request, "plans/task_form.html", {"form": form, "plan": plan, "task": None})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    task = _of_plan_to_change(user, Task, pk, "lead")
    plan = task.plan
    if request.method == "POST":
        form = TaskForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                services.task_update(actor=Actor.from_request(request), task=task, partners=form.cleaned_data["partners"],
                                     description=form.cleaned_data["description"].strip(), **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Task saved."))
                return redirect(reverse("plan-detail", args=[plan.pk]) + f"#task-{task.pk}")
    else:
        form = TaskForm(plan=plan, initial={
            "description": task.description, "sector": task.sector, "lead": task.lead_id,
            "partners": list(task.partners.values_list("pk", flat=True)), "due_on": task.due_on,
            "due_period": task.due_period, "due_condition": task.due_condition, "status": task.status,
            "order": task.order})
    return _form_page(request, "plans/task_form.html", {"form": form, "plan": plan, "task": task})


@login_required
@require_http_methods(["GET", "POST"])
def task_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress note on a task, which may change its status."""
    user = request_user(request)
    task = _of_plan_to_change(user, Task, pk, "lead")
    if request.method == "POST":
        form = TaskNoteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.task_note_add(actor=Actor.from_request(request), task=task, text=data["text"], status=data["status"],
                                       written_on=data["written_on"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Progress note saved."))
                return redirect(reverse("plan-detail", args=[task.plan.pk]) + f"#task-{task.pk}")
    else:
        form = TaskNoteForm(initial={"status": task.status, "written_on": timezone.localdate()})
    notes = list(task.notes.select_related("by").order_by("-written_on", "-pk"))
    return _form_page(request, "plans/task_note.html", {"form": form, "task": task, "plan": task.plan,
                                                        "notes": notes})


# --- The indicator catalogue and the agencies --------------------------------------------------


@login_required
@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    """The indicator catalogue by field: how each value arises, aggregates and breaks down."""
    user = request_user(request)
    groups: dict[str, list[Indicator]] = defaultdict(list)
    indicators = list(Indicator.objects.all())
    # Officers read formulas in words; the codes and the queries are for administrators, who edit them.
    names = {indicator.code: indicator.name for indicator in indicators}
    parts = {(indicator.code, str(b.get("code", ""))): str(b.get("name", "")) for indicator in indicators
             for b in indicator.breakdowns or [] if isinstance(b, dict)}
    for indicator in indicators:
        indicator.formula_words = formulas.in_words(indicator.formula, names, parts)  # type: ignore[attr-defined]
        groups[indicator.sector].append(indicator)
    sectors = dict(Sector.choices)
    context = {
        "groups": [(code, sectors.get(code, code), groups[code])
                   for code in sorted(groups, key=lambda c: SECTOR_ORDER.get(c, 99))],
        "count": sum(len(items) for items in groups.values()),
        "is_officer": sentence_units(user).exists(),  # who may word the province's sentences
        "is_admin": Role.ADMIN in get_scope(user).roles,
    }
    return render(request, "plans/indicator_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agency_list(request: HttpRequest) -> HttpResponse:
    """The agencies of the units the user sees, and a form to add one (editing roles)."""
    user = request_user(request)
    can_add = _can_plan(user)
    form: AgencyForm | None = None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if "refresh" in request.POST:
            form = AgencyForm(user=user, initial=_refresh_initial(AgencyForm, request.POST))
        else:
            form = AgencyForm(request.POST, user=user)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    agency = services.agency_create(actor=Actor.from_request(request), unit=data["unit"], name=data["name"], kind=data["kind"],
                                                    symbol=data["symbol"].strip(),
                                                    short_name=data["short_name"].strip(), parent=data["parent"])
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("Agency %(name)s added.") % {"name": agency.name})
                    return redirect("agency-list")
    elif can_add:
        form = AgencyForm(user=user)
    query = request.GET.get("q", "").strip()
    agencies = (Agency.objects.filter(unit__in=units_for_user(user)).select_related("unit", "parent")
                .annotate(plan_count=Count("plans")).order_by("unit__level", "unit__sort_key", "name"))
    if query:
        agencies = agencies.filter(name__icontains=query)
    agencies_list = list(agencies)
    scope = get_scope(user)
    units = {a.unit_id: a.unit for a in agencies_list} if can_add else {}  # each unit's home once
    editable = {pk for pk, unit in units.items() if scope.can_change(current_home(unit))}
    context = {"agencies": agencies_list, "form": form, "can_add": can_add, "query": query, "editable": editable}
    return _form_page(request, "plans/agency_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename, retype or retire an agency of a unit the user may change (404 outside the user's
    units, 403 read-only)."""
    user = request_user(request)
    agency = Agency.objects.filter(pk=pk, unit__in=units_for_user(user)).select_related("unit", "parent").first()
    if agency is None:
        raise Http404
    if not get_scope(user).can_change(current_home(agency.unit)):
        raise PermissionDenied
    if request.method == "POST":
        form = AgencyEditForm(request.POST, agency=agency)
        if form.is_valid():
            try:
                services.agency_update(actor=Actor.from_request(request), agency=agency, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Agency %(name)s saved.") % {"name": agency.name})
                return redirect("agency-list")
    else:
        form = AgencyEditForm(agency=agency, initial={name: getattr(agency, name) for name in services.AGENCY_FIELDS})
    return _form_page(request, "plans/agency_form.html", {"form": form, "agency": agency})


__all__ = ["agency_edit", "agency_list", "indicator_list", "plan_create", "plan_detail", "plan_edit", "plan_list", "plan_targets",
           "target_revise", "task_create", "task_edit", "task_note"]
