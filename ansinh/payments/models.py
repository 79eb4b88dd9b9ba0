"""Paying the people served once, with proof: monthly payrolls, one-off packages and the paying
agent's results.

- **Payrolls** (`Payroll`, `PayrollLine`): per commune, month and field (social assistance with
  the social pension; meritorious service: two budgets, two sets of officers). Computed set-based
  from the entitlements (`ansinh.benefits.monthly`), one line per person, scheme, month and kind:
  the month's allowance, arrears owed for earlier months, amounts carried forward because they
  were not collected, and recoveries of amounts paid after a death recorded late (negative).
  States draft → approved (locked, control totals) → sent → reconciled, each by a named role and
  audited. A correction after approval is a follow-up payroll (`sequence` 2, 3 …). A person is
  paid a month's allowance of a scheme once: a database constraint.
- **Packages** (`Package`, `PackageTier`, `PackageLine`): one-off support (Tết gifts, Covid-19
  support, longevity gifts, emergency support) with tiers, each an eligibility rule over the
  registries and an amount per person or household split by funding source. Creating the list
  freezes it; a person or household appears once per package (constraints).
- **Results** (`ResultImport`, and the result fields every line shares): the paying agent's
  file, line by line: paid, partly paid, not paid, with date, receiver and reason.
- **Suspensions** (`SuspensionProposal`): three months uncollected proposes suspending the
  allowance (Circular 02/2021/TT-BLĐTBXH Art. 2); an officer confirms or dismisses.

Personal data (Decree 13/2023/NĐ-CP): lines name people and may carry bank accounts; every query
goes through `ansinh.payments.access`, every change through the services (audited).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import Field
from ansinh.benefits.models import Scheme


class PayField(models.TextChoices):
    """Whose payroll: the two fields that pay monthly (`benefits.models.FIELD_SCHEMES`)."""

    SOCIAL_ASSISTANCE = Field.SOCIAL_ASSISTANCE.value, _("Social assistance and social pension")
    MERITORIOUS = Field.MERITORIOUS.value, _("Meritorious people")


class Channel(models.TextChoices):
    POST = "post", _("post office")
    BANK = "bank", _("bank account")
    CASH = "cash", _("commune cash")


class PaymentMethod(models.Model):
    """How a person is paid; a person without one is paid at the post office (the usual channel)."""

    person = models.OneToOneField("households.Member", verbose_name=_("person"), on_delete=models.CASCADE,
                                  related_name="payment_method")
    channel = models.CharField(_("paying channel"), max_length=8, choices=Channel.choices, default=Channel.POST)
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    account_number = models.CharField(_("account number"), max_length=30, blank=True, help_text="Personal data.")
    receiver_name = models.CharField(_("authorised receiver"), max_length=150, blank=True,
                                     help_text=_("Someone who collects for the person, if any."))
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment method")
        verbose_name_plural = _("payment methods")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.get_channel_display()}"


class PayStatus(models.TextChoices):
    """What the paying agent reported for a line."""

    PENDING = "pending", _("not reported yet")
    PAID = "paid", _("paid")
    PARTLY = "partly", _("partly paid")
    NOT_PAID = "not_paid", _("not paid")


# What the paying agent did not (wholly) pay: carried forward to the next payroll.
UNPAID = (PayStatus.NOT_PAID.value, PayStatus.PARTLY.value)


class PaidResult(models.Model):
    """The result fields every payable line shares (filled by a result import)."""

    status = models.CharField(_("payment"), max_length=10, choices=PayStatus.choices, default=PayStatus.PENDING)
    paid_amount = models.BigIntegerField(_("amount paid (VND)"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_to = models.CharField(_("received by"), max_length=150, blank=True, help_text="Personal data.")
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    result = models.ForeignKey("payments.ResultImport", verbose_name=_("result file"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True


class PayrollState(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    SENT = "sent", _("sent to the paying agent")
    RECONCILED = "reconciled", _("reconciled")


class Payroll(models.Model):
    """A commune's payroll of one month and field. `sequence` 1 is the month's payroll; 2, 3 … are
    follow-ups (corrections after approval, late decisions). Only a draft changes."""

    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text="The first day of the month paid.")
    field = models.CharField(_("field"), max_length=24, choices=PayField.choices)
    sequence = models.PositiveSmallIntegerField(_("number"), default=1,
                                                help_text=_("1: the month's payroll; 2 and more: follow-ups."))
    state = models.CharField(_("state"), max_length=10, choices=PayrollState.choices, default=PayrollState.DRAFT)
    # Control totals: recomputed with a draft, fixed at approval (the sent list must match them).
    lines_count = models.PositiveIntegerField(_("lines"), default=0)
    people_count = models.PositiveIntegerField(_("people"), default=0)
    total = models.BigIntegerField(_("total (VND)"), default=0, help_text=_("To pay; recoveries not deducted."))
    recovery_total = models.BigIntegerField(_("to recover (VND)"), default=0)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("computed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    reconciled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reconciled by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    # A fingerprint of the lines as the engine last wrote them (`payroll._digest`): a draft
    # recomputed with the same lines is not read back nor rewritten (a cheap re-run).
    lines_digest = models.CharField(max_length=32, blank=True, default="", db_default="", editable=False)

    class Meta:
        ordering = ["-month", "commune__sort_key", "field", "sequence"]
        verbose_name = _("payroll")
        verbose_name_plural = _("payrolls")
        constraints = [
            models.UniqueConstraint(fields=["commune", "month", "field", "sequence"], name="payments_one_payroll"),
        ]
        indexes = [models.Index(fields=["month", "state"], name="payments_payroll_month_state")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%m/%Y} {self.field} #{self.sequence}"


class PayLineKind(models.TextChoices):
    MONTH = "month", _("month's allowance")
    ARREARS = "arrears", _("arrears")
    CARRIED = "carried", _("carried forward")
    RECOVERY = "recovery", _("recovery")


class LineRule(models.Model):
    """How a payroll line was computed and its legal basis, a text written once and named by the
    lines: a province's month repeats a few hundred of them over its 70.000 lines per 300.000
    households, and the texts (two hundred characters) made most of a line's row — of the bytes a
    run writes and of the time its commit takes. `key` (`payroll.rule_key`) names the pair: the
    texts are too long for a unique index on every database."""

    key = models.CharField(max_length=40, unique=True, editable=False)
    rule = models.CharField(_("how it was computed"), max_length=500, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rule of a payroll line")
        verbose_name_plural = _("rules of payroll lines")

    def __str__(self) -> str:
        return self.rule

    @staticmethod
    def key_of(rule: str, legal_basis: str) -> str:
        return hashlib.sha1(f"{rule}\x1f{legal_basis}".encode(), usedforsecurity=False).hexdigest()

    @classmethod
    def of(cls, rule: str, legal_basis: str = "") -> LineRule:
        """The row of one pair, made when missing (`payroll._rule_ids` does it for many at once)."""
        found, _made = cls.objects.get_or_create(key=cls.key_of(rule, legal_basis),
                                                 defaults={"rule": rule, "legal_basis": legal_basis})
        return found


class PayrollLine(PaidResult):
    """One person, scheme, month and kind on a payroll. `for_month` is the month the amount is for
    (the payroll's month for the month's allowance; earlier for arrears, carried amounts and
    recoveries). A recovery's amount is negative.

    Indexes: a province's month writes some 70.000 lines per 300.000 households in one insert, and
    every index is paid on each of them, so a column gets its own index only when no other one
    starts with it (the foreign keys `payroll`, `person` and `commune` are covered by the
    constraints and indexes below), and the lines not collected, none of them new, are indexed
    partially: a new line costs that index nothing. Every query reading lines starts from one of
    them (`payments.tests.test_payroll_indexes` shows the plans)."""

    payroll = models.ForeignKey(Payroll, verbose_name=_("payroll"), on_delete=models.CASCADE, related_name="lines",
                                db_index=False)  # payments_line_once_per_payroll starts with it
    person = models.ForeignKey("households.Member", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="payroll_lines", db_index=False)  # payments_line_person_month
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    for_month = models.DateField(_("for month"))
    kind = models.CharField(_("line"), max_length=10, choices=PayLineKind.choices, default=PayLineKind.MONTH)
    amount = models.BigIntegerField(_("amount (VND)"))
    # Nothing reads lines by their rule: no index to pay on each new line (a rule is never deleted).
    basis = models.ForeignKey(LineRule, verbose_name=_("how it was computed"), on_delete=models.PROTECT,
                              related_name="+", db_index=False)
    provisional = models.BooleanField(_("provisional"), default=False)
    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("entitlement"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # Copies for the lists and the constraint (a line never moves between payrolls).
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+",
                                db_index=False)  # payments_line_commune_month starts with it
    hamlet = models.ForeignKey("geo.Unit", verbose_name=_("hamlet"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("paying channel"), max_length=8, choices=Channel.choices, default=Channel.POST)
    account_number = models.CharField(_("account number"), max_length=30, blank=True, help_text="Personal data.")
    # `carried_from` and `result` keep plain indexes: PostgreSQL checks a deleted line or result
    # file against them with a prepared `$1 = column`, which it does not match to a partial index.
    carried_from = models.ForeignKey("self", verbose_name=_("carried from"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="carried_to")

    class Meta:
        ordering = ["payroll", "hamlet_id", "person_id", "scheme", "for_month", "kind"]
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        constraints = [
            # A person is paid a month's allowance of a scheme once, whatever the payroll.
            models.UniqueConstraint(fields=["person", "scheme", "for_month"], condition=Q(kind="month"),
                                    name="payments_month_paid_once"),
            models.UniqueConstraint(fields=["payroll", "person", "scheme", "for_month", "kind"],
                                    name="payments_line_once_per_payroll"),
            models.UniqueConstraint(fields=["carried_from"], condition=Q(carried_from__isnull=False),
                                    name="payments_carried_once"),
        ]
        indexes = [
            models.Index(fields=["person", "scheme", "for_month"], name="payments_line_person_month"),
            models.Index(fields=["commune", "for_month"], name="payments_line_commune_month"),
            # The lines to carry forward (not collected): a few in a hundred, none on a new line.
            models.Index(fields=["commune", "for_month"], condition=Q(status__in=UNPAID),
                         name="payments_line_unpaid"),
        ]

    def __str__(self) -> str:
        return f"{self.payroll_id}/{self.person_id} {self.scheme} {self.for_month:%m/%Y} {self.kind}"

    @property
    def rule(self) -> str:
        """How the amount was computed (read with `select_related("basis")`)."""
        return self.basis.rule

    @property
    def legal_basis(self) -> str:
        return self.basis.legal_basis


class SuspensionStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class SuspensionProposal(models.Model):
    """Three consecutive months not collected: suspend the allowance (Circular 02/2021/TT-BLĐTBXH
    Art. 2(3)(a)). Confirming stops the entitlement from `from_month` through the benefits services."""

    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("entitlement"), on_delete=models.PROTECT,
                                    related_name="+")
    person = models.ForeignKey("households.Member", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="+")
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    months = models.CharField(_("months not collected"), max_length=60, help_text="e.g. 02/2026, 03/2026, 04/2026")
    from_month = models.DateField(_("suspend from"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=SuspensionStatus.choices,
                              default=SuspensionStatus.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suspension proposal")
        verbose_name_plural = _("suspension proposals")
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "from_month"], name="payments_one_suspension"),
        ]


class Purpose(models.TextChoices):
    TET = "tet", _("Tết gift")
    COVID = "covid", _("Covid-19 support")
    LONGEVITY = "longevity", _("longevity gift")
    EMERGENCY = "emergency", _("emergency support")
    OTHER = "other", _("other support")


class Funding(models.TextChoices):
    CENTRAL = "central", _("central budget")
    LOCAL = "local", _("local budget")
    SOCIALISED = "socialised", _("socialised funds")


class Per(models.TextChoices):
    PERSON = "person", _("per person")
    HOUSEHOLD = "household", _("per household")


class PackageState(models.TextChoices):
    DRAFT = "draft", _("draft")
    FROZEN = "frozen", _("list frozen")
    RECONCILED = "reconciled", _("reconciled")


class Package(models.Model):
    """One-off support decided for a unit (a province or a commune) on a date."""

    name = models.CharField(_("name"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    field = models.CharField(_("field"), max_length=24, choices=Field.choices,
                             help_text=_("The officers who run it."))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"), help_text=_("Eligibility is read on this date."))
    period_start = models.DateField(_("period from"), help_text=_("Packages of one purpose and period are compared."))
    period_end = models.DateField(_("period to"))
    state = models.CharField(_("state"), max_length=10, choices=PackageState.choices, default=PackageState.DRAFT)
    key = models.CharField(max_length=64, unique=True, editable=False,
                           help_text="A digest of name, unit, date and tiers: creating it twice makes one.")
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    total = models.BigIntegerField(_("total (VND)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(_("list frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("support package")
        verbose_name_plural = _("support packages")
        indexes = [models.Index(fields=["purpose", "period_start"], name="payments_package_purpose")]

    def __str__(self) -> str:
        return self.name


class TierRule(models.TextChoices):
    HOUSEHOLD_STATUS = "household_status", _("households by poverty status")
    MEMBERS_OF_STATUS = "members_of_status", _("members of households by poverty status")
    AGE = "age", _("people reaching an age in a year")
    CATEGORY = "category", _("holders of benefit categories")
    FILE = "file", _("a list from a file")


class PackageTier(models.Model):
    """One eligibility rule and its amount. `params` holds the rule's values (statuses, ages and
    year, category codes, or the imported list's member ids); pages show them in words. A person
    matched by several tiers gets the highest (lowest `order` among equal amounts)."""

    package = models.ForeignKey(Package, verbose_name=_("package"), on_delete=models.CASCADE, related_name="tiers")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=255)
    rule = models.CharField(_("rule"), max_length=20, choices=TierRule.choices)
    params = models.JSONField(_("rule values"), default=dict)
    per = models.CharField(_("per"), max_length=10, choices=Per.choices, default=Per.PERSON)
    central = models.PositiveBigIntegerField(_("central budget (VND)"), default=0)
    local = models.PositiveBigIntegerField(_("local budget (VND)"), default=0)
    socialised = models.PositiveBigIntegerField(_("socialised funds (VND)"), default=0)

    class Meta:
        ordering = ["package", "order", "pk"]
        verbose_name = _("package tier")
        verbose_name_plural = _("package tiers")

    @property
    def amount(self) -> int:
        return self.central + self.local + self.socialised

    def __str__(self) -> str:
        return self.name


class PackageLine(PaidResult):
    """A recipient of a package: a person, or a household (then `person` is its head, if known, for
    the signature). `also_in` names other packages of the same purpose and period that hold her."""

    package = models.ForeignKey(Package, verbose_name=_("package"), on_delete=models.CASCADE, related_name="lines")
    tier = models.ForeignKey(PackageTier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="lines")
    household = models.ForeignKey("households.Household", verbose_name=_("household"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("households.Member", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="package_lines")
    per = models.CharField(_("per"), max_length=10, choices=Per.choices)
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    hamlet = models.ForeignKey("geo.Unit", verbose_name=_("hamlet"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("amount (VND)"))
    central = models.BigIntegerField(_("central budget (VND)"), default=0)
    local = models.BigIntegerField(_("local budget (VND)"), default=0)
    socialised = models.BigIntegerField(_("socialised funds (VND)"), default=0)
    also_in = models.CharField(_("also in"), max_length=500, blank=True)

    class Meta:
        ordering = ["package", "commune_id", "hamlet_id", "pk"]
        verbose_name = _("package line")
        verbose_name_plural = _("package lines")
        constraints = [
            models.UniqueConstraint(fields=["package", "person"], condition=Q(per="person"),
                                    name="payments_package_person_once"),
            models.UniqueConstraint(fields=["package", "household"], condition=Q(per="household"),
                                    name="payments_package_household_once"),
            models.CheckConstraint(condition=Q(per="person", person__isnull=False)
                                   | Q(per="household", household__isnull=False),
                                   name="payments_package_line_recipient"),
        ]
        indexes = [models.Index(fields=["package", "commune"], name="payments_pkgline_commune")]


class ResultImport(models.Model):
    """A paying agent's result file applied to a payroll or a package."""

    payroll = models.ForeignKey(Payroll, verbose_name=_("payroll"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="results")
    package = models.ForeignKey(Package, verbose_name=_("package"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="results")
    file_name = models.CharField(_("file"), max_length=255)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    paid = models.PositiveIntegerField(_("paid"), default=0)
    partly = models.PositiveIntegerField(_("partly paid"), default=0)
    not_paid = models.PositiveIntegerField(_("not paid"), default=0)
    amount_paid = models.BigIntegerField(_("amount paid (VND)"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("result file")
        verbose_name_plural = _("result files")
