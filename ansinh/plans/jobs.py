"""A unit's package of periodic reports as a background job: the unit's own report and the report of
every commune below it in the starter's scope, as .docx files in one .zip to download when done.

One report takes about a second (its figures, the Decree 30 layout); a province has about a hundred
communes, so the package is made by the worker, not in the request. Running it again writes the
package anew (the file is replaced atomically).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ansinh.accounts.access import Scope, get_scope
from ansinh.plans.access import get_plan_for_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.geo.models import Edition, Level, Unit, current_home
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_start
from ansinh.lib.vietnamese import fold

from . import documents
from .models import Plan
from .periods import Period

PACKAGE = "plans.report_package"
RESULTS = "results"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", fold(text)).strip("-") or "tai-lieu"


def _covers(scope: Scope, unit: Unit) -> bool:
    if scope.national or scope.covers(unit):
        return True
    return unit.edition == Edition.LEGACY and scope.covers(current_home(unit))


def _in_area(plan: Plan, unit: Unit) -> bool:
    area = plan.unit if unit.edition == plan.unit.edition else plan.home
    return unit.path.startswith(area.path) and unit.level <= Level.COMMUNE


def package_units(user: User, plan: Plan, unit: Unit) -> list[Unit]:
    """The unit and the communes below it that the user may see, in Vietnamese order."""
    scope = get_scope(user)
    below = Unit.objects.descendants_of(unit).at_level(Level.COMMUNE).vietnamese_order()
    return [unit, *(u for u in below if _covers(scope, u))]


def _authorize(user: User, job: Job, change: bool) -> None:
    """Those who may read the plan's report of the unit see the job, download and retry it."""
    plan = get_plan_for_user(user, int(job.params.get("plan", 0)))
    unit = Unit.objects.filter(pk=int(job.params.get("unit", 0))).first()
    if unit is None or not _in_area(plan, unit) or not _covers(get_scope(user), unit):
        raise Http404


def _run(job: Job, progress: Progress) -> Outcome:
    plan = Plan.objects.select_related("agency", "unit", "home").filter(pk=int(job.params.get("plan", 0))).first()
    unit = Unit.objects.filter(pk=int(job.params.get("unit", 0))).first()
    if plan is None or unit is None:
        raise JobError(_("The plan or the unit of this package no longer exists."))
    period = Period.parse(str(job.params.get("period", "")))
    ids = [int(pk) for pk in job.params.get("units", [])]
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    units = [found[pk] for pk in ids if pk in found]
    progress.say(_("Writing the reports…"))
    progress(0, len(units))
    name = f"bao-cao-{_slug(period.key)}-{_slug(unit.name)}.zip"
    relative = Path(RESULTS) / str(job.pk) / name
    target = Path(settings.JOBS_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
            width = len(str(len(units)))
            for number, each in enumerate(units, start=1):
                content = documents.report_docx(plan, period, each)
                package.writestr(f"{number:0{width}d}-bao-cao-{_slug(period.key)}-{_slug(each.name)}.docx", content)
                progress(number, len(units))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Outcome(message=_("%(n)s reports are in the package.") % {"n": len(units)}, result={"reports": len(units)},
                   result_file=relative.as_posix(), done=len(units))


register(JobKind(name=PACKAGE, run=_run, authorize=_authorize))


def package_start(*, plan: Plan, period: Period, unit: Unit, actor: Actor) -> Job:
    """Queues the package of the unit's reports for the period (or joins the one waiting or running)."""
    if actor.user is None:
        raise ValidationError(_("A package of reports is made for a person."))
    units = package_units(actor.user, plan, unit)
    if len(units) < 2:
        raise ValidationError(_("%(unit)s has no commune below it in your scope: download its report directly.")
                              % {"unit": unit.name})
    title = _("Reports of %(unit)s and its communes, %(period)s") % {"unit": unit.name, "period": period.label()}
    return job_start(kind=PACKAGE, title=title, actor=actor, subject=plan, key=f"{period.key}:{unit.pk}:{actor.user.pk}",
                     unit=current_home(unit),
                     params={"plan": plan.pk, "period": period.key, "unit": unit.pk, "units": [u.pk for u in units]})
