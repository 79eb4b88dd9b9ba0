"""Numbers in the active language's format: in Vietnamese 7.645 and 21,3%."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value: int | float | Decimal | None, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    # Django's number_format cuts the extra decimals off (2/3 -> "66,6%"); round half up first.
    try:
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        pass
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def pct(value: int | float | Decimal | None, decimals: int = 1) -> str:
    if value is None or value == "":
        return ""
    return f"{num(value, decimals)}%"
