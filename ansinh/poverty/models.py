"""Poverty standards as dated law, the review rounds and the assessments they produce.

Legal basis: Decision 59/2015/QĐ-TTg (standard 2016–2020), Decree 07/2021/NĐ-CP (standard
2022–2025, extended through 2026), Decree 351/2025/NĐ-CP (standard 2027–2030), Decision
24/2021/QĐ-TTg (the review process), Circular 07/2021/TT-BLĐTBXH (methods and forms B1, B2).

These models were created by the `households` app; they keep its tables (`Meta.db_table`), so
moving them here changed no row (migration `households.0007_move_poverty_models` and
`poverty.0001_initial`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ansinh.households.models import Area, Household, IncomeMethod
from ansinh.lib.ethnicity import ETHNICITY_CHOICES

if TYPE_CHECKING:
    from .engine import StandardSpec


# --- Standards as dated law -----------------------------------------------------------------


class Rule(models.TextChoices):
    """How income and deprivations combine into a status."""

    # Decision 59/2015/QĐ-TTg, Art. 2: poor if income ≤ poverty line, or income ≤ near-poverty line
    # and ≥ 3 deprivations; near-poor if poverty line < income ≤ near-poverty line and < 3.
    INCOME_OR_DEPRIVATION = "income_or_deprivation", _("income alone, or income band and deprivations")
    # Decree 07/2021/NĐ-CP, Art. 3 (and Decree 351/2025/NĐ-CP): income ≤ line and ≥ 3 → poor;
    # income ≤ line and < 3 → near-poor.
    INCOME_AND_DEPRIVATION = "income_and_deprivation", _("income line and deprivations")


class PovertyStandard(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True,
                                help_text=_("Last day in force (inclusive), extensions included."))
    rule = models.CharField(_("classification rule"), max_length=32, choices=Rule.choices)
    poverty_line_rural = models.DecimalField(_("poverty line, rural"), max_digits=12, decimal_places=0)
    poverty_line_urban = models.DecimalField(_("poverty line, urban"), max_digits=12, decimal_places=0)
    near_poor_line_rural = models.DecimalField(_("near-poverty line, rural"), max_digits=12, decimal_places=0,
                                               null=True, blank=True)
    near_poor_line_urban = models.DecimalField(_("near-poverty line, urban"), max_digits=12, decimal_places=0,
                                               null=True, blank=True)
    average_line_rural = models.DecimalField(_("average living standard up to, rural"), max_digits=12,
                                             decimal_places=0, null=True, blank=True)
    average_line_urban = models.DecimalField(_("average living standard up to, urban"), max_digits=12,
                                             decimal_places=0, null=True, blank=True)
    min_deprivations = models.PositiveSmallIntegerField(_("deprivations that make a household poor"), default=3)
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("Parts of this standard could not be checked against the "
                                                  "primary text; they are configurable data."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        db_table = "households_povertystandard"
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @classmethod
    def in_force_on(cls, on: dt.date) -> PovertyStandard:
        """The standard in force on a date: found in the data, not hard-coded."""
        found = cls.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on).order_by(
            "-valid_from").first()
        if found is None:
            raise PovertyStandard.DoesNotExist(f"No poverty standard in force on {on:%d/%m/%Y}.")
        return found


class StandardIndicator(models.Model):
    """One deprivation indicator of a standard: what it measures, how it is computed, why."""

    standard = models.ForeignKey(PovertyStandard, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=32)
    dimension = models.CharField(_("dimension"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("deprivation threshold"))
    rule = models.CharField(_("computed by"), max_length=32, blank=True,
                            help_text="The name of the rule in ansinh.poverty.facts that computes it from the "
                                      "member and living-condition facts; empty if only form B2 can tell.")
    params = models.JSONField(_("parameters"), default=dict, blank=True,
                              help_text="The rule's thresholds (ages, m² per person, …) as data.")
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False)

    class Meta:
        db_table = "households_standardindicator"
        verbose_name = _("standard indicator")
        verbose_name_plural = _("standard indicators")
        ordering = ["standard", "position"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="indicator_code_unique_per_standard"),
            models.UniqueConstraint(fields=["standard", "position"], name="indicator_position_unique_per_standard"),
        ]

    def __str__(self) -> str:
        return self.name


class IncomeScoringTable(models.Model):
    """A region's scoring table for estimating income per person (in the style of form B1).

    Circular 07/2021/TT-BLĐTBXH, form B1: income is estimated from household characteristics
    and assets, with cut-offs by region. The official items and points were not found
    (regulations.md §2, [U]): this table is configurable data, marked provisional.
    """

    standard = models.ForeignKey(PovertyStandard, on_delete=models.CASCADE, related_name="scoring_tables")
    region = models.CharField(_("region"), max_length=32)
    base = models.DecimalField(_("base income (VND per person per month)"), max_digits=12, decimal_places=0)
    items = models.JSONField(_("items"), default=list,
                             help_text='[{"code": "has_motorbike", "label": "…", "points": 150000}, …]: VND '
                                       "per person per month added when the answer is yes (or per unit).")
    provisional = models.BooleanField(_("provisional"), default=True)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        db_table = "households_incomescoringtable"
        verbose_name = _("income scoring table")
        verbose_name_plural = _("income scoring tables")
        constraints = [models.UniqueConstraint(fields=["standard", "region"], name="scoring_table_unique_region")]

    def __str__(self) -> str:
        return f"{self.standard.code} / {self.region}"


# --- Review rounds and assessments ------------------------------------------------------------


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("poor")
    NEAR_POOR = "near_poor", _("near-poor")
    AVERAGE = "average", _("average living standard")
    NOT_POOR = "not_poor", _("not poor")


# The engine's integer codes; the order is also the severity order (poor is the worst).
STATUS_CODES = [PovertyStatus.NOT_POOR, PovertyStatus.AVERAGE, PovertyStatus.NEAR_POOR, PovertyStatus.POOR]


class Transition(models.TextChoices):
    """How a household's status changed against the previous round (Decision 24/2021/QĐ-TTg)."""

    NEW_POOR = "new_poor", _("new poor")
    RE_POOR = "re_poor", _("re-poor (fell back into poverty)")
    NEAR_POOR_TO_POOR = "near_poor_to_poor", _("near-poor to poor")
    STILL_POOR = "still_poor", _("still poor")
    ESCAPED_POVERTY = "escaped_poverty", _("escaped poverty")
    POOR_TO_NEAR_POOR = "poor_to_near_poor", _("poor to near-poor")
    NEW_NEAR_POOR = "new_near_poor", _("new near-poor")
    STILL_NEAR_POOR = "still_near_poor", _("still near-poor")
    ESCAPED_NEAR_POVERTY = "escaped_near_poverty", _("escaped near-poverty")
    UNCHANGED = "unchanged", _("neither poor nor near-poor")


