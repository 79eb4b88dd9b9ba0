"""One-off support packages (issue 12 item 3): Tết gifts, Covid-19 support, longevity gifts,
emergency support, each with tiers — an eligibility rule over the registries and an amount per
person or per household, split by funding source.

`create_package` builds the package's list once and freezes it:

1. Validates the package and its tiers (Vietnamese `ValidationError`s) and the actor's right to
   run packages of the field in the unit (`access.may_run_package`).
2. Computes the key (a digest of name, unit, date and tiers): a package with the same key is
   returned as it is, so creating it twice (a double click, a CLI run again after a crash) pays no
   one twice. Two concurrent creations meet at the key's unique index: one wins, the other returns it.
3. Finds each tier's recipients set-based, a few queries per tier (never one per person):
   - `household_status`: households by their status in the review round in force on the date (the
     latest decided periodic round covering the commune, decided on or before the date — Decision
     24/2021/QĐ-TTg: the list "as of" a date, e.g. Resolution 42/NQ-CP's list at 31/12/2019);
   - `members_of_status`: the members present on the date of such households;
   - `age`: people reaching one of the ages in the year (from birth dates; Law on the Elderly
     39/2009/QH12 Art. 21, Circular 96/2018/TT-BTC), alive and present on the date;
   - `category`: holders of benefit categories paid in the date's month (entitlements), optionally
     from an injury or illness rate (`min_rate`, the President's gift: ≥ 81 %);
   - `file`: the people of an imported list (`list_from_file`), each checked in the unit.
4. One line per person (or household) at the highest tier (the highest amount; the first tier
   among equals): the President's Tết gift pays 600.000 or 300.000 by category, never both.
   Records an officer confirmed as the same person (`dedup.identity.one_per_person`) get one line.
5. `also_in`: the names of other packages of the same purpose and an overlapping period that
   hold the same person (or household): a warning on the list, not a block (Resolution 418/NQ-CP
   and Decision 01/QĐ-CTN are both due at Tết 2026).
6. Inserts the lines in bulk, sets the package's totals, freezes it; audited PACKAGE_CREATE and
   PACKAGE_FREEZE, all in one transaction (a crash leaves no half list: run it again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, Field
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Household, HouseholdStatus, Member, Relation
from ansinh.lib.bulk import insert_rows
from ansinh.lib.vietnamese import format_number
from ansinh.poverty.models import Assessment, PovertyStatus, ReviewRound, RoundKind, RoundStatus

from . import access
from .models import Package, PackageLine, PackageState, PackageTier, PayStatus, Per, Purpose, TierRule

ProgressFn = Callable[[int, int], None]
MAX_TIERS = 20
MAX_AMOUNT = 1_000_000_000  # a one-off gift or support above a billion đồng per recipient is a typo
RULE_PER = {  # the recipient each rule gives
    TierRule.HOUSEHOLD_STATUS: Per.HOUSEHOLD, TierRule.MEMBERS_OF_STATUS: Per.PERSON, TierRule.AGE: Per.PERSON,
    TierRule.CATEGORY: Per.PERSON, TierRule.FILE: Per.PERSON,
}
STATUS_WORDS = {PovertyStatus.POOR: "hộ nghèo", PovertyStatus.NEAR_POOR: "hộ cận nghèo",
                PovertyStatus.AVERAGE: "hộ có mức sống trung bình", PovertyStatus.NOT_POOR: "hộ không nghèo"}


@dataclass
class TierSpec:
    """A tier as callers give it. `params` by rule: household_status and members_of_status
    `{"statuses": ["poor", "near_poor"]}`, age `{"ages": [90, 100], "year": 2026}`, category
    `{"codes": [...], "min_rate": 81}` (`min_rate` optional), file `{"members": [ids]}`;
    members_of_status may add `"under_age": 16` (the children of such households)."""

    name: str
    rule: str
    params: dict[str, Any]
    per: str
    central: int = 0
    local: int = 0
    socialised: int = 0

    @property
    def amount(self) -> int:
        return self.central + self.local + self.socialised


@dataclass
class _Line:
    rank: int  # the tier's place in the order of preference (0: the highest)
    person: int | None
    household: int | None
    commune: int
    hamlet: int | None


@dataclass
class Built:
    """The recipients found, before they are written: per tier, in the order of preference."""

    lines: list[_Line] = field(default_factory=list)
    # household id → its head (a household line is signed by its head)
    heads: dict[int, int] = field(default_factory=dict)


# --- Validation -------------------------------------------------------------------------------


def _ints(value: Any, what: str) -> list[int]:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("%(what)s: give at least one value.") % {"what": what})
    out = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | str) or not str(item).strip().isdigit():
            raise ValidationError(_("%(what)s: “%(value)s” is not a whole number.") % {"what": what, "value": item})
        out.append(int(item))
    return out


def clean_tier(spec: TierSpec, index: int) -> TierSpec:
    """The tier checked and normalised (params sorted, so that the key does not depend on the
    order values were typed in); raises ValidationError naming the tier."""
    label = _("Tier %(n)s") % {"n": index}

    def fail(text: str) -> ValidationError:
        return ValidationError(f"{label}: {text}")

    name = (spec.name or "").strip()
    if not name:
        raise fail(_("give the tier a name."))
    if spec.rule not in TierRule.values:
        raise fail(_("unknown rule “%(rule)s”.") % {"rule": spec.rule})
    if spec.per not in Per.values:
        raise fail(_("the amount is per person or per household."))
    rule = TierRule(spec.rule)
    if spec.per != RULE_PER[rule]:
        raise fail(_("this rule pays %(per)s.") % {"per": Per(RULE_PER[rule]).label})
    for part in (spec.central, spec.local, spec.socialised):
        if isinstance(part, bool) or not isinstance(part, int) or part < 0:
            raise fail(_("amounts are whole numbers of đồng, zero or more."))
    if spec.amount <= 0:
        raise fail(_("give an amount (central, local or socialised funds)."))
    if spec.amount > MAX_AMOUNT:
        raise fail(_("%(amount)s đồng per recipient is too much for a one-off package.")
                   % {"amount": format_number(spec.amount)})
    params = spec.params if isinstance(spec.params, dict) else {}
    clean: dict[str, Any]
    try:
        if rule in (TierRule.HOUSEHOLD_STATUS, TierRule.MEMBERS_OF_STATUS):
            statuses = params.get("statuses")
            if not isinstance(statuses, list) or not statuses:
                raise fail(_("choose at least one poverty status."))
            bad = [s for s in statuses if s not in PovertyStatus.values]
            if bad:
                raise fail(_("unknown poverty status “%(status)s”.") % {"status": bad[0]})
            clean = {"statuses": sorted(set(statuses))}
            if rule == TierRule.MEMBERS_OF_STATUS and params.get("under_age") not in (None, ""):
                under = _ints([params["under_age"]], _("the age limit"))[0]
                if not 1 <= under <= 130:
                    raise fail(_("ages are between 1 and 130."))
                clean["under_age"] = under
        elif rule == TierRule.AGE:
            ages = sorted(set(_ints(params.get("ages"), _("ages"))))
            if any(a < 1 or a > 130 for a in ages):
                raise fail(_("ages are between 1 and 130."))
            year = params.get("year")
            if isinstance(year, bool) or not isinstance(year, int | str) or not str(year).isdigit() \
                    or not 1900 <= int(year) <= 2200:
                raise fail(_("give the year in which the ages are reached (e.g. 2026)."))
            clean = {"ages": ages, "year": int(year)}
        elif rule == TierRule.CATEGORY:
            codes = params.get("codes")
            if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c.strip() for c in codes):
                raise fail(_("choose at least one benefit category."))
            from ansinh.benefits.models import Category

            codes = sorted({c.strip() for c in codes})
            known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise fail(_("unknown benefit category “%(code)s”.") % {"code": unknown[0]})
            clean = {"codes": codes}
            if params.get("min_rate") not in (None, ""):
                rate = _ints([params["min_rate"]], _("the lowest rate"))[0]
                if not 1 <= rate <= 100:
                    raise fail(_("the lowest injury or illness rate is between 1 and 100 %."))
                clean["min_rate"] = rate
        else:
            members = sorted(set(_ints(params.get("members"), _("the list"))))
            clean = {"members": members}
    except ValidationError as error:
        if str(error.messages[0]).startswith(label):
            raise
        raise fail(error.messages[0]) from None
    return TierSpec(name=name[:255], rule=rule.value, params=clean, per=spec.per, central=spec.central,
                    local=spec.local, socialised=spec.socialised)


def package_key(*, name: str, unit: Unit, on: dt.date, tiers: Sequence[TierSpec]) -> str:
    """A digest of what makes a package: its name, unit, date and tiers."""
    body = {"name": " ".join(name.split()).casefold(), "unit": unit.pk, "on": on.isoformat(),
            "tiers": [asdict(t) for t in tiers]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- Who: the registries on a date ------------------------------------------------------------


def _communes(unit: Unit) -> list[tuple[int, str]]:
    if unit.level == Level.COMMUNE:
        return [(unit.pk, unit.path)]
    return list(Unit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE, edition=Edition.CURRENT)
                .values_list("pk", "path"))


def rounds_in_force(unit: Unit, on: dt.date) -> dict[int, list[int]]:
    """The review round in force on `on` for each commune of `unit`: the latest decided periodic
    round (by reference date) covering the commune, decided on or before `on`. Round id → its
    communes; communes with none are left out."""
    communes = _communes(unit)
    above = [*unit.ancestor_ids(), unit.pk]
    rounds = list(ReviewRound.objects.filter(kind=RoundKind.PERIODIC, status=RoundStatus.DECIDED, decided_on__lte=on)
                  .filter(Q(unit_id__in=above) | Q(unit__path__startswith=unit.path))
                  .select_related("unit").order_by("-reference_date", "-pk"))
    out: dict[int, list[int]] = defaultdict(list)
    for pk, path in communes:
        found = next((r for r in rounds if path.startswith(r.unit.path)), None)
        if found is not None:
            out[found.pk].append(pk)
    return dict(out)


def households_of_status(unit: Unit, on: dt.date, statuses: Sequence[str]) -> QuerySet[Assessment]:
    """The assessments, in the rounds in force on `on`, of the unit's households with one of
    `statuses` that are still households of the unit on that date. Raises ValidationError when
    no decided round covers the unit on that date."""
    rounds = rounds_in_force(unit, on)
    if not rounds:
        raise ValidationError(
            _("No decided review of poor and near-poor households covers %(unit)s on %(date)s: decide the "
              "review round first, or choose a later date.") % {"unit": unit.name, "date": on.strftime("%d/%m/%Y")})
    where = Q()
    for round_id, ids in rounds.items():
        where |= Q(round_id=round_id, commune_id__in=ids)
    communes = [pk for pk, _path in _communes(unit)]
    active = Q(household__status=HouseholdStatus.ACTIVE) | Q(household__ended_on__gt=on)
    return (Assessment.objects.filter(where, status__in=list(statuses)).filter(active)
            .filter(household__commune_id__in=communes).order_by())


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _present(on: dt.date) -> Q:
    return (Q(died_on__isnull=True) | Q(died_on__gt=on)) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def _tier_people(unit: Unit, on: dt.date, tier: TierSpec, communes: list[int]) -> QuerySet[Member]:
    people = Member.objects.filter(_present(on)).order_by()
    rule = tier.rule
    if rule == TierRule.MEMBERS_OF_STATUS:
        found = households_of_status(unit, on, tier.params["statuses"])
        people = people.filter(household_id__in=found.values("household_id"))
        if "under_age" in tier.params:  # the children of poor households, say
            people = people.filter(birth_date__gt=_years_before(on, tier.params["under_age"]))
        return people
    people = people.filter(household__commune_id__in=communes).filter(
        Q(household__status=HouseholdStatus.ACTIVE) | Q(household__ended_on__gt=on))
    if rule == TierRule.AGE:
        year = tier.params["year"]
        born = Q()
        for age in tier.params["ages"]:
            born |= Q(birth_date__gte=dt.date(year - age, 1, 1), birth_date__lte=dt.date(year - age, 12, 31))
        return people.filter(born)
    if rule == TierRule.CATEGORY:
        from ansinh.benefits.checks import open_in
        from ansinh.benefits.models import Entitlement

        paid = Entitlement.objects.filter(open_in(on.replace(day=1)), category__code__in=tier.params["codes"])
        if "min_rate" in tier.params:
            paid = paid.filter(rate__gte=tier.params["min_rate"])
        return people.filter(pk__in=paid.values("person_id"))
    return people.filter(pk__in=tier.params["members"])


def _check_listed(unit: Unit, on: dt.date, tier: TierSpec, found: int, index: int) -> None:
    """Everyone of an imported list must be a present member of the unit on the date."""
    missing = len(tier.params["members"]) - found
    if missing:
        raise ValidationError(
            _("Tier %(n)s: %(count)s people of the list are not members of %(unit)s living there on %(date)s.")
            % {"n": index, "count": format_number(missing), "unit": unit.name, "date": on.strftime("%d/%m/%Y")})


def build(unit: Unit, on: dt.date, tiers: Sequence[TierSpec], progress: ProgressFn | None = None) -> Built:
    """The recipients, one per person or household at the highest tier (see the module's steps 3–4)."""
    from ansinh.dedup.identity import SAME, one_per_person
    from ansinh.dedup.models import DuplicatePair

    communes = [pk for pk, _path in _communes(unit)]
    order = sorted(range(len(tiers)), key=lambda i: (-tiers[i].amount, i))
    built = Built()
    households_seen: set[int] = set()
    person_rows: list[tuple[int, int, int, int, int | None]] = []  # rank, person, household, commune, hamlet
    for step, index in enumerate(order, start=1):
        tier = tiers[index]
        rank = order.index(index)
        if tier.rule == TierRule.HOUSEHOLD_STATUS:
            found = households_of_status(unit, on, tier.params["statuses"])
            found_households: list[tuple[int, int, int | None]] = list(
                found.values_list("household_id", "household__commune_id", "household__hamlet_id"))
            for household, commune, hamlet in found_households:
                if household not in households_seen:
                    households_seen.add(household)
                    built.lines.append(_Line(rank, None, household, commune, hamlet))
            heads = (Member.objects.filter(_present(on), relation=Relation.HEAD,
                                           household_id__in=found.values("household_id"))
                     .order_by("household_id", "pk").values_list("household_id", "pk"))
            for household, head in heads:
                built.heads.setdefault(household, head)
        else:
            people = _tier_people(unit, on, tier, communes)
            found_people: list[tuple[int, int, int, int | None]] = list(
                people.values_list("pk", "household_id", "household__commune_id", "household__hamlet_id"))
            if tier.rule == TierRule.FILE:
                _check_listed(unit, on, tier, len(found_people), index + 1)
            person_rows += [(rank, *row) for row in found_people]
        if progress is not None:
            progress(step, len(tiers) + 1)
    # One line per person at her highest tier; records confirmed as one person count once.
    person_rows.sort()
    candidates = {row[1] for row in person_rows}
    paired: set[int] = set()
    if candidates:
        pairs = DuplicatePair.objects.filter(status__in=SAME).filter(
            Q(left__household__commune_id__in=communes) | Q(right__household__commune_id__in=communes))
        for left, right in pairs.values_list("left_id", "right_id"):
            paired |= {left, right}
    stands_for = one_per_person(sorted(paired & candidates)) if paired & candidates else {}
    taken: set[int] = set()
    for rank, person, household, commune, hamlet in person_rows:
        who = stands_for.get(person, person)
        if who in taken or person in taken:
            continue
        taken |= {who, person}
        built.lines.append(_Line(rank, person, household, commune, hamlet))
    if progress is not None:
        progress(len(tiers) + 1, len(tiers) + 1)
    return built


def _also_in(package: Package, communes: list[int]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Other packages of the same purpose and an overlapping period: who they hold (person id →
    names, household id → names), in the unit's communes."""
    others = Package.objects.filter(purpose=package.purpose, period_start__lte=package.period_end,
                                    period_end__gte=package.period_start).exclude(pk=package.pk)
    names = dict(others.values_list("pk", "name"))
    people: dict[int, set[str]] = defaultdict(set)
    households: dict[int, set[str]] = defaultdict(set)
    if not names:
        return people, households
    rows = (PackageLine.objects.filter(package_id__in=list(names), commune_id__in=communes).order_by()
            .values_list("package_id", "per", "person_id", "household_id"))
    for pk, per, person, household in rows:
        if per == Per.PERSON and person is not None:
            people[person].add(names[pk])
        elif per == Per.HOUSEHOLD and household is not None:
            households[household].add(names[pk])
    return people, households


# --- Creating a package -------------------------------------------------------------------------


def _period(on: dt.date, period: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date]:
    if period is None:
        return dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
    start, end = period
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    return start, end


def _user(actor: Actor | Any) -> Any:
    return audit.user_of(actor)


def create_package(*, name: str, purpose: str, field: str, unit: Unit, on: dt.date, tiers: list[TierSpec],
                   actor: Actor, legal_basis: str = "", period: tuple[dt.date, dt.date] | None = None, note: str = "",
                   progress: ProgressFn | None = None) -> tuple[Package, bool]:
    """Creates the package and freezes its list (see the module's steps); returns it and whether it
    was created (False: a package with the same name, unit, date and tiers exists, returned as it is)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the package a name."))
    if len(name) > 255:
        raise ValidationError(_("The package's name is too long (255 characters at most)."))
    if purpose not in Purpose.values:
        raise ValidationError(_("Choose the package's purpose."))
    if field not in Field.values:
        raise ValidationError(_("Choose the field whose officers run the package."))
    if unit.edition == Edition.LEGACY or unit.level < Level.PROVINCE or unit.level > Level.COMMUNE:
        raise ValidationError(_("A package is decided for a province or a commune of the current map."))
    if not tiers:
        raise ValidationError(_("Give the package at least one tier."))
    if len(tiers) > MAX_TIERS:
        raise ValidationError(_("A package has at most %(n)s tiers.") % {"n": MAX_TIERS})
    user = _user(actor)
    if user is not None and not access.may_run_package(user, unit, field):
        raise ValidationError(_("You may not create packages of this field in %(unit)s.") % {"unit": unit.name})
    clean = [clean_tier(t, i) for i, t in enumerate(tiers, start=1)]
    start, end = _period(on, period)
    key = package_key(name=name, unit=unit, on=on, tiers=clean)
    existing = Package.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    built = build(unit, on, clean, progress)
    try:
        with transaction.atomic():
            package = _write(name=name, purpose=purpose, field=field, unit=unit, on=on, tiers=clean, actor=actor,
                             legal_basis=legal_basis, start=start, end=end, note=note, key=key, built=built)
    except IntegrityError:
        existing = Package.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing, False
    return package, True


def _write(*, name: str, purpose: str, field: str, unit: Unit, on: dt.date, tiers: list[TierSpec], actor: Actor,
           legal_basis: str, start: dt.date, end: dt.date, note: str, key: str, built: Built) -> Package:
    user = _user(actor)
    package = Package.objects.create(
        name=name, purpose=purpose, field=field, legal_basis=legal_basis[:300], unit=unit, on=on, period_start=start,
        period_end=end, key=key, note=note[:500], created_by=user, state=PackageState.DRAFT)
    tier_rows = PackageTier.objects.bulk_create(
        PackageTier(package=package, order=i, name=t.name, rule=t.rule, params=t.params, per=t.per,
                    central=t.central, local=t.local, socialised=t.socialised) for i, t in enumerate(tiers, start=1))
    order = sorted(range(len(tiers)), key=lambda i: (-tiers[i].amount, i))
    by_rank = {rank: (tier_rows[index], tiers[index]) for rank, index in enumerate(order)}
    communes = [pk for pk, _path in _communes(unit)]
    people, households = _also_in(package, communes)
    # Plain tuples through `lib.bulk.insert_rows` (COPY on PostgreSQL, executemany on SQLite): a
    # province's 20,000 lines as model objects cost seconds of Python in bulk_create.
    columns = ["package_id", "tier_id", "household_id", "person_id", "per", "commune_id", "hamlet_id", "amount",
               "central", "local", "socialised", "also_in", "status", "paid_to", "reason"]
    rows: list[tuple[Any, ...]] = []
    total = 0
    for line in built.lines:
        tier, spec = by_rank[line.rank]
        if spec.per == Per.HOUSEHOLD:
            assert line.household is not None
            also = households.get(line.household, set())
            person = built.heads.get(line.household)
        else:
            also = people.get(line.person or 0, set())
            person = line.person
        rows.append((package.pk, tier.pk, line.household, person, spec.per, line.commune, line.hamlet, spec.amount,
                     spec.central, spec.local, spec.socialised, "; ".join(sorted(also))[:500], PayStatus.PENDING.value,
                     "", ""))
        total += spec.amount
    insert_rows(PackageLine, columns, rows)
    lines = rows
    now = timezone.now()
    Package.objects.filter(pk=package.pk).update(recipients=len(lines), total=total, state=PackageState.FROZEN,
                                                 frozen_at=now, frozen_by=user)
    package.refresh_from_db()
    audit.record(actor=actor, action=AuditAction.PACKAGE_CREATE, obj=package, unit=unit,
                 after={"name": name, "purpose": purpose, "on": on.isoformat(), "tiers": [asdict(t) for t in tiers]})
    audit.record(actor=actor, action=AuditAction.PACKAGE_FREEZE, obj=package, unit=unit,
                 after={"recipients": len(lines), "total": total})
    return package


def packages_around(packages: QuerySet[Package], unit: Unit) -> QuerySet[Package]:
    """Packages of `unit`, of the units inside it, and of the units above it (whose lists reach it)."""
    return packages.filter(Q(unit__path__startswith=unit.path) | Q(unit_id__in=unit.ancestor_ids()))


# --- Figures ------------------------------------------------------------------------------------


def package_totals(package: Package, *, lines: QuerySet[PackageLine] | None = None) -> dict[str, Any]:
    """Recipients and amounts of the package: in all, by funding source, by tier and by payment
    status (paid figures from the paying agent's results). One GROUP BY. `lines`: only these
    (a commune officer's part of a province's package)."""
    rows = ((lines if lines is not None else PackageLine.objects.filter(package=package)).filter(package=package).order_by().values_list("tier_id", "status")
            .annotate(n=Count("pk"), amount=Sum("amount"), central=Sum("central"), local=Sum("local"),
                      socialised=Sum("socialised"), paid=Sum("paid_amount")))
    tiers = {t.pk: t for t in package.tiers.all()}
    by_tier: dict[int, dict[str, Any]] = {
        pk: {"tier": pk, "name": t.name, "amount": t.amount, "recipients": 0, "total": 0} for pk, t in tiers.items()}
    by_status = {s: {"recipients": 0, "amount": 0} for s in PayStatus.values}
    out: dict[str, Any] = {"recipients": 0, "total": 0, "central": 0, "local": 0, "socialised": 0, "paid": 0}
    for tier, status, n, amount, central, local, socialised, paid in rows:
        out["recipients"] += n
        out["total"] += amount or 0
        out["central"] += central or 0
        out["local"] += local or 0
        out["socialised"] += socialised or 0
        if status in (PayStatus.PAID, PayStatus.PARTLY):
            out["paid"] += paid if paid is not None else (amount or 0) if status == PayStatus.PAID else 0
        by_tier[tier]["recipients"] += n
        by_tier[tier]["total"] += amount or 0
        by_status[status]["recipients"] += n
        by_status[status]["amount"] += amount or 0
    out["by_tier"] = [by_tier[pk] for pk in sorted(tiers, key=lambda pk: (tiers[pk].order, pk))]
    out["by_status"] = by_status
    reported = out["recipients"] - by_status[PayStatus.PENDING]["recipients"]
    out["reported"] = reported
    return out


# --- Tiers in words -----------------------------------------------------------------------------


def tier_words(rule: str, params: dict[str, Any], *, categories: dict[str, str] | None = None) -> str:
    """What a tier's rule says, in Vietnamese (pages never show raw params)."""
    if rule in (TierRule.HOUSEHOLD_STATUS, TierRule.MEMBERS_OF_STATUS):
        words = ", ".join(STATUS_WORDS.get(s, s) for s in params.get("statuses", []))
        if rule == TierRule.HOUSEHOLD_STATUS:
            return f"Các {words} theo kết quả rà soát đang có hiệu lực vào ngày của gói"
        who = f"Trẻ em dưới {params['under_age']} tuổi" if params.get("under_age") else "Các thành viên"
        return f"{who} của {words} theo kết quả rà soát đang có hiệu lực vào ngày của gói"
    if rule == TierRule.AGE:
        ages = ", ".join(str(a) for a in params.get("ages", []))
        return f"Người tròn {ages} tuổi trong năm {params.get('year', '')} (theo ngày sinh)"
    if rule == TierRule.CATEGORY:
        names = categories or {}
        codes = params.get("codes", [])
        text = "; ".join(names.get(c, c) for c in codes)
        rate = f", tỷ lệ tổn thương cơ thể từ {params['min_rate']}% trở lên" if params.get("min_rate") else ""
        return f"Người đang hưởng trợ cấp thuộc diện: {text}{rate}"
    count = len(params.get("members", []))
    return f"Danh sách {format_number(count)} người nhập từ tệp"


def category_names(tiers: Iterable[PackageTier | TierSpec]) -> dict[str, str]:
    from ansinh.benefits.models import Category

    codes = {c for t in tiers if t.rule == TierRule.CATEGORY for c in t.params.get("codes", [])}
    return dict(Category.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


# --- A list from a file ---------------------------------------------------------------------------

FILE_LIST_SHEET = "Danh sách"


def list_from_file(source: bytes | str | Path | IO[bytes], *, unit: Unit, actor: Actor | Any = None,
                   name: str = "") -> list[int]:
    """The people of an imported list (a sheet with the column "Số định danh cá nhân", the citizen
    ID; "Họ và tên" optional, checked against the register): their member ids, for a `file` tier.
    Through the tabular framework: every bad row is a problem, and nothing is returned unless the
    whole file is right (all or nothing)."""
    from ansinh.lib.spreadsheets import SpreadsheetError, read_rows
    from ansinh.lib.tabular import Column, ImportProblems, Problem, Problems, message, read_table, record_refused
    from ansinh.lib.vietnamese import fold

    columns = [
        Column("Số định danh cá nhân", "citizen_id", "citizen_id", required=True,
               aliases=("Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân")),
        Column("Họ và tên", "full_name", "text", aliases=("Họ tên",), max_length=150),
    ]
    problems = Problems()
    try:
        rows = read_table(read_rows(source), FILE_LIST_SHEET, columns, problems)
    except SpreadsheetError:
        raise ImportProblems([Problem("", 0, "", _("The file is not a readable .xlsx workbook."))]) from None
    if not rows and not problems:
        problems.add(FILE_LIST_SHEET, 0, "", message(gettext_noop("The list is empty.")))
    ids: list[str] = [r.values["citizen_id"] for r in rows if r.values.get("citizen_id")]
    found: dict[str, tuple[int, str, str]] = {}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        for pk, cid, full_name, path in Member.objects.filter(citizen_id__in=part).values_list(
                "pk", "citizen_id", "full_name", "household__commune__path"):
            if cid:
                found[cid] = (pk, full_name, path)
    seen: dict[str, int] = {}
    out: list[int] = []
    for row in rows:
        cid = row.values.get("citizen_id")
        if not cid:
            continue
        if cid in seen:
            problems.add(row.sheet, row.number, columns[0].header,
                         message(gettext_noop("This citizen ID is already on row %(row)s."), row=seen[cid]))
            continue
        seen[cid] = row.number
        hit = found.get(cid)
        if hit is None or not hit[2].startswith(unit.path):
            problems.add(row.sheet, row.number, columns[0].header,
                         message(gettext_noop("No member of %(unit)s has this citizen ID."), unit=unit.name))
            continue
        typed = row.values.get("full_name")
        if typed and fold(typed) != fold(hit[1]):
            problems.add(row.sheet, row.number, columns[1].header,
                         message(gettext_noop("The register names this person %(name)s."), name=hit[1]))
            continue
        out.append(hit[0])
    if problems:
        record_refused(actor=actor, kind="package list", name=name, rows=len(rows), problems=problems.sorted(),
                       unit=unit)
        problems.raise_if_any()
    return out


def tiers_from_json(data: Any) -> tuple[dict[str, Any], list[TierSpec]]:
    """A package file (docs/package-file.md): the package's fields and its tiers. Raises
    ValidationError for what is missing or of the wrong kind."""
    if not isinstance(data, dict):
        raise ValidationError(_("The package file holds one JSON object (see docs/package-file.md)."))
    tiers = data.get("tiers")
    if not isinstance(tiers, list) or not tiers:
        raise ValidationError(_("The package file has no tiers."))
    out = []
    for index, raw in enumerate(tiers, start=1):
        if not isinstance(raw, dict):
            raise ValidationError(_("Tier %(n)s: not a JSON object.") % {"n": index})
        try:
            out.append(TierSpec(name=str(raw.get("name", "")), rule=str(raw.get("rule", "")),
                                params=raw.get("params") or {}, per=str(raw.get("per", "")),
                                central=raw.get("central", 0), local=raw.get("local", 0),
                                socialised=raw.get("socialised", 0)))
        except TypeError:
            raise ValidationError(_("Tier %(n)s: unknown keys.") % {"n": index}) from None
    fields = {k: v for k, v in data.items() if k != "tiers"}
    return fields, out


__all__ = ["Built", "TierSpec", "build", "category_names", "clean_tier", "create_package", "households_of_status",
           "list_from_file", "package_key", "packages_around", "package_totals", "rounds_in_force", "tier_words", "tiers_from_json"]
