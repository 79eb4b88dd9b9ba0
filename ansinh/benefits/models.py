"""The people the state supports every month, and what the law gives them.

Two halves:
- **the law, as dated data**: schemes (monthly social assistance, Decree 20/2021/NĐ-CP as
  amended; the social pension, Law 41/2024/QH15 and Decree 176/2025/NĐ-CP; preferential
  allowances for people with meritorious service, Ordinance 02/2020/UBTVQH14 and Decree
  75/2021/NĐ-CP as amended by 55/2023 and 77/2024), their categories, the base levels
  (`BaseLevel`), the amount rules (`AmountRule`: base level × coefficient, with age bands, or a
  fixed amount by injury rate or number of martyrs: the appendix tables) and provincial top-ups
  (`TopUp`). Each row carries its legal basis and effective dates; a new decree is a data change
  a provincial administrator makes, audited, never a code change. Rows whose text was not
  confirmed are `provisional` and marked where shown.
- **the registry**: entitlements of members of the register (`Entitlement`), martyrs as records of
  their own whose relatives receive (`Martyr`), dossiers that start, change, move and stop
  entitlements (`Dossier`, with its steps), and the death benefits proposed when a death is
  recorded (`Proposal`).

The monthly amount of an entitlement is computed, never stored by hand (`ansinh.benefits.law`
for one case, `ansinh.benefits.monthly` set-based for a month). Personal data (Decree
13/2023/NĐ-CP): every query goes through `ansinh.benefits.access`, every change through the
services (audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import Field
from ansinh.lib.vietnamese import fold, sort_key


class Scheme(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", _("monthly social assistance")
    SOCIAL_PENSION = "social_pension", _("social pension")
    MERITORIOUS = "meritorious", _("preferential allowances for people with meritorious service")


# The field whose provincial officers manage each scheme (accounts.Field).
SCHEME_FIELD = {
    Scheme.SOCIAL_ASSISTANCE: Field.SOCIAL_ASSISTANCE,
    Scheme.SOCIAL_PENSION: Field.SOCIAL_ASSISTANCE,
    Scheme.MERITORIOUS: Field.MERITORIOUS,
}
FIELD_SCHEMES = {
    Field.SOCIAL_ASSISTANCE: (Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION),
    Field.MERITORIOUS: (Scheme.MERITORIOUS,),
}


class LineKind(models.TextChoices):
    """What a category pays: the person's own monthly allowance, a supplement on top of it
    (≥ 81 %, Heroic Mother, living alone), or a carer's allowance (its own line)."""

    ALLOWANCE = "allowance", _("monthly allowance")
    SUPPLEMENT = "supplement", _("supplement")
    CARER = "carer", _("carer allowance")


