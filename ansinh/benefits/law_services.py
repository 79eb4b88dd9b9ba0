"""Changing the law's tables: a new base level, an amount rule added or changed, a province's
top-up. Each is checked (positive amounts, coefficient xor amount, dates in order, no two rows for
the same case at once) and audited as "benefits.law.change" in the same transaction.

A new amount rule closes the rows it replaces: the rows of the same category, case and bands
that started earlier and were still open on its first day end the day before (each audited), so
that a new decree's table is entered row by row without editing the old ones first. A row that
starts on or after the new one's first day is a conflict the administrator resolves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Level, Unit

from .law import BASE_LABELS, day_text, money
from .models import AmountRule, BaseKind, BaseLevel, Category, LineKind, Method, TopUp

ACTION = "benefits.law.change"
FIRST_DAY = dt.date(2021, 7, 1)  # the tables start with Decree 20/2021 and the Ordinance 02/2020
BASE_FIELDS = ["kind", "province", "amount", "valid_from", "decided_on", "legal_basis", "provisional", "note"]
RULE_FIELDS = ["category", "valid_from", "valid_to", "age_from", "age_to", "rate_from", "rate_to", "count_from",
               "count_to", "flag", "method", "base", "coefficient", "amount", "per_unit", "legal_basis", "provisional"]
TOPUP_FIELDS = ["province", "category", "amount", "valid_from", "valid_to", "legal_basis", "provisional"]


def _check_province(province: Unit | None, errors: dict[str, str]) -> None:
    if province is not None and (province.level != Level.PROVINCE or province.edition != Edition.CURRENT):
        errors["province"] = "Chọn một tỉnh, thành phố của bản đồ hiện hành."


def _check_dates(valid_from: dt.date, valid_to: dt.date | None, errors: dict[str, str]) -> None:
    if valid_from < FIRST_DAY:
        errors["valid_from"] = f"Bảng mức bắt đầu từ {day_text(FIRST_DAY)}: chọn ngày từ đó trở đi."
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = "Ngày hết áp dụng phải sau hoặc bằng ngày bắt đầu áp dụng."


def _overlaps(low_a: int | None, high_a: int | None, low_b: int | None, high_b: int | None, *,
              exclusive: bool) -> bool:
    """Two bands share a value (None = open); `exclusive`: the upper ends are excluded (ages)."""
    a_low = low_a if low_a is not None else -1
    b_low = low_b if low_b is not None else -1
    big = 10**6
    a_high = high_a if high_a is not None else big
    b_high = high_b if high_b is not None else big
    if exclusive:
        return a_low < b_high and b_low < a_high
    return a_low <= b_high and b_low <= a_high


# --- Base levels ----------------------------------------------------------------------------


@transaction.atomic
def base_level_create(*, actor: Actor, kind: str, amount: int | None, valid_from: dt.date,
                      province: Unit | None = None, decided_on: dt.date | None = None, legal_basis: str,
                      provisional: bool = False, note: str = "") -> BaseLevel:
    """A base level from a date (a new decree), for the country or one province.

    1. A known kind, a positive amount, a legal basis, a date in the tables' range, a current province.
    2. One row per kind, scope and date.
    3. A province's level is not lower than the national one on its first day (Decree 20 Art. 4(3))."""
    errors: dict[str, str] = {}
    if kind not in BaseKind.values:
        errors["kind"] = "Chọn loại mức chuẩn."
    if amount is None or amount <= 0:
        errors["amount"] = "Mức tiền phải là số dương (đồng/tháng)."
    if not legal_basis.strip():
        errors["legal_basis"] = "Ghi căn cứ pháp lý (số, ngày văn bản)."
    _check_dates(valid_from, None, errors)
    _check_province(province, errors)
    if province is not None and kind == BaseKind.BASE_SALARY:
        errors["province"] = "Mức lương cơ sở do Chính phủ quy định cho cả nước."
    if decided_on is not None and decided_on > dt.date.today() + dt.timedelta(days=366):
        errors["decided_on"] = "Ngày ban hành không hợp lệ."
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    same = BaseLevel.objects.filter(kind=kind, valid_from=valid_from, province=province)
    if same.exists():
        raise ValidationError({"valid_from": "Đã có mức cho loại này, phạm vi này và ngày này."})
    if province is not None:
        national = (BaseLevel.objects.filter(kind=kind, province__isnull=True, valid_from__lte=valid_from)
                    .order_by("-valid_from").first())
        if national is not None and amount < national.amount:
            raise ValidationError({"amount": f"Mức của tỉnh không được thấp hơn mức chung "
                                             f"({money(national.amount)} đ từ {day_text(national.valid_from)})."})
    row = BaseLevel(kind=kind, province=province, amount=amount, valid_from=valid_from, decided_on=decided_on,
                    legal_basis=legal_basis.strip(), provisional=provisional, note=note.strip())
    row.full_clean()
    row.save()
    audit.record(actor=actor, action=ACTION, obj=row, unit=province, after=audit.snapshot(row, BASE_FIELDS))
    return row


# --- Amount rules ---------------------------------------------------------------------------


