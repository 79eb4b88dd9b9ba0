"""Workflows on the registry of people served: entitlements, martyrs, deaths and their benefits,
dossiers (hồ sơ tăng, giảm). Typed, keyword-only after the actor, atomic, audited.

They raise `ValidationError` with Vietnamese messages keyed by field instead of returning flags,
and `PermissionDenied` when a signed-in actor may not change the scheme in the commune (views
and the API also ask `ansinh.benefits.access` first; the system actor — demo data, loaders — is
trusted).

The start and stop rules, with their legal basis:
1. Social assistance and the social pension start from the month the decision is signed (Decree
   20/2021/NĐ-CP Art. 8(1)đ; from 1 Jul 2025 the commune chairman signs, Decree 147/2025/NĐ-CP
   Art. 5 and Decree 176/2025/NĐ-CP Art. 4).
2. Groups 5(5)b and 5(5)c (aged 75 and 80) start from the month the age is reached (Art. 8(1)đ),
   but never before the decision's month: the dossier may be lodged and decided before the
   birthday (then the birthday's month governs), while a decision made after it gives no arrears
   (social assistance pays no arrears, benefits.md §4).
3. A person with a disability (5(6)) is paid from the month the disability certificate is issued
   (Art. 8(1)đ), recorded in `recognised_on`; without it, from the decision's month. A decision
   signed after the certificate's month owes the months between (`monthly.arrears`).
4. Meritorious categories start from the month of `recognised_on` (the recognition, or the
   medical council's conclusion, Decree 131/2021/NĐ-CP Arts. 8 and 45), not earlier than 1 Jul
   2021 (Art. 45: injuries assessed before that date), so a decision signed later yields
   arrears (`ansinh.benefits.monthly.arrears`).
5. A death stops every entitlement from the month after the month of death (`STOP_AFTER_DEATH`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.models import Member
from ansinh.lib.vietnamese import format_number

from . import access
from .months import add_months, month_end, month_of
from .models import (
    Category,
    Dossier,
    DossierKind,
    DossierStatus,
    DossierStep,
    Entitlement,
    LineKind,
    Martyr,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Scheme,
    StopReason,
)

if TYPE_CHECKING:
    from .law import RuleBook

ENTITLEMENT_FIELDS = ["person", "category", "scheme", "commune", "rate", "martyr_count", "children", "years",
                      "especially_severe", "living_alone", "carer", "carer_name", "recognised_on",
                      "decision_number", "decision_date", "decision_signer", "start_month", "stop_month",
                      "stop_reason", "stop_note"]
DOSSIER_FIELDS = ["kind", "scheme", "category", "person", "entitlement", "commune", "to_commune", "rate",
                  "martyr_count", "children", "stop_reason", "received_on", "due_on", "status", "decided_on",
                  "decision_number", "decision_signer", "refusal_reason", "note"]
PROPOSAL_FIELDS = ["person", "entitlement", "commune", "scheme", "kind", "amount", "basis", "status", "note"]
MARTYR_FIELDS = ["full_name", "birth_year", "died_on", "certificate_number", "certificate_date", "commune", "note"]

# Groups 5(5)b and 5(5)c start from the month the age is reached (Decree 20 Art. 8(1)đ).
AGE_STARTS = {"sa_elderly_75": 75, "sa_elderly_80": 80}
# Meritorious allowances are paid from 1 Jul 2021 at the earliest (Ordinance 02/2020 in force;
# Decree 131/2021 Art. 45 for injuries assessed before).
MERIT_EARLIEST = dt.date(2021, 7, 1)


@dataclass(frozen=True)
class StopRule:
    """When payment stops after a death, per scheme: `months_after` months after the month of
    death (1: the following month, i.e. paid through the month of death)."""

    months_after: int
    legal_basis: str
    provisional: bool


STOP_AFTER_DEATH: dict[str, StopRule] = {
    Scheme.SOCIAL_ASSISTANCE: StopRule(1, "Điều 8 khoản 2 Nghị định 20/2021/NĐ-CP", False),
    Scheme.SOCIAL_PENSION: StopRule(1, "Điều 4 Nghị định 176/2025/NĐ-CP (thôi hưởng từ tháng tiếp theo)", True),
    # No explicit cut-off in Decree 131; the survivors' allowance starts "từ tháng liền kề" (Art. 125),
    # so the person's own allowance is paid through the month of death.
    Scheme.MERITORIOUS: StopRule(1, "Điều 121, 125 Nghị định 131/2021/NĐ-CP (trợ cấp tuất từ tháng liền kề)", True),
}


@dataclass(frozen=True)
class Deadline:
    """How many working days the authority has to decide a dossier: the catalogue's procedure in
    force on the day of receipt (`ansinh.procedures.deadlines`, one deadline logic for every
    dossier of the system; the figures and legal bases of the former `DEADLINES` table live there,
    procedures migration 0005)."""

    scheme: str
    kind: str
    valid_from: dt.date
    days: int
    authority: str
    legal_basis: str
    provisional: bool
    code: str = ""


# The catalogue use whose procedure sets the deadline of a dossier, by scheme and kind ("" for
# every kind): social assistance is one procedure (1.001776: start, change, stop), the social
# pension another (1.014027), people with meritorious service one per step (Decree 131/2021).
PROCEDURE_USES: dict[tuple[str, str], str] = {
    (Scheme.SOCIAL_ASSISTANCE, ""): "benefit_social_assistance",
    (Scheme.SOCIAL_PENSION, ""): "benefit_social_pension",
    (Scheme.MERITORIOUS, DossierKind.START): "benefit_meritorious",
    (Scheme.MERITORIOUS, DossierKind.CHANGE): "benefit_meritorious",
    (Scheme.MERITORIOUS, DossierKind.MOVE): "benefit_meritorious_move",
    (Scheme.MERITORIOUS, DossierKind.STOP): "benefit_meritorious_stop",
}
AUTHORITIES = {"commune": "Chủ tịch Ủy ban nhân dân cấp xã", "district": "Chủ tịch Ủy ban nhân dân cấp huyện",
               "province": "Chủ tịch Ủy ban nhân dân cấp tỉnh", "central": "Bộ trưởng"}


def procedure_use(scheme: str, kind: str) -> str:
    use = PROCEDURE_USES.get((scheme, kind)) or PROCEDURE_USES.get((scheme, ""))
    if use is None:
        raise ValueError(f"no deadline for {scheme}/{kind}")
    return use


def _deadline_of(scheme: str, kind: str, procedure: Any) -> Deadline:
    authority = "Sở quản lý người có công" if scheme == Scheme.MERITORIOUS and procedure.deciding_level == "province" \
        else AUTHORITIES.get(procedure.deciding_level, "")
    return Deadline(scheme, kind, procedure.valid_from, int(procedure.days), authority, procedure.legal_basis,
                    bool(procedure.provisional), procedure.code)


def deadline_for(scheme: str, kind: str, received_on: dt.date) -> Deadline:
    """The deadline of a dossier received on `received_on`: the catalogue version in force that
    day (the earliest version if the date is before every version: the table starts with the
    scheme, as the former `DEADLINES` did)."""
    from ansinh.procedures.deadlines import procedure_in_force

    procedure = procedure_in_force(procedure_use(scheme, kind), received_on, first_if_before=True)
    return _deadline_of(scheme, kind, procedure)


def benefit_due_dates(calendar: Any) -> Any:
    """Due dates for a batch of benefit dossiers (the demo, imports): `DueDates` over every
    benefit use, the catalogue read once."""
    from ansinh.procedures.deadlines import DueDates

    return DueDates(sorted(set(PROCEDURE_USES.values())), calendar, first_if_before=True)


# --- Months ---------------------------------------------------------------------------------


def _vn_month(month: dt.date) -> str:
    return f"{month.month:02d}/{month.year}"


def _vn_date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _vn_money(amount: int) -> str:
    return f"{format_number(amount)} đ"


# --- Checks ---------------------------------------------------------------------------------


def _check_actor(actor: Actor, commune: Unit, scheme: str) -> None:
    user = user_of(actor)
    if user is not None and not access.may_change_scheme(user, commune, scheme):
        raise PermissionDenied(_("You may not change the entitlements of this scheme in this commune."))


def _first_of_month(value: dt.date | None, field: str) -> None:
    if value is not None and value.day != 1:
        raise ValidationError({field: _("A month is given by its first day (e.g. 01/07/2025).")})


def _category(code: str, on: dt.date, field: str = "category", *, known: dict[str, Category] | None = None) -> Category:
    """The category of `code`, an allowance in force on `on` (`known`: categories already read)."""
    category = known.get(code) if known is not None else Category.objects.filter(code=code).first()
    if category is None:
        raise ValidationError({field: _("There is no category with the code “%(code)s”.") % {"code": code}})
    if category.kind != LineKind.ALLOWANCE:
        raise ValidationError({field: _("“%(name)s” is a supplement or carer allowance: it is added to an "
                                        "entitlement, not granted on its own.") % {"name": category.name}})
    if category.valid_from > on or (category.valid_to is not None and category.valid_to < on):
        raise ValidationError({field: _("The category “%(name)s” is not in force on %(date)s.")
                               % {"name": category.name, "date": _vn_date(on)}})
    return category


def _check_person(person: Member, on: dt.date) -> None:
    if person.died_on is not None:
        raise ValidationError({"person": _("%(name)s died on %(date)s.")
                               % {"name": person.full_name, "date": _vn_date(person.died_on)}})
    if person.left_on is not None:
        raise ValidationError({"person": _("%(name)s has left the household on %(date)s: record the move first.")
                               % {"name": person.full_name, "date": _vn_date(person.left_on)}})
    if person.birth_date > on:
        raise ValidationError({"person": _("The decision date is before the person's birth date.")})


def _check_parameters(category: Category, *, rate: int | None, martyr_count: int | None, martyrs: int,
                      children: int | None, years: int | None) -> None:
    errors: dict[str, str] = {}
    if category.uses_rate and rate is None:
        errors["rate"] = _("Give the injury or illness rate (%) for this category.")
    if rate is not None and not 1 <= rate <= 100:
        errors["rate"] = _("The rate is a percentage between 1 and 100.")
    if category.uses_martyrs and not (martyr_count or martyrs):
        errors["martyr_count"] = _("Give the number of martyrs, or link the martyrs' records.")
    if category.uses_children and not children:
        errors["children"] = _("Give the number of children raised (at least 1).")
    if category.uses_years and not years:
        errors["years"] = _("Give the years of seniority.")
    if errors:
        raise ValidationError(errors)


def default_start_month(category: Category, person: Member, decision_date: dt.date,
                        recognised_on: dt.date | None) -> dt.date:
    """The first month paid by the start rules (module docstring)."""
    decided = month_of(decision_date)
    if category.scheme == Scheme.MERITORIOUS:
        start = month_of(recognised_on) if recognised_on is not None else decided
        return max(start, MERIT_EARLIEST)
    if category.code.startswith(DISABILITY_PREFIX) and recognised_on is not None:
        return month_of(recognised_on)  # the month of the disability certificate (Art. 8(1)đ)
    age = AGE_STARTS.get(category.code)
    if age is not None:
        born = person.birth_date
        birthday_month = dt.date(born.year + age, born.month, 1)
        return max(decided, birthday_month)
    return decided


def _check_no_overlap(person: Member, category: Category, start: dt.date, stop: dt.date | None,
                      exclude_pk: int | None = None) -> None:
    found = Entitlement.objects.filter(person=person, category=category).filter(
        Q(stop_month__isnull=True) | Q(stop_month__gt=start))
    if stop is not None:
        found = found.filter(start_month__lt=stop)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    other = found.order_by("start_month").first()
    if other is not None:
        raise ValidationError({"category": _("%(name)s already holds “%(category)s” from %(month)s (decision "
                                             "%(number)s).") % {"name": person.full_name, "category": category.name,
                                                                "month": _vn_month(other.start_month),
                                                                "number": other.decision_number}})


def _check_rules(category: Category, start: dt.date, commune: Unit, *, birth_date: dt.date, rate: int | None,
                 martyrs: int | None, children: int | None, years: int | None, especially_severe: bool) -> None:
    """The rules give an amount for the first month (the table has a row for the rate, the count…)."""
    from .law import NotInForce, RuleBook

    province = commune.province()
    book = RuleBook.load(start, month_end(start), province_id=province.pk if province else None)
    try:
        book.lines(category.code, month_end(start), birth_date=birth_date, rate=rate, martyrs=martyrs,
                   children=children, years=years, especially_severe=especially_severe)
    except NotInForce as error:
        raise ValidationError({"start_month": str(error)}) from error


def _decision(decision_number: str, decision_date: dt.date) -> None:
    errors: dict[str, str] = {}
    if not decision_number.strip():
        errors["decision_number"] = _("Give the decision's number.")
    if decision_date > timezone.localdate():
        errors["decision_date"] = _("The decision date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


# --- Entitlements ---------------------------------------------------------------------------


def _commune_of(person: Member) -> Unit:
    commune = person.household.commune
    if commune.level != Level.COMMUNE or commune.edition != Edition.CURRENT:
        raise ValidationError({"person": _("The person's household is not in a commune of the current map.")})
    return commune


@transaction.atomic
def create_entitlement(actor: Actor, person: Member, category_code: str, *, decision_number: str,
                       decision_date: dt.date, decision_signer: str = "", start_month: dt.date | None = None,
                       rate: int | None = None, martyr_count: int | None = None, martyrs: Sequence[Martyr] = (),
                       children: int | None = None, years: int | None = None, especially_severe: bool = False,
                       living_alone: bool = False, carer: Member | None = None, carer_name: str = "",
                       recognised_on: dt.date | None = None, commune: Unit | None = None) -> Entitlement:
    """Grants `person` a category from a decision. `commune` (the paying commune) defaults to the
    person's household's; a move gives the new one."""
    commune = commune or _commune_of(person)
    category = _category(category_code, decision_date)
    _check_actor(actor, commune, category.scheme)
    _decision(decision_number, decision_date)
    _check_person(person, decision_date)
    _first_of_month(start_month, "start_month")
    _check_parameters(category, rate=rate, martyr_count=martyr_count, martyrs=len(martyrs), children=children,
                      years=years)
    if recognised_on is not None and recognised_on > decision_date:
        raise ValidationError({"recognised_on": _("The recognition cannot be later than the decision.")})
    if carer is not None and carer.pk == person.pk:
        raise ValidationError({"carer": _("A person cannot be their own carer.")})
    start = start_month or default_start_month(category, person, decision_date, recognised_on)
    if start < month_of(person.birth_date):
        raise ValidationError({"start_month": _("The first month paid is before the person's birth.")})
    _check_no_overlap(person, category, start, None)
    count = martyr_count if martyr_count is not None else (len(martyrs) or None)
    _check_rules(category, start, commune, birth_date=person.birth_date, rate=rate, martyrs=count, children=children,
                 years=years, especially_severe=especially_severe)
    entitlement = Entitlement.objects.create(
        person=person, category=category, scheme=category.scheme, commune=commune, rate=rate,
        martyr_count=martyr_count, children=children, years=years, especially_severe=especially_severe,
        living_alone=living_alone, carer=carer, carer_name=carer_name.strip(), recognised_on=recognised_on,
        decision_number=decision_number.strip(), decision_date=decision_date, decision_signer=decision_signer.strip(),
        start_month=start)
    if martyrs:
        entitlement.martyrs.set(martyrs)
    after = audit.snapshot(entitlement, ENTITLEMENT_FIELDS)
    after["martyrs"] = sorted(m.pk for m in martyrs)
    audit.record(actor=actor, action="entitlement.create", obj=entitlement, unit=commune, after=after)
    return entitlement


class _Keep:
    """The default of `change_entitlement`'s arguments: leave the field as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def _bump(entitlement: Entitlement, expected: int, **values: Any) -> None:
    now = timezone.now()
    updated = Entitlement.objects.filter(pk=entitlement.pk, version=expected).update(
        **values, version=expected + 1, updated_at=now)
    if updated != 1:
        raise ValidationError(_("Someone else saved this entitlement after you opened it. Reload the page and "
                                "check it again."), code="stale")
    entitlement.version, entitlement.updated_at = expected + 1, now


