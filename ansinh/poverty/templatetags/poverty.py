"""Template tags of the poverty pages: shares, and charts drawn on the server as inline SVG.

No JavaScript library and no CDN (the CSP forbids inline scripts and foreign sources anyway):
each chart is a plain <svg> with a <title> and a <desc> for screen readers, coloured by CSS
classes (ansinh/web/static/ansinh/poverty.css), and its numbers are also in the page's tables.
Geometry is computed here and handed to the template as strings, because the template engine
would write numbers in the Vietnamese format ("12,5") and break the SVG attributes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.poverty.engine import StandardSpec
from ansinh.poverty.figures import Row
from ansinh.poverty.models import Transition
from ansinh.web.templatetags.vn import num, pct

register = template.Library()

WIDTH = 800
LABEL_WIDTH = 260  # category labels, right-aligned before the bars
VALUE_WIDTH = 70  # room for the value written after the longest bar
BAR = 14
BAR_GAP = 2
GROUP_GAP = 10
LEGEND = 26
AXIS = 22
TOP_COMMUNES = 30
LABEL_CHARS = 38


@register.filter
def share(part: int | float | Decimal | None, whole: int | float | Decimal | None) -> float:
    """part as a percentage of whole (0 when whole is 0): {{ row.khmer_near_poor|share:row.khmer|pct }}."""
    if not whole:
        return 0.0
    return 100 * float(part or 0) / float(whole)


@register.filter
def minus(value: int | None, other: int | None) -> int:
    return (value or 0) - (other or 0)


@register.filter
def at(sequence: Sequence[int] | dict[str, int] | None, key: int | str) -> int:
    """sequence[key], or 0: {{ row.deprived|at:i }}, {{ row.needs|at:"needs_credit" }}."""
    if sequence is None:
        return 0
    try:
        return sequence[key]  # type: ignore[index]
    except (IndexError, KeyError, TypeError):
        return 0


# --- Table cells, formatted in Python ----------------------------------------------------------
# A province's figures page writes ~4,300 numbers: one tag per table row rather than a template
# variable (resolve, filter, escape) per number keeps its rendering to a few milliseconds.


def _cells(values: Iterable[str]) -> SafeString:
    return mark_safe("".join([f'<td class="num">{escape(value)}</td>' for value in values]))  # noqa: S308 - escaped


@register.simple_tag
def summary_cells(r: Row) -> SafeString:
    """The cells of a row of the summary table (poverty/_figures_head.html names the columns)."""
    return _cells([
        num(r.households), num(r.poor), pct(r.poor_rate), num(r.near_poor), pct(r.near_poor_rate), num(r.khmer),
        num(r.khmer_poor), pct(r.khmer_poor_rate), num(r.khmer_near_poor), pct(share(r.khmer_near_poor, r.khmer)),
        num(minus(r.minority_poor, r.khmer_poor)), num(minus(r.minority_near_poor, r.khmer_near_poor)),
        num(r.poor_no_working_capacity), num(r.poor_meritorious), num(r.poor_social_protection),
    ])


@register.simple_tag
def transition_cells(r: Row, transitions: Sequence[tuple[str, object]]) -> SafeString:
    """A row's households by change against the previous round, in the order of `transitions`."""
    return _cells([num(at(r.transitions, key)) for key, _label in transitions])


@register.simple_tag
def need_cells(r: Row, needs: Sequence[tuple[str, object]]) -> SafeString:
    """A row's poor and near-poor households, and those needing each kind of support."""
    return _cells([num(r.poor), num(r.near_poor), *(num(at(r.needs, key)) for key, _label in needs)])


# The rule parameters of the deprivation indicators (households/facts.py), as an officer reads them.
PARAM_LABELS = {
    "min_age": gettext_lazy("from the age of"),
    "max_age": gettext_lazy("up to the age of"),
    "child_under": gettext_lazy("children under the age of"),
    "elderly_from": gettext_lazy("elderly from the age of"),
    "elderly_needs_allowance": gettext_lazy("an elderly person counts only with a monthly social allowance"),
    "disabled_needs_allowance": gettext_lazy("a person with disabilities counts only with a monthly social allowance"),
    "max_share": gettext_lazy("deprived when the share of dependants exceeds"),
    "min_m2_per_person": gettext_lazy("deprived below this floor area per person (m²)"),
    "secondary_from": gettext_lazy("upper secondary or vocational qualification required from the age of"),
}
YES_NO_PARAMS = {"elderly_needs_allowance", "disabled_needs_allowance"}


