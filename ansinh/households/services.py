"""Workflows on households and review rounds: typed, keyword-only, atomic, audited.

They raise ValidationError (with Vietnamese messages for the user) instead of returning flags.
Batch work (`review_round_run`) is set-based: facts are read as arrays, classified by the
vectorised engine, and stored with one bulk insert per batch of communes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope
from ansinh.accounts.models import User
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.bulk import insert_rows
from ansinh.lib.citizen_id import CitizenIdError, check_citizen_id

from . import engine, facts
from .models import (
    NEED_FIELDS,
    STEP_ORDER,
    Area,
    Assessment,
    Household,
    HouseholdEvent,
    HouseholdEventKind,
    HouseholdStatus,
    IncomeMethod,
    IncomeScoringTable,
    LivingConditions,
    Member,
    PovertyStandard,
    PovertyStatus,
    Relation,
    ReviewRound,
    RoundKind,
    RoundProgress,
    RoundStatus,
    Step,
)

HOUSEHOLD_FIELDS = ["code", "commune", "hamlet", "legacy_commune", "address", "area", "area_overridden",
                    "head_name", "head_ethnicity", "status", "ended_on", "successor"]
MEMBER_FIELDS = ["household", "full_name", "citizen_id", "sex", "birth_date", "relation", "ethnicity",
                 "health_insurance", "schooling", "education", "in_training", "employment", "can_work",
                 "disability", "pension", "social_allowance", "meritorious", "stunted", "underweight",
                 "uses_internet", "sick_untreated", "died_on", "left_on"]
CONDITION_FIELDS = ["year", "housing", "floor_area", "water_source", "latrine", "waste_treated", "has_tv",
                    "has_radio", "has_computer", "has_phone", "hears_loudspeaker", "income_per_capita",
                    "b1_answers", "b2_flags", *NEED_FIELDS, "surveyed_on"]


class StaleEdit(ValidationError):
    """Someone else saved the record since the form (or the API client) read it: nothing is
    written; the caller shows the current values and lets the user decide again."""


class CitizenIdElsewhere(ValidationError):
    """The citizen ID belongs to a person registered outside the user's units: the message routes
    the person to that province, never naming the household (Decree 13/2023/NĐ-CP)."""


def _stale() -> StaleEdit:
    return StaleEdit(_("Someone else saved this record after you opened the form. Their values are shown "
                       "next to yours: check them, then save again."), code="stale")


def _save_versioned(obj: Household | Member, fields: list[str], expected: int | None) -> None:
    """Writes `fields` of `obj` only if its row is still at version `expected` (the version the
    user's form was made from; by default the version `obj` was read at), and raises the version.

    One conditional UPDATE (`filter(pk=…, version=…).update(…)`), not a read then a save: of two
    saves made from the same version, the second finds no row and is refused (StaleEdit).
    """
    expected = obj.version if expected is None else expected
    attnames = [field.attname for name in fields if isinstance(field := type(obj)._meta.get_field(name), models.Field)]
    values: dict[str, Any] = {attname: getattr(obj, attname) for attname in attnames}
    now = timezone.now()
    updated = type(obj)._default_manager.filter(pk=obj.pk, version=expected).update(
        **values, version=expected + 1, updated_at=now)
    if updated != 1:
        raise _stale()
    obj.version, obj.updated_at = expected + 1, now


def _bump(model: type[Model], pk: int, expected: int, **values: Any) -> int:
    """The conditional UPDATE of `_save_versioned` for a few columns; returns the new version."""
    updated = model._default_manager.filter(pk=pk, version=expected).update(
        **values, version=expected + 1, updated_at=timezone.now())
    if updated != 1:
        raise _stale()
    return expected + 1


def area_for(commune: Unit) -> str:
    """Decision 24/2021/QĐ-TTg and Decree 07/2021/NĐ-CP: wards and townships are urban, communes
    and special zones rural."""
    return Area.URBAN if commune.is_urban else Area.RURAL


def _event(household: Household, kind: str, on: dt.date, actor: User | None, *, member: Member | None = None,
           other: Household | None = None, note: str = "") -> None:
    HouseholdEvent.objects.create(household=household, kind=kind, on=on, member=member, other=other, note=note,
                                  actor=actor)


def _refresh_head(household: Household) -> None:
    head = household.members.present().filter(relation=Relation.HEAD).first()
    household.head_name = head.full_name if head else ""
    if head:
        household.head_ethnicity = head.ethnicity
    household.set_derived_fields()


def _check_commune(commune: Unit, hamlet: Unit | None, legacy_commune: Unit | None) -> None:
    if commune.level != Level.COMMUNE or commune.edition != Edition.CURRENT:
        raise ValidationError({"commune": _("Choose a commune of the current map.")})
    if hamlet is not None and hamlet.parent_id != commune.pk:
        raise ValidationError({"hamlet": _("The hamlet is not in this commune.")})
    if legacy_commune is not None and not commune.legacy_sources().filter(pk=legacy_commune.pk).exists():
        raise ValidationError({"legacy_commune": _("This commune was not formed from that former commune.")})


@transaction.atomic
def household_create(*, actor: User | None, commune: Unit, code: str, address: str = "", hamlet: Unit | None = None,
                     legacy_commune: Unit | None = None, area: str = "", head_ethnicity: str = "01",
                     on: dt.date | None = None, ip: str | None = None) -> Household:
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("Enter the household code.")})
    if Household.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A household with this code is already registered.")})
    _check_commune(commune, hamlet, legacy_commune)
    household = Household(code=code, commune=commune, hamlet=hamlet, legacy_commune=legacy_commune,
                          address=address.strip(), area=area or area_for(commune),
                          area_overridden=bool(area) and area != area_for(commune), head_ethnicity=head_ethnicity)
    household.set_derived_fields()
    household.save()
    _event(household, HouseholdEventKind.CREATED, on or timezone.localdate(), actor)
    audit.record(actor=actor, action="household.create", obj=household, unit=commune,
                 after=audit.snapshot(household, HOUSEHOLD_FIELDS), ip=ip)
    return household


@transaction.atomic
def household_update(*, actor: User | None, household: Household, ip: str | None = None, version: int | None = None,
                     **changes: Any) -> Household:
    """Changes the household's address, hamlet, legacy commune or area (an area different from the
    one the commune's type gives is kept as set by hand). `version` is the version the user's form
    was made from: a household saved by someone else since is refused (StaleEdit)."""
    allowed = {"address", "hamlet", "legacy_commune", "area"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"household_update cannot change {sorted(unknown)}")
    before = audit.snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in changes.items():
        setattr(household, name, value.strip() if isinstance(value, str) and name == "address" else value)
    if "area" in changes:
        if household.area not in Area.values:
            raise ValidationError({"area": _("Choose urban or rural.")})
        household.area_overridden = household.area != area_for(household.commune)
    _check_commune(household.commune, household.hamlet, household.legacy_commune)
    household.set_derived_fields()
    _save_versioned(household, ["address", "hamlet", "legacy_commune", "area", "area_overridden", "search_text",
                                "sort_key"], version)
    _event(household, HouseholdEventKind.EDITED, timezone.localdate(), actor)
    audit.record(actor=actor, action="household.update", obj=household, unit=household.commune, before=before,
                 after=audit.snapshot(household, HOUSEHOLD_FIELDS), ip=ip)
    return household


def _clean_member(member: Member, actor: User | None = None) -> None:
    """Checks a member's identity: the citizen ID against sex and birth year (Decree 137/2015/NĐ-CP),
    the birth date, one head per household. A citizen ID already registered is named with its
    household only inside the actor's units; elsewhere the message routes the person to the
    province that holds it (CitizenIdElsewhere)."""
    member.full_name = " ".join(member.full_name.split())
    if not member.full_name:
        raise ValidationError({"full_name": _("Enter the member's full name.")})
    if member.birth_date is None:
        raise ValidationError({"birth_date": _("Enter the date of birth.")})
    if member.birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("The date of birth is in the future.")})
    if member.citizen_id:
        member.citizen_id = member.citizen_id.strip().replace(" ", "")
        try:
            check_citizen_id(member.citizen_id, sex=member.sex, birth_year=member.birth_date.year)  # type: ignore[arg-type]
        except CitizenIdError as error:
            raise ValidationError({"citizen_id": str(error)}) from None
        clash = (Member.objects.filter(citizen_id=member.citizen_id).exclude(pk=member.pk)
                 .select_related("household__commune").first())
        if clash is not None:
            commune = clash.household.commune
            if actor is not None and not get_scope(actor).covers(commune):
                raise CitizenIdElsewhere({"citizen_id": elsewhere_message(commune)})
            raise ValidationError({"citizen_id": _("This citizen ID is already registered (household %(code)s).")
                                   % {"code": clash.household.code}})
    else:
        member.citizen_id = None
    if member.relation == Relation.HEAD:
        heads = Member.objects.present().filter(household_id=member.household_id, relation=Relation.HEAD)
        if heads.exclude(pk=member.pk).exists():
            raise ValidationError({"relation": _("This household already has a head.")})


def elsewhere_message(commune: Unit) -> str:
    """What a user is told of a citizen ID registered outside her units: the province to contact,
    not the household."""
    province = commune.province() if commune.level > Level.PROVINCE else commune
    return _("This citizen ID is registered in another locality. To move the person here, contact the Department "
             "of Home Affairs or the unit that manages the household in %(province)s.") % {
                 "province": province.name if province is not None else _("another province")}


@transaction.atomic
def personal_data_read(*, actor: User | None, household: Household, citizen_ids: int, ip: str | None = None,
                       via: str = "page") -> None:
    """A person who may see them read full citizen IDs of a household (its page, or the API's
    detail): one audit row per reading, with how many (Decree 13/2023/NĐ-CP, Art. 27)."""
    audit.record(actor=actor, action="personal_data.read", obj=household, unit=household.commune,
                 after={"citizen_ids": citizen_ids, "via": via}, ip=ip)


def citizen_ids_elsewhere_audit(*, actor: User | None, obj: Model, unit: Unit | None, count: int,
                                ip: str | None = None, source: str = "form") -> None:
    """One audit row for a form submission or an import run that met citizen IDs registered
    outside the user's units: how many, never which. Written in its own transaction, since the
    refused change itself is rolled back."""
    with transaction.atomic():
        audit.record(actor=actor, action="personal_data.citizen_id_elsewhere", obj=obj, unit=unit,
                     after={"count": count, "source": source}, ip=ip)


@contextmanager
def _auditing_elsewhere(actor: User | None, household: Household, ip: str | None) -> Iterator[None]:
    try:
        yield
    except CitizenIdElsewhere:
        citizen_ids_elsewhere_audit(actor=actor, obj=household, unit=household.commune, count=1, ip=ip)
        raise


def member_add(*, actor: User | None, household: Household, ip: str | None = None, on: dt.date | None = None,
               **fields: Any) -> Member:
    with _auditing_elsewhere(actor, household, ip):
        return _member_add(actor=actor, household=household, ip=ip, on=on, **fields)


@transaction.atomic
def _member_add(*, actor: User | None, household: Household, ip: str | None, on: dt.date | None,
                **fields: Any) -> Member:
    member = Member(household=household, **fields)
    _clean_member(member, actor)
    member.set_derived_fields()
    member.save()
    if member.relation == Relation.HEAD:
        _refresh_head(household)
        household.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    _event(household, HouseholdEventKind.MEMBER_JOINED, on or timezone.localdate(), actor, member=member)
    audit.record(actor=actor, action="member.create", obj=member, unit=household.commune,
                 after=audit.snapshot(member, MEMBER_FIELDS), ip=ip)
    return member


def member_update(*, actor: User | None, member: Member, ip: str | None = None, version: int | None = None,
                  **changes: Any) -> Member:
    """Changes a member's facts. `version` is the version the user's form was made from: a member
    saved by someone else since is refused (StaleEdit)."""
    with _auditing_elsewhere(actor, member.household, ip):
        return _member_update(actor=actor, member=member, ip=ip, version=version, **changes)


@transaction.atomic
def _member_update(*, actor: User | None, member: Member, ip: str | None, version: int | None,
                   **changes: Any) -> Member:
    forbidden = set(changes) & {"household", "died_on", "left_on"}
    if forbidden:
        raise ValueError("Moves and deaths go through member_move and member_died.")
    before = audit.snapshot(member, MEMBER_FIELDS)
    for name, value in changes.items():
        setattr(member, name, value)
    _clean_member(member, actor)
    member.set_derived_fields()
    _save_versioned(member, [*changes, "citizen_id", "full_name", "search_name", "sort_key"], version)
    household = member.household
    _refresh_head(household)
    household.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    audit.record(actor=actor, action="member.update", obj=member, unit=household.commune, before=before,
                 after=audit.snapshot(member, MEMBER_FIELDS), ip=ip)
    return member


@transaction.atomic
def member_died(*, actor: User | None, member: Member, on: dt.date, ip: str | None = None) -> Member:
    if member.died_on is not None:
        raise ValidationError(_("This member's death is already recorded."))
    if on < member.birth_date or on > timezone.localdate():
        raise ValidationError({"died_on": _("The date of death must be between the birth date and today.")})
    before = audit.snapshot(member, MEMBER_FIELDS)
    member.version = _bump(Member, member.pk, member.version, died_on=on)
    member.died_on = on
    household = member.household
    _refresh_head(household)
    household.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    _event(household, HouseholdEventKind.MEMBER_DIED, on, actor, member=member)
    audit.record(actor=actor, action="member.died", obj=member, unit=household.commune, before=before,
                 after=audit.snapshot(member, MEMBER_FIELDS), ip=ip)
    return member


def _move(member: Member, to: Household, on: dt.date, actor: User | None, relation: str) -> None:
    source = member.household
    member.version = _bump(Member, member.pk, member.version, household=to, relation=relation)
    member.household, member.relation = to, relation
    _event(source, HouseholdEventKind.MEMBER_LEFT, on, actor, member=member, other=to)
    _event(to, HouseholdEventKind.MEMBER_JOINED, on, actor, member=member, other=source)


@transaction.atomic
def member_move(*, actor: User | None, member: Member, to: Household, relation: str, on: dt.date,
                ip: str | None = None) -> Member:
    """Moves a member to another household (marriage, adoption, moving in with relatives).

    Both households keep the move in their history; each keeps its head (a head who moves away
    leaves the household without one until another member is made head).
    """
    if member.died_on is not None:
        raise ValidationError(_("A deceased member cannot move."))
    if to.pk == member.household_id:
        raise ValidationError({"to": _("The member already lives in this household.")})
    if to.status != HouseholdStatus.ACTIVE:
        raise ValidationError({"to": _("That household is no longer active.")})
    if relation == Relation.HEAD and to.members.present().filter(relation=Relation.HEAD).exists():
        raise ValidationError({"relation": _("That household already has a head.")})
    before = audit.snapshot(member, MEMBER_FIELDS)
    source = member.household
    _move(member, to, on, actor, relation)
    for household in (source, to):
        _refresh_head(household)
        household.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    audit.record(actor=actor, action="member.move", obj=member, unit=to.commune, before=before,
                 after=audit.snapshot(member, MEMBER_FIELDS), ip=ip)
    return member


@transaction.atomic
def household_split(*, actor: User | None, household: Household, members: list[Member], new_code: str,
                    head: Member, on: dt.date, address: str = "", ip: str | None = None) -> Household:
    """Some members leave to form a new household (tách hộ) in the same commune.

    1. Check the members belong to the household and the new head is one of them.
    2. Create the new household, move the members (the new head becomes its head, others keep
       their relation), record the split on both households, audit.
    """
    ids = {m.pk for m in members}
    if not ids or head.pk not in ids:
        raise ValidationError(_("Choose the members who leave, and which of them heads the new household."))
    if any(m.household_id != household.pk or m.died_on for m in members):
        raise ValidationError(_("Only living members of this household can leave it."))
    if len(ids) >= household.members.present().count():
        raise ValidationError(_("At least one member must stay in the original household."))
    new = household_create(actor=actor, commune=household.commune, code=new_code, hamlet=household.hamlet,
                           address=address or household.address, area=household.area,
                           head_ethnicity=head.ethnicity, on=on, ip=ip)
    for member in members:
        _move(member, new, on, actor, Relation.HEAD if member.pk == head.pk else member.relation)
    for h in (household, new):
        _refresh_head(h)
        h.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    _event(household, HouseholdEventKind.SPLIT, on, actor, other=new)
    _event(new, HouseholdEventKind.SPLIT, on, actor, other=household, note=_("Split from %(code)s") % {"code": household.code})
    audit.record(actor=actor, action="household.split", obj=household, unit=household.commune,
                 after={"new_household": new.code, "members": sorted(ids)}, ip=ip)
    return new


@transaction.atomic
def household_merge(*, actor: User | None, household: Household, into: Household, on: dt.date,
                    ip: str | None = None) -> Household:
    """A household joins another (nhập hộ): its members move, it ends as merged, history is kept."""
    if household.pk == into.pk:
        raise ValidationError(_("A household cannot be merged into itself."))
    if household.status != HouseholdStatus.ACTIVE or into.status != HouseholdStatus.ACTIVE:
        raise ValidationError(_("Only active households can be merged."))
    before = audit.snapshot(household, HOUSEHOLD_FIELDS)
    for member in list(household.members.present()):
        _move(member, into, on, actor, Relation.OTHER if member.relation == Relation.HEAD else member.relation)
    updated = Household.objects.filter(pk=household.pk, status=HouseholdStatus.ACTIVE).update(
        status=HouseholdStatus.MERGED, ended_on=on, successor=into, updated_at=timezone.now(), version=F("version") + 1)
    if updated != 1:
        raise ValidationError(_("The household changed meanwhile; try again."))
    household.refresh_from_db()
    _refresh_head(into)
    into.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    _event(household, HouseholdEventKind.MERGED, on, actor, other=into)
    _event(into, HouseholdEventKind.MERGED, on, actor, other=household)
    audit.record(actor=actor, action="household.merge", obj=household, unit=household.commune, before=before,
                 after=audit.snapshot(household, HOUSEHOLD_FIELDS), ip=ip)
    return into


@transaction.atomic
def conditions_record(*, actor: User | None, household: Household, year: int, ip: str | None = None,
                      **values: Any) -> LivingConditions:
    """Records (or corrects) what the survey found in a household for a review year."""
    if year < 2016 or year > timezone.localdate().year + 1:
        raise ValidationError({"year": _("Choose a review year between 2016 and next year.")})
    if _locked_years(household).count(year):
        raise ValidationError(_("The review round of %(year)s is decided: its facts are locked.") % {"year": year})
    area = values.get("floor_area")
    if area is not None and Decimal(area) <= 0:
        raise ValidationError({"floor_area": _("The floor area must be more than 0 m².")})
    income = values.get("income_per_capita")
    if income is not None and Decimal(income) < 0:
        raise ValidationError({"income_per_capita": _("The income cannot be negative.")})
    existing = LivingConditions.objects.filter(household=household, year=year).first()
    before = audit.snapshot(existing, CONDITION_FIELDS) if existing else None
    conditions = existing or LivingConditions(household=household, year=year)
    for name, value in values.items():
        setattr(conditions, name, value)
    conditions.save()
    audit.record(actor=actor, action="conditions.record", obj=conditions, unit=household.commune, before=before,
                 after=audit.snapshot(conditions, CONDITION_FIELDS), ip=ip)
    return conditions


def _locked_years(household: Household) -> list[int]:
    return list(ReviewRound.objects.filter(
        status=RoundStatus.DECIDED, assessments__household=household).values_list("year", flat=True))


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


@transaction.atomic
def review_round_open(*, actor: User | None, unit: Unit, year: int, kind: str = RoundKind.PERIODIC,
                      month: int | None = None, ip: str | None = None) -> ReviewRound:
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
                                        reference_date=reference, previous=previous, created_by=actor)
    audit.record(actor=actor, action="review_round.open", obj=round_, unit=unit,
                 after={"year": year, "kind": kind, "month": month, "standard": standard.code}, ip=ip)
    return round_


def _scoring_tables(standard: PovertyStandard) -> dict[str, dict[str, Any]]:
    return {t.region: {"base": t.base, "items": t.items} for t in IncomeScoringTable.objects.filter(standard=standard)}


def _previous_statuses(round_: ReviewRound, commune_ids: list[int], ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Status codes in the previous round (-1: not assessed) and whether the household was ever
    poor in an earlier round (for re-poverty): two integer queries, matched by household id."""
    previous = np.full(len(ids), -1, dtype=np.int64)
    ever_poor = np.zeros(len(ids), dtype=bool)
    if round_.previous is None:
        return previous, ever_poor
    marks, params = facts._in(commune_ids)
    inside = f"a.household_id IN (SELECT h.id FROM households_household h WHERE h.commune_id IN ({marks}))"
    rows = facts._fetch(
        f"SELECT a.household_id, {facts._case('a.status', engine.STATUS_INDEX)} FROM households_assessment a "
        f"WHERE a.round_id = %s AND {inside}", [round_.previous.pk, *params], 2)
    at = np.searchsorted(ids, rows[:, 0])
    found = (at < len(ids)) & (ids[np.minimum(at, len(ids) - 1)] == rows[:, 0])
    previous[at[found]] = rows[found, 1]
    earlier = facts._fetch(
        f"SELECT DISTINCT a.household_id FROM households_assessment a JOIN households_reviewround r "
        f"ON r.id = a.round_id WHERE {inside} AND a.status = %s AND r.kind = %s AND r.year < %s",
        [*params, PovertyStatus.POOR.value, RoundKind.PERIODIC.value, round_.previous.year], 1)[:, 0]
    if len(earlier):
        ever_poor = np.isin(ids, earlier)
    return previous, ever_poor


BATCH_HOUSEHOLDS = 200_000  # households classified per batch of communes, to bound memory


def review_round_run(*, round: ReviewRound, actor: User | None, ip: str | None = None,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Classifies every active household of the round's communes; returns how many.

    1. Refuse a decided (locked) round.
    2. Group the communes into batches of about BATCH_HOUSEHOLDS households.
    3. Per batch: read the facts as arrays (facts.load), compute the deprivation flags and the
       income (declared, or estimated by the region's scoring table), classify, compare with the
       previous round, replace the batch's assessments with one bulk insert (the reason sentence
       is not stored: it is derived from the stored figures when read, `Assessment.reason_text`).
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
            Assessment.objects.filter(round=round_, commune_id__in=batch).delete()
            written, batch_tally = _classify_batch(round_, spec, tables, region, batch)
            for status, n in batch_tally.items():
                tally[status] += n
            done += written
            if progress:
                progress(done, total)
        ReviewRound.objects.filter(pk=round_.pk).update(classified_at=timezone.now(), households_classified=done)
        round.classified_at, round.households_classified = timezone.now(), done
        audit.record(actor=actor, action="review_round.classify", obj=round_, unit=round_.unit,
                     after={"households": done, **tally}, ip=ip)
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
    previous, ever_poor = _previous_statuses(round_, commune_ids, h.ids)
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
    income_int = np.rint(income).astype(np.int64).tolist()
    status_list, area_list = status.tolist(), h.urban.tolist()
    rows = (
        (round_.pk, hid, commune, None if hamlet < 0 else hamlet, "urban" if urb else "rural", eth, size,
         Decimal(inc), method, msk, cnt, statuses[st], prev, trans, bool(cw == 0), bool(mer), bool(alw), nd)
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
def review_round_step(*, actor: User | None, round: ReviewRound, commune: Unit, step: str, on: dt.date,
                      note: str = "", ip: str | None = None) -> RoundProgress:
    """A commune records a step of the round as done; steps follow the order of Decision 24/2021/QĐ-TTg."""
    if round.locked:
        raise ValidationError(_("This review round is decided: its results are locked."))
    if step not in STEP_ORDER:
        raise ValidationError({"step": _("Unknown step.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if commune.pk not in {c.pk for c in _communes(round.unit)}:
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
                                            actor=actor)
    audit.record(actor=actor, action="review_round.step", obj=round, unit=commune,
                 after={"step": step, "done_on": on.isoformat(), "note": note}, ip=ip)
    return progress


@transaction.atomic
def review_round_decide(*, round: ReviewRound, actor: User | None, decision_number: str, decided_on: dt.date,
                        ip: str | None = None) -> ReviewRound:
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
        status=RoundStatus.DECIDED, decision_number=decision_number, decided_on=decided_on, decided_by=actor)
    if updated != 1:
        raise ValidationError(_("This review round is already decided."))
    RoundProgress.objects.bulk_create(
        [RoundProgress(round=round, commune_id=pk, step=Step.DECISION, done_on=decided_on, actor=actor,
                       note=decision_number) for pk in sorted(with_households)], ignore_conflicts=True)
    round.refresh_from_db()
    audit.record(actor=actor, action="review_round.decide", obj=round, unit=round.unit,
                 after={"decision_number": decision_number, "decided_on": decided_on.isoformat()}, ip=ip)
    return round
