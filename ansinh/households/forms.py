"""The registry's forms: what an officer types, checked for shape here and for meaning in the
services, whose ValidationError messages are put back onto these fields (`add_service_errors`).

Dates are shown day first (dd/mm/yyyy) and accepted as dd/mm/yyyy or yyyy-mm-dd. Amounts and
areas follow the active language's separators (1.500.000 and 30,5 in Vietnamese).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ansinh.geo.models import Level, Unit
from ansinh.lib.ethnicity import ETHNICITY_CHOICES
# The one exception to "households never imports poverty": the household list filters by the
# poverty status and change of a round (imported at the top because the filter form's choices need it).
from ansinh.poverty.models import PovertyStatus, Transition
from ansinh.web.shortcuts import parse_int

from .models import NEED_FIELDS, Area, Household, LivingConditions, Member, Relation

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
NOT_ASSESSED = "none"
PERSONAL_DATA = _("Personal data: only officers who manage the household see it in full.")


class DayFirstDateInput(forms.DateInput):
    """A text box showing 31/12/2025: a date picker would show the browser's own order."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", "size": 12, **(attrs or {})},
                         format="%d/%m/%Y")


class DayFirstDateField(forms.DateField):
    widget = DayFirstDateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": _("Enter a date as dd/mm/yyyy.")}


def add_service_errors(form: forms.BaseForm, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Puts a service's ValidationError onto the form: a field's message beside the field (its
    name in the service may differ: `aliases`), anything else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = (aliases or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@dataclass
class Change:
    """A field someone else changed while the user was editing: what the register holds now,
    and what the user typed (kept in the form)."""

    label: str
    current: str
    typed: str


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, models.Model):
        return str(value)
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        return str(dict(choices).get(value, value))
    return str(value)


def stale_changes(form: forms.BaseForm, current: dict[str, Any]) -> list[Change]:
    """The fields whose value in the register (`current`) differs from what the user typed."""
    typed = getattr(form, "cleaned_data", {})
    changes = []
    for name, now in current.items():
        field = form.fields.get(name)
        if field is None:
            continue
        mine = typed[name] if name in typed else form.data.get(name)
        if isinstance(field, forms.BooleanField):
            mine, now = bool(mine), bool(now)
        shown_now, shown_mine = _shown(field, now), _shown(field, mine)
        if shown_now != shown_mine:
            changes.append(Change(label=str(field.label), current=shown_now, typed=shown_mine))
    return changes


def _clean_help_texts(fields: dict[str, forms.Field]) -> None:
    """Model help texts that are notes for developers ("Personal data.") are plain strings, not
    translated: they are left out (the form says once, at the top, what is personal data)."""
    for field in fields.values():
        if isinstance(field.help_text, str) and field.help_text:
            field.help_text = ""


def commune_label(with_province: bool) -> Any:
    def label(unit: Unit) -> str:
        parent = unit.parent
        return f"{unit.name} – {parent.name}" if with_province and parent is not None else unit.name
    return label


# --- The list's filters ------------------------------------------------------------------------


ROUND_GROUPS = {
    "khmer": _("Khmer households"),
    "minority": _("ethnic-minority households"),
    "no_working_capacity": _("households without working capacity"),
    "social_protection": _("households under social protection"),
    "meritorious": _("households with meritorious members"),
}


class HouseholdFilterForm(forms.Form):
    """Filters of the household list; a value that no longer fits (a commune of another
    province after the province changed) is ignored rather than reported."""

    q = forms.CharField(label=_("Search by head's name, code or address"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("e.g. thach van soc")}))
    province = forms.ModelChoiceField(label=_("Province"), queryset=Unit.objects.none(), required=False,
                                      empty_label=_("All"))
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False,
                                     empty_label=_("All"))
    hamlet = forms.ModelChoiceField(label=_("Hamlet"), queryset=Unit.objects.none(), required=False,
                                    empty_label=_("All"))
    status = forms.ChoiceField(label=pgettext_lazy("poverty", "Status"), required=False,
                               choices=[("", _("All")), *PovertyStatus.choices, (NOT_ASSESSED, _("not assessed"))])
    ethnicity = forms.ChoiceField(label=_("Ethnicity of the head"), required=False,
                                  choices=[("", _("All")), *ETHNICITY_CHOICES])
    ended = forms.BooleanField(label=_("Include merged and dissolved households"), required=False)
    # The households behind a figure of a review round (links from a plan's results): the round,
    # the transitions (comma-separated) and a group of its snapshot (ROUND_GROUPS).
    round = forms.CharField(required=False, widget=forms.HiddenInput)
    transition = forms.CharField(required=False, widget=forms.HiddenInput)
    group = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                              choices=[("", ""), *((g, g) for g in ROUND_GROUPS)])

    def round_filter_label(self) -> str:
        """What a figure's list holds besides its status: "thoát nghèo; hộ dân tộc Khmer"."""
        parts = [str(Transition(t).label) for t in self.transitions()]
        if self.value("group"):
            parts.append(str(ROUND_GROUPS[self.value("group")]))
        return "; ".join(parts)

    def __init__(self, data: Any, *, provinces: QuerySet[Unit] | None, communes: QuerySet[Unit],
                 hamlets_of: Any) -> None:
        super().__init__(data, auto_id="%s")
        if provinces is None:
            del self.fields["province"]
            province = None
        else:
            self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
            province = self._pick("province", provinces)
            communes = communes.filter(parent=province) if province else communes.none()
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.fields["commune"].label_from_instance = commune_label(False)  # type: ignore[attr-defined]
        commune = self._pick("commune", communes)
        if commune is None and provinces is None:
            only = list(communes[:2])
            commune = only[0] if len(only) == 1 else None
        hamlets = hamlets_of(commune) if commune else Unit.objects.none()
        self.fields["hamlet"].queryset = hamlets  # type: ignore[attr-defined]
        self.chosen_commune = commune

    def _pick(self, name: str, queryset: QuerySet[Unit]) -> Unit | None:
        value = self.data.get(name, "")
        if not str(value).isdigit():
            return None
        return queryset.filter(pk=int(value)).first()

    def value(self, name: str) -> Any:
        """The cleaned value, or None where it does not fit (the filters never show errors)."""
        self.is_valid()
        return self.cleaned_data.get(name)

    def round_ids(self) -> list[int]:
        """The rounds asked for ("12" or "12,13": a province whose communes ran their own)."""
        found = (parse_int(part, low=1) for part in (self.value("round") or "").split(","))
        return [pk for pk in found if pk is not None]

    def transitions(self) -> list[str]:
        """The transitions asked for that exist ("escaped_poverty,re_poor")."""
        known = set(Transition.values)
        return [t for t in (self.value("transition") or "").split(",") if t in known]


