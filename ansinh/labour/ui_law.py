"""The unemployment benefit computed by the law in force on the contract's end date.

Law 38/2013/QH13 (contracts ended to 31 Dec 2025) and Law 74/2025/QH15 (from 1 Jan 2026) are rows
of `UnemploymentRule`; the regional minimum wages, the base salary and the units' wage regions are
rows too (`RegionalMinimumWage`, `BaseSalary`, `WageRegionUnit`), so a past dossier is decided by
the rows in force then. `compute` returns a `Decision` whose `steps` say what was done, each with
its article (the calculator page shows them one by one).

1. The rule: the row in force on the contract's end date (Law 38/2013 Art. 49; Law 74/2025 Art.
   38: "the law in force when the contract ends" is how both laws' transitional rules are read).
2. Filing: within `filing_months` months of the contract's end (Law 38/2013 Art. 46.1; Law
   74/2025 Art. 38), not before it ends.
3. Eligibility: `min_months` months of contributions within the window before the end — 24
   months, 36 for short (seasonal, task, under 12 months) contracts (Law 38/2013 Art. 49.2; Law
   74/2025 Art. 38). `months` is the months of contributions not yet used for a benefit, counted
   back from the contract's end; contributions are taken as continuous up to the end, so those in
   the window are min(months, window).
4. Amount: `rate_percent` % of the average contribution salary of the last 6 months, at most
   `cap_multiple` × the regional minimum wage in force on the contract's end date (the region of
   the employer), or × the base salary for people on state pay scales where the rule keeps that
   cap (Law 38/2013 Art. 50.1; Law 74/2025 Art. 39 abolishes it). Rounded half up to the đồng, as
   social insurance pays (no fraction of a đồng; the cap is a whole amount).
5. Duration: `base_duration` months for 12 to 36 months of contributions, one more per further
   full 12 months, at most `max_duration` (Law 38/2013 Art. 50.2; Law 74/2025 Art. 39). The months
   above those used stay reserved for a next claim (Decree 28/2015 Art. 18.7): not computed here.
6. Start (when the filing date is known): the `start_day`-th working day after a complete dossier
   (Decree 28/2015 Art. 18 as amended by Decree 61/2020: the 16th; Law 74/2025 Art. 39: the 11th),
   or the `start_day`-th day for a calendar rule. Counting as the project's calendar does (Civil
   Code 2015 Art. 147.2: the day after filing is day 1; `ansinh.workdays`). The benefit runs
   `months` months from the start; the decision is due the statutory working days after the
   dossier is complete, by the catalogue's unemployment procedure in force on that day (Law
   38/2013 Art. 46.2; Decree 61/2020; `ansinh.procedures.deadlines`, the one deadline logic of
   every dossier).
"""

from __future__ import annotations

from calendar import monthrange
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from ansinh.geo.models import Unit
from ansinh.lib.vietnamese import format_number
from ansinh.lib.workdays import WorkingCalendar
from ansinh.procedures.deadlines import Deadline, deadline, versions
from ansinh.procedures.models import Procedure, ProcedureUse

from .models import BaseSalary, ContractKind, RegionalMinimumWage, StartRule, UnemploymentRule, WageRegionUnit

UNEMPLOYMENT_USE = ProcedureUse.UNEMPLOYMENT.value

REGIONS = (1, 2, 3, 4)
REGION_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
COUNTING = "Bộ luật Dân sự 2015, Điều 147.2 (ngày đầu tiên được tính là ngày sau ngày nộp đủ hồ sơ)"


class LawMissing(ValueError):
    """No row of the law for a date (the message is for the user, in Vietnamese)."""


@dataclass(frozen=True)
class Step:
    text: str  # Vietnamese, with the figures
    article: str  # the legal basis


@dataclass
class Decision:
    eligible: bool
    reason: str = ""  # Vietnamese, when not eligible
    rule: UnemploymentRule | None = None
    monthly: int = 0
    months: int = 0
    starts: dt.date | None = None
    ends: dt.date | None = None
    total: int = 0
    cap: int = 0
    cap_basis: str = ""  # "min_wage" or "base_salary"
    capped: bool = False
    decision_due: dt.date | None = None
    steps: list[Step] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"monthly": self.monthly, "months": self.months,
                "starts": self.starts.isoformat() if self.starts else None}


