"""The page of an all-or-nothing import run in the request (a book the size of a commune's or a
province's year): the upload form (`includes/import_form.html`), "check only", every problem by
sheet, row and column (`includes/import_report.html`), nothing written unless the whole file is
right, the upload size limit checked before the file is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ansinh.lib.tabular import ImportProblems, Problem, upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import format_number

SHOWN_PROBLEMS = 200


def import_page(request: HttpRequest, *, template: str, run: Callable[[bytes, str, bool], int],
                checked: Callable[[int], str], done: Callable[[int], str], done_url: str,
                context: dict[str, Any] | None = None) -> HttpResponse:
    """`run(data, file name, check only)` imports the file (or only checks it) and returns how many
    records it holds, or raises ImportProblems; `checked(n)` and `done(n)` are what the officer is
    told; a done import redirects to `done_url`."""
    problems: list[Problem] = []
    error, said = "", ""
    check = request.method == "POST" and request.POST.get("check") == "1"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the filled-in template (.xlsx) to import.")
        elif too_big := upload_limit_error(upload.size):
            error = too_big
        else:
            try:
                count = run(upload.read(), upload.name or "", check)
            except ImportProblems as refused:
                problems = refused.problems
            else:
                if not check:
                    messages.success(request, done(count))
                    return redirect(done_url)
                said = checked(count)
    return render(request, template, {
        **(context or {}), "problems": problems[:SHOWN_PROBLEMS], "problem_count": len(problems),
        "more": max(0, len(problems) - SHOWN_PROBLEMS), "error": error, "check": check, "checked": said,
        "max_upload_mb": format_number(upload_max_bytes() / (1024 * 1024))},
        status=400 if problems or error else 200)


__all__ = ["SHOWN_PROBLEMS", "import_page"]