# --- Households --------------------------------------------------------------------------------


AREA_CHOICES = [("", _("By the commune's type")), *Area.choices]


class HouseholdForm(forms.Form):
    """Register a household (with `communes`) or edit one (with `household`)."""

    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none(), empty_label=None)
    code = forms.CharField(label=_("Household code"), max_length=40,
                           help_text=_("The household's code in the commune's register."))
    hamlet = forms.ModelChoiceField(label=_("Hamlet"), queryset=Unit.objects.none(), required=False,
                                    empty_label="—")
    legacy_commune = forms.ModelChoiceField(
        label=_("Commune before 1 July 2025"), queryset=Unit.objects.none(), required=False, empty_label="—",
        help_text=_("Where the household was registered under the former map, if known."))
    # "Address" alone is the audit trail's IP address in the catalogue: this one is a home's.
    address = forms.CharField(label=pgettext_lazy("household", "Address"), max_length=255, required=False,
                              help_text=PERSONAL_DATA)
    area = forms.ChoiceField(label=_("Area"), choices=AREA_CHOICES, required=False,
                             help_text=_("Wards are urban, communes rural; choose only to set it by hand."))
    # The version of the household the form was made from: a save on an older one is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, communes: QuerySet[Unit] | None = None,
                 household: Household | None = None, hamlets_of: Any, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self.household = household
        if household is not None:
            del self.fields["commune"], self.fields["code"]
            self.fields["version"].initial = household.version
            commune: Unit | None = household.commune
        else:
            del self.fields["version"]
            assert communes is not None
            self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
            with_province = len({c.parent_id for c in communes}) > 1
            self.fields["commune"].label_from_instance = commune_label(with_province)  # type: ignore[attr-defined]
            # With JavaScript, choosing a commune refreshes its hamlets and former communes in place.
            self.fields["commune"].widget.attrs.update({
                "hx-get": reverse("household-create"), "hx-trigger": "change", "hx-target": "#commune-dependent",
                "hx-select": "#commune-dependent", "hx-swap": "outerHTML"})
            commune = self._chosen_commune(communes)
        self.chosen_commune = commune
        hamlets = hamlets_of(commune) if commune else Unit.objects.none()
        self.fields["hamlet"].queryset = hamlets  # type: ignore[attr-defined]
        self.fields["legacy_commune"].queryset = (  # type: ignore[attr-defined]
            commune.legacy_sources() if commune else Unit.objects.none())

    def _chosen_commune(self, communes: QuerySet[Unit]) -> Unit | None:
        raw = self.data.get("commune") if self.is_bound else (self.initial or {}).get("commune")
        if isinstance(raw, Unit):
            raw = raw.pk
        if raw is not None and str(raw).isdigit():
            found = communes.filter(pk=int(raw)).first()
            if found is not None:
                return found
        return communes.first()

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


