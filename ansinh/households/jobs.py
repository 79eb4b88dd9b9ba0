"""The household import as a background job: a large file is read by the worker, its progress
and its problems shown on the job's page, instead of holding the web request for minutes.

The job reads the stored upload with the same `household_import` the page and the CLI use (all
or nothing, the importer's scope); a file with problems fails the job with the table of problems
and writes nothing. Only the person who started it (and administrators) see the job: its
problems quote the file's personal data.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.jobs.imports import import_input, import_job_start, problems_found, starter_or_admin
from ansinh.jobs.kinds import JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.vietnamese import format_number

from .access import register_change_check
from .importer import HouseholdImportError, household_import

IMPORT = "households.import"



def _run(job: Job, progress: Progress) -> Outcome:
    path, user = import_input(job, cannot=_("The person who started this import can no longer import households."))
    check = bool(job.params.get("check"))
    progress.say(_("Checking the file…"))
    try:
        result = household_import(actor=Actor(user=user, ip=job.params.get("ip")), data=path,
                                  allowed=register_change_check(user), name=job.params.get("file_name", ""),
                                  dry_run=check)
    except HouseholdImportError as error:
        raise problems_found([{"row": p.row, "column": ", ".join(part for part in (p.sheet, p.column) if part),
                               "message": p.message} for p in error.problems]) from None
    figures = {"households": format_number(result.households), "members": format_number(result.members),
               "conditions": format_number(result.conditions)}
    if check:
        message = _("The file is valid; nothing was written: it holds %(households)s households, %(members)s "
                    "members and %(conditions)s living-conditions records.") % figures
    else:
        message = _("Imported %(households)s households, %(members)s members and %(conditions)s living-conditions "
                    "records from %(file)s.") % {**figures, "file": result.file}
    return Outcome(message=message, result={"households": result.households, "members": result.members,
                                            "conditions": result.conditions, "written": not check},
                   result_url="" if check else "/households/", done=result.households)


register(JobKind(name=IMPORT, run=_run, authorize=starter_or_admin))


def household_import_start(*, actor: Actor, upload: UploadedFile, unit: Unit | None, check: bool) -> Job:
    """Stores the upload and queues its import (or its check, with `check`)."""
    title = (_("Check of %(file)s") if check else _("Import of %(file)s")) % {"file": upload.name or ""}
    return import_job_start(kind=IMPORT, title=title, actor=actor, upload=upload, unit=unit,
                            params={"check": check, "ip": actor.ip})