@transaction.atomic
def change_entitlement(actor: Actor, entitlement: Entitlement, *, version: int, category_code: Any = KEEP,
                       rate: Any = KEEP, martyr_count: Any = KEEP, children: Any = KEEP, years: Any = KEEP,
                       especially_severe: Any = KEEP, living_alone: Any = KEEP, carer: Any = KEEP,
                       carer_name: Any = KEEP, recognised_on: Any = KEEP, decision_number: Any = KEEP,
                       decision_date: Any = KEEP, decision_signer: Any = KEEP, start_month: Any = KEEP) -> Entitlement:
    """Corrects a decided entitlement (a typing error, a decision re-issued). The change is
    audited with the values before and after; a change of amount from a date goes through a
    dossier (`decide_dossier`), which stops the entitlement and starts a new one, so the months
    already paid keep their rule. `version` is the version the user's form was read at."""
    _check_actor(actor, entitlement.commune, entitlement.scheme)
    before = audit.snapshot(entitlement, ENTITLEMENT_FIELDS)
    given = {name: value for name, value in {
        "rate": rate, "martyr_count": martyr_count, "children": children, "years": years,
        "especially_severe": especially_severe, "living_alone": living_alone, "carer": carer,
        "carer_name": carer_name, "recognised_on": recognised_on, "decision_number": decision_number,
        "decision_date": decision_date, "decision_signer": decision_signer, "start_month": start_month,
    }.items() if value is not KEEP}
    for name, value in given.items():
        setattr(entitlement, name, value.strip() if isinstance(value, str) else value)
    if category_code is not KEEP and category_code != entitlement.category.code:
        category = _category(category_code, entitlement.decision_date)
        if category.scheme != entitlement.scheme:
            raise ValidationError({"category": _("A change cannot move an entitlement to another scheme.")})
        entitlement.category = category
        given["category"] = category
    category = entitlement.category
    _decision(entitlement.decision_number, entitlement.decision_date)
    _first_of_month(entitlement.start_month, "start_month")
    if entitlement.stop_month is not None and entitlement.stop_month <= entitlement.start_month:
        raise ValidationError({"start_month": _("The first month paid must be before the first month not paid.")})
    if entitlement.carer_id is not None and entitlement.carer_id == entitlement.person_id:
        raise ValidationError({"carer": _("A person cannot be their own carer.")})
    martyrs_linked = entitlement.martyrs.count() if category.uses_martyrs else 0
    _check_parameters(category, rate=entitlement.rate, martyr_count=entitlement.martyr_count, martyrs=martyrs_linked,
                      children=entitlement.children, years=entitlement.years)
    _check_no_overlap(entitlement.person, category, entitlement.start_month, entitlement.stop_month,
                      exclude_pk=entitlement.pk)
    _check_rules(category, entitlement.start_month, entitlement.commune, birth_date=entitlement.person.birth_date,
                 rate=entitlement.rate, martyrs=entitlement.martyr_count or martyrs_linked or None,
                 children=entitlement.children, years=entitlement.years,
                 especially_severe=entitlement.especially_severe)
    attnames = [f"{name}_id" if name in ("category", "carer") else name for name in given]
    values = {attname: getattr(entitlement, attname) for attname in attnames}
    _bump(entitlement, version, **values)
    audit.record(actor=actor, action="entitlement.update", obj=entitlement, unit=entitlement.commune, before=before,
                 after=audit.snapshot(entitlement, ENTITLEMENT_FIELDS))
    return entitlement


