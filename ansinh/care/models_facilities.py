"""Care facilities and drug rehabilitation (issue 14 item 2): facilities, the dated categories of
their residents, and residents' stays (admission and discharge decisions).

Legal basis:
- social protection centres, social work centres and facilities for children: Decree 103/2017/NĐ-CP
  (establishment, organisation of social assistance facilities) and Decree 20/2021/NĐ-CP Chapter V
  (who is cared for and nurtured at a social assistance facility, Art. 24–25) [S];
- drug rehabilitation facilities: Law on Drug Prevention 73/2021/QH14 — Art. 28 (voluntary and
  compulsory rehabilitation), Art. 29 (five stages), Art. 30–31 (voluntary at a facility: 6 to 12
  months), Art. 32 and the Law on Handling Administrative Violations Art. 95 (compulsory: 12 to 24
  months) [S], Art. 40 (management after rehabilitation at the place of residence).

A `Resident` row is one stay: a person at one facility from the admission decision to the discharge
decision. A person is never in two facilities at once: an open stay is unique per register member
and per citizen ID (constraints), and the services refuse a stay overlapping another of the same
person (`services_facilities`).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import Field
from ansinh.households.models import Sex
from ansinh.lib.vietnamese import fold


class FacilityKind(models.TextChoices):
    SOCIAL_PROTECTION = "social_protection", _("social protection centre")
    SOCIAL_WORK = "social_work", _("social work centre")
    CHILDREN = "children", _("facility for children (children's village)")
    REHAB = "rehab", _("drug rehabilitation facility")


# The field whose officers manage each kind (issue 14 item 5): social assistance for social
# protection and social work centres and for rehabilitation facilities; children for the
# facilities of children (children's villages, SOS villages).
KIND_FIELD = {
    FacilityKind.SOCIAL_PROTECTION: Field.SOCIAL_ASSISTANCE,
    FacilityKind.SOCIAL_WORK: Field.SOCIAL_ASSISTANCE,
    FacilityKind.CHILDREN: Field.CHILDREN,
    FacilityKind.REHAB: Field.SOCIAL_ASSISTANCE,
}
CARE_KINDS = (FacilityKind.SOCIAL_PROTECTION, FacilityKind.SOCIAL_WORK, FacilityKind.CHILDREN)


class Ownership(models.TextChoices):
    PUBLIC = "public", _("public")
    PRIVATE = "private", _("private")


class FacilityQuerySet(models.QuerySet["Facility"]):
    def care(self) -> FacilityQuerySet:
        return self.filter(kind__in=CARE_KINDS)

    def rehab(self) -> FacilityQuerySet:
        return self.filter(kind=FacilityKind.REHAB)


class Facility(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, editable=False,
                             help_text=_("The field whose officers manage the facility (from its kind)."))
    unit = models.ForeignKey("geo.Unit", verbose_name=_("belongs to"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("The province or commune of the current map the facility belongs to."))
    capacity = models.PositiveIntegerField(_("capacity"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    established_by = models.CharField(_("establishment decision"), max_length=255, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("care facility")
        verbose_name_plural = _("care facilities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(opened_on__isnull=True)
                                   | Q(closed_on__gte=F("opened_on")), name="care_facility_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_rehab(self) -> bool:
        return self.kind == FacilityKind.REHAB


class CategoryGroup(models.TextChoices):
    """How the seed reports residents: "37 người cao tuổi, người khuyết tật; 104 người tâm thần;
    14 em mồ côi" (the breakdowns of `care_centre_residents`)."""

    ELDERLY_DISABLED = "elderly_disabled", _("elderly, people with disabilities")
    MENTAL_ILLNESS = "mental_illness", _("people with mental illness")
    ORPHAN = "orphan", _("orphans and children without support")
    PROTECTION = "protection", _("people in need of urgent protection")
    DRUG_USER = "drug_user", _("people with drug addiction")
    OTHER = "other", _("other")


