"""Models of the inspections area of the care app (issue 14 item 4): the inspectorate's yearly
plans, its inspections of establishments and units (findings, violations, sanctions, follow-up),
citizen reception (tiếp công dân, counted in lượt) and the letters it receives: complaints,
denunciations, recommendations and reports (khiếu nại, tố cáo, kiến nghị, phản ánh) with their
statutory time limits (`limits_inspections`).

Every record belongs to a province (`province`) and to the unit where it lies (`unit`: the commune
of the establishment inspected, the commune or the province that received the citizen); scope and
counting go by those (`access_inspections`, `indicators_inspections`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["Complexity", "FollowUp", "Inspection", "InspectionKind", "InspectionPlan", "InspectionTeam",
           "LegalArea", "Petition", "PetitionKind", "PetitionStatus", "PetitionStep", "Reception", "ReceptionKind",
           "ReceptionOutcome", "StepKind", "SubjectKind", "ViolationKind", "GROUP_SIZE"]

# A group visit (đoàn đông người): five or more people coming together on one matter choose
# representatives (Law on Citizen Reception 42/2013/QH13, Art. 30; Decree 64/2014/NĐ-CP, Art. 7).
# It is one lượt with its headcount in the reports' forms (Circular 02/2021/TT-TTCP, form 01) [S].
GROUP_SIZE = 5


class InspectionTeam(models.TextChoices):
    INSPECTORATE = "inspectorate", _("Department inspectorate")
    TEAM_178 = "team_178", _("Interdisciplinary team 178")
    OTHER = "other", _("Other team")


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", pgettext_lazy("inspections", "inspection")
    CHECK = "check", pgettext_lazy("inspections", "check")


class LegalArea(models.TextChoices):
    LABOUR = "labour", _("labour law")
    SOCIAL_INSURANCE = "social_insurance", _("social, health and unemployment insurance")
    SAFETY = "safety", _("occupational safety and health")
    SOCIAL_ASSISTANCE = "social_assistance", _("social assistance policy")
    MERITORIOUS = "meritorious", _("policies for meritorious people")
    CHILDREN = "children", pgettext_lazy("inspections", "children")
    VOCATIONAL = "vocational", _("vocational education")
    SOCIAL_EVILS = "social_evils", _("social evils, entertainment businesses")
    OTHER = "other", pgettext_lazy("inspections", "other")


class SubjectKind(models.TextChoices):
    ESTABLISHMENT = "establishment", _("establishment or enterprise")
    UNIT = "unit", _("agency or unit")


class ViolationKind(models.TextChoices):
    NO_CONTRACT = "no_contract", _("workers without a labour contract")
    INSURANCE = "insurance", _("insurance not paid or not in full")
    WAGES = "wages", _("wages, working time")
    SAFETY = "safety", _("occupational safety and health")
    LICENCE = "licence", _("business conditions, licence")
    POLICY = "policy", _("policy paid wrongly")
    OTHER = "other", pgettext_lazy("inspections", "other")


class InspectionPlan(models.Model):
    """The yearly plan of an inspecting body (Law on Inspection 11/2022/QH15, Art. 47–48: approved
    by the end of the year before)."""

    province = models.ForeignKey("geo.Unit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    team = models.CharField(pgettext_lazy("inspections", "inspecting body"), max_length=16, choices=InspectionTeam.choices)
    number = models.CharField(_("number"), max_length=40, help_text=_("For example 05/KH-TTr."))
    title = models.CharField(_("title"), max_length=255)
    approved_on = models.DateField(pgettext_lazy("inspections", "approved on"), null=True, blank=True)
    planned_count = models.PositiveIntegerField(_("inspections planned"), default=0)
    notes = models.TextField(pgettext_lazy("inspections", "notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "team", "number"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [models.UniqueConstraint(fields=["province", "year", "team", "number"],
                                               name="care_inspection_plan_once")]

    def __str__(self) -> str:
        return f"{self.number} ({self.year})"


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def establishments(self) -> InspectionQuerySet:
        return self.filter(subject_kind=SubjectKind.ESTABLISHMENT)

    def with_violations(self) -> InspectionQuerySet:
        return self.filter(violations_count__gt=0)


class Inspection(models.Model):
    """One inspection (thanh tra) or check (kiểm tra) of one establishment or unit."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspections")
    province = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("geo.Unit", verbose_name=pgettext_lazy("inspections", "where"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("The commune where the establishment lies, or the province."))
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices, default=InspectionKind.CHECK)
    team = models.CharField(pgettext_lazy("inspections", "inspecting body"), max_length=16, choices=InspectionTeam.choices)
    legal_area = models.CharField(pgettext_lazy("inspections", "legal area"), max_length=20, choices=LegalArea.choices)
    subject_kind = models.CharField(pgettext_lazy("inspections", "subject"), max_length=16, choices=SubjectKind.choices,
                                    default=SubjectKind.ESTABLISHMENT)
    employer = models.ForeignKey("labour.Employer", verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(_("name of the establishment or unit"), max_length=255)
    # Who was inspected, for counting establishments once: "e<employer id>" or the folded name.
    subject_key = models.CharField(max_length=260, editable=False, db_index=True)
    started_on = models.DateField(pgettext_lazy("inspections", "started on"), db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    members = models.CharField(pgettext_lazy("inspections", "team members"), max_length=500, blank=True)
    findings = models.TextField(pgettext_lazy("inspections", "findings"), blank=True)
    violations_count = models.PositiveIntegerField(pgettext_lazy("inspections", "violations"), default=0)
    violation_kind = models.CharField(pgettext_lazy("inspections", "kind of violation"), max_length=16, choices=ViolationKind.choices,
                                      blank=True)
    violations = models.TextField(_("violations found"), blank=True)
    recommendations = models.TextField(pgettext_lazy("inspections", "recommendations"), blank=True)
    sanction_amount = models.DecimalField(_("fines (VND)"), max_digits=14, decimal_places=0, default=Decimal(0))
    sanction_note = models.CharField(pgettext_lazy("inspections", "sanction"), max_length=255, blank=True,
                                     help_text=_("Decision number, or a reminder and a written commitment."))
    is_demo = models.BooleanField(default=False, editable=False, help_text="Made by `ansinh demo care`.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = pgettext_lazy("inspections", "inspection")
        verbose_name_plural = pgettext_lazy("inspections", "inspections")
        indexes = [models.Index(fields=["province", "started_on"], name="care_insp_province_day")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                                   name="care_inspection_dates"),
            models.CheckConstraint(condition=models.Q(sanction_amount__gte=0), name="care_inspection_sanction"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.started_on:%d/%m/%Y})"

    @property
    def has_violations(self) -> bool:
        return self.violations_count > 0


class FollowUp(models.Model):
    """A recommendation to carry out after the inspection, with its due date."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=500)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = pgettext_lazy("inspections", "follow-ups")

    def __str__(self) -> str:
        return self.action


class ReceptionKind(models.TextChoices):
    REGULAR = "regular", _("regular reception")
    LEADER = "leader", _("periodic reception by the head")
    AD_HOC = "ad_hoc", _("ad hoc reception")


class ReceptionOutcome(models.TextChoices):
    GUIDED = "guided", _("guided to the competent body")
    ANSWERED = "answered", _("explained and answered")
    LETTER = "letter", _("letter received")


class Reception(models.Model):
    """One lượt of citizen reception: one citizen, or one group on one matter (Law on Citizen
    Reception 42/2013/QH13; a group is one lượt with its headcount, GROUP_SIZE)."""

    province = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("geo.Unit", verbose_name=_("received at"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(pgettext_lazy("inspections", "date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ReceptionKind.choices, default=ReceptionKind.REGULAR)
    receiver = models.CharField(_("received by"), max_length=150)
    citizen_name = models.CharField(_("citizen or representative"), max_length=150, help_text="Personal data.")
    headcount = models.PositiveIntegerField(_("people"), default=1, validators=[MinValueValidator(1)])
    subject = models.CharField(pgettext_lazy("inspections", "matter"), max_length=500)
    legal_area = models.CharField(pgettext_lazy("inspections", "legal area"), max_length=20, choices=LegalArea.choices, default=LegalArea.LABOUR)
    outcome = models.CharField(pgettext_lazy("inspections", "outcome"), max_length=10, choices=ReceptionOutcome.choices)
    is_demo = models.BooleanField(default=False, editable=False, help_text="Made by `ansinh demo care`.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("citizen reception")
        verbose_name_plural = _("citizen receptions")
        constraints = [models.CheckConstraint(condition=models.Q(headcount__gte=1), name="care_reception_headcount")]

    def __str__(self) -> str:
        return f"{self.citizen_name} ({self.received_on:%d/%m/%Y})"

    @property
    def is_group(self) -> bool:
        return self.headcount >= GROUP_SIZE


class PetitionKind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    DENUNCIATION = "denunciation", _("denunciation")
    RECOMMENDATION = "recommendation", _("recommendation or report")


class Complexity(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("inspections", "normal")
    COMPLICATED = "complicated", pgettext_lazy("inspections", "complicated")
    VERY = "very", _("especially complicated")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("received, not yet accepted")
    ACCEPTED = "accepted", _("accepted, being resolved")
    RESOLVED = "resolved", pgettext_lazy("inspections", "resolved")
    CLOSED = "closed", _("not accepted, forwarded or filed")


OPEN_STATUSES = (PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED)


class PetitionQuerySet(models.QuerySet["Petition"]):
    def open(self) -> PetitionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Petition(models.Model):
    """A complaint, denunciation, recommendation or report and where it stands. `due_on` is the
    current statutory deadline (acceptance while received, resolution once accepted), computed by
    `limits_inspections` from the rule in force on the day the term starts."""

    code = models.CharField(_("number"), max_length=40)
    province = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("geo.Unit", verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=PetitionKind.choices)
    instance = models.PositiveSmallIntegerField(pgettext_lazy("inspections", "instance"), default=1, choices=[(1, pgettext_lazy("inspections", "first")), (2, pgettext_lazy("inspections", "second"))],
                                                help_text=_("Complaints only: first or second resolution."))
    remote_area = models.BooleanField(pgettext_lazy("inspections", "remote area"), default=False,
                                      help_text=_("Remote, hard-to-reach area: the law allows longer terms."))
    complexity = models.CharField(pgettext_lazy("inspections", "complexity"), max_length=12, choices=Complexity.choices, default=Complexity.NORMAL)
    petitioner_name = models.CharField(pgettext_lazy("inspections", "petitioner"), max_length=150, help_text="Personal data.")
    subject = models.CharField(pgettext_lazy("inspections", "matter"), max_length=500)
    legal_area = models.CharField(pgettext_lazy("inspections", "legal area"), max_length=20, choices=LegalArea.choices, default=LegalArea.LABOUR)
    reception = models.ForeignKey(Reception, verbose_name=_("from reception"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="petitions")
    received_on = models.DateField(_("received on"), db_index=True)
    accepted_on = models.DateField(pgettext_lazy("inspections", "accepted on"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(pgettext_lazy("inspections", "extensions"), default=0)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    rule = models.CharField(_("legal basis of the time limit"), max_length=300, blank=True)
    resolved_on = models.DateField(pgettext_lazy("inspections", "resolved on"), null=True, blank=True)
    outcome = models.CharField(pgettext_lazy("inspections", "outcome"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED)
    is_demo = models.BooleanField(default=False, editable=False, help_text="Made by `ansinh demo care`.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "-received_on", "-pk"]
        verbose_name = _("complaint, denunciation or petition")
        verbose_name_plural = _("complaints, denunciations and petitions")
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="care_petition_code_once"),
            models.CheckConstraint(condition=models.Q(extensions__lte=2), name="care_petition_extensions"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def stage_deadline(self) -> str:
        return "accept" if self.status == PetitionStatus.RECEIVED else "resolve"


class StepKind(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("inspections", "received")
    ACCEPTED = "accepted", pgettext_lazy("inspections", "accepted")
    EXTENDED = "extended", pgettext_lazy("inspections", "term extended")
    RESOLVED = "resolved", pgettext_lazy("inspections", "resolved")
    CLOSED = "closed", _("not accepted, forwarded or filed")


class PetitionStep(models.Model):
    """Each change of a petition's status is a row with who and when (and the due date it set)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    due_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("step of a letter")
        verbose_name_plural = _("steps of letters")

    def __str__(self) -> str:
        return f"{self.petition_id} {self.kind} {self.on}"
