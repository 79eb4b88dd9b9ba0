"""Web pages for moving households in as Excel: the import and its template. (The lists of poor
and near-poor households of a review round are in `ansinh.poverty.views.io`.)"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope, request_user
from ansinh.accounts.audit import Actor
from ansinh.households.access import register_change_check, require_register_editor
from ansinh.households.jobs import household_import_start
from ansinh.households.importer import HouseholdImportError, Problem, household_import, template_xlsx
from ansinh.lib.tabular import upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import format_number
from ansinh.web.shortcuts import download, editor

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
    require_register_editor(user)
    problems: list[Problem] = []
    error, checked = "", ""
    check = request.method == "POST" and request.POST.get("check") == "1"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the filled-in template (.xlsx) to import.")
        elif too_big := upload_limit_error(upload.size):
            error = too_big
        elif upload.size is not None and upload.size > settings.ANSINH_IMPORT_BACKGROUND_BYTES:
            # A large file: the background worker reads it, its page shows progress and problems.
            units = get_scope(user).units
            job = household_import_start(actor=Actor.from_request(request), upload=upload,
                                         unit=units[0] if units else None, check=check)
            return redirect("job-detail", job.pk)
        else:
            try:
                result = household_import(actor=Actor.from_request(request), data=upload.read(),
                                          allowed=register_change_check(user), name=upload.name or "", dry_run=check)
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
