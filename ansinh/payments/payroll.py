"""The monthly payroll of a commune and field, computed set-based from the entitlements.

A payroll of month M holds, per person and scheme:
- MONTH: the month's allowance — the paid lines of `benefits.monthly.month_lines` for M, added up,
  with their rules and legal bases joined; a person confirmed as the same as another record
  (`dedup.identity.one_per_person`) is paid once;
- CARRIED: amounts of earlier payrolls (sent or reconciled) the paying agent reported as not
  collected (`not_paid`, or the rest of `partly`), not carried yet (Decree 20/2021 Art. 34(4),
  Circular 44/2022/TT-BTC Art. 8(3): "số kinh phí còn lại chưa chi trả tháng trước");
- ARREARS (truy lĩnh): for earlier months, what the entitlements owe now minus what payrolls
  already booked for that person, scheme and month — a decision back-dated, a base level applied
  back by a later text;
- RECOVERY (thu hồi, negative): what payrolls paid for months the entitlements no longer pay — a
  death recorded after the month's list had left.

Only a few people have earlier months to look at (decisions of the last twelve months, stops,
deaths, base levels applied back): their months are recomputed with the same `month_lines`, once
per month for all of them; everyone else costs the month's own computation. A month counts when
the commune's payroll of that field holds it (the system paid it); before the system's first
payroll, only the months before a decision was taken count (nothing was paid for them).

A run is set-based at the level of the unit it covers (a province: all its communes and both
fields at once): the month is priced once (one `month_lines` over all the entitlements), the people
to look at again are few and read by person, and the writing is ONE transaction for the whole run:
the payroll rows are created in one statement and locked, the existing lines read in one query,
the stale ones deleted in one statement, the new ones written in one bulk insert, the control
totals set in one UPDATE and one audit row per payroll added in one insert — the number of queries
does not depend on the number of communes. A large run (a province) is planned in parts on the
machine's cores, each part a share of the communes in a process of its own that reads, prices and
builds its payrolls' rows (`_plan_all`, `lib.forked`); the one transaction then writes them all.
Two runs at the same time leave one payroll (the unique constraint, the retry of an
IntegrityError, the row locks, and a payroll created by the other run meanwhile planned again
under the lock); a run that dies leaves every payroll as it was (no
commune half-written, no line twice). A draft whose lines did not change (their fingerprint,
`Payroll.lines_digest`) is neither read back nor rewritten. Only a draft changes: an approved
payroll is reported as refused and corrected by a follow-up (`follow_up`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field as dc_field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Max, Min, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.benefits.models import FIELD_SCHEMES, BaseKind, BaseLevel, Entitlement, Scheme
from ansinh.benefits.monthly import CATEGORY, COMMUNE, DIED, PERSON, PK, _fetch, _lines_of, _load_month, _no_gc
from ansinh.benefits.months import add_months, month_of
from ansinh.geo.models import Level, Unit
from ansinh.lib import forked
from ansinh.lib.bulk import insert_rows
from ansinh.lib.vietnamese import format_number

from . import access
from .models import (UNPAID, Channel, LineRule, PayField, PayLineKind, PaymentMethod, Payroll, PayrollLine,
                     PayrollState, PayStatus)

logger = logging.getLogger(__name__)

WINDOW_MONTHS = 12     # arrears and recoveries look this far back …
LONGEST_BACK = 60      # … and back to a late decision's first month, at most five years
BOOKED_KINDS = (PayLineKind.MONTH, PayLineKind.ARREARS, PayLineKind.CARRIED)
BASE_SCHEMES = {
    BaseKind.SA_BASE: (Scheme.SOCIAL_ASSISTANCE,),
    BaseKind.SOCIAL_PENSION: (Scheme.SOCIAL_PENSION,),
    BaseKind.MERIT_BASE: (Scheme.MERITORIOUS,),
    BaseKind.BASE_SALARY: (Scheme.MERITORIOUS,),
}
CARRY_BASIS = "Khoản 4 Điều 34 Nghị định 20/2021/NĐ-CP; khoản 3 Điều 8 Thông tư 44/2022/TT-BTC"
RECOVERY_BASIS = ""
LINE_COLUMNS = ("payroll_id", "person_id", "scheme", "for_month", "kind", "amount", "basis_id",
                "provisional", "entitlement_id", "hamlet_id", "channel", "account_number", "carried_from_id",
                "commune_id", "status", "paid_to", "reason")
COMPARED = ("person_id", "scheme", "for_month", "kind", "amount", "basis_id", "provisional",
            "entitlement_id", "hamlet_id", "channel", "account_number", "carried_from_id")


# A run reads the register, then writes under the write lock: what changed between the two is
# refused by the database — a person, an entitlement or a unit deleted, a draft's line that another
# payroll carries (foreign keys, checked when the run commits: DEFERRABLE INITIALLY DEFERRED), a
# month's allowance paid by another payroll meanwhile (`payments_month_paid_once`, at the insert).
CHANGED_MEANWHILE = ("Không lập được bảng chi trả: trong lúc tính, sổ hoặc các bảng chi trả vừa thay đổi (một người, "
                     "quyết định hưởng hoặc địa bàn vừa bị xóa, hay một khoản vừa được ghi vào bảng chi trả khác). "
                     "Không có gì được ghi; hãy tính lại.")


class PayrollLocked(ValidationError):
    """The payroll is approved, sent or reconciled: it never changes (a follow-up corrects it)."""


@dataclass
class RunResult:
    lines: int = 0
    people: int = 0
    total: int = 0
    payrolls: list[int] = dc_field(default_factory=list)
    refused: list[str] = dc_field(default_factory=list)
    parts: int = 1  # planned in this many parts, each in a process of its own (`_plan_all`)


@dataclass(slots=True)
class _Line:
    person: int
    scheme: str
    for_month: dt.date
    kind: str
    amount: int
    rule: str = ""
    legal_basis: str = ""
    provisional: bool = False
    entitlement: int | None = None
    carried_from: int | None = None


def _vn_month(month: dt.date) -> str:
    return f"{month.month:02d}/{month.year}"


def _money(amount: int) -> str:
    return f"{format_number(amount)} đồng"


def _join(parts: Iterable[str], limit: int) -> str:
    if isinstance(parts, list) and len(parts) == 1:  # most lines: one text
        text = parts[0] or ""
        return text if len(text) <= limit else text[: limit - 1] + "…"
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    text = "; ".join(seen)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def communes_of(unit: Unit) -> list[Unit]:
    """The communes a run covers: the unit itself, or the communes under it, in force today."""
    if unit.level == Level.COMMUNE:
        return [unit]
    if unit.level == Level.HAMLET:
        raise ValidationError("Chỉ lập bảng chi trả cho xã, phường hoặc cho cả tỉnh; không lập cho thôn, ấp.")
    return list(Unit.objects.descendants_of(unit).filter(level=Level.COMMUNE).on(timezone.localdate())
                .order_by("sort_key", "pk"))


# --- Reading -----------------------------------------------------------------------------------


# What a month pays a person under a scheme: (amount, rule, legal basis, provisional, entitlement).
_Paid = tuple[int, str, str, bool, int]
# What the register says of a person, read with her entitlements: (hamlet, her household's commune,
# paying channel, account number); the last two None without a payment method.
_Facts = tuple[int | None, int | None, str | None, str | None]
FACTS_AT = DIED + 1  # the facts' place in a row of a single month (`benefits.monthly._query`)
FACTS = ("person__household__hamlet_id", "person__household__commune_id", "person__payment_method__channel",
         "person__payment_method__account_number")


@dataclass
class _Month:
    """What the month's entitlements pay, per commune: {(person, scheme): _Paid}; and the facts of
    the people read with them ({person: _Facts})."""

    by_commune: dict[int, dict[tuple[int, str], _Paid]]
    facts: dict[int, _Facts] = dc_field(default_factory=dict)


def _month_part(commune_ids: list[int], schemes: tuple[str, ...], month: dt.date) -> _Month:
    """The month's lines added up by person and scheme (`benefits.monthly.month_lines`' paid
    lines with an amount: their amounts summed, their rules and legal bases joined), in one read
    of the entitlements that also brings each person's hamlet and paying channel. A person
    holding a single entitlement paid in full (most people) costs a dictionary entry: what she is
    paid is worked out once per case (`_pricer` shares the amounts of a case)."""
    out: dict[int, dict[tuple[int, str], _Paid]] = defaultdict(dict)
    qs = Entitlement.objects.filter(commune_id__in=commune_ids, scheme__in=schemes)
    month = month_of(month)
    cases: dict[int, tuple[list[Any], tuple[int, str, str, bool] | None]] = {}  # id(amounts) → what they pay
    with _no_gc():
        rows, book = _load_month(qs, month, extra=FACTS)
        categories = book.categories

        def single(row: tuple[Any, ...], amounts: list[Any]) -> None:
            case = cases.get(id(amounts))
            if case is None or case[0] is not amounts:
                paying = [a for a in amounts if a.amount]
                case = cases[id(amounts)] = (amounts, (
                    sum(a.amount for a in paying), _join([a.text for a in paying], 500),
                    _join([a.legal_basis for a in paying], 300), any(a.provisional for a in paying))
                    if paying else None)
            paid = case[1]
            if paid is not None:
                out[row[COMMUNE]][(row[PERSON], categories[row[CATEGORY]][1])] = (*paid, row[PK])

        others = _lines_of(rows, month, book, dated=False, single=single)
        facts: dict[int, _Facts] = {row[PERSON]: row[FACTS_AT:] for row in rows}  # type: ignore[misc]
    grouped: dict[int, dict[tuple[int, str], list[Any]]] = defaultdict(dict)
    for line in others:
        if not line.paid or not line.amount:
            continue
        key = (line.person_id, line.scheme)
        lines = grouped[line.commune_id]
        found = lines.get(key)
        if found is None:
            lines[key] = [line.amount, [line.text], [line.legal_basis], line.provisional, line.entitlement_id]
        else:
            found[0] += line.amount
            found[1].append(line.text)
            found[2].append(line.legal_basis)
            found[3] = found[3] or line.provisional
    for commune, lines in grouped.items():
        mine = out[commune]
        for key, (amount, texts, bases, provisional, entitlement) in lines.items():
            mine[key] = (amount, _join(texts, 500), _join(bases, 300), provisional, entitlement)
    return _Month(by_commune=out, facts=facts)


def _part_of(priced: _Month, commune_ids: list[int], schemes: tuple[str, ...]) -> _Month:
    """The communes' and schemes' share of a month priced for more (a province's fields priced
    together: the precedence rules weigh social assistance against the social pension, never
    against meritorious service, so pricing the fields together gives the same lines)."""
    wanted = set(schemes)
    out: dict[int, dict[tuple[int, str], _Paid]] = defaultdict(dict)
    for commune in commune_ids:
        lines = priced.by_commune.get(commune)
        if lines:
            out[commune] = {key: found for key, found in lines.items() if key[1] in wanted}
    return _Month(by_commune=out, facts=priced.facts)


def _unpaid() -> RawSQL:
    """`status IN UNPAID`, written out: SQLite plans a query with a partial index only when the
    index's condition appears in it as written (a bound parameter does not match), here
    payments_line_unpaid."""
    column = f"{connection.ops.quote_name(PayrollLine._meta.db_table)}.{connection.ops.quote_name('status')}"
    values = ", ".join(f"'{value}'" for value in UNPAID)  # constants of the model, not input
    return RawSQL(f"{column} IN ({values})", (), output_field=BooleanField())


def _money_of(kind: str, status: str, amount: int, paid_amount: int | None) -> int:
    """What a line put in the person's hands (a recovery: what it takes back)."""
    if kind == PayLineKind.RECOVERY:
        return amount
    if status == PayStatus.NOT_PAID:
        return 0
    if status == PayStatus.PARTLY:
        return paid_amount or 0
    if status == PayStatus.PAID and paid_amount is not None:
        return paid_amount
    return amount


