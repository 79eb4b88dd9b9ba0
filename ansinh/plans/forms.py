"""The forms of the plans pages: a plan's document fields, a task, a progress note, a target's
revision, an agency, and the plan list's filters.

Forms check shape (a date, a deadline rule, a period key, a unit the user may plan for); the
services (`ansinh.plans.services`) check meaning, and their ValidationError messages are put back
onto these fields (`ansinh.households.forms.add_service_errors`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ansinh.accounts.access import Scope, get_scope, under, units_for_user
from ansinh.accounts.models import EDITING_ROLES, User
from ansinh.geo.models import Edition, Level, Succession, Unit, UnitQuerySet, current_home, ids_from_paths
from ansinh.households.forms import DayFirstDateField
from ansinh.lib.vietnamese import fold

from . import services
from .models import Agency, AgencyKind, Indicator, Plan, PlanStatus, Sector, Source, TaskStatus
from .periods import KINDS, Period, check_rule

PLAN_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
UNIT_CHOICES_LIMIT = 60
DEADLINE_HELP = {
    "month": _("e.g. next:05 = the 5th of the following month"),
    "quarter": _("e.g. last:15 = the 15th of the period's last month"),
    "half": _("e.g. 05-30 = 30 May"),
    "year": _("e.g. 12-05 = 5 December"),
}
DEADLINE_LABELS = {
    "month": _("Monthly report due"),
    "quarter": _("Quarterly report due"),
    "half": _("Six-monthly report due"),
    "year": _("Yearly report due"),
}


def unit_choice_label(unit: Unit) -> str:
    """ "Xã Trà Cú – Tỉnh Vĩnh Long", "Tỉnh Trà Vinh (bản đồ cũ)"; the code for the rest."""
    name = unit.name
    if unit.parent is not None and unit.level > Level.PROVINCE:
        name = f"{name} – {unit.parent.name}"
    if unit.edition == Edition.LEGACY:
        marker = _("(former map)")
        name = f"{name} {marker}"
    return f"{name} ({unit.code})"


# --- Units a user may make plans (and agencies) for -----------------------------------------


def _editing_paths(scope: Scope) -> list[str]:
    return [a.unit.path for a in scope.assignments if a.role in EDITING_ROLES]


def plannable_units(user: User) -> UnitQuerySet:
    """Provinces, districts and communes the user may make plans for: current units under the
    units where the user holds an editing role, and legacy units all of whose communes went into
    one of those units (a 2020 plan of legacy Trà Vinh belongs to the current Vĩnh Long)."""
    scope = get_scope(user)
    base = Unit.objects.filter(level__in=PLAN_LEVELS)
    if any(a.unit.level == Level.COUNTRY for a in scope.assignments if a.role in EDITING_ROLES):
        return base
    paths = _editing_paths(scope)
    if not paths:
        return base.none()
    current = base.filter(under(paths)).exclude(edition=Edition.LEGACY)
    return base.filter(Q(pk__in=current.values("pk")) | Q(pk__in=_legacy_plannable_ids(paths)))


def _legacy_plannable_ids(paths: list[str]) -> set[int]:
    """Legacy units whose every legacy commune went (wholly) into units under one of `paths`.
    Three queries, whatever the number of units."""
    merged = set(Succession.objects.filter(under(paths, "new__")).values_list("old_id", flat=True))
    if not merged:
        return set()
    targets: dict[int, set[str]] = defaultdict(set)
    old_paths: dict[int, str] = {}
    for old_id, old_path, new_path in Succession.objects.filter(old_id__in=merged).values_list(
            "old_id", "old__path", "new__path"):
        targets[old_id].add(new_path)
        old_paths[old_id] = old_path

    def inside(new_paths: set[str]) -> bool:
        return any(all(p.startswith(path) for p in new_paths) for path in paths)

    ok_communes = {old_id for old_id, new_paths in targets.items() if inside(new_paths)}
    ancestors = ids_from_paths(old_paths[i] for i in ok_communes) - ok_communes
    above = list(Unit.objects.filter(pk__in=ancestors, edition=Edition.LEGACY, level__in=PLAN_LEVELS)
                 .values_list("pk", "path"))
    if not above:
        return ok_communes
    communes = list(Unit.objects.filter(under([path for _pk, path in above]), level=Level.COMMUNE, edition=Edition.LEGACY).values_list("pk", "path"))
    ok = set(ok_communes)
    for pk, path in above:
        if all(cid in ok_communes for cid, cpath in communes if cpath.startswith(path)):
            ok.add(pk)
    return ok


def unit_options(candidates: UnitQuerySet, query: str, selected: Unit | None) -> list[Unit]:
    """The units shown in a unit select: those matching the search (all when empty), provinces
    first, the current map before the legacy one, at most UNIT_CHOICES_LIMIT; the chosen unit
    always among them."""
    found = candidates.search(query) if query.strip() else candidates
    units = list(found.select_related("parent").order_by("level", "edition", "sort_key", "code")[:UNIT_CHOICES_LIMIT])
    if selected is not None and all(u.pk != selected.pk for u in units):
        units.insert(0, selected)
    return units


class UnitPickerForm(forms.Form):
    """A form with a unit chosen by search: `unit_q` narrows the `unit` select (htmx refreshes it
    as one types; without JavaScript the "Find" button does). Sets `self.chosen_unit`."""

    def _setup_units(self, candidates: UnitQuerySet, default: Unit | None) -> None:
        self.unit_candidates = candidates
        raw = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        if isinstance(raw, Unit):
            raw = raw.pk
        chosen = None
        if raw is not None and str(raw).isdigit():
            chosen = candidates.select_related("parent").filter(pk=int(raw)).first()
        if chosen is None and not (self.is_bound and raw):
            chosen = default
        self.chosen_unit: Unit | None = chosen
        query = str((self.data if self.is_bound else self.initial).get("unit_q") or "")
        options = unit_options(candidates, query, chosen)
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *[(u.pk, unit_choice_label(u)) for u in options]]
        if chosen is not None and not self.is_bound:
            self.initial["unit"] = chosen.pk

    def clean_unit(self) -> Unit:
        raw = self.cleaned_data.get("unit")
        unit = self.unit_candidates.filter(pk=int(raw)).first() if raw and str(raw).isdigit() else None
        if unit is None:
            raise ValidationError(_("Choose a province, district or commune you manage."))
        return unit


def _unit_fields() -> tuple[forms.CharField, forms.ChoiceField]:
    search = forms.CharField(
        label=_("Find a unit"), required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": _("e.g. tra vinh")}))
    unit = forms.ChoiceField(label=_("Unit"), choices=[],
                             help_text=_("Units of the map before the 2025 reform are marked (former map)."))
    return search, unit


def agencies_for_unit(unit: Unit | None) -> QuerySet[Agency]:
    """Agencies of the unit and of the units above it."""
    if unit is None:
        return Agency.objects.none()
    return (Agency.objects.filter(unit_id__in=[unit.pk, *unit.ancestor_ids()], active=True)
            .select_related("unit").order_by("unit__level", "name"))


def agency_label(agency: Agency) -> str:
    return f"{agency.name} — {agency.unit.name}"


# --- The plan --------------------------------------------------------------------------------


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 80})


class PlanForm(UnitPickerForm):
    unit_q, unit = _unit_fields()
    agency = forms.ChoiceField(label=_("Issuing body"), choices=[], required=False,
                               help_text=_("An agency of the unit or of a unit above it."))
    new_agency = forms.CharField(label=_("or a new issuing body"), max_length=200, required=False,
                                 help_text=_("e.g. Ủy ban nhân dân tỉnh Trà Vinh; it is added to the unit's "
                                             "agencies."))
    new_agency_kind = forms.ChoiceField(label=_("Type of the new body"), choices=AgencyKind.choices,
                                        initial=AgencyKind.PEOPLES_COMMITTEE, required=False)
    new_agency_symbol = forms.CharField(label=_("Symbol of the new body"), max_length=30, required=False,
                                        help_text=_("Used in document numbers, e.g. UBND, SLĐTBXH."))
    doc_type = forms.CharField(label=_("Document type"), max_length=8, initial="KH",
                               widget=forms.TextInput(attrs={"size": 6}))
    number = forms.CharField(label=_("Number and symbol"), max_length=60, help_text=_("For example 12/KH-UBND."))
    year = forms.IntegerField(label=_("Year of the plan"), min_value=2000, max_value=2100)
    place = forms.CharField(label=_("Place"), max_length=100, help_text=_("As written before the date: Trà Vinh."))
    issued_on = DayFirstDateField(label=_("Date issued"), required=False)
    title = forms.CharField(label=_("Title"), widget=_textarea(2))
    basis = forms.CharField(label=_("Based on"), required=False, widget=_textarea(4),
                            help_text=_("One document per line."))
    situation = forms.CharField(label=_("Current situation"), required=False, widget=_textarea(4))
    objectives = forms.CharField(label=_("Objectives"), required=False, widget=_textarea(5))
    solutions = forms.CharField(label=_("Tasks and solutions"), required=False, widget=_textarea(6),
                                help_text=_("One paragraph per line; a line such as “1. Hỗ trợ tín dụng” is a "
                                            "heading. Empty: the tasks below, by field."))
    recipients = forms.CharField(label=_("Recipients"), required=False, widget=_textarea(4),
                                 help_text=_("One per line."))
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=60, required=False,
                                       help_text=_("e.g. KT. CHỦ TỊCH"))
    signer_title = forms.CharField(label=_("Signer's title"), max_length=80, required=False,
                                   help_text=_("e.g. PHÓ CHỦ TỊCH"))
    signer_name = forms.CharField(label=_("Signer's name"), max_length=100, required=False)
    deadline_month = forms.CharField(label=DEADLINE_LABELS["month"], required=False, max_length=10,
                                     help_text=DEADLINE_HELP["month"], widget=forms.TextInput(attrs={"size": 8}))
    deadline_quarter = forms.CharField(label=DEADLINE_LABELS["quarter"], required=False, max_length=10,
                                       help_text=DEADLINE_HELP["quarter"], widget=forms.TextInput(attrs={"size": 8}))
    deadline_half = forms.CharField(label=DEADLINE_LABELS["half"], required=False, max_length=10,
                                    help_text=DEADLINE_HELP["half"], widget=forms.TextInput(attrs={"size": 8}))
    deadline_year = forms.CharField(label=DEADLINE_LABELS["year"], required=False, max_length=10,
                                    help_text=DEADLINE_HELP["year"], widget=forms.TextInput(attrs={"size": 8}))
    form_codes = forms.MultipleChoiceField(
        label=_("Indicators in the periodic form"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("What units declare each period; none chosen: the declared indicators with a target."))
    percent_decimals = forms.IntegerField(label=_("Decimals of percentages"), min_value=0, max_value=3, initial=1)
    status = forms.ChoiceField(label=pgettext_lazy("plan", "Status"), choices=PlanStatus.choices,
                               initial=PlanStatus.DRAFT)

    DEADLINE_FIELDS = [f"deadline_{kind}" for kind in KINDS]
    DOCUMENT_FIELDS = ["doc_type", "number", "year", "place", "issued_on", "title", "basis", "situation",
                       "objectives", "solutions", "recipients", "signer_authority", "signer_title", "signer_name"]

    def __init__(self, data: Any = None, *, user: User, plan: Plan | None = None,
                 initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial if initial is not None else self.initial_for(plan))
        self.user, self.plan = user, plan
        candidates = plannable_units(user)
        default = plan.unit if plan is not None else self._default_unit(candidates)
        self._setup_units(candidates, default)
        agencies = list(agencies_for_unit(self.chosen_unit))
        if plan is not None and all(a.pk != plan.agency_id for a in agencies):
            agencies.insert(0, plan.agency)
        self.agency_options = {a.pk: a for a in agencies}
        choices = [("", "—"), *[(a.pk, agency_label(a)) for a in agencies]]
        self.fields["agency"].choices = choices  # type: ignore[attr-defined]
        self.fields["form_codes"].choices = [  # type: ignore[attr-defined]
            # A counted indicator may be in the form too: its figure stands in where the registry has no data.
            (code, name) for code, name in Indicator.objects.exclude(source=Source.DERIVED).order_by("order")
            .values_list("code", "name")]

    def _default_unit(self, candidates: UnitQuerySet) -> Unit | None:
        mine = [a.unit.pk for a in get_scope(self.user).assignments if a.role in EDITING_ROLES]
        return candidates.select_related("parent").filter(pk__in=mine).order_by("level").first()

    @classmethod
    def initial_for(cls, plan: Plan | None) -> dict[str, Any]:
        if plan is None:
            return {}
        initial: dict[str, Any] = {name: getattr(plan, name) for name in cls.DOCUMENT_FIELDS}
        initial.update({"unit": plan.unit_id, "agency": plan.agency_id, "form_codes": list(plan.form_codes or []),
                        "percent_decimals": plan.percent_decimals, "status": plan.status})
        for kind in KINDS:
            initial[f"deadline_{kind}"] = (plan.deadlines or {}).get(kind, "")
        return initial

    def _clean_deadline(self, kind: str) -> str:
        value = str(self.cleaned_data.get(f"deadline_{kind}") or "").strip()
        return check_rule(value) if value else ""

    def clean_deadline_month(self) -> str:
        return self._clean_deadline("month")

    def clean_deadline_quarter(self) -> str:
        return self._clean_deadline("quarter")

    def clean_deadline_half(self) -> str:
        return self._clean_deadline("half")

    def clean_deadline_year(self) -> str:
        return self._clean_deadline("year")

    def clean_unit(self) -> Unit:
        unit = super().clean_unit()
        if not get_scope(self.user).can_change(current_home(unit)):
            raise ValidationError(_("You may not make plans for %(unit)s.") % {"unit": unit.name})
        return unit

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        unit: Unit | None = data.get("unit")
        raw = data.get("agency")
        new_name = " ".join(str(data.get("new_agency") or "").split())
        agency = self.agency_options.get(int(raw)) if raw and str(raw).isdigit() else None
        if agency is not None and new_name:
            self.add_error("new_agency", _("Choose an issuing body or type a new one, not both."))
        elif agency is None and not new_name:
            self.add_error("agency", _("Choose the issuing body, or type the name of a new one."))
        elif agency is not None and unit is not None and not unit.path.startswith(agency.unit.path):
            self.add_error("agency", _("The issuing body must belong to %(unit)s or to a unit above it.") % {
                "unit": unit.name})
        if new_name and not data.get("new_agency_kind"):
            self.add_error("new_agency_kind", _("Choose the type of the new body."))
        data["agency"] = agency
        data["new_agency"] = new_name
        return data

    @property
    def deadlines(self) -> dict[str, str]:
        data = self.cleaned_data
        return {kind: data[f"deadline_{kind}"] for kind in KINDS if data.get(f"deadline_{kind}")}

    def service_fields(self) -> dict[str, Any]:
        """Everything but the agency and the unit, as the services take them."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.DOCUMENT_FIELDS}
        for name in ("number", "place", "doc_type", "signer_authority", "signer_title", "signer_name"):
            fields[name] = str(fields[name]).strip()
        fields.update({"deadlines": self.deadlines, "form_codes": list(data["form_codes"]),
                       "percent_decimals": data["percent_decimals"], "status": data["status"]})
        return fields

    @property
    def unit_dependent(self) -> list[forms.BoundField]:
        """Fields whose choices follow the chosen unit (refreshed with it)."""
        return [self["agency"]]

    def deadline_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.DEADLINE_FIELDS]


