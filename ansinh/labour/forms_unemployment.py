"""Forms of the unemployment pages: the list's filters, a new dossier, the decision, a monthly
report, a suspension or stop, the calculator, and the law's rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import BaseSalary, ContractKind, DossierState, RegionalMinimumWage, UnemploymentRule, WageRegionUnit
from .unemployment import AWARDED_FILTER, StopReason

DATE_INPUT: dict[str, Any] = {"input_formats": ["%Y-%m-%d", "%d/%m/%Y"],
                              "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
REGION_CHOICES: list[tuple[Any, Any]] = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]


class Capitalised(forms.Form):
    """Labels from the models' lower-case names, capitalised as a form shows them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class FilterForm(Capitalised):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All")), (AWARDED_FILTER, _("granted (also suspended, stopped or finished since)")),
        *DossierState.choices])
    unit = forms.IntegerField(label=_("Commune"), required=False, widget=forms.Select)
    period = forms.CharField(label=_("Period"), required=False, max_length=10,
                             help_text=_("2025, 2025-Q1 or 2025-03"))
    by = forms.ChoiceField(label=_("Period by"), required=False,
                           choices=[("received", _("received on")), ("decided", _("decided on"))])


class DossierForm(Capitalised):
    citizen_id = forms.CharField(label=_("Citizen ID"), max_length=12, min_length=12)
    received_on = forms.DateField(label=_("received on"), **DATE_INPUT)
    employer_name = forms.CharField(label=_("last employer"), max_length=255)
    employer_unit = forms.IntegerField(label=_("employer's commune"), required=False, widget=forms.Select)
    region = forms.TypedChoiceField(label=_("wage region"), required=False, coerce=int,
                                    choices=[("", _("from the employer's commune"))] + REGION_CHOICES)
    contract_kind = forms.ChoiceField(label=_("contract"), choices=ContractKind.choices)
    contract_end = forms.DateField(label=_("contract ended on"), **DATE_INPUT)
    months_contributed = forms.IntegerField(label=_("months contributed in the window"), min_value=0, max_value=600)
    average_salary = forms.IntegerField(label=_("average contribution salary, last 6 months (VND)"), min_value=1,
                                        max_value=1_000_000_000)
    state_pay_scale = forms.BooleanField(label=_("on a state pay scale"), required=False)
    note = forms.CharField(label=_("note"), required=False, max_length=255)

    def clean_citizen_id(self) -> str:
        value = "".join(str(self.cleaned_data["citizen_id"]).split())
        if not value.isdigit():
            raise forms.ValidationError(_("A citizen ID has 12 digits."))
        return value


class DecideForm(Capitalised):
    decided_on = forms.DateField(label=_("decided on"), **DATE_INPUT)
    decision_number = forms.CharField(label=_("decision number"), max_length=60, required=False)


class ReportForm(Capitalised):
    month_number = forms.IntegerField(label=_("benefit month"), min_value=1, max_value=12)
    reported_on = forms.DateField(label=_("reported on"), **DATE_INPUT)
    excused = forms.BooleanField(label=_("excused (illness, maternity, force majeure)"), required=False)
    note = forms.CharField(label=_("note"), required=False, max_length=255)


class StopForm(Capitalised):
    reason = forms.ChoiceField(label=_("Reason"), choices=StopReason.choices)
    on = forms.DateField(label=_("Date"), **DATE_INPUT)
    month_number = forms.IntegerField(label=_("benefit month"), min_value=1, max_value=12, required=False)
    note = forms.CharField(label=_("note"), required=False, max_length=200)


class CalculatorForm(Capitalised):
    contract_end = forms.DateField(label=_("contract ended on"), **DATE_INPUT)
    months = forms.IntegerField(label=_("Months of contributions"), min_value=0, max_value=600)
    average_salary = forms.IntegerField(label=_("average contribution salary, last 6 months (VND)"), min_value=1,
                                        max_value=1_000_000_000)
    region = forms.TypedChoiceField(label=_("wage region"), coerce=int, choices=REGION_CHOICES)
    contract_kind = forms.ChoiceField(label=_("contract"), choices=ContractKind.choices)
    state_pay_scale = forms.BooleanField(label=_("on a state pay scale"), required=False)
    filed_on = forms.DateField(label=_("Dossier filed on (optional)"), required=False, **DATE_INPUT)


DATED = ["valid_from", "valid_to", "legal_basis", "provisional"]
DATE_WIDGETS = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in ("valid_from", "valid_to")}


class RuleForm(forms.ModelForm):
    class Meta:
        model = UnemploymentRule
        fields = ["law", *DATED, "rate_percent", "cap_multiple", "state_cap_on_base_salary", "min_months",
                  "window_months", "short_contract_window_months", "base_duration", "max_duration", "start_rule",
                  "start_day", "filing_months"]
        widgets = DATE_WIDGETS


class WageForm(forms.ModelForm):
    class Meta:
        model = RegionalMinimumWage
        fields = ["region", "monthly", "hourly", *DATED]
        widgets = DATE_WIDGETS


class BaseSalaryForm(forms.ModelForm):
    class Meta:
        model = BaseSalary
        fields = ["amount", *DATED]
        widgets = DATE_WIDGETS


class WageRegionForm(forms.ModelForm):
    unit = forms.IntegerField(label=_("unit"), widget=forms.Select)

    class Meta:
        model = WageRegionUnit
        fields = ["region", *DATED]
        widgets = DATE_WIDGETS


LAW_FORMS: dict[str, type[forms.ModelForm]] = {"rule": RuleForm, "wage": WageForm, "base": BaseSalaryForm,
                                               "region": WageRegionForm}
