"""Models of the children area of the care app (issue 14 item 3).

- `ChildGroup`: the 14 groups of children in special circumstances of the Law on Children
  102/2016/QH13 Art. 10, as dated data with their legal basis (Decree 56/2017/NĐ-CP details
  sub-groups; they are not recorded here until confirmed against the primary text);
- `Child`: a member of the household register (person) kept in the register of children in special
  circumstances, attached to her household's commune; `ChildCircumstance`: her membership of a
  group, from when to when (a child leaves every group at 16, Law on Children Art. 1, which the
  queries read from her birth date; or earlier when the circumstance ends: `until`);
- `ChildSupport`: support recorded here (care, education, health, legal, psychological …), by whom
  and when; the support read from elsewhere (entitlements of the benefits app, package lines of the
  payments app) is not copied;
- `ChildCaseNote`: who wrote what and when (personal data: read in scope, audited);
- `ChildAbuseCase`: the minimum to count "trẻ em bị xâm hại" (seed 004): the child, the kind and the
  date; shown only to those who change the child's records;
- `ChildFriendlyCriterion`, `ChildFriendlyThreshold`: Decision 06/QĐ-TTg of 3 Jan 2019 (13
  criteria, points, the minimum total by kind of commune) as configurable dated data, provisional
  until confirmed against the primary text; `ChildFriendlyAssessment` with its `ChildFriendlyScore`
  per criterion and its `ChildAssessmentEvent` rows (entered by the commune, approved by the province).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CHILD_AGE = 16  # a child is a person under 16 (Law on Children 102/2016/QH13 Art. 1)


def sixteenth_birthday(born: dt.date) -> dt.date:
    try:
        return born.replace(year=born.year + CHILD_AGE)
    except ValueError:  # 29 February
        return born.replace(year=born.year + CHILD_AGE, day=28)


class ChildGroup(models.Model):
    """One group of Art. 10 of the Law on Children, dated (a later law may change the list)."""

    code = models.CharField(_("code"), max_length=40)
    number = models.PositiveSmallIntegerField(_("number in the law"))
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["number", "valid_from"]
        verbose_name = _("group of children in special circumstances")
        verbose_name_plural = _("groups of children in special circumstances")
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="child_group_code_from")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ChildQuerySet(models.QuerySet["Child"]):
    def search(self, text: str) -> ChildQuerySet:
        """By name without accents (the register's `search_name`) or by the start of a citizen ID."""
        from ansinh.lib.vietnamese import fold

        text = (text or "").strip()
        if not text:
            return self
        digits = "".join(text.split())
        if digits.isdigit():
            return self.filter(person__citizen_id__startswith=digits)
        return self.filter(person__search_name__contains=fold(text))


class Child(models.Model):
    person = models.OneToOneField("households.Member", verbose_name=_("person"), on_delete=models.PROTECT,
                                  related_name="special_child")
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+",
                                help_text=_("The commune of the child's household when registered."))
    registered_on = models.DateField(_("registered on"))
    note = models.CharField(_("note"), max_length=500, blank=True, help_text="Personal data.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("child in special circumstances")
        verbose_name_plural = _("children in special circumstances")
        indexes = [models.Index(fields=["commune", "registered_on"], name="care_child_commune_idx")]

    def __str__(self) -> str:
        return self.person.full_name

    @property
    def leaves_on(self) -> dt.date:
        """The day she turns 16 and leaves every group."""
        return sixteenth_birthday(self.person.birth_date)


class ChildEndReason(models.TextChoices):
    ENDED = "ended", _("the circumstance ended")
    ADOPTED = "adopted", _("adopted or placed in a family")
    MOVED = "moved", _("moved away")
    DIED = "died", _("died")
    OTHER = "other", _("other reason")


class ChildCircumstance(models.Model):
    """The child is in `group` from `since` to `until` (inclusive; open: still in it, until 16)."""

    child = models.ForeignKey(Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="circumstances")
    group = models.ForeignKey(ChildGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="+")
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=10, choices=ChildEndReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True, help_text="Personal data.")

    class Meta:
        ordering = ["since", "pk"]
        verbose_name = _("circumstance")
        verbose_name_plural = _("circumstances")
        constraints = [
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                                   name="child_circumstance_dates"),
        ]
        indexes = [models.Index(fields=["since", "until"], name="care_child_circ_dates")]


class ChildSupportKind(models.TextChoices):
    CARE = "care", _("care and nurture")
    EDUCATION = "education", _("education")
    HEALTH = "health", _("health care")
    LEGAL = "legal", _("legal aid")
    PSYCHOLOGICAL = "psychological", _("psychological support")
    MATERIAL = "material", _("material support or gifts")
    OTHER = "other", _("other support")