def _in_force(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def _pick(rows: list[object], on: dt.date) -> object | None:
    """The row in force on `on` among dated rows (the latest start wins when two overlap)."""
    found = [r for r in rows if r.valid_from <= on and (r.valid_to is None or on <= r.valid_to)]  # type: ignore[attr-defined]
    return max(found, key=lambda r: r.valid_from) if found else None  # type: ignore[attr-defined]


class LawBook:
    """Every row of the unemployment law, read once (a few dozen rows): a batch (an import, the
    demo) decides thousands of dossiers with no query per dossier."""

    def __init__(self, rules: list[UnemploymentRule], wages: list[RegionalMinimumWage],
                 bases: list[BaseSalary], procedures: list[Procedure] | None = None) -> None:
        self.rules = rules
        self.wages = wages
        self.bases = bases
        self._procedures = procedures

    @classmethod
    def load(cls) -> LawBook:
        return cls(list(UnemploymentRule.objects.order_by("valid_from")),
                   list(RegionalMinimumWage.objects.order_by("valid_from")),
                   list(BaseSalary.objects.order_by("valid_from")), versions([UNEMPLOYMENT_USE]))

    @property
    def procedures(self) -> list[Procedure]:
        """The catalogue's versions of the unemployment procedure (their working days are the
        decision's deadline), read once."""
        if self._procedures is None:
            self._procedures = versions([UNEMPLOYMENT_USE])
        return self._procedures

    def deadline(self, received_on: dt.date, calendar: WorkingCalendar) -> Deadline:
        """The decision's deadline of a dossier complete on `received_on` (LawMissing when the
        catalogue has no unemployment procedure in force that day)."""
        try:
            return deadline(UNEMPLOYMENT_USE, received_on, calendar=calendar, rows=self.procedures)
        except ValidationError as error:
            raise LawMissing(" ".join(error.messages)) from None

    def rule(self, on: dt.date) -> UnemploymentRule:
        found = _pick(list(self.rules), on)
        if found is None:
            raise LawMissing(f"Chưa có quy định về trợ cấp thất nghiệp áp dụng cho ngày {on:%d/%m/%Y}.")
        assert isinstance(found, UnemploymentRule)
        return found

    def min_wage(self, region: int, on: dt.date) -> RegionalMinimumWage:
        found = _pick([w for w in self.wages if w.region == region], on)
        if found is None:
            raise LawMissing(f"Chưa có mức lương tối thiểu vùng {REGION_NAMES.get(region, region)} áp dụng cho ngày "
                             f"{on:%d/%m/%Y}.")
        assert isinstance(found, RegionalMinimumWage)
        return found

    def base_salary(self, on: dt.date) -> BaseSalary:
        found = _pick(list(self.bases), on)
        if found is None:
            raise LawMissing(f"Chưa có mức lương cơ sở áp dụng cho ngày {on:%d/%m/%Y}.")
        assert isinstance(found, BaseSalary)
        return found


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` months later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def vnd(amount: int | Decimal) -> str:
    return f"{format_number(int(amount))} đồng"


def duration(rule: UnemploymentRule, months: int) -> int:
    """Months of benefit for `months` of contributions (Law 38/2013 Art. 50.2; Law 74/2025 Art. 39)."""
    extra = max(0, months - 36) // 12
    return min(rule.base_duration + extra, rule.max_duration)


def _provisional(row: object) -> str:
    return " (tạm tính, chưa đối chiếu văn bản gốc)" if getattr(row, "provisional", False) else ""


def compute(*, contract_end: dt.date, months: int, average_salary: int, region: int, state_pay_scale: bool = False,
            contract_kind: str = ContractKind.INDEFINITE, filed_on: dt.date | None = None,
            months_in_window: int | None = None, book: LawBook | None = None,
            calendar: WorkingCalendar | None = None) -> Decision:
    """The decision on an unemployment benefit (see the module's steps). Never raises for a
    person's situation: an ineligible case is `eligible=False` with the reason in Vietnamese; a
    law row missing for the date is a refusal too (with what is missing).

    `months`: months of contributions not yet used for a benefit (the duration); `months_in_window`:
    those within the window of the contract's kind (24 or 36 months before the end), when they
    differ from min(months, window) (a gap in the contributions)."""
    book = book or LawBook.load()
    if region not in REGIONS:
        return Decision(False, f"Vùng lương tối thiểu phải là I, II, III hoặc IV (đã ghi {region}).")
    if months < 0 or average_salary < 0:
        return Decision(False, "Số tháng đóng và tiền lương bình quân không được âm.")
    try:
        rule = book.rule(contract_end)
    except LawMissing as error:
        return Decision(False, str(error))
    basis = rule.legal_basis
    old_law = rule.state_cap_on_base_salary
    art = {"filing": "Luật Việc làm 38/2013/QH13, Điều 46.1" if old_law else "Luật Việc làm 74/2025/QH15, Điều 38",
           "eligible": "Luật Việc làm 38/2013/QH13, Điều 49.2" if old_law else "Luật Việc làm 74/2025/QH15, Điều 38",
           "amount": "Luật Việc làm 38/2013/QH13, Điều 50.1" if old_law else "Luật Việc làm 74/2025/QH15, Điều 39",
           "duration": "Luật Việc làm 38/2013/QH13, Điều 50.2" if old_law else "Luật Việc làm 74/2025/QH15, Điều 39",
           "start": ("Luật Việc làm 38/2013/QH13, Điều 50.3; Nghị định 28/2015/NĐ-CP, Điều 18 (sửa đổi bởi Nghị định "
                     "61/2020/NĐ-CP)") if old_law else "Luật Việc làm 74/2025/QH15, Điều 39; Nghị định 374/2025/NĐ-CP"}
    decision = Decision(True, rule=rule)
    steps = decision.steps
    steps.append(Step(f"Hợp đồng chấm dứt ngày {contract_end:%d/%m/%Y}: áp dụng {rule.law}{_provisional(rule)}.",
                      basis))

    def refuse(reason: str, article: str) -> Decision:
        steps.append(Step(reason, article))
        decision.eligible, decision.reason = False, reason
        return decision

    # 2. Filing within the months allowed.
    if filed_on is not None:
        deadline = add_months(contract_end, rule.filing_months)
        if filed_on <= contract_end:
            return refuse(f"Hồ sơ nộp ngày {filed_on:%d/%m/%Y}, không sau ngày chấm dứt hợp đồng "
                          f"{contract_end:%d/%m/%Y}: chưa đủ điều kiện nộp hồ sơ.", art["filing"])
        if filed_on > deadline:
            return refuse(f"Hồ sơ nộp ngày {filed_on:%d/%m/%Y}, quá {rule.filing_months} tháng kể từ ngày chấm dứt "
                          f"hợp đồng (hạn nộp đến hết ngày {deadline:%d/%m/%Y}).", art["filing"])
        steps.append(Step(f"Nộp hồ sơ ngày {filed_on:%d/%m/%Y}, trong thời hạn {rule.filing_months} tháng (đến hết "
                          f"ngày {deadline:%d/%m/%Y}).", art["filing"]))

    # 3. Months of contributions in the window.
    short = contract_kind == ContractKind.SHORT
    window = rule.short_contract_window_months if short else rule.window_months
    in_window = min(months, window) if months_in_window is None else min(months_in_window, months, window)
    kind = "hợp đồng theo mùa vụ, công việc dưới 12 tháng" if short else "hợp đồng không xác định thời hạn hoặc xác " \
        "định thời hạn"
    if in_window < rule.min_months:
        return refuse(f"Chỉ đóng bảo hiểm thất nghiệp {in_window} tháng trong {window} tháng trước khi chấm dứt hợp đồng "
                      f"({kind}): cần đủ {rule.min_months} tháng.", art["eligible"])
    steps.append(Step(f"Đã đóng {in_window} tháng trong {window} tháng trước khi chấm dứt hợp đồng ({kind}), đủ "
                      f"{rule.min_months} tháng.", art["eligible"]))

    # 4. The amount and its cap.
    try:
        wage = book.min_wage(region, contract_end)
        base = book.base_salary(contract_end) if (state_pay_scale and old_law) else None
    except LawMissing as error:
        return refuse(str(error), basis)
    if base is not None:
        cap = rule.cap_multiple * base.amount
        decision.cap_basis = "base_salary"
        cap_text = (f"Người hưởng lương theo chế độ Nhà nước: mức tối đa {rule.cap_multiple} × lương cơ sở "
                    f"{vnd(base.amount)} ({base.legal_basis}{_provisional(base)}) = {vnd(cap)}.")
    else:
        cap = rule.cap_multiple * wage.monthly
        decision.cap_basis = "min_wage"
        prefix = ""
        if state_pay_scale and not old_law:
            prefix = "Mức trần theo lương cơ sở đã bãi bỏ, áp dụng chung mức trần theo lương tối thiểu vùng. "
        cap_text = (f"{prefix}Mức tối đa {rule.cap_multiple} × lương tối thiểu vùng {REGION_NAMES[region]} "
                    f"{vnd(wage.monthly)} ({wage.legal_basis}{_provisional(wage)}) = {vnd(cap)}.")
    share = (Decimal(average_salary) * rule.rate_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    steps.append(Step(f"{rule.rate_percent}% × tiền lương bình quân 6 tháng liền kề {vnd(average_salary)} = "
                      f"{vnd(share)}.", art["amount"]))
    steps.append(Step(cap_text, art["amount"]))
    monthly = min(int(share), cap)
    decision.cap, decision.capped, decision.monthly = cap, int(share) > cap, monthly
    steps.append(Step(f"Mức hưởng hằng tháng: {vnd(monthly)}" + (" (bằng mức tối đa)." if decision.capped else "."),
                      art["amount"]))

    # 5. Duration.
    benefit = duration(rule, months)
    decision.months = benefit
    extra = benefit - rule.base_duration
    more = f", thêm {extra} tháng cho {extra * 12} tháng đóng vượt 36 tháng" if extra else ""
    cap_note = f" (tối đa {rule.max_duration} tháng)" if benefit == rule.max_duration else ""
    steps.append(Step(f"{months} tháng đóng: hưởng {rule.base_duration} tháng cho 12–36 tháng đầu{more}; thời gian "
                      f"hưởng {benefit} tháng{cap_note}.", art["duration"]))
    decision.total = monthly * benefit
    steps.append(Step(f"Tổng trợ cấp: {vnd(monthly)} × {benefit} tháng = {vnd(decision.total)}.", art["duration"]))

    # 6. Start and decision dates.
    if filed_on is not None:
        if calendar is None:
            from ansinh.workdays.calendar import calendar_for

            calendar = calendar_for(None)
        if rule.start_rule == StartRule.WORKING_DAY:
            starts = calendar.add_working_days(filed_on, rule.start_day)
            counted = f"ngày làm việc thứ {rule.start_day}"
        else:
            starts = filed_on + dt.timedelta(days=rule.start_day)
            counted = f"ngày thứ {rule.start_day}"
        try:
            due: Deadline | None = book.deadline(filed_on, calendar)
        except LawMissing as error:  # the catalogue has no version that day: no deadline, said so
            due, missing = None, str(error)
        decision.decision_due = due.due_on if due is not None else None
        decision.starts = starts
        decision.ends = add_months(starts, benefit) - dt.timedelta(days=1)
        steps.append(Step(f"Hưởng từ {counted} sau ngày nộp đủ hồ sơ: {starts:%d/%m/%Y}, đến hết ngày "
                          f"{decision.ends:%d/%m/%Y}.", f"{art['start']}; {COUNTING}"))
        if due is not None:
            steps.append(Step(f"Quyết định trong {due.days} ngày làm việc: hạn {due.due_on:%d/%m/%Y}.",
                              f"{due.procedure.legal_basis} (thủ tục {due.procedure.code})"))
        else:
            steps.append(Step(missing, "Danh mục thủ tục hành chính"))
    return decision


# --- Wage regions of units ------------------------------------------------------------------------


def region_of(unit: Unit | None, on: dt.date) -> int | None:
    """The minimum-wage region of `unit` on `on`: the most specific unit's row in force (the unit,
    then its district, then its province), None when no row covers it."""
    if unit is None:
        return None
    return regions_of([unit], on).get(unit.pk)


def regions_of(units: list[Unit], on: dt.date) -> dict[int, int]:
    """{unit id: region} for many units in one query (the import's employers' communes)."""
    wanted: dict[int, list[int]] = {}
    for unit in units:
        chain = [unit.pk, *reversed(unit.ancestor_ids())]  # the unit first, then upwards
        wanted[unit.pk] = chain
    ids = {pk for chain in wanted.values() for pk in chain}
    rows: dict[int, WageRegionUnit] = {}
    for row in WageRegionUnit.objects.filter(_in_force(on), unit_id__in=ids).order_by("valid_from"):
        rows[row.unit_id] = row  # the latest start wins
    out: dict[int, int] = {}
    for pk, chain in wanted.items():
        for candidate in chain:
            if candidate in rows:
                out[pk] = rows[candidate].region
                break
    return out


DEMO_REGION_BASIS = ("Nghị định 293/2025/NĐ-CP, Phụ lục (chưa đối chiếu danh mục xã, phường của tỉnh: mặc định vùng "
                     "IV cho cả tỉnh, nhập vùng của từng xã, phường khi có)")


def seed_wage_regions(province: Unit) -> bool:
    """The province's default row (region IV, provisional) when it has none: the data migration's
    row for a map loaded after migrating. True when a row was added."""
    if WageRegionUnit.objects.filter(unit=province).exists():
        return False
    WageRegionUnit.objects.create(unit=province, region=4, valid_from=dt.date(2025, 7, 1),
                                  legal_basis=DEMO_REGION_BASIS, provisional=True)
    return True


__all__ = ["Decision", "LawBook", "LawMissing", "Step", "add_months", "compute", "duration", "region_of", "regions_of",
           "seed_wage_regions"]
