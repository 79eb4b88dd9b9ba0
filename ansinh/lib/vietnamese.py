"""Vietnamese text and numbers: accent-insensitive folding, collation keys, number format.

Python's and the databases' default orderings put "Đ" after "Z" and mix tones; Vietnamese
dictionaries order by letter (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y) and
then by tone. `sort_key` encodes that order as a plain ASCII string, so an indexed column of it
sorts correctly on SQLite and PostgreSQL alike, whatever the database collation.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Tone order of Vietnamese dictionaries: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
MODIFIERS = {"\u0306": "ă", "\u0302": "^", "\u031b": "+"}
_WITH_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_WITH_HORN = {"o": "ơ", "u": "ư"}


def fold(text: str) -> str:
    """Lower-case, without diacritics, đ as d, spaces collapsed: "Trà  Cú" -> "tra cu"."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def _letters(text: str) -> list[tuple[str, int]]:
    """Splits text into (base letter with its vowel modifiers, tone) pairs."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in TONES:
            if out:
                letter, _ = out[-1]
                out[-1] = (letter, TONES[ch])
            continue
        if ch in MODIFIERS and out:
            letter, tone = out[-1]
            if ch == "\u0306" and letter == "a":
                letter = "ă"
            elif ch == "\u0302":
                letter = _WITH_CIRCUMFLEX.get(letter, letter)
            elif ch == "\u031b":
                letter = _WITH_HORN.get(letter, letter)
            out[-1] = (letter, tone)
            continue
        if unicodedata.combining(ch):
            continue
        out.append((ch, 0))
    return out


def _encode(letter: str) -> str:
    """A three-digit token; every token starts with 1-4 so that "0" can end the primary key."""
    index = ALPHABET.find(letter)
    if index >= 0:
        return f"2{index:02d}"
    if letter.isspace():
        return "100"  # a space sorts before any letter or digit: "An" < "An Bình" < "Anh"
    if letter.isdigit():
        return f"11{letter}"
    if letter.isalpha():  # f, j, w, z and letters of other scripts, after the Vietnamese alphabet
        return f"3{ord(letter) % 100:02d}"
    return "101"  # punctuation


def sort_key(text: str) -> str:
    """An ASCII key whose plain ordering is Vietnamese dictionary order (letters, then tones)."""
    pairs = _letters(" ".join(text.split()))
    primary = "".join(_encode(letter) for letter, _ in pairs)
    tones = "".join(str(tone) for _, tone in pairs)
    return f"{primary}0{tones}"[:250]


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """7645 -> "7.645"; 13747.5 with decimals=1 -> "13.747,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(value: int | float | Decimal, decimals: int = 1) -> str:
    """21.3 -> "21,3%" (value already in percent)."""
    return f"{format_number(value, decimals)}%"
