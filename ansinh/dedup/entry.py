"""The check run when a member or a beneficiary is entered: people of the province who may be the
same person, shown before saving (issue 12 item 4: "a check runs when a member or beneficiary is
entered and warns before saving").

1. Blocking in SQL, in the commune's province, through indexed columns: the same citizen ID
   (unique index), the same birth date (index on birth_date), or the same birth year (a range on
   that index) and the same folded given name (the last word of `search_name`). Two queries: the
   block's ids by those indexes, then those of them in the province.
2. Scoring: the linkage lane's trained model (`ansinh.dedup.linkage.score_with`, the model's
   Bayes factors on the entry check's own prior, `ENTRY_PRIOR`) when it is installed; else a comparison of the name keys (`ansinh.dedup.names.name_keys`), birth dates and
   citizen IDs with fixed weights (log-odds, as a Fellegi–Sunter model does).
3. Pairs already decided with the record being edited are left out (a decision is final).
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from ansinh.geo.models import Unit
from ansinh.households.models import Member

from .models import DuplicatePair
from .names import NameKeys, name_keys


CANDIDATES = 200      # at most this many records are scored (a very common name on a common birth date)
SHOWN_FROM = 0.5      # probability from which a record is shown
# The linkage model's prior is that two random people of a province are one (about 1 in 5 million
# in the demo's trained model); the entry check compares a record with the few people already alike
# on birth date, given name or citizen ID: its prior is 1 in 10,000, and the model's Bayes factors
# are applied to it. A warning then needs a Bayes factor of about 2^13 (the same name and birth
# date in another commune, a family name read two ways: shown; another family name with the same
# given name and birth date: not shown).
ENTRY_PRIOR = 1e-4


@dataclass(frozen=True)
class Similar:
    person_id: int
    name: str
    birth_date: dt.date
    commune: str
    household_id: int
    household_code: str
    probability: float
    reasons: list[str] = field(default_factory=list)
    commune_path: str = ""


def _province_path(commune: Unit) -> str:
    """The path of the commune's province ("/country/province/"), read from the commune's own path."""
    parts = [part for part in commune.path.strip("/").split("/") if part]
    return "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else commune.path


def _digits_apart(a: str, b: str) -> int:
    if len(a) != len(b):
        return 99
    return sum(1 for x, y in zip(a, b, strict=True) if x != y)


def _compare(keys: NameKeys, birth_date: dt.date | None, citizen_id: str,
             other: Member, other_keys: NameKeys) -> tuple[float, list[str]]:
    """Log-odds (bits) that the two are one person, and the reasons in words."""
    weight = -6.0
    reasons: list[str] = []
    if keys.full and keys.full == other_keys.full:
        weight += 8
        reasons.append(_("same full name (ignoring tones)"))
    elif keys.given and keys.given == other_keys.given and keys.family_group == other_keys.family_group:
        middles = {keys.middle, other_keys.middle}
        if keys.middle == other_keys.middle or "" in middles:
            weight += 6
            reasons.append(_("same family and given name, a middle name missing") if "" in middles
                           and len(middles) == 2 else _("same family and given name (Hoàng/Huỳnh, Vũ/Võ read alike)"))
        else:
            weight += 3
            reasons.append(_("same family and given name, another middle name"))
    elif keys.given and keys.given == other_keys.given:
        weight -= 1  # another family name: weak, unless the rest is strong
        reasons.append(_("same given name"))
    else:
        weight -= 4
    if birth_date is not None:
        if birth_date == other.birth_date:
            weight += 6
            reasons.append(_("same date of birth"))
        elif _digits_apart(f"{birth_date:%d%m%Y}", f"{other.birth_date:%d%m%Y}") == 1:
            weight += 3
            reasons.append(_("date of birth one digit apart"))
        elif birth_date.year == other.birth_date.year:
            weight += 0.5
            reasons.append(_("same year of birth"))
        else:
            weight -= 4
    if citizen_id and other.citizen_id:
        apart = _digits_apart(citizen_id, other.citizen_id)
        if apart == 0:
            weight += 14
            reasons.insert(0, _("same citizen ID"))
        elif apart == 1:
            weight += 6
            reasons.insert(0, _("citizen ID one digit apart"))
        else:
            weight -= 8
    return weight, reasons


def _probability(weight: float) -> float:
    return 1.0 / (1.0 + math.pow(2.0, -weight))


def _linkage_scorer() -> Callable[[dict[str, Any], list[dict[str, Any]]], list[tuple[int, float, dict[str, Any]]]] | None:
    """The linkage lane's model scoring one record against candidates, its probabilities moved
    from the model's prior to the entry check's (`ENTRY_PRIOR`); None when not installed."""
    try:
        module = importlib.import_module("ansinh.dedup.linkage")
    except ImportError:
        return None
    active, score_with = getattr(module, "active_model", None), getattr(module, "score_with", None)
    if active is None or score_with is None:
        return None

    def score(record: dict[str, Any], rows: list[dict[str, Any]]) -> list[tuple[int, float, dict[str, Any]]]:
        _model, params = active()
        prior = float(params.get("lambda") or ENTRY_PRIOR)
        shift = _logit2(ENTRY_PRIOR) - _logit2(prior)
        return [(pk, _probability(_logit2(p) + shift), evidence) for pk, p, evidence in score_with(params, record, rows)]

    return score


def _logit2(p: float) -> float:
    p = min(max(p, 1e-15), 1 - 1e-15)
    return math.log2(p / (1 - p))


def _record(pk: int, full_name: str, birth_date: dt.date | None, citizen_id: str, sex: str,
            commune_id: int | None) -> dict[str, Any]:
    """A record as `linkage.score_candidates` takes it (it computes the name keys itself)."""
    return {"id": pk, "full_name": full_name, "birth_date": birth_date, "citizen_id": citizen_id or None,
            "sex": sex or None, "commune": commune_id}


def evidence_in_words(evidence: dict[str, Any]) -> list[str]:
    """A pair's evidence in words, strongest first (the linkage lane's words when installed)."""
    try:
        from .linkage import evidence_words
    except ImportError:
        return []
    return list(evidence_words(evidence))


def candidates(*, keys: NameKeys, birth_date: dt.date | None, citizen_id: str, commune: Unit,
               exclude: int | None = None) -> list[Member]:
    """The blocking query (one query, indexed): see the module's docstring."""
    block = Q()
    if citizen_id:
        block |= Q(citizen_id=citizen_id)
    if birth_date is not None:
        block |= Q(birth_date=birth_date)
        if keys.given:
            block |= Q(birth_date__range=(dt.date(birth_date.year, 1, 1), dt.date(birth_date.year, 12, 31)),
                       search_name__endswith=f" {keys.given}")
    if not block:
        return []
    # Two steps, so that the planner starts from the indexed block (a few rows), not from the
    # province's households (SQLite joins through the commune's path range otherwise, reading the
    # whole province): the block's ids first, then those of them living in the province.
    ids = list(Member.objects.filter(block, died_on__isnull=True, left_on__isnull=True)
               .order_by().values_list("pk", flat=True)[:CANDIDATES * 10])
    if exclude is not None:
        ids = [pk for pk in ids if pk != exclude]
    if not ids:
        return []
    found = (Member.objects.filter(pk__in=ids, household__commune__path__under=_province_path(commune))
             .select_related("household__commune").order_by("pk"))
    return list(found[:CANDIDATES])


