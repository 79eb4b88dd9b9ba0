"""Workflows on the household register: typed, keyword-only, atomic, audited.

They raise ValidationError (with Vietnamese messages for the user) instead of returning flags.
The review rounds' workflows are in `ansinh.poverty.services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.access import get_scope
from ansinh.accounts.models import User
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.citizen_id import CitizenIdError, check_citizen_id

from .models import (
    NEED_FIELDS,
    Area,
    Household,
    HouseholdEvent,
    HouseholdEventKind,
    HouseholdStatus,
    LivingConditions,
    Member,
    Relation,
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


# Called in member_died's transaction as hook(actor=, member=, on=): other apps react to a death
# (the people served stop their entitlements, `ansinh.benefits.apps`) without this module importing them.
DEATH_HOOKS: list[Callable[..., None]] = []


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


def _event(household: Household, kind: str, on: dt.date, actor: Actor, *, member: Member | None = None,
           other: Household | None = None, note: str = "") -> None:
    HouseholdEvent.objects.create(household=household, kind=kind, on=on, member=member, other=other, note=note,
                                  actor=user_of(actor))


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
def household_create(*, actor: Actor, commune: Unit, code: str, address: str = "", hamlet: Unit | None = None,
                     legacy_commune: Unit | None = None, area: str = "", head_ethnicity: str = "01",
                     on: dt.date | None = None) -> Household:
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
                 after=audit.snapshot(household, HOUSEHOLD_FIELDS))
    return household


@transaction.atomic
def household_update(*, actor: Actor, household: Household, version: int | None = None, **changes: Any) -> Household:
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
                 after=audit.snapshot(household, HOUSEHOLD_FIELDS))
    return household


def _clean_member(member: Member, actor: Actor | None = None) -> None:
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
            if (acting := user_of(actor)) is not None and not get_scope(acting).covers(commune):
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
def personal_data_read(*, actor: Actor, household: Household, citizen_ids: int,
                       via: str = "page") -> None:
    """A person who may see them read full citizen IDs of a household (its page, or the API's
    detail): one audit row per reading, with how many (Decree 13/2023/NĐ-CP, Art. 27)."""
    audit.record(actor=actor, action="personal_data.read", obj=household, unit=household.commune,
                 after={"citizen_ids": citizen_ids, "via": via})


def citizen_ids_elsewhere_audit(*, actor: Actor, obj: Model, unit: Unit | None, count: int, source: str = "form") -> None:
    """One audit row for a form submission or an import run that met citizen IDs registered
    outside the user's units: how many, never which. Written in its own transaction, since the
    refused change itself is rolled back."""
    with transaction.atomic():
        audit.record(actor=actor, action="citizen_id.checked_elsewhere", obj=obj, unit=unit,
                     after={"count": count, "source": source})


@contextmanager
def _auditing_elsewhere(actor: Actor, household: Household) -> Iterator[None]:
    try:
        yield
    except CitizenIdElsewhere:
        citizen_ids_elsewhere_audit(actor=actor, obj=household, unit=household.commune, count=1)
        raise


def member_add(*, actor: Actor, household: Household, on: dt.date | None = None,
               **fields: Any) -> Member:
    with _auditing_elsewhere(actor, household):
        return _member_add(actor=actor, household=household, on=on, **fields)


@transaction.atomic
def _member_add(*, actor: Actor, household: Household, on: dt.date | None,
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
                 after=audit.snapshot(member, MEMBER_FIELDS))
    return member


def member_update(*, actor: Actor, member: Member, version: int | None = None,
                  **changes: Any) -> Member:
    """Changes a member's facts. `version` is the version the user's form was made from: a member
    saved by someone else since is refused (StaleEdit)."""
    with _auditing_elsewhere(actor, member.household):
        return _member_update(actor=actor, member=member, version=version, **changes)


@transaction.atomic
def _member_update(*, actor: Actor, member: Member, version: int | None, **changes: Any) -> Member:
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
                 after=audit.snapshot(member, MEMBER_FIELDS))
    return member


@transaction.atomic
def member_died(*, actor: Actor, member: Member, on: dt.date) -> Member:
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
                 after=audit.snapshot(member, MEMBER_FIELDS))
    for hook in DEATH_HOOKS:
        hook(actor=actor, member=member, on=on)
    return member


def _move(member: Member, to: Household, on: dt.date, actor: Actor, relation: str) -> None:
    source = member.household
    member.version = _bump(Member, member.pk, member.version, household=to, relation=relation)
    member.household, member.relation = to, relation
    _event(source, HouseholdEventKind.MEMBER_LEFT, on, actor, member=member, other=to)
    _event(to, HouseholdEventKind.MEMBER_JOINED, on, actor, member=member, other=source)


@transaction.atomic
def member_move(*, actor: Actor, member: Member, to: Household, relation: str, on: dt.date) -> Member:
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
                 after=audit.snapshot(member, MEMBER_FIELDS))
    return member


@transaction.atomic
def household_split(*, actor: Actor, household: Household, members: list[Member], new_code: str,
                    head: Member, on: dt.date, address: str = "") -> Household:
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
                           head_ethnicity=head.ethnicity, on=on)
    for member in members:
        _move(member, new, on, actor, Relation.HEAD if member.pk == head.pk else member.relation)
    for h in (household, new):
        _refresh_head(h)
        h.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    _event(household, HouseholdEventKind.SPLIT, on, actor, other=new)
    _event(new, HouseholdEventKind.SPLIT, on, actor, other=household, note=_("Split from %(code)s") % {"code": household.code})
    audit.record(actor=actor, action="household.split", obj=household, unit=household.commune,
                 after={"new_household": new.code, "members": sorted(ids)})
    return new


@transaction.atomic
def household_merge(*, actor: Actor, household: Household, into: Household, on: dt.date) -> Household:
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
                 after=audit.snapshot(household, HOUSEHOLD_FIELDS))
    return into


@transaction.atomic
def conditions_record(*, actor: Actor, household: Household, year: int,
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
                 after=audit.snapshot(conditions, CONDITION_FIELDS))
    return conditions


def _locked_years(household: Household) -> list[int]:
    """Years whose review round is decided: their living conditions are locked.

    The one place the register asks the poverty review something; imported here, not at the top,
    because `ansinh.poverty` depends on `ansinh.households`, never the reverse.
    """
    from ansinh.poverty.models import ReviewRound, RoundStatus

    return list(ReviewRound.objects.filter(
        status=RoundStatus.DECIDED, assessments__household=household).values_list("year", flat=True))