def _one_per_person(month: _Month, schemes: tuple[str, ...], on: dt.date) -> None:
    """Records confirmed as one person: the month is paid to one of them (the group's lowest id
    paying that scheme this month, wherever it lives)."""
    from ansinh.dedup.identity import SAME, one_per_person
    from ansinh.dedup.models import DuplicatePair

    linked: set[int] = set()
    for left, right in DuplicatePair.objects.filter(status__in=SAME).values_list("left_id", "right_id"):
        linked.update((left, right))
    if not linked:
        return
    here = {person for lines in month.by_commune.values() for person, _s in lines if person in linked}
    if not here:
        return
    roots = one_per_person(here)
    groups: dict[int, set[int]] = defaultdict(set)
    for person, root in roots.items():
        groups[root].add(person)
    members_all = {pk for pk, root in one_per_person(linked).items() if root in groups} | set(groups)
    paying = set(Entitlement.objects.filter(person_id__in=members_all, scheme__in=schemes, start_month__lte=on)
                 .filter(Q(stop_month__isnull=True) | Q(stop_month__gt=on))
                 .values_list("person_id", "scheme"))
    all_roots = one_per_person(members_all)
    for lines in month.by_commune.values():
        for person, scheme in list(lines):
            if person not in roots:
                continue
            root = roots[person]
            payers = sorted(pk for pk, r in all_roots.items() if r == root and (pk, scheme) in paying)
            if payers and payers[0] != person:
                del lines[(person, scheme)]


@dataclass
class _Plan:
    """The lines of each commune's payroll, computed before anything is written, and the facts of
    the people read with the month (`_Month.facts`)."""

    lines: dict[int, list[_Line]]
    facts: dict[int, _Facts] = dc_field(default_factory=dict)
    touched: set[int] = dc_field(default_factory=set)  # everyone looked at: the field's month's people, the others


def _history_months(commune_ids: list[int], field: str, since: dt.date, until: dt.date,
                    exclude: set[int]) -> dict[int, set[dt.date]]:
    """Per commune, the months the system paid (a payroll of the field not a draft)."""
    out: dict[int, set[dt.date]] = defaultdict(set)
    rows = (Payroll.objects.filter(commune_id__in=commune_ids, field=field, month__gte=since, month__lte=until)
            .exclude(state=PayrollState.DRAFT).exclude(pk__in=exclude).values_list("commune_id", "month"))
    for commune, month in rows:
        out[commune].add(month)
    return out