def _check_rule(*, pk: int | None, category: Category, valid_from: dt.date, valid_to: dt.date | None,
                age_from: int | None, age_to: int | None, rate_from: int | None, rate_to: int | None,
                count_from: int | None, count_to: int | None, flag: str, method: str, base: str,
                coefficient: Decimal | None, amount: int | None, legal_basis: str) -> None:
    errors: dict[str, str] = {}
    _check_dates(valid_from, valid_to, errors)
    if method == Method.COEFFICIENT:
        if coefficient is None or coefficient <= 0:
            errors["coefficient"] = "Cách tính theo hệ số cần một hệ số dương."
        if not base:
            errors["base"] = "Cách tính theo hệ số cần chọn mức chuẩn nhân với hệ số."
        if amount is not None:
            errors["amount"] = "Cách tính theo hệ số không ghi mức tiền cố định: để trống."
    elif method == Method.FIXED:
        if amount is None or amount <= 0:
            errors["amount"] = "Mức tiền cố định phải là số dương (đồng/tháng)."
        if coefficient is not None:
            errors["coefficient"] = "Mức tiền cố định không có hệ số: để trống."
        if base:
            errors["base"] = "Mức tiền cố định không nhân với mức chuẩn: để trống."
    else:
        errors["method"] = "Chọn cách tính."
    for low, high, name, text in ((age_from, age_to, "age_to", "Tuổi “đến dưới” phải lớn hơn tuổi “từ”."),
                                  (rate_from, rate_to, "rate_to", "Tỷ lệ “đến” phải lớn hơn hoặc bằng tỷ lệ “từ”."),
                                  (count_from, count_to, "count_to", "Số “đến” phải lớn hơn hoặc bằng số “từ”.")):
        if low is not None and high is not None and (high <= low if name == "age_to" else high < low):
            errors[name] = text
    for value, name in ((rate_from, "rate_from"), (rate_to, "rate_to")):
        if value is not None and not 0 < value <= 100:
            errors[name] = "Tỷ lệ tổn thương từ 1% đến 100%."
    if (rate_from is not None or rate_to is not None) and not category.uses_rate:
        errors["rate_from"] = "Diện này không tính theo tỷ lệ tổn thương."
    if (count_from is not None or count_to is not None) and not category.uses_martyrs:
        errors["count_from"] = "Diện này không tính theo số liệt sĩ."
    if not legal_basis.strip():
        errors["legal_basis"] = "Ghi căn cứ pháp lý (điều, khoản, phụ lục của văn bản)."
    if errors:
        raise ValidationError(errors)


def _same_case(rule: AmountRule, *, flag: str, age_from: int | None, age_to: int | None, rate_from: int | None,
               rate_to: int | None, count_from: int | None, count_to: int | None) -> bool:
    return (rule.flag == flag
            and _overlaps(rule.age_from, rule.age_to, age_from, age_to, exclusive=True)
            and _overlaps(rule.rate_from, rule.rate_to, rate_from, rate_to, exclusive=False)
            and _overlaps(rule.count_from, rule.count_to, count_from, count_to, exclusive=False))


def _resolve_overlaps(*, actor: Actor, pk: int | None, category: Category, valid_from: dt.date,
                      valid_to: dt.date | None, close_previous: bool, **case: object) -> None:
    """Refuses a rule that overlaps another of the same case, or (close_previous) ends the earlier
    open rows it replaces the day before it starts."""
    overlapping = AmountRule.objects.select_for_update().filter(category=category).exclude(pk=pk or 0).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    to_close: list[AmountRule] = []
    for other in overlapping:
        if not _same_case(other, **case):  # type: ignore[arg-type]
            continue
        if close_previous and other.valid_from < valid_from:
            to_close.append(other)
            continue
        until = f" đến {day_text(other.valid_to)}" if other.valid_to else ""
        raise ValidationError({"valid_from": f"Trùng thời gian với một quy tắc khác cùng trường hợp của diện này "
                                             f"(từ {day_text(other.valid_from)}{until}, {other.legal_basis}). "
                                             f"Sửa ngày áp dụng hoặc sửa quy tắc kia."})
    for other in to_close:
        before = audit.snapshot(other, RULE_FIELDS)
        other.valid_to = valid_from - dt.timedelta(days=1)
        other.save(update_fields=["valid_to", "updated_at"])
        audit.record(actor=actor, action=ACTION, obj=other, before=before, after=audit.snapshot(other, RULE_FIELDS))


