"""Amounts in words, as Vietnamese accounting vouchers write them ("Bằng chữ: …").

The Law on Accounting 88/2015/QH13 Art. 16(1) wants the total of a voucher that pays money
"ghi bằng số và bằng chữ". num2words reads Vietnamese wrongly for this use (it drops "không
trăm" inside a number: 2.055.000 → "hai triệu năm mươi lăm nghìn"), so the rules are here:

- digits: không, một, hai, ba, bốn, năm, sáu, bảy, tám, chín; 10 "mười", 20–90 "hai mươi" …;
- "mốt" for a 1 after a tens digit of 2 or more (21 "hai mươi mốt"; 11 "mười một");
- "lăm" for a 5 after any tens digit (15 "mười lăm", 25 "hai mươi lăm"; 105 "một trăm linh năm");
- "tư" for a 4 after a tens digit of 2 or more (24 "hai mươi tư"; 14 "mười bốn");
- "linh" for a zero tens digit before a unit inside hundreds (105 "một trăm linh năm");
- the groups nghìn, triệu, tỷ; past a thousand billion the groups repeat ("nghìn tỷ", "triệu tỷ");
- a group after the first is read with its hundreds even when they are zero (2.055.000 "hai
  triệu không trăm năm mươi lăm nghìn"); a group that is wholly zero is left out
  (5.000.300 "năm triệu ba trăm");
- the sentence begins with a capital; `amount_in_words` ends with "đồng"; negatives "Âm …".
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")  # then tỷ, with the groups read again before it


def _tens_units(tens: int, units: int, *, inside: bool) -> list[str]:
    """The words of the last two digits of a group; `inside`: hundreds (or a higher group) come
    before, so a zero tens digit with a unit is read "linh"."""
    words: list[str] = []
    if tens == 0:
        if units == 0:
            return words
        if inside:
            words.append("linh")
        words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units == 4 and tens >= 2:
        words.append("tư")
    else:
        words.append(DIGITS[units])
    return words


def _group(value: int, *, full: bool) -> list[str]:
    """0–999; `full`: a group after the first, read with its hundreds even when zero."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_units(tens, units, inside=bool(hundreds) or full)
    return words


def _below_billion(value: int, *, leading: bool) -> list[str]:
    """0 < value < 10⁹; `leading`: the first (most significant) part of the whole number."""
    parts = []
    rest = value
    for _ in range(3):
        rest, group = divmod(rest, 1000)
        parts.append(group)
    words: list[str] = []
    started = not leading
    for index in (2, 1, 0):
        group = parts[index]
        if group == 0:
            continue
        words += _group(group, full=started)
        if GROUPS[index]:
            words.append(GROUPS[index])
        started = True
    return words


def _words(value: int, *, leading: bool = True) -> list[str]:
    if value < 1_000_000_000:
        return _below_billion(value, leading=leading)
    billions, rest = divmod(value, 1_000_000_000)
    words = _words(billions, leading=leading) + ["tỷ"]
    if rest:
        words += _below_billion(rest, leading=False)
    return words


def number_in_words(n: int) -> str:
    """A whole number in Vietnamese words, capitalised: 105 → "Một trăm linh năm"."""
    if isinstance(n, bool) or int(n) != n:
        raise ValueError(f"a whole number is needed: {n!r}")
    n = int(n)
    if n == 0:
        text = DIGITS[0]
    else:
        text = " ".join(_words(abs(n)))
        if n < 0:
            text = "âm " + text
    return text[:1].upper() + text[1:]


def amount_in_words(n: int) -> str:
    """An amount of đồng in words: 7.645.000 → "Bảy triệu sáu trăm bốn mươi lăm nghìn đồng"."""
    return f"{number_in_words(n)} đồng"


__all__ = ["amount_in_words", "number_in_words"]