# --- Members -----------------------------------------------------------------------------------


MEMBER_GROUPS: list[tuple[Any, list[str]]] = [
    (_("Identity"), ["full_name", "citizen_id", "sex", "birth_date", "relation", "ethnicity"]),
    (_("Health"), ["health_insurance", "disability", "sick_untreated", "stunted", "underweight"]),
    (_("Education"), ["schooling", "education", "in_training"]),
    (_("Work"), ["employment", "can_work", "uses_internet"]),
    (_("Support"), ["pension", "social_allowance", "meritorious"]),
]
MEMBER_FORM_FIELDS = [name for _title, names in MEMBER_GROUPS for name in names]


class MemberForm(forms.ModelForm):
    """Every fact of a member the indicators need, in the groups of the survey form."""

    citizen_id = forms.CharField(label=_("Citizen ID"), required=False, max_length=20,
                                 help_text=_("12 digits (CCCD); checked against the sex and the birth year."))
    birth_date = DayFirstDateField(label=_("Date of birth"))
    # The version of the member the form was made from: a save on an older one is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = Member
        fields = MEMBER_FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version
        _clean_help_texts(self.fields)
        self.fields["citizen_id"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_citizen_id(self) -> str:
        return "".join(str(self.cleaned_data.get("citizen_id") or "").split())

    @property
    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in MEMBER_GROUPS]

    def _get_validation_exclusions(self) -> set[str]:
        # The service checks the citizen ID (shape, sex, birth year, already registered) with
        # messages that say what is wrong; the model's max_length would only say "too long".
        return {*super()._get_validation_exclusions(), "citizen_id"}  # type: ignore[misc]

    def validate_unique(self) -> None:
        """Uniqueness is the service's check (it names the household that holds the number)."""

    def validate_constraints(self) -> None:
        """The member's constraints are the service's checks, as above."""


class DeathForm(forms.Form):
    died_on = DayFirstDateField(label=_("Date of death"))


