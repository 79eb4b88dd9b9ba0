"""Starting, retrying and recovering background jobs: typed, keyword-only, audited.

- `job_start`: a person starts a kind of job on a record; a second start while one is waiting or
  running joins it (one active job per record, kind and key, enforced by the database).
- `job_retry`: a failed job runs again from the start; every kind is written so that running it
  again is safe (a round's classification replaces its results, a package is written anew).
- `recover_lost_jobs`: a RUNNING job whose worker is gone (its process is dead, or its heartbeat
  is older than settings.JOBS_STALE_SECONDS) is queued again, up to settings.JOBS_MAX_ATTEMPTS
  runs in a row; then it is marked failed and waits for a person to retry it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.geo.models import Unit

from . import live
from .models import Job, JobStatus
from .runner import run_job

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Written on the task backend's row of a task whose worker died while running it."""


def _enqueue(job: Job) -> Job:
    """Gives the job a new token and hands it to the task backend (with the immediate backend of
    the tests, the job runs here and now)."""
    token = get_random_string(32)
    Job.objects.filter(pk=job.pk).update(token=token, status=JobStatus.QUEUED, task_id="", worker="")
    try:
        result = run_job.using(backend=settings.JOBS_TASK_BACKEND).enqueue(job.pk, token)
    except Exception:
        logger.exception("Job #%s could not be queued", job.pk)
        with translation.override(job.language):
            error = _("The job could not be queued for the background worker. Try again in a moment.")
        Job.objects.filter(pk=job.pk, token=token, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=error, finished_at=timezone.now())
    else:
        Job.objects.filter(pk=job.pk, token=token).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_start(*, kind: str, title: str, actor: Actor, subject: models.Model | None = None, key: str = "",
              unit: Unit | None = None, params: dict[str, Any] | None = None, input_file: str = "") -> Job:
    """Starts a job (or returns the one already waiting or running for the same record, kind and key)."""
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    subject_id = subject.pk if subject is not None else None
    same = Job.objects.filter(kind=kind, subject_type=subject_type, subject_id=subject_id, key=key).active()
    if subject is not None and (existing := same.first()) is not None:
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, title=title[:300], subject_type=subject_type, subject_id=subject_id,
                                     key=key, unit=unit, params=params or {}, input_file=input_file,
                                     language=translation.get_language() or settings.LANGUAGE_CODE,
                                     started_by=actor.user)
            audit.record(actor=actor, action="job.start", obj=job, unit=unit,
                         after={"kind": kind, "title": job.title, "params": job.params})
    except IntegrityError:  # another request started the same job a moment ago
        found = same.first()
        if found is None:
            raise
        return found
    return _enqueue(job)


def job_retry(*, job: Job, actor: Actor) -> Job:
    """Runs a failed job again from the start."""
    try:
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
                status=JobStatus.QUEUED, error="", done=0, total=None, message="", attempts=0, result={},
                finished_at=None, started_by=actor.user, language=translation.get_language() or job.language)
            if updated != 1:
                raise ValidationError(_("Only a failed job can be run again."))
            audit.record(actor=actor, action="job.retry", obj=job, unit=job.unit, before={"error": job.error})
    except IntegrityError:  # the same work was started again meanwhile
        raise ValidationError(_("This work is already waiting or running again.")) from None
    job.refresh_from_db()
    return _enqueue(job)


# --- Lost workers -------------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


def heartbeat_of(job: Job) -> dt.datetime | None:
    """When the job's worker last said it was alive: its live file, or the job's start."""
    state = live.read(job.pk)
    if state and isinstance(state.get("heartbeat"), (int, float)):
        return dt.datetime.fromtimestamp(state["heartbeat"], tz=dt.UTC)
    return job.started_at


def is_lost(job: Job, *, now: dt.datetime | None = None) -> bool:
    """A running job whose worker is gone: a dead process on this machine, or a stale heartbeat."""
    if job.status != JobStatus.RUNNING:
        return False
    host, _sep, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
        return True
    beat = heartbeat_of(job)
    now = now or timezone.now()
    return beat is None or (now - beat).total_seconds() > settings.JOBS_STALE_SECONDS


