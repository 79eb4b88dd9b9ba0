"""Report sentences: an indicator's sentence template filled with a unit's figures.

A template (Indicator.sentence, or a department's own IndicatorSentence) is plain Vietnamese
with placeholders:

  {value}       the figure, in Vietnamese format with the indicator's decimals (7.645; 67,67)
  {unit}        the unit of measure (lao động, hộ, triệu đồng, %)
  {target}      the target of the period (or of the year)
  {percent}     the figure as a share of the target, with the plan's decimals (33,2%)
  {breakdowns}  the "of which" parts: "nữ 3.899 lao động, dân tộc 2.142 lao động"
                (destination countries without the unit: "Đài Loan 61, Nhật Bản 128")
  {change}      against the same period of the year before: "tăng 120 lao động so với cùng kỳ"
  {period}      the period: "quý I năm 2020"
  {fall}        a reduction with its sign in words, for indicators that count a decrease:
                116 → "giảm 116 hộ", -12 → "tăng 12 hộ" (0,10 % → "giảm 0,10%")
  {CODE}        any other indicator's figure ({poor_rate} → "3,22%": rates keep their %)
  {CODE.PART}   a part of an indicator ({poor_households.khmer} → "5.394")

A figure below zero has no share of its target: {percent} is then left out (a reduction target
of 34 households met by an increase is not "-30%" of it).

A part in [[…]] is left out when a placeholder inside it has no value (no target, no breakdowns,
nothing last year); a placeholder without a value outside [[…]] shows as "…", a blank to fill.
Percentages round half up (13,25% → 13,3% with one decimal), as people do by hand.

A department's own sentence (IndicatorSentence) applies to the units below the unit it was
written for; the nearest one on the unit's path wins (see `templates_for`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.geo.models import Unit, current_home
from ansinh.lib.vietnamese import format_number

from .models import Dimension, Indicator, IndicatorSentence, Plan
from .periods import Period
from .results import Results

MISSING = "…"
FIXED = ("value", "unit", "target", "percent", "breakdowns", "change", "period", "fall")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}")
_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


# --- numbers ---------------------------------------------------------------------------------


def to_decimal(value: float | int | Decimal) -> Decimal:
    """Exact for Decimal and int; a float through its shortest repr (0.1 → Decimal("0.1"))."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: float | int | Decimal, decimals: int) -> Decimal:
    return to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: float | int | Decimal, decimals: int = 0) -> str:
    """A figure in Vietnamese format: 7645 → "7.645"; 67.67 with 2 decimals → "67,67". A figure
    with a fraction where the indicator expects none keeps up to two decimals (12,5 triệu đồng)."""
    exact = to_decimal(value)
    if decimals == 0 and exact != exact.to_integral_value():
        for places in (1, 2):
            rounded = round_half_up(exact, places)
            if rounded == exact or places == 2:
                return format_number(rounded, places)
    return format_number(round_half_up(exact, decimals), decimals)


def percent(value: float | int | Decimal, decimals: int = 1) -> str:
    """A share already in percent: 33.239 → "33,2%"; 13.25 → "13,3%" (half up)."""
    return f"{format_number(round_half_up(value, decimals), decimals)}%"


def share(value: float | int | Decimal, target: float | int | Decimal, decimals: int = 1) -> str | None:
    """value / target as a percentage: 192 of 900 → "21,3%"; None without a non-zero target."""
    if not target:
        return None
    return percent(to_decimal(value) * 100 / to_decimal(target), decimals)


def figure(indicator: Indicator, value: float | int | Decimal) -> str:
    """An indicator's figure as another sentence quotes it: rates keep their % ("3,22%")."""
    text = number(value, indicator.decimals)
    return f"{text}%" if indicator.unit_of_measure.strip() == "%" else text


def period_label(period: Period) -> str:
    """The period in Vietnamese, whatever the interface language: `Period.label_vi`."""
    return period.label_vi()


# --- the figures a sentence speaks of ----------------------------------------------------------


@dataclass
class Figures:
    """What one sentence may quote: the figure, its target, parts, last year's figure, others."""

    value: float | Decimal | None
    target: float | Decimal | None = None
    breakdowns: Sequence[tuple[str, float | Decimal]] = field(default_factory=list)  # (breakdown code, value)
    previous: float | Decimal | None = None
    others: Mapping[str, float | Decimal | None] = field(default_factory=dict)  # indicator code → value
    period: Period | None = None
    # Targets as a plan sets them: written as set (80% not "80,0%"; 67,67% stays), not with the
    # indicator's fixed decimals, which are for computed results.
    as_set: bool = False


