"""Workflows on review rounds: typed, keyword-only, atomic, audited.

They raise ValidationError (with Vietnamese messages for the user) instead of returning flags.
Batch work (`review_round_run`) is set-based: facts are read as arrays, classified by the
vectorised engine, and stored with one bulk insert per batch of communes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import NEED_FIELDS, Household, IncomeMethod, LivingConditions
from ansinh.lib.bulk import insert_rows

from . import current, engine, facts
from .models import (
    STEP_ORDER,
    Assessment,
    IncomeScoringTable,
    PovertyStandard,
    PovertyStatus,
    ReviewRound,
    RoundKind,
    RoundProgress,
    RoundStatus,
    Step,
)

# --- Review rounds ----------------------------------------------------------------------------


def round_standard(*, year: int, kind: str, month: int | None) -> tuple[PovertyStandard, dt.date]:
    """The standard a round applies and its reference date.

    The periodic review of year Y (1 Sep – 14 Dec, Decision 24/2021/QĐ-TTg) classifies
    households for year Y+1, so it applies the standard in force on 1 Jan Y+1 (the 2021 review
    applied the 2022–2025 standard); ages and membership are taken on 14 Dec. A regular review
    applies the standard in force in its month, on the month's last day.
    """
    if kind == RoundKind.REGULAR:
        if not month or not 1 <= month <= 12:
            raise ValidationError({"month": _("A regular review needs a month from 1 to 12.")})
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        reference = next_month - dt.timedelta(days=1)
        return PovertyStandard.in_force_on(reference), reference
    return PovertyStandard.in_force_on(dt.date(year + 1, 1, 1)), dt.date(year, 12, 14)


def _communes(unit: Unit) -> list[Unit]:
    if unit.level == Level.COMMUNE:
        return [unit]
    return list(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=unit.path)
                .order_by("code"))


def _covers(unit: Unit, commune: Unit) -> bool:
    """Whether `commune` is one of `_communes(unit)`, read from the two units without a query: a
    demo province's round records some 650 steps, and listing the province's communes for each
    step was most of the time of `ansinh demo rounds` (and of the tests that make a demo round)."""
    if unit.level == Level.COMMUNE:
        return commune.pk == unit.pk
    return (commune.edition == Edition.CURRENT and commune.level == Level.COMMUNE
            and commune.path.startswith(unit.path))


@transaction.atomic
def review_round_open(*, actor: Actor, unit: Unit, year: int, kind: str = RoundKind.PERIODIC,
                      month: int | None = None) -> ReviewRound:
    """Gets or opens the round of a province or a commune for a year (or a month)."""
    if unit.edition != Edition.CURRENT or unit.level not in (Level.PROVINCE, Level.COMMUNE):
        raise ValidationError({"unit": _("A review round covers a province or a commune of the current map.")})
    if kind not in RoundKind.values:
        raise ValidationError({"kind": _("Choose periodic or regular.")})
    month = month if kind == RoundKind.REGULAR else None
    existing = ReviewRound.objects.filter(unit=unit, year=year, kind=kind, month=month).first()
    if existing is not None:
        return existing
    try:
        standard, reference = round_standard(year=year, kind=kind, month=month)
    except PovertyStandard.DoesNotExist as error:
        raise ValidationError(str(error)) from None
    previous = ReviewRound.objects.filter(unit=unit, kind=RoundKind.PERIODIC, year__lt=year).order_by("-year").first()
    if previous is None and unit.level == Level.COMMUNE:  # a commune's first round follows the province's
        previous = ReviewRound.objects.filter(unit__in=unit.ancestor_ids(), kind=RoundKind.PERIODIC,
                                              year__lt=year).order_by("-year").first()
    round_ = ReviewRound.objects.create(year=year, kind=kind, month=month, unit=unit, standard=standard,
                                        reference_date=reference, previous=previous, created_by=user_of(actor))
    audit.record(actor=actor, action="review_round.open", obj=round_, unit=unit,
                 after={"status": round_.status, "year": year, "kind": kind, "month": month, "standard": standard.code})
    return round_


def _scoring_tables(standard: PovertyStandard) -> dict[str, dict[str, Any]]:
    return {t.region: {"base": t.base, "items": t.items} for t in IncomeScoringTable.objects.filter(standard=standard)}


def _previous_statuses(round_: ReviewRound, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Status codes in the previous round (-1: not assessed) and whether the household was ever
    poor in an earlier round (for re-poverty): two integer queries, matched by household id.

    Both read only the assessments in the range of the batch's household ids (`ids` is sorted; the
    previous round's through its unique (round, household) index) and keep those of `ids`: a batch's
    households are mostly a run of ids, so this reads about one batch of the previous round instead
    of all of it per batch (a 1,000,000-household province's round in five batches read 5,000,000
    rows and joined them with the batch's households: ≈ 3 s per batch, now ≈ 0.2 s).
    """
    previous = np.full(len(ids), -1, dtype=np.int64)
    ever_poor = np.zeros(len(ids), dtype=bool)
    if round_.previous is None or not len(ids):
        return previous, ever_poor
    first, last = int(ids[0]), int(ids[-1])
    rows = facts._fetch(
        f"SELECT a.household_id, {facts._case('a.status', engine.STATUS_INDEX)} FROM households_assessment a "
        f"WHERE a.round_id = %s AND a.household_id >= %s AND a.household_id <= %s", [round_.previous.pk, first, last], 2)
    at = np.searchsorted(ids, rows[:, 0])
    found = (at < len(ids)) & (ids[np.minimum(at, len(ids) - 1)] == rows[:, 0])
    previous[at[found]] = rows[found, 1]
    earlier = facts._fetch(
        "SELECT DISTINCT a.household_id FROM households_assessment a JOIN households_reviewround r ON r.id = a.round_id "
        "WHERE r.kind = %s AND r.year < %s AND a.household_id >= %s AND a.household_id <= %s AND a.status = %s",
        [RoundKind.PERIODIC.value, round_.previous.year, first, last, PovertyStatus.POOR.value], 1)[:, 0]
    if len(earlier):
        ever_poor = np.isin(ids, earlier)
    return previous, ever_poor


