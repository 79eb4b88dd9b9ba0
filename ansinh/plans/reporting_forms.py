"""The periodic form as the web shows it: one input per indicator of the plan's form and per
breakdown, figures typed the Vietnamese way ("7.645", "21,3"), and the period picker.

No Django form class: the inputs are built from the plan's indicators (`services.form_indicators`)
and parsed with `services.parse_value`, so the page, the import of the `.xlsx` form and the API
read a figure the same way. Errors name the field, in the language of the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ansinh.lib.vietnamese import format_number

from . import services
from .models import SECTOR_ORDER, Indicator, Plan, Sector, Source, Submission
from .periods import KINDS, Kind, Period, periods_of_year

Key = tuple[str, str]


def field_name(code: str, breakdown: str = "") -> str:
    """The input's name: "v.jobs_created", "v.jobs_created.female" (codes are slugs: no dots)."""
    return f"v.{code}.{breakdown}" if breakdown else f"v.{code}"


def input_text(value: Decimal | float | None) -> str:
    """A stored figure as the input shows it, in the Vietnamese format: 7645 → "7.645", 21.3 → "21,3"."""
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    exponent = number.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(number, decimals)


@dataclass
class FormField:
    """One input of the form: an indicator's total or one of its breakdowns."""

    indicator: Indicator
    breakdown: str
    label: str
    text: str = ""  # what the input shows (typed, or the stored figure)
    error: str = ""
    target: float | None = None  # the unit's target for the year
    last_year: float | None = None  # the unit's figure for the same period last year

    @property
    def name(self) -> str:
        return field_name(self.indicator.code, self.breakdown)

    @property
    def stands_in(self) -> bool:
        """A counted indicator's total: the registry's count wins; this figure stands in only where
        the registry has no data for the unit and period (services.form_indicators)."""
        return self.indicator.source == Source.COUNTED and not self.breakdown

    @property
    def key(self) -> Key:
        return (self.indicator.code, self.breakdown)

    @property
    def html_id(self) -> str:
        return "id_" + self.name.replace(".", "_")


@dataclass
class FormSection:
    sector: str
    label: str
    fields: list[FormField] = field(default_factory=list)


def build_fields(indicators: Iterable[Indicator]) -> list[FormField]:
    out: list[FormField] = []
    for indicator in indicators:
        out.append(FormField(indicator=indicator, breakdown="", label=indicator.name))
        for part in indicator.breakdowns:
            code = str(part["code"])
            out.append(FormField(indicator=indicator, breakdown=code, label=indicator.breakdown_name(code)))
    return out


def sections(fields: list[FormField]) -> list[FormSection]:
    """The fields grouped by field of work, in the order of the report's sections."""
    groups: dict[str, FormSection] = {}
    for item in fields:
        sector = item.indicator.sector
        if sector not in groups:
            groups[sector] = FormSection(sector=sector, label=str(Sector(sector).label))
        groups[sector].fields.append(item)
    return sorted(groups.values(), key=lambda s: SECTOR_ORDER.get(s.sector, 99))


def parse(fields: list[FormField], data: Mapping[str, str]) -> tuple[dict[Key, Decimal | None], bool]:
    """The figures typed into the form; each field keeps its text and, if it is not a number, an
    error naming it. Returns the values and whether every field parsed."""
    values: dict[Key, Decimal | None] = {}
    ok = True
    for item in fields:
        item.text = str(data.get(item.name, "")).strip()
        item.error = ""
        label = item.label if not item.breakdown else f"{item.indicator.name} — {item.label}"
        try:
            values[item.key] = services.parse_value(item.text, label=label)
        except ValidationError as error:
            item.error = " ".join(error.messages)
            ok = False
            continue
        typed = values[item.key]
        if typed is not None and item.indicator.counts_whole and typed != typed.to_integral_value():
            item.error = services.whole_number_error(item.indicator, typed)
            ok = False
    return values, ok


def has_figures(data: Mapping[str, str]) -> bool:
    """The POST carries the form's inputs (a save, or a submit from the filled page)."""
    return any(name.startswith("v.") for name in data)


def reason_of(data: Mapping[str, str]) -> tuple[str, str]:
    """The reason for returning a form, and the error when it is missing."""
    reason = " ".join(str(data.get("reason", "")).split())
    return reason, ("" if reason else _("Say why the form is returned."))


# --- periods ----------------------------------------------------------------------------------


PICKER_KINDS: tuple[Kind, ...] = ("quarter", "half", "year", "month")


def kind_label(kind: str) -> str:
    return {"month": _("Months"), "quarter": _("Quarters"), "half": _("Six months"), "year": _("Year")}[kind]


@dataclass(frozen=True)
class PeriodChoice:
    key: str
    label: str


def plan_kinds(plan: Plan) -> tuple[Kind, ...]:
    """The kinds of period the plan's units report by, in the picker's order: those its deadlines
    name, and those of forms already in the plan (a form is never hidden); every kind when the plan
    names none (the default deadlines then apply to all). A plan reporting by quarter, six months
    and year offers no month, so December is never listed as 124 overdue monthly forms."""
    named = {kind for kind in KINDS if (plan.deadlines or {}).get(kind)}
    if named:
        keys = Submission.objects.filter(plan=plan).order_by().values_list("period", flat=True).distinct()
        for key in keys:
            try:
                named.add(Period.parse(key).kind)
            except ValidationError:
                continue
    return tuple(kind for kind in PICKER_KINDS if not named or kind in named)


def period_choices(plan: Plan) -> list[tuple[str, list[PeriodChoice]]]:
    """The periods of the plan's year, grouped by kind (quarters first: most plans report by quarter),
    of the kinds the plan reports by."""
    return [(kind_label(kind), [PeriodChoice(p.key, p.label()) for p in periods_of_year(plan.year, kind)])
            for kind in plan_kinds(plan)]


def offered_period(text: str | None, plan: Plan) -> Period | None:
    """A period from the query string that the picker offers (of the plan's year and kinds)."""
    period = parse_period(text, plan)
    return period if period is not None and period.kind in plan_kinds(plan) else None


def main_kind(plan: Plan) -> Kind:
    """The kind of period the plan's units report most often: the shortest one its deadlines name
    (quarter when they name none)."""
    named = [k for k in KINDS if k in (plan.deadlines or {})]
    return named[0] if named else "quarter"


def latest_due(plan: Plan, today: dt.date) -> Period:
    """The latest period of the plan's main kind whose deadline has passed; else the current one
    (the period holding today), or the year's first one for a plan of a later year."""
    periods = periods_of_year(plan.year, main_kind(plan))
    due = [p for p in periods if p.deadline(plan.deadlines) < today]
    if due:
        return due[-1]
    return next((p for p in periods if p.start <= today <= p.end), periods[0])


def current_period(year: int, today: dt.date, kind: Kind = "quarter") -> Period:
    """The latest period of `kind` in `year` that has started (the whole year once it is over)."""
    if year < today.year or kind == "year":
        return Period(year, "year", 1)
    periods = periods_of_year(year, kind)
    if year > today.year:
        return periods[0]
    return [p for p in periods if p.start <= today][-1]


def parse_period(text: str | None, plan: Plan) -> Period | None:
    """A period of the plan's year from the query string (None when absent or not one)."""
    if not text:
        return None
    try:
        period = Period.parse(text)
    except ValidationError:
        return None
    return period if period.year == plan.year else None
