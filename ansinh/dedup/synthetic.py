"""Synthetic people with planted duplicates: the bench's data, and the variants the demo plants.

A planted duplicate is the same person entered again by another office, as it happens in
practice:
- the name with a variant: typed without tones, one tone changed, a one-letter typo in the given
  name, the middle name left out, the other reading of the family name (Hoàng/Huỳnh, Vũ/Võ),
  D typed for Đ, or unchanged; and, independently, decomposed Unicode (NFD, another keyboard);
- the birth date: day and month swapped, 01/01 of the year (only the year was known), one digit
  off, or unchanged;
- the citizen ID: left out, one digit mistyped, or unchanged;
- mostly in another commune.

`variant_of` makes one such variant of a record (the demo calls it on real members);
`generate` makes a whole population (the bench: one million records in a few seconds, straight
into Arrow, not through the database). Citizen IDs of different people are distinct, as real ones
are (a 12-digit number per the CCCD layout: province, century and sex, year, serial).

Names come from the demo's Kinh name frequencies (`ansinh.households.demo.NAME_STYLES`).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

FAMILY_VARIANTS = {"Hoàng": "Huỳnh", "Huỳnh": "Hoàng", "Vũ": "Võ", "Võ": "Vũ"}
TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
EPOCH = dt.date(1930, 1, 1)
YEARS = 95  # birth dates 1930–2024


@dataclass
class Variant:
    full_name: str
    birth_date: dt.date
    citizen_id: str | None
    kinds: list[str] = field(default_factory=list)


def strip_tones(text: str) -> str:
    """"Nguyễn Đức" -> "Nguyen Duc" (what a keyboard without Vietnamese input gives)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def change_tone(word: str, rnd: random.Random) -> str:
    """Another tone on the word (or one added when it has none): "Hương" -> "Hướng"."""
    decomposed = unicodedata.normalize("NFD", word)
    marks = [i for i, ch in enumerate(decomposed) if ch in TONE_MARKS]
    if marks:
        i = marks[0]
        decomposed = decomposed[:i] + rnd.choice([t for t in TONE_MARKS if t != decomposed[i]]) + decomposed[i + 1:]
    else:
        for i, ch in enumerate(decomposed):
            if ch.lower() in "aeiouy":
                decomposed = decomposed[:i + 1] + rnd.choice(TONE_MARKS) + decomposed[i + 1:]
                break
    return unicodedata.normalize("NFC", decomposed)


def typo(word: str, rnd: random.Random) -> str:
    """One letter deleted, inserted or replaced (never the first)."""
    if len(word) < 3:
        return word + "h"
    i = rnd.randrange(1, len(word))
    op = rnd.random()
    if op < 0.4:
        return word[:i] + word[i + 1:]
    if op < 0.7:
        return word[:i] + rnd.choice("nhgtc") + word[i:]
    return word[:i] + rnd.choice("nhgtcu") + word[i + 1:]


def mistype_id(citizen_id: str, rnd: random.Random) -> str:
    """One digit of the serial part (the last six) typed wrong."""
    i = rnd.randrange(6, 12)
    return citizen_id[:i] + rnd.choice([d for d in "0123456789" if d != citizen_id[i]]) + citizen_id[i + 1:]


def _name_variant(full_name: str, rnd: random.Random, kinds: list[str]) -> str:
    words = full_name.split()
    if len(words) < 2:
        return full_name
    family, middle, given = words[0], words[1:-1], words[-1]
    r = rnd.random()
    if r < 0.30:
        family, middle, given = strip_tones(family), [strip_tones(w) for w in middle], strip_tones(given)
        kinds.append("no_tones")
    elif r < 0.45:
        given = change_tone(given, rnd)
        kinds.append("tone")
    elif r < 0.60:
        given = typo(given, rnd)
        kinds.append("typo")
    elif r < 0.68 and middle:
        middle = []
        kinds.append("no_middle")
    elif r < 0.74 and family in FAMILY_VARIANTS:
        family = FAMILY_VARIANTS[family]
        kinds.append("family_variant")
    elif r < 0.80 and ("Đ" in family or "đ" in given or "Đ" in given):
        family = family.replace("Đ", "D")
        given = given.replace("đ", "d").replace("Đ", "D")
        kinds.append("d_for_đ")
    else:
        kinds.append("same_name")
    text = " ".join([family, *middle, given])
    if rnd.random() < 0.10:
        text = unicodedata.normalize("NFD", text)
        kinds.append("nfd")
    return text


