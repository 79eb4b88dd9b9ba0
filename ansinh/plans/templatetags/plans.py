"""Template filters and tags of the plans pages (and of anyone who shows plans, targets or results).

    {% load plans %}
    {{ target.value|figure }}                 7.645 / 21,3 (as many decimals as the value has)
    {{ r.value|figure_or_dash:2 }}            as figure, and "—" for a missing value (so percent_or_dash,
                                              signed_or_dash): the reporting tables
    {{ target.value|figure_input }}           always Vietnamese ("7.645"), for an input parse_value reads back
    {{ result|percent_of:target|pct }}        33,2% (with `vn`'s pct), or "" without a target
    {{ "2022-Q2"|period_label }}              quý II năm 2022
    {{ task|due_label }}                      15/06/2022 · quý II năm 2022 · khi Trung ương ban hành
    {{ unit|unit_label }}                     Tỉnh Trà Vinh (bản đồ cũ)
    {% progress_bar 33.2 %}                   a small inline SVG bar (100% marked; over 100% capped)
    {% maybe_url "plan-import" %}             the URL, or "" when that page does not exist (yet)

SVG geometry is written with a dot for decimals whatever the language: the template engine would
write "33,2" and break the attribute.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ansinh.geo.models import Edition, Unit
from ansinh.lib.vietnamese import format_number
from ansinh.plans.models import OPEN_TASK_STATUSES, Dimension, Indicator, Task
from ansinh.plans.periods import Period
from ansinh.web.templatetags.vn import num, pct

register = template.Library()

MAX_DECIMALS = 4  # targets and figures are stored with four decimal places


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def decimals_of(value: Decimal, limit: int = MAX_DECIMALS) -> int:
    """How many decimals a value needs: 23000.0000 -> 0, 21.3000 -> 1, 0.125 -> 3."""
    normal = value.quantize(Decimal(1).scaleb(-limit)).normalize()
    exponent = int(normal.as_tuple().exponent)
    return max(0, -exponent)


@register.filter
def figure(value: object, decimals: int | str | None = None) -> str:
    """A figure in the page's language, with the decimals it needs (or `decimals`)."""
    number = _decimal(value)
    if number is None:
        return ""
    places = decimals_of(number) if decimals in (None, "") else int(decimals)  # type: ignore[arg-type]
    return num(number, places)


@register.filter
def figure_input(value: object) -> str:
    """A figure for an input box, always in Vietnamese form ("7.645", "21,3"): what
    `services.parse_value` reads back the same in any language."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return format_number(number, decimals_of(number))


@register.filter
def percent_of(value: object, target: object) -> float | None:
    """value as a percentage of target; None without a target (or a zero one)."""
    number, whole = _decimal(value), _decimal(target)
    if number is None or whole is None or whole == 0:
        return None
    return float(number * 100 / whole)


@register.filter
def percent(value: object, decimals: int | str = 1) -> str:
    """A percentage in the page's language ("33,2%"); "" for None."""
    if value is None or value == "":
        return ""
    return pct(_decimal(value), int(decimals))


@register.filter
def period_label(key: object) -> str:
    """ "2022-Q2" -> "quý II năm 2022" (as Period.label; the key itself when it is not a period)."""
    if not key:
        return ""
    try:
        return Period.parse(str(key)).label()
    except ValidationError:
        return str(key)


@register.filter
def due_label(task: Task) -> str:
    """A task's due: its date, its period, or its condition ("khi Trung ương ban hành")."""
    if task.due_on is not None:
        return date_format(task.due_on, "SHORT_DATE_FORMAT")
    if task.due_period:
        return period_label(task.due_period)
    return task.due_condition


def task_overdue(task: Task, today: dt.date | None = None) -> bool:
    if task.status not in OPEN_TASK_STATUSES:
        return False
    try:
        due = task.due_date()
    except ValidationError:
        return False
    return due is not None and due < (today or timezone.localdate())


@register.filter(name="overdue")
def overdue_filter(task: Task) -> bool:
    """The task is open (or in progress) and its date, or the end of its period, is past."""
    return task_overdue(task)


@register.filter
def unit_label(unit: Unit | None) -> str:
    """The unit's name, marked when it is a unit of the map before the 2025 reform."""
    if unit is None:
        return ""
    if unit.edition == Edition.LEGACY:
        marker = _("(former map)")
        return f"{unit.name} {marker}"
    return unit.name


@register.filter
def signed(value: object, decimals: int | str | None = None) -> str:
    """A difference with its sign: "+50", "−1.200", "0" (with the decimals it needs, or `decimals`)."""
    number = _decimal(value)
    if number is None:
        return ""
    text = figure(abs(number), decimals)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"\u2212{text}"
    return text


MISSING = "—"


@register.filter
def figure_or_dash(value: object, decimals: int | str | None = None) -> str:
    """`figure`, or a dash for a missing value (a table's empty cell would read as not loaded yet)."""
    return figure(value, decimals) or MISSING


@register.filter
def percent_or_dash(value: object, decimals: int | str = 1) -> str:
    """`percent`, or a dash for a missing value."""
    return percent(value, decimals) or MISSING


@register.filter
def signed_or_dash(value: object, decimals: int | str | None = None) -> str:
    """`signed`, or a dash for a missing value."""
    return signed(value, decimals) or MISSING


@register.filter
def breakdown_name(indicator: Indicator, code: str) -> str:
    """The name of one of an indicator's breakdowns ("nữ" for "female")."""
    return indicator.breakdown_name(code) if code else ""


@register.filter
def dimension_label(code: str) -> str:
    """ "sex" -> "giới tính" (the dimension of a breakdown)."""
    return str(dict(Dimension.choices).get(code, code))


@register.filter
def magnitude(value: object) -> Decimal | None:
    """The absolute value: "còn {{ d|magnitude|figure }} chưa giao"."""
    number = _decimal(value)
    return None if number is None else abs(number)


def svg_number(value: float) -> str:
    """A number for an SVG attribute: one decimal at most, with a dot ("12.5", "40")."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@register.simple_tag
def progress_bar(value: object, width: int = 100, height: int = 10) -> SafeString:
    """A small horizontal bar of a percentage (of a target): filled to the value, capped at the
    box; over 100% the bar is full and marked as such. Classes: plans-bar, plans-bar-fill,
    plans-bar-over / plans-bar-under (ansinh/plans/static/plans/plans-ui.css)."""
    number = _decimal(value)
    if number is None:
        return format_html("")
    share = float(number)
    filled = max(0.0, min(share, 100.0)) * width / 100
    state = "plans-bar-over" if share >= 100 else "plans-bar-under"
    label = pct(number, 1)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="plans-bar {}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}"><title>{}</title><rect class="plans-bar-track" x="0" y="0" width="{}" height="{}"/>'
        '<rect class="plans-bar-fill" x="0" y="0" width="{}" height="{}"/></svg>',
        state, width, height, width, height, label, label, width, height, svg_number(filled), height)


@register.simple_tag
def maybe_url(name: str, *args: Any) -> str:
    """reverse(name, args), or "" when no such page exists (a page another part of the app adds)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


__all__ = ["breakdown_name", "decimals_of", "dimension_label", "due_label", "figure", "figure_input", "figure_or_dash",
           "magnitude", "maybe_url", "num", "percent", "percent_of", "percent_or_dash", "period_label", "progress_bar",
           "signed", "signed_or_dash", "svg_number", "task_overdue", "unit_label"]
