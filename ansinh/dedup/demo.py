"""The demo's planted duplicates and their search, so that the review queue is real.

`plant` (called by `demo generate` right after the people served): about 0,5 % of the province's
living people are entered a second time, as another office would have entered them, in a household
of another commune of the province: the name with a variant (tones dropped, one tone changed, a
typo, the middle name left out, Hoàng/Huỳnh or Vũ/Võ, decomposed Unicode), the birth date
sometimes off (day and month swapped, one digit, only the year known), the citizen ID left out or
with one digit mistyped (never the same number: the register holds a citizen ID once). The
variants are `ansinh.dedup.synthetic.variant_of`, the bench's own. Set-based: one sampling query,
one read of candidate households, one insert (`ansinh.lib.bulk.insert_rows`).

`find` (called by `demo payments`): runs the linkage search of the province (`linkage.run`), so the
queue holds what the engine finds, planted or not; when the linkage engine is not installed, it
inserts the planted pairs themselves (method "linkage"), read back from the plant's audit row.
"""

from __future__ import annotations

import importlib.util
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household, Member, Relation
from ansinh.lib.bulk import insert_rows, next_ids
from ansinh.lib.vietnamese import fold, format_number, sort_key

from .models import DedupRun, DuplicatePair, Method, PairStatus
from .synthetic import variant_of

RATE = 200            # one person in RATE is entered twice (0,5 %)
HOUSEHOLD_SAMPLE = 7  # households read as possible second homes: one in HOUSEHOLD_SAMPLE
PLANT_ACTION = "dedup.demo.plant"
# Facts copied from the person's first record (the second office asked the same questions); what
# she receives (pension, allowances, merit) is known only where she is paid: False on the copy.
COPIED = ["sex", "ethnicity", "health_insurance", "schooling", "education", "in_training", "employment", "can_work",
          "disability", "stunted", "underweight", "uses_internet", "sick_untreated"]
NOT_PAID_HERE = ["pension", "social_allowance", "meritorious"]
COLUMNS = ["household", "full_name", "citizen_id", "birth_date", "relation", *COPIED, *NOT_PAID_HERE, "search_name",
           "sort_key", "created_at", "updated_at"]


def _columns(names: list[str]) -> list[str]:
    out = []
    for name in names:
        field = Member._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column
        out.append(field.column)
    return out


def _in_province(province: Unit) -> Q:
    return Q(household__commune__path__startswith=province.path)


def plant(*, province: Unit, seed: int, progress: Callable[[str], None] | None = None) -> int:
    """Enters about 0,5 % of the province's living people a second time (see the module).
    Returns how many records were planted; runs inside the caller's transaction."""
    started = time.perf_counter()
    rnd = random.Random(f"dedup-{seed}-{province.code}")
    pick = rnd.randrange(RATE)
    # Slots counted from the province's first id, so that the same seed plants the same people
    # after `--replace` (new ids, same order).
    base = Member.objects.filter(_in_province(province)).aggregate(low=Min("id"))["low"] or 0
    people = list(Member.objects.filter(_in_province(province), died_on__isnull=True, left_on__isnull=True)
                  .annotate(slot=(F("id") - base) % RATE).filter(slot=pick)
                  .values_list("id", "full_name", "birth_date", "citizen_id", "household__commune_id", *COPIED)
                  .order_by("id"))
    if not people:
        return 0
    homes: dict[int, list[int]] = {}
    first_home = Household.objects.filter(commune__path__startswith=province.path).aggregate(low=Min("id"))["low"] or 0
    for pk, commune_id in (Household.objects.filter(commune__path__startswith=province.path, status="active")
                           .annotate(slot=(F("id") - first_home) % HOUSEHOLD_SAMPLE).filter(slot=rnd.randrange(HOUSEHOLD_SAMPLE))
                           .values_list("id", "commune_id").order_by("id")):
        homes.setdefault(commune_id, []).append(pk)
    communes = sorted(homes)
    if len(communes) < 2:
        return 0
    today = timezone.localdate()
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    rows: list[list[Any]] = []
    planted: list[tuple[int, str]] = []
    for person in people:
        pk, full_name, birth_date, citizen_id, commune_id = person[:5]
        facts = list(person[5:])
        other = rnd.choice([c for c in communes if c != commune_id] or communes)
        home = rnd.choice(homes[other])
        variant = variant_of(full_name, birth_date, citizen_id, rnd)
        number = variant.citizen_id if variant.citizen_id != citizen_id else None  # the register holds an ID once
        day = variant.birth_date if variant.birth_date <= today else birth_date
        rows.append([home, variant.full_name, number, day, rnd.choice([Relation.OTHER.value, Relation.PARENT.value,
                                                                       Relation.SIBLING.value]),
                     *facts, *([False] * len(NOT_PAID_HERE)), fold(variant.full_name)[:150], sort_key(variant.full_name)[:255], stamp, stamp])
        planted.append((pk, "+".join(variant.kinds)))
    # A mistyped number may be someone else's: then the second record has none.
    numbers = [row[2] for row in rows if row[2]]
    taken: set[str] = set()
    for i in range(0, len(numbers), 5000):
        taken |= {str(number) for number in Member.objects.filter(citizen_id__in=numbers[i:i + 5000])
                  .values_list("citizen_id", flat=True)}
    seen: set[str] = set()
    for row in rows:
        if row[2] and (row[2] in taken or row[2] in seen):
            row[2] = None
        elif row[2]:
            seen.add(row[2])
    ids = next_ids(Member, len(rows))
    count = insert_rows(Member, ["id", *_columns(COLUMNS)], ([pk, *row] for pk, row in zip(ids, rows, strict=True)))
    pairs = [[min(original, copy), max(original, copy), kinds]
             for (original, kinds), copy in zip(planted, ids, strict=True)]
    audit.record(actor=Actor.system(), action=PLANT_ACTION, obj=province, unit=province,
                 after={"planted": count, "rate": f"1/{RATE}", "pairs": pairs})
    if progress is not None:
        progress(f"Đã nhập trùng {format_number(count)} người ở xã khác (tên viết khác, thiếu hoặc gõ sai số định "
                 f"danh) cho phần rà soát người trùng ({format_number(time.perf_counter() - started, 1)} giây).")
    return count


