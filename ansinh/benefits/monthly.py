"""The amounts of a month, set-based: every entitlement of a queryset, its lines by the rules in
force that month, and the precedence between them. A constant number of queries whatever the
number of entitlements (one `values()` read, one for the linked martyrs' counts, two for the
communes' provinces, the rule books: one per province); the rest is Python over tuples, with
the rule book asked once per distinct case (category, age, rate, count…), not once per person.

Precedence, per person and month:
1. social assistance: only the highest amount (Decree 20/2021/NĐ-CP Art. 6(2)), except that a
   single parent (5(4)) also in 5(5), 5(6) or 5(8) receives both;
2. social pension against social assistance: the higher of the two (Law 41/2024/QH15 Art. 22;
   Decree 176/2025/NĐ-CP);
3. meritorious service: every category's allowance and supplements, but only the highest carer
   allowance (Ordinance 02/2020/UBTVQH14 Art. 6).
Lines not paid stay in the result with `paid=False`, the amount they would have been and why.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, Func, IntegerField, Q, QuerySet, Value, When

from .models import BaseLevel, Category, Entitlement, LineKind, Scheme
from .months import add_months, month_end, month_of, months_between
from .services import _provinces, _vn_date, _vn_money, _vn_month

if TYPE_CHECKING:
    from ansinh.households.models import Member

    from .law import Amount, RuleBook

SINGLE_PARENT = "sa_single_parent"
DISABILITY = "sa_disability_"  # paid from the month of the disability certificate (Decree 20 Art. 8(1)đ)
# Groups a single parent (5(4)) may hold as well (Decree 20 Art. 6(2)).
SINGLE_PARENT_ALSO = ("sa_elderly_", "sa_disability_", "sa_hiv_poor")

# Why a line is not paid: the law's words (Vietnamese data, like the legal bases).
EXCLUDED_SA = "Chỉ hưởng một mức trợ cấp xã hội cao nhất — khoản 2 Điều 6 Nghị định 20/2021/NĐ-CP"
EXCLUDED_PENSION = ("Chỉ hưởng mức cao hơn giữa trợ cấp hưu trí xã hội và trợ cấp xã hội hằng tháng — "
                    "Điều 22 Luật Bảo hiểm xã hội 41/2024/QH15")
EXCLUDED_PENSION_TWICE = "Trợ cấp hưu trí xã hội chỉ hưởng một lần — Điều 22 Luật Bảo hiểm xã hội 41/2024/QH15"
EXCLUDED_CARER = "Chỉ hưởng một mức trợ cấp người phục vụ cao nhất — Điều 6 Pháp lệnh 02/2020/UBTVQH14"

@dataclass(frozen=True)
class MonthLine:
    entitlement_id: int
    person_id: int
    commune_id: int
    scheme: str
    category: str
    kind: str
    amount: int
    text: str
    legal_basis: str
    provisional: bool
    paid: bool      # False when precedence excludes it (then amount is what it would be)
    excluded: str   # why not paid, in Vietnamese; "" if paid
    rule_id: int | None = None  # the amount rule behind the line (the arrears of a base level applied back)


# Read with one query, as plain tuples of integers (no model instances, no per-row converters: the
# flags and the birth date come as integers computed by the database, see `_query`).
FIELDS = ("pk", "person_id", "commune_id", "category_id", "rate", "martyr_count", "children", "years")
# A row as read: FIELDS, the flags (FLAG_*), the birth date as the integer YYYYMMDD, the death date,
# then (rows read for a range of months) the start and stop months.
Raw = tuple[Any, ...]
PK, PERSON, COMMUNE, CATEGORY, RATE, MARTYRS, CHILDREN, YEARS, FLAGS, BORN, DIED, START, STOP = range(13)
FLAG_SEVERE, FLAG_ALONE, FLAG_CARER = 1, 2, 4
Row = dict[str, Any]  # a row as `_precedence` reads it (`_as_dict`)
Found = list["Amount"] | str  # a row's amounts, or why there are none


class BirthKey(Func):
    """A date as the integer YYYYMMDD, computed by the database: whole years between two dates
    are then `(later - earlier) // 10000`, exactly (a month-day later in the year weighs less
    than 10000), and the rows carry no date to convert (on SQLite a Python call per row)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(EXTRACT(YEAR FROM %(expressions)s) * 10000 + EXTRACT(MONTH FROM "
                           "%(expressions)s) * 100 + EXTRACT(DAY FROM %(expressions)s))::integer", **extra)


def date_key(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _flags() -> Any:
    """The entitlement's yes/no facts as one integer (FLAG_*): a carer is one in the register or named."""
    return (Case(When(especially_severe=True, then=Value(FLAG_SEVERE)), default=Value(0))
            + Case(When(living_alone=True, then=Value(FLAG_ALONE)), default=Value(0))
            + Case(When(Q(carer__isnull=False) | ~Q(carer_name=""), then=Value(FLAG_CARER)), default=Value(0)))


def _query(active: QuerySet[Entitlement], dated: bool = True, extra: tuple[str, ...] = ()) -> QuerySet[Any]:
    """The `values_list` of the rows (Raw) of `active`; `dated=False` without their months; `extra`:
    more columns after them, which the pricing does not read (a caller's facts about the row)."""
    rows = active.order_by().annotate(_flags=_flags(), _born=BirthKey("person__birth_date"))
    fields = (*FIELDS, "_flags", "_born", "person__died_on")
    return rows.values_list(*fields, *(("start_month", "stop_month") if dated else ()), *extra)


@dataclass
class Book:
    """What pricing the rows needs besides them: the categories by id (code, scheme, whether
    they count martyrs), the communes' provinces, a rule book per province."""

    categories: dict[int, tuple[str, str, bool]]
    provinces: dict[int, int | None]
    books: dict[int | None, RuleBook]
    _aged: dict[int | None, frozenset[int]] = field(default_factory=dict)

    def aged(self, province: int | None) -> frozenset[int]:
        """The categories (ids) whose amounts, or their additions', depend on the age."""
        found = self._aged.get(province)
        if found is None:
            book = self.books[province]
            found = self._aged[province] = frozenset(pk for pk, (code, _s, _m) in self.categories.items()
                                                     if _age_matters(book, code))
        return found


def _as_dict(row: Raw, book: Book) -> Row:
    code, scheme, _uses = book.categories[row[CATEGORY]]
    return {"pk": row[PK], "person_id": row[PERSON], "commune_id": row[COMMUNE], "category__code": code,
            "scheme": scheme, "person__died_on": row[DIED]}


def _active(entitlements: QuerySet[Entitlement], start: dt.date, end: dt.date) -> QuerySet[Entitlement]:
    """Entitlements paying in some month of [start, end] (months)."""
    return entitlements.filter(start_month__lte=end).filter(Q(stop_month__isnull=True) | Q(stop_month__gt=start))


def _fetch(rows: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` queryset through the cursor: the driver's own types (dates are
    dates on PostgreSQL and SQLite alike, booleans may be 0/1), without the ORM's per-row work."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # `.none()`, or an empty `__in`: nothing to read
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _load(entitlements: QuerySet[Entitlement], start: dt.date, end: dt.date,
          dated: bool = True, extra: tuple[str, ...] = ()) -> tuple[list[Raw], Book]:
    """The rows active in [start, end] with what the rules need, and a rule book per province
    (`dated=False`: without their start and stop months, for a single month's rows; `extra`:
    columns read after them, see `_query`)."""
    from .law import RuleBook

    active = _active(entitlements, start, end)
    categories = {pk: (code, scheme, uses_martyrs) for pk, code, scheme, uses_martyrs in
                  Category.objects.values_list("pk", "code", "scheme", "uses_martyrs")}
    rows = _fetch(_query(active, dated, extra))
    provinces = _provinces({values[COMMUNE] for values in rows}) if rows else {}
    counting = {pk for pk, (_c, _s, uses_martyrs) in categories.items() if uses_martyrs}
    if counting and any(values[MARTYRS] is None and values[CATEGORY] in counting for values in rows):
        through = Entitlement.martyrs.through
        linked = through.objects.filter(entitlement_id__in=active.filter(
            category__uses_martyrs=True, martyr_count__isnull=True).values("pk"))
        counts = {r["entitlement_id"]: r["n"] for r in linked.values("entitlement_id").annotate(n=Count("pk"))}
        rows = [(*values[:MARTYRS], counts.get(values[PK]) or None, *values[MARTYRS + 1:])
                if values[MARTYRS] is None and values[CATEGORY] in counting else values for values in rows]
    books = {province: RuleBook.load(start, month_end(end), province_id=province)
             for province in set(provinces.values())}
    return rows, Book(categories, provinces, books)


def _age_matters(book: RuleBook, code: str) -> bool:
    """Some rule of the category, or of what is added to it, has age bands."""
    cat = book.categories.get(code)
    codes = (code, *(cat.additions if cat is not None else ()))
    return any(rule.has_age for c in codes for rule in book.rules.get(c, ()))


def _pricer(month: dt.date, book: Book) -> Callable[[Raw], Found]:
    """A row's amounts in `month` (or why there are none). The rule book is asked once per
    distinct case: the age counts only for categories with age bands, taken on the month's last
    day (a birth date of that age, the first of the month `age` years back, stands for everyone
    of it)."""
    from .law import NotInForce

    last_day = month_end(month)
    on_key, year = date_key(last_day), last_day.year
    cache: dict[tuple[Any, ...], Found] = {}
    categories, provinces, books = book.categories, book.provinces, book.books
    aged_of = {province: book.aged(province) for province in books}

    def price(row: Raw) -> Found:
        province, category = provinces.get(row[COMMUNE]), row[CATEGORY]
        age = (on_key - row[BORN]) // 10000 if category in aged_of[province] else None
        key = (province, category, age, row[RATE], row[MARTYRS], row[CHILDREN], row[YEARS], row[FLAGS])
        found = cache.get(key)
        if found is None:
            flags = row[FLAGS]
            try:
                found = books[province].lines(
                    categories[category][0], last_day,
                    birth_date=None if age is None else dt.date(year - age, last_day.month, 1),
                    rate=row[RATE], martyrs=row[MARTYRS], children=row[CHILDREN], years=row[YEARS],
                    especially_severe=bool(flags & FLAG_SEVERE), living_alone=bool(flags & FLAG_ALONE),
                    has_carer=bool(flags & FLAG_CARER))
            except NotInForce as error:
                found = str(error)
            cache[key] = found
        return found

    return price


def _split(rows: Iterable[Raw], month: dt.date, dated: bool = True) -> tuple[list[Raw], dict[int, list[Raw]]]:
    """The rows active in `month`, and the rows of the people holding several of them (by person).
    `dated=False`: the rows were read for this month alone (their dates already checked in SQL)."""
    if dated:
        rows = [row for row in rows if row[START] <= month and (row[STOP] is None or row[STOP] > month)]
    elif not isinstance(rows, list):
        rows = list(rows)
    held = Counter(row[PERSON] for row in rows)
    several: dict[int, list[Raw]] = {}
    if len(held) < len(rows):
        for row in rows:
            if held[row[PERSON]] > 1:
                several.setdefault(row[PERSON], []).append(row)
    return rows, several


def _weighed(group: list[Raw], price: Callable[[Raw], Found], book: Book, month: dt.date) -> list[MonthLine]:
    """The lines of a person's entitlements, precedence applied."""
    return _precedence([(_as_dict(row, book), price(row)) for row in group], month)


def _plain(group: list[Raw], price: Callable[[Raw], Found], book: Book,
           month: dt.date) -> list[tuple[Raw, list[Amount]]] | None:
    """A person's entitlements with their amounts when nothing weighs against them, every line
    paid, in the order `_precedence` gives their lines; None when precedence has a say: a line
    with no rule, a death before the month, two amounts of social assistance or the social
    pension, two carer allowances of meritorious service (most people holding several hold a
    meritorious category and the social pension: both paid)."""
    out: list[tuple[Raw, list[Amount]]] = []
    merit: list[tuple[Raw, list[Amount]]] = []
    carers = 0
    categories = book.categories
    for row in group:
        found = price(row)
        died = row[DIED]
        if isinstance(found, str) or (died is not None and month_of(died) < month):
            return None
        if categories[row[CATEGORY]][1] == Scheme.MERITORIOUS:
            merit.append((row, found))
            carers += sum(1 for a in found if a.kind == LineKind.CARER)
        else:
            out.append((row, found))
    if len(out) > 1 or carers > 1:
        return None
    out.extend(merit)
    return out


def _lines_of(rows: Iterable[Raw], month: dt.date, book: Book, dated: bool = True,
              single: Callable[[Raw, list[Amount]], None] | None = None) -> list[MonthLine]:
    """Every line of the rows active in `month`, precedence applied, by person in the order of the
    rows (a person holding several entitlements at her first). With `single`, a person holding a
    single entitlement whose lines are all paid (most people) is handed to `single(row, amounts)`
    instead (`amounts`: her lines' amounts, the same list for every row of the same case, see
    `_pricer`), and the result holds the lines of the others."""
    out: list[MonthLine] = []
    append, new = out.append, object.__new__
    price = _pricer(month, book)
    active, several = _split(rows, month, dated)
    categories = book.categories
    parts: dict[int, tuple[list[Amount], list[dict[str, Any]]]] = {}  # id(amounts) → their lines' own fields
    for row in active:
        person = row[PERSON]
        group = several.get(person) if several else None
        if group is None:  # a single entitlement, most often paid in full
            found = price(row)
            died = row[DIED]
            if isinstance(found, str) or (died is not None and month_of(died) < month):
                out.extend(_weighed([row], price, book, month))
                continue
            if single is not None:
                single(row, found)
                continue
            plain = [(row, found)]
        elif not group:
            continue  # a person holding several: all her lines written at her first row
        else:
            several[person] = []
            weighed = _plain(group, price, book, month)
            if weighed is None:
                out.extend(_weighed(group, price, book, month))
                continue
            plain = weighed
        for held, found in plain:  # every line paid
            cached = parts.get(id(found))
            if cached is None or cached[0] is not found:
                cached = parts[id(found)] = (found, [_amount_fields(a) for a in found])
            own = {"entitlement_id": held[PK], "person_id": person, "commune_id": held[COMMUNE],
                   "scheme": categories[held[CATEGORY]][1], "paid": True, "excluded": ""}
            for fields in cached[1]:  # as `_line` builds them, without a call per line
                line = new(MonthLine)
                line.__dict__.update(fields)
                line.__dict__.update(own)
                append(line)
    return out


_AMOUNT_PARTS: dict[int, tuple[Amount, dict[str, Any]]] = {}


def _amount_fields(amount: Amount) -> dict[str, Any]:
    return {"category": amount.category, "kind": amount.kind, "amount": amount.amount, "text": amount.text,
            "legal_basis": amount.legal_basis, "provisional": amount.provisional, "rule_id": amount.rule_id}


def _line(row: Row, amount: Amount, paid: bool = True, excluded: str = "") -> MonthLine:
    """A line of a row. Built by filling the instance's dict: a frozen dataclass's __init__ sets
    each field through object.__setattr__, a third of the time of a month's 50.000 lines."""
    found = _AMOUNT_PARTS.get(id(amount))
    if found is None or found[0] is not amount:
        found = (amount, _amount_fields(amount))
        if len(_AMOUNT_PARTS) > 100_000:
            _AMOUNT_PARTS.clear()
        _AMOUNT_PARTS[id(amount)] = found
    line = object.__new__(MonthLine)
    line.__dict__.update(found[1], entitlement_id=row["pk"], person_id=row["person_id"], commune_id=row["commune_id"],
                         scheme=row["scheme"], paid=paid and not excluded, excluded=excluded)
    return line


def _own_total(amounts: list[Amount]) -> int:
    """What an entitlement pays the person (carers' allowances are the carer's)."""
    return sum(a.amount for a in amounts if a.kind != LineKind.CARER)


def _precedence(held: list[tuple[Row, list[Amount] | str]], month: dt.date) -> list[MonthLine]:
    out: list[MonthLine] = []
    good: list[tuple[Row, list[Amount]]] = []
    for row, found in held:
        if isinstance(found, str):  # no rule for this case this month
            out.append(MonthLine(entitlement_id=row["pk"], person_id=row["person_id"], commune_id=row["commune_id"],
                                 scheme=row["scheme"], category=row["category__code"], kind=LineKind.ALLOWANCE,
                                 amount=0, text="", legal_basis="", provisional=False, paid=False, excluded=found))
            continue
        died = row["person__died_on"]
        if died is not None and month_of(died) < month:
            reason = f"Đã mất ngày {_vn_date(died)}: không chi trả sau tháng mất"
            out.extend(_line(row, a, excluded=reason) for a in found)
            continue
        good.append((row, found))
    social = [(r, a) for r, a in good if r["scheme"] == Scheme.SOCIAL_ASSISTANCE]
    pension = [(r, a) for r, a in good if r["scheme"] == Scheme.SOCIAL_PENSION]
    merit = [(r, a) for r, a in good if r["scheme"] == Scheme.MERITORIOUS]

    # 1. Social assistance: the best option, a single entitlement or the single parent's pair.
    options: list[tuple[int, tuple[int, ...]]] = [(_own_total(a), (r["pk"],)) for r, a in social]
    parents = [(r, a) for r, a in social if r["category__code"] == SINGLE_PARENT]
    others = [(r, a) for r, a in social if r["category__code"] != SINGLE_PARENT
              and r["category__code"].startswith(SINGLE_PARENT_ALSO)]
    for pr, pa in parents:
        for orow, oa in others:
            options.append((_own_total(pa) + _own_total(oa), (pr["pk"], orow["pk"])))
    chosen: set[int] = set()
    sa_total = 0
    if options:
        sa_total, ids = max(options, key=lambda o: (o[0], len(o[1])))
        chosen = set(ids)
    # 2. The social pension against social assistance: the higher (social assistance on a tie).
    pension_total = max((_own_total(a) for _r, a in pension), default=0)
    pension_pk = next((r["pk"] for r, a in pension if _own_total(a) == pension_total), None) if pension else None
    pension_wins = bool(pension) and pension_total > sa_total
    highest_sa = EXCLUDED_SA
    higher = EXCLUDED_PENSION
    for row, amounts in social:
        if pension_wins:
            reason = higher
        elif row["pk"] not in chosen:
            reason = highest_sa
        else:
            reason = ""
        out.extend(_line(row, a, excluded=reason) for a in amounts)
    for row, amounts in pension:
        if social and not pension_wins:
            reason = higher
        elif row["pk"] != pension_pk:
            reason = EXCLUDED_PENSION_TWICE
        else:
            reason = ""
        out.extend(_line(row, a, excluded=reason) for a in amounts)

    # 3. Meritorious service: everything, but only the highest carer allowance.
    carers = [(a.amount, r["pk"], i) for r, amounts in merit for i, a in enumerate(amounts) if a.kind == LineKind.CARER]
    best_carer = max(carers)[1:] if carers else None
    only_carer = EXCLUDED_CARER
    for row, amounts in merit:
        for i, a in enumerate(amounts):
            excluded = only_carer if a.kind == LineKind.CARER and (row["pk"], i) != best_carer else ""
            out.append(_line(row, a, excluded=excluded))
    return out


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a month's rows and lines are built: they hold no
    cycles, and a province's 200,000 new objects would otherwise set off full collections."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _load_month(entitlements: QuerySet[Entitlement], month: dt.date,
                extra: tuple[str, ...] = ()) -> tuple[list[Raw], Book]:
    """The rows paying in `month` (the dates checked in SQL: not read) and the rule books; `extra`:
    columns read after them (see `_query`)."""
    return _load(entitlements, month, month, dated=False, extra=extra)


def month_lines(entitlements: QuerySet[Entitlement], month: dt.date) -> list[MonthLine]:
    """The lines of every entitlement of the queryset paying in `month` (precedence among the
    entitlements of the same person within the queryset)."""
    month = month_of(month)
    with _no_gc():
        rows, book = _load_month(entitlements, month)
        return _lines_of(rows, month, book, dated=False)


# A paid line with an amount, as the totals need it: (person, commune, scheme, the entitlement's own
# category — its first allowance line's, else the line's —, amount).
PaidPart = tuple[int, int, str, str, int]


def _own_parts(found: list[Amount]) -> tuple[tuple[str, int], ...]:
    """(own category, amount) of the paid lines with an amount of an entitlement held alone."""
    own = next((a.category for a in found if a.kind == LineKind.ALLOWANCE), None)
    return tuple((own or a.category, a.amount) for a in found if a.amount)


def _weighed_parts(lines: list[MonthLine]) -> list[PaidPart]:
    own_of: dict[int, str] = {}
    for line in lines:
        if line.kind == LineKind.ALLOWANCE and line.entitlement_id not in own_of:
            own_of[line.entitlement_id] = line.category
    return [(line.person_id, line.commune_id, line.scheme, own_of.get(line.entitlement_id, line.category), line.amount)
            for line in lines if line.paid and line.amount]


def _paid(entitlements: QuerySet[Entitlement], month: dt.date,
          each: Callable[[int, int, str, tuple[tuple[str, int], ...]], None],
          weighed: Callable[[list[PaidPart]], None]) -> None:
    """The month's paid lines with an amount, without building the lines, by person in the order
    of `month_lines`: `each(person, commune, scheme, parts)` for a person holding a single
    entitlement paid in full (most of them; `parts`, its (own category, amount) pairs, is shared by
    every case alike, computed once per distinct case); `weighed(paid parts)` for a person holding
    several (or whose line is not paid: dead, no rule), through the same precedence as
    `month_lines`."""
    month = month_of(month)
    with _no_gc():
        rows, book = _load_month(entitlements, month)
        price = _pricer(month, book)
        active, several = _split(rows, month, dated=False)
        categories = book.categories
        parts: dict[int, tuple[list[Amount], tuple[tuple[str, int], ...]]] = {}  # id(amounts) → parts
        for row in active:
            person = row[PERSON]
            group = several.get(person) if several else None
            if group is None:
                found = price(row)
                died = row[DIED]
                if not isinstance(found, str) and (died is None or month_of(died) >= month):
                    cached = parts.get(id(found))
                    if cached is None or cached[0] is not found:
                        cached = parts[id(found)] = (found, _own_parts(found))
                    if cached[1]:
                        each(person, row[COMMUNE], categories[row[CATEGORY]][1], cached[1])
                    continue
                group = [row]
            elif not group:
                continue  # a person holding several: all her parts at her first row
            else:
                several[person] = []
            plain = _plain(group, price, book, month)
            if plain is None:
                weighed(_weighed_parts(_weighed(group, price, book, month)))
            else:
                weighed([(person, held[COMMUNE], categories[held[CATEGORY]][1], code, amount)
                         for held, found in plain for code, amount in _own_parts(found)])


def paid_parts(entitlements: QuerySet[Entitlement], month: dt.date) -> list[PaidPart]:
    """The paid lines with an amount of `month_lines(entitlements, month)`, in its order, without
    building the lines: a person's only entitlement (most of them) costs the amounts of its case,
    computed once per distinct case; a person with several goes through the same precedence as
    `month_lines`."""
    out: list[PaidPart] = []
    extend = out.extend

    def each(person: int, commune: int, scheme: str, parts: tuple[tuple[str, int], ...]) -> None:
        extend([(person, commune, scheme, code, amount) for code, amount in parts])

    _paid(entitlements, month, each, extend)
    return out


# Singles counted by case: {(commune, scheme, parts): people}. People holding a single entitlement
# are distinct, and none of them holds several: the totals add up without sets of people.
SingleCounts = dict[tuple[int, str, tuple[tuple[str, int], ...]], int]


def paid_summary(entitlements: QuerySet[Entitlement], month: dt.date) -> tuple[SingleCounts, list[PaidPart]]:
    """The paid lines of `paid_parts` in two heaps, for totals: the people holding a single
    entitlement paid in full, counted by (commune, scheme, their paid parts) — each of them a
    distinct person, holding nothing else in the queryset —, and the paid parts of the others
    (people holding several, one person per part as in `paid_parts`). People of the two heaps are
    distinct."""
    singles: SingleCounts = {}
    get = singles.get

    def each(_person: int, commune: int, scheme: str, parts: tuple[tuple[str, int], ...]) -> None:
        key = (commune, scheme, parts)
        singles[key] = get(key, 0) + 1

    others: list[PaidPart] = []
    _paid(entitlements, month, each, others.extend)
    return singles, others


def month_totals(entitlements: QuerySet[Entitlement], month: dt.date) -> dict[tuple[int, str], tuple[int, int]]:
    """{(commune_id, scheme): (people paid, amount paid)} for `month` (the paid lines of
    `month_lines`, added up through `paid_summary`)."""
    singles, others = paid_summary(entitlements, month)
    counted: dict[tuple[int, str], int] = defaultdict(int)
    amounts: dict[tuple[int, str], int] = defaultdict(int)
    for (commune, scheme, parts), n in singles.items():
        counted[(commune, scheme)] += n
        amounts[(commune, scheme)] += n * sum(amount for _code, amount in parts)
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    for person, commune, scheme, _code, amount in others:
        people[(commune, scheme)].add(person)
        amounts[(commune, scheme)] += amount
    return {key: (counted.get(key, 0) + len(people.get(key, ())), amounts[key]) for key in amounts}


def person_months(person: Member, start: dt.date, end: dt.date) -> list[tuple[dt.date, list[MonthLine]]]:
    """Each month of [start, end] with the person's lines (one load for the whole range)."""
    start, end = month_of(start), month_of(end)
    rows, book = _load(Entitlement.objects.filter(person=person), start, end)
    return [(month, _lines_of(rows, month, book)) for month in months_between(start, end)]


def arrears(entitlement: Entitlement, as_of: dt.date) -> list[tuple[dt.date, int, str]]:
    """The months owed on `as_of` (month, amount, why):
    1. a meritorious decision signed after its first month paid (recognition or the medical
       council's conclusion earlier, Decree 131/2021 Arts. 8, 45), or a disability allowance
       decided after the month of the disability certificate (Decree 20/2021 Art. 8(1)đ): the
       months from the first month to the month before the decision, at the amounts of each month
       (paid together with the decision, Circular 44/2022/TT-BTC Art. 8(3));
    2. a base level applied back (`decided_on` later than `valid_from`, e.g. Decree 75/2021 and
       55/2023): for the months paid between `valid_from` and the month of `decided_on`, the
       difference the new base level makes to the lines computed from it (base × coefficient)."""
    as_of_month = month_of(as_of)
    first = entitlement.start_month
    last = min(as_of_month, add_months(entitlement.stop_month, -1)) if entitlement.stop_month else as_of_month
    if first > last or entitlement.decision_date > as_of:
        return []
    person_qs = Entitlement.objects.filter(person_id=entitlement.person_id)
    rows, book = _load(person_qs, first, last)
    out: list[tuple[dt.date, int, str]] = []
    decided = month_of(entitlement.decision_date)
    certified = entitlement.recognised_on
    code = book.categories[entitlement.category_id][0] if entitlement.category_id in book.categories else ""
    why = "Điều 8, Điều 45 Nghị định 131/2021/NĐ-CP"
    if entitlement.scheme == Scheme.SOCIAL_ASSISTANCE and certified is not None and code.startswith(DISABILITY):
        owed_until = decided  # paid from the disability certificate's month
        why = (f"hưởng từ tháng được cấp giấy xác nhận mức độ khuyết tật ({_vn_date(certified)}), điểm đ khoản 1 "
               "Điều 8 Nghị định 20/2021/NĐ-CP")
    else:
        owed_until = decided if entitlement.scheme == Scheme.MERITORIOUS else first
    owed = set()
    for month in months_between(first, min(last, add_months(owed_until, -1))) if owed_until > first else []:
        paid = sum(line.amount for line in _lines_of(rows, month, book)
                   if line.entitlement_id == entitlement.pk and line.paid and line.kind != LineKind.CARER)
        if paid:
            owed.add(month)
            out.append((month, paid, f"Truy lĩnh: quyết định {entitlement.decision_number} ngày "
                                     f"{_vn_date(entitlement.decision_date)}, hưởng từ tháng {_vn_month(first)} — "
                                     f"{why}"))
    out.extend(_base_arrears(entitlement, rows, book, first, last, as_of, owed))
    out.sort(key=lambda item: item[0])
    return out


def _paid_before(month: dt.date, decided_on: dt.date) -> bool:
    """A month's money was sent to the payment provider before the decision: the funds of a month
    leave before the 25th of the month before (Decree 20/2021 Art. 34(4); Circular 44/2022/TT-BTC
    Art. 8(3)), so a decision dated after the 24th of the month before finds it paid at the old level."""
    return add_months(month, -1).replace(day=24) < decided_on


def _base_arrears(entitlement: Entitlement, rows: list[Raw], books: Book, first: dt.date,
                  last: dt.date, as_of: dt.date, skip: set[dt.date]) -> list[tuple[dt.date, int, str]]:
    from .law import NotInForce
    from .models import AmountRule

    late: list[dict[str, Any]] = [
        {"kind": kind, "province_id": province_id, "amount": amount, "valid_from": valid_from,
         "decided_on": decided_on, "legal_basis": legal_basis}
        for kind, province_id, amount, valid_from, decided_on, legal_basis in BaseLevel.objects.filter(
            decided_on__isnull=False, decided_on__lte=as_of, valid_from__lte=last).values_list(
            "kind", "province_id", "amount", "valid_from", "decided_on", "legal_basis")
        if decided_on is not None and _paid_before(month_of(valid_from), decided_on)]
    if not late:
        return []
    row = next((r for r in rows if r[PK] == entitlement.pk), None)
    if row is None:
        return []
    province = books.provinces.get(row[COMMUNE])
    book = books.books[province]
    late = [b for b in late if b["province_id"] in (None, province)]
    out: list[tuple[dt.date, int, str]] = []
    rule_bases: dict[int, str] | None = None
    for month in months_between(first, last):
        if month in skip:
            continue
        for base_row in late:
            if not (month_of(base_row["valid_from"]) <= month and _paid_before(month, base_row["decided_on"])):
                continue
            kind = base_row["kind"]
            if rule_bases is None:
                rule_bases = dict(AmountRule.objects.filter(method="coefficient").values_list("pk", "base"))
            lines = [line for line in _lines_of(rows, month, books)
                     if line.entitlement_id == entitlement.pk and line.paid and line.kind != LineKind.CARER]
            if not any(line.rule_id is not None and rule_bases.get(line.rule_id) == kind for line in lines):
                continue  # this entitlement's amounts do not follow that base level
            try:
                current = book.base(kind, month_end(month))
                # No level before it (the first row of its kind): nothing was paid at an older level.
                before = book.base(kind, base_row["valid_from"] - dt.timedelta(days=1)).amount
            except NotInForce:
                continue
            if current.amount != base_row["amount"] or current.valid_from != base_row["valid_from"]:
                continue  # another row (a province's own) applies to this entitlement
            diff = 0
            for line in lines:
                if line.rule_id is not None and rule_bases.get(line.rule_id) == kind:
                    diff += line.amount - round(line.amount * before / current.amount)
            if diff:
                out.append((month, diff, f"Truy lĩnh chênh lệch mức chuẩn {_vn_money(current.amount)} (trước đó "
                                         f"{_vn_money(before)}) áp dụng từ tháng {_vn_month(month_of(base_row['valid_from']))}, "
                                         f"ban hành ngày {_vn_date(base_row['decided_on'])} — {base_row['legal_basis']}"))
    return out

