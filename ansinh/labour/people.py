"""Matching the people of a labour file to the household register (shared by every labour import).

Each labour record is tied to a person of the register where she lives in the province, so her
sex, ethnicity, age and commune are read from the register, never typed. A file names her by
citizen ID (with her name and birth date, which must agree with the register's):

1. check each ID's form (12 digits, or 9 for an old identity card);
2. read the members with those IDs in the province's households (current map), one query per
   1.000 IDs, with their household's commune;
3. per row: an ID not in the province's register, a member who died or left her household, a name
   (compared without accents) or a birth date that differs from the register's, is an error in
   Vietnamese; otherwise a `Match`.

Set-based throughout: the import of 50.000 rows makes 50 queries here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from ansinh.geo.models import Unit
from ansinh.households.models import Member
from ansinh.lib.parsing import message
from ansinh.lib.vietnamese import fold

CHUNK = 1_000  # IDs per IN (...) query


@dataclass(frozen=True)
class Match:
    person_id: int
    commune_id: int  # her household's commune (current map)


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def clean_citizen_id(value: Any) -> str:
    """A citizen ID as typed ("084 150 006 789", "084.150.006.789") → its digits, "" when blank."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value))
        return digits.zfill(12) if 9 < len(digits) < 12 else digits
    return "".join(str(value).split()).replace(".", "").replace("-", "")


def citizen_id_error(citizen_id: str) -> str | None:
    """Why an ID is malformed (None when it has the form of a CCCD of 12 digits or a CMND of 9)."""
    if not citizen_id:
        return message(gettext_noop("The citizen ID is empty."))
    if not citizen_id.isdigit() or len(citizen_id) not in (9, 12):
        return message(gettext_noop("The citizen ID “%(number)s” is not valid: 12 digits (or 9 for an old identity "
                                    "card) are needed."), number=citizen_id)
    return None


def match_people(rows: Sequence[tuple[str, str, dt.date | None]],
                 province: Unit) -> tuple[dict[int, Match], dict[int, str]]:
    """rows: (citizen_id, full_name, birth_date) per file row index 0..n-1. Matches by citizen ID
    among the living members (not left) of households in `province` (current map), one query per
    1.000 IDs. Returns ({row index: Match}, {row index: Vietnamese error}); a row is in exactly one
    of the two. An empty name or birth date is not compared."""
    errors: dict[int, str] = {}
    wanted: dict[int, str] = {}
    for index, (raw_id, _, _) in enumerate(rows):
        citizen_id = clean_citizen_id(raw_id)
        problem = citizen_id_error(citizen_id)
        if problem is not None:
            errors[index] = problem
        else:
            wanted[index] = citizen_id
    found: dict[str, tuple[int, int, str, dt.date, dt.date | None, dt.date | None, str]] = {}
    ids = sorted(set(wanted.values()))
    members = Member.objects.filter(household__commune__path__under=province.path)
    for chunk in _chunks(ids):
        for row in members.filter(citizen_id__in=chunk).values_list(
                "citizen_id", "pk", "household__commune_id", "search_name", "birth_date", "died_on", "left_on",
                "full_name"):
            found[row[0] or ""] = row[1:]
    matches: dict[int, Match] = {}
    for index, citizen_id in wanted.items():
        _, full_name, given_birth = rows[index]
        member = found.get(citizen_id)
        if member is None:
            errors[index] = message(gettext_noop("The citizen ID %(number)s is not in the province's household "
                                                 "register: register the person in the household register first."),
                                    number=citizen_id)
            continue
        pk, commune_id, search_name, born, died_on, left_on, registered_name = member
        if died_on is not None:
            errors[index] = message(gettext_noop("%(name)s (citizen ID %(number)s) died on %(date)s according to the "
                                                 "household register."), name=registered_name, number=citizen_id,
                                    date=f"{died_on:%d/%m/%Y}")
        elif left_on is not None:
            errors[index] = message(gettext_noop("%(name)s (citizen ID %(number)s) left her household on %(date)s "
                                                 "according to the household register."), name=registered_name,
                                    number=citizen_id, date=f"{left_on:%d/%m/%Y}")
        elif full_name and str(full_name).strip() and fold(str(full_name)) != search_name:
            errors[index] = message(gettext_noop("The name “%(given)s” differs from the household register's for "
                                                 "citizen ID %(number)s (%(name)s)."), given=str(full_name).strip(),
                                    number=citizen_id, name=registered_name)
        elif given_birth is not None and _as_date(given_birth) != born:
            errors[index] = message(gettext_noop("The date of birth %(given)s differs from the household register's "
                                                 "for citizen ID %(number)s (%(born)s)."),
                                    given=f"{_as_date(given_birth):%d/%m/%Y}", number=citizen_id,
                                    born=f"{born:%d/%m/%Y}")
        else:
            matches[index] = Match(person_id=pk, commune_id=commune_id)
    return matches, errors


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def person_commune_ids(person_ids: Iterable[int]) -> dict[int, int]:
    """Person id → her household's commune id, one query per 1.000 people."""
    out: dict[int, int] = {}
    ids = sorted(set(person_ids))
    for chunk in _chunks(ids):
        out.update(Member.objects.filter(pk__in=chunk).values_list("pk", "household__commune_id"))
    return out


__all__ = ["Match", "citizen_id_error", "clean_citizen_id", "match_people", "person_commune_ids"]
