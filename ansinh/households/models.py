"""The register of households and people: households, their members, the events that change
them, and each household's living conditions per survey year.

Living conditions are register data about a household (what the survey found: house, water,
latrine, assets, income, needs; forms B1 and B2 of Circular 07/2021/TT-BLĐTBXH). The poverty
review (`ansinh.poverty`) reads them to classify households; it owns the standards, rounds and
assessments, and this app never depends on it at import time.
Personal data (names, citizen IDs, birth dates, health facts) fall under Decree 13/2023/NĐ-CP:
every query goes through `ansinh.households.access`, every change through `services` (audited).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ansinh.lib.ethnicity import ETHNICITY_CHOICES, KINH
from ansinh.lib.vietnamese import fold, sort_key


class Area(models.TextChoices):
    URBAN = "urban", _("urban")
    RURAL = "rural", _("rural")


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Relation(models.TextChoices):
    """A member's relation to the head. The labels carry a context: "parent" is also the map's
    unit above (đơn vị cấp trên), and a member's parent is the head's father or mother (cha/mẹ)."""

    HEAD = "head", pgettext_lazy("household relation", "head of household")
    SPOUSE = "spouse", pgettext_lazy("household relation", "spouse")
    CHILD = "child", pgettext_lazy("household relation", "child")
    PARENT = "parent", pgettext_lazy("household relation", "parent")
    GRANDCHILD = "grandchild", pgettext_lazy("household relation", "grandchild")
    GRANDPARENT = "grandparent", pgettext_lazy("household relation", "grandparent")
    SIBLING = "sibling", pgettext_lazy("household relation", "sibling")
    OTHER = "other", pgettext_lazy("household relation", "other relative")


class Schooling(models.TextChoices):
    """What a member attends now (tình trạng đi học)."""

    NONE = "none", _("not attending")
    PRESCHOOL = "preschool", _("preschool")
    PRIMARY = "primary", _("primary school")
    LOWER_SECONDARY = "lower_secondary", _("lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("upper secondary school")
    VOCATIONAL = "vocational", _("vocational training")
    HIGHER = "higher", _("college or university")


class Education(models.TextChoices):
    """Highest qualification (bằng cấp, chứng chỉ cao nhất)."""

    NONE = "none", _("none")
    PRIMARY = "primary", _("primary")
    LOWER_SECONDARY = "lower_secondary", _("lower secondary")
    UPPER_SECONDARY = "upper_secondary", _("upper secondary")
    VOCATIONAL = "vocational", _("vocational certificate or diploma")
    HIGHER = "higher", _("college or university degree")


# Ordinal ranks used by the indicator rules (a higher rank satisfies a lower requirement).
EDUCATION_RANK = {"none": 0, "primary": 1, "lower_secondary": 2, "upper_secondary": 3, "vocational": 3, "higher": 4}
SCHOOLING_RANK = {"none": -1, "preschool": 0, "primary": 1, "lower_secondary": 2, "upper_secondary": 3,
                  "vocational": 3, "higher": 4}


class Employment(models.TextChoices):
    CONTRACT = "contract", _("waged, with a labour contract")
    NO_CONTRACT = "no_contract", _("waged, without a labour contract")
    SELF_EMPLOYED = "self_employed", _("self-employed or own farm")
    UNEMPLOYED = "unemployed", _("unemployed")
    INACTIVE = "inactive", _("not in the labour force (studying, retired, homemaker…)")


class Disability(models.TextChoices):
    NONE = "none", _("none")
    MILD = "mild", _("mild")
    SEVERE = "severe", _("severe")
    ESPECIALLY_SEVERE = "especially_severe", _("especially severe")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    MERGED = "merged", _("merged into another household")
    DISSOLVED = "dissolved", _("dissolved")


class HouseholdQuerySet(models.QuerySet["Household"]):
    def active(self) -> HouseholdQuerySet:
        return self.filter(status=HouseholdStatus.ACTIVE)

    def search(self, query: str) -> HouseholdQuerySet:
        """Accent-insensitive on the head's name, the household code and the address."""
        words = fold(query).split()
        q = Q()
        for word in words:
            q &= Q(search_text__contains=word)
        return self.filter(q) if words else self


