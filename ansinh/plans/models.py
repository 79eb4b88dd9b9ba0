"""Indicators, agencies, plans with targets split among units, tasks, and periodic submissions.

A plan (kế hoạch) sets targets (indicator × unit × period → value) and splits them among the
units below; units then report results for each period (báo cáo định kỳ), and the unit above
approves or returns them. Legal basis: Decree 09/2019/NĐ-CP (administrative reporting: periods
and data cut-off dates), Decree 30/2020/NĐ-CP (document format), Circular 04/2024/TT-BLĐTBXH
(the sector's indicator system). Indicators are data with effective dates (`catalogue_data.py`).

Scoping: a plan or submission may belong to a unit of the legacy map (a 2020 plan of Trà Vinh,
code 84); `home` is the current-map unit that took it over, and access checks use `home`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """Fields of work; a periodic report has one section per field, in this order."""

    EMPLOYMENT = "employment", _("Labour, employment and vocational training")
    MERITORIOUS = "meritorious", _("War invalids, martyrs and meritorious people")
    POVERTY = "poverty", _("Sustainable poverty reduction")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")
    CHILDREN = "children", _("Children and gender equality")
    SOCIAL_EVILS = "social_evils", _("Prevention of social evils")
    INSPECTION = "inspection", _("Inspection")
    ADMINISTRATION = "administration", _("Other work of the sector")


SECTOR_ORDER = {value: index for index, value in enumerate(Sector.values)}


class Source(models.TextChoices):
    COUNTED = "counted", _("counted from a registry")
    DECLARED = "declared", _("declared by units")
    DERIVED = "derived", _("derived by a formula")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum of the units below")
    FORMULA = "formula", _("formula recomputed at each level")
    NONE = "none", _("not aggregable")


class OverTime(models.TextChoices):
    FLOW = "flow", _("adds up over the periods (a flow)")
    STOCK = "stock", _("value at the end of the period (a stock)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Dimension(models.TextChoices):
    SEX = "sex", _("sex")
    ETHNICITY = "ethnicity", _("ethnic group")
    AGE = "age", _("age group")
    DESTINATION = "destination", _("destination country")
    TRAINING_LEVEL = "training_level", _("training level")
    TRAINING_FIELD = "training_field", _("field of training")
    FUNDING = "funding", _("funding source")
    LEVEL = "level", _("level of government")
    GROUP = "group", _("group of beneficiaries")


class Indicator(models.Model):
    """One indicator of the catalogue. `breakdowns` is a list of {"code", "name", "dimension"}:
    the "of which" parts a target or result may carry (women, Khmer, Taiwan, …)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40)
    sector = models.CharField(_("field"), max_length=24, choices=Sector.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    query = models.CharField(_("registry query"), max_length=60, blank=True)
    formula = models.CharField(_("formula"), max_length=300, blank=True)
    aggregation = models.CharField(_("aggregation"), max_length=10, choices=Aggregation.choices)
    over_time = models.CharField(_("over time"), max_length=8, choices=OverTime.choices, default=OverTime.FLOW)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    breakdowns = models.JSONField(_("breakdowns"), default=list, blank=True)
    sentence = models.TextField(_("sentence template"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def breakdown_name(self, code: str) -> str:
        return next((str(b["name"]) for b in self.breakdowns if b["code"] == code), code)

    @property
    def counts_whole(self) -> bool:
        """Its figures count people, households, dossiers…: whole numbers (not money, not a rate)."""
        uom = self.unit_of_measure.strip()
        return self.decimals == 0 and uom != "%" and "đồng" not in uom

    @property
    def breakdown_codes(self) -> list[str]:
        return [str(b["code"]) for b in self.breakdowns]

    def in_force(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (self.valid_to is None or self.valid_to >= date)


class IndicatorSentence(models.Model):
    """A department's own sentence template for an indicator, used in its units' reports."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sentences")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("sentence template"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator sentence")
        verbose_name_plural = _("indicator sentences")
        constraints = [models.UniqueConstraint(fields=["indicator", "unit"], name="indicator_sentence_unique")]


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "ubnd", _("People's Committee")
    DEPARTMENT = "so", _("Department (Sở)")
    DIVISION = "phong", _("Division (Phòng)")
    CENTRE = "trung_tam", _("Centre or facility")
    SOCIAL_INSURANCE = "bhxh", _("Social insurance office")
    SOCIAL_POLICY_BANK = "nhcsxh", _("Social policy bank")
    STATISTICS = "thong_ke", _("Statistics office")
    MASS_ORGANISATION = "doan_the", _("Front and mass organisations")
    OTHER = "khac", _("Other body")


class Agency(models.Model):
    """A body that issues documents or carries tasks, attached to a unit (legacy or current)."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    symbol = models.CharField(
        _("symbol"), max_length=30, blank=True, help_text=_("Used in document numbers, e.g. UBND, SLĐTBXH.")
    )
    kind = models.CharField(_("type"), max_length=12, choices=AgencyKind.choices)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", verbose_name=_("body above"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="agency_unique_per_unit")]

    def __str__(self) -> str:
        return self.name


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")


class Plan(models.Model):
    """A plan document (Decree 30/2020 layout) with its targets, splits and tasks."""

    doc_type = models.CharField(_("document type"), max_length=8, default="KH")
    number = models.CharField(_("number and symbol"), max_length=60, help_text=_("For example 12/KH-UBND."))
    agency = models.ForeignKey(Agency, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="plans")
    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, related_name="+", help_text="Current-map unit, for access checks."
    )
    year = models.PositiveSmallIntegerField(_("year"))
    place = models.CharField(_("place"), max_length=100)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    title = models.TextField(_("title"))
    basis = models.TextField(_("based on"), blank=True, help_text=_("One document per line."))
    situation = models.TextField(_("current situation"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    solutions = models.TextField(_("tasks and solutions"), blank=True,
                                 help_text=_("The plan's «Nhiệm vụ, giải pháp»: one paragraph per line; a line such as "
                                             "“1. Hỗ trợ tín dụng” is a heading."))
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    signer_authority = models.CharField(_("signing authority"), max_length=60, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=80, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    deadlines = models.JSONField(_("reporting deadlines"), default=dict, blank=True)
    form_codes = models.JSONField(
        _("indicators in the periodic form"), default=list, blank=True,
        help_text=_("Codes of the indicators units declare each period; empty: those with a target."),
    )
    percent_decimals = models.PositiveSmallIntegerField(_("decimals of percentages"), default=1)
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [models.UniqueConstraint(fields=["agency", "number", "year"], name="plan_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Target(models.Model):
    """Indicator × unit × period → value (optionally one breakdown, e.g. women); the current value
    of a chain of revisions (`TargetRevision`, number 0 = as issued)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=10)
    breakdown = models.CharField(_("breakdown"), max_length=40, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "unit", "period", "breakdown"], name="target_unique")
        ]
        indexes = [models.Index(fields=["plan", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit_id} {self.period} {self.breakdown}: {self.value}"


class TargetRevision(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    value = models.DecimalField(max_digits=20, decimal_places=4)
    previous = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    document = models.CharField(_("decided by"), max_length=200, blank=True)
    revised_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target revision")
        verbose_name_plural = _("target revisions")
        ordering = ["target", "number"]
        constraints = [models.UniqueConstraint(fields=["target", "number"], name="target_revision_unique")]


class TaskStatus(models.TextChoices):
    OPEN = "open", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField(default=0)
    sector = models.CharField(_("field"), max_length=24, choices=Sector.choices, blank=True)
    description = models.TextField(_("task"))
    lead = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="lead_tasks"
    )
    partners = models.ManyToManyField(Agency, verbose_name=_("partner agencies"), blank=True, related_name="+")
    due_on = models.DateField(_("due date"), null=True, blank=True)
    due_period = models.CharField(_("due period"), max_length=10, blank=True)
    due_condition = models.CharField(_("due when"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def due_date(self) -> dt.date | None:
        """The due date, or the end of the due period; None for a condition."""
        if self.due_on is not None:
            return self.due_on
        if self.due_period:
            from .periods import Period

            return Period.parse(self.due_period).end
        return None


class TaskNote(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("progress note"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task note")
        verbose_name_plural = _("task notes")
        ordering = ["task", "written_on", "pk"]


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")


# Figures of these submissions count in results (a draft or a returned form does not).
COUNTED_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


class Submission(models.Model):
    """A unit's periodic form for a plan: the declared indicators' values for one period."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reporting form")
        verbose_name_plural = _("reporting forms")
        constraints = [models.UniqueConstraint(fields=["plan", "unit", "period"], name="submission_unique")]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.plan.number} {self.unit} {self.period}"

    @property
    def locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


class SubmissionValue(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    breakdown = models.CharField(max_length=40, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator", "breakdown"], name="submission_value_unique")
        ]


class SubmissionEvent(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("reporting form event")
        verbose_name_plural = _("reporting form events")
        ordering = ["submission", "at", "pk"]


class ReportText(models.Model):
    """What people write around a periodic report's figures (seed 001): its number and date, the
    assessment («II. Nhận xét, đánh giá»: advantages, difficulties) and its recipients. One per
    plan, unit and period; the figures themselves are never typed here."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="report_texts")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=10)
    number = models.CharField(_("number and symbol"), max_length=60, blank=True,
                              help_text=_("For example 45/BC-SLĐTBXH; empty leaves a blank to fill in."))
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    strengths = models.TextField(_("advantages"), blank=True, help_text=_("One point per line."))
    difficulties = models.TextField(_("difficulties and shortcomings"), blank=True,
                                    help_text=_("One point per line."))
    recipients = models.TextField(_("recipients"), blank=True,
                                  help_text=_("One per line; empty uses the plan's (or the body above)."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [models.UniqueConstraint(fields=["plan", "unit", "period"], name="report_text_unique")]

    def __str__(self) -> str:
        return f"{self.plan} {self.unit_id} {self.period}"