def breakdowns_text(indicator: Indicator, parts: Iterable[tuple[str, float | Decimal]]) -> str | None:
    """ "nữ 3.899 lao động, dân tộc 2.142 lao động"; countries without the unit ("Đài Loan 61")."""
    dimensions = {str(b["code"]): str(b.get("dimension", "")) for b in indicator.breakdowns}
    uom = indicator.unit_of_measure.strip()
    out = []
    for code, value in parts:
        name = indicator.breakdown_name(code)
        if uom == "%":
            out.append(f"{name} {percent(value, indicator.decimals)}")
        elif dimensions.get(code) == Dimension.DESTINATION or not uom:
            out.append(f"{name} {number(value, indicator.decimals)}")
        else:
            out.append(f"{name} {number(value, indicator.decimals)} {uom}")
    return ", ".join(out) or None


def change_text(indicator: Indicator, value: float | Decimal, previous: float | Decimal) -> str:
    difference = to_decimal(value) - to_decimal(previous)
    rounded = round_half_up(abs(difference), indicator.decimals)
    if rounded == 0:
        return "bằng cùng kỳ"
    word = "tăng" if difference > 0 else "giảm"
    uom = indicator.unit_of_measure.strip()
    amount = number(abs(difference), indicator.decimals)
    unit = "điểm phần trăm" if uom == "%" else uom
    return f"{word} {amount}{' ' + unit if unit else ''} so với cùng kỳ"


def fall_text(indicator: Indicator, value: float | Decimal) -> str:
    """A reduction in words: 116 → "giảm 116 hộ"; -12 → "tăng 12 hộ"; 0.1 (%) → "giảm 0,10%"."""
    exact = to_decimal(value)
    word = "tăng" if exact < 0 else "giảm"
    uom = indicator.unit_of_measure.strip()
    amount = number(abs(exact), indicator.decimals)
    if uom == "%":
        return f"{word} {amount}%"
    return f"{word} {amount}{' ' + uom if uom else ''}"


