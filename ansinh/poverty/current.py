"""Each household's current poverty status, stored on the household (`Household.poverty_status`).

The current status is the household's assessment in the latest review round that assessed it,
rounds ordered by reference date, then id (a periodic round of year Y is taken on 14 Dec Y, a
regular one on its month's last day). Lists filter and count households by it through the index
(commune, status, poverty_status); looking up each household's latest assessment instead (a
correlated subquery) cost 1–2 s for a province of 300,000 households.

The copy is kept right by the services that write assessments, in their transaction: only
`services.review_round_run` does, batch by batch (it replaces a batch of communes' assessments of
one round). Household merges and splits do not touch assessments: a merged household keeps its
status, a household split off has none until a round assesses it. The work is set-based and
writes only the households whose status changes:

- `round_held` (before a batch's old assessments are deleted): whether the round had assessed
  households of the batch already (a re-run), and which ones for a regular round (a few).
- `statuses_refresh` (after the batch's insert):
  1. Fast path, one `UPDATE … FROM` over this round's new assessments of the batch: a household
     assessed now takes this round's status, unless a newer round assessed it too (then it keeps
     the newer one's: an older round re-run after a newer one changes nothing for it); the
     newer-round check is added only when some newer round assessed households of the batch.
  2. Only on a re-run: a household the round assessed before but no longer (dissolved, merged,
     no longer surveyed in the month) takes its latest remaining assessment's status, or none
     (the general recompute, a correlated subquery over those few households).
Databases whose assessments were written before the copy existed are filled by the migration
`poverty.0004_household_poverty_status_backfill` (a window function over all assessments).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from ansinh.households.models import Household

from .models import Assessment, ReviewRound, RoundKind

HOUSEHOLDS = Household._meta.db_table
ASSESSMENTS = Assessment._meta.db_table
ROUNDS = ReviewRound._meta.db_table


@dataclass(frozen=True)
class Held:
    """What a round held for a batch of communes before the batch is classified again."""

    any: bool
    # A regular (monthly) round's households, a few: those to look at if no longer assessed.
    # None for a periodic round, which assesses every active household: those no longer assessed
    # are found after the run instead (households of the batch with a status but no assessment).
    households: list[int] | None = None


def round_held(*, round_: ReviewRound, commune_ids: list[int]) -> Held:
    """Called before the batch's assessments of the round are deleted (one indexed query)."""
    found = Assessment.objects.filter(round=round_, commune_id__in=commune_ids)
    if round_.kind == RoundKind.REGULAR:
        ids = list(found.values_list("household_id", flat=True))
        return Held(any=bool(ids), households=ids)
    return Held(any=found.exists())


def _newer_rounds(round_: ReviewRound) -> Q:
    """Rounds after this one in the order that decides the current status."""
    return Q(reference_date__gt=round_.reference_date) | Q(reference_date=round_.reference_date, pk__gt=round_.pk)


def _latest_status() -> Coalesce:
    """A household's latest status (the general rule, per household: only for a few)."""
    latest = (Assessment.objects.filter(household=OuterRef("pk")).order_by("-round__reference_date", "-round_id")
              .values("status")[:1])
    return Coalesce(Subquery(latest), Value(""))


def statuses_refresh(*, round_: ReviewRound, commune_ids: list[int], held: Held) -> int:
    """Brings the stored status of the batch's households up to date after the round's new
    assessments of these communes are inserted; returns how many households changed."""
    if not commune_ids:
        return 0
    marks = ", ".join(["%s"] * len(commune_ids))
    newer = Assessment.objects.filter(round__in=ReviewRound.objects.filter(_newer_rounds(round_)),
                                      commune_id__in=commune_ids).exists()
    sql = (f"UPDATE {HOUSEHOLDS} AS h SET poverty_status = a.status FROM {ASSESSMENTS} AS a "
           f"WHERE a.round_id = %s AND a.commune_id IN ({marks}) AND h.id = a.household_id "
           f"AND h.poverty_status <> a.status")
    params: list[Any] = [round_.pk, *commune_ids]
    if newer:
        sql += (f" AND NOT EXISTS (SELECT 1 FROM {ASSESSMENTS} n JOIN {ROUNDS} r ON r.id = n.round_id "
                f"WHERE n.household_id = h.id AND (r.reference_date > %s OR (r.reference_date = %s AND r.id > %s)))")
        params += [round_.reference_date, round_.reference_date, round_.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = max(cursor.rowcount, 0)
    if held.any:
        in_round = Assessment.objects.filter(round=round_, household=OuterRef("pk"))
        if held.households is None:
            lost = Household.objects.filter(commune_id__in=commune_ids).exclude(poverty_status="")
        else:
            lost = Household.objects.filter(pk__in=held.households)
        changed += lost.exclude(Exists(in_round)).update(poverty_status=_latest_status())
    return changed
