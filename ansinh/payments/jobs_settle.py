"""A paying agent's result file as a background job (`payments.results_import`), started from the
payroll's or package's page: the same `apply_results` as the CLI (all or nothing, the importer's
scope); a file with problems fails the job with the table of problems and writes nothing. Only the
person who started it (and administrators) see the job: its problems quote personal data."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.accounts.audit import Actor
from ansinh.jobs.imports import import_input, import_job_start, problems_found, starter_or_admin
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.lib.vietnamese import format_number

from .models import Package, Payroll

RESULTS_IMPORT = "payments.results_import"



def _run(job: Job, progress: Progress) -> Outcome:
    from .results import ResultsError, apply_results

    path, user = import_input(job, cannot=_("The person who started this import can no longer reconcile payments."))
    payroll = Payroll.objects.filter(pk=job.params.get("payroll") or 0).select_related("commune").first()
    package = Package.objects.filter(pk=job.params.get("package") or 0).select_related("unit").first()
    if payroll is None and package is None:
        raise JobError(_("The payroll or package of this file no longer exists."))
    progress.say(_("Checking the file…"))
    try:
        result = apply_results(path, actor=Actor(user=user, ip=job.params.get("ip")), payroll=payroll,
                               package=package, name=job.params.get("file_name", ""))
    except ResultsError as error:
        raise problems_found([{"row": p.row, "column": p.column, "message": p.message}
                              for p in error.problems]) from None
    figures = {"n": format_number(result.rows), "paid": format_number(result.paid),
               "partly": format_number(result.partly), "not_paid": format_number(result.not_paid),
               "amount": format_number(result.amount_paid)}
    message = _("Results of %(n)s lines recorded: %(paid)s paid, %(partly)s partly paid, %(not_paid)s not paid; "
                "%(amount)s VND paid.") % figures
    url = (reverse("payroll-detail", args=[payroll.pk]) if payroll is not None
           else reverse("package-detail", args=[package.pk]) if package is not None else "")
    return Outcome(message=message, result={"rows": result.rows, "paid": result.paid, "partly": result.partly,
                                            "not_paid": result.not_paid, "amount_paid": result.amount_paid},
                   result_url=url, done=result.rows)


register(JobKind(name=RESULTS_IMPORT, run=_run, authorize=starter_or_admin, reload_on_success=True))


def results_import_start(*, actor: Actor, upload: UploadedFile, payroll: Payroll | None = None,
                         package: Package | None = None) -> Job:
    """Stores the upload and queues its import for the payroll or package."""
    subject = payroll if payroll is not None else package
    unit = payroll.commune if payroll is not None else package.unit if package is not None else None
    title = _("Payment results from %(file)s") % {"file": upload.name or ""}
    return import_job_start(kind=RESULTS_IMPORT, title=title, actor=actor, upload=upload, unit=unit, subject=subject,
                            key=f"{'payroll' if payroll is not None else 'package'}-{subject.pk if subject else 0}",
                            params={"payroll": payroll.pk if payroll else None,
                                    "package": package.pk if package else None, "ip": actor.ip})