def _date_variant(day: dt.date, rnd: random.Random, kinds: list[str]) -> dt.date:
    r = rnd.random()
    if r < 0.10 and day.day <= 12 and day.day != day.month:
        kinds.append("dob_swap")
        return day.replace(month=day.day, day=day.month)
    if r < 0.15 and (day.month, day.day) != (1, 1):
        kinds.append("dob_year_only")
        return day.replace(month=1, day=1)
    if r < 0.20:
        kinds.append("dob_typo")
        return day + dt.timedelta(days=rnd.choice([-1, 1, 10, -10]))
    return day


def variant_of(full_name: str, birth_date: dt.date, citizen_id: str | None, rnd: random.Random, *,
               id_missing: float = 0.35, id_mistyped: float = 0.25) -> Variant:
    """The same person as another office might enter her (see the module's docstring)."""
    kinds: list[str] = []
    name = _name_variant(full_name, rnd, kinds)
    day = _date_variant(birth_date, rnd, kinds)
    r = rnd.random()
    cid = citizen_id
    if r < id_missing:
        cid = None
        kinds.append("id_missing")
    elif r < id_missing + id_mistyped and citizen_id and len(citizen_id) == 12:
        cid = mistype_id(citizen_id, rnd)
        kinds.append("id_mistyped")
    return Variant(full_name=name, birth_date=day, citizen_id=cid, kinds=kinds)


def _weights(pairs: tuple[tuple[str, float], ...]) -> tuple[list[str], np.ndarray]:
    names = [name for name, _ in pairs]
    w = np.array([weight for _, weight in pairs], dtype=float)
    return names, w / w.sum()


