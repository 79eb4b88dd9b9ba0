"""Forms of the inspections area: what an inspector types, limited to the units she records in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ansinh.accounts.models import User
from ansinh.labour.models import Employer

from . import access_inspections as access
from .models_inspections import (
    Complexity, Inspection, InspectionPlan, Petition, PetitionKind, Reception, ReceptionOutcome,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceMixin:
    """The `unit` field offers the provinces and communes the user records in."""

    def limit_units(self, user: User) -> None:
        field = self.fields["unit"]  # type: ignore[attr-defined]
        field.queryset = access.units_to_change(user)
        field.label_from_instance = lambda unit: unit.name


class PlanForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = InspectionPlan
        fields = ["province", "year", "team", "number", "title", "approved_on", "planned_count", "notes"]
        widgets = {"approved_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = access.provinces_to_change(user)  # type: ignore[attr-defined]
        self.fields["province"].label_from_instance = lambda unit: unit.name  # type: ignore[attr-defined]


class InspectionForm(UnitChoiceMixin, forms.ModelForm):  # type: ignore[type-arg]
    employer_tax_code = forms.CharField(
        label=_("tax code of the employer"), required=False, max_length=14,
        help_text=_("When the establishment is in the employers' register: its name is taken from there."))

    class Meta:
        model = Inspection
        fields = ["plan", "unit", "kind", "team", "legal_area", "subject_kind", "subject_name", "started_on", "ended_on",
                  "members", "findings", "violations_count", "violation_kind", "violations", "recommendations",
                  "sanction_amount", "sanction_note"]
        widgets = {"started_on": DATE, "ended_on": DATE, "findings": forms.Textarea(attrs={"rows": 3}),
                   "violations": forms.Textarea(attrs={"rows": 2}), "recommendations": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_units(user)
        self.fields["plan"].queryset = InspectionPlan.objects.filter(  # type: ignore[attr-defined]
            province__in=access.provinces_to_change(user))
        self.fields["subject_name"].required = False
        if self.instance.employer_id:
            self.initial["employer_tax_code"] = self.instance.employer.tax_code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("employer_tax_code") or "").strip()
        self.instance.employer = None
        if code:
            employer = Employer.objects.filter(tax_code=code).select_related("unit").first()
            if employer is None:
                self.add_error("employer_tax_code", _("No employer with this tax code in the employers' register."))
            else:
                self.instance.employer = employer
        elif not (data.get("subject_name") or "").strip():
            self.add_error("subject_name", _("Give the name of the establishment or unit, or the employer's tax code."))
        return data


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("action"), max_length=500)
    due_on = forms.DateField(label=_("due on"), widget=DATE)


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("done on"), widget=DATE, initial=dt.date.today)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class ReceptionForm(UnitChoiceMixin, forms.ModelForm):  # type: ignore[type-arg]
    letter_kind = forms.ChoiceField(label=_("kind of letter"), required=False,
                                    choices=[("", "---------"), *PetitionKind.choices],
                                    help_text=_("When a letter was received: it is entered in the book of letters."))
    letter_code = forms.CharField(label=_("number of the letter"), required=False, max_length=40)

    class Meta:
        model = Reception
        fields = ["unit", "received_on", "kind", "receiver", "citizen_name", "headcount", "subject", "legal_area",
                  "outcome"]
        widgets = {"received_on": DATE}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_units(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == ReceptionOutcome.LETTER:
            if not data.get("letter_kind"):
                self.add_error("letter_kind", _("A letter was received: choose its kind."))
            if not (data.get("letter_code") or "").strip():
                self.add_error("letter_code", _("A letter was received: give its number in the book."))
        return data


class PetitionForm(UnitChoiceMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Petition
        fields = ["code", "unit", "kind", "instance", "remote_area", "complexity", "petitioner_name", "subject",
                  "legal_area", "received_on"]
        widgets = {"received_on": DATE}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_units(user)


class StepForm(forms.Form):
    """One step of a letter: accept, extend, resolve or close."""

    on = forms.DateField(label=pgettext_lazy("inspections", "date"), widget=DATE, initial=dt.date.today)
    complexity = forms.ChoiceField(label=pgettext_lazy("inspections", "complexity"), choices=Complexity.choices, required=False)
    remote_area = forms.BooleanField(label=pgettext_lazy("inspections", "remote area"), required=False)
    text = forms.CharField(label=_("outcome, reason or decision"), max_length=500, required=False)