def _stop(actor: Actor, entitlement: Entitlement, *, stop_month: dt.date, reason: str, note: str,
          action: str = "entitlement.stop", earlier: bool = False) -> Entitlement:
    """Stops from `stop_month`; `earlier`: a stop already recorded for a later month gives way
    (a death before a decided stop)."""
    if reason not in StopReason.values:
        raise ValidationError({"reason": _("Choose a reason for stopping.")})
    _first_of_month(stop_month, "stop_month")
    if entitlement.stop_month is not None and not (earlier and stop_month < entitlement.stop_month):
        raise ValidationError({"stop_month": _("This entitlement already stops from %(month)s.")
                               % {"month": _vn_month(entitlement.stop_month)}})
    if stop_month <= entitlement.start_month:
        raise ValidationError({"stop_month": _("The first month not paid must be after the first month paid "
                                               "(%(month)s).") % {"month": _vn_month(entitlement.start_month)}})
    before = audit.snapshot(entitlement, ENTITLEMENT_FIELDS)
    _bump(entitlement, entitlement.version, stop_month=stop_month, stop_reason=reason, stop_note=note.strip()[:255])
    entitlement.stop_month, entitlement.stop_reason, entitlement.stop_note = stop_month, reason, note.strip()[:255]
    audit.record(actor=actor, action=action, obj=entitlement, unit=entitlement.commune, before=before,
                 after=audit.snapshot(entitlement, ENTITLEMENT_FIELDS))
    return entitlement


