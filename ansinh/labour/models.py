"""Labour and employment registries (issue 13), each record tied to a person of the register where
she lives in the province, so sex, ethnicity, age and commune are read from the register and never
typed:

- **job placements** (`Placement`, giải quyết việc làm), by channel, with "new job" (việc làm tăng
  thêm);
- **job counselling and job fairs** (`CounsellingSession`, `Counselling`): sessions with
  attendance in lượt, and the people counselled, with whether each was on unemployment benefit;
- **vocational training** (`TrainingProvider`, `TrainingLevel` as dated data, `Course`,
  `Enrolment` with completion and certificate);
- **workers abroad under contract** (`Departure`; Law 69/2020/QH14, the sender kinds of Art. 5);
- **unemployment insurance** (`UnemploymentDossier`, `JobSearchReport`), decided by the law in
  force on the contract's end (`UnemploymentRule`, Law 38/2013/QH13 then Law 74/2025/QH15), with
  the regional minimum wages, the base salary and the communes' wage regions as dated data;
- **foreign workers** (`Employer`, `ForeignWorker`, `WorkPermit`; Decree 152/2020 as amended by
  70/2023, replaced by Decree 219/2025 from 7 Aug 2025), the refusal times as dated data
  (`PermitRule`).

The deadline of an unemployment dossier and of a permit dossier is the catalogue of procedures'
(`ansinh.procedures.deadlines`, uses `unemployment` and `permit_<kind>`): one deadline logic for
every dossier of the system; `UnemploymentRule.decision_working_days` and
`PermitRule.working_days` read it.

`commune` on a person's record is her commune of the current map when the record was made (the
unit the figures count it in and the scope rules filter by). `import_job` is the import that made
a record, if any. Personal data (Decree 13/2023/NĐ-CP): every query goes through
`ansinh.labour.access`, every change through the services (audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Recorded(models.Model):
    """Who made a record, when, and from which import."""

    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    import_job = models.ForeignKey("jobs.Job", verbose_name=_("import"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        abstract = True


class PersonRecord(Recorded):
    person = models.ForeignKey("households.Member", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="+")
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+",
                                help_text=_("Where the person lives (from the register)."))

    class Meta:
        abstract = True


class Dated(models.Model):
    """A row of law: in force from `valid_from` to `valid_to` (inclusive, open when empty)."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("Read in a secondary source; to be confirmed against the text."))

    class Meta:
        abstract = True


# --- Employers (placements and foreign workers) ------------------------------------------------


class EmployerKind(models.TextChoices):
    DOMESTIC = "domestic", _("domestic enterprise")
    FOREIGN_INVESTED = "foreign_invested", _("foreign-invested enterprise")
    PUBLIC = "public", _("state agency or public service unit")
    HOUSEHOLD_BUSINESS = "household_business", _("household business or cooperative")
    OTHER = "other", _("other organisation")


class Employer(models.Model):
    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EmployerKind.choices, default=EmployerKind.DOMESTIC)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("located in"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=255, blank=True)
    in_industrial_zone = models.BooleanField(_("in an industrial, export-processing or high-tech zone"),
                                             default=False)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [models.UniqueConstraint(fields=["tax_code"], condition=~Q(tax_code=""),
                                               name="labour_employer_tax_code_once")]

    def __str__(self) -> str:
        return self.name


# --- Job placements -----------------------------------------------------------------------------


class PlacementChannel(models.TextChoices):
    EMPLOYER = "employer", _("hired by a domestic employer")
    JOB_CENTRE = "job_centre", _("referred by the employment service centre")
    LOAN = "loan", _("self-employment with a social-policy loan")
    PUBLIC_WORKS = "public_works", _("public works")
    ABROAD = "abroad", _("work abroad under contract")