class ResidentCategory(models.Model):
    """A category of resident, as dated law (Decree 20/2021/NĐ-CP Chapter V, Art. 24; Law
    73/2021/QH14 for drug rehabilitation): an administrator changes or closes a row and adds a new
    one with new dates; a stay keeps the row in force when it was admitted."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    group = models.CharField(_("report group"), max_length=20, choices=CategoryGroup.choices)
    for_rehab = models.BooleanField(_("for drug rehabilitation facilities"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("Not yet confirmed against the legal text."))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("resident category")
        verbose_name_plural = _("resident categories")
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="care_category_code_from")]

    def __str__(self) -> str:
        return self.name

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class RehabKind(models.TextChoices):
    """Law 73/2021/QH14 Art. 28."""

    COMPULSORY = "compulsory", _("compulsory")
    VOLUNTARY = "voluntary", _("voluntary")


class RehabStage(models.IntegerChoices):
    """Law 73/2021/QH14 Art. 29: compulsory rehabilitation goes through all five stages, voluntary
    through the first three at least."""

    INTAKE = 1, _("1. Intake and classification")
    DETOX = 2, _("2. Detoxification and treatment of withdrawal")
    EDUCATION = 3, _("3. Education, counselling and behaviour rehabilitation")
    LABOUR = 4, _("4. Labour therapy and vocational training")
    REINTEGRATION = 5, _("5. Preparation for community reintegration")


# Terms in months (Law 73/2021/QH14 Art. 30–31 for voluntary at a facility; Law on Handling
# Administrative Violations 15/2012/QH13 Art. 95 for compulsory) [S: secondary sources].
REHAB_TERMS = {RehabKind.VOLUNTARY: (6, 12), RehabKind.COMPULSORY: (12, 24)}
# After-rehabilitation management at the place of residence (Law 73/2021/QH14 Art. 40): one year
# from the end of the stay. Provisional: not read in the legal text.
AFTERCARE_MONTHS = 12


class DischargeReason(models.TextChoices):
    RETURNED_FAMILY = "returned_family", _("returned to the family")
    REINTEGRATION = "reintegration", _("community reintegration")
    END_OF_TERM = "end_of_term", _("end of term")
    TRANSFERRED = "transferred", _("transferred to another facility")
    DEATH = "death", _("death")
    LEFT = "left", _("left without permission")
    OTHER = "other", _("other")


# Discharges counted as "giải quyết tái hòa nhập cộng đồng" for rehabilitation (seed 001).
REINTEGRATED = (DischargeReason.REINTEGRATION, DischargeReason.END_OF_TERM)


class ResidentQuerySet(models.QuerySet["Resident"]):
    def present_on(self, day: dt.date) -> ResidentQuerySet:
        """In the facility at the end of `day`: admitted on or before it, not discharged by then."""
        return self.filter(Q(admitted_on__lte=day) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=day)))

    def present(self) -> ResidentQuerySet:
        return self.filter(discharged_on__isnull=True)


class Resident(models.Model):
    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.PROTECT,
                                 related_name="residents")
    member = models.ForeignKey("households.Member", verbose_name=_("person in the register"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="care_stays")
    full_name = models.CharField(_("full name"), max_length=150, help_text="Personal data.")
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True, help_text="Personal data.")
    citizen_id = models.CharField(_("citizen ID"), max_length=12, blank=True,
                                  help_text="Personal data: 12-digit personal identification number (CCCD).")
    home_commune = models.ForeignKey("geo.Unit", verbose_name=_("commune of residence"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(ResidentCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="residents")
    # Admission decision
    admission_number = models.CharField(_("admission decision number"), max_length=50)
    admitted_on = models.DateField(_("admitted on"))
    admission_decided_by = models.CharField(_("admission decided by"), max_length=255)
    admission_reason = models.CharField(_("reason for admission"), max_length=255, blank=True)
    # Drug rehabilitation (Law 73/2021/QH14)
    rehab_kind = models.CharField(_("kind of rehabilitation"), max_length=12, choices=RehabKind.choices, blank=True)
    stage = models.PositiveSmallIntegerField(_("stage"), choices=RehabStage.choices, null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    # Discharge decision
    discharge_number = models.CharField(_("discharge decision number"), max_length=50, blank=True)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(_("reason for discharge"), max_length=20, choices=DischargeReason.choices,
                                        blank=True)
    discharge_note = models.CharField(_("note on the discharge"), max_length=255, blank=True)
    # After rehabilitation (Law 73/2021/QH14 Art. 40): managed by the commune of residence.
    aftercare_commune = models.ForeignKey("geo.Unit", verbose_name=_("after-rehabilitation management by"),
                                          null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    aftercare_until = models.DateField(_("after-rehabilitation management until"), null=True, blank=True)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["-admitted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(member__isnull=False, discharged_on__isnull=True),
                                    name="care_resident_one_open_stay_member"),
            models.UniqueConstraint(fields=["citizen_id"], condition=~Q(citizen_id="") & Q(discharged_on__isnull=True),
                                    name="care_resident_one_open_stay_citizen"),
            models.UniqueConstraint(fields=["facility", "admission_number"], name="care_resident_admission_number"),
            models.CheckConstraint(condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("admitted_on")),
                                   name="care_resident_dates"),
            models.CheckConstraint(condition=Q(discharged_on__isnull=True, discharge_reason="")
                                   | Q(discharged_on__isnull=False) & ~Q(discharge_reason=""),
                                   name="care_resident_discharge_whole"),
        ]
        indexes = [
            models.Index(fields=["facility", "admitted_on"], name="care_resident_fac_in"),
            models.Index(fields=["facility", "discharged_on"], name="care_resident_fac_out"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def set_derived_fields(self) -> None:
        self.search_name = fold(self.full_name)

    @property
    def term_ends_on(self) -> dt.date | None:
        if not self.term_months:
            return None
        return add_months(self.admitted_on, self.term_months)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of the month when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


__all__ = ["Facility", "Resident", "ResidentCategory"]
