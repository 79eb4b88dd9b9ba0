"""Forms of the training pages (the services check the rules; these only read the values)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import (
    EnrolmentStatus,
    Funding,
    ProviderKind,
    TrainedRateDefinition,
    TrainingField,
    TrainingLevel,
)

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class Capitalised:
    """Labels as the pages write them (the models' names are lower-case: "ngày nhập học")."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)


def _date(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, **DATE)  # type: ignore[arg-type]


class ProviderForm(Capitalised, forms.Form):
    name = forms.CharField(label=_("name"), max_length=255)
    kind = forms.ChoiceField(label=_("ownership"), choices=ProviderKind.choices)
    unit = forms.TypedChoiceField(label=_("located in"), coerce=int)
    address = forms.CharField(label=_("Provider address"), max_length=255, required=False)
    decision_number = forms.CharField(label=_("establishment decision"), max_length=60, required=False)
    decision_date = _date(_("decision date"))
    closed_on = _date(_("closed on"))

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class CourseForm(Capitalised, forms.Form):
    occupation = forms.CharField(label=_("occupation"), max_length=200)
    level = forms.ModelChoiceField(label=_("training level"), queryset=TrainingLevel.objects.all())
    field = forms.ChoiceField(label=_("field"), choices=TrainingField.choices)
    funding = forms.ChoiceField(label=_("funding"), choices=Funding.choices, initial=Funding.STATE)
    starts_on = _date(_("starts on"), required=True)
    ends_on = _date(_("ends on"))


class EnrolmentForm(Capitalised, forms.Form):
    citizen_id = forms.CharField(label=_("citizen ID"), max_length=12,
                                 help_text=_("Of a member of the province's household register."))
    enrolled_on = _date(_("enrolled on"), required=True)
    status = forms.ChoiceField(label=_("status"), choices=EnrolmentStatus.choices, initial=EnrolmentStatus.ENROLLED)
    completed_on = _date(_("completed on"))
    certificate_number = forms.CharField(label=_("diploma or certificate number"), max_length=60, required=False)

    def clean_citizen_id(self) -> str:
        return "".join(str(self.cleaned_data["citizen_id"]).split())


class EnrolmentUpdateForm(Capitalised, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=EnrolmentStatus.choices)
    completed_on = _date(_("completed on"))
    certificate_number = forms.CharField(label=_("diploma or certificate number"), max_length=60, required=False)
    certificate_on = _date(_("certificate date"))
    note = forms.CharField(label=_("note"), max_length=255, required=False)


class LevelForm(Capitalised, forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    rank = forms.IntegerField(label=_("rank"), min_value=0, max_value=100)
    certified = forms.BooleanField(label=_("gives a diploma or certificate"), required=False)
    valid_from = _date(_("valid from"), required=True)
    valid_to = _date(_("valid to"))
    legal_basis = forms.CharField(label=_("legal basis"), max_length=300)
    provisional = forms.BooleanField(label=_("provisional"), required=False)


class DefinitionForm(Capitalised, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TrainedRateDefinition
        fields = ["name", "min_age", "labour_force_only", "trained_vocational", "trained_higher",
                  "trained_in_training", "trained_completed", "certified_vocational", "certified_higher",
                  "certified_certificate", "legal_basis", "provisional"]


__all__ = ["CourseForm", "DefinitionForm", "EnrolmentForm", "EnrolmentUpdateForm", "LevelForm", "ProviderForm"]
