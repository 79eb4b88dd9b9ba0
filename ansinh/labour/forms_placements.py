"""The forms of the placements, counselling and sessions pages: the lists' filters (the drill-down
from the figures: `?unit=<id>&period=YYYY|YYYY-Qn|YYYY-MM&breakdown=<code>`), a placement, a
session. Shape is checked here, meaning in the services (`placements`, `counselling`), whose
ValidationError messages are put back onto these fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Func, IntegerField, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.access import communes_in_scope
from ansinh.households.forms import DayFirstDateField
from ansinh.lib.ethnicity import KINH
from ansinh.lib.vietnamese import fold
from ansinh.plans.periods import Period

from .models import CounsellingTopic, PlacementChannel, SessionKind

# Youth: 16–30 on the record's date (Law on Youth 57/2020/QH14 Art. 1).
YOUTH_FROM, YOUTH_TO = 16, 30
BREAKDOWNS = {
    "female": _("women"),
    "ethnic_minority": _("ethnic minorities"),
    "youth": _("youth (16–30)"),
}
COUNSELLING_BREAKDOWNS = {
    "unemployment_insurance": _("receiving unemployment benefit"),
}


class DayKey(Func):
    """yyyymmdd of a date column as an integer, read from the date's text (SQLite keeps dates as
    'YYYY-MM-DD'; PostgreSQL formats them): the year/month/day extracts SQLite runs as Python
    functions cost 2,8 s on 100.000 placements, this 0,2 s (bench_labour)."""

    output_field = IntegerField()
    template = "CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(TO_CHAR(%(expressions)s, 'YYYYMMDD') AS INTEGER)",
                           **extra)


def _day_key(field: str) -> Any:
    """yyyymmdd of a date column as an integer (SQLite and PostgreSQL)."""
    return DayKey(F(field))


def age_key(on_field: str, birth_field: str = "person__birth_date") -> Any:
    """(yyyymmdd of the record's date − yyyymmdd of the birth date): an age of N whole years on
    that day is a key from N×10.000 to (N+1)×10.000 − 1."""
    return CombinedExpression(_day_key(on_field), "-", _day_key(birth_field), output_field=IntegerField())


def youth_q(alias: str = "age_key") -> Q:
    return Q(**{f"{alias}__gte": YOUTH_FROM * 10_000, f"{alias}__lt": (YOUTH_TO + 1) * 10_000})


def breakdown_q(code: str, *, person: str = "person") -> Q:
    """The records of a breakdown, read from the register (never typed)."""
    if code == "female":
        return Q(**{f"{person}__sex": "female"})
    if code == "ethnic_minority":
        return ~Q(**{f"{person}__ethnicity": KINH})
    if code == "youth":
        return youth_q()
    if code == "unemployment_insurance":
        return Q(on_unemployment_benefit=True)
    return Q()


def visible_units(user: Any) -> list[Unit]:
    """The units the filter offers: the provinces of the user's communes, then the communes."""
    communes = list(communes_in_scope(user))
    provinces = sorted({c.parent for c in communes if c.parent is not None and c.parent.level == Level.PROVINCE},
                       key=lambda u: u.sort_key)
    return [*provinces, *communes]


class ListFilterForm(forms.Form):
    """The filters every list of this lane shares; subclasses add their own."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "id": "q"}))
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1, widget=forms.Select)
    period = forms.CharField(label=_("Period"), required=False, max_length=10,
                             widget=forms.TextInput(attrs={"placeholder": "2026-Q1", "size": 8}))
    person = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    breakdowns: dict[str, Any] = BREAKDOWNS
    extra_names: tuple[str, ...] = ()  # the subclass's own filters, shown after the period

    def extra_fields(self) -> list[Any]:
        return [self[name] for name in self.extra_names]

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.user = user
        self.units = visible_units(user)
        self.by_id = {u.pk: u for u in self.units}
        self.fields["unit"].widget.choices = [("", _("All")), *((u.pk, u.name) for u in self.units)]  # type: ignore[attr-defined]
        self.fields["breakdown"] = forms.ChoiceField(label=_("Of whom"), required=False,
                                                     choices=[("", _("All")), *self.breakdowns.items()])

    def clean_unit(self) -> Unit | None:
        """A unit the list offers, or (a drill-down of a national viewer) any unit of the
        current map inside the user's scope."""
        pk = self.cleaned_data.get("unit")
        if pk is None:
            return None
        unit = self.by_id.get(pk)
        if unit is None:
            from ansinh.accounts.access import get_scope

            unit = Unit.objects.filter(pk=pk, edition=Edition.CURRENT).first()
            if unit is None or not get_scope(self.user).covers(unit):
                raise ValidationError(_("This unit is not one you can see."))
            self.fields["unit"].widget.choices.append((unit.pk, unit.name))  # type: ignore[attr-defined]
        return unit

    def clean_period(self) -> Period | None:
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        period = Period.parse(text)  # raises a Vietnamese ValidationError
        return period

    def filter(self, found: QuerySet[Any], *, date_field: str, unit_field: str = "commune",
               people: bool = True) -> QuerySet[Any]:
        """The records the valid filters keep (an invalid filter is shown with its message and
        left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if unit := data.get("unit"):
            found = found.filter(**{f"{unit_field}__path__under": unit.path})
        if period := data.get("period"):
            found = found.filter(**{f"{date_field}__range": (period.start, period.end)})
        if people and (q := fold(data.get("q") or "")):
            found = found.filter(person__search_name__contains=q)
        elif not people and (text := (data.get("q") or "").strip()):
            found = found.filter(title__icontains=text)
        if people and (person := data.get("person")):
            found = found.filter(person_id=person)
        if breakdown := data.get("breakdown"):
            if breakdown == "youth":
                found = found.alias(age_key=age_key(date_field))
            found = found.filter(breakdown_q(breakdown))
        return found


class PlacementFilterForm(ListFilterForm):
    extra_names = ("channel", "new_job")
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("All")), *PlacementChannel.choices])
    new_job = forms.ChoiceField(label=_("New job"), required=False,
                                choices=[("", _("All")), ("1", _("Yes")), ("0", _("No"))])

    def filter(self, found: QuerySet[Any], **kwargs: Any) -> QuerySet[Any]:
        found = super().filter(found, date_field="placed_on")
        data = getattr(self, "cleaned_data", {})
        if channel := data.get("channel"):
            found = found.filter(channel=channel)
        if data.get("new_job") in ("0", "1"):
            found = found.filter(new_job=data["new_job"] == "1")
        return found


class CounsellingFilterForm(ListFilterForm):
    breakdowns = COUNSELLING_BREAKDOWNS
    extra_names = ("topic",)
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("All")), *CounsellingTopic.choices])
    session = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def filter(self, found: QuerySet[Any], **kwargs: Any) -> QuerySet[Any]:
        found = super().filter(found, date_field="counselled_on")
        data = getattr(self, "cleaned_data", {})
        if topic := data.get("topic"):
            found = found.filter(topic=topic)
        if session := data.get("session"):
            found = found.filter(session_id=session)
        return found


class SessionFilterForm(ListFilterForm):
    breakdowns: dict[str, Any] = {}
    extra_names = ("kind",)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *SessionKind.choices])

    def filter(self, found: QuerySet[Any], **kwargs: Any) -> QuerySet[Any]:
        found = super().filter(found, date_field="held_on", unit_field="unit", people=False)
        data = getattr(self, "cleaned_data", {})
        if kind := data.get("kind"):
            found = found.filter(kind=kind)
        return found


class PersonSearchForm(forms.Form):
    who = forms.CharField(label=_("Find the person in the register (name or citizen ID)"), required=False,
                          max_length=100, widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class PlacementForm(forms.Form):
    placed_on = DayFirstDateField(label=_("Date of the placement"))
    channel = forms.ChoiceField(label=_("Channel"), choices=PlacementChannel.choices)
    employer_name = forms.CharField(label=_("Employer"), required=False, max_length=255)
    tax_code = forms.CharField(label=_("Employer's tax code"), required=False, max_length=14)
    new_job = forms.BooleanField(label=_("New job (việc làm tăng thêm)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class CounsellingForm(forms.Form):
    counselled_on = DayFirstDateField(label=_("Date of counselling"))
    topic = forms.ChoiceField(label=_("Topic"), choices=CounsellingTopic.choices)
    on_unemployment_benefit = forms.BooleanField(label=_("Receiving unemployment benefit"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    unit = forms.TypedChoiceField(label=_("Held in"), coerce=int)
    held_on = DayFirstDateField(label=_("Held on"))
    title = forms.CharField(label=_("Title"), max_length=255)
    organiser = forms.CharField(label=_("Organiser"), required=False, max_length=255)
    attendance = forms.IntegerField(label=_("Attendance (lượt)"), min_value=0, initial=0)
    employers = forms.IntegerField(label=_("Employers taking part"), min_value=0, initial=0)
    vacancies = forms.IntegerField(label=_("Vacancies offered"), min_value=0, initial=0)
    hired = forms.IntegerField(label=_("Hired on the day"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {u.pk: u for u in units}
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(u.pk, u.name) for u in units]

    def clean_unit(self) -> Unit:
        unit = self.by_id.get(self.cleaned_data["unit"])
        if unit is None:
            raise ValidationError(_("Choose a unit from the list."))
        return unit


def session_units(user: Any, may: Any) -> list[Unit]:
    """Where the user may hold sessions: her provinces and their communes (current map)."""
    return [u for u in visible_units(user) if u.edition == Edition.CURRENT and may(u)]


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


__all__ = ["BREAKDOWNS", "COUNSELLING_BREAKDOWNS", "CounsellingFilterForm", "CounsellingForm", "PersonSearchForm",
           "PlacementFilterForm", "PlacementForm", "SessionFilterForm", "SessionForm", "age_key", "breakdown_q",
           "session_units", "visible_units", "youth_q"]