class Category(models.Model):
    """A group of the law that receives a monthly amount: a group of Decree 20 Art. 5, the social
    pension, a category of the Ordinance or its relatives; or a supplement or carer allowance
    added to the categories in `parents`."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    kind = models.CharField(_("line"), max_length=12, choices=LineKind.choices, default=LineKind.ALLOWANCE)
    name = models.CharField(_("name"), max_length=255, help_text=_("As the law names it, in Vietnamese."))
    article = models.CharField(_("article"), max_length=255, blank=True,
                               help_text=_("The article that defines the group, e.g. Điều 5 khoản 1 Nghị định 20/2021/NĐ-CP."))
    parents = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="additions",
                                     verbose_name=_("added to"),
                                     help_text=_("For a supplement or carer allowance: the categories it is added to."))
    uses_rate = models.BooleanField(_("by injury or illness rate"), default=False)
    uses_martyrs = models.BooleanField(_("by number of martyrs"), default=False)
    uses_children = models.BooleanField(_("per child raised"), default=False)
    uses_years = models.BooleanField(_("per year of seniority"), default=False)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("Last day; empty: still in force."))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("The text behind this row is not yet confirmed."))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "order", "code"]
        verbose_name = _("benefit category")
        verbose_name_plural = _("benefit categories")

    def __str__(self) -> str:
        return self.name


class BaseKind(models.TextChoices):
    SA_BASE = "sa_base", _("social assistance base level (mức chuẩn trợ giúp xã hội)")
    SOCIAL_PENSION = "social_pension", _("social pension amount (mức trợ cấp hưu trí xã hội)")
    MERIT_BASE = "merit_base", _("preferential allowance base level (mức chuẩn trợ cấp ưu đãi)")
    BASE_SALARY = "base_salary", _("base salary, the reference level (mức lương cơ sở)")


class BaseLevel(models.Model):
    """A base level from a date, nationally or, for a province that set a higher one (Decree 20
    Art. 4(3)), for that province. A decree applied back from before its own date (`decided_on`
    after `valid_from`) gives arrears for the months between."""

    kind = models.CharField(_("base level"), max_length=16, choices=BaseKind.choices)
    province = models.ForeignKey("geo.Unit", verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", help_text=_("Empty: the whole country."))
    amount = models.PositiveIntegerField(_("amount (VND per month)"))
    valid_from = models.DateField(_("applies from"))
    decided_on = models.DateField(_("issued on"), null=True, blank=True,
                                  help_text=_("The date of the text; later than “applies from” means arrears."))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("The text behind this row is not yet confirmed."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "valid_from"]
        verbose_name = _("base level")
        verbose_name_plural = _("base levels")
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], condition=Q(province__isnull=True),
                                    name="benefits_one_national_base"),
            models.UniqueConstraint(fields=["kind", "province", "valid_from"], condition=Q(province__isnull=False),
                                    name="benefits_one_province_base"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.valid_from:%d/%m/%Y})"


class Method(models.TextChoices):
    COEFFICIENT = "coefficient", _("base level × coefficient")
    FIXED = "fixed", _("fixed amount")


class AmountRule(models.Model):
    """One row of an amount table, in force between two dates, for the cases its bands select.

    Bands are inclusive-exclusive for ages (`age_from` ≤ age < `age_to`, in whole years on the
    first day of the month), inclusive for rates and counts. `per_unit` multiplies the amount by
    the entitlement's count (children raised, Art. 5(4)) or years (seniority, pre-1945
    revolutionaries). `flag` selects a case the bands cannot (an especially severe injury)."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="rules")
    valid_from = models.DateField(_("applies from"))
    valid_to = models.DateField(_("applies until"), null=True, blank=True, help_text=_("Last day; empty: still in force."))
    age_from = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(_("under age"), null=True, blank=True)
    rate_from = models.PositiveSmallIntegerField(_("from rate (%)"), null=True, blank=True)
    rate_to = models.PositiveSmallIntegerField(_("to rate (%)"), null=True, blank=True)
    count_from = models.PositiveSmallIntegerField(_("from count"), null=True, blank=True)
    count_to = models.PositiveSmallIntegerField(_("to count"), null=True, blank=True)
    flag = models.CharField(_("case"), max_length=24, blank=True)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    base = models.CharField(_("base level"), max_length=16, choices=BaseKind.choices, blank=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=6, decimal_places=2, null=True, blank=True)
    amount = models.PositiveIntegerField(_("amount (VND per month)"), null=True, blank=True)
    per_unit = models.BooleanField(_("per child or year"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("The text behind this row is not yet confirmed."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "valid_from", "rate_from", "count_from", "age_from"]
        verbose_name = _("amount rule")
        verbose_name_plural = _("amount rules")
        indexes = [models.Index(fields=["category", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.category.code} {self.valid_from:%d/%m/%Y}"


class TopUp(models.Model):
    """A province's own monthly top-up for a category (Law 41/2024 Art. 22; Decree 20 Art. 4(3)),
    e.g. Hanoi's +150.000 to the social pension from 1 Jan 2026."""

    province = models.ForeignKey("geo.Unit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="top_ups")
    amount = models.PositiveIntegerField(_("amount (VND per month)"))
    valid_from = models.DateField(_("applies from"))
    valid_to = models.DateField(_("applies until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    provisional = models.BooleanField(_("provisional"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["province", "category", "valid_from"]
        verbose_name = _("local top-up")
        verbose_name_plural = _("local top-ups")

    def __str__(self) -> str:
        return f"{self.category.code} +{self.amount}"


class Martyr(models.Model):
    """A martyr (liệt sĩ): a record of their own; the relatives who receive are members of the
    register linked through their entitlements."""

    full_name = models.CharField(_("full name"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    died_on = models.DateField(_("died on"), null=True, blank=True)
    certificate_number = models.CharField(_("“Tổ quốc ghi công” certificate number"), max_length=60, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    commune = models.ForeignKey("geo.Unit", verbose_name=_("home commune"), on_delete=models.PROTECT, related_name="+",
                                help_text=_("The commune of the current map whose officers keep the record."))
    note = models.CharField(_("note"), max_length=255, blank=True)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("martyr")
        verbose_name_plural = _("martyrs")

    def __str__(self) -> str:
        return self.full_name

    def set_derived_fields(self) -> None:
        self.search_name = fold(self.full_name)
        self.sort_key = sort_key(self.full_name)


class StopReason(models.TextChoices):
    DIED = "died", _("died")
    MOVED = "moved", _("moved to another commune or province")
    NOT_ELIGIBLE = "not_eligible", _("no longer eligible")
    REPLACED = "replaced", _("replaced by another entitlement")
    REFUSED = "refused", _("refused by the person")
    PRISON = "prison", _("serving a prison sentence")
    NOT_COLLECTED = "not_collected", _("not collected for three months in a row")
    OTHER = "other", _("other")


class Entitlement(models.Model):
    """A member's right to a category's monthly amount, from a decision, between two months.

    `start_month` is the first month paid, `stop_month` the first month no longer paid (both the
    first day of a month). `commune` is the commune that pays (the person's, copied at the
    decision and changed by a move), so that scope and figures read one indexed column."""

    person = models.ForeignKey("households.Member", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="entitlements")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="entitlements")
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, editable=False,
                              help_text="A copy of the category's scheme, for scope and filters.")
    commune = models.ForeignKey("geo.Unit", verbose_name=_("paying commune"), on_delete=models.PROTECT,
                                related_name="+")
    rate = models.PositiveSmallIntegerField(_("injury or illness rate (%)"), null=True, blank=True)
    martyrs = models.ManyToManyField(Martyr, verbose_name=_("martyrs"), blank=True, related_name="relatives")
    martyr_count = models.PositiveSmallIntegerField(
        _("number of martyrs"), null=True, blank=True,
        help_text=_("For a martyr's relative: how many martyrs (the linked records, or the decision's count)."))
    children = models.PositiveSmallIntegerField(_("children raised"), null=True, blank=True)
    years = models.PositiveSmallIntegerField(_("years of seniority"), null=True, blank=True)
    especially_severe = models.BooleanField(_("especially severe injury or illness"), default=False)
    living_alone = models.BooleanField(_("living alone"), default=False)
    carer = models.ForeignKey("households.Member", verbose_name=_("carer"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="cared_entitlements")
    carer_name = models.CharField(_("carer (not in the register)"), max_length=150, blank=True)
    recognised_on = models.DateField(
        _("recognised on"), null=True, blank=True,
        help_text=_("The medical council's conclusion or the recognition, when payment starts from it."))
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    decision_signer = models.CharField(_("signed by"), max_length=150, blank=True)
    start_month = models.DateField(_("first month paid"))
    stop_month = models.DateField(_("first month not paid"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=16, choices=StopReason.choices, blank=True)
    stop_note = models.CharField(_("note on stopping"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        indexes = [
            models.Index(fields=["commune", "scheme", "start_month"]),
            models.Index(fields=["category", "start_month"]),
            # A month's payroll looks again at the entitlements decided or stopped within its window
            # (`payments.payroll._looked_at`): a tenth of a province's, read without the others.
            models.Index(fields=["commune", "decision_date"], name="benefits_ent_decided"),
            models.Index(fields=["commune", "stop_month"], condition=Q(stop_month__isnull=False),
                         name="benefits_ent_stopped"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(stop_month__isnull=True) | Q(stop_month__gt=models.F("start_month")),
                                   name="entitlement_stops_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.category.code} #{self.pk}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.category_id and not self.scheme:
            self.scheme = Category.objects.values_list("scheme", flat=True).get(pk=self.category_id)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class DossierKind(models.TextChoices):
    START = "start", _("new entitlement")
    CHANGE = "change", _("change of amount or category")
    MOVE = "move", _("move to another commune or province")
    STOP = "stop", _("stop")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    CHECKED = "checked", _("checked by the commune")
    DECIDED = "decided", _("decided")
    REFUSED = "refused", _("refused")


class Dossier(models.Model):
    """An application to start, change, move or stop an entitlement (hồ sơ tăng, giảm), from
    reception to the decision, with its statutory deadline in working days."""

    kind = models.CharField(_("kind"), max_length=8, choices=DossierKind.choices)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="dossiers")
    person = models.ForeignKey("households.Member", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="benefit_dossiers")
    entitlement = models.ForeignKey(Entitlement, verbose_name=_("entitlement"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="dossiers",
                                    help_text=_("The entitlement changed, moved or stopped; the one started once decided."))
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    to_commune = models.ForeignKey("geo.Unit", verbose_name=_("moving to"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # What the applicant asks for (the decision may differ; the entitlement keeps what was decided).
    rate = models.PositiveSmallIntegerField(_("injury or illness rate (%)"), null=True, blank=True)
    martyr_count = models.PositiveSmallIntegerField(_("number of martyrs"), null=True, blank=True)
    children = models.PositiveSmallIntegerField(_("children raised"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=16, choices=StopReason.choices, blank=True)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"), help_text="Computed in working days from the calendar.")
    status = models.CharField(_("status"), max_length=10, choices=DossierStatus.choices,
                              default=DossierStatus.RECEIVED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_signer = models.CharField(_("signed by"), max_length=150, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("benefit dossier")
        verbose_name_plural = _("benefit dossiers")
        indexes = [models.Index(fields=["commune", "status", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class DossierStep(models.Model):
    """A dossier's history: each status with who and when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=10, choices=DossierStatus.choices)
    on = models.DateField(_("date"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")


class ProposalKind(models.TextChoices):
    SA_FUNERAL = "sa_funeral", _("funeral support (social assistance)")
    PENSION_FUNERAL = "pension_funeral", _("funeral support (social pension)")
    MERIT_FUNERAL = "merit_funeral", _("funeral allowance (meritorious service)")
    MERIT_THREE_MONTHS = "merit_three_months", _("one-off allowance of three months")
    SURVIVOR = "survivor", _("survivors' monthly allowance")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class Proposal(models.Model):
    """A benefit the system proposes when a death is recorded; an officer confirms or dismisses it."""

    person = models.ForeignKey("households.Member", verbose_name=_("deceased"), on_delete=models.PROTECT,
                               related_name="benefit_proposals")
    entitlement = models.ForeignKey(Entitlement, verbose_name=_("entitlement"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="proposals")
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    kind = models.CharField(_("benefit"), max_length=20, choices=ProposalKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"), null=True, blank=True,
                                            help_text=_("Computed by the rules on the date of death."))
    basis = models.CharField(_("how it was computed"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("death benefit proposal")
        verbose_name_plural = _("death benefit proposals")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "scheme"], name="benefits_one_proposal_per_kind"),
        ]
