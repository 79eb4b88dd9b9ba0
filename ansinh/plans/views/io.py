"""Web pages for plans and periodic forms as Excel: the plan import (with its template) and the
unit's form (download to fill, upload to save).

Access: a plan is imported by someone who may change its unit's data (`can_change` on the
plan's current-map home: in practice provincial officers and administrators for a province's
plan); a form is downloaded and imported by someone who may edit the reporting unit's data.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts.access import get_scope, request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.geo.models import Level, Unit, current_home
from ansinh.lib.tabular import upload_limit_error, upload_max_bytes
from ansinh.plans.access import form_units, get_plan_for_user, plans_for_user
from ansinh.lib.vietnamese import fold, format_number
from ansinh.plans.importer import ImportProblems, Problem, plan_import, plan_xlsx, template_xlsx
from ansinh.plans.models import Plan
from ansinh.plans.periods import Kind, Period, periods_of_year
from ansinh.plans.submission_io import submission_import, submission_template_xlsx, template_name
from ansinh.web.shortcuts import download, editor, int_param, unit_param

SHOWN_PROBLEMS = 500


def _url(name: str, pk: int, fallback: str) -> str:
    """A page of another part of the plans app (its URL names are agreed; the page may ship later)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return fallback


def _upload_error(request: HttpRequest) -> tuple[bytes | None, str, str]:
    upload = request.FILES.get("file")
    if upload is None:
        return None, "", _("Choose the filled-in workbook (.xlsx) to import.")
    if too_big := upload_limit_error(upload.size):
        return None, "", too_big
    return upload.read(), upload.name or "", ""


def _upload_mb() -> str:
    return format_number(upload_max_bytes() / (1024 * 1024))


