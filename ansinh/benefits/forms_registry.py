"""Forms of the dossier and proposal pages (the services check the facts; the forms the shapes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Category, DossierKind, DossierStatus, LineKind, Scheme, StopReason

DATE_INPUT = {"input_formats": ["%Y-%m-%d", "%d/%m/%Y"],
              "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
MONTH_FORMATS = ["%Y-%m", "%m/%Y"]


class MonthField(forms.Field):
    """A month typed as YYYY-MM (the browser's month input) or MM/YYYY; its first day."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("Enter a month as MM/YYYY.")}

    def to_python(self, value: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value.replace(day=1)
        for fmt in MONTH_FORMATS:
            try:
                return dt.datetime.strptime(str(value).strip(), fmt).date().replace(day=1)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class DossierFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + DossierStatus.choices)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False, choices=[("", _("All"))] + Scheme.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + DossierKind.choices)
    commune = forms.IntegerField(label=_("Commune"), required=False, widget=forms.Select)
    due = forms.ChoiceField(label=_("Due"), required=False, choices=[
        ("", _("Any time")), ("today", _("due today")), ("week", _("due this week")), ("overdue", _("overdue"))])


class DossierReceiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DossierKind.choices)
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices)
    person = forms.IntegerField(label=_("Person (member number in the register)"), min_value=1)
    category = forms.ChoiceField(label=_("Category applied for"), required=False)
    entitlement = forms.IntegerField(label=_("Entitlement (number), for a change, move or stop"), required=False,
                                     min_value=1)
    received_on = forms.DateField(label=_("Received on"), **DATE_INPUT)  # type: ignore[arg-type]
    to_commune = forms.CharField(label=_("Moving to (code of the commune)"), required=False, max_length=20)
    rate = forms.IntegerField(label=_("Injury or illness rate (%)"), required=False, min_value=1, max_value=100)
    martyr_count = forms.IntegerField(label=_("Number of martyrs"), required=False, min_value=1, max_value=20)
    children = forms.IntegerField(label=_("Children raised"), required=False, min_value=1, max_value=20)
    stop_reason = forms.ChoiceField(label=_("Reason for stopping"), required=False,
                                    choices=[("", "—"), *StopReason.choices])
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        categories = Category.objects.filter(kind=LineKind.ALLOWANCE, valid_from__lte=today).exclude(
            valid_to__lt=today).order_by("scheme", "order", "code").values_list("code", "name")
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *[(code, f"{name} ({code})") for code, name in categories]]
        self.fields["received_on"].initial = today


class DossierCheckForm(forms.Form):
    on = forms.DateField(label=_("Checked on"), **DATE_INPUT)  # type: ignore[arg-type]
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DossierDecideForm(forms.Form):
    on = forms.DateField(label=_("Decision date"), **DATE_INPUT)  # type: ignore[arg-type]
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    signer = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    start_month = MonthField(label=_("First month paid (empty: by the rules)"), required=False)
    stop_month = MonthField(label=_("First month not paid (a stop; empty: the month after the decision)"),
                            required=False)


class DossierRefuseForm(forms.Form):
    on = forms.DateField(label=_("Refused on"), **DATE_INPUT)  # type: ignore[arg-type]
    reason = forms.CharField(label=_("Reason for refusal"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ProposalNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
