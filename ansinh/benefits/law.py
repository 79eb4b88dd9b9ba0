"""The amount engine: what the law in force on a date gives a category, from the tables as data.

`RuleBook.load(start, end)` reads the categories, base levels, amount rules and (for a province)
top-ups in a constant number of queries (five) and keeps them in memory, indexed by category, so
that a month's 50,000 entitlements are priced without one more query. Every answer is cached by
its inputs (the age rather than the birth date), so a payroll's repeated cases cost a dict look-up.

- `amount()` is a category's own monthly allowance (issue item 7: no supplements, carers or
  top-ups); `lines()` is the allowance, then every supplement and carer allowance that applies,
  then the province's top-up, each its own `Amount`.
- Ages are whole years on the date asked (`monthly` asks with the last day of the month:
  Decree 20/2021/NĐ-CP Art. 8(1)); "child" is under 16 (Law on Children), "elderly" 60 or over
  (Law on the Elderly); bands are `age_from ≤ age < age_to`, rates and counts inclusive.
- A coefficient rule is `coefficient × base level` (Decree 20/2021 Art. 6(1)), rounded half up
  to the đồng; a fixed rule is an appendix amount (Decree 75/2021 Appendices I–III).
- A province's base level counts where it is higher than the national one (Decree 20 Art. 4(3):
  not lower than the national level).
- Anything the tables cannot answer raises `NotInForce` with a Vietnamese message for the officer:
  an unknown category, a category or table not in force on the date, a missing parameter (the
  injury rate of a war invalid …), a rate, count or age outside the table.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ansinh.lib.vietnamese import format_number

from .models import AmountRule, BaseKind, BaseLevel, Category, LineKind, TopUp

BASE_LABELS: dict[str, str] = {
    BaseKind.SA_BASE: "mức chuẩn trợ giúp xã hội",
    BaseKind.SOCIAL_PENSION: "mức trợ cấp hưu trí xã hội",
    BaseKind.MERIT_BASE: "mức chuẩn trợ cấp ưu đãi",
    BaseKind.BASE_SALARY: "mức lương cơ sở",
}
PROVISIONAL_NOTE = "tạm tính — chưa đối chiếu văn bản gốc"
FLAG_LABELS = {
    "": "trường hợp thông thường",
    "especially_severe": "vết thương, bệnh tật đặc biệt nặng",
    "living_alone": "sống cô đơn, mồ côi (tuất nuôi dưỡng)",
    "medal": "được tặng Huân chương Kháng chiến",
    "one_child": "mang thai hoặc nuôi một con dưới 36 tháng tuổi",
    "two_children": "mang thai và nuôi một con, hoặc nuôi hai con trở lên dưới 36 tháng tuổi",
    "taken_in": "nhận chăm sóc, nuôi dưỡng (không phải người trong gia đình)",
}


class NotInForce(Exception):
    """The tables give no amount for the case; `str(e)` is a Vietnamese message for the officer."""


@dataclass(frozen=True)
class Amount:
    amount: int
    category: str
    kind: str
    text: str
    legal_basis: str
    provisional: bool
    rule_id: int | None


@dataclass(frozen=True)
class BaseRow:
    amount: int
    valid_from: dt.date
    decided_on: dt.date | None
    legal_basis: str
    provisional: bool
    kind: str = ""
    province_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class Rule:
    """An amount rule as the engine reads it (a plain, hashable copy of `AmountRule`)."""

    id: int
    code: str
    valid_from: dt.date
    valid_to: dt.date | None
    age_from: int | None
    age_to: int | None
    rate_from: int | None
    rate_to: int | None
    count_from: int | None
    count_to: int | None
    flag: str
    method: str
    base: str
    coefficient: Decimal | None
    amount: int | None
    per_unit: bool
    legal_basis: str
    provisional: bool

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def has_age(self) -> bool:
        return self.age_from is not None or self.age_to is not None

    @property
    def has_rate(self) -> bool:
        return self.rate_from is not None or self.rate_to is not None

    @property
    def has_count(self) -> bool:
        return self.count_from is not None or self.count_to is not None

    def same_amount(self, other: Rule) -> bool:
        return (self.method, self.base, self.coefficient, self.amount, self.per_unit) == (
            other.method, other.base, other.coefficient, other.amount, other.per_unit)

    def describe(self, unit: str = "con") -> str:
        """The rule in words: "1,5 × mức chuẩn trợ giúp xã hội (từ đủ 4 đến dưới 16 tuổi)"; `unit`
        names what a per-unit rule multiplies by (con, năm)."""
        if self.method == "coefficient" and self.coefficient is not None:
            what = f"{coef_text(self.coefficient)} × {BASE_LABELS.get(self.base, self.base)}"
        else:
            what = f"{money(self.amount or 0)} đ"
        if self.per_unit:
            what += f" cho mỗi {unit}"
        bands = []
        if self.has_age:
            bands.append(band_text(self.age_from, self.age_to, "tuổi", exclusive=True))
        if self.has_rate:
            bands.append(band_text(self.rate_from, self.rate_to, "%", exclusive=False))
        if self.has_count:
            bands.append(band_text(self.count_from, self.count_to, "liệt sĩ", exclusive=False))
        if self.flag:
            bands.append(FLAG_LABELS.get(self.flag, self.flag))
        return what + (f" ({'; '.join(bands)})" if bands else "")


@dataclass(frozen=True)
class Cat:
    code: str
    scheme: str
    kind: str
    name: str
    article: str
    uses_rate: bool
    uses_martyrs: bool
    uses_children: bool
    uses_years: bool
    valid_from: dt.date
    valid_to: dt.date | None
    legal_basis: str
    provisional: bool
    order: int
    additions: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class Top:
    id: int
    code: str
    amount: int
    valid_from: dt.date
    valid_to: dt.date | None
    legal_basis: str
    provisional: bool


def money(value: int) -> str:
    """750000 -> "750.000"."""
    return format_number(value)


def coef_text(value: Decimal) -> str:
    """Decimal("1.50") -> "1,5"; Decimal("2") -> "2,0"."""
    text = f"{value:.2f}".rstrip("0")
    if text.endswith("."):
        text += "0"
    return text.replace(".", ",")


def day_text(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def band_text(low: int | None, high: int | None, unit: str, *, exclusive: bool) -> str:
    if unit == "tuổi":
        if low is None:
            return f"dưới {high} tuổi"
        if high is None:
            return f"từ đủ {low} tuổi"
        return f"từ đủ {low} đến dưới {high} tuổi" if exclusive else f"từ {low} đến {high} tuổi"
    sep = "" if unit == "%" else " "
    if low is None:
        return f"đến {high}{sep}{unit}"
    if high is None:
        return f"từ {low}{sep}{unit} trở lên"
    if low == high:
        return f"{low}{sep}{unit}"
    return f"{low}–{high}{sep}{unit}"


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years of age on `on`."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


_MISSING = object()


@dataclass
class RuleBook:
    """The law's tables in memory. Build with `RuleBook.load(...)`."""

    start: dt.date
    end: dt.date | None
    province_id: int | None
    categories: dict[str, Cat]
    rules: dict[str, list[Rule]]
    bases: dict[str, list[BaseRow]]
    province_bases: dict[str, list[BaseRow]]
    top_ups: dict[str, list[Top]]
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    _lines_cache: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)

    # --- Loading -----------------------------------------------------------------------------

    @classmethod
    def load(cls, start: dt.date, end: dt.date | None = None, *, province_id: int | None = None) -> RuleBook:
        """Everything needed for dates in [start, end] (end None: from start on), in five queries.

        The tables are small (a few hundred rows for the whole country), so all rows are read;
        `start`/`end` only say what the book is for."""
        parents: dict[str, list[str]] = defaultdict(list)
        additions: dict[str, list[str]] = defaultdict(list)
        through = Category.parents.through
        for child, parent in through.objects.values_list("from_category__code", "to_category__code"):
            parents[child].append(parent)
            additions[parent].append(child)
        categories: dict[str, Cat] = {}
        for cat_row in Category.objects.order_by("scheme", "order", "code").values(
                "code", "scheme", "kind", "name", "article", "uses_rate", "uses_martyrs", "uses_children",
                "uses_years", "valid_from", "valid_to", "legal_basis", "provisional", "order"):
            code = cat_row["code"]
            categories[code] = Cat(**cat_row, additions=tuple(additions.get(code, ())),
                                   parents=tuple(parents.get(code, ())))
        # Additions in the order of the categories (supplements, then carers, as the law lists them).
        position = {code: i for i, code in enumerate(categories)}
        categories = {code: Cat(**{**cat.__dict__, "additions": tuple(sorted(cat.additions, key=position.__getitem__))})
                      for code, cat in categories.items()}
        rules: dict[str, list[Rule]] = defaultdict(list)
        for rule_values in AmountRule.objects.order_by("valid_from", "rate_from", "count_from", "age_from", "pk").values(
                "id", "category__code", "valid_from", "valid_to", "age_from", "age_to", "rate_from", "rate_to",
                "count_from", "count_to", "flag", "method", "base", "coefficient", "amount", "per_unit",
                "legal_basis", "provisional"):
            rule_row: dict[str, Any] = dict(rule_values)
            code = rule_row.pop("category__code")
            rules[code].append(Rule(code=code, **rule_row))
        bases: dict[str, list[BaseRow]] = defaultdict(list)
        province_bases: dict[str, list[BaseRow]] = defaultdict(list)
        base_filter = BaseLevel.objects.filter(province__isnull=True)
        if province_id is not None:
            base_filter = BaseLevel.objects.filter(province__isnull=True) | BaseLevel.objects.filter(
                province_id=province_id)
        for base_values in base_filter.order_by("valid_from").values("id", "kind", "province_id", "amount", "valid_from",
                                                            "decided_on", "legal_basis", "provisional"):
            base_row: dict[str, Any] = dict(base_values)
            target = bases if base_row["province_id"] is None else province_bases
            target[base_row["kind"]].append(BaseRow(**base_row))
        top_ups: dict[str, list[Top]] = defaultdict(list)
        if province_id is not None:
            for top_values in TopUp.objects.filter(province_id=province_id).order_by("valid_from").values(
                    "id", "category__code", "amount", "valid_from", "valid_to", "legal_basis", "provisional"):
                top_row: dict[str, Any] = dict(top_values)
                code = top_row.pop("category__code")
                top_ups[code].append(Top(code=code, **top_row))
        return cls(start=start, end=end, province_id=province_id, categories=categories, rules=dict(rules),
                   bases=dict(bases), province_bases=dict(province_bases), top_ups=dict(top_ups))

    # --- Questions ---------------------------------------------------------------------------

    def category(self, code: str) -> Cat:
        found = self.categories.get(code)
        if found is None:
            raise NotInForce(f"Không có diện trợ cấp mã “{code}”. Xem danh sách bằng lệnh: ansinh benefits rules.")
        return found

    def in_force(self, code: str, on: dt.date) -> bool:
        """The category is in force on the date and a table gives it an amount then."""
        cat = self.categories.get(code)
        return (cat is not None and cat.in_force(on)
                and any(rule.in_force(on) for rule in self.rules.get(code, ())))

    def rules_on(self, code: str, on: dt.date) -> list[Rule]:
        return [rule for rule in self.rules.get(code, ()) if rule.in_force(on)]

    def categories_on(self, on: dt.date, *, scheme: str | None = None) -> list[Cat]:
        return [cat for cat in self.categories.values()
                if cat.in_force(on) and (scheme is None or cat.scheme == scheme)]

    def base(self, kind: str, on: dt.date) -> BaseRow:
        """The base level of `kind` on the date: the national row, or the province's when higher."""
        national = _latest(self.bases.get(kind, ()), on)
        local = _latest(self.province_bases.get(kind, ()), on)
        if local is not None and (national is None or local.amount >= national.amount):
            return local
        if national is None:
            label = BASE_LABELS.get(kind, kind)
            raise NotInForce(f"Chưa có {label} áp dụng cho ngày {day_text(on)}.")
        return national

    def amount(self, code: str, on: dt.date, *, birth_date: dt.date | None = None, rate: int | None = None,
               martyrs: int | None = None, children: int | None = None, years: int | None = None,
               flag: str = "") -> Amount:
        """The category's own monthly amount on the date; raises NotInForce."""
        age = age_on(birth_date, on) if birth_date is not None else None
        key = (code, on, age, rate, martyrs, children, years, flag)
        found = self._cache.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = self._price(code, on, age=age, rate=rate, martyrs=martyrs, children=children, years=years,
                                    flags=(flag,), strict=True)
            except NotInForce as exc:
                found = str(exc)
            self._cache[key] = found
        if isinstance(found, str):
            raise NotInForce(found)
        assert isinstance(found, Amount)
        return found

    def lines(self, code: str, on: dt.date, *, birth_date: dt.date | None = None, rate: int | None = None,
              martyrs: int | None = None, children: int | None = None, years: int | None = None,
              especially_severe: bool = False, living_alone: bool = False, has_carer: bool = False,
              flag: str = "") -> list[Amount]:
        """The own allowance, then every supplement and carer allowance that applies, then the
        province's top-up; raises NotInForce when the own allowance cannot be priced."""
        age = age_on(birth_date, on) if birth_date is not None else None
        key = (code, on, age, rate, martyrs, children, years, especially_severe, living_alone, has_carer, flag)
        found = self._lines_cache.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = self._lines(code, on, age=age, rate=rate, martyrs=martyrs, children=children, years=years,
                                    especially_severe=especially_severe, living_alone=living_alone,
                                    has_carer=has_carer, flag=flag)
            except NotInForce as exc:
                found = str(exc)
            self._lines_cache[key] = found
        if isinstance(found, str):
            raise NotInForce(found)
        return list(found)

    def top_ups_on(self, code: str, on: dt.date) -> list[Top]:
        return [top for top in self.top_ups.get(code, ())
                if top.valid_from <= on and (top.valid_to is None or on <= top.valid_to)]

    # --- Inside ------------------------------------------------------------------------------

    def _lines(self, code: str, on: dt.date, *, age: int | None, rate: int | None, martyrs: int | None,
               children: int | None, years: int | None, especially_severe: bool, living_alone: bool,
               has_carer: bool, flag: str) -> tuple[Amount, ...]:
        # `flag` may name a case of an addition only (a disabled mother's "two_children"): the own
        # allowance falls back to its ordinary row.
        own = self._price(code, on, age=age, rate=rate, martyrs=martyrs, children=children, years=years,
                          flags=(flag, "") if flag else ("",), strict=True)
        assert own is not None
        out = [own]
        cat = self.categories[code]
        prefer = tuple(f for f, on_ in ((flag, bool(flag)), ("especially_severe", especially_severe),
                                         ("living_alone", living_alone)) if on_) + ("",)
        for extra in cat.additions:
            added = self.categories[extra]
            if not added.in_force(on) or (added.kind == LineKind.CARER and not has_carer):
                continue
            if added.uses_years and not years:
                continue
            line = self._price(extra, on, age=age, rate=rate, martyrs=martyrs, children=children, years=years,
                               flags=prefer, strict=False)
            if line is not None:
                out.append(line)
        for top in self.top_ups_on(code, on):
            note = f" ({PROVISIONAL_NOTE})" if top.provisional else ""
            out.append(Amount(amount=top.amount, category=code, kind=LineKind.ALLOWANCE,
                              text=f"{money(top.amount)} đ hỗ trợ thêm của tỉnh{note}",
                              legal_basis=top.legal_basis, provisional=top.provisional, rule_id=None))
        return tuple(out)

    def _price(self, code: str, on: dt.date, *, age: int | None, rate: int | None, martyrs: int | None,
               children: int | None, years: int | None, flags: tuple[str, ...], strict: bool) -> Amount | None:
        """Prices one category. strict: the own allowance (every refusal raises); otherwise an
        addition, which is left out (None) when no row of its table fits the case, but still
        raises when a parameter it needs is missing."""
        cat = self.category(code)
        name = f"“{cat.name}” ({code})"
        if not cat.in_force(on):
            until = f" đến hết {day_text(cat.valid_to)}" if cat.valid_to else ""
            raise NotInForce(f"Diện {name} không áp dụng vào ngày {day_text(on)} "
                             f"(áp dụng từ {day_text(cat.valid_from)}{until}; {cat.legal_basis}).")
        every = self.rules.get(code, ())
        candidates = [rule for rule in every if rule.in_force(on)]
        if not candidates:
            if not every:
                raise NotInForce(f"Diện {name} không có mức trợ cấp hằng tháng trong các bảng mức đã có.")
            first = min(rule.valid_from for rule in every)
            hint = f" (bảng mức hiện có áp dụng từ {day_text(first)})" if first > on else ""
            raise NotInForce(f"Chưa có bảng mức trợ cấp cho diện {name} cho ngày {day_text(on)}{hint}.")
        for wanted in flags:
            picked = [rule for rule in candidates if rule.flag == wanted]
            if picked:
                candidates = picked
                break
        else:
            if not strict:
                return None
            cases = ", ".join(sorted({f"“{rule.flag}” ({FLAG_LABELS.get(rule.flag, rule.flag)})"
                                      for rule in candidates}))
            raise NotInForce(f"Diện {name} cần chọn trường hợp: {cases}.")
        if any(rule.has_rate for rule in candidates):
            if rate is None:
                raise NotInForce(f"Diện {name} cần tỷ lệ tổn thương cơ thể (--rate).")
            fitting = [r for r in candidates if _within(rate, r.rate_from, r.rate_to)]
            if not fitting:
                if not strict:
                    return None
                low = min(r.rate_from or 0 for r in candidates)
                high = max(r.rate_to or 100 for r in candidates)
                raise NotInForce(f"Tỷ lệ tổn thương {rate}% nằm ngoài bảng mức của diện {name} "
                                 f"(từ {low}% đến {high}%).")
            candidates = fitting
        if any(rule.has_count for rule in candidates):
            if martyrs is None:
                raise NotInForce(f"Diện {name} cần số liệt sĩ (--martyrs).")
            fitting = [r for r in candidates if _within(martyrs, r.count_from, r.count_to)]
            if not fitting:
                if not strict:
                    return None
                low = min(r.count_from or 0 for r in candidates)
                raise NotInForce(f"Số liệt sĩ {martyrs} không hợp lệ cho diện {name} (từ {low} trở lên).")
            candidates = fitting
        if any(rule.has_age for rule in candidates):
            if age is None:
                if not all(rule.same_amount(candidates[0]) for rule in candidates):
                    raise NotInForce(f"Diện {name} có mức theo độ tuổi: cần ngày sinh (--birth-date).")
            else:
                if age < 0:
                    raise NotInForce(f"Ngày sinh sau ngày tính ({day_text(on)}).")
                fitting = [r for r in candidates if _within_age(age, r.age_from, r.age_to)]
                if not fitting:
                    if not strict:
                        return None
                    bands = "; ".join(band_text(r.age_from, r.age_to, "tuổi", exclusive=True) for r in candidates)
                    raise NotInForce(f"Tuổi {age} nằm ngoài các mức theo độ tuổi của diện {name} ({bands}).")
                candidates = fitting
        rule = candidates[0]
        return self._compute(cat, rule, on, children=children, years=years)

    def _compute(self, cat: Cat, rule: Rule, on: dt.date, *, children: int | None, years: int | None) -> Amount:
        units, unit_text = 1, ""
        if rule.per_unit:
            if cat.uses_years:
                if years is None:
                    raise NotInForce(f"Diện “{cat.name}” ({cat.code}) cần số năm thâm niên (--years).")
                units, unit_text = years, f" × {years} năm"
            else:
                units = 1 if children is None else children
                if units < 1:
                    raise NotInForce(f"Diện “{cat.name}” ({cat.code}) cần số con đang nuôi từ 1 trở lên.")
                unit_text = f" × {units} con"
        provisional = rule.provisional
        legal_basis = rule.legal_basis
        if rule.method == "coefficient":
            if rule.coefficient is None:
                raise NotInForce(f"Quy tắc mức của diện {cat.code} thiếu hệ số.")
            base = self.base(rule.base, on)
            each = int((rule.coefficient * base.amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            where = " của tỉnh" if base.province_id is not None else ""
            text = (f"{coef_text(rule.coefficient)} × {money(base.amount)} đ "
                    f"({BASE_LABELS.get(rule.base, rule.base)}{where}){unit_text}")
            provisional = provisional or base.provisional
            legal_basis = f"{legal_basis}; {base.legal_basis}"
        else:
            each = rule.amount or 0
            text = f"{money(each)} đ{unit_text}"
        if provisional:
            text += f" ({PROVISIONAL_NOTE})"
        return Amount(amount=each * units, category=cat.code, kind=cat.kind, text=text, legal_basis=legal_basis,
                      provisional=provisional, rule_id=rule.id)


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _within_age(age: int, low: int | None, high: int | None) -> bool:
    return (low is None or age >= low) and (high is None or age < high)


def _latest(rows: Any, on: dt.date) -> BaseRow | None:
    if not rows:
        return None
    i = bisect.bisect_right([row.valid_from for row in rows], on)
    return rows[i - 1] if i else None


def amount(code: str, on: dt.date, **params: Any) -> Amount:
    """One case: `RuleBook.load(on).amount(code, on, ...)`."""
    province_id = params.pop("province_id", None)
    return RuleBook.load(on, province_id=province_id).amount(code, on, **params)


__all__ = ["Amount", "BaseRow", "NotInForce", "Rule", "RuleBook", "age_on", "amount"]
