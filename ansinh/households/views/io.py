"""Web pages for moving households in as Excel: the import and its template. (The lists of poor
and near-poor households of a review round are in `ansinh.poverty.views.io`.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.households.access import register_change_check, require_register_editor
from ansinh.households.importer import ImportResult, household_import, template_xlsx
from ansinh.households.jobs import household_import_start
from ansinh.jobs.models import Job
from ansinh.lib.vietnamese import format_number
from ansinh.web.import_page import import_page
from ansinh.web.shortcuts import download, editor


def _household_list_url() -> str:
    try:
        return reverse("household-list")
    except NoReverseMatch:  # the household list page ships with the households UI
        return "/households/"


@login_required
@require_http_methods(["GET", "POST"])
def household_import_view(request: HttpRequest) -> HttpResponse:
    """Upload the filled template; every problem is listed by sheet, row and column, and nothing
    is written unless the whole file is right (`web.import_page`; a large file goes to the
    background worker, whose page shows progress and problems)."""
    user = editor(request)
    require_register_editor(user)
    actor = Actor.from_request(request)

    def run(data: bytes, name: str, check: bool) -> ImportResult:
        return household_import(actor=actor, data=data, allowed=register_change_check(user), name=name,
                                dry_run=check)

    def background(upload: UploadedFile, check: bool) -> Job:
        units = get_scope(user).units
        return household_import_start(actor=actor, upload=upload, unit=units[0] if units else None, check=check)

    def counts(result: ImportResult) -> dict[str, str]:
        return {"households": format_number(result.households), "members": format_number(result.members),
                "conditions": format_number(result.conditions), "file": result.file}

    return import_page(
        request, template="households/import.html", run=run, background=background, done_url=_household_list_url,
        checked=lambda result: _(
            "The file is valid; nothing was written: it holds %(households)s households, %(members)s "
            "members and %(conditions)s living-conditions records.") % counts(result),
        done=lambda result: _(
            "Imported %(households)s households, %(members)s members and %(conditions)s living-conditions "
            "records from %(file)s.") % counts(result))


@login_required
@require_GET
def household_template(request: HttpRequest) -> HttpResponse:
    """The blank template, or with ?sample=1 five sample households to try."""
    sample = request.GET.get("sample") == "1"
    name = "mau-nhap-ho-gia-dinh-vi-du.xlsx" if sample else "mau-nhap-ho-gia-dinh.xlsx"
    return download(template_xlsx(sample=sample), name)
