"""Administrative procedures and their dossiers (hồ sơ thủ tục hành chính), with statutory
deadlines counted in working days of the public offices' calendar (`ansinh.workdays`).

- `Procedure`: the catalogue as dated data (code of the national database of procedures, name,
  the level that receives and the level that decides, the statutory time in working days, fee,
  legal basis, valid_from / valid_to, provisional when the time or code is not confirmed).
- `HandoverRule`: the one-stop shop's rule on a dossier received late in the day (Decree
  61/2018/NĐ-CP Art. 18: a paper dossier received after 15:00 is handed over at the start of the
  next working day; Decree 118/2025/NĐ-CP from 1 Jul 2025). It is about the hand-over, not the
  legal term, so by default it does NOT move the start of the count (`shift_start=False`); a
  procedure whose own text counts from the next day says so (`Procedure.counts_from_next_day`).
- `Dossier`: one application, from receipt to the result returned; its status changes are rows
  of `DossierEvent` (who, when, what, the deadline after it).
- `WorkdayIndex`: the working-day calendar of a province as a table (a number per working day),
  so that the due dates of a year's dossiers are computed by one UPDATE (`due.py`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import Field


class ProcedureLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune level")
    DISTRICT = "district", _("District level (before 1 July 2025)")
    PROVINCE = "province", _("Provincial level")
    CENTRAL = "central", _("Central level")


class ProcedureUse(models.TextChoices):
    """The dossiers of the system's other capabilities whose deadline a procedure sets: each kind
    maps to the catalogue version in force on its day of receipt (`ansinh.procedures.deadlines`),
    so that editing the catalogue changes the deadline of every new dossier of that kind."""

    BENEFIT_SOCIAL_ASSISTANCE = "benefit_social_assistance", _("Benefit dossiers: monthly social assistance")
    BENEFIT_SOCIAL_PENSION = "benefit_social_pension", _("Benefit dossiers: social pension")
    BENEFIT_MERITORIOUS = "benefit_meritorious", _("Benefit dossiers: people with meritorious service (start, change)")
    BENEFIT_MERITORIOUS_MOVE = "benefit_meritorious_move", _("Benefit dossiers: people with meritorious service (move)")
    BENEFIT_MERITORIOUS_STOP = "benefit_meritorious_stop", _("Benefit dossiers: people with meritorious service (stop)")
    UNEMPLOYMENT = "unemployment", _("Unemployment insurance dossiers")
    PERMIT_ISSUE = "permit_issue", _("Work permits: issue")
    PERMIT_REISSUE = "permit_reissue", _("Work permits: re-issue")
    PERMIT_EXTEND = "permit_extend", _("Work permits: extension")
    PERMIT_EXEMPTION = "permit_exemption", _("Work permits: confirmation of exemption")


class Procedure(models.Model):
    """One version of a procedure: the row whose [valid_from, valid_to] holds the date of receipt
    applies to a dossier."""

    code = models.CharField(_("procedure code"), max_length=30,
                            help_text=_("Code in the national database of administrative procedures, e.g. 1.001776."))
    name = models.CharField(_("name"), max_length=400)
    field = models.CharField(_("field"), max_length=24, choices=Field.choices)
    receiving_level = models.CharField(_("level that receives"), max_length=10, choices=ProcedureLevel.choices)
    deciding_level = models.CharField(_("level that decides"), max_length=10, choices=ProcedureLevel.choices)
    days = models.PositiveSmallIntegerField(_("statutory time (working days)"))
    fee = models.DecimalField(_("fee (VND)"), max_digits=12, decimal_places=0, default=0)
    legal_basis = models.CharField(_("legal basis"), max_length=400)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("The code or the time is not yet confirmed against the legal text."))
    counts_from_next_day = models.BooleanField(
        _("counts from the next working day after the cut-off"), default=False,
        help_text=_("The procedure's own text counts a dossier received after the cut-off hour from the next working day."))
    note = models.CharField(_("note"), max_length=500, blank=True)
    used_for = models.CharField(
        _("deadline of the system's dossiers"), max_length=32, choices=ProcedureUse.choices, blank=True,
        help_text=_("The dossiers of another part of the system (benefits, unemployment, work permits) whose "
                    "deadline this procedure sets; one version in force at a time for each."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field", "code", "-valid_from"]
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="procedure_one_version_a_day")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class HandoverRule(models.Model):
    """The cut-off hour of the one-stop shop (Decree 61/2018 Art. 18; Decree 118/2025), dated."""

    cutoff = models.TimeField(_("cut-off hour"), default=dt.time(15, 0))
    shift_start = models.BooleanField(
        _("count from the next working day after the cut-off"), default=False,
        help_text=_("Off by default: the rule is about handing the dossier over, the legal term runs from receipt."))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("hand-over rule")
        verbose_name_plural = _("hand-over rules")

    def __str__(self) -> str:
        return f"{self.legal_basis} ({self.valid_from:%d/%m/%Y})"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    POST = "post", _("By post")
    ONLINE = "online", _("Online (public-service portal)")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("Being processed")
    ADDITIONS = "additions", _("Waiting for additions")
    SUSPENDED = "suspended", _("Suspended")
    RESOLVED = "resolved", _("Result ready")
    RETURNED = "returned", _("Result returned")


OPEN_STATUSES = (DossierStatus.RECEIVED, DossierStatus.ADDITIONS, DossierStatus.SUSPENDED)
DONE_STATUSES = (DossierStatus.RESOLVED, DossierStatus.RETURNED)


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class DossierQuerySet(models.QuerySet["Dossier"]):
    def open(self) -> DossierQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def due_between(self, first: dt.date, last: dt.date) -> DossierQuerySet:
        """Open dossiers (not waiting for the applicant, not suspended) due in [first, last]."""
        return self.filter(status=DossierStatus.RECEIVED, due_on__gte=first, due_on__lte=last)

    def overdue(self, today: dt.date) -> DossierQuerySet:
        return self.filter(status=DossierStatus.RECEIVED, due_on__lt=today)

    def resolved_between(self, first: dt.date, last: dt.date) -> DossierQuerySet:
        return self.filter(status__in=DONE_STATUSES, resolved_on__gte=first, resolved_on__lte=last)


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=40)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT,
                                  related_name="dossiers")
    field = models.CharField(_("field"), max_length=24, choices=Field.choices,
                             help_text="The procedure's field, kept here for scope.")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.IN_PERSON)
    applicant_name = models.CharField(_("applicant"), max_length=200, help_text=_("Personal data."))
    applicant_id_number = models.CharField(_("citizen ID of the applicant"), max_length=12, blank=True,
                                           help_text=_("Personal data."))
    applicant_contact = models.CharField(_("contact (phone, address)"), max_length=300, blank=True,
                                         help_text=_("Personal data."))
    person = models.ForeignKey("households.Member", verbose_name=_("person of the register"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="procedure_dossiers")
    unit = models.ForeignKey("geo.Unit", verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="+",
                             db_index=False)  # the composite indexes below lead with the unit
    province = models.ForeignKey("geo.Unit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 help_text="The province of the receiving unit: its calendar counts the deadline.")
    agency = models.CharField(_("agency handling it"), max_length=200)
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"), help_text="The local date of received_at (for counting).")
    start_on = models.DateField(_("deadline counted from"),
                                help_text="The day of receipt, or of the completed dossier after additions.")
    days = models.PositiveSmallIntegerField(_("statutory time (working days)"))
    extra_days = models.PositiveSmallIntegerField(_("working days suspended"), default=0)
    due_on = models.DateField(_("due on"), help_text="Computed in working days from the calendar.")
    new_due_on = models.DateField(_("new appointment"), null=True, blank=True,
                                  help_text="The one new appointment of the apology slip (Decree 61/2018 Art. 19).")
    apology_reason = models.CharField(_("reason for the delay"), max_length=500, blank=True)
    apology_at = models.DateTimeField(_("apology slip issued at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DossierStatus.choices, default=DossierStatus.RECEIVED)
    outcome = models.CharField(_("result"), max_length=8, choices=Outcome.choices, blank=True)
    result_note = models.CharField(_("result (decision, document number)"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    resolved_on = models.DateField(_("result ready on"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("procedure dossier")
        verbose_name_plural = _("procedure dossiers")
        # A unique constraint, not unique=True: PostgreSQL then keeps no second (LIKE) index on the
        # code; every index here is written again when due dates are recomputed.
        constraints = [models.UniqueConstraint(fields=["code"], name="proc_dossier_one_code")]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="proc_dossier_unit_due"),
            models.Index(fields=["unit", "resolved_on"], name="proc_dossier_unit_resolved"),
            models.Index(fields=["unit", "received_on"], name="proc_dossier_unit_received"),
        ]

    def __str__(self) -> str:
        return self.code

    def timeliness(self, today: dt.date | None = None) -> str:
        """Early / on time / late against the statutory due date (an apology's new appointment
        does not make a late dossier on time); "" for an open dossier not yet late."""
        if self.resolved_on is not None:
            if self.resolved_on < self.due_on:
                return Timeliness.EARLY
            return Timeliness.ON_TIME if self.resolved_on == self.due_on else Timeliness.LATE
        if today is not None and self.status == DossierStatus.RECEIVED and today > self.due_on:
            return Timeliness.LATE
        return ""

    def get_timeliness_display(self, today: dt.date | None = None) -> str:
        value = self.timeliness(today)
        return str(Timeliness(value).label) if value else ""


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ADDITIONS_REQUESTED = "additions_requested", _("Additions requested")
    ADDITIONS_RECEIVED = "additions_received", _("Dossier completed (the deadline restarts)")
    TRANSFERRED = "transferred", _("Transferred to another agency")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    APOLOGY = "apology", _("Apology slip and new appointment")
    RESOLVED = "resolved", _("Result ready")
    RETURNED = "returned", _("Result returned to the applicant")


class DossierEvent(models.Model):
    """A dossier's history: each change with who, when and the deadline after it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_agency = models.CharField(_("from"), max_length=200, blank=True)
    to_agency = models.CharField(_("to"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        indexes = [models.Index(fields=["dossier", "at"], name="proc_event_dossier_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class WorkdayIndex(models.Model):
    """The working days of a province's calendar numbered in order (`ordinal` = working days up
    to and including `day`), rebuilt from `ansinh.workdays` before each set-based computation:
    the n-th working day after a date d is the working day whose ordinal is ordinal(d) + n."""

    province = models.ForeignKey("geo.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    ordinal = models.PositiveIntegerField()
    working = models.BooleanField()

    class Meta:
        verbose_name = _("working-day index")
        verbose_name_plural = _("working-day indexes")
        constraints = [models.UniqueConstraint(fields=["province", "day"], name="proc_workday_one_day")]
        # The k-th working day: the working row whose ordinal is k (the due-date join reads this index).
        indexes = [models.Index(fields=["province", "ordinal", "day"], name="proc_workday_ordinal")]
