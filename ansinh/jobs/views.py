"""A background job's page, its progress partial (polled by htmx while it runs), its retry and its file.

Without JavaScript the pages still work: the partial carries a link that reloads the page.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ansinh.accounts.access import get_scope, request_user
from ansinh.accounts.models import Role
from ansinh.accounts.audit import Actor

from . import services
from .access import get_job_for_user
from .models import Job, JobStatus

PAGE = 50


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The background jobs a person started, newest first (imports, review rounds, payrolls,
    packages of reports…), so that a job left running can be found again. Administrators may see
    everyone's (`?who=all`), the system's own included. Each row links to the job's page, which
    checks the job's record is still in the person's scope."""
    user = request_user(request)
    is_admin = Role.ADMIN in get_scope(user).roles
    who = "all" if is_admin and request.GET.get("who") == "all" else "mine"
    status = request.GET.get("status", "")
    if status not in JobStatus.values:
        status = ""
    found = Job.objects.all() if who == "all" else Job.objects.filter(started_by=user)
    if status:
        found = found.filter(status=status)
    page = Paginator(found.select_related("unit", "started_by").order_by("-created_at", "-pk"), PAGE).get_page(
        request.GET.get("page"))
    panels = [services.job_panel(job, user) for job in page.object_list]
    query = urlencode({k: v for k, v in {"who": who if who == "all" else "", "status": status}.items() if v})
    return render(request, "jobs/job_list.html", {
        "page": page, "panels": panels, "who": who, "status": status, "statuses": JobStatus.choices,
        "is_admin": is_admin, "f": {"query": query}, "total": page.paginator.count})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    job = get_job_for_user(user, pk)
    if job.status == JobStatus.RUNNING:
        services.recover_lost_jobs(job=job)
        job.refresh_from_db()
    return render(request, "jobs/job_detail.html", {"panel": services.job_panel(job, user)})


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial; htmx swaps it in every two seconds while the job waits or runs."""
    user = request_user(request)
    job = get_job_for_user(user, pk)
    if job.status == JobStatus.RUNNING:
        services.recover_lost_jobs(job=job)
        job.refresh_from_db()
    panel = services.job_panel(job, user)
    response = render(request, "jobs/_job.html",
                      {"panel": panel, "page_url": _page_url(request, job.get_absolute_url())})
    if request.GET.get("poll") and job.status == JobStatus.SUCCEEDED and panel.reload_on_success:
        response["HX-Refresh"] = "true"  # the page's own tables show the result
    return response


def _page_url(request: HttpRequest, fallback: str) -> str:
    """The page that shows the partial (htmx names it), for the partial's links."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.path and url_has_allowed_host_and_scheme(current.geturl(), allowed_hosts={request.get_host()}):
        return current.path + (f"?{current.query}" if current.query else "")
    return fallback


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    job = get_job_for_user(user, pk, change=True)
    try:
        job = services.job_retry(job=job, actor=Actor.from_request(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_job.html", {"panel": services.job_panel(job, user),
                                                  "page_url": _page_url(request, job.get_absolute_url())})
    return redirect(_next(request, job.get_absolute_url()))


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file a job made (a province's package of reports), to those who may see the job."""
    job = get_job_for_user(request_user(request), pk)
    if job.status != JobStatus.SUCCEEDED or not job.result_file:
        raise Http404
    root = Path(settings.JOBS_DIR).resolve()
    path = (root / job.result_file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
