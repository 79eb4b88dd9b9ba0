"""Loads the official administrative maps from the `vietnam-provinces` package.

The package (GPL-3.0-or-later, data of the General Statistics Office) is pinned to an exact
version so that a load is reproducible: a new release of the national list is a reviewed
dependency change, not a silent one.

Idempotent and set-based: it reads what is stored once, then creates and updates in bulk;
units added by users (hamlets) are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import vietnam_provinces as vp
import vietnam_provinces.legacy as vpl

# The official old → new commune table. The package exposes it only per unit
# (Ward.get_legacy_sources) and skips old codes missing from its legacy list, so we read the
# table itself; the package is pinned to an exact version and tests guard the figures.
from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW
from django.db import connection, transaction

from .models import CODE_WIDTH, LEGACY_END, REFORM_DATE, Edition, Kind, Level, Succession, Unit

COUNTRY_CODE = "VN"
BASIS_CURRENT = (
    "Nghị quyết 202/2025/QH15 (34 tỉnh, thành phố) và các nghị quyết của Ủy ban Thường vụ Quốc hội "
    "về sắp xếp đơn vị hành chính cấp xã năm 2025; hiệu lực 01/07/2025"
)
BASIS_LEGACY = "Danh mục đơn vị hành chính Việt Nam trước ngày 01/07/2025 (Tổng cục Thống kê)"
BASIS_SUCCESSION = "Bảng chuyển đổi đơn vị hành chính cũ - mới, hiệu lực 01/07/2025"

_KINDS = {
    "tỉnh": Kind.TINH,
    "thành phố trung ương": Kind.THANH_PHO_TW,
    "quận": Kind.QUAN,
    "huyện": Kind.HUYEN,
    "thị xã": Kind.THI_XA,
    "thành phố": Kind.THANH_PHO,
    "xã": Kind.XA,
    "phường": Kind.PHUONG,
    "thị trấn": Kind.THI_TRAN,
    "đặc khu": Kind.DAC_KHU,
}


@dataclass(frozen=True)
class Row:
    edition: str
    code: str
    name: str
    kind: str
    level: int
    parent: tuple[str, str] | None  # (edition, code)
    valid_from: dt.date | None
    valid_to: dt.date | None
    basis: str


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_deleted: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


def _code(value: int, level: int) -> str:
    return str(int(value)).zfill(CODE_WIDTH[level])


def official_rows() -> Iterator[Row]:
    """Every official unit of both maps, parents before children."""
    yield Row(Edition.PERMANENT, COUNTRY_CODE, "Việt Nam", Kind.COUNTRY, Level.COUNTRY, None, None, None, "")
    country = (Edition.PERMANENT.value, COUNTRY_CODE)
    legacy = (Edition.LEGACY.value, None, LEGACY_END, BASIS_LEGACY)
    current = (Edition.CURRENT.value, REFORM_DATE, None, BASIS_CURRENT)
    since: dt.date | None
    until: dt.date | None
    ed, since, until, basis = legacy
    for p in vpl.Province.iter_all():
        yield Row(ed, _code(p.code, 1), p.name, _KINDS[p.division_type], 1, country, since, until, basis)
    for d in vpl.District.iter_all():
        parent = (ed, _code(d.province_code, 1))
        yield Row(ed, _code(d.code, 2), d.name, _KINDS[d.division_type], 2, parent, since, until, basis)
    listed = set()
    for w in vpl.Ward.iter_all():
        parent = (ed, _code(w.district_code, 2))
        listed.add(int(w.code))
        yield Row(ed, _code(w.code, 3), w.name, _KINDS[w.division_type], 3, parent, since, until, basis)
    # A few communes formed in the last arrangements before the reform appear in the official
    # crosswalk but not in the legacy list; they are kept, with a placeholder name, so that data
    # recorded under their codes can still be carried to the current map. All we know of them is
    # that they were in force on the last day of the legacy map, so that is their validity.
    for old_code, entry in sorted(WARD_OLD_TO_NEW.items()):
        if old_code not in listed:
            parent = (ed, _code(entry.old_ward.district_code, 2))
            name = f"Đơn vị cấp xã mã {_code(old_code, 3)} (chỉ có trong bảng chuyển đổi)"
            yield Row(ed, _code(old_code, 3), name, Kind.XA, 3, parent, LEGACY_END, until, BASIS_SUCCESSION)
    ed, since, until, basis = current
    for province in vp.Province.iter_all():
        kind = _KINDS[province.division_type]
        yield Row(ed, _code(province.code, 1), province.name, kind, 1, country, since, until, basis)
    for ward in vp.Ward.iter_all():
        parent = (ed, _code(ward.province_code, 1))
        yield Row(ed, _code(ward.code, 3), ward.name, _KINDS[ward.division_type], 3, parent, since, until, basis)


def official_successions() -> set[tuple[str, str, int]]:
    """(legacy code, current code, level) pairs: communes from the ward table, provinces likewise."""
    pairs: set[tuple[str, str, int]] = set()
    for old_code, entry in WARD_OLD_TO_NEW.items():
        for new in entry.new_wards:
            pairs.add((_code(old_code, 3), _code(new.code, 3), 3))
    for province in vp.Province.iter_all():
        for old in province.get_legacy_sources():
            pairs.add((_code(old.code, 1), _code(province.code, 1), 1))
    return pairs


_FIELDS = ("name", "kind", "level", "parent_id", "valid_from", "valid_to", "basis", "search_name", "sort_key")


@transaction.atomic
def load_official_map() -> LoadResult:
    """Creates or refreshes both maps and the crosswalk.

    1. Read the stored official units once into a dict keyed by (edition, code).
    2. Per level, top-down: bulk-create the missing units, bulk-update the changed ones.
    3. Recompute materialised paths and store those that changed.
    4. Bring the crosswalk to the official set of pairs (create missing, delete stale).
    """
    result = LoadResult()
    stored = {(u.edition, u.code): u for u in Unit.objects.filter(official=True)}
    rows = list(official_rows())
    for level in sorted({row.level for row in rows}):
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for row in (r for r in rows if r.level == level):
            parent_id = stored[row.parent].pk if row.parent else None
            unit = stored.get((row.edition, row.code))
            values = dict(
                name=row.name, kind=row.kind, level=row.level, parent_id=parent_id,
                valid_from=row.valid_from, valid_to=row.valid_to, basis=row.basis,
            )
            if unit is None:
                unit = Unit(edition=row.edition, code=row.code, official=True, path="", **values)
                unit.set_derived_fields()
                to_create.append(unit)
                continue
            before = tuple(getattr(unit, name) for name in _FIELDS)
            for name, value in values.items():
                setattr(unit, name, value)
            unit.set_derived_fields()
            if tuple(getattr(unit, name) for name in _FIELDS) != before:
                to_update.append(unit)
            else:
                result.unchanged += 1
        Unit.objects.bulk_create(to_create, batch_size=2000)
        Unit.objects.bulk_update(to_update, _FIELDS, batch_size=2000)
        for unit in to_create:
            stored[(unit.edition, unit.code)] = unit
        result.created += len(to_create)
        result.updated += len(to_update)

    by_id = {unit.pk: unit for unit in stored.values()}
    changed_paths: list[Unit] = []
    for unit in sorted(stored.values(), key=lambda u: u.level):
        parent_path = by_id[unit.parent_id].path if unit.parent_id else "/"
        path = f"{parent_path}{unit.pk}/"
        if unit.path != path:
            unit.path = path
            changed_paths.append(unit)
    _store_paths(changed_paths)

    wanted: dict[tuple[int, int], bool] = {}
    pairs = official_successions()
    split_count: dict[tuple[str, int], int] = {}
    for old_code, _new, level in pairs:
        split_count[(old_code, level)] = split_count.get((old_code, level), 0) + 1
    legacy_by_code = {(u.code, u.level): u.pk for u in stored.values() if u.edition == Edition.LEGACY}
    current_by_code = {(u.code, u.level): u.pk for u in stored.values() if u.edition == Edition.CURRENT}
    for old_code, new_code, level in pairs:
        key = (legacy_by_code[(old_code, level)], current_by_code[(new_code, level)])
        wanted[key] = split_count[(old_code, level)] > 1
    existing = {(s.old_id, s.new_id): s for s in Succession.objects.all()}
    stale = [s.pk for key, s in existing.items() if key not in wanted]
    Succession.objects.filter(pk__in=stale).delete()
    Succession.objects.bulk_create(
        [
            Succession(old_id=old, new_id=new, partial=partial, basis=BASIS_SUCCESSION)
            for (old, new), partial in wanted.items()
            if (old, new) not in existing
        ],
        batch_size=5000,
    )
    flipped = [s for key, s in existing.items() if key in wanted and s.partial != wanted[key]]
    for succession in flipped:
        succession.partial = wanted[(succession.old_id, succession.new_id)]
    Succession.objects.bulk_update(flipped, ["partial"])
    result.successions_created = len(wanted) - (len(existing) - len(stale))
    result.successions_deleted = len(stale)
    if result.created or result.updated or result.successions_created or result.successions_deleted:
        from ansinh.accounts import audit

        country = stored[(Edition.PERMANENT.value, COUNTRY_CODE)]
        audit.record(
            actor=audit.Actor.system(), action="geo.map.load", obj=country, unit=country,
            after={"source": f"vietnam-provinces {vp.__version__}", "created": result.created,
                   "updated": result.updated, "successions_created": result.successions_created,
                   "successions_deleted": result.successions_deleted},
        )
    analyze_map()
    return result


def _store_paths(units: list[Unit]) -> None:
    """One prepared UPDATE run for every unit (executemany), not bulk_update's CASE over 2,000
    ids a statement: on a first load, all 14,000 units get their path, and bulk_update took half
    the time of the load (the test database loads the map once per test process)."""
    if not units:
        return
    qn = connection.ops.quote_name
    path, pk = Unit._meta.get_field("path").column, Unit._meta.get_field("id").column
    assert path and pk
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {qn(Unit._meta.db_table)} SET {qn(path)} = %s WHERE {qn(pk)} = %s",  # noqa: S608
                           [(unit.path, unit.pk) for unit in units])


def analyze_map() -> None:
    """Refreshes the planner's statistics of the map's tables. SQLite keeps none until asked:
    without them it guesses that `level = 3` picks ten units out of 14,000 and reads every
    commune of the country through the level index instead of a subtree's few units by id or by
    path (10 ms a query). The map changes only when loaded, so its statistics stay true."""
    with connection.cursor() as cursor:
        for model in (Unit, Succession):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