class ChildSupport(models.Model):
    child = models.ForeignKey(Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField(_("kind"), max_length=14, choices=ChildSupportKind.choices)
    provided_on = models.DateField(_("provided on"))
    provider = models.CharField(_("provided by"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True, help_text="Personal data.")
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-provided_on", "-pk"]
        verbose_name = _("support to a child")
        verbose_name_plural = _("support to children")
        indexes = [models.Index(fields=["provided_on"], name="care_child_support_on")]


class ChildCaseNote(models.Model):
    child = models.ForeignKey(Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="notes")
    written_at = models.DateTimeField(_("written at"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_name = models.CharField(_("written by"), max_length=150)
    text = models.TextField(_("text"), help_text="Personal data: read in scope only, each reading audited.")

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")


class ChildAbuseKind(models.TextChoices):
    VIOLENCE = "violence", _("violence")
    SEXUAL = "sexual", _("sexual abuse")
    EXPLOITATION = "exploitation", _("exploitation")
    TRAFFICKING = "trafficking", _("trafficking")
    ABANDONMENT = "abandonment", _("abandonment or neglect")


class ChildAbuseCase(models.Model):
    """The minimum the rate needs (Law on Children Art. 4.8: xâm hại trẻ em). Details stay in the
    case file of the protection service, not here."""

    child = models.ForeignKey(Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="abuse_cases")
    kind = models.CharField(_("kind"), max_length=14, choices=ChildAbuseKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("abuse case")
        verbose_name_plural = _("abuse cases")
        indexes = [models.Index(fields=["occurred_on"], name="care_child_abuse_on")]


# --- Child-friendly communes (Decision 06/QĐ-TTg of 3 Jan 2019) ---------------------------------


class ChildFriendlyCriterion(models.Model):
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=255)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), null=True, blank=True,
                                                  help_text=_("Empty while not confirmed."))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=True,
                                      help_text=_("Not yet confirmed against the primary text."))

    class Meta:
        ordering = ["number", "valid_from"]
        verbose_name = _("child-friendly criterion")
        verbose_name_plural = _("child-friendly criteria")
        constraints = [models.UniqueConstraint(fields=["number", "valid_from"], name="child_criterion_number_from")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ChildCommuneKind(models.TextChoices):
    URBAN_WARD = "urban_ward", _("ward of a city")
    DIFFICULT = "difficult", _("mountain, island or especially difficult commune")
    OTHER = "other", _("other commune or ward")


class ChildFriendlyThreshold(models.Model):
    kind = models.CharField(_("kind of commune"), max_length=12, choices=ChildCommuneKind.choices)
    points = models.PositiveSmallIntegerField(_("minimum total"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=True)

    class Meta:
        ordering = ["kind", "valid_from"]
        verbose_name = _("child-friendly threshold")
        verbose_name_plural = _("child-friendly thresholds")
        constraints = [models.UniqueConstraint(fields=["kind", "valid_from"], name="child_threshold_kind_from")]


class ChildAssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted to the province")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned to the commune")


class ChildFriendlyAssessment(models.Model):
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    commune_kind = models.CharField(_("kind of commune"), max_length=12, choices=ChildCommuneKind.choices,
                                    default=ChildCommuneKind.OTHER)
    status = models.CharField(_("status"), max_length=10, choices=ChildAssessmentStatus.choices,
                              default=ChildAssessmentStatus.DRAFT)
    total = models.PositiveIntegerField(_("total points"), default=0)
    threshold = models.PositiveSmallIntegerField(_("minimum total"), default=0)
    recognised = models.BooleanField(_("meets the standard"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "commune__sort_key"]
        verbose_name = _("child-friendly assessment")
        verbose_name_plural = _("child-friendly assessments")
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="child_assessment_commune_year")]
        indexes = [models.Index(fields=["year", "status"], name="care_child_assess_year")]

    def __str__(self) -> str:
        return f"{self.commune} — {self.year}"


class ChildFriendlyScore(models.Model):
    assessment = models.ForeignKey(ChildFriendlyAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ChildFriendlyCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        ordering = ["criterion__number"]
        verbose_name = _("child-friendly score")
        verbose_name_plural = _("child-friendly scores")
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="child_score_unique")]


class ChildAssessmentEvent(models.Model):
    """Each transition of an assessment is a row: who, when, to which status."""

    assessment = models.ForeignKey(ChildFriendlyAssessment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=ChildAssessmentStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step of a child-friendly assessment")
        verbose_name_plural = _("steps of child-friendly assessments")


__all__ = [
    "Child", "ChildAbuseCase", "ChildAbuseKind", "ChildAssessmentEvent", "ChildAssessmentStatus", "ChildCaseNote",
    "ChildCircumstance",
    "ChildFriendlyAssessment", "ChildFriendlyCriterion", "ChildFriendlyScore", "ChildFriendlyThreshold",
    "ChildGroup", "ChildSupport", "ChildCommuneKind", "ChildEndReason", "ChildSupportKind",
]