def _plan(*, commune_ids: list[int], month: dt.date, field: str, follow_up: bool,
          exclude_payrolls: set[int], priced: _Month | None = None, here: Iterable[int] | None = None) -> _Plan:
    """The lines of the communes' payrolls. `here`: the communes of the whole run when these are a
    part of it (`_plan_all`): what other payrolls booked or carried is read from all of them, as
    planning the run in one go reads it."""
    schemes = tuple(str(s) for s in FIELD_SCHEMES[field])  # type: ignore[index]
    here = set(commune_ids) if here is None else set(here)
    window = add_months(month, -WINDOW_MONTHS)
    last_back = month if follow_up else add_months(month, -1)
    plan: dict[int, list[_Line]] = defaultdict(list)

    # 1. The month's allowance.
    current = _month_part(commune_ids, schemes, month) if priced is None else _part_of(priced, commune_ids, schemes)
    _one_per_person(current, schemes, month)
    # Paid once: a MONTH line of this month on another payroll (a follow-up, another commune's).
    # A month's line is on a payroll of that month and commune (its copy of the commune): read
    # through the other payrolls of the month (none on a month's first run), not by reading the
    # month's lines of the run's own drafts to set them aside.
    # (a payroll's lines are of its field's schemes): by the payrolls' index, the rest checked here.
    elsewhere = sorted(Payroll.objects.filter(commune_id__in=sorted(here), month=month, field=field)
                       .exclude(pk__in=exclude_payrolls).order_by().values_list("pk", flat=True))
    already = {(person, scheme) for person, scheme, commune, for_month in PayrollLine.objects.filter(
        payroll_id__in=elsewhere, kind=PayLineKind.MONTH, scheme__in=schemes).order_by().values_list(
        "person_id", "scheme", "commune_id", "for_month") if commune in here and for_month == month} \
        if elsewhere else set()
    month_kind = PayLineKind.MONTH
    for commune, lines in current.by_commune.items():
        append = plan[commune].append
        for paid_key, (amount, rule, basis, provisional, entitlement) in lines.items():
            if paid_key in already:
                continue
            append(_Line(paid_key[0], paid_key[1], month, month_kind, amount, rule, basis, provisional, entitlement))

    # 2. Who is to be looked at again, and which months: the entitlements decided or stopped
    # within the window, and those of the people who died since the month before it (read from
    # the few deaths, `member_died_on_idx`: not by joining every entitlement to its member), in
    # the order of the entitlements' index (commune, scheme, first month).
    ents = _looked_at(commune_ids, schemes, window)
    months_of: dict[tuple[int, str], set[dt.date]] = defaultdict(set)  # (person, scheme) → months to check
    must_check: set[tuple[int, str, dt.date]] = set()  # stops, deaths, base levels: checked whatever was booked
    commune_of: dict[int, int] = {}
    decided: dict[tuple[int, str], list[tuple[dt.date, dt.date, dt.date | None]]] = defaultdict(list)
    stops: dict[tuple[int, str], tuple[dt.date, str]] = {}
    decided_late: dict[tuple[int, str, dt.date], dt.date] = {}  # months looked at for a decision: its date
    for person, commune, scheme, start, stop, decision_date, reason, note, died in ents:
        commune_of.setdefault(person, commune)
        decided[(person, scheme)].append((start, decision_date, stop))
        if died is not None:  # the months after the month of death, whatever the entitlement says
            after = add_months(month_of(died), 1)
            if stop is None or after < stop:
                stop, note = after, f"mất ngày {died.day:02d}/{died.month:02d}/{died.year}"
        if stop is not None and stop <= last_back:
            stops[(person, scheme)] = (stop, note or reason)
            for m in _months(max(stop, window), last_back):
                months_of[(person, scheme)].add(m)
                must_check.add((person, scheme, m))
        if decision_date >= window and start <= last_back:
            back = max(min(window, start), add_months(month, -LONGEST_BACK))
            end = last_back if stop is None else min(last_back, add_months(stop, -1))
            # Only the months whose list had left when the decision was taken: a list leaves
            # later each month, so they are the range's months up to `_last_left_before`'s (most
            # decisions come before their first month: none, and no month is listed).
            end = min(end, _last_left_before(decision_date))
            late = [m for m in _months(max(start, back), end) if decision_date > _list_left(m)] \
                if max(start, back) <= end else []
            if late:
                months_of[(person, scheme)].update(late)
                for m in late:
                    decided_late[(person, scheme, m)] = max(decided_late.get((person, scheme, m), decision_date),
                                                           decision_date)
    # A base level applied back by a later text: the months booked from payrolls computed before
    # the text was issued were paid at the old level.
    late_bases = [(valid_from, decided_on) for kind, valid_from, decided_on in BaseLevel.objects.filter(
        decided_on__isnull=False, decided_on__gte=window, decided_on__lte=timezone.localdate()).values_list(
        "kind", "valid_from", "decided_on")
        if decided_on and month_of(decided_on) > month_of(valid_from)
        and set(BASE_SCHEMES.get(kind, ())) & set(schemes)]  # type: ignore[call-overload]
    others = PayrollLine.objects.filter(commune_id__in=commune_ids, scheme__in=schemes).exclude(
        payroll_id__in=exclude_payrolls)
    everywhere = others if len(here) == len(commune_ids) else PayrollLine.objects.filter(
        commune_id__in=sorted(here), scheme__in=schemes).exclude(payroll_id__in=exclude_payrolls)
    for valid_from, decided_on in late_bases:
        issued = timezone.make_aware(dt.datetime.combine(decided_on, dt.time.min))
        since = max(month_of(valid_from), window)
        # Through the payrolls computed before the text (a line is never for a month after its
        # payroll's): none, once the window's payrolls were all computed after it.
        before = sorted(Payroll.objects.filter(commune_id__in=commune_ids, month__gte=since, computed_at__lt=issued)
                        .exclude(pk__in=exclude_payrolls).order_by().values_list("pk", flat=True))
        if not before:
            continue
        for person, scheme, m, commune in others.filter(
                payroll_id__in=before, for_month__gte=since, for_month__lte=last_back, kind__in=BOOKED_KINDS,
                payroll__computed_at__lt=issued).values_list("person_id", "scheme", "for_month", "commune_id"):
            months_of[(person, scheme)].add(m)
            must_check.add((person, scheme, m))
            commune_of.setdefault(person, commune)

    # 3. What other payrolls booked: the carries not done yet (the lines not collected, read by
    # the partial index of unpaid lines, less those another payroll carried already, read by
    # `carried_from`'s), and the candidates' months.
    unpaid = list(others.filter(
        _unpaid(), kind__in=BOOKED_KINDS, payroll__state__in=(PayrollState.SENT, PayrollState.RECONCILED),
        for_month__gte=window, for_month__lte=month).values_list(  # the lines' order: the first carries
        "pk", "person_id", "scheme", "for_month", "amount", "paid_amount", "status", "entitlement_id", "basis__rule",
        "commune_id"))
    carried_ids: set[int] = set()
    for pks in _chunks([row[0] for row in unpaid], 2000) if unpaid else []:
        carried_ids.update(everywhere.filter(carried_from_id__in=pks).order_by().values_list("carried_from_id",
                                                                                             flat=True))
    to_carry = [row for row in unpaid if row[0] not in carried_ids]
    rest_of: dict[int, int] = {}
    for pk, person, _s, _m, amount, paid_amount, status, _e, _r, commune in to_carry:
        rest_of[pk] = amount - ((paid_amount or 0) if status == PayStatus.PARTLY else 0)
        commune_of.setdefault(person, commune)
    booked: dict[tuple[int, str, dt.date], int] = defaultdict(int)
    booked_any: set[tuple[int, str, dt.date]] = set()
    booked_on: dict[tuple[int, str, dt.date], dt.date] = {}  # the day the latest payroll booking it was computed
    candidates = sorted({person for person, _s in months_of})
    earliest = min((m for months in months_of.values() for m in months), default=month)
    # Their lines read as plain tuples (no per-row conversion), each line's payroll by id: the
    # day each payroll was computed is read once per payroll, not joined to every line.
    fetched: list[tuple[Any, ...]] = []
    for chunk in (_chunks(candidates, 2000) if len(candidates) <= 20_000 else [None]):
        if chunk is not None:  # by person (its index), the communes checked here: not the whole month read
            rows = PayrollLine.objects.filter(person_id__in=chunk, scheme__in=schemes).exclude(
                payroll_id__in=exclude_payrolls)
        elif not candidates:
            break
        else:
            rows = everywhere
        fetched.extend(_fetch(rows.filter(for_month__gte=earliest, for_month__lte=month).order_by().values_list(
            "pk", "person_id", "scheme", "for_month", "kind", "amount", "status", "paid_amount", "payroll_id",
            "commune_id")))
    computed: dict[int, dt.date | None] = {}
    for chunk in _chunks(sorted({row[8] for row in fetched}), 2000) if fetched else []:
        for pk, computed_at in Payroll.objects.filter(pk__in=chunk).order_by().values_list("pk", "computed_at"):
            computed[pk] = None if computed_at is None else (
                timezone.localdate(computed_at) if timezone.is_aware(computed_at) else computed_at.date())
    for pk, person, scheme, for_month, kind, amount, status, paid_amount, payroll_id, commune in fetched:
        if commune not in here:
            continue
        key = (person, scheme, for_month)
        if kind != PayLineKind.RECOVERY:
            day = computed.get(payroll_id)
            if day is not None and day > booked_on.get(key, dt.date.min):
                booked_on[key] = day
        # What reached her, and what is still to reach her (carried forward)
        booked[key] += _money_of(kind, status, amount, paid_amount) + rest_of.get(pk, 0)
        if kind != PayLineKind.RECOVERY:
            booked_any.add(key)
    if months_of:  # the month's lines of this payroll (step 1) pay the month too (of the people looked at)
        looked_at = months_of.keys()
        for lines in current.by_commune.values():
            for paid_key in lines.keys() & looked_at:
                if paid_key not in already:
                    booked[(paid_key[0], paid_key[1], month)] += lines[paid_key][0]
    history = _history_months(commune_ids, field, add_months(month, -LONGEST_BACK), month, exclude_payrolls)
    first_paid: dict[int, dt.date] = dict(
        Payroll.objects.filter(commune_id__in=commune_ids, field=field).exclude(state=PayrollState.DRAFT)
        .exclude(pk__in=exclude_payrolls).values("commune_id").annotate(first=Min("month"))
        .values_list("commune_id", "first"))
    # A month looked at only for a decision is settled when a payroll computed after the decision
    # booked it (in the system), or when it was paid outside the system after the decision.
    for (person, scheme), months in months_of.items():
        home = commune_of.get(person)
        for m in list(months):
            key = (person, scheme, m)
            if key in must_check:
                if key not in booked_any and key not in decided_late:
                    months.discard(m)  # nothing booked: nothing to recover
                continue
            if key not in decided_late:
                continue
            d = decided_late[key]
            if m in history.get(home, set()) if home is not None else False:
                if booked_on.get(key, dt.date.min) > d:
                    months.discard(m)
            elif d <= _list_left(first_paid.get(home, month) if home is not None else month):
                months.discard(m)

    # 4. What those months owe now: one `month_lines` per month for everyone to look at.
    by_month: dict[dt.date, set[int]] = defaultdict(set)
    for (person, _scheme), months in months_of.items():
        for m in months:
            by_month[m].add(person)
    owed: dict[tuple[int, str, dt.date], list[Any]] = {}
    for m, line in _earlier_lines(by_month, schemes):
        if not line.paid or not line.amount or m not in months_of.get((line.person_id, line.scheme), ()):
            continue
        key = (line.person_id, line.scheme, m)
        commune = commune_of.get(line.person_id, line.commune_id)
        if m not in history.get(commune, set()):
            # A month the system did not pay: owed only when the decision came after its list
            # left (before the 25th of the month before: Decree 20/2021 Art. 34(4)) and after the
            # last list paid outside the system left.
            outside = _list_left(first_paid.get(commune, month))
            if not any(d > _list_left(m) and d > outside
                       for start, d, stop in decided.get((line.person_id, line.scheme), [])
                       if start <= m and (stop is None or stop > m)):
                continue
        found = owed.get(key)
        if found is None:
            owed[key] = [line.amount, [line.text], [line.legal_basis], line.provisional, line.entitlement_id]
        else:
            found[0] += line.amount
            found[1].append(line.text)
            found[2].append(line.legal_basis)
            found[3] = found[3] or line.provisional

    # 5. Carries (not to someone no longer owed them), then arrears and recoveries.
    carry_keys: set[tuple[int, str, dt.date]] = set()
    for pk, person, scheme, for_month, _a, _p, _st, ent, rule, commune in to_carry:
        key = (person, scheme, for_month)
        if key in carry_keys:
            continue  # one carry of a month per payroll: the next payroll carries this one
        if for_month in months_of.get((person, scheme), ()) and owed.get(key, [0])[0] < booked[key]:
            booked[key] -= rest_of[pk]  # not owed any more (a death recorded late): not carried
            continue
        carry_keys.add(key)
        plan[commune_of.get(person, commune)].append(_Line(
            person, scheme, for_month, PayLineKind.CARRIED, rest_of[pk],
            _join([f"Chuyển chi trả tháng {_vn_month(for_month)} chưa nhận", rule], 500),
            CARRY_BASIS, False, ent, pk))
    for (person, scheme), months in months_of.items():
        home = commune_of.get(person)
        if home is None:
            continue
        for m in sorted(months):
            key = (person, scheme, m)
            found = owed.get(key)
            due = found[0] if found else 0
            paid = booked.get(key, 0)
            diff = due - paid
            if diff > 0 and found is not None:
                plan[home].append(_Line(
                    person, scheme, m, PayLineKind.ARREARS, diff,
                    _join([f"Truy lĩnh tháng {_vn_month(m)}: phải trả {_money(due)}, đã chi {_money(paid)}",
                           *found[1]], 500), _join(found[2], 300), bool(found[3]), found[4]))
            elif diff < 0 and key in booked_any:
                stop, why = stops.get((person, scheme), (None, ""))
                reason = (f"thôi hưởng từ tháng {_vn_month(stop)}" + (f" ({why})" if why else "")) if stop else \
                    "số phải trả nay thấp hơn số đã chi"
                plan[home].append(_Line(
                    person, scheme, m, PayLineKind.RECOVERY, diff,
                    _join([f"Thu hồi tháng {_vn_month(m)}: đã chi {_money(paid)}, phải trả {_money(due)} — {reason}"],
                          500), RECOVERY_BASIS))
    month_people = {person for lines in current.by_commune.values() for person, _s in lines}
    return _Plan(lines=plan, facts=current.facts, touched=month_people | set(commune_of))