class _TargetForm(forms.Form):
    """A form that names another household by its code, among `targets` (in the user's scope)."""

    target_field = ""

    def __init__(self, data: Any = None, *, targets: QuerySet[Household], initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self.targets = targets
        self.target: Household | None = None
        field = self.fields[self.target_field]
        field.widget.attrs.update({"list": "household-options", "autocomplete": "off"})

    def _clean_target(self) -> str:
        code = str(self.cleaned_data.get(self.target_field) or "").strip()
        self.target = self.targets.filter(code=code).first()
        if self.target is None:
            raise ValidationError(_("No active household with the code %(code)s in the communes you manage."),
                                  params={"code": code})
        return code


class MoveForm(_TargetForm):
    target_field = "to_code"
    to_code = forms.CharField(label=_("Code of the household the member moves to"), max_length=40)
    relation = forms.ChoiceField(label=_("Relation to the head there"), choices=Relation.choices)
    on = DayFirstDateField(label=_("Date of the move"))

    def clean_to_code(self) -> str:
        return self._clean_target()


class MergeForm(_TargetForm):
    target_field = "into_code"
    into_code = forms.CharField(label=_("Code of the household it joins"), max_length=40)
    on = DayFirstDateField(label=_("Date of the merge"))

    def clean_into_code(self) -> str:
        return self._clean_target()


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return f"{obj.full_name} ({obj.get_relation_display()}, {obj.birth_date:%d/%m/%Y})"


class HeadChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return obj.full_name


class SplitForm(forms.Form):
    members = MemberChoice(label=_("Members who leave"), queryset=Member.objects.none(),
                           widget=forms.CheckboxSelectMultiple)
    head = HeadChoice(label=_("Head of the new household"), queryset=Member.objects.none(),
                      widget=forms.RadioSelect, empty_label=None)
    new_code = forms.CharField(label=_("Code of the new household"), max_length=40)
    address = forms.CharField(label=_("Address of the new household"), max_length=255, required=False,
                              help_text=_("Leave empty to keep the same address."))
    on = DayFirstDateField(label=_("Date of the split"))

    def __init__(self, data: Any = None, *, household: Household, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        present = household.members.present().order_by("sort_key", "pk")
        self.fields["members"].queryset = present  # type: ignore[attr-defined]
        self.fields["head"].queryset = present  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        members, head = cleaned.get("members"), cleaned.get("head")
        if members is not None and head is not None and head not in members:
            self.add_error("head", _("The new head must be one of the members who leave."))
        return cleaned


# --- Living conditions -------------------------------------------------------------------------


CONDITION_GROUPS: list[tuple[Any, list[str]]] = [
    (_("House"), ["housing", "floor_area"]),
    (_("Water and sanitation"), ["water_source", "latrine", "waste_treated"]),
    (_("Information"), ["has_tv", "has_radio", "has_computer", "has_phone", "hears_loudspeaker"]),
    (_("Income"), ["income_per_capita"]),
    (_("Needs"), list(NEED_FIELDS)),
    (_("Survey"), ["surveyed_on"]),
]
CONDITION_FORM_FIELDS = [name for _title, names in CONDITION_GROUPS for name in names]
B2_CHOICES = [("", _("not recorded")), ("0", _("0 – not deprived")), ("1", _("1 – deprived"))]


class ConditionsForm(forms.ModelForm):
    """What the survey found in a review year (forms B1 and B2).

    `b1_items` are the region's scoring items (form B1), used only when no income is declared;
    `indicators` are the standard's indicators, for deprivations read from a paper form B2.
    """

    surveyed_on = DayFirstDateField(label=_("Surveyed on"), required=False)

    class Meta:
        model = LivingConditions
        fields = CONDITION_FORM_FIELDS
        localized_fields = ["floor_area", "income_per_capita"]

    def __init__(self, *args: Any, b1_items: Iterable[dict[str, Any]] = (),
                 indicators: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _clean_help_texts(self.fields)
        instance = self.instance
        answers = instance.b1_answers or {}
        flags = instance.b2_flags or {}
        self.b1_names: list[str] = []
        for item in b1_items:
            name = f"b1_{item['code']}"
            self.fields[name] = forms.DecimalField(
                label=str(item.get("label", item["code"])), required=False, min_value=Decimal(0), max_value=Decimal(3),
                decimal_places=2, localize=True, initial=answers.get(item["code"]))
            self.b1_names.append(name)
        self.b2_names: list[str] = []
        for code, label in indicators:
            name = f"b2_{code}"
            value = flags.get(code)
            self.fields[name] = forms.ChoiceField(label=label, choices=B2_CHOICES, required=False,
                                                  initial="" if value is None else str(int(value)))
            self.b2_names.append(name)

    @property
    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in CONDITION_GROUPS]

    @property
    def b1_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.b1_names]

    @property
    def b2_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.b2_names]

    def validate_unique(self) -> None:
        """One row per household and year: the service updates the year's row if there is one."""

    def validate_constraints(self) -> None:
        """As above."""

    def service_values(self, existing_flags: dict[str, Any] | None = None) -> dict[str, Any]:
        """The cleaned values as the service takes them: model fields, B1 answers, B2 flags.

        B2 answers for indicators of other standards (an earlier entry) are kept.
        """
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) for name in CONDITION_FORM_FIELDS}
        answers = {}
        for name in self.b1_names:
            value = data.get(name)
            if value:
                answers[name[3:]] = float(value)
        flags = {code: value for code, value in (existing_flags or {}).items()
                 if f"b2_{code}" not in self.fields}
        for name in self.b2_names:
            if data.get(name) in ("0", "1"):
                flags[name[3:]] = int(data[name])
        values["b1_answers"] = answers
        values["b2_flags"] = flags
        return values


def review_years() -> list[int]:
    """Years a survey can be recorded for (the service refuses others)."""
    return list(range(timezone.localdate().year + 1, 2015, -1))


def hamlets_of(units: QuerySet[Unit]) -> Any:
    """Hamlets of a commune among `units` (the user's visible units), in Vietnamese order."""
    def of(commune: Unit) -> QuerySet[Unit]:
        return units.filter(parent=commune, level=Level.HAMLET).vietnamese_order()  # type: ignore[attr-defined]
    return of
