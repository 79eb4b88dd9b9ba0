"""The imports of workers abroad and of foreign workers as background jobs: the worker reads the
stored upload with the same functions the CLI uses (all or nothing, the importer's scope); a file
with problems fails the job with the table of problems and writes nothing. Only the person who
started it (and administrators) see the job: its problems quote personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Role, User
from ansinh.geo.models import Unit
from ansinh.jobs.imports import import_job_start, problems_found
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.tabular import ImportProblems
from ansinh.lib.vietnamese import format_number

from .import_abroad import KINDS

JOB_KINDS = {"departures": "labour.import_departures", "foreign_workers": "labour.import_foreign_workers"}
RESULT_URLS = {"departures": "/labour/abroad/", "foreign_workers": "/labour/foreign-workers/"}
WHAT = {"departures": "người lao động đi làm việc ở nước ngoài", "foreign_workers": "người lao động nước ngoài"}


def _authorize(user: User, job: Job, change: bool) -> None:
    if job.started_by_id != user.pk and Role.ADMIN not in get_scope(user).roles:
        raise Http404


def _runner(kind: str) -> Callable[[Job, Progress], Outcome]:
    def run(job: Job, progress: Progress) -> Outcome:
        path, user = job.input_path, job.started_by
        if path is None or not path.exists():
            raise JobError("Tệp tải lên không còn: hãy tải lên lại.")
        if user is None or not user.is_active:
            raise JobError("Người bắt đầu lần nhập này không còn được nhập dữ liệu.")
        province = Unit.objects.filter(pk=job.params.get("province")).first()
        if province is None:
            raise JobError("Không rõ tỉnh của lần nhập.")
        _sheet, _columns, function = KINDS[kind]
        try:
            result = function(actor=Actor(user=user, ip=job.params.get("ip")), data=path.read_bytes(),
                              filename=job.params.get("file_name", ""), province=province, progress=progress,
                              job=job)
        except ImportProblems as error:
            raise problems_found([{"row": p.row, "column": p.column, "message": p.message}
                                  for p in error.problems]) from None
        return Outcome(message=f"Đã nhập {format_number(result.created)} {WHAT[kind]} từ {result.file}.",
                       result={"created": result.created}, result_url=RESULT_URLS[kind], done=result.created)
    return run


for _kind, _name in JOB_KINDS.items():
    register(JobKind(name=_name, run=_runner(_kind), authorize=_authorize))


def abroad_import_start(*, kind: str, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    """Stores the upload and queues its import."""
    return import_job_start(kind=JOB_KINDS[kind], title=f"Nhập {WHAT[kind]} từ {upload.name or ''}", actor=actor,
                            upload=upload, unit=province, params={"province": province.pk, "ip": actor.ip})