def _zipf(names: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
    w = np.array([1 / (i + 3) for i in range(len(names))], dtype=float)
    return list(names), w / w.sum()


def commune_codes(count: int) -> list[str]:
    return [f"{26000 + 3 * i:05d}" for i in range(count)]


def generate(n: int, *, dup_rate: float = 0.02, seed: int = 12, communes: int | None = None,
             missing_ids: float = 0.15) -> pa.Table:
    """`n` person records, of which about `dup_rate` are planted duplicates of others.

    Columns: `unique_id` (0…n−1, shuffled), `person_id` (the truth: one per real person),
    `full_name`, `sex` ("male"/"female"), `birth_date` (date), `citizen_id` (or null), `commune`
    (a code; about 30,000 people per commune, as after the 2025 merger), `kind` ("original", or
    the duplicate's variants joined by "+").
    """
    from ansinh.households.demo import NAME_STYLES

    style = NAME_STYLES["kinh_north"]
    south = NAME_STYLES["kinh_south"]
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    n_orig = int(round(n / (1 + dup_rate)))
    n_dup = n - n_orig
    communes = communes or max(2, n // 30_000)
    codes = commune_codes(communes)

    fam_pairs = tuple({name: w for name, w in (*style.family, *south.family)}.items())
    families, fam_w = _weights(fam_pairs)
    mid_m, mid_m_w = _weights(style.middle_male)
    mid_f, mid_f_w = _weights(style.middle_female)
    giv_m, giv_m_w = _zipf(tuple(g for g in style.given_male if " " not in g))
    giv_f, giv_f_w = _zipf(tuple(g for g in style.given_female if " " not in g))

    male = rng.random(n_orig) < 0.5
    fam = rng.choice(len(families), n_orig, p=fam_w)
    mm = rng.choice(len(mid_m), n_orig, p=mid_m_w)
    mf = rng.choice(len(mid_f), n_orig, p=mid_f_w)
    gm = rng.choice(len(giv_m), n_orig, p=giv_m_w)
    gf = rng.choice(len(giv_f), n_orig, p=giv_f_w)
    days = rng.integers(0, YEARS * 365, n_orig)
    com = rng.integers(0, communes, n_orig)
    prov = np.where(rng.random(n_orig) < 0.8, 1, rng.integers(2, 97, n_orig))
    serial = rng.permutation(max(n_orig, 1_000_000))[:n_orig] % 1_000_000
    has_id = rng.random(n_orig) >= missing_ids

    # The originals, vectorised (object arrays of str: one C loop per column, a million in a second).
    def words(values: list[str], trailing: bool = False) -> np.ndarray:
        return np.array([(v + " " if v else "") if trailing else v for v in values], dtype=object)

    first = words(families)[fam] + " "
    middle = np.where(male, words(mid_m, True)[mm], words(mid_f, True)[mf])
    given = np.where(male, words(giv_m)[gm], words(giv_f)[gf])
    names: list[str] = (first + middle + given).tolist()
    birth64 = np.datetime64(EPOCH.isoformat(), "D") + days.astype("timedelta64[D]")
    years = birth64.astype("datetime64[Y]").astype(int) + 1970
    century = np.where(years < 2000, 0, 2) + np.where(male, 0, 1)
    numbers = prov.astype(np.int64) * 10**9 + century * 10**8 + (years % 100) * 10**6 + serial
    id_text = np.char.zfill(numbers.astype(str), 12).astype(object)
    ids: list[str | None] = np.where(has_id, id_text, np.array([None], dtype=object)).tolist()
    births: list[dt.date] = birth64.astype(object).tolist()
    sexes: list[str] = np.where(male, "male", "female").astype(object).tolist()
    person = list(range(n_orig))
    commune = [codes[c] for c in com.tolist()]
    kind = ["original"] * n_orig

    for p in rng.choice(n_orig, n_dup, replace=False).tolist() if n_dup else []:
        v = variant_of(names[p], births[p], ids[p], rnd)
        where = commune[p]
        if rnd.random() < 0.7 and communes > 1:
            where = rnd.choice([c for c in codes if c != commune[p]] if communes < 50 else codes)
            v.kinds.append("other_commune")
        names.append(v.full_name)
        births.append(v.birth_date)
        ids.append(v.citizen_id)
        sexes.append(sexes[p])
        person.append(p)
        commune.append(where)
        kind.append("+".join(v.kinds))

    order = rng.permutation(len(names))
    uid = np.empty(len(names), dtype=np.int64)
    uid[order] = np.arange(len(names), dtype=np.int64)
    return pa.table({
        "unique_id": pa.array(uid),
        "person_id": pa.array(person, type=pa.int64()),
        "full_name": pa.array(names, type=pa.string()),
        "sex": pa.array(sexes, type=pa.string()),
        "birth_date": pa.array(births, type=pa.date32()),
        "citizen_id": pa.array(ids, type=pa.string()),
        "commune": pa.array(commune, type=pa.string()),
        "kind": pa.array(kind, type=pa.string()),
    }).sort_by("unique_id")


def true_pairs(table: pa.Table) -> set[tuple[int, int]]:
    """The planted pairs (lower id first): records of one `person_id`."""
    by_person: dict[int, list[int]] = {}
    for uid, pid in zip(table.column("unique_id").to_pylist(), table.column("person_id").to_pylist(), strict=True):
        by_person.setdefault(pid, []).append(uid)
    out: set[tuple[int, int]] = set()
    for uids in by_person.values():
        uids.sort()
        out.update((a, b) for i, a in enumerate(uids) for b in uids[i + 1:])
    return out
