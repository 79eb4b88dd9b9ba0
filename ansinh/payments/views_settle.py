"""Pages of the settle part: signed lists (exports), the paying agent's results (upload, template),
suspension proposals (list, decide). Scope through `payments.access`; bad parameters answer a
clear message or 404, never 500."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Level, Unit
from ansinh.lib.tabular import Problem, upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import format_number
from ansinh.web.shortcuts import download

from . import access, lists, suspensions
from .models import Package, PackageState, Payroll, PayrollLine, PayrollState, SuspensionStatus
from .results import ResultsError, apply_results, results_template_csv, results_template_xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHOWN_PROBLEMS = 200
FORMATS = ("xlsx", "docx")


def _int(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise Http404 from None
    if number <= 0 or number > 2 ** 62:
        raise Http404
    return number


def _child(parent: Unit, pk: int | None, level: int) -> Unit | None:
    """A unit of `level` inside `parent`, or 404."""
    if pk is None:
        return None
    found = Unit.objects.subtree(parent).filter(pk=pk, level=level).first()
    if found is None:
        raise Http404
    return found


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _detail_url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # the other lane's pages are not installed
        return ""


# --- Exports ---------------------------------------------------------------------------------


@login_required
@require_GET
def payroll_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    payroll = access.get_payroll_for_user(user, pk)
    fmt = _format(request)
    hamlet = _child(payroll.commune, _int(request.GET.get("hamlet")), Level.HAMLET)
    if fmt == "docx":
        content, kind = lists.payroll_docx(payroll, hamlet=hamlet, user=user), DOCX
    else:
        content, kind = lists.payroll_xlsx(payroll, hamlet=hamlet, user=user), lists_xlsx_type()
    return download(content, lists.export_name("payroll", payroll, fmt, unit=hamlet), kind)


def lists_xlsx_type() -> str:
    from ansinh.web.shortcuts import XLSX

    return XLSX


@login_required
@require_GET
def package_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    package = access.get_package_for_user(user, pk)
    fmt = _format(request)
    commune = _child(package.unit, _int(request.GET.get("commune")), Level.COMMUNE)
    if commune is None and package.unit.level == Level.COMMUNE:
        commune = package.unit
    hamlet = _child(commune or package.unit, _int(request.GET.get("hamlet")), Level.HAMLET)
    if commune is None and hamlet is not None and hamlet.parent_id:
        commune = Unit.objects.get(pk=hamlet.parent_id)
    if fmt == "docx":
        content, kind = lists.package_docx(package, commune=commune, hamlet=hamlet, user=user), DOCX
    else:
        content, kind = lists.package_xlsx(package, commune=commune, hamlet=hamlet, user=user), lists_xlsx_type()
    return download(content, lists.export_name("package", package, fmt, unit=hamlet or commune), kind)


# --- Results ---------------------------------------------------------------------------------


def _upload(request: HttpRequest, *, payroll: Payroll | None, package: Package | None, ready: bool,
            not_ready: str, back: str) -> HttpResponse:
    problems: list[Problem] = []
    error, checked = "", ""
    check = request.method == "POST" and request.POST.get("check") == "1"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if not ready:
            error = not_ready
        elif upload is None:
            error = _("Choose the result file (.xlsx or .csv) to upload.")
        elif too_big := upload_limit_error(upload.size):
            error = too_big
        elif (upload.size or 0) > int(getattr(settings, "ANSINH_IMPORT_BACKGROUND_BYTES", 2 * 1024 * 1024)) \
                and not check:
            from .jobs_settle import results_import_start

            job = results_import_start(actor=Actor.from_request(request), upload=upload, payroll=payroll,
                                       package=package)
            return redirect("job-detail", job.pk)
        else:
            try:
                result = apply_results(upload.read(), actor=Actor.from_request(request), payroll=payroll,
                                       package=package, name=upload.name or "", dry_run=check)
            except ResultsError as exc:
                problems = exc.problems
            else:
                figures = {"n": format_number(result.rows), "paid": format_number(result.paid),
                           "partly": format_number(result.partly), "not_paid": format_number(result.not_paid),
                           "amount": format_number(result.amount_paid)}
                if check:
                    checked = _("The file holds the results of %(n)s lines: %(paid)s paid, %(partly)s partly paid, "
                                "%(not_paid)s not paid.") % figures
                else:
                    messages.success(request, _("Results of %(n)s lines recorded: %(paid)s paid, %(partly)s partly "
                                                "paid, %(not_paid)s not paid; %(amount)s VND paid.") % figures)
                    return redirect(back or request.path)
    context = {
        "payroll": payroll, "package": package, "ready": ready, "not_ready": not_ready, "back": back,
        "problems": problems[:SHOWN_PROBLEMS], "problem_count": len(problems),
        "more": max(0, len(problems) - SHOWN_PROBLEMS), "error": error, "check": check, "checked": checked,
        "max_upload_mb": format_number(upload_max_bytes() // (1024 * 1024)),
    }
    return render(request, "payments/results_upload.html", context, status=400 if problems or error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def payment_results_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    payroll = access.get_payroll_for_user(user, pk)
    if not access.may_prepare_payroll(user, payroll.commune, payroll.field):
        raise PermissionDenied
    ready = payroll.state == PayrollState.SENT
    not_ready = _("Results are recorded once the payroll is sent to the paying agent; this one is %(state)s.") % {
        "state": payroll.get_state_display()}
    return _upload(request, payroll=payroll, package=None, ready=ready, not_ready=not_ready,
                   back=_detail_url("payroll-detail", payroll.pk))


@login_required
@require_http_methods(["GET", "POST"])
def package_results_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    package = access.get_package_for_user(user, pk)
    if not access.may_run_package(user, package.unit, package.field):
        raise PermissionDenied
    ready = package.state in (PackageState.FROZEN, PackageState.RECONCILED)
    not_ready = _("Results are recorded once the package's list is frozen.")
    return _upload(request, payroll=None, package=package, ready=ready, not_ready=not_ready,
                   back=_detail_url("package-detail", package.pk))


@login_required
@require_GET
def payment_results_template(request: HttpRequest) -> HttpResponse:
    """The blank template, or prefilled with a payroll's (or a package's) lines still pending."""
    user = request_user(request)
    if request.GET.get("format") == "csv":
        return download(results_template_csv(), "mau-ket-qua-chi-tra.csv", "text/csv; charset=utf-8")
    lines: Any = ()
    name = "mau-ket-qua-chi-tra.xlsx"
    if (payroll_pk := _int(request.GET.get("payroll"))) is not None:
        payroll = access.get_payroll_for_user(user, payroll_pk)
        lines = PayrollLine.objects.filter(payroll=payroll, status="pending").select_related("person").order_by(
            "hamlet__name", "person__search_name", "pk")
        name = f"ket-qua-chi-tra-{payroll.commune.code}-{payroll.month:%Y-%m}.xlsx"
    elif (package_pk := _int(request.GET.get("package"))) is not None:
        package = access.get_package_for_user(user, package_pk)
        lines = access.package_lines_for_user(user).filter(package=package, status="pending").select_related(
            "person").order_by("commune__sort_key", "hamlet__name", "pk")
        name = f"ket-qua-chi-tra-goi-{package.pk}.xlsx"
    return download(results_template_xlsx(lines), name)


# --- Suspensions -----------------------------------------------------------------------------


@login_required
@require_GET
def suspension_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    status = request.GET.get("status", SuspensionStatus.PROPOSED)
    if status not in (*SuspensionStatus.values, "all"):
        status = SuspensionStatus.PROPOSED
    found = suspensions.proposals_for_user(user).select_related("person", "commune", "decided_by")
    counts = {s: found.filter(status=s).count() for s in SuspensionStatus.values}
    if status != "all":
        found = found.filter(status=status)
    page = Paginator(found.order_by("commune__sort_key", "person__search_name", "pk"), 50).get_page(
        request.GET.get("page"))
    rows = [(p, suspensions.may_decide(user, p)) for p in page.object_list]
    return render(request, "payments/suspension_list.html", {
        "page": page, "rows": rows, "status": status, "counts": counts, "statuses": SuspensionStatus.choices})


@login_required
@require_POST
def suspension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    proposal = suspensions.proposals_for_user(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    if not suspensions.may_decide(user, proposal):
        raise PermissionDenied
    decision, note = request.POST.get("decision"), request.POST.get("note", "")
    try:
        if decision == "confirm":
            suspensions.confirm(proposal, actor=Actor.from_request(request), note=note)
            messages.success(request, _("The allowance of %(name)s is suspended from %(month)s.") % {
                "name": proposal.person.full_name, "month": f"{proposal.from_month:%m/%Y}"})
        elif decision == "dismiss":
            suspensions.dismiss(proposal, actor=Actor.from_request(request), note=note)
            messages.success(request, _("The proposal for %(name)s is dismissed: the allowance goes on.") % {
                "name": proposal.person.full_name})
        else:
            messages.error(request, _("Choose to confirm or to dismiss the proposal."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("suspension-list") + "?status=" + SuspensionStatus.PROPOSED)


__all__ = ["package_export", "package_results_upload", "payment_results_template", "payment_results_upload",
           "payroll_export", "suspension_decide", "suspension_list"]