def _looked_at(commune_ids: list[int], schemes: tuple[str, ...], window: dt.date) -> list[tuple[Any, ...]]:
    """(person, commune, scheme, first month, stop month, decision date, stop reason, stop note, date
    of death) of the entitlements `_plan` looks at again (its step 2)."""
    from ansinh.households.models import Member

    fields = ("pk", "person_id", "commune_id", "scheme", "start_month", "stop_month", "decision_date", "stop_reason",
              "stop_note", "person__died_on")
    mine = Entitlement.objects.filter(commune_id__in=commune_ids, scheme__in=schemes).order_by()
    # Decided, then stopped, within the window: each read by its index (`benefits_ent_decided`,
    # `benefits_ent_stopped`; the two conditions in one OR, the databases read every entitlement).
    rows = _fetch(mine.filter(decision_date__gte=window).values_list(*fields))
    seen = {row[0] for row in rows}
    rows.extend(row for row in _fetch(mine.filter(stop_month__gt=window).values_list(*fields)) if row[0] not in seen)
    seen = {row[0] for row in rows}
    died = Member.objects.filter(died_on__gte=add_months(window, -1)).values("pk")
    rows.extend(row for row in _fetch(mine.filter(person_id__in=died).values_list(*fields)) if row[0] not in seen)
    rows.sort(key=lambda row: (row[2], row[3], row[4], row[0]))
    return [row[1:] for row in rows]


def _earlier_lines(by_month: dict[dt.date, set[int]], schemes: tuple[str, ...]) -> Iterator[tuple[dt.date, Any]]:
    """The lines of the months to look at again, for the people to look at: their entitlements read
    once for the whole range (`benefits.monthly`'s loader and pricer, as `person_months` does),
    then priced month by month."""
    from ansinh.benefits.monthly import _lines_of, _load

    if not by_month:
        return
    persons = sorted(set().union(*by_month.values()))
    first, last = min(by_month), max(by_month)
    for chunk in _chunks(persons, 10_000):
        rows, books = _load(Entitlement.objects.filter(person_id__in=chunk, scheme__in=schemes), first, last)
        wanted = set(chunk)
        for m in sorted(by_month):
            if not by_month[m] & wanted:
                continue
            for line in _lines_of(rows, m, books):
                yield m, line


@functools.lru_cache(maxsize=512)
def _list_left(m: dt.date) -> dt.date:
    """The day a month's list and funds leave for the paying agent at the latest (the 24th of the
    month before: "trước ngày 25 hằng tháng")."""
    return add_months(m, -1).replace(day=24)


@functools.lru_cache(maxsize=4096)
def _last_left_before(day: dt.date) -> dt.date:
    """The last day of the last month whose list had left on `day` (`_list_left(m) < day` for
    the months up to it, not after: their lists leave later)."""
    last = add_months(day, 1) if day.day > 24 else month_of(day)
    return add_months(last, 1) - dt.timedelta(days=1)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    while start <= end:
        out.append(start)
        start = add_months(start, 1)
    return out


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


# --- Writing -----------------------------------------------------------------------------------
#
# A run writes all its payrolls in ONE transaction (a province's communes × fields together):
# the payroll rows are created in one statement and locked, the existing lines of all of them
# read in one query, the stale ones deleted in one statement, the new ones inserted in one bulk
# insert, the control totals set in one statement and the audit rows added in one. A run that
# dies leaves every payroll as it was (no commune half-written, no line twice); a re-run starts
# again from the register.

_Key = tuple[int, str, int]  # (commune, field, sequence): one payroll