@transaction.atomic
def stop_entitlement(actor: Actor, entitlement: Entitlement, *, stop_month: dt.date, reason: str,
                     note: str = "") -> Entitlement:
    """Stops paying from `stop_month` (the first month not paid), for `reason` (a StopReason)."""
    _check_actor(actor, entitlement.commune, entitlement.scheme)
    return _stop(actor, entitlement, stop_month=stop_month, reason=reason, note=note)


@dataclass(frozen=True)
class EntitlementRow:
    """One entitlement of an import (`bulk_create_entitlements`): the person is a member the
    importer found in the register; `line` is the row number shown in errors."""

    person: Member
    category_code: str
    decision_number: str
    decision_date: dt.date
    decision_signer: str = ""
    start_month: dt.date | None = None
    rate: int | None = None
    martyr_count: int | None = None
    children: int | None = None
    years: int | None = None
    especially_severe: bool = False
    living_alone: bool = False
    carer_name: str = ""
    recognised_on: dt.date | None = None
    line: int = 0


@transaction.atomic
def bulk_create_entitlements(actor: Actor, rows: Sequence[EntitlementRow]) -> int:
    """Creates the entitlements of an import, all or nothing, with the checks of
    `create_entitlement` done set-based: a constant number of queries for the categories, the
    people's communes, the open entitlements and the rule books (one per province). Raises a
    ValidationError whose messages name each row (“Dòng 5: …”). One audit row for the import."""
    from .law import NotInForce, RuleBook

    if not rows:
        return 0
    codes = {row.category_code for row in rows}
    categories = {c.code: c for c in Category.objects.filter(code__in=codes)}
    person_ids = {row.person.pk for row in rows}
    people = {m["pk"]: m for m in Member.objects.filter(pk__in=person_ids).values(
        "pk", "household__commune_id", "household__commune__path", "household__commune__level",
        "household__commune__edition", "birth_date", "died_on", "left_on")}
    open_rows = Entitlement.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "category__code", "start_month", "stop_month")
    held: dict[tuple[int, str], list[tuple[dt.date, dt.date | None]]] = {}
    for person_id, code, start, stop in open_rows:
        held.setdefault((person_id, code), []).append((start, stop))
    province_of = _provinces({p["household__commune_id"] for p in people.values()})
    errors: list[str] = []
    creates: list[Entitlement] = []
    books: dict[int | None, RuleBook] = {}
    allowed: dict[tuple[int, str], bool] = {}
    user = user_of(actor)
    for index, row in enumerate(rows, start=1):
        line = row.line or index
        person = people.get(row.person.pk)

        def fail(message: str, line: int = line) -> None:
            errors.append(_("Row %(line)s: %(message)s") % {"line": line, "message": message})

        if person is None:
            fail(_("the person is not in the register."))
            continue
        try:
            category = _category(row.category_code, row.decision_date, known=categories)
            _decision(row.decision_number, row.decision_date)
            _first_of_month(row.start_month, "start_month")
            _check_parameters(category, rate=row.rate, martyr_count=row.martyr_count, martyrs=0,
                              children=row.children, years=row.years)
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    fail(message)
            continue
        commune_id = person["household__commune_id"]
        if person["household__commune__level"] != Level.COMMUNE or person["household__commune__edition"] != Edition.CURRENT:
            fail(_("the person's household is not in a commune of the current map."))
            continue
        if user is not None:
            key = (commune_id, category.scheme)
            if key not in allowed:
                allowed[key] = access.may_change_scheme(user, Unit.objects.get(pk=commune_id), category.scheme)
            if not allowed[key]:
                fail(_("you may not change the entitlements of this scheme in this commune."))
                continue
        if person["died_on"] is not None or person["left_on"] is not None:
            fail(_("the person has died or left the household."))
            continue
        row.person.birth_date = person["birth_date"]
        start = row.start_month or default_start_month(category, row.person, row.decision_date, row.recognised_on)
        spans = held.setdefault((row.person.pk, category.code), [])
        if any(stop is None or stop > start for _start, stop in spans):
            fail(_("the person already holds this category."))
            continue
        spans.append((start, None))
        province_id = province_of.get(commune_id)
        book = books.get(province_id)
        if book is None:  # one book per province (the tables are read whole)
            book = books[province_id] = RuleBook.load(start, None, province_id=province_id)
        try:
            book.lines(category.code, month_end(start), birth_date=person["birth_date"], rate=row.rate,
                       martyrs=row.martyr_count, children=row.children, years=row.years,
                       especially_severe=row.especially_severe)
        except NotInForce as error:
            fail(str(error))
            continue
        creates.append(Entitlement(
            person_id=row.person.pk, category=category, scheme=category.scheme, commune_id=commune_id, rate=row.rate,
            martyr_count=row.martyr_count, children=row.children, years=row.years,
            especially_severe=row.especially_severe, living_alone=row.living_alone, carer_name=row.carer_name.strip(),
            recognised_on=row.recognised_on, decision_number=row.decision_number.strip(),
            decision_date=row.decision_date, decision_signer=row.decision_signer.strip(), start_month=start))
    if errors:
        raise ValidationError(errors)
    Entitlement.objects.bulk_create(creates, batch_size=2000)
    audit.record(actor=actor, action="entitlement.import", obj=Entitlement, after={"count": len(creates)})
    return len(creates)


def _provinces(commune_ids: set[int]) -> dict[int, int | None]:
    """The province id of each commune (two queries)."""
    paths = dict(Unit.objects.filter(pk__in=commune_ids).values_list("pk", "path"))
    ancestors = {int(part) for path in paths.values() for part in path.strip("/").split("/") if part}
    provinces = set(Unit.objects.filter(pk__in=ancestors, level=Level.PROVINCE).values_list("pk", flat=True))
    out: dict[int, int | None] = {}
    for pk, path in paths.items():
        out[pk] = next((int(p) for p in path.strip("/").split("/") if p and int(p) in provinces), None)
    return out


