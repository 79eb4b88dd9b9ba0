"""The one task every background job runs through: `run_job(job_id, token)`.

1. Claim the job: QUEUED → RUNNING only if the token is still the job's (a task left behind by a
   requeue or a retry finds another token and does nothing).
2. Run the kind's code in the language of the person who started it, with a Progress that writes
   the live file (throttled) and a heartbeat thread that writes it every few seconds.
3. Record the outcome: SUCCEEDED with its message and result, or FAILED with a message for the
   user (a ValidationError's or a JobError's own words; otherwise a general sentence with the
   job's number, and the traceback goes to the log).

A worker that dies mid-way leaves the job RUNNING: `services.recover_lost_jobs` finds it by its
dead process or its stale heartbeat and runs it again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import live
from .kinds import JobError, Outcome, get_kind
from .models import Job, JobStatus

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
THROTTLE_SECONDS = 0.5


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class LiveProgress:
    """The runner's Progress: how far, and a heartbeat, in the job's live file."""

    def __init__(self, job_id: int, worker: str) -> None:
        self.job_id = job_id
        self.state: dict[str, Any] = {"done": 0, "total": None, "message": "", "heartbeat": time.time(),
                                      "worker": worker}
        self._lock = threading.Lock()
        self._written = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        with self._lock:
            self.state["done"] = int(done)
            if total is not None:
                self.state["total"] = int(total)
            finished = total is not None and done >= total
            self._write(force=finished or done == 0)

    def say(self, message: str) -> None:
        with self._lock:
            self.state["message"] = str(message)[:300]
            self._write(force=True)

    def beat(self) -> None:
        with self._lock:
            self._write(force=True)

    def _write(self, *, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self._written < THROTTLE_SECONDS:
            return
        self.state["heartbeat"] = time.time()
        try:
            live.write(self.job_id, self.state)
        except OSError:
            logger.warning("Job #%s: cannot write its live progress", self.job_id, exc_info=True)
        self._written = now


class Heartbeat(threading.Thread):
    def __init__(self, progress: LiveProgress) -> None:
        super().__init__(name=f"job-{progress.job_id}-heartbeat", daemon=True)
        self.progress = progress
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            self.progress.beat()

    def stop(self) -> None:
        self.stopped.set()


def _fail(job: Job, token: str, error: str, problems: list[dict[str, Any]] | None = None) -> None:
    Job.objects.filter(pk=job.pk, token=token, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, error=error, finished_at=timezone.now(),
        result={"problems": problems} if problems else {})


def _succeed(job: Job, token: str, outcome: Outcome, progress: LiveProgress) -> None:
    done = outcome.done if outcome.done is not None else progress.state["done"]
    total = progress.state["total"] if progress.state["total"] is not None else done
    updated = Job.objects.filter(pk=job.pk, token=token, status=JobStatus.RUNNING).update(
        status=JobStatus.SUCCEEDED, done=done, total=total, message=outcome.message[:300], error="",
        result=outcome.result, result_url=outcome.result_url, result_file=outcome.result_file,
        finished_at=timezone.now())
    if updated and job.input_file:  # an uploaded file is kept for a retry until the job succeeds
        from .imports import remove_input

        remove_input(job)


def execute(job_id: int, token: str) -> dict[str, Any]:
    """Runs a job (the body of `run_job`); returns a small summary for the task backend's result."""
    worker = worker_name()
    claimed = Job.objects.filter(pk=job_id, token=token, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), worker=worker, attempts=F("attempts") + 1,
        done=0, total=None, message="", error="")
    if not claimed:
        logger.info("Job #%s: this task is out of date (retried, requeued or finished): nothing to do", job_id)
        return {"job": job_id, "skipped": True}
    job = Job.objects.select_related("started_by", "unit").get(pk=job_id)
    progress = LiveProgress(job.pk, worker)
    progress.beat()
    heartbeat = Heartbeat(progress)
    heartbeat.start()
    try:
        with translation.override(job.language):
            try:
                kind = get_kind(job.kind)
                outcome = kind.run(job, progress)
            except ValidationError as error:
                _fail(job, token, " ".join(error.messages))
                return {"job": job.pk, "failed": True}
            except JobError as error:
                _fail(job, token, error.message, error.problems)
                return {"job": job.pk, "failed": True}
            except Exception:
                logger.exception("Job #%s (%s) failed", job.pk, job.kind)
                _fail(job, token, _("The job stopped on an unexpected error (job #%(id)s). Nothing it was doing "
                                    "was saved. You can run it again; if it fails again, tell the system "
                                    "administrator the job's number.") % {"id": job.pk})
                raise
            _succeed(job, token, outcome, progress)
            return {"job": job.pk, "done": progress.state["done"]}
    finally:
        heartbeat.stop()
        live.remove(job.pk)


@task()
def run_job(job_id: int, token: str) -> dict[str, Any]:
    return execute(job_id, token)