BATCH_HOUSEHOLDS = 200_000  # households classified per batch of communes, to bound memory


def review_round_run(*, round: ReviewRound, actor: Actor,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Classifies every active household of the round's communes; returns how many.

    1. Refuse a decided (locked) round.
    2. Group the communes into batches of about BATCH_HOUSEHOLDS households.
    3. Per batch: read the facts as arrays (facts.load), compute the deprivation flags and the
       income (declared, or estimated by the region's scoring table), classify, compare with the
       previous round, replace the batch's assessments with one bulk insert (the reason sentence
       is not stored: it is derived from the stored figures when read, `Assessment.reason_text`),
       then bring the households' stored current status up to date (`current.statuses_refresh`).
    4. Record when and how many, and audit, in the same transaction.
    """
    with transaction.atomic():
        round_ = ReviewRound.objects.select_for_update().get(pk=round.pk)
        if round_.locked:
            raise ValidationError(_("This review round is decided: its results are locked."))
        spec = engine.spec_for(round_.standard)
        tables = _scoring_tables(round_.standard)
        province = round_.unit.province()
        region = facts.region_of(province.code) if province else ""
        communes = _communes(round_.unit)
        in_scope = Household.objects.active().filter(commune__in=communes)
        if round_.kind == RoundKind.REGULAR:
            start, end = _month(round_)
            in_scope = in_scope.filter(pk__in=LivingConditions.objects.filter(
                surveyed_on__gte=start, surveyed_on__lte=end).values("household_id"))
        counts = dict(in_scope.values("commune_id").annotate(n=Count("id")).values_list("commune_id", "n"))
        total = sum(counts.values())
        batches: list[list[int]] = [[]]
        size = 0
        for commune in communes:
            n = counts.get(commune.pk, 0)
            if batches[-1] and size + n > BATCH_HOUSEHOLDS:
                batches.append([])
                size = 0
            batches[-1].append(commune.pk)
            size += n
        done = 0
        tally = {status: 0 for status in PovertyStatus.values}
        if progress:
            progress(0, total)
        for batch in batches:
            if not batch:
                continue
            held = current.round_held(round_=round_, commune_ids=batch)
            Assessment.objects.filter(round=round_, commune_id__in=batch).delete()
            written, batch_tally = _classify_batch(round_, spec, tables, region, batch)
            current.statuses_refresh(round_=round_, commune_ids=batch, held=held)
            for status, n in batch_tally.items():
                tally[status] += n
            done += written
            if progress:
                progress(done, total)
        ReviewRound.objects.filter(pk=round_.pk).update(classified_at=timezone.now(), households_classified=done)
        round.classified_at, round.households_classified = timezone.now(), done
        audit.record(actor=actor, action="review_round.classify", obj=round_, unit=round_.unit,
                     after={"households": done, **tally})
    return done


def _month(round_: ReviewRound) -> tuple[dt.date, dt.date]:
    """First and last day of a regular review's month."""
    assert round_.month is not None
    return dt.date(round_.year, round_.month, 1), round_.reference_date


def _classify_batch(round_: ReviewRound, spec: engine.StandardSpec, tables: dict[str, dict[str, Any]],
                    region: str, commune_ids: list[int]) -> tuple[int, dict[str, int]]:
    """Classifies the households of some communes: every active one in a periodic review; in a
    regular (monthly) review, those surveyed in the month on their request (Decision 24/2021/QĐ-TTg)."""
    surveyed = _month(round_) if round_.kind == RoundKind.REGULAR else None
    if connection.vendor == "postgresql":
        # For the rest of the round's transaction: no JIT compilation (≈ 0.4 s per large query of
        # facts.load, each run once per batch) and sorts of a batch's members in memory, not on disk.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
    loaded = facts.load(on=round_.reference_date, year=round_.year, commune_ids=commune_ids, region=region,
                        surveyed=surveyed)
    h, m = loaded.households, loaded.members
    n = len(h)
    if not n:
        return 0, {}
    flags = facts.compute_flags(spec, m, h, round_.reference_date)
    income, estimated = facts.estimate_income(h, tables)
    counts, status = engine.classify(spec, urban=h.urban, income=income, flags=flags.matrix)
    mask = engine.masks(flags.matrix)
    previous, ever_poor = _previous_statuses(round_, h.ids)
    transitions = engine.transitions(previous, status, ever_poor)
    can_work = np.bincount(m.hh[m.bools["can_work"]], minlength=n) if len(m) else np.zeros(n)
    meritorious = np.bincount(m.hh[m.bools["meritorious"]], minlength=n) > 0 if len(m) else np.zeros(n, bool)
    allowance = np.bincount(m.hh[m.bools["social_allowance"]], minlength=n) > 0 if len(m) else np.zeros(n, bool)
    needs = np.zeros(n, dtype=np.int64)
    for i, name in enumerate(NEED_FIELDS):
        needs |= h.bools[name].astype(np.int64) << i
    statuses = engine.STATUS_VALUES
    previous_values = ["" if p < 0 else statuses[p] for p in previous.tolist()]
    methods = np.where(estimated, IncomeMethod.ESTIMATED, IncomeMethod.DECLARED).tolist()
    # Whole đồng as plain ints: the decimal column takes them as they are (a Decimal per row cost
    # ≈ 1 s per 1,000,000 rows to build and to write).
    income_int = np.rint(income).astype(np.int64).tolist()
    status_list, area_list = status.tolist(), h.urban.tolist()
    rows = (
        (round_.pk, hid, commune, None if hamlet < 0 else hamlet, "urban" if urb else "rural", eth, size,
         inc, method, msk, cnt, statuses[st], prev, trans, bool(cw == 0), bool(mer), bool(alw), nd)
        for hid, commune, hamlet, urb, eth, size, inc, method, msk, cnt, st, prev, trans, cw, mer, alw, nd in zip(
            h.ids.tolist(), loaded.commune.tolist(), loaded.hamlet.tolist(), area_list, loaded.ethnicity,
            h.size.tolist(), income_int, methods, mask.tolist(), counts.tolist(), status_list, previous_values,
            transitions, can_work.tolist(), meritorious.tolist(), allowance.tolist(), needs.tolist(), strict=True)
    )
    columns = ["round_id", "household_id", "commune_id", "hamlet_id", "area", "head_ethnicity", "size",
               "income_per_capita", "income_method", "deprivations", "deprivation_count", "status",
               "previous_status", "transition", "no_working_capacity", "has_meritorious", "social_protection",
               "needs"]
    written = insert_rows(Assessment, columns, rows)
    values, tallies = np.unique(status, return_counts=True)
    return written, {statuses[v]: int(c) for v, c in zip(values.tolist(), tallies.tolist(), strict=True)}


@transaction.atomic
def review_round_step(*, actor: Actor, round: ReviewRound, commune: Unit, step: str, on: dt.date,
                      note: str = "") -> RoundProgress:
    """A commune records a step of the round as done; steps follow the order of Decision 24/2021/QĐ-TTg."""
    if round.locked:
        raise ValidationError(_("This review round is decided: its results are locked."))
    if step not in STEP_ORDER:
        raise ValidationError({"step": _("Unknown step.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if not _covers(round.unit, commune):
        raise ValidationError({"commune": _("This commune is not covered by the round.")})
    done = set(RoundProgress.objects.filter(round=round, commune=commune).values_list("step", flat=True))
    if step in done:
        raise ValidationError({"step": _("This step is already recorded for the commune.")})
    missing = [s for s in STEP_ORDER[:STEP_ORDER.index(step)] if s not in done]
    if missing:
        raise ValidationError({"step": _("Record the earlier steps first: %(steps)s.")
                               % {"steps": ", ".join(str(Step(s).label) for s in missing)}})
    if step == Step.SURVEY and not Assessment.objects.filter(round=round, commune=commune).exists():
        raise ValidationError({"step": _("Classify the commune's households before closing the survey step.")})
    progress = RoundProgress.objects.create(round=round, commune=commune, step=step, done_on=on, note=note,
                                            actor=user_of(actor))
    audit.record(actor=actor, action="review_round.step", obj=round, unit=commune,
                 after={"step": step, "done_on": on.isoformat(), "note": note})
    return progress


@transaction.atomic
def review_round_decide(*, round: ReviewRound, actor: Actor, decision_number: str, decided_on: dt.date) -> ReviewRound:
    """The decision recognising poor and near-poor households: locks the round's results.

    Every commune must have posted the results publicly (step 4) first; the decision also records
    step 5 for each commune.
    """
    decision_number = decision_number.strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("Enter the decision's number and symbol.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The date cannot be in the future.")})
    if not Assessment.objects.filter(round=round).exists():
        raise ValidationError(_("Classify the households before deciding."))
    communes = _communes(round.unit)
    posted = set(RoundProgress.objects.filter(round=round, step=Step.POSTING).values_list("commune_id", flat=True))
    with_households = set(Assessment.objects.filter(round=round).values_list("commune_id", flat=True).distinct())
    waiting = [c.name for c in communes if c.pk in with_households and c.pk not in posted]
    if waiting:
        raise ValidationError(_("These communes have not posted their results yet: %(names)s.")
                              % {"names": ", ".join(waiting[:10]) + ("…" if len(waiting) > 10 else "")})
    updated = ReviewRound.objects.filter(pk=round.pk, status=RoundStatus.OPEN).update(
        status=RoundStatus.DECIDED, decision_number=decision_number, decided_on=decided_on, decided_by=user_of(actor))
    if updated != 1:
        raise ValidationError(_("This review round is already decided."))
    RoundProgress.objects.bulk_create(
        [RoundProgress(round=round, commune_id=pk, step=Step.DECISION, done_on=decided_on, actor=user_of(actor),
                       note=decision_number) for pk in sorted(with_households)], ignore_conflicts=True)
    round.refresh_from_db()
    audit.record(actor=actor, action="review_round.decide", obj=round, unit=round.unit,
                 before={"status": RoundStatus.OPEN.value},
                 after={"status": round.status, "decision_number": decision_number, "decided_on": decided_on.isoformat()})
    return round
