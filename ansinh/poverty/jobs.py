"""A review round's classification as a background job (started from the round's page).

The round's status (open, decided) and the job's status are two state machines: the job runs
`services.review_round_run`, which replaces the round's results in one transaction, so a job that
fails or whose worker dies leaves the round with its previous results, and running it again is
safe. The CLI (`ansinh poverty round run`) still classifies in the foreground with its progress bar.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from ansinh.poverty.access import get_round_for_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.jobs.kinds import JobError, JobKind, Outcome, Progress, register
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_start, latest_job
from ansinh.lib.vietnamese import format_number

from . import services
from .models import ReviewRound

CLASSIFICATION = "households.round_classification"


def _authorize(user: User, job: Job, change: bool) -> None:
    """Those who may follow the round see its job; those who may classify it retry it."""
    if job.subject_id is None:
        raise JobError("no round")  # pragma: no cover - a classification always names its round
    get_round_for_user(user, job.subject_id, change=change)


def _run(job: Job, progress: Progress) -> Outcome:
    round_ = ReviewRound.objects.filter(pk=job.subject_id or 0).select_related("unit", "standard").first()
    if round_ is None:
        raise JobError(_("This review round no longer exists."))
    progress.say(_("Classifying the households…"))
    count = services.review_round_run(round=round_, actor=Actor(user=job.started_by, ip=job.params.get("ip")),
                                     progress=progress)
    return Outcome(message=_("Classified %(n)s households.") % {"n": format_number(count)},
                   result={"households": count}, result_url=reverse("round-detail", args=[round_.pk]), done=count)


register(JobKind(name=CLASSIFICATION, run=_run, authorize=_authorize, reload_on_success=True))


def classification_start(*, round: ReviewRound, actor: Actor) -> Job:
    """Queues the round's classification (or joins the one waiting or running)."""
    if round.locked:
        raise ValidationError(_("This review round is decided: its results are locked."))
    title = _("Classification of %(round)s") % {"round": str(round)}
    return job_start(kind=CLASSIFICATION, title=title, actor=actor, subject=round, unit=round.unit,
                     params={"ip": actor.ip})


def classification_job(round: ReviewRound) -> Job | None:
    """The classification job the round's page shows, if any."""
    return latest_job(CLASSIFICATION, round)