# --- The plan list's filters -------------------------------------------------------------------


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Unit"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("e.g. tra vinh")}))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=pgettext_lazy("plan", "Status"), required=False,
                               choices=[("", _("All")), *PlanStatus.choices])

    def __init__(self, data: Any, *, years: list[int]) -> None:
        super().__init__(data, auto_id="%s")
        self.fields["year"].choices = [("", _("All")), *[(y, str(y)) for y in years]]  # type: ignore[attr-defined]

    def value(self, name: str) -> Any:
        """The cleaned value, or None where it does not fit (filters never show errors)."""
        self.is_valid()
        return self.cleaned_data.get(name)

    @staticmethod
    def unit_words(query: str) -> list[str]:
        return fold(query).split()


# --- Targets ---------------------------------------------------------------------------------


class TargetReviseForm(forms.Form):
    value = forms.CharField(label=_("New value"), max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                            help_text=_("Vietnamese form: 7.645 or 21,3."))
    reason = forms.CharField(label=_("Reason for the revision"), widget=_textarea(3))
    document = forms.CharField(label=_("Decided by (document)"), max_length=200, required=False,
                               help_text=_("e.g. Quyết định số 15/QĐ-UBND ngày 10/6/2022"))
    revised_on = DayFirstDateField(label=_("Date of the revision"), required=False)

    def clean_value(self) -> Any:
        value = services.parse_value(self.cleaned_data.get("value"), label=str(_("New value")))
        if value is None:
            raise ValidationError(_("Enter the new value."))
        return value