@transaction.atomic
def create_martyr(actor: Actor, *, full_name: str, commune: Unit, birth_year: int | None = None,
                  died_on: dt.date | None = None, certificate_number: str = "",
                  certificate_date: dt.date | None = None, note: str = "") -> Martyr:
    _check_actor(actor, commune, Scheme.MERITORIOUS)
    errors: dict[str, str] = {}
    if not full_name.strip():
        errors["full_name"] = _("Give the martyr's full name.")
    if commune.level != Level.COMMUNE or commune.edition != Edition.CURRENT:
        errors["commune"] = _("Choose a commune of the current map.")
    if died_on is not None and died_on > timezone.localdate():
        errors["died_on"] = _("The date of death cannot be in the future.")
    if birth_year is not None and died_on is not None and birth_year > died_on.year:
        errors["birth_year"] = _("The year of birth is after the death.")
    if certificate_date is not None and died_on is not None and certificate_date < died_on:
        errors["certificate_date"] = _("The certificate cannot be dated before the death.")
    if errors:
        raise ValidationError(errors)
    martyr = Martyr(full_name=full_name.strip(), commune=commune, birth_year=birth_year, died_on=died_on,
                    certificate_number=certificate_number.strip(), certificate_date=certificate_date, note=note.strip())
    martyr.set_derived_fields()
    martyr.save()
    audit.record(actor=actor, action="martyr.create", obj=martyr, unit=commune,
                 after=audit.snapshot(martyr, MARTYR_FIELDS))
    return martyr


# --- Deaths ---------------------------------------------------------------------------------

# Merit categories whose holder's death opens survivors' allowances (Decree 131/2021 Art. 125):
# early revolutionaries, and invalids, sick soldiers and toxic-chemical victims of 61 % or more.
SURVIVOR_ALWAYS = {"merit_pre1945_fulltime": "merit_survivor_pre1945", "merit_pre1945_parttime": "merit_survivor_pre1945",
                   "merit_pre_uprising": "merit_survivor_pre_uprising"}
SURVIVOR_FROM_61 = {"merit_war_invalid": "merit_survivor_invalid", "merit_war_invalid_b": "merit_survivor_invalid",
                    "merit_sick_soldier": "merit_survivor_sick_soldier",
                    "merit_toxic_chemical": "merit_survivor_toxic_chemical"}
SURVIVOR_RATE = 61
DISABILITY_PREFIX = "sa_disability_"  # Decree 20/2021 Art. 5(6): paid from the certificate's month
SA_FUNERAL_TIMES = 20   # Decree 20/2021 Art. 11(1): at least 20 × the base level
FUNERAL_AGE = 80  # Decree 20/2021 Art. 11(1)(c): 80 or over on another monthly benefit
MERIT_FUNERAL_TIMES = 10  # Law 41/2024 Art. 85(2), through Ordinance 02/2020 Art. 6(4)
# A single parent's allowance (5(4)) counts children under 16, or 16–22 and studying.
SINGLE_PARENT_CHILD_AGE = 22


def is_survivor_category(code: str) -> bool:
    """Survivors' allowances (tuất) are paid to relatives after a death: they open no one-off."""
    return "survivor" in code or "tuat" in code