def planted_pairs(province: Unit) -> list[tuple[int, int]]:
    """The pairs the last plant of the province made (from its audit row)."""
    from ansinh.accounts.models import AuditEvent

    row = (AuditEvent.objects.filter(action=PLANT_ACTION, object_id=str(province.pk))
           .order_by("-at", "-pk").values_list("after", flat=True).first())
    if not isinstance(row, dict):
        return []
    return [(int(a), int(b)) for a, b, *_kinds in row.get("pairs", [])]


def delete_province(province: Unit) -> None:
    """Before `demo generate --replace` deletes the province's people: its searches and pairs."""
    units = Unit.objects.filter(path__startswith=province.path).values("pk")
    people = Member.objects.filter(household__commune__in=units).values("pk")
    # Two plain deletes by the indexed member columns: one statement with an OR across both
    # sides' joins was planned as a scan per pair on PostgreSQL (minutes).
    DuplicatePair.objects.filter(left_id__in=people).delete()
    DuplicatePair.objects.filter(right_id__in=people).delete()
    DedupRun.objects.filter(unit__in=units).delete()


def find(*, province: Unit, write: Callable[[str], None]) -> None:
    """The duplicate search of the demo province (see the module)."""
    if province.level != Level.PROVINCE or province.edition != Edition.CURRENT:
        write("Người trùng: chọn một tỉnh của bản đồ hiện hành.")
        return
    if importlib.util.find_spec("ansinh.dedup.linkage") is not None:
        from django.core.exceptions import ValidationError

        from . import linkage

        started = time.perf_counter()
        try:
            try:
                linkage.active_model()
            except FileNotFoundError:  # no trained model and none shipped: train one on the province
                linkage.train(linkage.prepare(province), actor=Actor.system(), note="demo")
            run = linkage.run(unit=province, actor=Actor.system())
        except (ValidationError, OSError) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            write(f"Người trùng: không chạy được tìm kiếm ({message}); đưa các cặp đã gieo vào danh sách rà soát.")
        else:
            open_pairs = DuplicatePair.objects.filter(status=PairStatus.OPEN).filter(
                left__household__commune__path__startswith=province.path).count()
            write(f"Người trùng: so sánh {format_number(run.people)} người, {format_number(run.new_pairs)} cặp mới "
                  f"({format_number(run.found_exact)} trùng số định danh, {format_number(run.found_linkage)} theo "
                  f"tên, ngày sinh và nơi ở); {format_number(open_pairs)} cặp chờ rà soát "
                  f"({format_number(time.perf_counter() - started, 1)} giây).")
            return
    pairs = planted_pairs(province)
    with transaction.atomic():
        existing = set(DuplicatePair.objects.filter(left_id__in=[a for a, _b in pairs]).values_list("left_id", "right_id"))
        new = [DuplicatePair(left_id=a, right_id=b, method=Method.LINKAGE, probability=0.95, evidence={})
               for a, b in pairs if (a, b) not in existing]
        DuplicatePair.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    write(f"Người trùng: {format_number(len(new))} cặp đã gieo được đưa vào danh sách rà soát.")
