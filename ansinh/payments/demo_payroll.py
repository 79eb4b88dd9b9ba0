"""The demo province's payrolls: the four months up to the demo's present
(`benefits.demo.present(2025)`), every commune and field. The three older months are approved,
sent to the post office and reconciled with the paying agent's results (through
`payments.results.apply_results` when that module is there, else recorded on the lines), a few
lines not collected (carried to the next month); the present month stays a draft to approve.
Before the third month two things happen that the payroll must catch: a death recorded late (the
month after it was already paid: a recovery) and a decision back-dated two months (arrears).

Idempotent: run again, approved payrolls stay as they are, drafts are recomputed, the death and
the decision are not recorded twice."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from ansinh.accounts.audit import Actor
from ansinh.benefits.demo import present
from ansinh.benefits.models import Entitlement, Scheme
from ansinh.benefits.months import add_months, month_of
from ansinh.geo.models import Unit
from ansinh.lib.vietnamese import format_number

from . import payroll as engine
from .models import Payroll, PayrollLine, PayrollState, PayStatus

SYSTEM = Actor(user=None)
LATE_DECISION = "DEMO-TRUY-LINH/QĐ-UBND"
NOT_COLLECTED_EVERY = 97  # about one line in a hundred is not collected


def _months() -> list[dt.date]:
    last = month_of(present(2025))
    return [add_months(last, -3), add_months(last, -2), add_months(last, -1), last]


def _reconcile(payroll: Payroll, not_paid: set[int]) -> None:
    """The paying agent's results: every line paid on the 10th but those not collected."""
    rows = list(PayrollLine.objects.filter(payroll=payroll).order_by("pk").values_list("pk", "amount", "person_id"))
    paid_on = payroll.month.replace(day=10)
    if importlib.util.find_spec("ansinh.payments.results") is not None:
        results = importlib.import_module("ansinh.payments.results")  # the settle part: as a real result file

        mappings: list[dict[str, Any]] = []
        for pk, amount, _person in rows:
            if amount <= 0:
                continue  # a recovery is collected by the commune, not paid by the post office
            if pk in not_paid:
                mappings.append({"code": f"L{pk}", "status": "not_paid", "reason": "Vắng nhà"})
            else:
                mappings.append({"code": f"L{pk}", "status": "paid", "paid_on": paid_on})
        results.apply_results(mappings, actor=SYSTEM, payroll=payroll, name="demo")
        payroll.refresh_from_db()
    else:
        with transaction.atomic():
            PayrollLine.objects.filter(payroll=payroll).exclude(pk__in=not_paid).update(
                status=PayStatus.PAID, paid_amount=None, paid_on=paid_on)
            PayrollLine.objects.filter(pk__in=not_paid).update(status=PayStatus.NOT_PAID, reason="Vắng nhà")
    if payroll.state == PayrollState.SENT:
        engine.mark_reconciled(payroll, actor=SYSTEM)


def _settle(month: dt.date, province: Unit, write: Callable[[str], None]) -> None:
    positive = list(PayrollLine.objects.filter(payroll__commune__path__startswith=province.path, payroll__month=month,
                                               amount__gt=0).order_by("pk").values_list("pk", flat=True))
    not_paid = {pk for i, pk in enumerate(positive) if i % NOT_COLLECTED_EVERY == 5}
    if positive and not not_paid:
        not_paid = {positive[len(positive) // 2]}
    for payroll in Payroll.objects.filter(commune__path__startswith=province.path, month=month).order_by("pk"):
        if payroll.state == PayrollState.DRAFT and payroll.lines_count:
            engine.approve(payroll, actor=SYSTEM)
        if payroll.state == PayrollState.APPROVED:
            engine.mark_sent(payroll, actor=SYSTEM)
        if payroll.state == PayrollState.SENT:
            _reconcile(payroll, not_paid)


def _late_death(province: Unit, months: list[dt.date], write: Callable[[str], None]) -> None:
    """Someone paid in the second month died in the first; the death is recorded only now."""
    from ansinh.households import services as register

    first, second = months[0], months[1]
    line = (PayrollLine.objects.filter(commune__path__startswith=province.path, for_month=second, kind="month",
                                       scheme=Scheme.SOCIAL_ASSISTANCE, person__died_on__isnull=True,
                                       person__left_on__isnull=True, payroll__state=PayrollState.RECONCILED,
                                       status=PayStatus.PAID)
            .select_related("person").order_by("pk").first())
    if line is None:
        return
    died = first.replace(day=12)
    if died < line.person.birth_date:
        return
    register.member_died(actor=SYSTEM, member=line.person, on=died)
    write(f"  Ghi nhận muộn người mất: {line.person.full_name}, mất ngày {died:%d/%m/%Y}, đã được chi tháng "
          f"{second:%m/%Y}")


def _late_decision(province: Unit, months: list[dt.date], write: Callable[[str], None]) -> None:
    """A severe-disability allowance decided in the second month, paid from the first month."""
    from ansinh.benefits import services as benefits
    from ansinh.households.models import Member

    if Entitlement.objects.filter(decision_number=LATE_DECISION).exists():
        return
    first, second = months[0], months[1]
    born_before = dt.date(first.year - 20, 1, 1)
    born_after = dt.date(first.year - 55, 1, 1)
    candidates = (Member.objects.filter(household__commune__path__startswith=province.path, died_on__isnull=True,
                                        left_on__isnull=True, birth_date__lt=born_before, birth_date__gt=born_after)
                  .filter(~Q(entitlements__isnull=False)).order_by("pk")[:20])
    for member in candidates:
        try:
            entitlement = benefits.create_entitlement(
                SYSTEM, member, "sa_disability_severe", decision_number=LATE_DECISION,
                decision_date=second.replace(day=26), decision_signer="Chủ tịch UBND xã", start_month=first)
        except Exception:  # noqa: BLE001 — another candidate (the rules refuse this one)
            continue
        write(f"  Quyết định hưởng từ hai tháng trước: {member.full_name}, quyết định ngày "
              f"{entitlement.decision_date:%d/%m/%Y}, hưởng từ tháng {first:%m/%Y}")
        return


def generate(*, province: Unit, write: Callable[[str], None]) -> None:
    months = _months()
    started = Payroll.objects.filter(commune__path__startswith=province.path, month=months[0]).exists()
    for i, month in enumerate(months):
        if i == 2 and not started:
            _late_death(province, months, write)
            _late_decision(province, months, write)
        result = engine.run_unit(unit=province, month=month, actor=SYSTEM)
        if i < 3:
            _settle(month, province, write)
        kinds = dict(PayrollLine.objects.filter(payroll_id__in=result.payrolls).values("kind")
                     .annotate(n=Count("pk")).values_list("kind", "n"))
        words = {"month": "trợ cấp tháng", "arrears": "truy lĩnh", "carried": "chuyển kỳ trước",
                 "recovery": "thu hồi"}
        write(f"Chi trả tháng {month:%m/%Y}: {format_number(len(result.payrolls))} danh sách, "
              f"{format_number(result.lines)} dòng, {format_number(result.people)} người, "
              f"{format_number(result.total)} đồng"
              + (f" ({', '.join(f'{words.get(k, k)} {format_number(n)}' for k, n in sorted(kinds.items()))})"
                 if kinds else "")
              + (f"; giữ nguyên {format_number(len(result.refused))} danh sách đã duyệt" if result.refused else ""))