@transaction.atomic
def record_death(actor: Actor, member: Member, died_on: dt.date) -> list[Proposal]:
    """A member's death, recorded in the register (`households.services.member_died` calls this
    in its transaction):
    1. every entitlement paying after the month of death stops from the following month
       (`STOP_AFTER_DEATH`), audited;
    2. the death benefits are proposed, each computed by the rules on the date of death:
       funeral support (social assistance 20 × base, Decree 20 Art. 11; the social pension at the
       same level, Decree 176/2025 Art. 5, provisional; merit 10 × base salary, Law 41/2024 Art.
       85(2)); also for a person of 80 or over recorded as receiving a pension or monthly
       social-insurance benefit (Decree 20 Art. 11(1)(c), to be checked by the officer) — only the
       highest of them (Decree 20 Art. 11(2), Ordinance Art. 6(4)); the merit
       one-off of three months of the allowance and supplements without the carer allowance
       (Decree 131 Art. 121(2)); the survivors' allowance from the next month (Art. 125).
    Proposals already made for the person are not repeated. Returns the proposals created."""
    from .law import NotInForce, RuleBook
    from .monthly import month_lines

    death_month = month_of(died_on)
    held = list(Entitlement.objects.select_related("category", "commune")
                .filter(person=member, start_month__lte=death_month)
                .filter(Q(stop_month__isnull=True) | Q(stop_month__gt=death_month)).order_by("pk"))
    # Funeral support also for an applicant for the social pension who dies before the decision
    # (Decree 176/2025 Art. 5) and for a child raised by a single parent on 5(4) (Decree 20 Art. 11(1)(b)).
    pending = (Dossier.objects.select_related("commune")
               .filter(person=member, kind=DossierKind.START, scheme=Scheme.SOCIAL_PENSION,
                       status__in=(DossierStatus.RECEIVED, DossierStatus.CHECKED)).first())
    parent = None
    if member.age_on(died_on) < SINGLE_PARENT_CHILD_AGE:
        parent = (Entitlement.objects.select_related("commune")
                  .filter(person__household_id=member.household_id, category__code="sa_single_parent",
                          start_month__lte=death_month)
                  .filter(Q(stop_month__isnull=True) | Q(stop_month__gt=death_month))
                  .exclude(person=member).first())
    # Funeral support also for a person of 80 or over on a monthly social-insurance benefit or
    # another monthly allowance (Decree 20 Art. 11(1)(c)): the register records `pension`.
    eighty = member.pension and member.age_on(died_on) >= FUNERAL_AGE
    if not held and pending is None and parent is None and not eighty:
        return []
    # The amounts of the month of death (precedence applied), before the stops.
    lines = month_lines(Entitlement.objects.filter(pk__in=[e.pk for e in held]), death_month) if held else []
    for entitlement in held:
        stop = add_months(death_month, STOP_AFTER_DEATH[entitlement.scheme].months_after)
        if entitlement.stop_month is None or entitlement.stop_month > stop:
            _stop(actor, entitlement, stop_month=stop, reason=StopReason.DIED, note=f"Mất ngày {_vn_date(died_on)}",
                  action="entitlement.stop_death", earlier=True)
    if held:
        commune = held[0].commune
    elif pending is not None:
        commune = pending.commune
    elif parent is not None:
        commune = parent.commune
    else:
        commune = member.household.commune
    province = commune.province()
    book = RuleBook.load(death_month, month_end(add_months(death_month, 1)), province_id=province.pk if province else None)
    by_scheme = {e.scheme: e for e in held}
    proposals: list[Proposal] = []

    # Funeral: the highest one only.
    funerals: list[tuple[int, str, str, Entitlement | None, Unit, str]] = []
    for scheme, kind, times, base_kind, text in (
        (Scheme.SOCIAL_ASSISTANCE, ProposalKind.SA_FUNERAL, SA_FUNERAL_TIMES, "sa_base",
         "Điều 11 Nghị định 20/2021/NĐ-CP"),
        (Scheme.SOCIAL_PENSION, ProposalKind.PENSION_FUNERAL, SA_FUNERAL_TIMES, "sa_base",
         "Điều 5 Nghị định 176/2025/NĐ-CP (tạm tính — chưa đối chiếu văn bản gốc)"),
        (Scheme.MERITORIOUS, ProposalKind.MERIT_FUNERAL, MERIT_FUNERAL_TIMES, "base_salary",
         "Khoản 2 Điều 85 Luật Bảo hiểm xã hội 41/2024/QH15; khoản 4 Điều 6 Pháp lệnh 02/2020/UBTVQH14; "
         "Điều 121 Nghị định 131/2021/NĐ-CP"),
    ):
        owner = by_scheme.get(scheme)
        if scheme == Scheme.MERITORIOUS:
            owner = next((e for e in held if e.scheme == scheme and not is_survivor_category(e.category.code)), None)
        where: Unit | None = owner.commune if owner is not None else None
        if owner is None and scheme == Scheme.SOCIAL_ASSISTANCE and parent is not None:
            owner, where = parent, parent.commune
            text = ("điểm b khoản 1 Điều 11 Nghị định 20/2021/NĐ-CP (con của người đơn thân nghèo đang hưởng "
                    "trợ cấp theo khoản 4 Điều 5)")
        if owner is None and scheme == Scheme.SOCIAL_ASSISTANCE and where is None and eighty:
            where = member.household.commune
            text = ("điểm c khoản 1 Điều 11 Nghị định 20/2021/NĐ-CP (người từ đủ 80 tuổi đang hưởng trợ cấp "
                    "tuất bảo hiểm xã hội hằng tháng hoặc trợ cấp hằng tháng khác: kiểm tra trước khi xác nhận)")
        if owner is None and scheme == Scheme.SOCIAL_PENSION and pending is not None:
            where = pending.commune
            text += f"; người đã nộp hồ sơ #{pending.pk} mất trước khi có quyết định"
        if where is None:
            continue
        try:
            base = book.base(base_kind, died_on)
        except NotInForce:
            continue
        amount = times * base.amount
        basis = f"{times} × {_vn_money(base.amount)} (mức áp dụng ngày {_vn_date(died_on)}) — {text}"
        funerals.append((amount, kind, scheme, owner, where, basis))
    if funerals:
        funerals.sort(key=lambda f: -f[0])
        top_amount, top_kind, top_scheme, top_owner, top_where, basis = funerals[0]
        if len(funerals) > 1:
            basis += (" (chỉ hưởng một mức hỗ trợ mai táng cao nhất: khoản 2 Điều 11 Nghị định 20/2021/NĐ-CP, "
                      "Điều 6 Pháp lệnh 02/2020/UBTVQH14)")
        proposals.append(Proposal(person=member, entitlement=top_owner, commune=top_where, scheme=top_scheme,
                                  kind=top_kind, amount=top_amount, basis=basis[:500]))

    # Merit one-off: three months of the paid allowances and supplements, without carers.
    merit_ids = {e.pk for e in held if e.scheme == Scheme.MERITORIOUS and not is_survivor_category(e.category.code)}
    monthly = sum(line.amount for line in lines
                  if line.entitlement_id in merit_ids and line.paid and line.kind != LineKind.CARER)
    if merit_ids and monthly:
        owner = next(e for e in held if e.pk in merit_ids)
        proposals.append(Proposal(
            person=member, entitlement=owner, commune=owner.commune, scheme=Scheme.MERITORIOUS,
            kind=ProposalKind.MERIT_THREE_MONTHS, amount=3 * monthly,
            basis=(f"3 × {_vn_money(monthly)} (trợ cấp, phụ cấp hằng tháng tháng {_vn_month(death_month)}, không "
                   "gồm trợ cấp người phục vụ) — khoản 2 Điều 121 Nghị định 131/2021/NĐ-CP")[:500]))

    # Survivors' allowance from the next month.
    opener = next((e for e in held if e.category.code in SURVIVOR_ALWAYS
                   or (e.category.code in SURVIVOR_FROM_61 and (e.rate or 0) >= SURVIVOR_RATE)), None)
    if opener is not None:
        next_month = add_months(death_month, 1)
        survivor_amount: int | None
        try:
            code = SURVIVOR_ALWAYS.get(opener.category.code) or SURVIVOR_FROM_61[opener.category.code]
            survivor_amount = book.amount(code, month_end(next_month)).amount
            how = f"{_vn_money(survivor_amount)}/tháng cho mỗi thân nhân từ tháng {_vn_month(next_month)}"
        except NotInForce:
            survivor_amount = None
            how = f"từ tháng {_vn_month(next_month)}, theo mức của từng thân nhân"
        proposals.append(Proposal(
            person=member, entitlement=opener, commune=opener.commune, scheme=Scheme.MERITORIOUS,
            kind=ProposalKind.SURVIVOR, amount=survivor_amount,
            basis=(how + " — Điều 125 Nghị định 131/2021/NĐ-CP; thân nhân lập hồ sơ đề nghị")[:500]))

    existing = {(str(kind), str(scheme)) for kind, scheme in
                Proposal.objects.filter(person=member).values_list("kind", "scheme")}
    created = []
    for proposal in proposals:
        if (proposal.kind, proposal.scheme) in existing:
            continue
        proposal.save()
        audit.record(actor=actor, action="benefit_proposal.create", obj=proposal, unit=proposal.commune,
                     after=audit.snapshot(proposal, PROPOSAL_FIELDS))
        created.append(proposal)
    return created


def on_member_died(*, actor: Actor, member: Member, on: dt.date) -> None:
    """The register's death hook (`ansinh.households.services.DEATH_HOOKS`)."""
    record_death(actor, member, on)


def _decide_proposal(actor: Actor, proposal: Proposal, status: str, note: str, action: str) -> Proposal:
    _check_actor(actor, proposal.commune, proposal.scheme)
    before = audit.snapshot(proposal, PROPOSAL_FIELDS)
    now = timezone.now()
    updated = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
        status=status, note=note.strip()[:500], decided_by=user_of(actor), decided_at=now)
    if updated != 1:
        raise ValidationError({"status": _("This proposal has already been confirmed or dismissed.")})
    proposal.status, proposal.note, proposal.decided_by, proposal.decided_at = status, note.strip()[:500], user_of(actor), now
    audit.record(actor=actor, action=action, obj=proposal, unit=proposal.commune, before=before,
                 after=audit.snapshot(proposal, PROPOSAL_FIELDS))
    return proposal


