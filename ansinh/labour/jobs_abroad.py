"""The imports of workers abroad and of foreign workers as background jobs: the worker reads the
stored upload with the same functions the CLI uses (all or nothing, the importer's scope); a file
with problems fails the job with the table of problems and writes nothing. Only the person who
started it (and administrators) see the job: its problems quote personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import UploadedFile

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.jobs.imports import starter_or_admin
from ansinh.jobs.kinds import JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.vietnamese import format_number

from .import_jobs import run_import, start_import
from .import_abroad import KINDS

JOB_KINDS = {"departures": "labour.import_departures", "foreign_workers": "labour.import_foreign_workers"}
RESULT_URLS = {"departures": "/labour/abroad/", "foreign_workers": "/labour/foreign-workers/"}
WHAT = {"departures": "người lao động đi làm việc ở nước ngoài", "foreign_workers": "người lao động nước ngoài"}


def _runner(kind: str) -> Callable[[Job, Progress], Outcome]:
    def run(job: Job, progress: Progress) -> Outcome:
        result = run_import(job, progress, KINDS[kind][2],
                            cannot="Người bắt đầu lần nhập này không còn được nhập dữ liệu.")
        return Outcome(message=f"Đã nhập {format_number(result.created)} {WHAT[kind]} từ {result.file}.",
                       result={"created": result.created}, result_url=RESULT_URLS[kind], done=result.created)
    return run


for _kind, _name in JOB_KINDS.items():
    register(JobKind(name=_name, run=_runner(_kind), authorize=starter_or_admin))


def abroad_import_start(*, kind: str, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    """Stores the upload and queues its import."""
    return start_import(kind=JOB_KINDS[kind], title=f"Nhập {WHAT[kind]} từ {upload.name or ''}", actor=actor,
                        upload=upload, province=province)
