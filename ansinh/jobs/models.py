"""A background job as the person who started it sees it: what, who, where, how far, how it ended.

The job's status is its own state machine, apart from the status of the record it works on
(UNICEF HOPE's lesson): a classification that fails leaves the review round as it was, with its
previous results, and only the job says "failed". The task backend's own result row
(django_tasks_db) is the transport; this row is what the pages show and what a retry restarts.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job", "waiting")
    RUNNING = "running", pgettext_lazy("job", "running")
    SUCCEEDED = "succeeded", pgettext_lazy("job", "done")
    FAILED = "failed", pgettext_lazy("job", "failed")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobQuerySet(models.QuerySet["Job"]):
    def active(self) -> JobQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def for_subject(self, kind: str, subject: models.Model, key: str = "") -> JobQuerySet:
        return self.filter(kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
                           key=key)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=100, help_text="A kind registered in ansinh.jobs.kinds.")
    title = models.CharField(_("job"), max_length=300)
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    key = models.CharField(max_length=100, blank=True,
                           help_text="Tells apart jobs of one kind on one record (a plan's package per period).")
    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    params = models.JSONField(default=dict, blank=True, help_text="What the kind needs to run it again.")
    language = models.CharField(max_length=10, default="vi", help_text="Messages are written in this language.")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveBigIntegerField(pgettext_lazy("job", "done so far"), default=0)
    total = models.PositiveBigIntegerField(pgettext_lazy("job", "to do in all"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True, help_text="For the user; the traceback goes to the log.")
    result = models.JSONField(default=dict, blank=True, help_text="Figures of the outcome; an import's problems.")
    result_url = models.CharField(max_length=500, blank=True)
    result_file = models.CharField(max_length=300, blank=True, help_text="Relative to settings.JOBS_DIR.")
    input_file = models.CharField(max_length=300, blank=True, help_text="Relative to settings.JOBS_DIR.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Runs since it was last started by a person.")
    token = models.CharField(max_length=32, blank=True,
                             help_text="Changes at each enqueue: a task carrying an older one does nothing.")
    task_id = models.CharField(max_length=64, blank=True, help_text="The task backend's result id.")
    worker = models.CharField(max_length=120, blank=True, help_text="host:pid of the process running it.")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"]), models.Index(fields=["status"])]
        constraints = [
            # One waiting or running job per record and kind: a second click joins the first.
            models.UniqueConstraint(fields=["kind", "subject_type", "subject_id", "key"],
                                    condition=Q(status__in=["queued", "running"]), name="job_one_active_per_subject"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("job-detail", args=[self.pk])

    @property
    def input_path(self) -> Path | None:
        return Path(settings.JOBS_DIR) / self.input_file if self.input_file else None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))
