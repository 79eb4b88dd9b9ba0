"""The import of a facility's residents as a background job (`care.facilities_import`), started
from the facility's import page: the same `import_residents` as the CLI (all or nothing); a file
with problems fails the job with the table of problems and writes nothing. Only the person who
started it (and administrators) see the job: its problems quote residents' names."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.accounts.audit import Actor
from ansinh.jobs.imports import import_input, import_job_start, problems_found, starter_or_admin
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.tabular import ImportProblems
from ansinh.lib.vietnamese import format_number

from .models_facilities import Facility

FACILITIES_IMPORT = "care.facilities_import"


def _run(job: Job, progress: Progress) -> Outcome:
    from . import access_facilities as access
    from .import_facilities import import_residents

    cannot = _("The person who started this import can no longer admit residents to this facility.")
    path, user = import_input(job, cannot=cannot)
    facility = Facility.objects.select_related("unit").filter(pk=job.params.get("facility")).first()
    if facility is None or not access.may_change(user, facility):
        raise JobError(cannot)
    progress.say(_("Checking the file…"))
    try:
        result = import_residents(path, facility=facility, actor=Actor(user=user, ip=job.params.get("ip")),
                                  name=job.params.get("file_name", ""))
    except ImportProblems as error:
        raise problems_found([{"row": p.row, "column": p.column, "message": p.message}
                              for p in error.problems]) from None
    message = _("%(n)s residents imported (%(out)s already discharged).") % {
        "n": format_number(result.rows), "out": format_number(result.discharged)}
    return Outcome(message=message, result={"rows": result.rows, "discharged": result.discharged,
                                            "linked": result.linked},
                   result_url=f"{reverse('facilities-resident-list')}?facility={facility.pk}&status=all",
                   done=result.rows)


register(JobKind(name=FACILITIES_IMPORT, run=_run, authorize=starter_or_admin, reload_on_success=True))


def import_start(*, actor: Actor, upload: UploadedFile, facility: Facility) -> Job:
    title = _("Residents of %(facility)s from %(file)s") % {"facility": facility.name, "file": upload.name or ""}
    return import_job_start(kind=FACILITIES_IMPORT, title=title, actor=actor, upload=upload, unit=facility.unit,
                            subject=facility, params={"ip": actor.ip, "facility": facility.pk})