def _lock(keys: list[_Key], month: dt.date, known: set[int]) -> tuple[dict[_Key, Payroll], set[_Key]]:
    """The payroll rows of `keys`, the missing ones created in one statement, all locked until the
    transaction ends (two runs: one row each, by the unique constraint; every run creates them in
    the same order and locks them in id order, so two runs do not deadlock). Returns the rows and
    the keys whose row exists but was not known when the lines were planned: created by another
    run meanwhile, its lines were read as another payroll's — they are planned again."""
    wanted = sorted(set(keys))
    wanted_set = set(wanted)
    communes = sorted({c for c, _f, _s in wanted})
    fields = sorted({f for _c, f, _s in wanted})
    sequences = sorted({s for _c, _f, s in wanted})
    for _attempt in range(5):
        found: dict[_Key, Payroll] = {}
        for payroll in (Payroll.objects.select_for_update()
                        .filter(commune_id__in=communes, month=month, field__in=fields, sequence__in=sequences)
                        .order_by("pk")):
            key = (payroll.commune_id, payroll.field, payroll.sequence)
            if key in wanted_set:
                found[key] = payroll
        missing = [key for key in wanted if key not in found]
        made: set[int] = set()
        if missing:
            try:
                with transaction.atomic():
                    created = Payroll.objects.bulk_create(
                        [Payroll(commune_id=c, month=month, field=f, sequence=s) for c, f, s in missing])
            except IntegrityError:
                continue  # another run created some a moment ago: lock those
            for payroll in created:
                found[(payroll.commune_id, payroll.field, payroll.sequence)] = payroll
                made.add(payroll.pk)
        stale = {key for key, payroll in found.items() if payroll.pk not in known and payroll.pk not in made}
        return found, stale
    raise ValidationError("Không lập được bảng chi trả: có một lượt tính khác đang chạy, hãy thử lại.")


def _locked_message(payroll: Payroll) -> str:
    return (f"Bảng chi trả tháng {_vn_month(payroll.month)} số {payroll.sequence} của {payroll.commune.name} "
            f"đã ở trạng thái “{payroll.get_state_display()}”: không tính lại được. "
            "Muốn điều chỉnh, hãy lập bảng chi trả bổ sung.")


class _IsoMonths(dict[dt.date, str]):
    """A month's ISO text, made once per month of a run."""

    def __missing__(self, day: dt.date) -> str:
        text = self[day] = day.isoformat()
        return text


_DIGEST_ROW = "\x1f".join(["%s"] * len(COMPARED))
_COMPARED_IN_ROW = len(COMPARED)  # a `_Row`'s first values: its COMPARED ones


def _digest(rows: list[_Row]) -> str:
    """A fingerprint of a payroll's lines: their rows (`_rows`), sorted, one text of their COMPARED
    values each (`%s` is str(): "\x1f".join(map(str, values)), with one operation per row),
    hashed together."""
    row, upto = _DIGEST_ROW, _COMPARED_IN_ROW
    text = "\x1e".join([row % values[:upto] for values in rows])
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:32]


def _set_totals(values: list[tuple[int, int, int, int, int, str]], now: dt.datetime, user_id: int | None) -> None:
    """Each payroll's control totals and lines' fingerprint, its computing stamp and its version
    + 1, in one statement (per 2.000 payrolls): (id, lines, people, total, recovery_total, digest)."""
    table = connection.ops.quote_name(Payroll._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(values), 2000):
            chunk = values[start:start + 2000]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"WITH v (pid, n_lines, n_people, to_pay, to_recover, digest) AS (VALUES {marks}) "
                f"UPDATE {table} SET lines_count = v.n_lines, people_count = v.n_people, total = v.to_pay, "
                f"recovery_total = v.to_recover, lines_digest = v.digest, computed_at = %s, computed_by_id = %s, "
                f"version = {table}.version + 1, updated_at = %s FROM v WHERE {table}.id = v.pid",
                [*(x for row in chunk for x in row), stamp, user_id, stamp])


# A payroll's lines as the insert writes them, less their payroll (LINE_COLUMNS[1:]), sorted: the
# person, scheme, month and kind come first and name a line. With its fingerprint (`_digest`).
_Row = tuple[Any, ...]
_Rows = tuple[list[_Row], str]


def _rows(plans: dict[_Key, list[_Line]], facts: dict[int, _Facts], communes: list[int]) -> dict[_Key, _Rows]:
    """Each payroll's lines as rows (`_Row`): the person's hamlet and paying channel from the
    register (`_register_facts`, a payment method counting when her household is in one of the
    run's `communes`), the rule and legal basis as their `LineRule`'s id (the missing
    ones made: a few new texts a month, kept even if the run then fails), the month as ISO text as
    the database stores it (SQLite: text; the driver would convert each line's date by a Python
    call)."""
    if not plans:
        return {}
    persons = {line.person for lines in plans.values() for line in lines}
    hamlets, methods = _register_facts(communes, persons, facts)
    rule_id = _rule_ids({(line.rule, line.legal_basis) for lines in plans.values() for line in lines})
    month_text = _IsoMonths()
    post = (Channel.POST.value, "")
    pending = PayStatus.PENDING.value
    hamlet_of, method_of = hamlets.get, methods.get
    out: dict[_Key, _Rows] = {}
    for key, lines in plans.items():
        commune_id = key[0]
        rows = [(line.person, line.scheme, month_text[line.for_month], line.kind, line.amount,
                 rule_id[(line.rule, line.legal_basis)], line.provisional, line.entitlement, hamlet_of(line.person),
                 *method_of(line.person, post), line.carried_from, commune_id, pending, "", "") for line in lines]
        rows.sort()  # (person, scheme, month, kind) is unique in a payroll: never compares further
        out[key] = (rows, _digest(rows))
    return out