@transaction.atomic
def amount_rule_create(*, actor: Actor, category: Category, valid_from: dt.date, valid_to: dt.date | None = None,
                       age_from: int | None = None, age_to: int | None = None, rate_from: int | None = None,
                       rate_to: int | None = None, count_from: int | None = None, count_to: int | None = None,
                       flag: str = "", method: str, base: str = "", coefficient: Decimal | None = None,
                       amount: int | None = None, per_unit: bool = False, legal_basis: str,
                       provisional: bool = False, close_previous: bool = True) -> AmountRule:
    case = {"flag": flag.strip(), "age_from": age_from, "age_to": age_to, "rate_from": rate_from, "rate_to": rate_to,
            "count_from": count_from, "count_to": count_to}
    _check_rule(pk=None, category=category, valid_from=valid_from, valid_to=valid_to, method=method, base=base,
                coefficient=coefficient, amount=amount, legal_basis=legal_basis, **case)  # type: ignore[arg-type]
    _resolve_overlaps(actor=actor, pk=None, category=category, valid_from=valid_from, valid_to=valid_to,
                      close_previous=close_previous, **case)
    rule = AmountRule(category=category, valid_from=valid_from, valid_to=valid_to, method=method, base=base,
                      coefficient=coefficient, amount=amount, per_unit=per_unit, legal_basis=legal_basis.strip(),
                      provisional=provisional, **case)  # type: ignore[arg-type]
    rule.full_clean()
    rule.save()
    audit.record(actor=actor, action=ACTION, obj=rule, after=audit.snapshot(rule, RULE_FIELDS))
    return rule


@transaction.atomic
def amount_rule_update(*, actor: Actor, rule: AmountRule, valid_from: dt.date, valid_to: dt.date | None = None,
                       age_from: int | None = None, age_to: int | None = None, rate_from: int | None = None,
                       rate_to: int | None = None, count_from: int | None = None, count_to: int | None = None,
                       flag: str = "", method: str, base: str = "", coefficient: Decimal | None = None,
                       amount: int | None = None, per_unit: bool = False, legal_basis: str,
                       provisional: bool = False) -> AmountRule:
    locked = AmountRule.objects.select_for_update().select_related("category").get(pk=rule.pk)
    before = audit.snapshot(locked, RULE_FIELDS)
    case = {"flag": flag.strip(), "age_from": age_from, "age_to": age_to, "rate_from": rate_from, "rate_to": rate_to,
            "count_from": count_from, "count_to": count_to}
    _check_rule(pk=locked.pk, category=locked.category, valid_from=valid_from, valid_to=valid_to, method=method,
                base=base, coefficient=coefficient, amount=amount, legal_basis=legal_basis,
                **case)  # type: ignore[arg-type]
    _resolve_overlaps(actor=actor, pk=locked.pk, category=locked.category, valid_from=valid_from, valid_to=valid_to,
                      close_previous=False, **case)
    for name, value in {"valid_from": valid_from, "valid_to": valid_to, "method": method, "base": base,
                        "coefficient": coefficient, "amount": amount, "per_unit": per_unit,
                        "legal_basis": legal_basis.strip(), "provisional": provisional, **case}.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=[name for name in RULE_FIELDS if name != "category"] + ["updated_at"])
    after = audit.snapshot(locked, RULE_FIELDS)
    if after != before:
        audit.record(actor=actor, action=ACTION, obj=locked, before=before, after=after)
    return locked


# --- Top-ups --------------------------------------------------------------------------------


@transaction.atomic
def top_up_create(*, actor: Actor, province: Unit, category: Category, amount: int | None, valid_from: dt.date,
                  valid_to: dt.date | None = None, legal_basis: str, provisional: bool = False) -> TopUp:
    """A province's own monthly top-up for a category's allowance (Law 41/2024 Art. 22(2); Decree
    20 Art. 4(3)): positive, dated, one at a time per province and category."""
    errors: dict[str, str] = {}
    if amount is None or amount <= 0:
        errors["amount"] = "Mức hỗ trợ thêm phải là số dương (đồng/tháng)."
    if not legal_basis.strip():
        errors["legal_basis"] = "Ghi căn cứ pháp lý (nghị quyết của Hội đồng nhân dân tỉnh, số, ngày)."
    if category.kind != LineKind.ALLOWANCE:
        errors["category"] = "Chỉ hỗ trợ thêm cho trợ cấp hằng tháng của một diện, không cho phụ cấp hay người phục vụ."
    _check_dates(valid_from, valid_to, errors)
    _check_province(province, errors)
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    clash = TopUp.objects.select_for_update().filter(province=province, category=category).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        clash = clash.filter(valid_from__lte=valid_to)
    other = clash.first()
    if other is not None:
        raise ValidationError({"valid_from": f"Tỉnh đã có mức hỗ trợ thêm cho diện này trùng thời gian "
                                             f"(từ {day_text(other.valid_from)}, {money(other.amount)} đ)."})
    row = TopUp(province=province, category=category, amount=amount, valid_from=valid_from, valid_to=valid_to,
                legal_basis=legal_basis.strip(), provisional=provisional)
    row.full_clean()
    row.save()
    audit.record(actor=actor, action=ACTION, obj=row, unit=province, after=audit.snapshot(row, TOPUP_FIELDS))
    return row


def base_kind_scheme(kind: str) -> str | None:
    """The scheme whose provincial officers may set a province's level of `kind` (None: national only)."""
    return {BaseKind.SA_BASE: "social_assistance", BaseKind.SOCIAL_PENSION: "social_pension",
            BaseKind.MERIT_BASE: "meritorious"}.get(BaseKind(kind)) if kind in BaseKind.values else None


__all__ = ["ACTION", "BASE_LABELS", "amount_rule_create", "amount_rule_update", "base_kind_scheme",
           "base_level_create", "top_up_create"]