class RoundKind(models.TextChoices):
    PERIODIC = "periodic", _("periodic (yearly)")
    REGULAR = "regular", _("regular (monthly)")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    DECIDED = "decided", _("decided and locked")


class Step(models.TextChoices):
    """Decision 24/2021/QĐ-TTg, adapted to the two-level government (no district step
    since 1 Jul 2025: the commune chair decides, the province is informed)."""

    LIST = "list", _("1. List the households")
    SURVEY = "survey", _("2. Survey and classify")
    MEETING = "meeting", _("3. Village meeting")
    POSTING = "posting", _("4. Public posting")
    DECISION = "decision", _("5. Decision of the commune chair")


STEP_ORDER = list(Step.values)


class ReviewRound(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices, default=RoundKind.PERIODIC)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True, help_text=_("For regular reviews."))
    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("A province or a commune of the current map."))
    standard = models.ForeignKey(PovertyStandard, verbose_name=_("standard"), on_delete=models.PROTECT,
                                 related_name="+")
    reference_date = models.DateField(_("reference date"), help_text=_("Ages and membership are taken on this day."))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    previous = models.ForeignKey("self", verbose_name=_("previous round"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    classified_at = models.DateTimeField(_("last classified"), null=True, blank=True)
    households_classified = models.PositiveIntegerField(default=0)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "households_reviewround"
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-year", "-month", "-pk"]
        constraints = [
            # Two partial indexes rather than nulls_distinct=False, which SQLite does not support.
            models.UniqueConstraint(fields=["unit", "year", "kind"], condition=Q(month__isnull=True),
                                    name="round_unique_per_unit_year"),
            models.UniqueConstraint(fields=["unit", "year", "kind", "month"], condition=Q(month__isnull=False),
                                    name="round_unique_per_unit_month"),
        ]

    def __str__(self) -> str:
        if self.kind == RoundKind.REGULAR:
            return f"Rà soát thường xuyên {self.month:02d}/{self.year} — {self.unit}"
        return f"Rà soát định kỳ năm {self.year} — {self.unit}"

    @property
    def locked(self) -> bool:
        return self.status == RoundStatus.DECIDED


class RoundProgress(models.Model):
    """A commune completed a step of a round: one row per commune and step, with who and when."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="progress")
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    done_on = models.DateField(_("done on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "households_roundprogress"
        verbose_name = _("round progress")
        verbose_name_plural = _("round progress records")
        constraints = [models.UniqueConstraint(fields=["round", "commune", "step"], name="progress_once_per_step")]


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def poor(self) -> AssessmentQuerySet:
        return self.filter(status=PovertyStatus.POOR)

    def near_poor(self) -> AssessmentQuerySet:
        return self.filter(status=PovertyStatus.NEAR_POOR)


class Assessment(models.Model):
    """A household's classification in a round: the figures and the status.

    A snapshot: the facts behind the figures (ethnicity, working capacity, meritorious members,
    needs) are copied at classification time, so the round's tables stay as decided.

    The sentence that says why is not stored: it follows from the stored area, income, deprivations
    and status with the round's standard, and is written when read (`reason_text`, or
    `engine.reasons_for` for many rows at once) — one text column less in the round's bulk insert.
    """

    # No index of its own on `round`, `commune` or `hamlet`: the unique (round, household) and the
    # (round, commune, status) indexes serve every query, and each index costs time in the bulk
    # insert of a round.
    # No database constraint on `round` and `household` either (Django still cascades their deletes):
    # PostgreSQL checks a deferred foreign key row by row at commit, ≈ 12 s of the 1,000,000-row
    # insert of a province's round for the two of them. Rows are written only by the round's bulk
    # insert, which holds the round FOR UPDATE and reads the households in the same transaction;
    # households are never deleted by the application (they are dissolved or move).
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assessments", db_index=False,
                              db_constraint=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="assessments",
                                  db_constraint=False)
    # Copies of the household's own commune and hamlet at classification time, written only by the
    # round's bulk insert: no database constraint, whose deferred checks on PostgreSQL cost ≈ 6 s per
    # 300,000 rows at commit.
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", db_constraint=False,
                                db_index=False)
    hamlet = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               db_constraint=False, db_index=False)
    area = models.CharField(max_length=8, choices=Area.choices)
    head_ethnicity = models.CharField(max_length=2, choices=ETHNICITY_CHOICES)
    size = models.PositiveSmallIntegerField(_("members"))
    income_per_capita = models.DecimalField(max_digits=12, decimal_places=0)
    income_method = models.CharField(max_length=10, choices=IncomeMethod.choices)
    deprivations = models.PositiveIntegerField(help_text="Bit i set: deprived in the standard's indicator at position i.")
    deprivation_count = models.PositiveSmallIntegerField()
    status = models.CharField(_("status"), max_length=10, choices=PovertyStatus.choices)
    previous_status = models.CharField(max_length=10, choices=PovertyStatus.choices, blank=True)
    transition = models.CharField(_("change"), max_length=24, choices=Transition.choices, blank=True)
    no_working_capacity = models.BooleanField(default=False, help_text="No member is able to work.")
    has_meritorious = models.BooleanField(default=False)
    social_protection = models.BooleanField(default=False, help_text="A member receives a monthly social allowance.")
    needs = models.PositiveSmallIntegerField(default=0, help_text="Bit i set: NEED_FIELDS[i].")

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        db_table = "households_assessment"
        verbose_name = _("household assessment")
        verbose_name_plural = _("household assessments")
        constraints = [models.UniqueConstraint(fields=["round", "household"], name="assessment_once_per_round")]
        indexes = [models.Index(fields=["round", "commune", "status"])]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.status}"

    def reason_text(self, spec: StandardSpec | None = None) -> str:
        """Why, in one Vietnamese sentence: `engine.reason` over the stored figures, with the
        standard's `spec` (read from the round's standard when not given; pass it for many rows, or
        use `engine.reasons_for`)."""
        from . import engine

        if spec is None:
            spec = engine.spec_for(self.round.standard)
        return engine.reasons_for(spec, [self])[0]


class RoundFigures(models.Model):
    """A round's counts for one commune, counted once (`ansinh.poverty.figures.commune_counts`):
    the commune's total and its hamlets', as the conditional counts of `figures._aggregates`.

    Kept in the database rather than a cache: every server process reads the same rows (gunicorn
    runs several, each with its own memory), they survive a restart, and a decided round's figures
    are as lasting as its assessments. `stamp` says which classification they count (the round's
    `classified_at` and household count): a re-run of an open round changes it, and rows with
    another stamp are counted again when read; deciding a round changes nothing, so its figures
    are kept for good. Written only by `figures.commune_counts`.
    """

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey("geo.Unit", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    stamp = models.CharField(max_length=80)
    total = models.JSONField(default=dict, help_text="The commune's counts (empty: no household classified).")
    hamlets = models.JSONField(default=list, help_text="[[hamlet id or null, counts], …]")
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("round figures of a commune")
        verbose_name_plural = _("round figures of communes")
        constraints = [models.UniqueConstraint(fields=["round", "commune"], name="round_figures_once_per_commune")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.commune_id}"


class CurrentStatus(models.Model):
    """A household's current poverty status: its assessment in the latest review round (by
    reference date, then id) that assessed it. One narrow row per assessed household (none for a
    household never assessed), kept right by the services that write assessments, in their
    transaction (`ansinh.poverty.current`), so that lists filter and count households by status
    through the (status) index instead of looking up each household's latest assessment.

    A table of its own rather than a column of the household: a round changes the status of a few
    per cent of the province's households, and rewriting those rows of the wide, much-indexed
    household table cost ≈ 90 µs each on PostgreSQL (≈ 50 µs for each of all of them in a first
    round), ten times a narrow row's.
    """

    # No database constraint (as the assessment's commune copy): its deferred check on PostgreSQL
    # would cost seconds at the commit of a first round; rows are written only by `current`.
    household = models.OneToOneField(Household, primary_key=True, on_delete=models.CASCADE,
                                     related_name="poverty_current", db_constraint=False)
    status = models.CharField(_("status"), max_length=10, choices=PovertyStatus.choices)

    class Meta:
        verbose_name = _("current poverty status")
        verbose_name_plural = _("current poverty statuses")
        indexes = [models.Index(fields=["status"], name="current_status")]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.status}"
