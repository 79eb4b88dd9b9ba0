"""The number filters (`vn.num`, `vn.pct`) write exactly what Django's number_format wrote before
they were made cheap: the same digits, separators and rounding, in Vietnamese and in English."""

from __future__ import annotations

import random
import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.formats import number_format

from ansinh.web.templatetags.vn import num, pct


def reference_num(value: Any, decimals: int = 0) -> str:
    """The filter as it was (Django's number_format after rounding half up)."""
    if value is None or value == "":
        return ""
    try:
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        pass
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


VALUES: list[Any] = [10**28 - 1, 10**28, -(10**29), 
    0, 1, -1, 7, 999, 1000, 7645, -7645, 1234567, 300000, 10**12, -(10**15), 0.0, -0.0, 0.04, -0.04, 0.05, -0.05,
    2 / 3, 21.25, 21.35, 21.345, 99.95, 100.0, 1e-7, 12345.678901, -98765.4321, 1e20, 1e25, 3.0e-5,
    Decimal("0"), Decimal("-0.00"), Decimal("23000.0000"), Decimal("21.3000"), Decimal("0.125"), Decimal("-1234.5"),
    Decimal("1E+3"), Decimal("NaN"), Decimal("Infinity"), float("inf"), float("nan"), "1234", "12.5", "abc", True,
]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_it_writes_what_number_format_wrote(language: str) -> None:
    rng = random.Random(15)
    values = VALUES + [rng.randint(-10**9, 10**9) for _ in range(300)] + [
        rng.uniform(-1e6, 1e6) for _ in range(300)] + [Decimal(rng.randint(-10**8, 10**8)).scaleb(-4) for _ in range(300)]
    with translation.override(language):
        for value in values:
            for decimals in (0, 1, 2, 4, 6, 8):
                try:
                    expected = reference_num(value, decimals)
                except Exception as exc:  # noqa: BLE001 - the same failure is expected
                    with pytest.raises(type(exc)):
                        num(value, decimals)
                    with pytest.raises(type(exc)):
                        pct(value, decimals)
                    continue
                assert num(value, decimals) == expected, (value, decimals)
                assert pct(value, decimals) == f"{expected}%", (value, decimals)


def test_it_writes_vietnamese_separators() -> None:
    with translation.override("vi"):
        assert num(7645) == "7.645"
        assert pct(21.3) == "21,3%"
        assert pct(2 / 3 * 100) == "66,7%"
        assert num(-0.04, 1) == "0,0"
        assert num(1234567.891, 2) == "1.234.567,89"
        assert num(None) == "" and pct(None) == ""
        assert num("") == ""  # type: ignore[arg-type]
    with translation.override("en"):
        assert num(1234567.891, 2) == "1,234,567.89"


def test_it_follows_changed_format_settings() -> None:
    with translation.override("en"), override_settings(FORMAT_MODULE_PATH=None):
        # Django's own English formats group by three with "," and write "." for decimals
        assert num(1234.5, 1) == reference_num(1234.5, 1)


def test_it_reads_the_formats_once_per_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """A figures page's 4,300 numbers read the language's separators once, and none goes through
    number_format (three format look-ups and a digit-by-digit loop per number): counted, not timed,
    so that a busy machine cannot fail it."""
    from ansinh.web.templatetags import vn

    calls = {"get_format": 0, "number_format": 0}
    real_get_format, real_number_format = vn.get_format, vn.number_format

    def counted_get_format(*args: Any, **kwargs: Any) -> Any:
        calls["get_format"] += 1
        return real_get_format(*args, **kwargs)

    def counted_number_format(*args: Any, **kwargs: Any) -> Any:
        calls["number_format"] += 1
        return real_number_format(*args, **kwargs)

    monkeypatch.setattr(vn, "get_format", counted_get_format)
    monkeypatch.setattr(vn, "number_format", counted_number_format)
    vn._SEPARATORS.clear()
    rng = random.Random(1)
    with translation.override("vi"):
        for _ in range(2150):
            value = rng.randint(0, 10**6)
            assert num(value) == reference_num(value)
            assert pct(value / 7) == f"{reference_num(value / 7, 1)}%"
    assert calls == {"get_format": 3, "number_format": 0}


def test_it_is_cheaper_than_number_format() -> None:
    """The same numbers cost less than through number_format (the best of five runs of each,
    interleaved, so that a busy machine slows both alike)."""
    rng = random.Random(1)
    values = [rng.randint(0, 10**6) for _ in range(4300)]

    def timed(fn: Any) -> float:
        started = time.perf_counter()
        for value in values:
            fn(value, 0)
        return time.perf_counter() - started

    with translation.override("vi"):
        runs = [(timed(reference_num), timed(num)) for _ in range(5)]
    before, after = min(r[0] for r in runs), min(r[1] for r in runs)
    assert after < before, (before, after)
