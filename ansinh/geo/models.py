"""Administrative units in time, and the crosswalk from the legacy map to the current one.

A unit's identity is its code *together with* its edition (validity period): codes are reused
between the maps (legacy 29461 "Thị trấn Trà Cú" is not current 29461 "Xã Trà Cú"), so nothing
looks a unit up by code alone. Legal basis of the current map: Resolution 202/2025/QH15 (34
provinces, in force 12 Jun 2025) and the Standing Committee's resolutions arranging communes,
two-level local government from 1 Jul 2025 (Law on Organisation of Local Government 72/2025/QH15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Lookup, Q
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _

from ansinh.lib.vietnamese import fold, sort_key

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_END = REFORM_DATE - dt.timedelta(days=1)
CODE_WIDTH = {1: 2, 2: 3, 3: 5}  # official codes are zero-padded per level (GSO list of units)


class Level(models.IntegerChoices):
    COUNTRY = 0, _("country")
    PROVINCE = 1, _("province")
    DISTRICT = 2, _("district")
    COMMUNE = 3, _("commune")
    HAMLET = 4, _("hamlet")


class Kind(models.TextChoices):
    COUNTRY = "country", _("Country")
    TINH = "tinh", _("Province")
    THANH_PHO_TW = "thanh_pho_tw", _("Centrally-run city")
    QUAN = "quan", _("Urban district")
    HUYEN = "huyen", _("Rural district")
    THI_XA = "thi_xa", _("District-level town")
    THANH_PHO = "thanh_pho", _("Provincial city")
    XA = "xa", _("Commune")
    PHUONG = "phuong", _("Ward")
    THI_TRAN = "thi_tran", _("Township")
    DAC_KHU = "dac_khu", _("Special zone")
    AP = "ap", _("Hamlet (ấp)")
    KHOM = "khom", _("Quarter (khóm)")
    THON = "thon", _("Village (thôn)")
    TO_DAN_PHO = "to_dan_pho", _("Residential group (tổ dân phố)")


HAMLET_KINDS = (Kind.AP, Kind.KHOM, Kind.THON, Kind.TO_DAN_PHO)
URBAN_KINDS = (Kind.PHUONG, Kind.THI_TRAN)  # Decision 24/2021 and Decree 07/2021: urban areas


class Edition(models.TextChoices):
    PERMANENT = "", _("always")
    LEGACY = "legacy", _("before the 2025 reform (until 30/06/2025)")
    CURRENT = "current", _("since the 2025 reform (from 01/07/2025)")


class Under(Lookup):
    """`path__under="/1/95/"`: the path starts with the given one (a unit's subtree), written so
    that an index on the column serves it on both databases.

    SQLite's LIKE is case-insensitive and so never uses an index on a column of the default
    (binary) collation: the prefix becomes the range `path >= '/1/95/' AND path < '/1/950'`,
    exact for byte-wise comparison. PostgreSQL keeps `LIKE '/1/95/%'`, which Django's
    `varchar_pattern_ops` index of every indexed CharField serves whatever the database's
    collation (a range would not be exact under a linguistic collation that ignores '/').
    Registered on the path columns (`Unit.path`, `AuditEvent.unit_path`), not on every CharField.
    """

    lookup_name = "under"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        if not isinstance(self.rhs, str) or not self.rhs:
            return self.as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        above = self.rhs[:-1] + chr(ord(self.rhs[-1]) + 1)  # the first string after every one with the prefix
        return f"({lhs_sql} >= %s AND {lhs_sql} < %s)", (*lhs_params, self.rhs, *lhs_params, above)


class UnitQuerySet(models.QuerySet["Unit"]):
    def on(self, date: dt.date) -> UnitQuerySet:
        """Units in force on `date` (validity dates are inclusive)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=date)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=date)
        )

    def at_level(self, level: int) -> UnitQuerySet:
        return self.filter(level=level)

    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and its descendants (one indexed prefix match on the path)."""
        return self.filter(path__under=unit.path)

    def descendants_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__under=unit.path).exclude(pk=unit.pk)

    def search(self, query: str) -> UnitQuerySet:
        """Accent-insensitive: "tra cu" finds "Trà Cú"; every word must match; a code matches exactly."""
        words = fold(query).split()
        if not words:
            return self
        by_name = Q()
        for word in words:
            by_name &= Q(search_name__contains=word)
        if query.strip().isdigit():
            return self.filter(by_name | Q(code__in=code_candidates(query.strip())))
        return self.filter(by_name)

    def by_code(self, code: str) -> UnitQuerySet:
        return self.filter(code__in=code_candidates(code))

    def vietnamese_order(self) -> UnitQuerySet:
        return self.order_by("level", "sort_key", "code")


def code_candidates(code: str) -> list[str]:
    """"1" may mean province 01, district 001 or commune 00001: official codes are zero-padded."""
    code = code.strip()
    if not code.isdigit():
        return [code]
    bare = code.lstrip("0") or "0"
    return sorted({code, *(bare.zfill(width) for width in CODE_WIDTH.values())})


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=20, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    edition = models.CharField(_("map"), max_length=8, choices=Edition.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of primary keys, "/1/17/2043/": a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day in force (inclusive)."))
    official = models.BooleanField(default=False, help_text="From the national list of units (vietnam-provinces).")
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    sort_key = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="unit_code_unique_per_edition")]
        indexes = [models.Index(fields=["level", "valid_from", "valid_to"]), models.Index(fields=["sort_key"])]

    def __str__(self) -> str:
        return self.name

    def set_derived_fields(self) -> None:
        self.search_name = fold(self.name)
        self.sort_key = sort_key(self.name)

    @property
    def is_hamlet(self) -> bool:
        return self.level == Level.HAMLET

    @property
    def is_urban(self) -> bool:
        return self.kind in URBAN_KINDS

    def in_force(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (self.valid_to is None or self.valid_to >= date)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def ancestors(self) -> list[Unit]:
        """From the top (the country) down to the parent; a unit's parents share its validity."""
        return list(Unit.objects.filter(pk__in=self.ancestor_ids()).order_by("level"))

    def province(self) -> Unit | None:
        if self.level == Level.PROVINCE:
            return self
        return next((unit for unit in self.ancestors() if unit.level == Level.PROVINCE), None)

    def successors(self) -> UnitQuerySet:
        """Current units that took over this legacy unit (or part of it)."""
        if self.level == Level.DISTRICT:
            olds = Unit.objects.filter(parent=self).values("pk")
            return Unit.objects.filter(sources__old__in=olds).distinct().vietnamese_order()
        return Unit.objects.filter(sources__old=self).vietnamese_order()

    def legacy_sources(self) -> UnitQuerySet:
        """Legacy units (or parts of them) this current unit was formed from."""
        return Unit.objects.filter(successions__new=self).vietnamese_order()


    def crosswalk(self) -> list[tuple[Unit, bool | None]]:
        """A legacy unit's current successors, or a current unit's legacy sources, each with
        `partial` (the legacy unit was split); None for a legacy district, whose communes went
        their several ways."""
        if self.edition == Edition.LEGACY and self.level == Level.DISTRICT:
            return [(unit, None) for unit in self.successors()]
        if self.edition == Edition.LEGACY:
            pairs = [(s.new, s.partial) for s in Succession.objects.filter(old=self).select_related("new")]
        elif self.edition == Edition.CURRENT:
            pairs = [(s.old, s.partial) for s in Succession.objects.filter(new=self).select_related("old")]
        else:
            return []
        return sorted(pairs, key=lambda pair: pair[0].sort_key)