# --- Tasks -----------------------------------------------------------------------------------


class AgencyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Agency) -> str:  # type: ignore[override]
        return agency_label(obj)


class AgencyMultipleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Agency) -> str:  # type: ignore[override]
        return agency_label(obj)


def task_agencies(plan: Plan) -> QuerySet[Agency]:
    """Agencies that may carry the plan's tasks: those of its unit, the units below and above it,
    and of the current unit that took it over."""
    unit = plan.unit
    return (Agency.objects.filter(Q(unit__path__startswith=unit.path) | Q(unit_id__in=unit.ancestor_ids())
                                  | Q(unit_id=plan.home_id), active=True)
            .select_related("unit").order_by("unit__level", "unit__sort_key", "name"))


class TaskForm(forms.Form):
    description = forms.CharField(label=_("Task"), widget=_textarea(3))
    sector = forms.ChoiceField(label=_("Field"), required=False, choices=[("", "—"), *Sector.choices])
    lead = AgencyChoice(label=_("Lead agency"), queryset=Agency.objects.none(), required=False, empty_label="—")
    partners = AgencyMultipleChoice(label=_("Partner agencies"), queryset=Agency.objects.none(), required=False,
                                    widget=forms.CheckboxSelectMultiple)
    due_on = DayFirstDateField(label=_("Due date"), required=False)
    due_period = forms.CharField(label=_("or due in the period"), required=False, max_length=10,
                                 help_text=_("2022, 2022-H1, 2022-Q2 or 2022-06."),
                                 widget=forms.TextInput(attrs={"size": 10}))
    due_condition = forms.CharField(label=_("or due when"), required=False, max_length=200,
                                    help_text=_("e.g. khi Trung ương ban hành"))
    status = forms.ChoiceField(label=pgettext_lazy("plan", "Status"), choices=TaskStatus.choices,
                               initial=TaskStatus.OPEN)
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0,
                               help_text=_("Tasks are listed by field, then in this order."))

    def __init__(self, data: Any = None, *, plan: Plan, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        agencies = task_agencies(plan)
        self.fields["lead"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["partners"].queryset = agencies  # type: ignore[attr-defined]

    def clean_due_period(self) -> str:
        value = str(self.cleaned_data.get("due_period") or "").strip()
        return Period.parse(value).key if value else ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        given = [name for name in ("due_on", "due_period", "due_condition") if data.get(name)]
        if len(given) > 1:
            self.add_error(given[1], _("Give a due date, a period or a condition: one of them."))
        data["due_condition"] = str(data.get("due_condition") or "").strip()
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"sector": data["sector"], "lead": data["lead"], "due_on": data["due_on"],
                "due_period": data["due_period"], "due_condition": data["due_condition"], "status": data["status"],
                "order": data["order"] or 0}


class TaskNoteForm(forms.Form):
    text = forms.CharField(label=_("Progress note"), widget=_textarea(4))
    status = forms.ChoiceField(label=_("Status after this note"), choices=TaskStatus.choices)
    written_on = DayFirstDateField(label=_("Date"), required=False)


# --- Agencies --------------------------------------------------------------------------------


class AgencyForm(UnitPickerForm):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. Phòng Nội vụ huyện Trà Cú"))
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=AgencyKind.choices)
    symbol = forms.CharField(label=_("Symbol"), max_length=30, required=False,
                             help_text=_("Used in document numbers, e.g. UBND, SLĐTBXH."))
    unit_q, unit = _unit_fields()
    parent = AgencyChoice(label=_("Body above"), queryset=Agency.objects.none(), required=False, empty_label="—")

    def __init__(self, data: Any = None, *, user: User, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self.user = user
        candidates = plannable_units(user)
        mine = [a.unit.pk for a in get_scope(user).assignments if a.role in EDITING_ROLES]
        self._setup_units(candidates, candidates.select_related("parent").filter(pk__in=mine).order_by("level").first())
        self.fields["parent"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.filter(unit__in=units_for_user(user)).select_related("unit").order_by("unit__level", "name"))

    unit_dependent: list[forms.BoundField] = []

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        unit, parent = data.get("unit"), data.get("parent")
        if unit is not None and parent is not None and not unit.path.startswith(parent.unit.path):
            self.add_error("parent", _("The body above must belong to %(unit)s or to a unit above it.") % {
                "unit": unit.name})
        return data


class AgencyEditForm(forms.Form):
    """An agency's name, type, symbol, the body above it and whether it is still in use; its unit
    stays (its plans and tasks were issued there)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=AgencyKind.choices)
    symbol = forms.CharField(label=_("Symbol"), max_length=30, required=False,
                             help_text=_("Used in document numbers, e.g. UBND, SLĐTBXH."))
    parent = AgencyChoice(label=_("Body above"), queryset=Agency.objects.none(), required=False, empty_label="—")
    active = forms.BooleanField(label=_("In use"), required=False,
                                help_text=_("An agency no longer in use keeps its plans and tasks but is not offered "
                                            "for new ones."))

    def __init__(self, data: Any = None, *, agency: Agency, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        above = [*agency.unit.ancestor_ids(), agency.unit.pk]
        self.fields["parent"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.filter(unit_id__in=above).exclude(pk=agency.pk).select_related("unit")
            .order_by("unit__level", "name"))


__all__ = ["AgencyEditForm", "AgencyForm", "PlanFilterForm", "PlanForm", "ReportTextForm", "TargetReviseForm",
           "TaskForm", "TaskNoteForm", "agencies_for_unit", "plannable_units", "task_agencies", "unit_choice_label"]


# --- The words of a periodic report ----------------------------------------------------------


class ReportTextForm(forms.Form):
    """Number, date, assessment and recipients of a unit's periodic report (seed 001)."""

    number = forms.CharField(label=_("Number and symbol"), max_length=60, required=False,
                             help_text=_("For example 45/BC-SLĐTBXH; empty leaves a blank to fill in."))
    issued_on = DayFirstDateField(label=_("Date issued"), required=False)
    strengths = forms.CharField(label=_("Advantages"), required=False, widget=_textarea(5),
                                help_text=_("One point per line."))
    difficulties = forms.CharField(label=_("Difficulties and shortcomings"), required=False, widget=_textarea(5),
                                   help_text=_("One point per line."))
    recipients = forms.CharField(label=_("Recipients"), required=False, widget=_textarea(4),
                                 help_text=_("One per line; empty uses the plan's (or the body above)."))
