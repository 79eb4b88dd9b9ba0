"""Each household's current poverty status, stored (`models.CurrentStatus`, one narrow row per
assessed household).

The current status is the household's assessment in the latest review round that assessed it,
rounds ordered by reference date, then id (a periodic round of year Y is taken on 14 Dec Y, a
regular one on its month's last day). Lists filter and count households by it through an index;
looking up each household's latest assessment instead (a correlated subquery) cost 1–2 s for a
province of 300,000 households.

The copy is kept right by the services that write assessments, in their transaction: only
`services.review_round_run` does, batch by batch (it replaces a batch of communes' assessments of
one round). Household merges and splits do not touch assessments: a merged household keeps its
status, a household split off has none until a round assesses it. The work is set-based and
writes only the households whose status changes:

- `round_held` (before a batch's old assessments are deleted): whether the round had assessed
  households of the batch already (a re-run), and which ones for a regular round (a few).
- `statuses_refresh` (after the batch's insert):
  1. Fast path, one INSERT … SELECT … ON CONFLICT DO UPDATE over this round's new assessments of
     the batch: a household assessed now takes this round's status (a row is written only if it
     is new or its status changes), unless a newer round assessed it too (then it keeps the newer
     one's: an older round re-run after a newer one changes nothing for it); the newer-round
     check is added only when some newer round assessed households of the batch.
  2. Only on a re-run: a household the round assessed before but no longer (dissolved, merged,
     no longer surveyed in the month) takes its latest remaining assessment's status, or none
     (the general recompute, a correlated subquery over those few households).

Databases whose assessments were written before the table existed are filled by its migration
(`poverty.0006_current_status`, a window function over all assessments).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from ansinh.households.models import HouseholdStatus

from .models import Assessment, CurrentStatus, ReviewRound, RoundKind

CURRENT = CurrentStatus._meta.db_table
ASSESSMENTS = Assessment._meta.db_table
ROUNDS = ReviewRound._meta.db_table


@dataclass(frozen=True)
class Held:
    """What a round held for a batch of communes before the batch is classified again."""

    any: bool
    # A regular (monthly) round's households, a few: those to look at if no longer assessed.
    # None for a periodic round, which assesses every active household: those no longer assessed
    # are found after the run instead (inactive households of the batch with a status but no
    # assessment in the round).
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
    latest = (Assessment.objects.filter(household=OuterRef("household")).order_by("-round__reference_date", "-round_id")
              .values("status")[:1])
    return Coalesce(Subquery(latest), Value(""))


def statuses_refresh(*, round_: ReviewRound, commune_ids: list[int], held: Held) -> int:
    """Brings the stored status of the batch's households up to date after the round's new
    assessments of these communes are inserted; returns how many rows were written."""
    if not commune_ids:
        return 0
    marks = ", ".join(["%s"] * len(commune_ids))
    newer = Assessment.objects.filter(round__in=ReviewRound.objects.filter(_newer_rounds(round_)),
                                      commune_id__in=commune_ids).exists()
    where = f"a.round_id = %s AND a.commune_id IN ({marks})"
    params: list[Any] = [round_.pk, *commune_ids]
    if newer:
        where += (f" AND NOT EXISTS (SELECT 1 FROM {ASSESSMENTS} n JOIN {ROUNDS} r ON r.id = n.round_id "
                  f"WHERE n.household_id = a.household_id "
                  f"AND (r.reference_date > %s OR (r.reference_date = %s AND r.id > %s)))")
        params += [round_.reference_date, round_.reference_date, round_.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CURRENT} (household_id, status) SELECT a.household_id, a.status FROM {ASSESSMENTS} a "
            f"WHERE {where} ON CONFLICT (household_id) DO UPDATE SET status = excluded.status "
            f"WHERE {CURRENT}.status <> excluded.status", params)
        written = max(cursor.rowcount, 0)
    if held.any:
        in_round = Assessment.objects.filter(round=round_, household=OuterRef("household"))
        if held.households is None:
            # A periodic round assesses every active household of its communes (review_round_run):
            # those it no longer assesses are no longer active (an index search, not a scan).
            lost = CurrentStatus.objects.filter(household__commune_id__in=commune_ids).exclude(
                household__status=HouseholdStatus.ACTIVE)
        else:
            lost = CurrentStatus.objects.filter(household_id__in=held.households)
        lost = lost.exclude(Exists(in_round))
        written += CurrentStatus.objects.filter(pk__in=lost.values("pk")).update(status=_latest_status())
        CurrentStatus.objects.filter(status="").delete()  # no assessment left: not assessed
    return written
