"""The forms of the people-served pages: the list's filters, an entitlement (new, changed,
stopped) and a martyr. Shape is checked here, meaning in `ansinh.benefits.services`, whose
ValidationError messages are put back onto these fields (`add_service_errors`).

Months are typed as mm/yyyy (or yyyy-mm, as the list's `month` parameter) and stand for the
first day of the month. Which parameters a category takes (injury rate, number of martyrs,
children raised, years of seniority) comes from the category's own flags (`uses_rate`, …): a
field the chosen category needs is required, one it does not take is refused, so a form never
saves a rate on a social-assistance entitlement.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ansinh.geo.models import Unit
from ansinh.households.forms import DayFirstDateField, commune_label

from .models import Category, DossierKind, DossierStatus, LineKind, Martyr, Scheme, StopReason
from .months import add_months, parse_month, this_month
from .services import DISABILITY_PREFIX

STATUS_ACTIVE, STATUS_STOPPED, STATUS_ALL = "active", "stopped", "all"

# The parameters a category may take: (form field, the category flag that asks for it).
PARAMETERS = [("rate", "uses_rate"), ("martyr_count", "uses_martyrs"), ("children", "uses_children"),
              ("years", "uses_years")]
PARAMETER_MESSAGES = {
    "rate": pgettext_lazy("benefits", "Enter the injury or illness rate (%) for this category."),
    "martyr_count": pgettext_lazy("benefits", "Enter the number of martyrs for this category."),
    "children": pgettext_lazy("benefits", "Enter the number of children raised for this category."),
    "years": pgettext_lazy("benefits", "Enter the years of seniority for this category."),
}


# The pages' own Vietnamese labels of the model's choices (context "benefits": they never clash
# with another part's catalogue entries).
SCHEME_LABELS = {
    Scheme.SOCIAL_ASSISTANCE.value: pgettext_lazy("benefits", "monthly social assistance"),
    Scheme.SOCIAL_PENSION.value: pgettext_lazy("benefits", "social pension"),
    Scheme.MERITORIOUS.value: pgettext_lazy("benefits", "preferential allowances for people with meritorious service"),
}
STOP_LABELS = {
    StopReason.DIED.value: pgettext_lazy("benefits", "died"),
    StopReason.MOVED.value: pgettext_lazy("benefits", "moved to another commune or province"),
    StopReason.NOT_ELIGIBLE.value: pgettext_lazy("benefits", "no longer eligible"),
    StopReason.REPLACED.value: pgettext_lazy("benefits", "replaced by another entitlement"),
    StopReason.REFUSED.value: pgettext_lazy("benefits", "refused by the person"),
    StopReason.PRISON.value: pgettext_lazy("benefits", "serving a prison sentence"),
    StopReason.OTHER.value: pgettext_lazy("benefits", "other reason"),
}
DOSSIER_KIND_LABELS = {
    DossierKind.START.value: pgettext_lazy("benefits", "new entitlement"),
    DossierKind.CHANGE.value: pgettext_lazy("benefits", "change of amount or category"),
    DossierKind.MOVE.value: pgettext_lazy("benefits", "move to another commune or province"),
    DossierKind.STOP.value: pgettext_lazy("benefits", "stop"),
}
DOSSIER_STATUS_LABELS = {
    DossierStatus.RECEIVED.value: pgettext_lazy("benefits", "received"),
    DossierStatus.CHECKED.value: pgettext_lazy("benefits", "checked by the commune"),
    DossierStatus.DECIDED.value: pgettext_lazy("benefits", "decided"),
    DossierStatus.REFUSED.value: pgettext_lazy("benefits", "refused"),
}


class MonthInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"placeholder": "mm/yyyy", "autocomplete": "off", "size": 9, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return f"{value:%m/%Y}"
        return super().format_value(value)


class MonthField(forms.Field):
    """A month typed as mm/yyyy (or yyyy-mm): the first day of that month."""

    widget = MonthInput
    default_error_messages = {"invalid": pgettext_lazy("benefits", "Enter a month as mm/yyyy.")}

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value.replace(day=1)
        if value in (None, ""):
            return None
        month = parse_month(str(value))
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


def categories_in_force(schemes: list[str], on: dt.date) -> QuerySet[Category]:
    """Monthly-allowance categories of `schemes` in force on a date (supplements and carer
    allowances are lines added to them, not entitlements of their own)."""
    return (Category.objects.filter(scheme__in=schemes, kind=LineKind.ALLOWANCE, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("scheme", "order", "code"))


def category_label(category: Category) -> str:
    return f"{category.name} ({category.article})" if category.article else category.name


# --- The list's filters ----------------------------------------------------------------------


class EntitlementFilterForm(forms.Form):
    """Filters of the entitlement list; a value that does not fit (a commune of another
    province, a category of a scheme the user does not see) is ignored rather than reported."""

    q = forms.CharField(label=pgettext_lazy("benefits", "Search by name or citizen ID"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("e.g. thach van soc")}))
    scheme = forms.ChoiceField(label=pgettext_lazy("benefits", "Scheme"), required=False)
    category = forms.ChoiceField(label=pgettext_lazy("benefits", "Category"), required=False)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Unit.objects.none(), required=False,
                                      empty_label=_("All"))
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False,
                                     empty_label=_("All"))
    month = forms.CharField(label=pgettext_lazy("benefits", "Month"), required=False,
                            widget=forms.TextInput(attrs={"placeholder": "yyyy-mm", "size": 8, "autocomplete": "off"}))
    status = forms.ChoiceField(label=pgettext_lazy("benefits", "Status"), required=False, choices=[
        (STATUS_ACTIVE, pgettext_lazy("benefits", "paid in the month")), (STATUS_STOPPED, pgettext_lazy("benefits", "stopped")), (STATUS_ALL, pgettext_lazy("benefits", "all"))])

    def __init__(self, data: Any, *, schemes: list[str], categories: list[Category],
                 provinces: QuerySet[Unit] | None, communes: QuerySet[Unit]) -> None:
        super().__init__(data, auto_id="%s")
        self.fields["scheme"].choices = [("", _("All")), *((s, SCHEME_LABELS[s]) for s in schemes)]  # type: ignore[attr-defined]
        chosen_scheme = self.data.get("scheme") if self.data.get("scheme") in schemes else None
        shown = [c for c in categories if chosen_scheme is None or c.scheme == chosen_scheme]
        self.fields["category"].choices = [("", _("All")), *((c.code, c.name) for c in shown)]  # type: ignore[attr-defined]
        if provinces is None:
            del self.fields["province"]
        else:
            self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
            province = self._pick("province", provinces)
            # A national user picks the province first: the country's 3,321 communes make no list.
            communes = communes.filter(parent=province) if province else communes.none()
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.fields["commune"].label_from_instance = commune_label(provinces is not None)  # type: ignore[attr-defined]

    def _pick(self, name: str, queryset: QuerySet[Unit]) -> Unit | None:
        value = self.data.get(name, "")
        if not str(value).isdigit():
            return None
        return queryset.filter(pk=int(value)).first()

    def value(self, name: str) -> Any:
        """The cleaned value, or None where it does not fit (the filters never show errors)."""
        self.is_valid()
        return self.cleaned_data.get(name)

    def chosen_month(self) -> dt.date:
        return parse_month(self.data.get("month")) or this_month()

    def chosen_status(self) -> str:
        return self.value("status") or STATUS_ACTIVE


# --- Entitlements ------------------------------------------------------------------------------


class _ParameterFields(forms.Form):
    """The decision and the category's parameters, shared by the new and the change forms."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = DayFirstDateField(label=pgettext_lazy("benefits", "Decision date"))
    decision_signer = forms.CharField(label=pgettext_lazy("benefits", "Signed by"), max_length=150, required=False,
                                      help_text=_("From 1 Jul 2025 the commune chairman decides social assistance "
                                                  "and the social pension."))
    start_month = MonthField(label=pgettext_lazy("benefits", "First month paid"), required=False,
                             help_text=_("Empty: by the law's start rules (the decision's month; the month of age "
                                         "75 or 80; for merit, the recognition's month)."))
    recognised_on = DayFirstDateField(label=pgettext_lazy("benefits", "Recognised on"), required=False,
                                      help_text=_("Merit: the recognition or the medical council's conclusion, when "
                                                  "payment starts from it (arrears for a later decision). Disability: "
                                                  "the day the disability certificate was issued, paid from its month."))
    rate = forms.IntegerField(label=pgettext_lazy("benefits", "Injury or illness rate (%)"), required=False, min_value=1, max_value=100)
    martyr_count = forms.IntegerField(label=pgettext_lazy("benefits", "Number of martyrs"), required=False, min_value=1, max_value=20)
    martyrs = forms.ModelMultipleChoiceField(label=pgettext_lazy("benefits", "Martyrs"), queryset=Martyr.objects.none(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 4}))
    children = forms.IntegerField(label=pgettext_lazy("benefits", "Children raised"), required=False, min_value=1, max_value=20)
    years = forms.IntegerField(label=pgettext_lazy("benefits", "Years of seniority"), required=False, min_value=1, max_value=80)
    especially_severe = forms.BooleanField(label=pgettext_lazy("benefits", "Especially severe injury or illness"), required=False)
    living_alone = forms.BooleanField(label=pgettext_lazy("benefits", "Living alone"), required=False)
    carer_name = forms.CharField(label=pgettext_lazy("benefits", "Carer (not in the register)"), max_length=150, required=False)

    def __init__(self, *args: Any, martyrs: QuerySet[Martyr] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["martyrs"].queryset = (martyrs if martyrs is not None  # type: ignore[attr-defined]
                                           else Martyr.objects.none()).order_by("sort_key", "pk")

    def check_parameters(self, category: Category | None) -> None:
        """A parameter the category needs is required; one it does not take is refused."""
        if category is None:
            return
        data = self.cleaned_data
        if category.uses_martyrs and data.get("martyrs") and not data.get("martyr_count"):
            data["martyr_count"] = len(data["martyrs"])
        for name, flag in PARAMETERS:
            needed = bool(getattr(category, flag))
            given = data.get(name) is not None
            if needed and not given and name not in self.errors:
                self.add_error(name, PARAMETER_MESSAGES[name])
            elif given and not needed:
                self.add_error(name, pgettext_lazy("benefits", "This category does not take this value: leave it empty."))
        if data.get("martyrs") and not category.uses_martyrs:
            self.add_error("martyrs", pgettext_lazy("benefits", "This category does not take this value: leave it empty."))
        if data.get("especially_severe") and category.scheme != Scheme.MERITORIOUS:
            self.add_error("especially_severe", pgettext_lazy("benefits", "Only for people with meritorious service."))


class EntitlementForm(_ParameterFields):
    category = forms.ModelChoiceField(label=pgettext_lazy("benefits", "Category"), queryset=Category.objects.none(),
                                      empty_label=pgettext_lazy("benefits", "Choose a category"))
    field_order = ["category", "decision_number", "decision_date", "decision_signer", "start_month",
                   "recognised_on", "rate", "martyr_count", "martyrs", "children", "years", "especially_severe",
                   "living_alone", "carer_name"]

    def __init__(self, *args: Any, categories: QuerySet[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        field.queryset = categories  # type: ignore[attr-defined]
        field.label_from_instance = category_label  # type: ignore[attr-defined]
        # Which parameters each category takes: the page shows only those (progressive
        # enhancement: every field is there without script, and the server checks anyway).
        field.widget.attrs["data-uses"] = "category-parameters"
        self.uses = {str(c.pk): [name for name, flag in PARAMETERS if getattr(c, flag)]
                     + (["martyrs"] if c.uses_martyrs else [])
                     + (["especially_severe"] if c.scheme == Scheme.MERITORIOUS else [])
                     for c in categories}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_parameters(data.get("category"))
        return data


class EntitlementEditForm(_ParameterFields):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, category: Category, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        for name, flag in PARAMETERS:
            if not getattr(category, flag):
                del self.fields[name]
        # Linked martyrs are chosen when the entitlement is recorded (the change service keeps them).
        del self.fields["martyrs"]
        if category.scheme != Scheme.MERITORIOUS:
            del self.fields["especially_severe"]
            if not category.code.startswith(DISABILITY_PREFIX):  # the disability certificate's day
                del self.fields["recognised_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, flag in PARAMETERS:
            if getattr(self.category, flag) and data.get(name) is None and name not in self.errors:
                self.add_error(name, PARAMETER_MESSAGES[name])
        return data


class StopForm(forms.Form):
    stop_month = MonthField(label=pgettext_lazy("benefits", "First month not paid"),
                            help_text=pgettext_lazy("benefits", "Payment stops from the month after death or loss of eligibility."))
    reason = forms.ChoiceField(label=pgettext_lazy("benefits", "Reason for stopping"), choices=[("", "—"), *STOP_LABELS.items()])
    note = forms.CharField(label=_("Note"), max_length=255, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, start_month: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_month = start_month

    def clean_stop_month(self) -> dt.date:
        month: dt.date = self.cleaned_data["stop_month"]
        if month <= self.start_month:
            raise forms.ValidationError(_("The first month not paid must come after the first month paid "
                                          "(%(start)s).") % {"start": f"{self.start_month:%m/%Y}"})
        return month


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("benefits", "Find the person in the register: name or citizen ID"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("e.g. thach van soc")}))


# --- Martyrs -------------------------------------------------------------------------------------


class MartyrForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    birth_year = forms.IntegerField(label=pgettext_lazy("benefits", "Year of birth"), required=False, min_value=1850, max_value=2010)
    died_on = DayFirstDateField(label=pgettext_lazy("benefits", "Died on"), required=False)
    certificate_number = forms.CharField(label=pgettext_lazy("benefits", "“Tổ quốc ghi công” certificate number"), max_length=60,
                                         required=False)
    certificate_date = DayFirstDateField(label=pgettext_lazy("benefits", "Certificate date"), required=False)
    commune = forms.ModelChoiceField(label=pgettext_lazy("benefits", "Home commune"), queryset=Unit.objects.none(),
                                     empty_label=pgettext_lazy("benefits", "Choose a commune"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, communes: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.fields["commune"].label_from_instance = commune_label(True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        died, year = data.get("died_on"), data.get("birth_year")
        if died is not None and died > timezone.localdate():
            self.add_error("died_on", pgettext_lazy("benefits", "The date is after today."))
        if died is not None and year is not None and year > died.year:
            self.add_error("birth_year", pgettext_lazy("benefits", "The year of birth is after the date of death."))
        return data


__all__ = ["EntitlementEditForm", "EntitlementFilterForm", "EntitlementForm", "MartyrForm", "MonthField",
           "PersonSearchForm", "StopForm", "add_months", "categories_in_force", "parse_month", "this_month"]
