"""The enrolment import as a background job: the worker reads the stored upload with the same
`import_enrolments` the CLI uses (all or nothing, the importer's scope); a file with problems fails
the job with the table of problems and writes nothing. Only the person who started it (and
administrators) see the job: its problems quote the file's personal data."""

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
from .training_import import import_enrolments

IMPORT = "labour.enrolments.import"


def _run(job: Job, progress: Progress) -> Outcome:
    result = run_import(job, progress, import_enrolments,
                        cannot=_("The person who started this import can no longer import enrolments."))
    text = _("Imported %(n)s enrolments (%(courses)s new courses) from %(file)s.") % {
        "n": format_number(result.created), "courses": format_number(result.courses_created), "file": result.file}
    return Outcome(message=text, result={"created": result.created, "courses_created": result.courses_created},
                   result_url=reverse("enrolment-list"), done=result.created)


register(JobKind(name=IMPORT, run=_run, authorize=starter_or_admin, reload_on_success=False))


def enrolment_import_start(*, actor: Actor, upload: UploadedFile, province: Unit) -> Job:
    """Stores the upload and queues its import into `province`."""
    title = _("Import of enrolments from %(file)s") % {"file": upload.name or ""}
    return start_import(kind=IMPORT, title=title, actor=actor, upload=upload, province=province)
