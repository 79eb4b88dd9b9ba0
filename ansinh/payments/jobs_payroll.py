"""A province's (or a commune's) payrolls of a month as a background job, started from the
payrolls page: `payroll.run_unit` with its progress on the page.

Re-run safe: each commune × field is written in its own transaction (the draft's lines deleted and
inserted anew), so a job whose worker dies leaves every payroll either as it was or complete, and
running it again recomputes the drafts in place — no partial payroll, no line twice. Approved
payrolls are never touched: the job reports them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Role, User
from ansinh.geo.models import Unit
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_start, latest_job
from ansinh.lib.vietnamese import format_number

from . import access, payroll
from .models import PayField

PAYROLL_RUN = "payments.payroll_run"


def may_run(user: User, unit: Unit) -> bool:
    """Whoever may prepare some field's payrolls in the unit (or in one of its communes)."""
    scope = get_scope(user)
    if any(access.may_prepare_payroll(user, unit, field) for field in PayField.values):
        return True
    return any(a.unit.path.startswith(unit.path) and a.role in (Role.COMMUNE_OFFICER,) for a in scope.assignments)


def _authorize(user: User, job: Job, change: bool) -> None:
    unit = Unit.objects.filter(pk=job.subject_id or 0).first()
    if unit is None:
        raise Http404
    if job.started_by_id == user.pk or Role.ADMIN in get_scope(user).roles:
        return
    if not may_run(user, unit):
        raise Http404


def _run(job: Job, progress: Progress) -> Outcome:
    unit = Unit.objects.filter(pk=job.subject_id or 0).first()
    if unit is None:
        raise JobError(_("This unit no longer exists."))
    user = job.started_by
    if user is None or not user.is_active:
        raise JobError(_("The person who started this run can no longer prepare payrolls."))
    month = dt.date.fromisoformat(str(job.params.get("month")))
    progress.say(_("Computing the payrolls…"))
    try:
        result = payroll.run_unit(unit=unit, month=month, actor=Actor(user=user, ip=job.params.get("ip")),
                                  progress=lambda done, total: progress(done, total))
    except PermissionDenied:
        raise JobError(_("You may not prepare the payrolls of this unit.")) from None
    except ValidationError as error:
        raise JobError(" ".join(error.messages)) from None
    figures = {"payrolls": format_number(len(result.payrolls)), "lines": format_number(result.lines),
               "people": format_number(result.people), "total": format_number(result.total)}
    message = _("%(payrolls)s payrolls computed: %(lines)s lines, %(people)s people, %(total)s VND.") % figures
    if result.refused:
        message += " " + _("%(n)s approved payrolls were left as they are.") % {
            "n": format_number(len(result.refused))}
    url = reverse("payroll-list") + f"?month={month:%Y-%m}"
    return Outcome(message=message, result={"lines": result.lines, "people": result.people, "total": result.total,
                                            "payrolls": result.payrolls, "refused": result.refused},
                   result_url=url, done=len(result.payrolls))


register(JobKind(name=PAYROLL_RUN, run=_run, authorize=_authorize, reload_on_success=True))


def payroll_run_start(*, unit: Unit, month: dt.date, actor: Actor) -> Job:
    """Queues the unit's payrolls of the month (or joins the run waiting or running)."""
    title = _("Payrolls of %(unit)s, %(month)s") % {"unit": unit.name, "month": f"{month:%m/%Y}"}
    return job_start(kind=PAYROLL_RUN, title=title, actor=actor, subject=unit, key=f"{month:%Y-%m}", unit=unit,
                     params={"month": month.isoformat(), "ip": actor.ip})


def payroll_run_job(unit: Unit, month: dt.date) -> Job | None:
    return latest_job(PAYROLL_RUN, unit, key=f"{month:%Y-%m}")
