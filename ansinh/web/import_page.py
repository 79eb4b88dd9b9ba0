"""The page of an all-or-nothing import: the upload form (`includes/import_form.html`), "check
only", every problem by sheet, row and column (`includes/import_report.html`), nothing written
unless the whole file is right, the upload size limit checked before the file is read, and a
file larger than settings.ANSINH_IMPORT_BACKGROUND_BYTES handed to the background worker when
the page has a job for it (its page then shows the progress and the problems)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ansinh.lib.tabular import ImportProblems, Problem, upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import format_number

SHOWN_PROBLEMS = 1_000  # a page of more errors helps nobody: fix these, import again
Result = TypeVar("Result")


def import_page(request: HttpRequest, *, template: str, run: Callable[[bytes, str, bool], Result],
                checked: Callable[[Result], str], done: Callable[[Result], str], done_url: Callable[[], str],
                background: Callable[[UploadedFile, bool], Any] | None = None,
                context: dict[str, Any] | None = None) -> HttpResponse:
    """`run(data, file name, check only)` imports the file (or only checks it) and returns what it
    did, or raises ImportProblems; `checked(result)` and `done(result)` are what the officer is
    told; a done import redirects to `done_url()`. `background(upload, check only)` starts the job
    of a large file and returns it (the officer is sent to its page)."""
    problems: list[Problem] = []
    error, said = "", ""
    check = request.method == "POST" and request.POST.get("check") == "1"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the filled-in template (.xlsx) to import.")
        elif too_big := upload_limit_error(upload.size):
            error = too_big
        elif background is not None and (upload.size or 0) > settings.ANSINH_IMPORT_BACKGROUND_BYTES:
            return redirect("job-detail", background(upload, check).pk)
        else:
            try:
                result = run(upload.read(), upload.name or "", check)
            except ImportProblems as refused:
                problems = refused.problems
            else:
                if not check:
                    messages.success(request, done(result))
                    return redirect(done_url())
                said = checked(result)
    return render(request, template, {
        **(context or {}), "problems": problems[:SHOWN_PROBLEMS], "problem_count": len(problems),
        "more": max(0, len(problems) - SHOWN_PROBLEMS), "error": error, "check": check, "checked": said,
        "max_upload_mb": format_number(upload_max_bytes() / (1024 * 1024))},
        status=400 if problems or error else 200)


__all__ = ["SHOWN_PROBLEMS", "import_page"]
