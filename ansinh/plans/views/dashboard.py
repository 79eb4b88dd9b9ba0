"""The leader's dashboard: where the unit stands against each target this period, the units
below that lag behind, overdue tasks, late and missing reports, and the poverty headline.

1. The unit: ?unit=ID, else the plan's unit (?plan=ID), else the user's own unit.
2. The plan: ?plan=ID, else the unit's current plan: the latest plan, up to this year, whose home
   is the unit or, failing that, the nearest unit above it (a commune follows the province's).
3. The period: the latest quarter of the plan's year that has started. Figures are the year so
   far (`results.compute(..., year_to_date=True)`: 1 January to the quarter's end), against the
   year's target and the pace expected by the end of that quarter (Q3 → 75 %).

A constant number of queries whatever the number of units: one `results.compute` (set-based),
one timeliness table, one list of tasks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ansinh.accounts.access import get_scope, request_user
from ansinh.accounts.models import EDITING_ROLES, User
from ansinh.geo.models import Level, Unit
from ansinh.plans import reporting_forms, results
from ansinh.plans.access import covers_unit, get_plan_for_user, plans_for_user
from ansinh.plans.models import OPEN_TASK_STATUSES, SECTOR_ORDER, Aggregation, Indicator, OverTime, Plan, Source, Task
from ansinh.plans.periods import Period
from ansinh.plans.services import Timeliness
from ansinh.plans.views.reporting import int_param, maybe_url, source_of, source_label, timeliness_rows

LAGGING_SHOWN = 5  # lagging units named per indicator; the rest are counted
PLANS_OFFERED = 50
BEHIND_SHOWN = 10  # late or missing units named; the rest are counted, all on the reports page


@dataclass
class TargetLine:
    indicator: Indicator
    value: float | None
    target: float
    percent: float | None
    expected: float | None  # the pace for a yearly flow; None for a stock or a rate
    lagging: bool
    source: str
    source_label: str
    lagging_units: list[results.Node]
    lagging_more: int
    results_url: str


@dataclass
class OverdueTask:
    task: Task
    due: dt.date
    days: int


def _pick_unit(user: User, requested: int | None) -> Unit | None:
    scope = get_scope(user)
    if requested is not None:
        unit = Unit.objects.filter(pk=requested, level__lte=Level.COMMUNE).first()
        if unit is None or not covers_unit(scope, unit):
            raise Http404
        return unit
    if scope.assignments:
        return min(scope.assignments, key=lambda a: a.unit.level).unit
    return None


def current_plan(user: User, unit: Unit, today: dt.date) -> Plan | None:
    """The latest plan (up to this year) whose home is the unit or, failing that, the nearest unit above."""
    homes = [*unit.ancestor_ids(), unit.pk]
    depth = {pk: index for index, pk in enumerate(homes)}
    plans = list(plans_for_user(user).filter(home_id__in=homes).select_related("agency", "unit", "home"))
    if not plans:
        return None
    return max(plans, key=lambda p: (depth[p.home_id], p.year <= today.year, p.year if p.year <= today.year
                                     else -p.year, p.issued_on or dt.date.min, p.pk))


def _root(plan: Plan, unit: Unit) -> Unit:
    """The unit whose figures are shown: the plan's own unit (a legacy one, for an old plan) when
    the dashboard is on the plan's home."""
    return plan.unit if unit.pk == plan.home_id else unit


def target_lines(figures: results.Results, root: Unit, base: dict[str, str], plan: Plan) -> list[TargetLine]:
    lines = []
    children = figures.child_nodes(root.pk)
    for (code, breakdown), target in figures.targets.get(root.pk, {}).items():
        indicator = figures.indicators.get(code)
        if breakdown or indicator is None:
            continue
        flow = indicator.over_time == OverTime.FLOW and indicator.aggregation == Aggregation.SUM
        behind = [n for n in children if figures.lagging(n.id, code)]
        source = source_of(figures, root.pk, indicator)
        lines.append(TargetLine(
            indicator=indicator, value=figures.value(root.pk, code), target=target,
            percent=figures.percent(root.pk, code), expected=figures.expected_share() if flow else None,
            lagging=figures.lagging(root.pk, code), source=source, source_label=source_label(source),
            lagging_units=behind[:LAGGING_SHOWN], lagging_more=max(0, len(behind) - LAGGING_SHOWN),
            results_url=reverse("plan-results", args=[plan.pk]) + "?" + urlencode(
                {**base, "unit": str(root.pk), "drill": code}) + "#drill"))
    return sorted(lines, key=lambda t: (SECTOR_ORDER.get(t.indicator.sector, 99), t.indicator.order))


