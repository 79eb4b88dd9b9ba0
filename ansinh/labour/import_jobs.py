"""What every labour import job does around its importer: the stored upload and the person who
started it (`jobs.imports.import_input`), the province the import is for, the importer called with
the same arguments as the CLI, and its problems turned into the job's table of problems. Only the
person who started a labour import (and administrators) see the job (`starter_or_admin`): its
problems quote personal data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.jobs.imports import import_input, import_job_start, problems_found
from ansinh.jobs.kinds import JobError, Progress
from ansinh.jobs.models import Job
from ansinh.lib.tabular import ImportProblems

R = TypeVar("R")


def run_import(job: Job, progress: Progress, importer: Callable[..., R], *, cannot: str, job_argument: str = "job") -> R:
    """Calls `importer(actor=, data=, filename=, province=, progress=, <job_argument>=job)` for the
    job's file; a file with problems fails the job with them (nothing written)."""
    path, user = import_input(job, cannot=cannot)
    province = Unit.objects.filter(pk=job.params.get("province")).first()
    if province is None:
        raise JobError(_("The province of this import no longer exists."))
    progress.say(_("Checking the file…"))
    arguments: dict[str, Any] = {job_argument: job}
    try:
        return importer(actor=Actor(user=user, ip=job.params.get("ip")), data=path.read_bytes(),
                        filename=job.params.get("file_name", "") or path.name, province=province, progress=progress,
                        **arguments)
    except ImportProblems as error:
        raise problems_found([{"row": p.row, "column": p.column, "message": p.message}
                              for p in error.problems]) from None


def start_import(*, kind: str, title: str, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    """Stores the upload and queues the import of `kind` into `province`."""
    return import_job_start(kind=kind, title=title, actor=actor, upload=upload, unit=province,
                            params={"province": province.pk, "ip": actor.ip})
