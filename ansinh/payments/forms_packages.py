"""The package form: the package's fields and up to `TIER_ROWS` tiers, each a rule with its values
and an amount by funding source. What was typed is kept when the form comes back with errors
(a bound form); errors are Vietnamese, next to the field they concern."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.accounts.access import get_scope
from ansinh.accounts.models import EDITING_ROLES, Field, Role
from ansinh.geo.models import Edition, Level, Unit
from ansinh.poverty.models import PovertyStatus

from .models import Per, Purpose, TierRule
from .packages import TierSpec

TIER_ROWS = 4
STATUS_CHOICES = [(PovertyStatus.POOR.value, gettext_lazy("poor households")),
                  (PovertyStatus.NEAR_POOR.value, gettext_lazy("near-poor households"))]
RULE_PER = {TierRule.HOUSEHOLD_STATUS: Per.HOUSEHOLD}
MAX_FILE_BYTES = 5 * 1024 * 1024


def units_to_run(user: Any) -> list[Unit]:
    """The provinces and communes where the user may create packages (of some field): her own
    units and, for a province, its communes. A national administrator picks among provinces."""
    scope = get_scope(user)
    out: dict[int, Unit] = {}
    for a in scope.assignments:
        if a.role not in EDITING_ROLES:
            continue
        if a.unit.level == Level.COUNTRY:
            for unit in Unit.objects.filter(level=Level.PROVINCE, edition=Edition.CURRENT).order_by("code"):
                out[unit.pk] = unit
        elif a.unit.level in (Level.PROVINCE, Level.COMMUNE) and a.unit.edition == Edition.CURRENT:
            out[a.unit.pk] = a.unit
            if a.unit.level == Level.PROVINCE:
                for unit in Unit.objects.filter(parent=a.unit, level=Level.COMMUNE,
                                                edition=Edition.CURRENT).order_by("sort_key"):
                    out[unit.pk] = unit
    return list(out.values())


def fields_to_run(user: Any) -> list[tuple[str, str]]:
    """The fields the user may run packages of: all for commune officers and administrators, her
    own for a provincial officer."""
    scope = get_scope(user)
    if any(a.role in (Role.COMMUNE_OFFICER, Role.ADMIN) for a in scope.assignments):
        return [(f.value, str(f.label)) for f in Field]
    mine = {a.field for a in scope.assignments if a.role == Role.PROVINCIAL_OFFICER and a.field}
    return [(f.value, str(f.label)) for f in Field if f.value in mine]


def _ints(text: str) -> list[int]:
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    out = []
    for part in parts:
        if not part.strip().isdigit():
            raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": part.strip()})
        out.append(int(part))
    return out


class PackageForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=Purpose.choices)
    field = forms.ChoiceField(label=gettext_lazy("Field"))
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}),
                         help_text=gettext_lazy("Eligibility is read on this date."))
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=300, required=False)
    period_start = forms.DateField(label=gettext_lazy("Period from"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=gettext_lazy("Period to"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=gettext_lazy("Empty: the calendar year of the date."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units_to_run(user)
        self.fields["unit"].choices = [(u.pk, u.name) for u in self.units]  # type: ignore[attr-defined]
        self.fields["field"].choices = fields_to_run(user)  # type: ignore[attr-defined]
        from ansinh.benefits.models import Category

        categories = [(c.code, c.name) for c in Category.objects.order_by("scheme", "order", "code")]
        for i in range(1, TIER_ROWS + 1):
            first = i == 1
            self.fields[f"t{i}_name"] = forms.CharField(label=gettext_lazy("Tier name"), max_length=255,
                                                        required=False)
            self.fields[f"t{i}_rule"] = forms.ChoiceField(
                label=gettext_lazy("Who"), required=first, choices=[("", "—"), *TierRule.choices])
            self.fields[f"t{i}_statuses"] = forms.MultipleChoiceField(
                label=gettext_lazy("Households"), required=False, choices=STATUS_CHOICES,
                widget=forms.CheckboxSelectMultiple)
            self.fields[f"t{i}_under_age"] = forms.IntegerField(
                label=gettext_lazy("Only members under (age)"), required=False, min_value=1, max_value=130)
            self.fields[f"t{i}_ages"] = forms.CharField(label=gettext_lazy("Ages reached"), required=False,
                                                        max_length=60, help_text=gettext_lazy("e.g. 90, 100"))
            self.fields[f"t{i}_year"] = forms.IntegerField(label=gettext_lazy("In the year"), required=False,
                                                           min_value=1900, max_value=2200)
            self.fields[f"t{i}_codes"] = forms.MultipleChoiceField(
                label=gettext_lazy("Benefit categories"), required=False, choices=categories,
                widget=forms.SelectMultiple(attrs={"size": 5}))
            self.fields[f"t{i}_min_rate"] = forms.IntegerField(
                label=gettext_lazy("Injury or illness rate from (%)"), required=False, min_value=1, max_value=100)
            self.fields[f"t{i}_file"] = forms.FileField(
                label=gettext_lazy("List (.xlsx)"), required=False,
                help_text=gettext_lazy("Columns “Số định danh cá nhân” and optionally “Họ và tên”."))
            for source, label in (("central", gettext_lazy("Central budget (VND)")),
                                  ("local", gettext_lazy("Local budget (VND)")),
                                  ("socialised", gettext_lazy("Socialised funds (VND)"))):
                self.fields[f"t{i}_{source}"] = forms.IntegerField(label=label, required=False, min_value=0,
                                                                   max_value=1_000_000_000)

    def tier_rows(self) -> list[dict[str, Any]]:
        """The tier fields by row, for the template."""
        names = ["name", "rule", "statuses", "under_age", "ages", "year", "codes", "min_rate", "file", "central",
                 "local", "socialised"]
        return [{"n": i, **{name: self[f"t{i}_{name}"] for name in names}} for i in range(1, TIER_ROWS + 1)]

    def chosen_unit(self) -> Unit | None:
        pk = self.cleaned_data.get("unit")
        return next((u for u in self.units if u.pk == pk), None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if (start is None) != (end is None):
            self.add_error("period_end" if end is None else "period_start",
                           _("Give both ends of the period, or neither."))
        elif start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        used = 0
        for i in range(1, TIER_ROWS + 1):
            rule = data.get(f"t{i}_rule")
            if not rule:
                continue
            used += 1
            if not (data.get(f"t{i}_name") or "").strip():
                self.add_error(f"t{i}_name", _("Give the tier a name."))
            if rule in (TierRule.HOUSEHOLD_STATUS, TierRule.MEMBERS_OF_STATUS) and not data.get(f"t{i}_statuses"):
                self.add_error(f"t{i}_statuses", _("Choose poor or near-poor households (or both)."))
            if rule == TierRule.AGE:
                try:
                    if not _ints(data.get(f"t{i}_ages") or ""):
                        self.add_error(f"t{i}_ages", _("Give the ages reached, e.g. 90, 100."))
                except ValidationError as error:
                    self.add_error(f"t{i}_ages", error)
                if not data.get(f"t{i}_year"):
                    self.add_error(f"t{i}_year", _("Give the year in which the ages are reached."))
            if rule == TierRule.CATEGORY and not data.get(f"t{i}_codes"):
                self.add_error(f"t{i}_codes", _("Choose at least one benefit category."))
            if rule == TierRule.FILE and not data.get(f"t{i}_file"):
                self.add_error(f"t{i}_file", _("Choose the list's file (.xlsx)."))
            upload = data.get(f"t{i}_file")
            if upload is not None and upload.size > MAX_FILE_BYTES:
                self.add_error(f"t{i}_file", _("The file is larger than 5 MB."))
            if not any(data.get(f"t{i}_{s}") for s in ("central", "local", "socialised")):
                self.add_error(f"t{i}_local", _("Give an amount (central, local or socialised funds)."))
        if not used:
            self.add_error("t1_rule", _("Give the package at least one tier."))
        return data

    def tiers(self, *, members: dict[int, list[int]]) -> list[TierSpec]:
        """The tiers typed (call after is_valid); `members`: the people of each file tier, read by
        the view (row number → member ids)."""
        data = self.cleaned_data
        out = []
        for i in range(1, TIER_ROWS + 1):
            rule = data.get(f"t{i}_rule")
            if not rule:
                continue
            params: dict[str, Any]
            if rule in (TierRule.HOUSEHOLD_STATUS, TierRule.MEMBERS_OF_STATUS):
                params = {"statuses": list(data.get(f"t{i}_statuses") or [])}
                if rule == TierRule.MEMBERS_OF_STATUS and data.get(f"t{i}_under_age"):
                    params["under_age"] = data[f"t{i}_under_age"]
            elif rule == TierRule.AGE:
                params = {"ages": _ints(data.get(f"t{i}_ages") or ""), "year": data.get(f"t{i}_year")}
            elif rule == TierRule.CATEGORY:
                params = {"codes": list(data.get(f"t{i}_codes") or [])}
                if data.get(f"t{i}_min_rate"):
                    params["min_rate"] = data[f"t{i}_min_rate"]
            else:
                params = {"members": members.get(i, [])}
            out.append(TierSpec(name=(data.get(f"t{i}_name") or "").strip(), rule=rule, params=params,
                                per=RULE_PER.get(TierRule(rule), Per.PERSON), central=data.get(f"t{i}_central") or 0,
                                local=data.get(f"t{i}_local") or 0, socialised=data.get(f"t{i}_socialised") or 0))
        return out

    def period(self) -> tuple[dt.date, dt.date] | None:
        start, end = self.cleaned_data.get("period_start"), self.cleaned_data.get("period_end")
        return (start, end) if start and end else None