def _close_task_result(job: Job) -> None:
    """Marks the dead task's row of the database backend failed (it would stay RUNNING forever)."""
    if not job.task_id or not apps_has_task_db():
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now(), exception_class_path=f"{__name__}.WorkerLost",
        traceback=f"WorkerLost: the worker {job.worker} stopped while running job #{job.pk}.")


def apps_has_task_db() -> bool:
    from django.apps import apps

    return apps.is_installed("django_tasks_db")


def _requeue_or_fail(job: Job) -> str:
    with translation.override(job.language):
        if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
            error = _("The background worker stopped %(n)s times while running this job. Nothing it was doing was "
                      "saved. Run it again, or tell the system administrator if it keeps stopping.") % {
                "n": job.attempts}
            updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, token=job.token).update(
                status=JobStatus.FAILED, error=error, finished_at=timezone.now())
            outcome = "failed"
        else:
            message = _("The background worker stopped while running this job; it runs again.")
            updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, token=job.token).update(
                status=JobStatus.QUEUED, message=message, worker="")
            outcome = "requeued"
    if not updated:
        return ""
    live.remove(job.pk)
    _close_task_result(job)
    logger.warning("Job #%s (%s): its worker %s is gone; %s", job.pk, job.kind, job.worker, outcome)
    if outcome == "requeued":
        _enqueue(job)
    return outcome


def recover_lost_jobs(*, job: Job | None = None) -> list[tuple[int, str]]:
    """Requeues (or fails) the running jobs whose worker is gone; returns (job id, what was done)."""
    running = Job.objects.filter(status=JobStatus.RUNNING)
    if job is not None:
        running = running.filter(pk=job.pk)
    now = timezone.now()
    done = []
    for found in running:
        if is_lost(found, now=now):
            outcome = _requeue_or_fail(found)
            if outcome:
                done.append((found.pk, outcome))
    return done


# --- What a page shows ----------------------------------------------------------------------------


WAITING_LONG_SECONDS = 30


@dataclass
class JobPanel:
    job: Job
    done: int
    total: int | None
    message: str
    can_retry: bool
    waiting_long: bool  # queued for a while: no worker is taking jobs
    reload_on_success: bool

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def problems(self) -> list[dict[str, Any]]:
        found = self.job.result.get("problems") if isinstance(self.job.result, dict) else None
        return found if isinstance(found, list) else []


def job_panel(job: Job, user: User) -> JobPanel:
    """The job as the page shows it: the live progress of a running job, and whether this person
    may retry it (the kind's access rule with change=True)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from .kinds import get_kind

    done, total, message = job.done, job.total, job.message
    kind = None
    try:
        kind = get_kind(job.kind)
    except LookupError:
        pass
    if job.status == JobStatus.RUNNING:
        state = live.read(job.pk) or {}
        done = int(state.get("done") or 0)
        total = state.get("total") if isinstance(state.get("total"), int) else None
        message = str(state.get("message") or message)
    can_retry = False
    if job.status == JobStatus.FAILED and kind is not None:
        try:
            kind.authorize(user, job, True)
            can_retry = True
        except (PermissionDenied, Http404):
            can_retry = False
    waiting = job.status == JobStatus.QUEUED and (timezone.now() - job.created_at).total_seconds() > WAITING_LONG_SECONDS
    return JobPanel(job=job, done=done, total=total, message=message, can_retry=can_retry, waiting_long=waiting,
                    reload_on_success=bool(kind and kind.reload_on_success))


def latest_job(kind: str, subject: models.Model, *, key: str = "", recent_minutes: int = 10) -> Job | None:
    """The job a record's page shows: the latest of the kind if it is waiting, running or failed, or
    finished in the last minutes (then the page's own figures tell the rest)."""
    job = Job.objects.for_subject(kind, subject, key).select_related("started_by").first()
    if job is None:
        return None
    if job.status == JobStatus.SUCCEEDED and job.finished_at and (
            timezone.now() - job.finished_at).total_seconds() > recent_minutes * 60:
        return None
    return job