@register.filter
def param_label(key: str) -> str:
    """A rule parameter's name in the page's language (the key itself when it has no label)."""
    return str(PARAM_LABELS.get(key, key))


@register.simple_tag
def param_value(key: str, value: object) -> str:
    """A rule parameter's value: yes/no for a switch, 0,5 as 50 % for a share, else as `param`."""
    if key in YES_NO_PARAMS:
        return _("yes") if value else _("no")
    if key == "max_share" and isinstance(value, (int, float, Decimal)):
        return pct(float(value) * 100, 0)
    return param(value)


@register.filter
def param(value: object) -> str:
    """A rule parameter as data shows it: 8 -> "8", 0.5 -> "0,5", 1500000 -> "1.500.000"."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    decimals = 0 if float(value) == int(value) else len(f"{float(value):g}".split(".")[-1])
    return num(value, decimals)


def _n(value: float) -> str:
    """A coordinate for an SVG attribute: a dot for decimals, never a thousands separator."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice(value: float) -> float:
    """The smallest 'round' number at least value whose quarters are round too: the axis maximum
    (11 % → 12 %, ticks every 3 %)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power


def _nice_count(value: float) -> float:
    """An axis maximum for counts: four whole-number ticks (7 → 8, 130 → 200)."""
    quarter = max(value / 4, 1.0)
    power = 10 ** math.floor(math.log10(quarter))
    for step in (1, 2, 2.5, 5, 10):
        if quarter <= step * power + 1e-9 and (step * power) == int(step * power):
            return 4 * step * power
    return 40 * power


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str
    cls: str
    text: str
    text_x: str
    text_y: str
    series: str


@dataclass
class Category:
    label: str
    full_label: str
    label_y: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Tick:
    x: str
    label: str


@dataclass
class Legend:
    name: str
    cls: str
    x: str
    text_x: str


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: str
    height: str
    label_x: str
    plot_top: str
    plot_bottom: str
    tick_y: str
    legend_y: str
    legend_text_y: str
    categories: list[Category]
    ticks: list[Tick]
    legend: list[Legend]
    note: str = ""


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def hbar_chart(*, chart_id: str, title: str, desc: str, labels: list[str], series: list[tuple[str, str]],
               values: list[list[float]], percent: bool, classes: list[str] | None = None,
               note: str = "") -> Chart:
    """A horizontal bar chart: one group of bars per label, one bar per series.

    `series` is [(name, css class)]; `values[i][j]` the value of label i in series j; `classes`,
    if given, overrides the class of each label's bars (to colour transitions out of and into
    poverty differently).
    """
    fmt = pct if percent else num
    top = LEGEND if len(series) > 1 else 6
    group = len(series) * BAR + (len(series) - 1) * BAR_GAP
    plot_x, plot_width = LABEL_WIDTH, WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max((v for row in values for v in row), default=0.0)
    axis_max = _nice(largest) if percent else _nice_count(largest)
    if percent and largest <= 100 < axis_max:
        axis_max = 100.0
    categories = []
    y = float(top)
    for index, (label, row) in enumerate(zip(labels, values, strict=True)):
        category = Category(label=_short(label), full_label=label, label_y=_n(y + group / 2 + 4))
        for j, ((name, cls), value) in enumerate(zip(series, row, strict=True)):
            bar_y = y + j * (BAR + BAR_GAP)
            width = plot_width * value / axis_max if axis_max else 0.0
            category.bars.append(Bar(
                x=_n(plot_x), y=_n(bar_y), width=_n(max(width, 0.0)), height=_n(BAR),
                cls=classes[index] if classes else cls, text=fmt(value, 1) if percent else fmt(value),
                text_x=_n(plot_x + width + 4), text_y=_n(bar_y + BAR - 3), series=name))
        categories.append(category)
        y += group + GROUP_GAP
    plot_bottom = y - GROUP_GAP + 4
    ticks = []
    for i in range(5):
        value = axis_max * i / 4
        text = pct(value, 0 if value == int(value) else 1) if percent else num(value, 0)
        ticks.append(Tick(x=_n(plot_x + plot_width * i / 4), label=text))
    legend = []
    x = float(plot_x)
    for name, cls in series if len(series) > 1 else []:
        legend.append(Legend(name=name, cls=cls, x=_n(x), text_x=_n(x + 16)))
        x += 16 + 8 * len(name) + 20
    return Chart(
        id=chart_id, title=title, desc=desc, width=_n(WIDTH), height=_n(plot_bottom + AXIS), label_x=_n(plot_x - 8),
        plot_top=_n(top - 2), plot_bottom=_n(plot_bottom), tick_y=_n(plot_bottom + 15), legend_y=_n(4),
        legend_text_y=_n(15), categories=categories, ticks=ticks, legend=legend, note=note)


def _describe(pairs: list[tuple[str, str]], limit: int = 5) -> str:
    shown = "; ".join(f"{label}: {value}" for label, value in pairs[:limit])
    return shown + ("; …" if len(pairs) > limit else "")


def rate_chart_data(rows: Sequence[Row], *, by: str = "commune") -> Chart:
    """Poor and near-poor rates by commune (or hamlet, or province), highest poverty rate first, top 30."""
    ordered = sorted(rows, key=lambda r: (-r.poor_rate, -r.near_poor_rate, r.name))
    shown = ordered[:TOP_COMMUNES]
    names = [r.name if r.unit_id is not None or by != "hamlet" else _("(no hamlet)") for r in shown]
    if by == "hamlet":
        title = _("Poor and near-poor households by hamlet (percent of households)")
    elif by == "province":
        title = _("Poor and near-poor households by province (percent of households)")
    else:
        title = _("Poor and near-poor households by commune (percent of households)")
    note = ""
    if len(ordered) > TOP_COMMUNES:
        note = _("The %(shown)s units with the highest poverty rate of %(total)s; every unit is in the table.") % {
            "shown": TOP_COMMUNES, "total": num(len(ordered))}
    desc = _("Poverty rate, highest first: %(list)s.") % {
        "list": _describe([(name, pct(r.poor_rate, 1)) for name, r in zip(names, shown, strict=True)])}
    return hbar_chart(
        chart_id=f"chart-rates-{by}", title=title, desc=desc, labels=names,
        series=[(_("Poor"), "bar-poor"), (_("Near-poor"), "bar-near")],
        values=[[r.poor_rate, r.near_poor_rate] for r in shown], percent=True, note=note)


def deprivation_chart_data(total: Row, spec: StandardSpec) -> Chart:
    labels = [indicator.name for indicator in spec.indicators]
    shares = [total.deprived_share(i) if total.deprived else 0.0 for i in range(len(labels))]
    desc = _("Share of households deprived in each indicator: %(list)s.") % {
        "list": _describe([(label, pct(value, 1)) for label, value in zip(labels, shares, strict=True)], limit=20)}
    return hbar_chart(
        chart_id="chart-deprivations", title=_("Households deprived in each indicator (percent of households)"),
        desc=desc, labels=labels, series=[(_("Deprived"), "bar-deprived")], values=[[v] for v in shares],
        percent=True)


# Transitions out of poverty are good news, into it bad; staying is neither.
TRANSITION_CLASSES = {
    Transition.ESCAPED_POVERTY: "bar-good", Transition.POOR_TO_NEAR_POOR: "bar-good",
    Transition.ESCAPED_NEAR_POVERTY: "bar-good", Transition.NEW_POOR: "bar-bad", Transition.RE_POOR: "bar-bad",
    Transition.NEAR_POOR_TO_POOR: "bar-bad", Transition.NEW_NEAR_POOR: "bar-bad",
    Transition.STILL_POOR: "bar-neutral", Transition.STILL_NEAR_POOR: "bar-neutral",
}


def transition_chart_data(total: Row) -> Chart:
    kinds = list(TRANSITION_CLASSES)
    labels = [str(Transition(kind).label) for kind in kinds]
    counts = [float(total.transitions.get(kind, 0)) for kind in kinds]
    desc = _("Households by change against the previous round: %(list)s.") % {
        "list": _describe([(label, num(value)) for label, value in zip(labels, counts, strict=True)], limit=20)}
    return hbar_chart(
        chart_id="chart-transitions", title=_("Changes against the previous round (households)"), desc=desc,
        labels=[label[:1].upper() + label[1:] for label in labels], series=[(_("Households"), "bar-neutral")],
        values=[[v] for v in counts], percent=False, classes=[TRANSITION_CLASSES[k] for k in kinds])


@register.inclusion_tag("poverty/_chart_hbar.html")
def rate_chart(rows: Sequence[Row], by: str = "commune") -> dict[str, Chart]:
    return {"chart": rate_chart_data(rows, by=by)}


@register.inclusion_tag("poverty/_chart_hbar.html")
def deprivation_chart(total: Row, spec: StandardSpec) -> dict[str, Chart]:
    return {"chart": deprivation_chart_data(total, spec)}


@register.inclusion_tag("poverty/_chart_hbar.html")
def transition_chart(total: Row) -> dict[str, Chart]:
    return {"chart": transition_chart_data(total)}
