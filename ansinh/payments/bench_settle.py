"""The reconciliation step of `ansinh bench` (issue 12: "reconciliation of a 50,000-line result
file (≤ 5 s)"), called by the payroll lane's `bench_payments` command when present.

`bench_reconcile(unit, runs)` makes a sent payroll of 50,000 lines in the unit's first commune
with bulk inserts (the unit's living members, each on as many months of arrears as needed: no
per-row ORM), writes the paying agent's .xlsx result file for it (90 % paid, 5 % partly paid, 5 %
not paid, with dates, receivers and reasons), then times `results.apply_results` on the whole file
— reading, every check, the one prepared UPDATE, the reconciliation — `runs` times, the lines reset
to pending between runs (not timed). The bench payroll is deleted at the end. Returns the figures
(median and maximum seconds, the load average) and whether the goal is met.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from ansinh.accounts.audit import Actor
from ansinh.geo.models import Level, Unit
from ansinh.households.models import Member
from ansinh.lib.bulk import insert_rows
from ansinh.lib.spreadsheets import Writer
from ansinh.lib.vietnamese import format_number

from .models import LineRule, Payroll, PayrollLine, PayrollState, PayStatus, ResultImport, SuspensionProposal
from .results import COLUMNS, SHEET, apply_results

LINES = 50_000
GOAL_SECONDS = 5.0
BENCH_MONTH = dt.date(2099, 12, 1)  # a month no real payroll has
BENCH_NOTE = "bench_reconcile"


def _commune(unit: Unit) -> Unit:
    if unit.level == Level.COMMUNE:
        return unit
    found = (Unit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE, edition=unit.edition)
             .order_by("sort_key").first())
    if found is None:
        raise ValueError(f"{unit.name} has no commune")
    return found


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def make_payroll(unit: Unit, lines: int = LINES) -> Payroll:
    """A sent payroll of `lines` arrears lines of 500.000 đ for the unit's living members (set-based)."""
    commune = _commune(unit)
    members = list(Member.objects.filter(household__commune__path__startswith=unit.path, died_on__isnull=True)
                   .order_by("pk").values_list("pk", "household__commune_id", "household__hamlet_id")[:lines])
    if not members:
        raise ValueError(f"{unit.name} has no members: generate a demo province first")
    Payroll.objects.filter(note=BENCH_NOTE).delete()
    payroll = Payroll.objects.create(commune=commune, month=BENCH_MONTH, field="social_assistance",
                                     sequence=900, state=PayrollState.SENT, sent_at=timezone.now(),
                                     note=BENCH_NOTE, lines_count=lines, people_count=min(lines, len(members)),
                                     total=500_000 * lines)
    count = len(members)
    basis = LineRule.of("Truy lĩnh (bench)").pk

    def rows() -> Any:
        for i in range(lines):
            person, line_commune, hamlet = members[i % count]
            yield (payroll.pk, person, "social_assistance", _add_months(BENCH_MONTH, -(i // count) - 1), "arrears",
                   500_000, basis, False, line_commune, hamlet, "post", "", PayStatus.PENDING, "",
                   "")
    columns = ["payroll_id", "person_id", "scheme", "for_month", "kind", "amount", "basis_id",
               "provisional", "commune_id", "hamlet_id", "channel", "account_number", "status", "paid_to", "reason"]
    with transaction.atomic():
        insert_rows(PayrollLine, columns, rows())
    return payroll


def result_file(payroll: Payroll) -> bytes:
    """The agent's .xlsx for every line of the payroll (written in constant memory)."""
    book = Writer()
    sheet = book.sheet(SHEET)
    sheet.append([column.header for column in COLUMNS])
    day = dt.datetime(2026, 1, 5)
    for index, (pk, amount) in enumerate(PayrollLine.objects.filter(payroll=payroll).order_by("pk")
                                         .values_list("pk", "amount").iterator(chunk_size=5000)):
        bucket = index % 20
        if bucket == 0:
            sheet.append([f"L{pk}", "", amount, "Chưa nhận", None, None, None, "Vắng nhà"])
        elif bucket == 1:
            sheet.append([f"L{pk}", "", amount, "Nhận một phần", amount // 2, day, "Người được ủy quyền",
                          "Nhận một nửa"])
        else:
            sheet.append([f"L{pk}", "", amount, "Đã nhận", None, day, "Chính chủ"])
    return book.save()


def _reset(payroll: Payroll) -> None:
    PayrollLine.objects.filter(payroll=payroll).update(status=PayStatus.PENDING, paid_amount=None, paid_on=None,
                                                       paid_to="", reason="", result=None)
    ResultImport.objects.filter(payroll=payroll).delete()
    SuspensionProposal.objects.filter(from_month__gt=BENCH_MONTH).delete()
    Payroll.objects.filter(pk=payroll.pk).update(state=PayrollState.SENT, reconciled_at=None, reconciled_by=None)
    payroll.refresh_from_db()


def bench_reconcile(unit: Unit, runs: int = 3, *, lines: int = LINES) -> dict[str, Any]:
    """Times `apply_results` on a `lines`-line result file; see the module's docstring."""
    started = time.perf_counter()
    payroll = make_payroll(unit, lines)
    data = result_file(payroll)
    prepared = time.perf_counter() - started
    samples: list[float] = []
    cpu: list[float] = []
    try:
        for _ in range(max(1, runs)):
            _reset(payroll)
            began, began_cpu = time.perf_counter(), time.process_time()
            result = apply_results(data, actor=Actor.system(), payroll=payroll, name="bench.xlsx")
            samples.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
            assert result.rows == lines
        payroll.refresh_from_db()
        reconciled = payroll.state == PayrollState.RECONCILED
    finally:
        Payroll.objects.filter(pk=payroll.pk).delete()
    median = statistics.median(samples)
    load = [round(x, 2) for x in os.getloadavg()]
    text = (f"payments reconcile ({unit.name}): a result file of {format_number(lines)} lines "
            f"({format_number(len(data) // 1024)} KB) applied in {format_number(median, 2)} s median, max "
            f"{format_number(max(samples), 2)} s ({len(samples)} runs; goal ≤ {format_number(GOAL_SECONDS, 0)} s: "
            f"{'met' if median <= GOAL_SECONDS else 'NOT met'}; this process's CPU {format_number(statistics.median(cpu), 2)} "
            f"s); load average {load}")
    return {"text": text, "lines": lines, "bytes": len(data), "runs": len(samples), "median_s": round(median, 3),
            "max_s": round(max(samples), 3), "cpu_s": round(statistics.median(cpu), 3), "prepare_s": round(prepared, 3), "goal_s": GOAL_SECONDS,
            "met": median <= GOAL_SECONDS, "reconciled": reconciled,
            "load": load}


__all__ = ["GOAL_SECONDS", "LINES", "bench_reconcile", "make_payroll", "result_file"]
