"""The placements and counselling imports as background jobs: the uploaded file is read by the
worker with the same functions the CLI uses (all or nothing, the importer's scope); a file with
problems fails the job with the table of problems and writes nothing. Only the person who started
it (and administrators) see the job: its problems quote the file's personal data."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Unit
from ansinh.jobs.imports import starter_or_admin
from ansinh.jobs.kinds import JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.vietnamese import format_number

from .import_jobs import run_import, start_import

PLACEMENTS = "labour.import_placements"
COUNSELLING = "labour.import_counselling"


def _run(job: Job, progress: Progress) -> Outcome:
    from .counselling_import import import_counselling
    from .placements_import import import_placements

    placements = job.kind == PLACEMENTS
    result = run_import(job, progress, import_placements if placements else import_counselling,
                        cannot=_("The person who started this import can no longer import labour records."),
                        job_argument="import_job")
    figures = {"n": format_number(result.created), "file": result.file}
    if placements:
        message = _("Imported %(n)s job placements from %(file)s.") % figures
        url = reverse("placement-list")
    else:
        message = _("Imported %(n)s lượt of counselling from %(file)s.") % figures
        url = reverse("counselling-list")
    return Outcome(message=message, result={"created": result.created}, result_url=url, done=result.created)


register(JobKind(name=PLACEMENTS, run=_run, authorize=starter_or_admin))
register(JobKind(name=COUNSELLING, run=_run, authorize=starter_or_admin))


def labour_import_start(*, kind: str, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    """Stores the upload and queues its import (`kind`: PLACEMENTS or COUNSELLING)."""
    title = _("Import of %(file)s") % {"file": upload.name or ""}
    return start_import(kind=kind, title=title, actor=actor, upload=upload, province=province)


__all__ = ["COUNSELLING", "PLACEMENTS", "labour_import_start"]