@transaction.atomic
def confirm_proposal(actor: Actor, proposal: Proposal, *, note: str = "") -> Proposal:
    return _decide_proposal(actor, proposal, ProposalStatus.CONFIRMED, note, "benefit_proposal.confirm")


@transaction.atomic
def dismiss_proposal(actor: Actor, proposal: Proposal, *, note: str) -> Proposal:
    if not note.strip():
        raise ValidationError({"note": _("Say why the proposal is dismissed.")})
    return _decide_proposal(actor, proposal, ProposalStatus.DISMISSED, note, "benefit_proposal.dismiss")


# --- Dossiers -------------------------------------------------------------------------------


def _step(actor: Actor, dossier: Dossier, status: str, on: dt.date, note: str) -> None:
    DossierStep.objects.create(dossier=dossier, status=status, on=on, actor=user_of(actor), note=note.strip()[:500])


@transaction.atomic
def receive_dossier(actor: Actor, *, kind: str, person: Member, scheme: str, category_code: str | None = None,
                    entitlement: Entitlement | None = None, received_on: dt.date, to_commune: Unit | None = None,
                    rate: int | None = None, martyr_count: int | None = None, children: int | None = None,
                    stop_reason: str = "", note: str = "") -> Dossier:
    """Receives an application to start, change, move or stop an entitlement; its deadline is
    the catalogue's procedure in force on the day of receipt, counted in working days of the
    commune's province (`ansinh.procedures.deadlines`, `ansinh.workdays`)."""
    from ansinh.procedures.deadlines import deadline
    from ansinh.workdays.calendar import calendar_for

    errors: dict[str, str] = {}
    if kind not in DossierKind.values:
        raise ValidationError({"kind": _("Choose the kind of dossier.")})
    if scheme not in Scheme.values:
        raise ValidationError({"scheme": _("Choose the scheme.")})
    if received_on > timezone.localdate():
        errors["received_on"] = _("The reception date cannot be in the future.")
    category: Category | None = None
    if kind == DossierKind.START:
        if entitlement is not None:
            errors["entitlement"] = _("A new entitlement's dossier does not name an existing entitlement.")
        if not category_code:
            errors["category"] = _("Choose the category applied for.")
        else:
            category = _category(category_code, received_on)
            if category.scheme != scheme:
                errors["category"] = _("The category is not of this scheme.")
        if person.died_on is not None or person.left_on is not None:
            errors["person"] = _("%(name)s has died or left the household.") % {"name": person.full_name}
    else:
        if entitlement is None:
            errors["entitlement"] = _("Choose the entitlement this dossier is about.")
        elif entitlement.person_id != person.pk:
            errors["entitlement"] = _("The entitlement is not this person's.")
        elif entitlement.scheme != scheme:
            errors["entitlement"] = _("The entitlement is not of this scheme.")
        elif entitlement.stop_month is not None:
            errors["entitlement"] = _("The entitlement already stops from %(month)s.") % {
                "month": _vn_month(entitlement.stop_month)}
        if category_code:
            if kind != DossierKind.CHANGE:
                errors["category"] = _("Only a change names a new category.")
            else:
                category = _category(category_code, received_on)
                if category.scheme != scheme:
                    errors["category"] = _("The category is not of this scheme.")
        elif entitlement is not None:
            category = entitlement.category
    if kind == DossierKind.MOVE:
        if to_commune is None:
            errors["to_commune"] = _("Choose the commune the person moves to.")
        elif to_commune.level != Level.COMMUNE or to_commune.edition != Edition.CURRENT:
            errors["to_commune"] = _("Choose a commune of the current map.")
        elif entitlement is not None and to_commune.pk == entitlement.commune_id:
            errors["to_commune"] = _("The person already receives in this commune.")
    elif to_commune is not None:
        errors["to_commune"] = _("Only a move names a commune to move to.")
    if kind == DossierKind.STOP and stop_reason not in StopReason.values:
        errors["stop_reason"] = _("Choose a reason for stopping.")
    if kind != DossierKind.STOP and stop_reason:
        errors["stop_reason"] = _("Only a stop gives a reason for stopping.")
    if rate is not None and not 1 <= rate <= 100:
        errors["rate"] = _("The rate is a percentage between 1 and 100.")
    if errors:
        raise ValidationError(errors)
    commune = entitlement.commune if entitlement is not None else _commune_of(person)
    _check_actor(actor, commune, scheme)
    due = deadline(procedure_use(scheme, kind), received_on, calendar=calendar_for(commune.province()),
                   first_if_before=True)
    dossier = Dossier.objects.create(
        kind=kind, scheme=scheme, category=category, person=person, entitlement=entitlement, commune=commune,
        to_commune=to_commune, rate=rate, martyr_count=martyr_count, children=children, stop_reason=stop_reason,
        received_on=received_on, due_on=due.due_on,
        note=note.strip()[:500])
    _step(actor, dossier, DossierStatus.RECEIVED, received_on, note)
    audit.record(actor=actor, action="benefit_dossier.receive", obj=dossier, unit=commune,
                 after=audit.snapshot(dossier, DOSSIER_FIELDS))
    return dossier


def _transition(actor: Actor, dossier: Dossier, allowed: tuple[str, ...], status: str, on: dt.date,
                **values: Any) -> dict[str, Any]:
    _check_actor(actor, dossier.commune, dossier.scheme)
    if dossier.status not in allowed:
        raise ValidationError({"status": _("This dossier is already %(status)s.") % {
            "status": dossier.get_status_display()}})
    if on < dossier.received_on:
        raise ValidationError({"on": _("The date is before the dossier was received (%(date)s).") % {
            "date": _vn_date(dossier.received_on)}})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    before = audit.snapshot(dossier, DOSSIER_FIELDS)
    updated = Dossier.objects.filter(pk=dossier.pk, status=dossier.status, version=dossier.version).update(
        status=status, version=dossier.version + 1, updated_at=timezone.now(), **values)
    if updated != 1:
        raise ValidationError({"status": _("Someone else changed this dossier meanwhile. Reload the page.")})
    dossier.status, dossier.version = status, dossier.version + 1
    for name, value in values.items():
        setattr(dossier, name, value)
    return before


@transaction.atomic
def check_dossier(actor: Actor, dossier: Dossier, *, on: dt.date, note: str = "") -> Dossier:
    """The commune has checked the dossier (complete, the facts confirmed)."""
    before = _transition(actor, dossier, (DossierStatus.RECEIVED,), DossierStatus.CHECKED, on)
    _step(actor, dossier, DossierStatus.CHECKED, on, note)
    audit.record(actor=actor, action="benefit_dossier.check", obj=dossier, unit=dossier.commune, before=before,
                 after=audit.snapshot(dossier, DOSSIER_FIELDS))
    return dossier