def _write(*, built: dict[_Key, _Rows], units: dict[int, Unit], month: dt.date, actor: Actor, known: set[int],
           follow_up: bool, communes: list[int]) -> tuple[list[Payroll], list[str], int]:
    """Writes the planned payrolls (their rows, `_rows`) in one transaction; returns them, in the
    order of `built`, the messages of those approved by someone between the read and the write
    (left as they are), and how many people their lines pay (a person on two fields' payrolls
    counted once)."""
    refused: list[str] = []
    with transaction.atomic():
        payrolls, stale = _lock(list(built), month, known)
        for key, payroll in list(payrolls.items()):
            payroll.commune = units[key[0]]
            if payroll.state != PayrollState.DRAFT:
                refused.append(_locked_message(payroll))
                del payrolls[key]
                stale.discard(key)
        if stale:  # created by another run meanwhile: plan those communes again, under the lock
            known = known | {payrolls[key].pk for key in stale}
            for field in sorted({f for _c, f, _s in stale}):
                keys = [key for key in stale if key[1] == field]
                again = _plan(commune_ids=sorted(c for c, _f, _s in keys), month=month, field=field,
                              follow_up=follow_up or any(s > 1 for _c, _f, s in keys), exclude_payrolls=known,
                              here=sorted(units))
                built.update(_rows({key: again.lines.get(key[0], []) for key in keys}, again.facts, communes))
        # Recomputed in place: the drafts' lines that did not change stay, the others are deleted
        # and the new ones inserted in bulk (nothing refers to a draft's lines: only lines of sent
        # payrolls are carried, so a plain DELETE, without the collector reading them first). A
        # draft whose lines' fingerprint did not change is neither read back nor rewritten. A
        # line's row is its payroll and `_Row`; its first 13 values (the payroll and COMPARED) name it.
        old: list[int] = []
        for key, (rows, digest) in built.items():
            found = payrolls.get(key)
            if found is None or (found.computed_at is None and not found.lines_count):
                continue  # approved meanwhile (refused), or just created: nothing to read
            if found.lines_digest != digest or found.lines_count != len(rows):
                old.append(found.pk)
        existing: dict[tuple[Any, ...], int] = {}
        if old:
            for pk, payroll_id, person, scheme, for_month, *values in PayrollLine.objects.filter(
                    payroll_id__in=old).values_list("pk", "payroll_id", *COMPARED):
                existing[(payroll_id, person, scheme, for_month.isoformat(), *values)] = pk
        reread = set(old)
        inserted: list[Any] = []  # rows in two pieces each (`insert_rows(pieces=2)`)
        totals: list[tuple[int, int, int, int, int, str]] = []
        events = []
        before_after: list[tuple[Payroll, dict[str, Any], dict[str, Any]]] = []
        written: list[Payroll] = []
        paid: set[int] = set()
        for key, (rows, digest) in built.items():
            if key not in payrolls:
                continue
            payroll = payrolls[key]
            pid = payroll.pk
            commune_id, field, sequence = key
            if pid in reread:
                pop = existing.pop
                rows = [row for row in rows if pop((pid, *row[:_COMPARED_IN_ROW]), None) is None]
            elif payroll.computed_at is not None or payroll.lines_count:
                rows = []  # unchanged: nothing to write
            if rows:  # each row as two pieces, `(payroll,)` and the rest (`insert_rows(pieces=2)`)
                pieces: list[Any] = [None] * (2 * len(rows))
                pieces[0::2], pieces[1::2] = [(pid,)] * len(rows), rows
                inserted.extend(pieces)
            rows = built[key][0]
            amounts = [row[4] for row in rows]
            total = sum(amount for amount in amounts if amount > 0)
            recovery = total - sum(amounts)
            persons = {row[0] for row in rows}
            paid |= persons
            totals.append((pid, len(rows), len(persons), total, recovery, digest))
            before_after.append((payroll, {"lines": payroll.lines_count, "total": payroll.total,
                                           "recovery_total": payroll.recovery_total},
                                 {"month": month.isoformat(), "field": field, "sequence": sequence,
                                  "lines": len(rows), "people": len(persons), "total": total,
                                  "recovery_total": recovery}))
            written.append(payroll)
        gone = sorted(existing.values())
        for start in range(0, len(gone), 20_000):
            stale_lines = PayrollLine.objects.filter(pk__in=gone[start:start + 20_000])
            stale_lines._raw_delete(stale_lines.db)
        insert_rows(PayrollLine, LINE_COLUMNS, inserted, per_statement=100, pieces=2)
        now = timezone.now()
        _set_totals(totals, now, actor.user.pk if actor.user is not None else None)
        who = Actor.of(actor)
        for payroll, before, after in before_after:
            payroll.lines_count, payroll.people_count, payroll.total, payroll.recovery_total = (
                after["lines"], after["people"], after["total"], after["recovery_total"])
            payroll.computed_at, payroll.computed_by, payroll.updated_at = now, actor.user, now
            payroll.version += 1
            payroll.lines_digest = built[(payroll.commune_id, payroll.field, payroll.sequence)][1]
            events.append(AuditEvent(
                actor=who.user, actor_name=who.name, action=str(AuditAction.PAYROLL_COMPUTE),
                object_type=Payroll._meta.label_lower, object_id=str(payroll.pk), object_repr=str(payroll)[:200],
                unit=payroll.commune, unit_path=payroll.commune.path, ip=who.ip, before=before, after=after))
        AuditEvent.objects.bulk_create(events)  # one audit row per payroll computed, as audit.record writes it
    return written, refused, len(paid)


