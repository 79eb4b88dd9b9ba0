"""Web pages for moving households in and out as Excel: the import (with its template) and the
lists of poor and near-poor households of a review round."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts import audit
from ansinh.accounts.access import (
    assessments_for_user,
    get_round_for_user,
    get_scope,
    request_user,
)
from ansinh.geo.models import Level
from ansinh.lib.tabular import upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import format_number
from ansinh.web.shortcuts import download, editor, unit_param

from .exports import TITLES, household_list_file
from .importer import HouseholdImportError, Problem, household_import, template_xlsx

SHOWN_PROBLEMS = 1_000  # a page of more errors helps nobody: fix these, import again


def _household_list_url() -> str:
    try:
        return reverse("household-list")
    except NoReverseMatch:  # the household list page ships with the households UI
        return "/households/"


@login_required
@require_http_methods(["GET", "POST"])
def household_import_view(request: HttpRequest) -> HttpResponse:
    """Upload the filled template; every problem is listed by sheet, row and column, and nothing
    is written unless the whole file is right."""
    user = editor(request)
    problems: list[Problem] = []
    error, checked = "", ""
    check = request.method == "POST" and request.POST.get("check") == "1"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the filled-in template (.xlsx) to import.")
        elif too_big := upload_limit_error(upload.size):
            error = too_big
        else:
            try:
                result = household_import(actor=user, data=upload.read(), ip=audit.client_ip(request),
                                          allowed=get_scope(user).can_change, name=upload.name or "", dry_run=check)
            except HouseholdImportError as exc:
                problems = exc.problems
            else:
                if check:
                    checked = _(
                        "The file is valid; nothing was written: it holds %(households)s households, %(members)s "
                        "members and %(conditions)s living-conditions records.") % {
                            "households": format_number(result.households), "members": format_number(result.members),
                            "conditions": format_number(result.conditions)}
                    return render(request, "households/import.html", {
                        "checked": checked, "check": check, "max_upload_mb": _upload_mb()})
                messages.success(request, _(
                    "Imported %(households)s households, %(members)s members and %(conditions)s living-conditions "
                    "records from %(file)s.") % {
                        "households": format_number(result.households), "members": format_number(result.members),
                        "conditions": format_number(result.conditions), "file": result.file})
                return redirect(_household_list_url())
    context = {
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "more": max(0, len(problems) - SHOWN_PROBLEMS),
        "error": error,
        "check": check,
        "max_upload_mb": _upload_mb(),
    }
    return render(request, "households/import.html", context, status=400 if problems or error else 200)


def _upload_mb() -> str:
    return format_number(upload_max_bytes() / (1024 * 1024))


@login_required
@require_GET
def household_template(request: HttpRequest) -> HttpResponse:
    """The blank template, or with ?sample=1 five sample households to try."""
    sample = request.GET.get("sample") == "1"
    name = "mau-nhap-ho-gia-dinh-vi-du.xlsx" if sample else "mau-nhap-ho-gia-dinh.xlsx"
    return download(template_xlsx(sample=sample), name)


@login_required
@require_GET
def round_list_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    """?status=poor|near_poor&unit=<id>: the list of a round for a unit (the round's own by
    default); only the households the user may see are in it."""
    user = request_user(request)
    round_ = get_round_for_user(user, round_id)
    status = request.GET.get("status", "poor")
    if status not in TITLES:
        return HttpResponseBadRequest("status must be poor or near_poor")
    unit = unit_param(request, user, round_.unit)
    if request.GET.get("unit") and (not unit.path.startswith(round_.unit.path)
                                    or unit.level not in (Level.PROVINCE, Level.COMMUNE)):
        raise Http404
    found = household_list_file(round=round_, assessments=assessments_for_user(user), status=status, unit=unit)
    # Lists of named households leave the system: log who took which (Decree 13/2023/NĐ-CP, Art. 27).
    # Built first, so the (write-locking) transaction holds only the audit row.
    with transaction.atomic():
        audit.record(actor=user, action="households.list_export", obj=round_, unit=unit, ip=audit.client_ip(request),
                     after={"status": status, "unit": unit.code, "households": found.rows})
    return download(found.content, found.filename)
