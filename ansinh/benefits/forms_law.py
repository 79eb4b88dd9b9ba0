"""The forms of the law's pages: a base level, an amount rule, a province's top-up. They parse and
label; the checks of the law (overlaps, coefficient xor amount, not lower than the national level)
live in `law_services`, whose Vietnamese messages the views put back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Unit

from .models import BaseKind, Category, LineKind, Method

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _small(label: Any, *, high: int = 150) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=high)


def _province_label(unit: Unit) -> str:
    return f"{unit.code} {unit.name}"


def _category_label(category: Category) -> str:
    return f"{category.code} — {category.name}"


class BaseLevelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of base level"), choices=BaseKind.choices)
    province = forms.ModelChoiceField(label=_("Province (empty: the whole country)"), queryset=Unit.objects.none(),
                                      required=False)
    amount = forms.IntegerField(label=_("Amount in đồng per month"), min_value=1, max_value=1_000_000_000)
    valid_from = _date(_("Applies from (date)"))
    decided_on = _date(_("Date of the text (later than the first day: arrears)"), required=False)
    legal_basis = forms.CharField(label=_("Legal basis of the row"), max_length=300)
    provisional = forms.BooleanField(label=_("Provisional: the text is not yet confirmed"), required=False)
    note = forms.CharField(label=_("Note on the row"), max_length=300, required=False)

    def __init__(self, *args: Any, provinces: QuerySet[Unit], national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["province"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = provinces.order_by("code")
        field.required = not national
        field.empty_label = _("The whole country") if national else None
        field.label_from_instance = _province_label  # type: ignore[method-assign,assignment]


class AmountRuleForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Benefit category of the rule"), queryset=Category.objects.all())
    valid_from = _date(_("Applies from (date)"))
    valid_to = _date(_("Applies until (last day; empty: still in force)"), required=False)
    method = forms.ChoiceField(label=_("How the amount is computed"), choices=Method.choices)
    base = forms.ChoiceField(label=_("Base level multiplied by the coefficient"),
                             choices=[("", "—"), *BaseKind.choices], required=False)
    coefficient = forms.DecimalField(label=_("Coefficient of the rule"), required=False, min_value=0,
                                     max_digits=6, decimal_places=2)
    amount = forms.IntegerField(label=_("Fixed amount in đồng per month"), required=False, min_value=1,
                                max_value=1_000_000_000)
    per_unit = forms.BooleanField(label=_("Per child raised or per year of seniority"), required=False)
    age_from = _small(_("From age (whole years)"))
    age_to = _small(_("Under age (whole years)"))
    rate_from = _small(_("From injury rate (%)"), high=100)
    rate_to = _small(_("To injury rate (%)"), high=100)
    count_from = _small(_("From number of martyrs"), high=50)
    count_to = _small(_("To number of martyrs"), high=50)
    flag = forms.CharField(label=_("Case the bands cannot tell (e.g. especially_severe)"), max_length=24,
                           required=False)
    legal_basis = forms.CharField(label=_("Legal basis of the row"), max_length=300)
    provisional = forms.BooleanField(label=_("Provisional: the text is not yet confirmed"), required=False)
    close_previous = forms.BooleanField(label=_("End the earlier rows of the same case the day before"),
                                        required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.label_from_instance = _category_label  # type: ignore[method-assign,assignment]
        if editing:
            del self.fields["category"]
            del self.fields["close_previous"]


class TopUpForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Province of the top-up"), queryset=Unit.objects.none())
    category = forms.ModelChoiceField(label=_("Benefit category of the top-up"),
                                      queryset=Category.objects.filter(kind=LineKind.ALLOWANCE))
    amount = forms.IntegerField(label=_("Amount in đồng per month"), min_value=1, max_value=1_000_000_000)
    valid_from = _date(_("Applies from (date)"))
    valid_to = _date(_("Applies until (last day; empty: still in force)"), required=False)
    legal_basis = forms.CharField(label=_("Legal basis of the row"), max_length=300)
    provisional = forms.BooleanField(label=_("Provisional: the text is not yet confirmed"), required=False)

    def __init__(self, *args: Any, provinces: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ModelChoiceField)
        province.queryset = provinces.order_by("code")
        province.label_from_instance = _province_label  # type: ignore[method-assign,assignment]
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.label_from_instance = _category_label  # type: ignore[method-assign,assignment]
