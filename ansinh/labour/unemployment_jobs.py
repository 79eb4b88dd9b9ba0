"""The import of unemployment dossiers as a background job (the upload page starts it; the
worker runs `import_unemployment`, all or nothing, problems shown on the job's page). Only the
person who started it (and administrators) see the job: its problems quote personal data."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.jobs.imports import starter_or_admin
from ansinh.jobs.kinds import JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.vietnamese import format_number

from .import_jobs import run_import, start_import
from .unemployment_import import import_unemployment

IMPORT = "labour.unemployment_import"


def _run(job: Job, progress: Progress) -> Outcome:
    result = run_import(job, progress, import_unemployment,
                        cannot="Người bắt đầu lần nhập này không còn quyền nhập hồ sơ.")
    message = (f"Đã nhập {format_number(result.created)} hồ sơ ({format_number(result.granted)} được hưởng, "
               f"{format_number(result.refused)} không được hưởng).")
    return Outcome(message=message, result={"created": result.created, "granted": result.granted,
                                            "refused": result.refused},
                   result_url=reverse("unemployment-list"), done=result.created)


register(JobKind(name=IMPORT, run=_run, authorize=starter_or_admin))


def import_start(*, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    title = f"Nhập hồ sơ bảo hiểm thất nghiệp từ {upload.name or ''}"
    return start_import(kind=IMPORT, title=title, actor=actor, upload=upload, province=province)
