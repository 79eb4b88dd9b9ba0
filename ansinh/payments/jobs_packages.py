"""A package's list built in the background (`payments.package_create`), started from the
package form for a big province: the page shows the job's progress, then the package.

The job runs `packages.create_package`, which writes the package, its tiers and its frozen list in
one transaction and returns the existing package when its key exists: a job that fails, or whose
worker dies, leaves nothing half-written, and running it again pays no one twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Role, User
from ansinh.geo.models import Unit
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_start
from ansinh.lib.vietnamese import format_number

from .packages import TierSpec, create_package

PACKAGE_CREATE = "payments.package_create"


def _authorize(user: User, job: Job, change: bool) -> None:
    """The person who started it, and administrators (the job names no one, but the unit's list)."""
    if job.started_by_id != user.pk and Role.ADMIN not in get_scope(user).roles:
        raise Http404


def _run(job: Job, progress: Progress) -> Outcome:
    spec = job.params.get("package") or {}
    user = job.started_by
    if user is None or not user.is_active:
        raise JobError(_("The person who started this package can no longer create packages."))
    unit = Unit.objects.filter(pk=spec.get("unit") or 0).first()
    if unit is None:
        raise JobError(_("This unit no longer exists."))
    progress.say(_("Building the package's list…"))
    period = spec.get("period")
    try:
        package, created = create_package(
            name=spec["name"], purpose=spec["purpose"], field=spec["field"], unit=unit,
            on=dt.date.fromisoformat(spec["on"]), tiers=[TierSpec(**t) for t in spec["tiers"]],
            actor=Actor(user=user, ip=job.params.get("ip")), legal_basis=spec.get("legal_basis", ""),
            period=(dt.date.fromisoformat(period[0]), dt.date.fromisoformat(period[1])) if period else None,
            note=spec.get("note", ""), progress=progress)
    except ValidationError as error:
        raise JobError(" ".join(str(m) for m in error.messages)) from None
    figures = {"n": format_number(package.recipients), "total": format_number(package.total)}
    message = (_("The list is frozen: %(n)s recipients, %(total)s đồng.") if created
               else _("This package already exists (%(n)s recipients, %(total)s đồng): no one was added."))
    return Outcome(message=message % figures, result={"package": package.pk, "recipients": package.recipients,
                                                      "total": package.total, "created": created},
                   result_url=reverse("package-detail", args=[package.pk]), done=package.recipients)


register(JobKind(name=PACKAGE_CREATE, run=_run, authorize=_authorize))


def package_create_start(*, actor: Actor, unit: Unit, spec: dict[str, Any]) -> Job:
    """Queues the creation of a package (`spec`: create_package's arguments as JSON values, the
    unit as its id, dates as ISO text, tiers as dicts)."""
    title = _("Package %(name)s") % {"name": spec.get("name", "")}
    return job_start(kind=PACKAGE_CREATE, title=title, actor=actor, unit=unit,
                     params={"package": spec, "ip": actor.ip})
