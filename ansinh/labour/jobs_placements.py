"""The placements and counselling imports as background jobs: the uploaded file is read by the
worker with the same functions the CLI uses (all or nothing, the importer's scope); a file with
problems fails the job with the table of problems and writes nothing. Only the person who started
it (and administrators) see the job: its problems quote the file's personal data."""

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

PLACEMENTS = "labour.import_placements"
COUNSELLING = "labour.import_counselling"


def _authorize(user: User, job: Job, change: bool) -> None:
    if job.started_by_id != user.pk and Role.ADMIN not in get_scope(user).roles:
        raise Http404


def _run(job: Job, progress: Progress) -> Outcome:
    from .counselling_import import import_counselling
    from .placements_import import import_placements

    path, user = job.input_path, job.started_by
    if path is None or not path.exists():
        raise JobError(_("The uploaded file is no longer there: upload it again."))
    if user is None or not user.is_active:
        raise JobError(_("The person who started this import can no longer import labour records."))
    province = Unit.objects.filter(pk=job.params.get("province")).first()
    if province is None:
        raise JobError(_("The province of this import no longer exists."))
    placements = job.kind == PLACEMENTS
    run = import_placements if placements else import_counselling
    progress.say(_("Checking the file…"))
    try:
        result = run(actor=Actor(user=user, ip=job.params.get("ip")), data=path.read_bytes(),
                     filename=job.params.get("file_name", ""), province=province, progress=progress, import_job=job)
    except ImportProblems as error:
        raise problems_found([{"row": p.row, "column": p.column, "message": p.message}
                              for p in error.problems]) from None
    figures = {"n": format_number(result.created), "file": result.file}
    if placements:
        message = _("Imported %(n)s job placements from %(file)s.") % figures
        url = reverse("placement-list")
    else:
        message = _("Imported %(n)s lượt of counselling from %(file)s.") % figures
        url = reverse("counselling-list")
    return Outcome(message=message, result={"created": result.created}, result_url=url, done=result.created)


register(JobKind(name=PLACEMENTS, run=_run, authorize=_authorize))
register(JobKind(name=COUNSELLING, run=_run, authorize=_authorize))


def labour_import_start(*, kind: str, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    """Stores the upload and queues its import (`kind`: PLACEMENTS or COUNSELLING)."""
    title = _("Import of %(file)s") % {"file": upload.name or ""}
    return import_job_start(kind=kind, title=title, actor=actor, upload=upload, unit=province,
                            params={"province": province.pk, "ip": actor.ip})


__all__ = ["COUNSELLING", "PLACEMENTS", "labour_import_start"]