def _values(indicator: Indicator, figures: Figures, *, percent_decimals: int,
            indicators: Mapping[str, Indicator]) -> dict[str, str | None]:
    value = figures.value
    decimals = 0 if figures.as_set else indicator.decimals  # 0: whole numbers, else as many as set (up to 2)
    out: dict[str, str | None] = {
        "value": number(value, decimals) if value is not None else None,
        "unit": indicator.unit_of_measure,
        "target": number(figures.target, decimals) if figures.target is not None else None,
        "percent": share(value, figures.target, percent_decimals)
        if value is not None and value >= 0 and figures.target is not None else None,
        "fall": fall_text(indicator, value) if value is not None else None,
        "breakdowns": breakdowns_text(indicator, figures.breakdowns),
        "change": change_text(indicator, value, figures.previous)
        if value is not None and figures.previous is not None else None,
        "period": figures.period.label_vi() if figures.period is not None else None,
    }
    for code, other in figures.others.items():
        if code in out:
            continue
        other_indicator = indicators.get(code.split(".")[0])
        out[code] = figure(other_indicator, other) if other is not None and other_indicator is not None else None
    return out


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def render(template: str, indicator: Indicator, figures: Figures, *, percent_decimals: int = 1,
           indicators: Mapping[str, Indicator] | None = None) -> str:
    """The template filled in; optional [[…]] parts without all their values are left out."""
    known = dict(indicators or {})
    known.setdefault(indicator.code, indicator)
    values = _values(indicator, figures, percent_decimals=percent_decimals, indicators=known)

    def fill(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            found = values.get(match.group(1))
            return MISSING if found is None else found

        return _PLACEHOLDER.sub(one, text)

    def optional(match: re.Match[str]) -> str:
        inside = match.group(1)
        if any(values.get(name) is None for name in placeholders(inside)):
            return ""
        return fill(inside)

    return " ".join(fill(_OPTIONAL.sub(optional, template)).split())


def figures_from(results: Results, unit_id: int, code: str, template: str) -> Figures:
    """The figures of one indicator of a unit, with the other indicators the template names."""
    others = {name: results.value(unit_id, *name.split(".", 1)) for name in placeholders(template)
              if name not in FIXED and name.split(".")[0] in results.indicators}
    return Figures(value=results.value(unit_id, code), target=results.target(unit_id, code),
                   breakdowns=results.breakdowns_of(unit_id, code), previous=results.previous_value(unit_id, code),
                   others=others, period=results.period)


def sentence(results: Results, unit_id: int, code: str, template: str, *, percent_decimals: int = 1) -> str | None:
    """The sentence of an indicator for a unit, or None when the unit has no figure for it."""
    if code not in results.indicators or results.value(unit_id, code) is None or not template.strip():
        return None
    figures = figures_from(results, unit_id, code, template)
    return render(template, results.indicators[code], figures, percent_decimals=percent_decimals,
                  indicators=results.indicators)


# --- which template: the catalogue's or a department's own --------------------------------------


def _path_ids(unit: Unit) -> list[int]:
    return [*unit.ancestor_ids(), unit.pk]


def templates_for(unit: Unit, plan: Plan | None = None, codes: Iterable[str] | None = None) -> dict[str, str]:
    """Indicator code → sentence template for `unit`: the catalogue's, or the IndicatorSentence of
    the nearest unit on its path (its own map first, then the current-map units that took it
    over, then the plan's unit and home). One query."""
    indicators = Indicator.objects.all() if codes is None else Indicator.objects.filter(code__in=list(codes))
    out = {code: text for code, text in indicators.values_list("code", "sentence")}
    own = _path_ids(unit)
    others: list[int] = []
    for extra in ([current_home(unit)] + ([plan.unit, plan.home] if plan is not None else [])):
        others += [pk for pk in _path_ids(extra) if pk not in own and pk not in others]
    rows = IndicatorSentence.objects.filter(unit_id__in=own + others, indicator__code__in=list(out)).values_list(
        "indicator__code", "unit_id", "unit__level", "text")
    best: dict[str, tuple[int, int]] = {}
    for code, unit_id, level, text in rows:
        rank = (1 if unit_id in own else 0, level)
        if code not in best or rank > best[code]:
            best[code] = rank
            out[code] = text
    return out


# --- editing a department's sentence ---------------------------------------------------------


def check_template(text: str, known_codes: Iterable[str]) -> list[str]:
    """What is wrong with a template: unbalanced [[ ]], unknown placeholders, stray braces."""
    errors: list[str] = []
    depth = 0
    for token in re.findall(r"\[\[|\]\]", text):
        depth += 1 if token == "[[" else -1
        if depth < 0 or depth > 1:
            break
    if depth != 0:
        errors.append(_("Each optional part opens with [[ and closes with ]], without nesting."))
    codes = set(known_codes)
    unknown = sorted({name for name in placeholders(text) if name not in FIXED and name.split(".")[0] not in codes})
    if unknown:
        errors.append(_("Unknown placeholders: %(names)s.") % {"names": ", ".join("{%s}" % n for n in unknown)})
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        errors.append(_("Braces { } only surround a placeholder such as {value}."))
    return errors


SAMPLE_VALUES = (Decimal(7645), Decimal(3899), Decimal(2142), Decimal(4969), Decimal(1200), Decimal(600))


def sample_figures(indicator: Indicator, template: str, indicators: Mapping[str, Indicator],
                   period: Period | None = None) -> Figures:
    """Made-up figures to preview a template with: 7.645 of 23.000 (up 120), or 67,67% of 70%."""
    rate = indicator.unit_of_measure.strip() == "%"
    value, target, previous = ((Decimal("67.67"), Decimal(70), Decimal("66.5")) if rate
                               else (SAMPLE_VALUES[0], Decimal(23000), Decimal(7525)))
    parts = [(code, (Decimal("12.5") if rate else SAMPLE_VALUES[1 + i % 5]))
             for i, code in enumerate(indicator.breakdown_codes[:3])]
    others: dict[str, float | Decimal | None] = {}
    for name in placeholders(template):
        other = indicators.get(name.split(".")[0])
        if name not in FIXED and other is not None:
            others[name] = Decimal("3.22") if other.unit_of_measure.strip() == "%" else Decimal(9214)
    return Figures(value=value, target=target, breakdowns=parts, previous=previous, others=others,
                   period=period or Period(2020, "quarter", 1))


def preview(indicator: Indicator, template: str, *, percent_decimals: int = 1) -> str:
    indicators = {i.code: i for i in Indicator.objects.all()}
    figures = sample_figures(indicator, template, indicators)
    return render(template, indicator, figures, percent_decimals=percent_decimals, indicators=indicators)


@transaction.atomic
def sentence_save(*, actor: Actor, indicator: Indicator, unit: Unit, text: str) -> IndicatorSentence | None:
    """Sets the department's sentence of `indicator` for `unit` (and the units below it). A blank
    text, or the catalogue's own sentence, removes the department's (back to the catalogue's)."""
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    errors = check_template(text, Indicator.objects.values_list("code", flat=True))
    if errors:
        raise ValidationError({"text": errors})
    existing = IndicatorSentence.objects.select_for_update().filter(indicator=indicator, unit=unit).first()
    home = current_home(unit)
    if not text or text == indicator.sentence.strip():
        if existing is not None:
            before = {"text": existing.text, "unit": unit.pk}
            existing.delete()
            audit.record(actor=actor, action="plans.sentence.reset", obj=indicator, unit=home, before=before,
                         after={"text": indicator.sentence, "unit": unit.pk})
        return None
    before = {"text": existing.text if existing is not None else indicator.sentence, "unit": unit.pk}
    if existing is None:
        existing = IndicatorSentence.objects.create(indicator=indicator, unit=unit, text=text, updated_by=user_of(actor))
    elif existing.text == text:
        return existing
    else:
        existing.text, existing.updated_by = text, user_of(actor)
        existing.save(update_fields=["text", "updated_by", "updated_at"])
    audit.record(actor=actor, action="plans.sentence.save", obj=existing, unit=home, before=before,
                 after={"text": text, "unit": unit.pk})
    return existing
