"""The generic pieces a large import uses to run as a background job.

An import kind (declared in its app's jobs.py with `kinds.register`) reads `job.input_path`,
reports progress as it goes, and at the end either returns an Outcome or raises
`problems_found(...)`: the job fails with one sentence and the table of problems (row, column,
message) on its page, and nothing is written (the import commits all or nothing). The uploaded
file is kept under settings.JOBS_DIR/uploads until the job succeeds, so that a retry reads it
again; then it is deleted.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import Http404
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Role, User
from ansinh.geo.models import Unit

from .kinds import JobError
from .models import Job
from .services import job_start

UPLOADS = "uploads"


def store_upload(upload: UploadedFile) -> str:
    """Saves an uploaded file for a job; returns its path relative to settings.JOBS_DIR."""
    name = get_valid_filename(Path(upload.name or "upload").name) or "upload"
    relative = Path(UPLOADS) / secrets.token_hex(8) / name[-100:]
    target = Path(settings.JOBS_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return relative.as_posix()


def remove_input(job: Job) -> None:
    """Deletes a job's uploaded file (and its folder): personal data is not kept once imported."""
    path = job.input_path
    if path is None:
        return
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass


def import_job_start(*, kind: str, title: str, actor: Actor, upload: UploadedFile, unit: Unit | None,
                     subject: models.Model | None = None, key: str = "", params: dict[str, Any] | None = None) -> Job:
    """Stores the uploaded file and queues the import job that reads it."""
    relative = store_upload(upload)
    job = job_start(kind=kind, title=title, actor=actor, subject=subject, key=key, unit=unit,
                    params={"file_name": upload.name or "", **(params or {})}, input_file=relative)
    if job.input_file != relative:  # joined the same import already waiting or running
        (Path(settings.JOBS_DIR) / relative).unlink(missing_ok=True)
    return job


def starter_or_admin(user: User, job: Job, change: bool) -> None:
    """The `authorize` of an import kind: only the person who started the job (and administrators)
    see it, since its problems quote the file's personal data."""
    if job.started_by_id != user.pk and Role.ADMIN not in get_scope(user).roles:
        raise Http404


def import_input(job: Job, *, cannot: str) -> tuple[Path, User]:
    """The stored upload and the person who started the import, or the job's failure: the file is
    gone, or the person can no longer import (`cannot`, e.g. "The person who started this import
    can no longer import households.")."""
    path, user = job.input_path, job.started_by
    if path is None or not path.exists():
        raise JobError(_("The uploaded file is no longer there: upload it again."))
    if user is None or not user.is_active:
        raise JobError(cannot)
    return path, user


def problems_found(problems: Iterable[Mapping[str, Any]], *, message: str | None = None) -> JobError:
    """The failure of an import that found problems: raise it from the kind's run."""
    rows = [{"row": p.get("row"), "column": str(p.get("column") or ""), "message": str(p.get("message") or "")}
            for p in problems]
    if message is None:
        message = ngettext("The file has %(n)s problem: nothing was imported. Correct the file and upload it again.",
                           "The file has %(n)s problems: nothing was imported. Correct the file and upload it again.",
                           len(rows)) % {"n": len(rows)}
    return JobError(message, rows)


__all__ = ["import_input", "import_job_start", "problems_found", "remove_input", "starter_or_admin", "store_upload"]
