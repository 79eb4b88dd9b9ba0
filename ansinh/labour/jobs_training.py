"""The enrolment import as a background job: the worker reads the stored upload with the same
`import_enrolments` the CLI uses (all or nothing, the importer's scope); a file with problems fails
the job with the table of problems and writes nothing. Only the person who started it (and
administrators) see the job: its problems quote the file's personal data."""

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

from .training_import import import_enrolments

IMPORT = "labour.enrolments.import"


def _authorize(user: User, job: Job, change: bool) -> None:
    if job.started_by_id != user.pk and Role.ADMIN not in get_scope(user).roles:
        raise Http404


def _run(job: Job, progress: Progress) -> Outcome:
    path, user = job.input_path, job.started_by
    if path is None or not path.exists():
        raise JobError(_("The uploaded file is no longer there: upload it again."))
    if user is None or not user.is_active:
        raise JobError(_("The person who started this import can no longer import enrolments."))
    province = Unit.objects.filter(pk=job.params.get("province")).first()
    if province is None:
        raise JobError(_("The province of this import no longer exists."))
    progress.say(_("Checking the file…"))
    try:
        result = import_enrolments(actor=Actor(user=user, ip=job.params.get("ip")), data=path.read_bytes(),
                                   filename=job.params.get("file_name", "") or path.name, province=province,
                                   job=job, progress=progress)
    except ImportProblems as error:
        raise problems_found([{"row": p.row, "column": p.column, "message": p.message}
                              for p in error.problems]) from None
    text = _("Imported %(n)s enrolments (%(courses)s new courses) from %(file)s.") % {
        "n": format_number(result.created), "courses": format_number(result.courses_created), "file": result.file}
    return Outcome(message=text, result={"created": result.created, "courses_created": result.courses_created},
                   result_url=reverse("enrolment-list"), done=result.created)


register(JobKind(name=IMPORT, run=_run, authorize=_authorize, reload_on_success=False))


def enrolment_import_start(*, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    """Stores the upload and queues its import into `province`."""
    title = _("Import of enrolments from %(file)s") % {"file": upload.name or ""}
    return import_job_start(kind=IMPORT, title=title, actor=actor, upload=upload, unit=province,
                            params={"province": province.pk, "ip": actor.ip})
