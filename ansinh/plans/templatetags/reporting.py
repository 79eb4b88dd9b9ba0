"""Template tags of the reporting pages: bars of the share of a target done against the expected
pace, and a stacked bar, drawn on the server as inline SVG. Figures, percentages and changes are
`plans`' figure_or_dash, percent_or_dash and signed_or_dash (a dash when missing).

As in `ansinh.poverty.templatetags.poverty`: the geometry is computed here and handed to the
template as strings (the template engine would write "12,5" into an SVG attribute), the colours
come from CSS classes (no inline styles: the CSP forbids them), and every chart has a title.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from ansinh.plans.templatetags.plans import svg_number
from ansinh.web.templatetags.vn import num, pct

register = template.Library()

Number = int | float | Decimal


@dataclass
class Bar:
    width: str
    height: str
    fill: str
    marker: str | None
    target: str
    cls: str
    title: str


@register.inclusion_tag("plans/reporting/_bar.html")
def pace_bar(value: Number | None, expected: Number | None = None, lagging: bool = False,
                 width: int = 160) -> dict[str, Bar | None]:
    """A bullet bar: the share of the target done (filled), the 100 % line, and the expected pace
    at the end of the period (a marker), on a scale of at least 100 %."""
    if value is None:
        return {"bar": None}
    done = max(float(value), 0.0)
    scale = max(100.0, min(done, 200.0), float(expected or 0))
    fill = width * min(done, scale) / scale
    marker = None if expected is None else svg_number(width * float(expected) / scale)
    title = _("%(done)s of the target") % {"done": pct(done, 1)}
    if expected is not None:
        title += "; " + _("expected by now: %(expected)s") % {"expected": pct(expected, 0)}
    return {"bar": Bar(width=str(width), height="12", fill=svg_number(fill), marker=marker,
                       target=svg_number(width * 100 / scale), cls="bar-bad" if lagging else "bar-good", title=title)}


@dataclass
class Segment:
    x: str
    width: str
    cls: str
    label: str
    count: int


@register.inclusion_tag("plans/reporting/_stack.html")
def stacked_bar(parts: list[tuple[str, str, int]], width: int = 480, chart_id: str = "stack") -> dict[str, object]:
    """One horizontal bar split into parts [(label, css class, count)] (on time, late, missing…)."""
    total = sum(count for _label, _cls, count in parts)
    segments, x = [], 0.0
    for label, cls, count in parts:
        if not count:
            continue
        w = width * count / total
        segments.append(Segment(x=svg_number(x), width=svg_number(w), cls=cls, label=label, count=count))
        x += w
    desc = "; ".join(f"{s.label}: {num(s.count)}" for s in segments)
    return {"segments": segments, "width": str(width), "total": total, "desc": desc, "chart_id": chart_id}