def _problems_context(problems: list[Problem]) -> dict[str, object]:
    return {"problems": problems[:SHOWN_PROBLEMS], "problem_count": len(problems),
            "more": max(0, len(problems) - SHOWN_PROBLEMS)}


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled plan workbook; "check only" runs every check and writes nothing. Every
    problem is listed by sheet, row and column; a plan of a unit outside the user's editing
    scope is refused (403)."""
    user = editor(request)
    plan = _plan_param(request, user)
    problems: list[Problem] = []
    error, report, checked = "", [], False
    replace = request.POST.get("replace") == "1" if request.method == "POST" else plan is not None
    check = request.method == "POST" and request.POST.get("check") == "1"
    if request.method == "POST":
        data, name, error = _upload_error(request)
        if data is not None:
            try:
                result = plan_import(actor=Actor.from_request(request), data=data, name=name, allowed=get_scope(user).can_change,
                                     replace=replace, dry_run=check)
            except ImportProblems as exc:
                problems = exc.problems
            else:
                if check:
                    report, checked = result.lines(), True
                else:
                    assert result.plan_id is not None
                    messages.success(request, _(
                        "Imported plan %(number)s: %(targets)s targets, %(tasks)s new tasks.") % {
                            "number": result.number, "targets": format_number(result.targets),
                            "tasks": format_number(result.tasks_new)})
                    for warning in result.split_warnings + result.warnings:
                        messages.warning(request, warning)
                    return redirect(_url("plan-detail", result.plan_id, f"/plans/{result.plan_id}/"))
    context = {"plan": plan, "error": error, "report": report, "checked": checked, "replace": replace, "check": check,
               "max_upload_mb": _upload_mb(), **_problems_context(problems)}
    return render(request, "plans/io/plan_import.html", context, status=400 if problems or error else 200)


@login_required
@require_GET
def plan_template(request: HttpRequest) -> HttpResponse:
    """The blank plan workbook, with the department's indicator catalogue; ?plan=ID: that plan's
    workbook, filled with what it holds (to edit and import again as an update)."""
    user = request_user(request)
    if request.GET.get("plan"):
        plan = _plan_param(request, user)
        assert plan is not None
        return download(plan_xlsx(plan), f"ke-hoach-{slugify(fold(plan.number)) or plan.pk}-{plan.year}.xlsx")
    return download(template_xlsx(), "mau-ke-hoach.xlsx")


def _plan_param(request: HttpRequest, user: User) -> Plan | None:
    """The plan of ?plan=ID, if the user may see it (else 404)."""
    pk = int_param(request, "plan", not_found=True)
    return None if pk is None else get_plan_for_user(user, pk)


def _form_target(request: HttpRequest, user: User, plan: Plan) -> tuple[Unit, Period]:
    """The unit (?unit=ID, default the plan's own) and period (?period=KEY) of a form download."""
    unit = unit_param(request, user, plan.unit)
    if not unit.path.startswith(plan.unit.path) or unit.edition != plan.unit.edition or unit.level > Level.COMMUNE:
        raise Http404
    try:
        period = Period.parse(request.GET.get("period", ""))
    except ValidationError:
        raise _BadRequest(_("Give the period: 2025-Q1, 2025-H1, 2025 or 2025-03.")) from None
    if period.year != plan.year:
        raise _BadRequest(_("The period must be in the plan's year %(year)d.") % {"year": plan.year})
    return unit, period


class _BadRequest(Exception):
    pass


@login_required
@require_GET
def submission_template(request: HttpRequest, pk: int) -> HttpResponse:
    """?unit=ID&period=KEY: the unit's form for the period, filled with what it already holds;
    for those who may edit the unit's data."""
    user = request_user(request)
    plan = get_plan_for_user(user, pk)
    try:
        unit, period = _form_target(request, user, plan)
    except _BadRequest as error:
        return HttpResponseBadRequest(str(error))
    if not get_scope(user).can_change(current_home(unit)):
        raise PermissionDenied
    return download(submission_template_xlsx(plan, unit, period), template_name(plan, unit, period))


@login_required
@require_http_methods(["GET", "POST"])
def submission_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled form: its header names the plan, unit and period; the figures replace the
    draft's (a submitted or approved form is refused). ?plan=ID offers the forms to download."""
    user = editor(request)
    plan = _plan_param(request, user)
    problems: list[Problem] = []
    error, report, checked = "", [], False
    submit = request.method == "POST" and request.POST.get("submit") == "1"
    check = request.method == "POST" and request.POST.get("check") == "1"
    if request.method == "POST":
        data, name, error = _upload_error(request)
        if data is not None:
            try:
                result = submission_import(actor=Actor.from_request(request), data=data, name=name,
                                           allowed=get_scope(user).can_change,
                                           plans=plans_for_user(user), submit=submit and not check, dry_run=check)
            except ImportProblems as exc:
                problems = exc.problems
            else:
                if check:
                    report, checked = result.lines(), True
                else:
                    messages.success(request, _(
                        "Saved %(count)s figures in the form of %(unit)s for %(period)s.") % {
                            "count": format_number(result.values), "unit": result.unit,
                            "period": Period.parse(result.period).label_vi()})
                    if result.submitted:
                        messages.success(request, _("The form has been submitted to the unit above."))
                    return redirect(_url("submission-detail", result.submission_id,
                                         f"/plans/submissions/{result.submission_id}/"))
    context = {"plan": plan, "units": form_units(user, plan) if plan is not None else [],
               "periods": _periods(plan) if plan is not None else [], "error": error, "submit": submit,
               "check": check, "report": report, "checked": checked,
               "max_upload_mb": _upload_mb(), **_problems_context(problems)}
    return render(request, "plans/io/submission_import.html", context, status=400 if problems or error else 200)


def _periods(plan: Plan) -> list[tuple[str, str]]:
    """The periods of the plan's year, quarters first (the usual form)."""
    kinds: tuple[Kind, ...] = ("quarter", "half", "year", "month")
    return [(p.key, p.label_vi()) for kind in kinds for p in periods_of_year(plan.year, kind)]