def similar_people(*, full_name: str, birth_date: dt.date | None, citizen_id: str | None, commune: Unit,
                   exclude: int | None = None, limit: int = 5, sex: str = "") -> list[Similar]:
    """People of the commune's province who may be the person being entered (most likely first)."""
    keys = name_keys(full_name or "")
    citizen_id = "".join((citizen_id or "").split())
    if not keys.full:
        return []
    found = candidates(keys=keys, birth_date=birth_date, citizen_id=citizen_id, commune=commune, exclude=exclude)
    if exclude is not None and found:
        ids = [m.pk for m in found]
        decided = DuplicatePair.objects.filter(
            Q(left_id=exclude, right_id__in=ids) | Q(right_id=exclude, left_id__in=ids)).exclude(status="open")
        done = {b if a == exclude else a for a, b in decided.values_list("left_id", "right_id")}
        found = [m for m in found if m.pk not in done]
    if not found:
        return []
    other_keys = {m.pk: name_keys(m.full_name) for m in found}
    compared = {m.pk: _compare(keys, birth_date, citizen_id, m, other_keys[m.pk]) for m in found}
    scores = {pk: _probability(weight) for pk, (weight, _reasons) in compared.items()}
    scorer = _linkage_scorer()
    if scorer is not None:
        record = _record(exclude or 0, full_name, birth_date, citizen_id, sex, commune.pk)
        rows = [_record(m.pk, m.full_name, m.birth_date, m.citizen_id or "", m.sex, m.household.commune_id)
                for m in found]
        try:
            scored = scorer(record, rows)
        except Exception:  # noqa: BLE001 - no usable model: the name keys decide
            scored = []
        for pk, probability, evidence in scored:
            if pk in scores:
                scores[pk] = float(probability)
                words = evidence_in_words({k: v for k, v in evidence.items()
                                           if isinstance(v, dict) and v.get("weight", 0) > 0})
                if words:
                    compared[pk] = (compared[pk][0], words)
    shown = [m for m in found if scores[m.pk] >= SHOWN_FROM]
    shown.sort(key=lambda m: (-scores[m.pk], m.pk))
    return [Similar(person_id=m.pk, name=m.full_name, birth_date=m.birth_date, commune=m.household.commune.name,
                    household_id=m.household_id, household_code=m.household.code, probability=scores[m.pk],
                    reasons=compared[m.pk][1], commune_path=m.household.commune.path) for m in shown[:limit]]


