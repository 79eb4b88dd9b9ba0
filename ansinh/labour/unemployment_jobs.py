"""The import of unemployment dossiers as a background job (the upload page starts it; the
worker runs `import_unemployment`, all or nothing, problems shown on the job's page). Only the
person who started it (and administrators) see the job: its problems quote personal data."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.accounts.access import get_scope
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import Role, User
from ansinh.geo.models import Unit
from ansinh.jobs.imports import import_job_start, problems_found
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.tabular import ImportProblems
from ansinh.lib.vietnamese import format_number

from .unemployment_import import import_unemployment

IMPORT = "labour.unemployment_import"


def _authorize(user: User, job: Job, change: bool) -> None:
    if job.started_by_id != user.pk and Role.ADMIN not in get_scope(user).roles:
        raise Http404


def _run(job: Job, progress: Progress) -> Outcome:
    path, user = job.input_path, job.started_by
    if path is None or not path.exists():
        raise JobError(_("The uploaded file is no longer there: upload it again."))
    if user is None or not user.is_active:
        raise JobError("Người bắt đầu lần nhập này không còn quyền nhập hồ sơ.")
    province = Unit.objects.filter(pk=job.params.get("province")).first()
    if province is None:
        raise JobError("Không còn tỉnh của lần nhập này.")
    try:
        result = import_unemployment(actor=Actor(user=user, ip=job.params.get("ip")), data=path.read_bytes(),
                                     filename=job.params.get("file_name", ""), province=province, progress=progress,
                                     job=job)
    except ImportProblems as error:
        raise problems_found([{"row": p.row, "column": p.column, "message": p.message} for p in error.problems]) \
            from None
    message = (f"Đã nhập {format_number(result.created)} hồ sơ ({format_number(result.granted)} được hưởng, "
               f"{format_number(result.refused)} không được hưởng).")
    return Outcome(message=message, result={"created": result.created, "granted": result.granted,
                                            "refused": result.refused},
                   result_url=reverse("unemployment-list"), done=result.created)


register(JobKind(name=IMPORT, run=_run, authorize=_authorize))


def import_start(*, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    title = f"Nhập hồ sơ bảo hiểm thất nghiệp từ {upload.name or ''}"
    return import_job_start(kind=IMPORT, title=title, actor=actor, upload=upload, unit=province,
                            params={"province": province.pk, "ip": actor.ip})
