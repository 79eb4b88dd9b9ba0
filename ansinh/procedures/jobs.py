"""The portal's export as a background job (`procedures.import`), started from the import page:
the same `import_dossiers` as the CLI (all or nothing, the importer's scope); a file with problems
fails the job with the table of problems and writes nothing. Only the person who started it (and
administrators) see the job: its problems quote applicants' names."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.accounts.audit import Actor
from ansinh.jobs.imports import import_input, import_job_start, problems_found, starter_or_admin
from ansinh.jobs.kinds import JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.tabular import ImportProblems
from ansinh.lib.vietnamese import format_number

PROCEDURES_IMPORT = "procedures.import"


def _run(job: Job, progress: Progress) -> Outcome:
    from .importer import import_dossiers

    path, user = import_input(job, cannot=_("The person who started this import can no longer receive dossiers."))
    progress.say(_("Checking the file…"))
    try:
        result = import_dossiers(path, actor=Actor(user=user, ip=job.params.get("ip")),
                                 name=job.params.get("file_name", ""))
    except ImportProblems as error:
        raise problems_found([{"row": p.row, "column": p.column, "message": p.message}
                              for p in error.problems]) from None
    message = _("%(n)s dossiers imported (%(resolved)s with their result).") % {
        "n": format_number(result.rows), "resolved": format_number(result.resolved)}
    return Outcome(message=message, result={"rows": result.rows, "resolved": result.resolved,
                                            "returned": result.returned},
                   result_url=reverse("procedure-dossier-list"), done=result.rows)


register(JobKind(name=PROCEDURES_IMPORT, run=_run, authorize=starter_or_admin, reload_on_success=True))


def import_start(*, actor: Actor, upload: UploadedFile) -> Job:
    title = _("Procedure dossiers from %(file)s") % {"file": upload.name or ""}
    return import_job_start(kind=PROCEDURES_IMPORT, title=title, actor=actor, upload=upload, unit=None,
                            params={"ip": actor.ip})
