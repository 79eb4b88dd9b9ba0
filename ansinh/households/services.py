"""Workflows on the household register: typed, keyword-only, atomic, audited.

They raise ValidationError (with Vietnamese messages for the user) instead of returning flags.
The review rounds' workflows are in `ansinh.poverty.services`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
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
def household_update(*, actor: Actor, household: Household, **changes: Any) -> Household:
    """Changes the household's address, hamlet, legacy commune or area (an area different from the
    one the commune's type gives is kept as set by hand)."""
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
    household.save()
    _event(household, HouseholdEventKind.EDITED, timezone.localdate(), actor)
    audit.record(actor=actor, action="household.update", obj=household, unit=household.commune, before=before,
                 after=audit.snapshot(household, HOUSEHOLD_FIELDS))
    return household


def _clean_member(member: Member) -> None:
    """Checks a member's identity: the citizen ID against sex and birth year (Decree 137/2015/NĐ-CP),
    the birth date, one head per household."""
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
        clash = Member.objects.filter(citizen_id=member.citizen_id).exclude(pk=member.pk).first()
        if clash is not None:
            raise ValidationError({"citizen_id": _("This citizen ID is already registered (household %(code)s).")
                                   % {"code": clash.household.code}})
    else:
        member.citizen_id = None
    if member.relation == Relation.HEAD:
        heads = Member.objects.present().filter(household_id=member.household_id, relation=Relation.HEAD)
        if heads.exclude(pk=member.pk).exists():
            raise ValidationError({"relation": _("This household already has a head.")})


@transaction.atomic
def member_add(*, actor: Actor, household: Household, on: dt.date | None = None,
               **fields: Any) -> Member:
    member = Member(household=household, **fields)
    _clean_member(member)
    member.set_derived_fields()
    member.save()
    if member.relation == Relation.HEAD:
        _refresh_head(household)
        household.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    _event(household, HouseholdEventKind.MEMBER_JOINED, on or timezone.localdate(), actor, member=member)
    audit.record(actor=actor, action="member.create", obj=member, unit=household.commune,
                 after=audit.snapshot(member, MEMBER_FIELDS))
    return member


@transaction.atomic
def member_update(*, actor: Actor, member: Member, **changes: Any) -> Member:
    forbidden = set(changes) & {"household", "died_on", "left_on"}
    if forbidden:
        raise ValueError("Moves and deaths go through member_move and member_died.")
    before = audit.snapshot(member, MEMBER_FIELDS)
    for name, value in changes.items():
        setattr(member, name, value)
    _clean_member(member)
    member.set_derived_fields()
    member.save()
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
    Member.objects.filter(pk=member.pk).update(died_on=on)
    member.died_on = on
    household = member.household
    _refresh_head(household)
    household.save(update_fields=["head_name", "head_ethnicity", "search_text", "sort_key", "updated_at"])
    _event(household, HouseholdEventKind.MEMBER_DIED, on, actor, member=member)
    audit.record(actor=actor, action="member.died", obj=member, unit=household.commune, before=before,
                 after=audit.snapshot(member, MEMBER_FIELDS))
    return member


def _move(member: Member, to: Household, on: dt.date, actor: Actor, relation: str) -> None:
    source = member.household
    Member.objects.filter(pk=member.pk).update(household=to, relation=relation, updated_at=timezone.now())
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
        status=HouseholdStatus.MERGED, ended_on=on, successor=into, updated_at=timezone.now())
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