class Placement(PersonRecord):
    """A person given a job (giải quyết việc làm) on `placed_on`; youth is 16–30 on that day (Law
    on Youth 57/2020/QH14 Art. 1)."""

    placed_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=16, choices=PlacementChannel.choices)
    employer = models.ForeignKey(Employer, verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="placements")
    employer_name = models.CharField(_("employer"), max_length=255, blank=True,
                                     help_text=_("As written, when the employer is not on the list."))
    new_job = models.BooleanField(_("new job"), default=False, help_text=_("A job added (việc làm tăng thêm)."))
    departure = models.OneToOneField("labour.Departure", verbose_name=_("departure abroad"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="placement")

    class Meta:
        verbose_name = _("job placement")
        verbose_name_plural = _("job placements")
        constraints = [models.UniqueConstraint(fields=["person", "placed_on", "channel"],
                                               name="labour_placement_once")]
        indexes = [models.Index(fields=["commune", "placed_on"], name="labour_placement_commune_on")]


# --- Counselling and job fairs -----------------------------------------------------------------


class SessionKind(models.TextChoices):
    JOB_FAIR = "job_fair", _("job fair (phiên giao dịch việc làm)")
    SEMINAR = "seminar", _("seminar or mobile counselling")
    CENTRE = "centre", _("counselling at the centre")


class CounsellingSession(Recorded):
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("held in"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=255)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    attendance = models.PositiveIntegerField(_("attendance (lượt)"), default=0)
    employers = models.PositiveIntegerField(_("employers taking part"), default=0)
    vacancies = models.PositiveIntegerField(_("vacancies offered"), default=0)
    hired = models.PositiveIntegerField(_("hired on the day"), default=0)

    class Meta:
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")
        indexes = [models.Index(fields=["unit", "held_on"], name="labour_session_unit_on")]


class CounsellingTopic(models.TextChoices):
    JOBS = "jobs", _("jobs")
    TRAINING = "training", _("vocational training")
    ABROAD = "abroad", _("work abroad")
    UNEMPLOYMENT = "unemployment", _("unemployment insurance")


class Counselling(PersonRecord):
    """One person counselled once (a lượt)."""

    counselled_on = models.DateField(_("date"))
    session = models.ForeignKey(CounsellingSession, verbose_name=_("session"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="counsellings")
    topic = models.CharField(_("topic"), max_length=14, choices=CounsellingTopic.choices, default=CounsellingTopic.JOBS)
    on_unemployment_benefit = models.BooleanField(_("receiving unemployment benefit"), default=False)

    class Meta:
        verbose_name = _("counselling")
        verbose_name_plural = _("counselling")
        indexes = [models.Index(fields=["commune", "counselled_on"], name="labour_counselling_commune_on")]


# --- Vocational training ---------------------------------------------------------------------------


class ProviderKind(models.TextChoices):
    PUBLIC = "public", _("public")
    PRIVATE = "private", _("private")
    FOREIGN_INVESTED = "foreign_invested", _("foreign-invested")
    ENTERPRISE = "enterprise", _("enterprise or other organisation that trains")


class TrainingProvider(models.Model):
    """A vocational education institution (cơ sở giáo dục nghề nghiệp) or another organisation that
    trains, with its establishment decision."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("ownership"), max_length=20, choices=ProviderKind.choices)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("located in"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=255, blank=True)
    decision_number = models.CharField(_("establishment decision"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.name


class TrainingLevel(Dated):
    """A level of vocational training as dated data: cao đẳng, trung cấp, sơ cấp, under 3 months
    (Law 74/2014/QH13 Art. 3, 33; Circular 43/2015), and from 1 Jan 2026 the levels of Law
    124/2025/QH15 (trung học nghề)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Higher is a higher level."))
    certified = models.BooleanField(_("gives a diploma or certificate"), default=True)

    class Meta:
        verbose_name = _("training level")
        verbose_name_plural = _("training levels")
        ordering = ["-rank", "code"]

    def __str__(self) -> str:
        return self.name


class TrainingField(models.TextChoices):
    NON_FARM = "non_farm", _("non-farm")
    FARM = "farm", _("farm")


class Funding(models.TextChoices):
    STATE = "state", _("state budget")
    PROGRAMME = "programme", _("national target programme")
    LEARNER = "learner", _("paid by the learner")
    ENTERPRISE = "enterprise", _("paid by an enterprise")
    UNEMPLOYMENT = "unemployment", _("unemployment insurance fund")


class Course(Recorded):
    provider = models.ForeignKey(TrainingProvider, verbose_name=_("training provider"), on_delete=models.PROTECT,
                                 related_name="courses")
    occupation = models.CharField(_("occupation"), max_length=200)
    level = models.ForeignKey(TrainingLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("field"), max_length=10, choices=TrainingField.choices)
    funding = models.CharField(_("funding"), max_length=14, choices=Funding.choices, default=Funding.STATE)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("taught in"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.occupation


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("studying")
    COMPLETED = "completed", _("completed")
    DROPPED = "dropped", _("dropped out")


class Enrolment(PersonRecord):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ENROLLED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("diploma or certificate number"), max_length=60, blank=True)
    certificate_on = models.DateField(_("certificate date"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="labour_enrolment_once")]
        indexes = [models.Index(fields=["commune", "enrolled_on"], name="labour_enrolment_commune_on")]


# --- Workers abroad under contract (Law 69/2020/QH14) --------------------------------------------


class SenderKind(models.TextChoices):
    """Art. 5: who sends the worker."""

    PUBLIC_UNIT = "public_unit", _("public service unit, under an international agreement")
    SERVICE = "service", _("licensed service enterprise")
    CONTRACTOR = "contractor", _("enterprise with a contract or project abroad")
    TRAINING = "training", _("enterprise sending workers for training abroad")
    INVESTOR = "investor", _("organisation or individual investing abroad")
    INDIVIDUAL = "individual", _("contract signed by the worker")


class AbroadStatus(models.TextChoices):
    PREPARING = "preparing", _("preparing to leave")
    ABROAD = "abroad", _("working abroad")
    RETURNED = "returned", _("returned at the contract's end")
    RETURNED_EARLY = "returned_early", _("returned early")
    OVERSTAYED = "overstayed", _("stayed on illegally")


class Departure(PersonRecord):
    destination = models.CharField(_("destination"), max_length=2, help_text=_("ISO 3166 code of the country."))
    sender_kind = models.CharField(_("sent by"), max_length=12, choices=SenderKind.choices,
                                   default=SenderKind.SERVICE)
    enterprise = models.CharField(_("sending enterprise or unit"), max_length=255, blank=True)
    job = models.CharField(_("job"), max_length=200, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("contract term (months)"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=AbroadStatus.choices, default=AbroadStatus.ABROAD)
    labour_code = models.CharField(_("labour code number"), max_length=30, blank=True,
                                   help_text=_("Circular 20/2021/TT-BLĐTBXH Art. 11."))

    class Meta:
        verbose_name = _("worker abroad")
        verbose_name_plural = _("workers abroad")
        indexes = [models.Index(fields=["commune", "departed_on"], name="labour_departure_commune_on")]


# --- Unemployment insurance -------------------------------------------------------------------------


class RegionalMinimumWage(Dated):
    """Decree 74/2024/NĐ-CP from 1 Jul 2024, Decree 293/2025/NĐ-CP from 1 Jan 2026."""

    region = models.PositiveSmallIntegerField(_("region"), choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")])
    monthly = models.PositiveIntegerField(_("monthly (VND)"))
    hourly = models.PositiveIntegerField(_("hourly (VND)"), null=True, blank=True)

    class Meta:
        verbose_name = _("regional minimum wage")
        verbose_name_plural = _("regional minimum wages")
        constraints = [models.UniqueConstraint(fields=["region", "valid_from"], name="labour_min_wage_once")]


class BaseSalary(Dated):
    """Lương cơ sở: 2.340.000 from 1 Jul 2024 (Decree 73/2024), 2.530.000 from 1 Jul 2026 (Decree 161/2026)."""

    amount = models.PositiveIntegerField(_("amount (VND)"))

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="labour_base_salary_once")]


class WageRegionUnit(Dated):
    """A unit's minimum-wage region (a province's row covers its communes unless they have their own)."""

    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    region = models.PositiveSmallIntegerField(_("region"), choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")])

    class Meta:
        verbose_name = _("wage region of a unit")
        verbose_name_plural = _("wage regions of units")
        constraints = [models.UniqueConstraint(fields=["unit", "valid_from"], name="labour_wage_region_once")]


class StartRule(models.TextChoices):
    CALENDAR_DAY = "calendar", _("a day after filing, counted in days")
    WORKING_DAY = "working", _("a working day after filing")


class UnemploymentRule(Dated):
    """The law deciding an unemployment benefit, chosen by the contract's end date: Law 38/2013/QH13
    (to 31 Dec 2025) and Law 74/2025/QH15 (from 1 Jan 2026)."""

    law = models.CharField(_("law"), max_length=60)
    rate_percent = models.PositiveSmallIntegerField(_("share of the average salary (%)"), default=60)
    cap_multiple = models.PositiveSmallIntegerField(_("cap (times the minimum wage)"), default=5)
    state_cap_on_base_salary = models.BooleanField(
        _("state pay scales capped at the base salary"), default=False,
        help_text=_("Law 38/2013: 5 × base salary for people on state pay scales."))
    min_months = models.PositiveSmallIntegerField(_("months of contributions required"), default=12)
    window_months = models.PositiveSmallIntegerField(_("window (months)"), default=24)
    short_contract_window_months = models.PositiveSmallIntegerField(_("window for short contracts (months)"),
                                                                    default=36)
    base_duration = models.PositiveSmallIntegerField(_("months of benefit for the first 36 months"), default=3)
    max_duration = models.PositiveSmallIntegerField(_("longest benefit (months)"), default=12)
    start_rule = models.CharField(_("benefit starts"), max_length=10, choices=StartRule.choices)
    start_day = models.PositiveSmallIntegerField(_("starting day after filing"),
                                                 help_text=_("16: the 16th day; 11: the 11th working day."))
    filing_months = models.PositiveSmallIntegerField(_("file within (months of the contract's end)"), default=3)

    class Meta:
        verbose_name = _("unemployment benefit rule")
        verbose_name_plural = _("unemployment benefit rules")
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="labour_unemployment_rule_once")]

    def __str__(self) -> str:
        return self.law

    @property
    def decision_working_days(self) -> int | None:
        """The statutory time of the unemployment procedure of the catalogue in force on the
        rule's first day (the deadline itself is counted from the day of receipt)."""
        return _catalogue_days("unemployment", self.valid_from)


def _catalogue_days(use: str, on: object) -> int | None:
    from django.core.exceptions import ValidationError

    from ansinh.procedures.deadlines import procedure_in_force

    try:
        return int(procedure_in_force(use, on).days)  # type: ignore[arg-type]
    except ValidationError:
        return None


class ContractKind(models.TextChoices):
    INDEFINITE = "indefinite", _("indefinite term")
    FIXED = "fixed", _("fixed term of 12 months or more")
    SHORT = "short", _("seasonal or task contract under 12 months")


class DossierState(models.TextChoices):
    RECEIVED = "received", _("received")
    GRANTED = "granted", _("benefit granted")
    REFUSED = "refused", _("refused")
    SUSPENDED = "suspended", _("suspended")
    STOPPED = "stopped", _("stopped")
    FINISHED = "finished", _("finished")


class UnemploymentDossier(PersonRecord):
    received_on = models.DateField(_("received on"))
    employer_name = models.CharField(_("last employer"), max_length=255)
    employer_unit = models.ForeignKey("geo.Unit", verbose_name=_("employer's commune"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    region = models.PositiveSmallIntegerField(_("wage region"), choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")])
    contract_kind = models.CharField(_("contract"), max_length=12, choices=ContractKind.choices,
                                     default=ContractKind.INDEFINITE)
    contract_end = models.DateField(_("contract ended on"))
    months_contributed = models.PositiveSmallIntegerField(_("months contributed in the window"))
    average_salary = models.PositiveIntegerField(_("average contribution salary, last 6 months (VND)"))
    state_pay_scale = models.BooleanField(_("on a state pay scale"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=DossierState.choices, default=DossierState.RECEIVED)
    rule = models.ForeignKey(UnemploymentRule, verbose_name=_("law applied"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    monthly_amount = models.PositiveIntegerField(_("monthly benefit (VND)"), null=True, blank=True)
    benefit_months = models.PositiveSmallIntegerField(_("months of benefit"), null=True, blank=True)
    starts_on = models.DateField(_("benefit starts on"), null=True, blank=True)
    ends_on = models.DateField(_("benefit ends on"), null=True, blank=True)
    total_amount = models.BigIntegerField(_("total benefit (VND)"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=255, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("unemployment insurance dossier")
        verbose_name_plural = _("unemployment insurance dossiers")
        indexes = [models.Index(fields=["commune", "received_on"], name="labour_ui_commune_received"),
                   models.Index(fields=["commune", "decided_on"], name="labour_ui_commune_decided")]


class ReportState(models.TextChoices):
    DUE = "due", _("due")
    REPORTED = "reported", _("reported")
    EXCUSED = "excused", _("excused (illness, maternity, force majeure)")
    MISSED = "missed", _("missed")


class JobSearchReport(models.Model):
    """The claimant's monthly job-search report (Law 38/2013 Art. 52; Decree 374/2025)."""

    dossier = models.ForeignKey(UnemploymentDossier, verbose_name=_("dossier"), on_delete=models.CASCADE,
                                related_name="reports")
    month_number = models.PositiveSmallIntegerField(_("benefit month"))
    due_on = models.DateField(_("due on"))
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.DUE)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("job-search report")
        verbose_name_plural = _("job-search reports")
        constraints = [models.UniqueConstraint(fields=["dossier", "month_number"], name="labour_report_once")]


# --- Foreign workers -------------------------------------------------------------------------------


class Position(models.TextChoices):
    """Decree 152/2020 Art. 3; Decree 219/2025."""

    MANAGER = "manager", _("manager")
    EXECUTIVE = "executive", _("executive director")
    EXPERT = "expert", _("expert")
    TECHNICAL = "technical", _("technical worker")


class ForeignWorker(Recorded):
    full_name = models.CharField(_("full name"), max_length=150, help_text="Personal data.")
    passport_number = models.CharField(_("passport number"), max_length=20, help_text="Personal data.")
    nationality = models.CharField(_("nationality"), max_length=2, help_text=_("ISO 3166 code of the country."))
    sex = models.CharField(_("sex"), max_length=6, choices=[("male", _("male")), ("female", _("female"))])
    birth_date = models.DateField(_("date of birth"), null=True, blank=True, help_text="Personal data.")
    employer = models.ForeignKey(Employer, verbose_name=_("employer"), on_delete=models.PROTECT,
                                 related_name="foreign_workers")
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    workplace = models.ForeignKey("geo.Unit", verbose_name=_("workplace"), on_delete=models.PROTECT,
                                  related_name="+")
    search_name = models.CharField(max_length=150, editable=False, db_index=True)

    class Meta:
        verbose_name = _("foreign worker")
        verbose_name_plural = _("foreign workers")
        constraints = [models.UniqueConstraint(fields=["nationality", "passport_number"],
                                               name="labour_foreign_worker_once")]

    def __str__(self) -> str:
        return self.full_name


class PermitKind(models.TextChoices):
    ISSUE = "issue", _("work permit")
    REISSUE = "reissue", _("re-issued work permit")
    EXTEND = "extend", _("extended work permit")
    EXEMPTION = "exemption", _("confirmation of exemption")


class PermitState(models.TextChoices):
    PENDING = "pending", _("being processed")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("revoked")


class PermitRule(Dated):
    """A permit procedure under the decree in force on the day the dossier is received (Decree
    152/2020 as amended by 70/2023; Decree 219/2025 from 7 Aug 2025): its refusal time, which is
    specific to permits (the time to notify a refusal, not the dossier's deadline). The decision
    time is the catalogue's (`working_days`, read from `ansinh.procedures`)."""

    kind = models.CharField(_("procedure"), max_length=10, choices=PermitKind.choices)
    decree = models.CharField(_("decree"), max_length=60)
    refusal_working_days = models.PositiveSmallIntegerField(_("refusal within (working days)"), null=True,
                                                            blank=True)

    class Meta:
        verbose_name = _("work permit processing time")
        verbose_name_plural = _("work permit processing times")
        constraints = [models.UniqueConstraint(fields=["kind", "valid_from"], name="labour_permit_rule_once")]

    @property
    def working_days(self) -> int | None:
        """The decision time: the catalogue's permit procedure in force on the rule's first day."""
        return _catalogue_days(f"permit_{self.kind}", self.valid_from)


class WorkPermit(Recorded):
    worker = models.ForeignKey(ForeignWorker, verbose_name=_("foreign worker"), on_delete=models.CASCADE,
                               related_name="permits")
    kind = models.CharField(_("procedure"), max_length=10, choices=PermitKind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("decision due"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=PermitState.choices, default=PermitState.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    number = models.CharField(_("permit number"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("work permit")
        verbose_name_plural = _("work permits")
        indexes = [models.Index(fields=["state", "valid_to"], name="labour_permit_state_to")]


# --- Trained-labour rates (lane training) ------------------------------------------------------------


class TrainedRateDefinition(Dated):
    """How the register counts the trained-labour rates (tỷ lệ lao động qua đào tạo; … có bằng,
    chứng chỉ), as dated, editable data: the official method is in the national statistical
    indicator annex and was not found (digest §4, [U]), so every row stays provisional until
    confirmed. The denominator is the living members of working age (15 to the retirement age of
    Labour Code 2019 Art. 169, Decree 135/2020 Art. 4) on the period's last day; a member counts as
    trained or certified by what the flags below say of her register entry and her enrolments."""

    name = models.CharField(_("name"), max_length=200)
    min_age = models.PositiveSmallIntegerField(_("working age from (years)"), default=15)
    labour_force_only = models.BooleanField(
        _("only members in the labour force"), default=False,
        help_text=_("Leave out members not in the labour force (studying, retired, homemakers)."))
    trained_vocational = models.BooleanField(_("a vocational qualification counts as trained"), default=True)
    trained_higher = models.BooleanField(_("a college or university degree counts as trained"), default=True)
    trained_in_training = models.BooleanField(_("being in a training course counts as trained"), default=False)
    trained_completed = models.BooleanField(_("a completed course of the registry counts as trained"), default=True)
    certified_vocational = models.BooleanField(_("a vocational qualification counts as certified"), default=True)
    certified_higher = models.BooleanField(_("a college or university degree counts as certified"), default=True)
    certified_certificate = models.BooleanField(
        _("a certificate of the registry counts as certified"), default=True,
        help_text=_("An enrolment with a diploma or certificate issued on or before the day, at a level that gives one."))

    class Meta:
        verbose_name = _("definition of the trained-labour rates")
        verbose_name_plural = _("definitions of the trained-labour rates")
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="labour_trained_rate_once")]

    def __str__(self) -> str:
        return self.name