__all__ = ["SHOWN_FROM", "Similar", "candidates", "similar_people"]


@dataclass
class EntryCheck:
    """What a form shows before saving: the similar people (those outside the user's units without
    their name, birth date or link: only the commune and why, Decree 13/2023/NĐ-CP) and whether the
    save waits for "Đây là người khác, vẫn lưu"."""

    similar: list[Similar]
    rows: list[dict[str, Any]]
    blocked: bool
    confirmed: bool = False

    def pairs(self) -> list[tuple[int, float]]:
        return [(s.person_id, s.probability) for s in self.similar]


def entry_check(user: Any, *, full_name: str, birth_date: dt.date | None, citizen_id: str | None, commune: Unit,
                exclude: int | None = None, confirmed: bool = False, sex: str = "") -> EntryCheck:
    from ansinh.accounts.access import get_scope

    similar = similar_people(full_name=full_name, birth_date=birth_date, citizen_id=citizen_id, commune=commune,
                             exclude=exclude, sex=sex)
    number = "".join((citizen_id or "").split())
    if number:
        # The same citizen ID is the register's own check (refused on saving, with the household or
        # the province to contact): not a warning to save past.
        taken = set(Member.objects.filter(pk__in=[s.person_id for s in similar], citizen_id=number)
                    .values_list("pk", flat=True))
        similar = [s for s in similar if s.person_id not in taken]
    scope = get_scope(user)
    rows = []
    covered: dict[str, bool] = {}
    for s in similar:
        if s.commune_path not in covered:
            covered[s.commune_path] = scope.covers(Unit(path=s.commune_path))
        rows.append({"similar": s, "visible": covered[s.commune_path], "percent": round(s.probability * 100),
                     "reasons": ", ".join(s.reasons)})
    return EntryCheck(similar=similar, rows=rows, blocked=bool(similar) and not confirmed, confirmed=confirmed)


__all__ += ["EntryCheck", "entry_check"]