def overdue_tasks(plan: Plan, today: dt.date) -> list[OverdueTask]:
    """Open or started tasks whose due date (or the end of their due period) has passed."""
    tasks = Task.objects.filter(plan=plan, status__in=OPEN_TASK_STATUSES).filter(
        Q(due_on__isnull=False) | ~Q(due_period="")).select_related("lead")
    out = []
    for task in tasks:
        due = task.due_date()
        if due is not None and due < today:
            out.append(OverdueTask(task=task, due=due, days=(today - due).days))
    return sorted(out, key=lambda o: (o.due, o.task.order))


def poverty_headline(figures: results.Results, root: Unit) -> dict[str, Any] | None:
    """Poor and near-poor households and rates, when counted from the household registry."""
    uid = root.pk
    if figures.source(uid, "poor_households") != Source.COUNTED:
        return None
    return {
        "households": figures.value(uid, "households"),
        "poor": figures.value(uid, "poor_households"),
        "near_poor": figures.value(uid, "near_poor_households"),
        "poor_rate": figures.value(uid, "poor_rate"),
        "near_poor_rate": figures.value(uid, "near_poor_rate"),
        "note": figures.notes.get("poor_households", ""),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    plan_pk, unit_pk = int_param(request.GET.get("plan")), int_param(request.GET.get("unit"))
    plan = get_plan_for_user(user, plan_pk) if plan_pk is not None else None
    scope = get_scope(user)
    if plan is not None and unit_pk is None:
        unit = plan.home if covers_unit(scope, plan.home) else _pick_unit(user, None)
    else:
        unit = _pick_unit(user, unit_pk)
    if plan is None and unit is not None:
        plan = current_plan(user, unit, today)
    context: dict[str, Any] = {
        "unit": unit, "plan": plan, "today": today,
        "plans": list(plans_for_user(user).select_related("unit")[:PLANS_OFFERED]),
        # Only those who may enter a plan are offered to (a viewer would meet a 403).
        "plan_list_url": maybe_url("plan-list"),
        "plan_create_url": maybe_url("plan-create") if scope.roles & EDITING_ROLES else None,
    }
    if plan is None or unit is None:
        return render(request, "plans/reporting/dashboard.html", context)
    root = _root(plan, unit)
    quarter = reporting_forms.current_period(plan.year, today)
    if quarter.kind == "year":
        quarter = Period(plan.year, "quarter", 4)
    # The year so far (1 January to the quarter's end), paced at the end of the quarter.
    figures = results.compute(root, quarter, plan, with_previous=False, year_to_date=True)
    base = {"period": str(plan.year)}
    due = reporting_forms.latest_due(plan, today)
    rows, counts = timeliness_rows(user, plan, due, today)
    tasks = overdue_tasks(plan, today)
    lines = target_lines(figures, root, base, plan)
    # missing ones first (nothing received yet), then the late ones
    behind = sorted((r for r in rows if r.row.state in (Timeliness.LATE, Timeliness.MISSING)),
                    key=lambda r: r.row.state != Timeliness.MISSING)
    context.update({
        "root": root,
        "quarter_label": quarter.label(),
        "expected": figures.expected_share(),
        "lines": lines,
        "lagging_count": sum(1 for line in lines if line.lagging),
        "tasks": tasks,
        "due_period": due,
        "due_label": due.label(),
        "due_deadline": due.deadline(plan.deadlines),
        "counts": counts,
        "behind": behind,
        "behind_shown": behind[:BEHIND_SHOWN],
        "behind_more": max(0, len(behind) - BEHIND_SHOWN),
        "poverty": poverty_headline(figures, root),
        "results_url": reverse("plan-results", args=[plan.pk]) + "?" + urlencode({**base, "unit": str(root.pk)}),
        "list_url": reverse("submission-list", args=[plan.pk]) + "?" + urlencode({"period": due.key}),
        "plan_url": maybe_url("plan-detail", plan.pk),
    })
    return render(request, "plans/reporting/dashboard.html", context)
