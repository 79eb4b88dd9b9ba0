"""Forms of the children area: the register's filters, the child's forms, the assessment form."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Level, Unit
from ansinh.web.shortcuts import parse_int

from . import access_children as access
from .indicators_children import in_groups, years_back
from .models_children import (
    Child,
    ChildAbuseKind,
    ChildAssessmentStatus,
    ChildCommuneKind,
    ChildEndReason,
    ChildFriendlyAssessment,
    ChildFriendlyCriterion,
    ChildGroup,
    ChildSupportKind,
)
from .support_children import supported_filter

AGES = [("", _("any age")), ("0-5", _("under 6")), ("6-10", _("6 to 10")), ("11-15", _("11 to 15"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# A scope of more communes than this (the country's 3.321) offers its provinces, and the communes
# of one province: the one chosen, or the province of the commune chosen.
LONG_SCOPE = 300


def _focus(selected: Any) -> Unit | None:
    """The province whose communes a long list offers: the unit chosen, or its province."""
    pk = parse_int(None if selected is None else str(selected), low=1)
    unit = Unit.objects.filter(pk=pk).select_related("parent").first() if pk is not None else None
    if unit is None:
        return None
    if unit.level == Level.PROVINCE:
        return unit
    return unit.parent if unit.parent is not None and unit.parent.level == Level.PROVINCE else None


def unit_choices(user: Any, selected: Any = None) -> list[tuple[str, str]]:
    """The provinces and communes of the user's scope; a long scope offers its provinces and the
    communes of the province of `selected` (every commune stays reachable, none is cut off)."""
    scope = access.communes_for_user(user, change=False)
    if scope.count() > LONG_SCOPE:
        provinces = list(Unit.objects.filter(pk__in=scope.values("parent_id"), level=Level.PROVINCE)
                         .order_by("sort_key"))
        focus = _focus(selected)
        communes = list(scope.filter(parent=focus).order_by("sort_key")) if focus is not None else []
    else:
        communes = list(scope.select_related("parent").order_by("sort_key"))
        provinces = sorted({c.parent for c in communes if c.parent is not None and c.parent.level == Level.PROVINCE},
                           key=lambda u: u.sort_key)
    return [("", str(_("all units")))] + [(str(u.pk), u.name) for u in [*provinces, *communes]]


def commune_choices(user: Any, selected: Any = None) -> list[tuple[int, str]]:
    """The communes whose records the user changes; a long scope, those of the province of the
    commune `selected` when there is one."""
    scope = access.communes_for_user(user, change=True)
    focus = _focus(selected) if scope.count() > LONG_SCOPE else None
    if focus is not None:
        scope = scope.filter(parent=focus)
    return [(c.pk, c.name) for c in scope.order_by("sort_key")]


def group_choices() -> list[tuple[str, str]]:
    return [("", str(_("all groups")))] + [(g.code, f"{g.number}. {g.name}") for g in ChildGroup.objects.filter(
        valid_to__isnull=True).order_by("number")]


class ChildFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or citizen ID"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "id": "q"}))
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    group = forms.ChoiceField(label=_("Group"), required=False)
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGES)
    start = forms.DateField(label=_("In the groups from"), required=False, widget=DATE)
    end = forms.DateField(label=_("to"), required=False, widget=DATE)
    supported = forms.ChoiceField(label=_("Support in the period"), required=False, choices=[
        ("", _("all")), ("1", _("supported")), ("0", _("not supported"))])
    abused = forms.BooleanField(label=_("Abuse case in the period"), required=False)

    def __init__(self, data: Any = None, *, user: Any) -> None:
        if data is not None:  # the figures' drill-down names the period "from" / "to"
            data = data.copy()
            for old, new in (("from", "start"), ("to", "end")):
                if old in data and new not in data:
                    data[new] = data[old]
        super().__init__(data)
        self.user = user
        cast(forms.ChoiceField, self.fields["unit"]).choices = unit_choices(user, self.data.get("unit"))
        cast(forms.ChoiceField, self.fields["group"]).choices = group_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filter(self, found: QuerySet[Child]) -> QuerySet[Child]:
        if not self.is_bound or not self.is_valid():
            return found
        data = self.cleaned_data
        found = found.search(data.get("q") or "")  # type: ignore[attr-defined]
        unit_id = data.get("unit")
        if unit_id:
            unit = Unit.objects.filter(pk=unit_id).first()
            found = access.in_unit(found, unit) if unit else found.none()
        today = timezone.localdate()
        start = data.get("start") or (data.get("end") or today)
        end = data.get("end") or today
        if data.get("group"):
            found = found.filter(pk__in=Child.objects.filter(
                in_groups(start, end), circumstances__group__code=data["group"]).values("pk"))
        elif data.get("start") or data.get("end"):
            found = found.filter(pk__in=Child.objects.filter(in_groups(start, end)).values("pk"))
        if data.get("age"):
            low, high = (int(x) for x in data["age"].split("-"))
            found = found.filter(person__birth_date__gt=years_back(end, high + 1),
                                 person__birth_date__lte=years_back(end, low))
        if data.get("supported") in ("0", "1"):
            supported = supported_filter(start, end)
            found = found.filter(supported) if data["supported"] == "1" else found.exclude(supported)
        if data.get("abused"):
            found = found.filter(abuse_cases__occurred_on__gte=start, abuse_cases__occurred_on__lte=end).distinct()
        return found


class PersonSearchForm(forms.Form):
    who = forms.CharField(label=_("Name or citizen ID of the child"), required=False, max_length=100)


class ChildForm(forms.Form):
    groups = forms.MultipleChoiceField(label=_("Groups (Law on Children, Art. 10)"),
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Choose at least one group.")})
    since = forms.DateField(label=_("In the groups since"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["groups"]).choices = group_choices()[1:]


class ChildEditForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class CircumstanceForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"))
    since = forms.DateField(label=_("Since"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = group_choices()[1:]


class CircumstanceEndForm(forms.Form):
    until = forms.DateField(label=_("Until"), widget=DATE)
    end_reason = forms.ChoiceField(label=_("Why it ended"), choices=ChildEndReason.choices)


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of support"), choices=ChildSupportKind.choices)
    provided_on = forms.DateField(label=_("Provided on"), widget=DATE)
    provider = forms.CharField(label=_("Provided by"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
    amount = forms.DecimalField(label=_("Amount (VND)"), required=False, min_value=0, max_digits=14, decimal_places=0)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Case note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AbuseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of abuse"), choices=ChildAbuseKind.choices)
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DATE)


class AssessmentFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2019, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all"))] + list(ChildAssessmentStatus.choices))
    recognised = forms.ChoiceField(label=_("Result"), required=False, choices=[
        ("", _("all")), ("1", _("meets the standard")), ("0", _("does not meet it"))])

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["unit"]).choices = unit_choices(user, self.data.get("unit"))

    def filter(self, found: QuerySet[ChildFriendlyAssessment]) -> QuerySet[ChildFriendlyAssessment]:
        if not self.is_bound or not self.is_valid():
            return found
        data = self.cleaned_data
        if data.get("unit"):
            unit = Unit.objects.filter(pk=data["unit"]).first()
            found = access.in_unit(found, unit) if unit else found.none()
        if data.get("year"):
            found = found.filter(year=data["year"])
        if data.get("status"):
            found = found.filter(status=data["status"])
        if data.get("recognised") in ("0", "1"):
            found = found.filter(recognised=data["recognised"] == "1",
                                 status=ChildAssessmentStatus.APPROVED)
        return found


class AssessmentForm(forms.Form):
    """The commune, year and kind, then one field per criterion in force (`c<number>`)."""

    commune = forms.TypedChoiceField(label=_("Commune"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)
    commune_kind = forms.ChoiceField(label=_("Kind of commune"), choices=ChildCommuneKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, user: Any, criteria: list[ChildFriendlyCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        cast(forms.ChoiceField, self.fields["commune"]).choices = commune_choices(
            user, self.data.get("commune") or self.initial.get("commune"))
        for criterion in criteria:
            self.fields[f"c{criterion.number}"] = forms.IntegerField(
                label=f"{criterion.number}. {criterion.name}", min_value=0,
                max_value=criterion.max_points if criterion.max_points is not None else 1000,
                help_text=(_("at most %(n)s points") % {"n": criterion.max_points}) if criterion.max_points else "")

    def points(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.number}"] for c in self.criteria
                if self.cleaned_data.get(f"c{c.number}") is not None}


def current_year() -> int:
    return dt.date.today().year


__all__ = ["AbuseForm", "AssessmentFilterForm", "AssessmentForm", "ChildEditForm", "ChildFilterForm", "ChildForm",
           "CircumstanceEndForm", "CircumstanceForm", "NoteForm", "PersonSearchForm", "SupportForm", "Q"]