@transaction.atomic
def decide_dossier(actor: Actor, dossier: Dossier, *, on: dt.date, decision_number: str, signer: str,
                   start_month: dt.date | None = None, stop_month: dt.date | None = None) -> Dossier:
    """Decides a checked dossier and applies it:
    - start: creates the entitlement (start month by the start rules unless given);
    - change: stops the entitlement from the change month (default: the decision's month) and
      starts one with the new category or parameters from the same month, so the months already
      paid keep their rule (in its first month, the entitlement is corrected in place);
    - move: stops at the old commune and starts at the new one from the month after the decision
      (Decree 20 Art. 8(4)(d); Decree 176/2025: “nơi cư trú mới tiếp tục chi trả từ tháng tiếp theo
      tháng dừng ở nơi cũ”);
    - stop: stops from `stop_month` (default: the month after the decision)."""
    _decision(decision_number, on)
    if dossier.status == DossierStatus.RECEIVED:
        raise ValidationError({"status": _("Check the dossier before deciding it.")})
    _first_of_month(start_month, "start_month")
    _first_of_month(stop_month, "stop_month")
    before = _transition(actor, dossier, (DossierStatus.CHECKED,), DossierStatus.DECIDED, on, decided_on=on,
                         decision_number=decision_number.strip(), decision_signer=signer.strip())
    old = dossier.entitlement
    if dossier.kind == DossierKind.START:
        assert dossier.category is not None
        dossier.entitlement = create_entitlement(
            actor, dossier.person, dossier.category.code, decision_number=decision_number, decision_date=on,
            decision_signer=signer, start_month=start_month, rate=dossier.rate, martyr_count=dossier.martyr_count,
            children=dossier.children, commune=dossier.commune)
        Dossier.objects.filter(pk=dossier.pk).update(entitlement=dossier.entitlement)
    elif old is not None and dossier.kind == DossierKind.STOP:
        _stop(actor, old, stop_month=stop_month or add_months(month_of(on), 1), reason=dossier.stop_reason,
              note=f"Hồ sơ #{dossier.pk}, quyết định {decision_number.strip()}")
    elif old is not None:
        moving = dossier.kind == DossierKind.MOVE
        month = start_month or (add_months(month_of(on), 1) if moving else month_of(on))
        category = dossier.category or old.category
        params = {"rate": dossier.rate if dossier.rate is not None else old.rate,
                  "martyr_count": dossier.martyr_count if dossier.martyr_count is not None else old.martyr_count,
                  "children": dossier.children if dossier.children is not None else old.children}
        if month <= old.start_month and not moving:
            change_entitlement(actor, old, version=old.version, category_code=category.code,
                               decision_number=decision_number, decision_date=on, decision_signer=signer, **params)
        else:
            _stop(actor, old, stop_month=month, reason=StopReason.MOVED if moving else StopReason.REPLACED,
                  note=f"Hồ sơ #{dossier.pk}, quyết định {decision_number.strip()}")
            if moving:
                new = _create_moved(actor, dossier, old, month, decision_number, on, signer)
            else:
                new = create_entitlement(
                    actor, dossier.person, category.code, decision_number=decision_number, decision_date=on,
                    decision_signer=signer, start_month=month, martyrs=list(old.martyrs.all()),
                    years=old.years, especially_severe=old.especially_severe, living_alone=old.living_alone,
                    carer=old.carer, carer_name=old.carer_name, recognised_on=old.recognised_on,
                    commune=old.commune, **params)
            Dossier.objects.filter(pk=dossier.pk).update(entitlement=new)
            dossier.entitlement = new
    _step(actor, dossier, DossierStatus.DECIDED, on,
          f"Quyết định {decision_number.strip()}" + (f", người ký: {signer.strip()}" if signer.strip() else ""))
    audit.record(actor=actor, action="benefit_dossier.decide", obj=dossier, unit=dossier.commune, before=before,
                 after=audit.snapshot(dossier, DOSSIER_FIELDS))
    return dossier


def _create_moved(actor: Actor, dossier: Dossier, old: Entitlement, month: dt.date, decision_number: str,
                  on: dt.date, signer: str) -> Entitlement:
    """The entitlement continued at the new commune: the same case, the new paying commune. The
    person's household may not be recorded there yet, so the person checks are those of the old
    entitlement (alive), and the deciding officer's scope is the old commune's."""
    assert dossier.to_commune is not None
    if dossier.person.died_on is not None:
        raise ValidationError({"person": _("%(name)s died on %(date)s.") % {
            "name": dossier.person.full_name, "date": _vn_date(dossier.person.died_on)}})
    new = Entitlement.objects.create(
        person=old.person, category=old.category, scheme=old.scheme, commune=dossier.to_commune, rate=old.rate,
        martyr_count=old.martyr_count, children=old.children, years=old.years,
        especially_severe=old.especially_severe, living_alone=old.living_alone, carer=old.carer,
        carer_name=old.carer_name, recognised_on=old.recognised_on, decision_number=decision_number.strip(),
        decision_date=on, decision_signer=signer.strip(), start_month=month)
    martyrs = list(old.martyrs.all())
    if martyrs:
        new.martyrs.set(martyrs)
    audit.record(actor=actor, action="entitlement.create", obj=new, unit=dossier.to_commune,
                 after=audit.snapshot(new, ENTITLEMENT_FIELDS))
    return new


@transaction.atomic
def refuse_dossier(actor: Actor, dossier: Dossier, *, on: dt.date, reason: str) -> Dossier:
    """Refuses a dossier with a reason the applicant is told."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the refusal: the applicant is told it in writing.")})
    before = _transition(actor, dossier, (DossierStatus.RECEIVED, DossierStatus.CHECKED), DossierStatus.REFUSED, on,
                         decided_on=on, refusal_reason=reason.strip()[:500])
    _step(actor, dossier, DossierStatus.REFUSED, on, reason)
    audit.record(actor=actor, action="benefit_dossier.refuse", obj=dossier, unit=dossier.commune, before=before,
                 after=audit.snapshot(dossier, DOSSIER_FIELDS))
    return dossier


__all__ = ["PROCEDURE_USES", "benefit_due_dates", "procedure_use", "STOP_AFTER_DEATH", "EntitlementRow", "add_months", "bulk_create_entitlements",
           "change_entitlement", "check_dossier", "confirm_proposal", "create_entitlement", "create_martyr",
           "deadline_for", "decide_dossier", "default_start_month", "dismiss_proposal", "month_end", "month_of",
           "receive_dossier", "record_death", "refuse_dossier", "stop_entitlement"]
