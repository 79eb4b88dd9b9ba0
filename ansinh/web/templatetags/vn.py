"""Numbers in the active language's format: in Vietnamese 7.645 and 21,3%.

A figures page writes thousands of numbers (a province's table of 124 communes × 17 columns), so
`num` formats with Python's own grouping and swaps in the language's separators, read once per
language, rather than going through `django.utils.formats.number_format` (three format look-ups
and a digit-by-digit loop per number). The output is number_format's, digit for digit; anything
unusual (a grouping other than 3, a non-finite or huge value, text) still goes through it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

register = template.Library()

# language → (decimal separator, thousands separator), or None when the language groups digits
# other than by three (Python's "," format could not write it)
_SEPARATORS: dict[str | None, tuple[str, str] | None] = {}
_STEPS = {n: Decimal(1).scaleb(-n) for n in range(7)}  # 1, 0.1, 0.01, …: the quantum of n decimals
LARGE = 10**28  # integers within a Decimal's precision (beyond it number_format writes them)
MAX_DIGITS = 30  # longer numbers go through number_format (which switches to scientific notation past 200)


@receiver(setting_changed)
def _forget_separators(**kwargs: Any) -> None:
    """A test overriding the formats' settings gets its own separators."""
    _SEPARATORS.clear()


def _separators(lang: str | None) -> tuple[str, str] | None:
    try:
        return _SEPARATORS[lang]
    except KeyError:
        pass
    grouping = get_format("NUMBER_GROUPING", lang, use_l10n=True)
    found = (str(get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)),
             str(get_format("THOUSAND_SEPARATOR", lang, use_l10n=True))) if grouping == 3 else None
    _SEPARATORS[lang] = found
    return found


@register.filter
def num(value: int | float | Decimal | None, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    if type(value) is int and decimals == 0 and -LARGE < value < LARGE:  # a count: most of a figures page
        separators = _separators(get_language())
        if separators is not None:
            return _localised(f"{value:,}", separators)
    # Django's number_format cuts the extra decimals off (2/3 -> "66,6%"); round half up first.
    try:
        step = _STEPS.get(decimals) if type(decimals) is int else None
        if step is None:
            value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
            return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
        number = Decimal(value) if type(value) is int else Decimal(str(value))
        number = number.quantize(step, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    separators = _separators(get_language())
    if separators is None or not number.is_finite() or len(number.as_tuple().digits) > MAX_DIGITS:
        return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if not number:
        number = Decimal(0)  # as number_format: -0,0 is written 0,0
    return _localised(f"{number:,.{decimals}f}", separators)


def _localised(text: str, separators: tuple[str, str]) -> str:
    """Python's "1,234.5" with the language's separators."""
    decimal_sep, thousand_sep = separators
    if decimal_sep == "." and thousand_sep == ",":
        return text
    if "." not in text:
        return text.replace(",", thousand_sep)
    return text.replace(",", "\x00").replace(".", decimal_sep).replace("\x00", thousand_sep)


@register.filter
def pct(value: int | float | Decimal | None, decimals: int = 1) -> str:
    if value is None or value == "":
        return ""
    return f"{num(value, decimals)}%"
