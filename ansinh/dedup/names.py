"""Vietnamese names as matching keys, the same for every engine (DuckDB, Spark, the entry check).

A full name is written family – middle – given ("Nguyễn Thị Ngọc Anh"): the family name is the
first word, the given name (tên) the last, the middle names (tên đệm) the words between (none or
several). Keys are folded (`ansinh.lib.vietnamese.fold`: NFC/NFD alike, tones removed, đ → d,
which DuckDB's `strip_accents` does not do). `family_group` merges the family names that are one
name read two ways (Hoàng/Huỳnh, Vũ/Võ: one Chinese character each); the list is data
(`FAMILY_GROUPS`). Ethnic-minority names that do not follow the order (Ê Đê "Y/H + given +
family") are still compared on the whole folded name, which every comparison keeps.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ansinh.lib.vietnamese import fold

# Family names that are one name in two readings (regional or orthographic variants).
FAMILY_GROUPS: dict[str, str] = {
    "huynh": "hoang",
    "vo": "vu",
}


@dataclass(frozen=True)
class NameKeys:
    full: str          # the whole name folded: "nguyen thi ngoc anh"
    family: str        # "nguyen"
    middle: str        # "thi ngoc" ("" if none)
    given: str         # "anh"
    family_group: str  # "hoang" for Hoàng and Huỳnh
    given_toned: str   # the given name lower-cased with its tones (NFC): "anh"


def name_keys(full_name: str) -> NameKeys:
    folded = fold(full_name)
    words = folded.split()
    toned = unicodedata.normalize("NFC", " ".join(full_name.split()).lower()).split()
    if not words:
        return NameKeys("", "", "", "", "", "")
    family = words[0]
    given = words[-1] if len(words) > 1 else ""
    middle = " ".join(words[1:-1])
    return NameKeys(full=folded, family=family, middle=middle, given=given,
                    family_group=FAMILY_GROUPS.get(family, family), given_toned=toned[-1] if len(toned) > 1 else "")