Unit._meta.get_field("path").register_lookup(Under)


def ids_from_paths(paths: Iterable[str]) -> set[int]:
    """Every unit id that appears in the given materialised paths (the units and their ancestors)."""
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


class Succession(models.Model):
    """One row of the official crosswalk: a legacy unit (or part of it) went into a current one.

    Many-to-many: 441 legacy communes were split between several current ones (partial=True).
    """

    old = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="sources")
    partial = models.BooleanField(
        default=False, help_text="The old unit was split: only part of it went into the new one."
    )
    effective = models.DateField(default=REFORM_DATE)
    basis = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="succession_unique_pair")]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


def current_home(unit: Unit) -> Unit:
    """The current-map unit that took over `unit`: itself if current (or permanent, the country);
    for a legacy unit, the smallest current unit holding all of its successors (a merged commune →
    the new commune; a split commune or a legacy district → their common province). Access checks
    on records kept under the legacy map use this unit."""
    if unit.edition != Edition.LEGACY:
        return unit
    if unit.level == Level.COMMUNE:
        olds: Iterable[int] = [unit.pk]
    else:
        olds = Unit.objects.filter(path__under=unit.path, level=Level.COMMUNE).values_list("pk", flat=True)
    paths = list(
        Unit.objects.filter(sources__old__in=list(olds)).values_list("path", flat=True).distinct()
    )
    if not paths:
        raise ValidationError(
            _("%(unit)s (legacy map) has no successor in the crosswalk: its records cannot be placed on the current map.")
            % {"unit": unit.name}
        )
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[: common.rstrip("/").rfind("/") + 1]
    home_id = int(common.strip("/").split("/")[-1])
    return Unit.objects.get(pk=home_id)