def _rule_ids(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The `LineRule` row of each (rule, legal basis), the missing ones created in one insert (a
    month's run: a few hundred pairs, most of them known from the month before). Two runs making the
    same pair: one row, by its unique key (the other's insert skips it, then reads it)."""
    key_of = {LineRule.key_of(*pair): pair for pair in pairs}
    keys = sorted(key_of)
    out: dict[tuple[str, str], int] = {}

    def read(wanted: list[str]) -> None:
        for start in range(0, len(wanted), 500):
            for key, pk in LineRule.objects.filter(key__in=wanted[start:start + 500]).values_list("key", "pk"):
                out[key_of[key]] = pk

    read(keys)
    missing = [key for key in keys if key_of[key] not in out]
    if missing:
        LineRule.objects.bulk_create([LineRule(key=key, rule=key_of[key][0], legal_basis=key_of[key][1])
                                      for key in missing], batch_size=500, ignore_conflicts=True)
        read(missing)
    return out


def _register_facts(commune_ids: list[int], persons: set[int], facts: dict[int, _Facts]) -> tuple[
        dict[int, int | None], dict[int, tuple[str, str]]]:
    """The hamlet of each person's household and her paying channel: read with the month's
    entitlements (`facts`) for the people paid this month; the others (arrears, carries,
    recoveries of people paid no more) read by id. A payment method counts when the person's
    household is in one of the communes (else she is paid at the post office)."""
    from ansinh.households.models import Member

    hamlets: dict[int, int | None] = {}
    methods: dict[int, tuple[str, str]] = {}
    here = set(commune_ids)
    missing: list[int] = []
    for person in persons:
        known = facts.get(person)
        if known is None:
            missing.append(person)
            continue
        hamlet, home, channel, account = known
        hamlets[person] = hamlet
        if channel is not None and home in here:
            methods[person] = (channel, account or "")
    missing.sort()
    for chunk in _chunks(missing, 500) if missing else []:  # paid no more this month: by id
        hamlets.update(Member.objects.filter(pk__in=chunk).values_list("pk", "household__hamlet_id"))
        methods.update((person, (channel, account)) for person, channel, account in PaymentMethod.objects.filter(
            person_id__in=chunk, person__household__commune_id__in=commune_ids).order_by().values_list(
            "person_id", "channel", "account_number"))
    return hamlets, methods


def _check_month(month: dt.date) -> dt.date:
    if month.day != 1:
        month = month_of(month)
    return month


def _check_field(field: str) -> str:
    if field not in PayField.values:
        raise ValidationError(f"Lĩnh vực “{field}” không có bảng chi trả hằng tháng.")
    return field


# SQLite reads a page through a system call and a copy into its own small cache; a run reads the
# province's entitlements, people and households and writes its lines through their indexes and
# foreign keys, pages the system's file cache already holds: mapped, they are read in place (a
# tenth of the run's time in the kernel at 1,000,000 households). SQLite caps it (2 GiB by default).
MMAP_BYTES = 1 << 32
# A run's writing changes its lines' table and nine indexes: with SQLite's default page cache
# (2 MiB) the changed pages spill to the write-ahead log before the commit, an index page written
# again each time it changes (the insert took a third longer at 1,000,000 households). While a
# run writes, the connection keeps up to this many KiB of changed pages (only those it touches).
CACHE_KIB = 256 * 1024


def _tune() -> tuple[Any, Any]:
    """`_mapped`'s settings on the connection (SQLite); returns what they were."""
    if connection.vendor != "sqlite":
        return None, None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.execute("PRAGMA mmap_size")
        row = cursor.fetchone()
        if row is not None:  # none for a database in memory: nothing to map
            cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    return cache, row


@contextmanager
def _mapped() -> Iterator[None]:
    """The SQLite database file mapped into memory and a larger page cache while a run reads and
    writes it; the connection's own settings back afterwards, also when the run fails (nothing
    changes on PostgreSQL)."""
    if connection.vendor != "sqlite":
        yield
        return
    cache, row = _tune()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if cache is not None:
                cursor.execute(f"PRAGMA cache_size = {int(cache[0])}")
            if row is not None:
                cursor.execute(f"PRAGMA mmap_size = {int(row[0])}")


@dataclass(frozen=True)
class _Job:
    """One field of a run: its communes and the sequence of each one's payroll, the payrolls its
    planning sets aside (the run's own), whether it is a follow-up, and the communes kept even
    with nobody to pay."""

    field: str
    seq_of: dict[int, int]
    exclude: frozenset[int]
    follow_up: bool
    keep: frozenset[int]


# A province's month is planned in parts, each part a share of its communes in a process of its own
# (`lib.forked`): the parts read and price at the same time on as many cores. A part needs this many
# communes and entitlements at least: a smaller run is planned in one go sooner than a process is
# started (20.000 households: 0,3 s in one go, 0,4 s in two parts).
PART_MIN_COMMUNES = 24
PART_MIN_ENTITLEMENTS = 30_000
PART_MAX = 4


def _plan_jobs(jobs: list[_Job], month: dt.date, units: list[int], several: bool,
               only: frozenset[int] | None = None) -> _Parted:
    """The lines of each payroll of the run (of the communes in `only`, else all), and the facts of
    the people read with the month; its fields priced together when there are several (the month
    read once for all the run's communes — `units`, those in `only`). What other payrolls booked,
    paid or carried is read from all the run's communes (those whose payroll is approved too), in
    parts as in one go."""
    mine = [(job, [c for c in job.seq_of if only is None or c in only]) for job in jobs]
    mine = [(job, communes) for job, communes in mine if communes]
    plans: dict[_Key, list[_Line]] = {}
    facts: dict[int, _Facts] = {}
    touched: set[tuple[int, str]] = set()
    if not mine:
        return _Parted(plans, facts, touched)
    all_schemes = tuple(str(s) for job, _c in mine for s in FIELD_SCHEMES[job.field])  # type: ignore[index]
    priced = _month_part(sorted(c for c in units if only is None or c in only), all_schemes, month) \
        if several else None
    for job, communes in mine:
        plan = _plan(commune_ids=communes, month=month, field=job.field, follow_up=job.follow_up,
                     exclude_payrolls=set(job.exclude), priced=priced, here=units)
        facts = plan.facts if not facts else facts if plan.facts is facts else {**facts, **plan.facts}
        touched.update((person, job.field) for person in plan.touched)
        for commune in communes:
            lines = plan.lines.get(commune, [])
            if lines or commune in job.keep:
                plans[(commune, job.field, job.seq_of[commune])] = lines
    return _Parted(plans, facts, touched)


@dataclass
class _Parted:
    """A part's plan: the lines by payroll, the facts of the people read with the month, and every
    person its planning looked at, with the field (`_Plan.touched`: the fields never weigh against
    each other)."""

    plans: dict[_Key, list[_Line]]
    facts: dict[int, _Facts]
    touched: set[tuple[int, str]]


def _plan_in_part(jobs: list[_Job], month: dt.date, units: list[int], several: bool,
                  only: frozenset[int]) -> tuple[dict[_Key, _Rows], set[tuple[int, str]]]:
    """A part's payrolls as rows (`_rows`: what crosses the pipe from a child is plain tuples), and
    every person its planning looked at."""
    _tune()  # a new connection (`forked.in_parts` closed the run's): the run's settings again
    part = _plan_jobs(jobs, month, units, several, only)
    return _rows(part.plans, part.facts, _communes(jobs)), part.touched


def _parts(units: list[int], count: int, month: dt.date) -> list[frozenset[int]]:
    """The run's communes dealt into `count` parts of about as many communes, those a person couples
    kept in one part: the communes where she has entitlements, when one of them stopped within the
    window (a move) or she died since it began — planned apart, her months there would be looked at
    in both. (What else a part finds looked at in another, `_plan_all` catches.)"""
    from ansinh.households.models import Member

    window = add_months(month, -WINDOW_MONTHS)
    mine = Entitlement.objects.filter(commune_id__in=units).order_by()
    persons = set(mine.filter(stop_month__gt=window).values_list("person_id", flat=True))  # benefits_ent_stopped
    died = Member.objects.filter(died_on__gte=add_months(window, -1)).values("pk")  # member_died_on_idx
    persons.update(mine.filter(person_id__in=died).values_list("person_id", flat=True))
    where: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted(persons), 2000) if persons else []:
        for person, commune in mine.filter(person_id__in=chunk).values_list("person_id", "commune_id"):
            where[person].add(commune)
    root = {unit: unit for unit in units}

    def find(unit: int) -> int:
        while root[unit] != unit:
            root[unit] = root[root[unit]]
            unit = root[unit]
        return unit

    for communes in where.values():
        first, *rest = sorted(communes)
        for other in rest:
            root[find(other)] = find(first)
    groups: dict[int, list[int]] = defaultdict(list)
    for unit in units:
        groups[find(unit)].append(unit)
    parts: list[list[int]] = [[] for _ in range(count)]
    for group in sorted(groups.values(), key=lambda g: (-len(g), g[0])):
        min(parts, key=len).extend(group)  # the part with the fewest communes (the first of equals)
    return [frozenset(part) for part in parts]


def _communes(jobs: list[_Job]) -> list[int]:
    """The communes a run plans payrolls for."""
    return sorted({c for job in jobs for c in job.seq_of})


def _plan_all(jobs: list[_Job], month: dt.date, units: list[int], *,
              several: bool) -> tuple[dict[_Key, _Rows], int]:
    """The run's payrolls as rows, and in how many parts they were planned: in parts on the
    machine's cores when the run is large enough and this process may fork (`forked`), else in one
    go. Parts give the same lines as one go when no person is looked at in two parts (her
    entitlements priced together, her months looked at once): `_parts` keeps the communes such a
    person is known to link in one part, and a run that finds one anyway is planned again in one go."""
    count = min(PART_MAX, forked.cores(), len(units) // PART_MIN_COMMUNES)
    if count >= 2 and jobs and forked.can_fork():
        count = min(count, Entitlement.objects.filter(commune_id__in=units).count() // PART_MIN_ENTITLEMENTS)
    else:
        count = 1
    parts = [part for part in _parts(units, count, month) if part] if count >= 2 else []
    if len(parts) >= 2 and max(map(len, parts)) <= len(units) * 3 // 4:
        # (Communes linked by many moves may make one part of nearly all: then in one go.)
        count = len(parts)
        done = forked.in_parts(functools.partial(_plan_in_part, jobs, month, units, several), parts)
        seen: set[tuple[int, str]] = set()
        for _rows_of, touched in done:
            if not seen.isdisjoint(touched):
                logger.info("A person is looked at in two parts of the run: planned again in one go")
                break
            seen |= touched
        else:
            merged: dict[_Key, _Rows] = {}
            for rows_of, _touched in done:
                merged.update(rows_of)
            # In the order planning in one go gives (field by field, each field's communes in order).
            keys = ((commune, job.field, seq) for job in jobs for commune, seq in job.seq_of.items())
            return {key: merged[key] for key in keys if key in merged}, count
    whole = _plan_jobs(jobs, month, units, several)
    return _rows(whole.plans, whole.facts, _communes(jobs)), 1


def _run(*, work: dict[str, list[Unit]], month: dt.date, actor: Actor, sequence: int | None,
         follow_up: bool = False, progress: Callable[[int, int], None] | None = None,
         total: int = 0) -> tuple[list[Payroll], list[str], int, int]:
    """Plans the payrolls of `work` ({field: communes}) field by field, each field for all its
    communes in one read (the month priced once; a large run in parts on the machine's cores,
    `_plan_all`), then writes them all in one transaction (the SQLite file mapped meanwhile,
    `_mapped`). Returns the payrolls written, the refusals, the people paid and the parts."""
    with _mapped():
        return _run_mapped(work=work, month=month, actor=actor, sequence=sequence, follow_up=follow_up,
                           progress=progress, total=total)


def _run_mapped(*, work: dict[str, list[Unit]], month: dt.date, actor: Actor, sequence: int | None,
                follow_up: bool, progress: Callable[[int, int], None] | None,
                total: int) -> tuple[list[Payroll], list[str], int, int]:
    month = _check_month(month)
    for field in work:
        _check_field(field)
    units = {c.pk: c for communes in work.values() for c in communes}
    states: dict[_Key, Payroll] = {
        (p.commune_id, p.field, p.sequence): p
        for p in Payroll.objects.filter(commune_id__in=sorted(units), month=month, field__in=list(work))}
    by_commune: dict[tuple[int, str], list[int]] = defaultdict(list)
    for c, f, s in sorted(states):
        by_commune[(c, f)].append(s)
    refused: list[str] = []
    known: set[int] = set()
    follow_any = follow_up
    jobs: list[_Job] = []
    for field, communes in work.items():
        seq_of: dict[int, int] = {}
        for commune in communes:
            mine = by_commune.get((commune.pk, field), [])
            if sequence is not None:
                seq = sequence
            elif follow_up:
                last = mine[-1] if mine else 0
                seq = last if last and states[(commune.pk, field, last)].state == PayrollState.DRAFT else last + 1
                seq = max(seq, 1)
            else:
                seq = 1
            existing = states.get((commune.pk, field, seq))
            if existing is not None and existing.state != PayrollState.DRAFT:
                existing.commune = commune
                refused.append(_locked_message(existing))
                continue
            seq_of[commune.pk] = seq
        exclude = {p.pk for (c, f, s), p in states.items() if f == field and seq_of.get(c) == s}
        known |= exclude
        if seq_of:
            field_follow = follow_up or any(s > 1 for s in seq_of.values())
            follow_any = follow_any or field_follow
            # A commune with nobody to pay gets no empty payroll, unless it has one already or a
            # payroll of a given sequence or a follow-up was asked for.
            keep = {c for c, seq in seq_of.items() if (c, field, seq) in states or sequence is not None or follow_up}
            jobs.append(_Job(field, seq_of, frozenset(exclude), field_follow, frozenset(keep)))
    several = len([f for f, communes in work.items() if communes]) > 1
    built, parts = _plan_all(jobs, month, sorted(units), several=several)
    if progress is not None and total:
        progress(total * 3 // 4, total)  # planning is most of the work; the writing the rest
    if not built:
        return [], refused, 0, parts
    try:
        written, late, people = _write(built=built, units=units, month=month, actor=actor, known=known,
                                       follow_up=follow_any, communes=_communes(jobs))
    except IntegrityError as error:  # the database's own checks, at the insert or the commit
        logger.warning("A payroll run of %s refused by the database: %s", month.isoformat(), error)
        raise ValidationError(CHANGED_MEANWHILE) from error
    return written, refused + late, people, parts


# --- The services --------------------------------------------------------------------------------


def compute(*, commune: Unit, month: dt.date, field: str, actor: Actor, sequence: int | None = None) -> Payroll:
    """Creates the commune's payroll of the month and field as a draft, or recomputes the draft in
    place. `sequence=None`: the month's payroll (1); refuses (PayrollLocked) when it is no longer a
    draft — a correction is a follow-up."""
    if commune.level != Level.COMMUNE:
        raise ValidationError("Bảng chi trả lập cho từng xã, phường.")
    if actor.user is not None and not access.may_prepare_payroll(actor.user, commune, field):
        raise PermissionDenied
    written, refused, _people, _parts = _run(work={field: [commune]}, month=month, actor=actor,
                                     sequence=sequence if sequence is not None else 1)
    if refused:
        raise PayrollLocked(refused[0])
    return written[0]


def follow_up(*, commune: Unit, month: dt.date, field: str, actor: Actor) -> Payroll:
    """The next payroll of the month after the approved ones, as a draft: arrears, carries,
    recoveries and the months of people not yet paid (never a second month's line)."""
    month = _check_month(month)
    if actor.user is not None and not access.may_prepare_payroll(actor.user, commune, field):
        raise PermissionDenied
    first = Payroll.objects.filter(commune=commune, month=month, field=field, sequence=1).first()
    if first is None or first.state == PayrollState.DRAFT:
        raise ValidationError("Chỉ lập bảng bổ sung khi bảng chi trả của tháng đã được duyệt; "
                              "bảng còn là dự thảo thì tính lại bảng đó.")
    written, refused, _people, _parts = _run(work={field: [commune]}, month=month, actor=actor, sequence=None,
                                     follow_up=True)
    if refused:
        raise PayrollLocked(refused[0])
    return written[0]


def run_unit(*, unit: Unit, month: dt.date, actor: Actor,
             progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Every commune × field of a province (or one commune): the month's payrolls computed or
    recomputed; approved ones are reported in `refused`, never changed. Fields with nobody to pay
    in a commune make no payroll."""
    communes = communes_of(unit)
    if actor.user is not None:
        communes = [c for c in communes if any(access.may_prepare_payroll(actor.user, c, f) for f in PayField.values)]
        if not communes:
            raise PermissionDenied
    total = len(communes) * len(PayField.values)
    work = {field: communes if actor.user is None else [
        c for c in communes if access.may_prepare_payroll(actor.user, c, field)] for field in PayField.values}
    written, refused, people, parts = _run(work=work, month=month, actor=actor, sequence=None, progress=progress,
                                    total=total)
    if progress is not None:
        progress(total, total)
    result = RunResult(refused=refused, people=people, parts=parts)
    for payroll in written:
        result.payrolls.append(payroll.pk)
        result.lines += payroll.lines_count
        result.total += payroll.total
    return result


# --- States --------------------------------------------------------------------------------------


def _transition(payroll: Payroll, *, actor: Actor, source: str, target: str, action: str,
                stamp: str) -> Payroll:
    now = timezone.now()
    with transaction.atomic():
        current = Payroll.objects.select_for_update().get(pk=payroll.pk)
        if current.version != payroll.version or current.state != source:
            raise ValidationError("Bảng chi trả vừa được người khác thay đổi: hãy tải lại trang và kiểm tra lại.")
        counted = PayrollLine.objects.filter(payroll=current)
        lines = counted.count()
        if lines != current.lines_count:
            raise ValidationError("Số dòng của bảng chi trả không khớp với tổng kiểm soát: hãy tính lại bảng.")
        Payroll.objects.filter(pk=current.pk).update(**{
            "state": target, f"{stamp}_at": now, f"{stamp}_by": actor.user, "version": current.version + 1,
            "updated_at": now})
        current.refresh_from_db()
        audit.record(actor=actor, action=action, obj=current, unit=current.commune,
                     before={"state": source}, after={"state": target, "lines": current.lines_count,
                                                      "total": current.total,
                                                      "recovery_total": current.recovery_total})
    payroll.__dict__.update({k: v for k, v in current.__dict__.items() if not k.startswith("_")})
    return payroll


def approve(payroll: Payroll, *, actor: Actor) -> Payroll:
    """Locks a draft with its control totals: by someone who may approve it and did not compute it."""
    if actor.user is not None and not access.may_approve_payroll(actor.user, payroll):
        if payroll.computed_by_id is not None and payroll.computed_by_id == actor.user.pk:
            raise PermissionDenied("Người lập bảng không tự duyệt bảng của mình: cần một người khác duyệt.")
        raise PermissionDenied
    if payroll.state != PayrollState.DRAFT:
        raise PayrollLocked(_locked_message(payroll))
    if payroll.lines_count == 0:
        raise ValidationError("Bảng chi trả không có dòng nào: không có gì để duyệt.")
    return _transition(payroll, actor=actor, source=PayrollState.DRAFT, target=PayrollState.APPROVED,
                       action=AuditAction.PAYROLL_APPROVE, stamp="approved")


def mark_sent(payroll: Payroll, *, actor: Actor) -> Payroll:
    """The approved list and funds went to the paying agent."""
    if actor.user is not None and not access.may_prepare_payroll(actor.user, payroll.commune, payroll.field):
        raise PermissionDenied
    if payroll.state != PayrollState.APPROVED:
        raise ValidationError("Chỉ gửi tổ chức chi trả một bảng chi trả đã được duyệt.")
    return _transition(payroll, actor=actor, source=PayrollState.APPROVED, target=PayrollState.SENT,
                       action=AuditAction.PAYROLL_SEND, stamp="sent")


def mark_reconciled(payroll: Payroll, *, actor: Actor) -> Payroll:
    """Every line the paying agent pays has its result (recoveries are collected by the commune,
    not paid by the agent: they stay to recover, tracked on their own)."""
    if actor.user is not None and not access.may_prepare_payroll(actor.user, payroll.commune, payroll.field):
        raise PermissionDenied
    if payroll.state != PayrollState.SENT:
        raise ValidationError("Chỉ đối soát một bảng chi trả đã gửi tổ chức chi trả.")
    pending = (PayrollLine.objects.filter(payroll=payroll, status=PayStatus.PENDING)
               .exclude(kind=PayLineKind.RECOVERY).count())
    if pending:
        raise ValidationError(f"Còn {format_number(pending)} dòng chưa có kết quả chi trả: chưa đối soát xong.")
    return _transition(payroll, actor=actor, source=PayrollState.SENT, target=PayrollState.RECONCILED,
                       action=AuditAction.PAYROLL_RECONCILE, stamp="reconciled")


def next_sequence(commune: Unit, month: dt.date, field: str) -> int:
    top = Payroll.objects.filter(commune=commune, month=month, field=field).aggregate(n=Max("sequence"))["n"]
    return int(top or 0) + 1


__all__ = ["PayrollLocked", "RunResult", "approve", "communes_of", "compute", "follow_up", "mark_reconciled",
           "mark_sent", "run_unit"]
