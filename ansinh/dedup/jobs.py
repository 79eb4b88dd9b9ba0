"""A duplicate search (`linkage.run`) as a background job, with its progress on the page.

The job's status and the pairs' statuses are two things: the run writes its new pairs in one
transaction at the end, so a job that fails or whose worker dies leaves the review queue as it
was, and running it again is safe (pairs that have a row, decided or not, are never inserted
again). One job per unit at a time (the jobs framework joins a second start to the running one).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Role, User
from ansinh.geo.models import Unit
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_start, latest_job
from ansinh.lib.vietnamese import format_number

from .access import may_run_dedup

RUN = "dedup.run"


def _authorize(user: User, job: Job, change: bool) -> None:
    """Who may run a search on the unit follows and retries it; an administrator too."""
    unit = Unit.objects.filter(pk=job.subject_id or 0).first()
    if unit is None:
        raise Http404
    if Role.ADMIN in get_scope(user).roles or may_run_dedup(user, unit):
        return
    if change:
        raise PermissionDenied
    if job.started_by_id != user.pk:
        raise Http404


def _run(job: Job, progress: Progress) -> Outcome:
    from . import linkage

    unit = Unit.objects.filter(pk=job.subject_id or 0).first()
    if unit is None:
        raise JobError(_("This unit no longer exists."))
    user = job.started_by
    if user is not None and not user.is_active:
        raise JobError(_("The person who started this search can no longer search for duplicates."))
    progress.say(_("Comparing the people…"))
    engine = str(job.params.get("engine") or "duckdb")
    threshold = float(job.params.get("threshold") or linkage.REVIEW_THRESHOLD)
    try:
        record = linkage.run(unit=unit, actor=Actor(user=user, ip=job.params.get("ip")), engine=engine,
                             threshold=threshold, progress=progress, job=job)
    except ImportError:
        raise JobError(_("The Spark engine is not installed on this server: run the search on DuckDB.")) from None
    message = _("Compared %(people)s people: %(new)s new possible duplicates (%(exact)s with the same citizen ID, "
                "%(linkage)s by name, birth date and place).") % {
        "people": format_number(record.people), "new": format_number(record.new_pairs),
        "exact": format_number(record.found_exact), "linkage": format_number(record.found_linkage)}
    return Outcome(message=message, result={"run": record.pk, "people": record.people, "new_pairs": record.new_pairs,
                                            "found_exact": record.found_exact, "found_linkage": record.found_linkage},
                   done=100)


register(JobKind(name=RUN, run=_run, authorize=_authorize, reload_on_success=True))


def dedup_run_start(*, unit: Unit, actor: Actor, engine: str = "duckdb", threshold: float | None = None) -> Job:
    """Queues a duplicate search of the unit (or joins the one waiting or running)."""
    if engine not in ("duckdb", "spark"):
        raise ValidationError(_("Unknown engine: choose DuckDB or Spark."))
    if actor.user is not None and not may_run_dedup(actor.user, unit):
        raise PermissionDenied
    title = _("Duplicate search in %(unit)s") % {"unit": unit.name}
    return job_start(kind=RUN, title=title, actor=actor, subject=unit, unit=unit,
                     params={"engine": engine, "threshold": threshold, "ip": actor.ip})


def dedup_run_job(unit: Unit) -> Job | None:
    """The latest duplicate-search job of the unit (the page shows its panel)."""
    return latest_job(RUN, unit)