class Household(models.Model):
    code = models.CharField(_("household code"), max_length=40, unique=True,
                            help_text=_("Code of the household in the commune's register (mã hộ)."))
    commune = models.ForeignKey("geo.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+",
                                help_text=_("A commune of the current map."))
    hamlet = models.ForeignKey("geo.Unit", verbose_name=_("hamlet"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    legacy_commune = models.ForeignKey(
        "geo.Unit", verbose_name=_("commune before 1 Jul 2025"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Where the household was registered under the pre-2025 map, if known."))
    address = models.CharField(_("home address"), max_length=255, blank=True, help_text="Personal data.")
    area = models.CharField(_("area"), max_length=8, choices=Area.choices,
                            help_text=_("Urban for wards (phường) and townships (thị trấn), rural otherwise."))
    area_overridden = models.BooleanField(_("area set by hand"), default=False)
    head_name = models.CharField(_("head of household"), max_length=150, blank=True, help_text="Personal data.")
    head_ethnicity = models.CharField(_("ethnicity of the head"), max_length=2, choices=ETHNICITY_CHOICES, default=KINH)
    status = models.CharField(_("status"), max_length=12, choices=HouseholdStatus.choices,
                              default=HouseholdStatus.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    successor = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, db_default=1, editable=False,
        help_text="Raised by each change through the services: an edit made on an older version is refused.")

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["commune", "status"]), models.Index(fields=["sort_key"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.head_name}" if self.head_name else self.code

    def set_derived_fields(self) -> None:
        self.search_text = fold(f"{self.head_name} {self.code} {self.address}")[:400]
        self.sort_key = sort_key(self.head_name or self.code)


class MemberQuerySet(models.QuerySet["Member"]):
    def present(self, on: dt.date | None = None) -> MemberQuerySet:
        """Members living in their household on a date (alive, not moved out)."""
        if on is None:
            return self.filter(died_on__isnull=True, left_on__isnull=True)
        return self.filter(Q(died_on__isnull=True) | Q(died_on__gt=on), Q(left_on__isnull=True) | Q(left_on__gt=on))


class Member(models.Model):
    household = models.ForeignKey(Household, verbose_name=_("household"), on_delete=models.PROTECT,
                                  related_name="members")
    full_name = models.CharField(_("full name"), max_length=150, help_text="Personal data.")
    citizen_id = models.CharField(_("citizen ID"), max_length=12, null=True, blank=True,
                                  help_text="Personal data: 12-digit personal identification number (CCCD).")
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), help_text="Personal data.")
    relation = models.CharField(_("relation to the head"), max_length=12, choices=Relation.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITY_CHOICES, default=KINH)
    # Facts the indicators need (Decree 07/2021/NĐ-CP, Appendix; Decision 59/2015/QĐ-TTg, Art. 2).
    health_insurance = models.BooleanField(_("has health insurance"), default=True, help_text="Personal data.")
    schooling = models.CharField(_("attends now"), max_length=16, choices=Schooling.choices, default=Schooling.NONE)
    education = models.CharField(_("highest qualification"), max_length=16, choices=Education.choices,
                                 default=Education.NONE)
    in_training = models.BooleanField(_("in a training course"), default=False)
    employment = models.CharField(_("employment"), max_length=16, choices=Employment.choices,
                                  default=Employment.INACTIVE)
    can_work = models.BooleanField(_("able to work"), default=True)
    disability = models.CharField(_("disability"), max_length=20, choices=Disability.choices,
                                  default=Disability.NONE, help_text="Personal data (health).")
    pension = models.BooleanField(_("receives a pension or monthly social-insurance benefit"), default=False)
    social_allowance = models.BooleanField(_("receives a monthly social allowance"), default=False)
    meritorious = models.BooleanField(_("person with meritorious service"), default=False)
    stunted = models.BooleanField(_("stunted (height for age)"), default=False, help_text="Personal data (health).")
    underweight = models.BooleanField(_("underweight (weight for age)"), default=False,
                                      help_text="Personal data (health).")
    uses_internet = models.BooleanField(_("uses the internet"), default=False)
    sick_untreated = models.BooleanField(_("ill without treatment"), default=False, help_text="Personal data (health).")
    died_on = models.DateField(_("died on"), null=True, blank=True)
    left_on = models.DateField(_("left the household on"), null=True, blank=True)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, db_default=1, editable=False,
        help_text="Raised by each change through the services: an edit made on an older version is refused.")

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["citizen_id"], condition=Q(citizen_id__isnull=False),
                                    name="member_citizen_id_unique"),
        ]
        # The people-served checks read the elderly and the disabled of a province through these
        # (`benefits.checks.eligible_unpaid`), not every member of it.
        indexes = [
            models.Index(fields=["birth_date"], name="member_birth_date_idx"),
            models.Index(fields=["disability"], name="member_disability_idx"),
            # The payroll finds the people who died lately (their months paid to be recovered)
            # through it, not by joining every entitlement of a province to its member.
            models.Index(fields=["died_on"], condition=Q(died_on__isnull=False), name="member_died_on_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def set_derived_fields(self) -> None:
        self.search_name = fold(self.full_name)
        self.sort_key = sort_key(self.full_name)

    def age_on(self, on: dt.date) -> int:
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class HouseholdEventKind(models.TextChoices):
    CREATED = "created", _("registered")
    MEMBER_JOINED = "member_joined", _("member joined")
    MEMBER_LEFT = "member_left", _("member left")
    MEMBER_DIED = "member_died", _("member died")
    SPLIT = "split", _("household split")
    MERGED = "merged", _("households merged")
    HEAD_CHANGED = "head_changed", _("head changed")
    EDITED = "edited", _("details changed")


class HouseholdEvent(models.Model):
    """The history of a household: moves, deaths, splits and merges, each a row with who and when."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=HouseholdEventKind.choices)
    on = models.DateField(_("date"))
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    other = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="The other household of a move, split or merge.")
    note = models.CharField(_("note"), max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household event")
        verbose_name_plural = _("household events")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class Housing(models.TextChoices):
    """House types of the census and Circular 07/2021/TT-BLĐTBXH."""

    DURABLE = "durable", _("durable (kiên cố)")
    SEMI_DURABLE = "semi_durable", _("semi-durable (bán kiên cố)")
    LESS_DURABLE = "less_durable", _("less durable (thiếu kiên cố)")
    SIMPLE = "simple", _("simple (đơn sơ)")


class WaterSource(models.TextChoices):
    PIPED = "piped", _("piped water")
    DRILLED_WELL = "drilled_well", _("drilled well")
    PROTECTED_WELL = "protected_well", _("protected dug well")
    RAINWATER = "rainwater", _("rainwater, stored safely")
    BOTTLED = "bottled", _("bottled or purified water")
    UNPROTECTED = "unprotected", _("unprotected well or spring")
    SURFACE = "surface", _("river, lake, pond or canal")


SAFE_WATER = {WaterSource.PIPED, WaterSource.DRILLED_WELL, WaterSource.PROTECTED_WELL, WaterSource.RAINWATER,
              WaterSource.BOTTLED}


class Latrine(models.TextChoices):
    FLUSH = "flush", _("flush or pour-flush to a septic tank")
    DOUBLE_VAULT = "double_vault", _("double-vault composting")
    VENTILATED_PIT = "ventilated_pit", _("ventilated improved pit")
    UNHYGIENIC = "unhygienic", _("unhygienic (open pit, over water…)")
    NONE = "none", _("none")


HYGIENIC_LATRINES = {Latrine.FLUSH, Latrine.DOUBLE_VAULT, Latrine.VENTILATED_PIT}


class IncomeMethod(models.TextChoices):
    DECLARED = "declared", _("declared")
    ESTIMATED = "estimated", _("estimated by the scoring table (form B1)")


class LivingConditions(models.Model):
    """What the survey found in a household in a review year (forms B1 and B2).

    Register data about the household (its house, water, latrine, assets, income and needs), so it
    lives in the register, not in `ansinh.poverty`: the poverty review reads it to classify the
    household, and other registries (support, care) will read it too."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="conditions")
    year = models.PositiveSmallIntegerField(_("review year"))
    housing = models.CharField(_("house type"), max_length=16, choices=Housing.choices, default=Housing.SEMI_DURABLE)
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=7, decimal_places=1, default=Decimal("40"))
    water_source = models.CharField(_("drinking water"), max_length=16, choices=WaterSource.choices,
                                    default=WaterSource.PIPED)
    latrine = models.CharField(_("latrine"), max_length=16, choices=Latrine.choices, default=Latrine.FLUSH)
    waste_treated = models.BooleanField(_("household waste collected or treated"), default=True)
    has_tv = models.BooleanField(_("television"), default=False)
    has_radio = models.BooleanField(_("radio"), default=False)
    has_computer = models.BooleanField(_("computer or tablet"), default=False)
    has_phone = models.BooleanField(_("telephone"), default=False)
    hears_loudspeaker = models.BooleanField(_("hears the commune loudspeakers"), default=False)
    income_per_capita = models.DecimalField(
        _("income per person per month (VND)"), max_digits=12, decimal_places=0, null=True, blank=True,
        help_text=_("Declared income; leave empty to estimate it from the scoring table (form B1)."))
    b1_answers = models.JSONField(_("form B1 answers"), default=dict, blank=True,
                                  help_text="Scoring items answered in form B1, by item code.")
    b2_flags = models.JSONField(_("form B2 deprivations"), default=dict, blank=True,
                                help_text="Deprivations recorded on a paper form B2, by indicator code (0/1); "
                                          "used where the member facts are missing.")
    # Needs the commune records during the review (the support kinds counted in seed 000).
    needs_credit = models.BooleanField(_("needs preferential credit"), default=False)
    needs_housing = models.BooleanField(_("needs housing support"), default=False)
    needs_water = models.BooleanField(_("needs clean water"), default=False)
    needs_latrine = models.BooleanField(_("needs a hygienic latrine"), default=False)
    needs_training = models.BooleanField(_("needs vocational training"), default=False)
    needs_job = models.BooleanField(_("needs job linkage"), default=False)
    needs_monthly_support = models.BooleanField(_("needs monthly support"), default=False)
    surveyed_on = models.DateField(_("surveyed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("living conditions")
        verbose_name_plural = _("living conditions")
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="conditions_one_per_year")]

    def __str__(self) -> str:
        return f"{self.household_id} / {self.year}"


NEED_FIELDS = ["needs_credit", "needs_housing", "needs_water", "needs_latrine", "needs_training", "needs_job",
               "needs_monthly_support"]
