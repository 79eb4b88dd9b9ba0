"""The paying agent's result file: which lines of a payroll or a package were paid.

The law fixes the content, not the form (Circular 44/2022/TT-BTC Art. 8(4); Decree 20/2021/NĐ-CP
Art. 34(5)): before the 20th the agent reports who received the money and how much, who did not
(carried into next month's list) and the funds left. The form is ours: the documented template
(`results_template_xlsx`, also read as .csv with the same headers), provisional until agreed with
the provincial post office. One row per line of the signed list, found by the line code printed on
it (`line_code`: "L" + payroll line id, "G" + package line id):

| Column | Values |
|---|---|
| Mã dòng | the code printed on the list (required) |
| Họ và tên, Số tiền phải trả | copied from the list for the reader (not read) |
| Kết quả | Đã nhận / Nhận một phần / Chưa nhận (required) |
| Số tiền đã nhận | whole đồng; empty for "Đã nhận" = the whole amount; required for "Nhận một phần" |
| Ngày nhận | dd/mm/yyyy; required when something was received |
| Người nhận | who collected (the person, or someone authorised) |
| Lý do | why not collected (absent, moved, died, in hospital …) |

`apply_results` is all or nothing, as every import of the project: the file is read as a stream
(the spreadsheet reader refuses a huge or hostile workbook before it loads; a CSV is bounded in
rows and bytes), every cell and every row is checked (unknown line, a line twice, an amount above
the line's, a payroll not yet sent, a bad date …) and each problem is reported by row and column
in Vietnamese; only a clean file is written, in one transaction, with one prepared UPDATE run over
all the lines (no ORM object per line). Then a payroll with no pending line is reconciled, a
package too, and a person whose allowance was not collected for three months in a row gets a
suspension proposal (Circular 02/2021/TT-BLĐTBXH Art. 2(3)(a)) for an officer to decide.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.lib.spreadsheets import LimitError, Reader, SpreadsheetError, Writer, csv_rows
from ansinh.lib.tabular import Column, ImportProblems, Problem, Problems, Row, message, read_table, \
    record_refused, upload_max_bytes
from ansinh.lib.uploads import Source, read_source
from ansinh.lib.vietnamese import format_number

from . import access
from .models import (
    Package,
    PackageLine,
    PackageState,
    PayLineKind,
    Payroll,
    PayrollLine,
    PayrollState,
    PayStatus,
    ResultImport,
    SuspensionProposal,
)

SHEET = "Kết quả chi trả"
SHEET_GUIDE = "Hướng dẫn"
CHUNK = 5_000  # values per IN (...) query
UPDATE_BATCH = 5_000
SUSPEND_AFTER = 3  # consecutive months not collected (Circular 02/2021/TT-BLĐTBXH Art. 2(3)(a))
SUSPENSION_BASIS = "Điểm a khoản 3 Điều 2 Thông tư 02/2021/TT-BLĐTBXH"

H_CODE, H_NAME, H_DUE, H_RESULT = "Mã dòng", "Họ và tên", "Số tiền phải trả", "Kết quả"
H_PAID, H_DATE, H_TO, H_REASON = "Số tiền đã nhận", "Ngày nhận", "Người nhận", "Lý do"

RESULT_LABELS = {PayStatus.PAID.value: "Đã nhận", PayStatus.PARTLY.value: "Nhận một phần",
                 PayStatus.NOT_PAID.value: "Chưa nhận"}
RESULT_ALIASES = {"da nhan": "paid", "da chi": "paid", "da tra": "paid", "nhan mot phan": "partly",
                  "mot phan": "partly", "chi mot phan": "partly", "chua nhan": "not_paid", "khong nhan": "not_paid",
                  "chua chi": "not_paid", "partly paid": "partly", "not paid": "not_paid"}

COLUMNS = [
    Column(H_CODE, "code", "code", "Mã dòng in trên danh sách chi trả (L… cho bảng chi trả hằng tháng, G… cho gói hỗ "
           "trợ). Không sửa.", required=True, max_length=20, width=12, aliases=("Ma dong", "line_ref", "code")),
    Column(H_NAME, "name", "text", "Họ tên người hưởng, chép từ danh sách để dễ đối chiếu (không đọc lại).",
           max_length=200, width=26, informative=True),
    Column(H_DUE, "due", "raw", "Số tiền phải trả trên danh sách (không đọc lại).", width=14, informative=True),
    Column(H_RESULT, "status", "choice", "Đã nhận: nhận đủ số tiền; Nhận một phần: ghi số tiền đã nhận; Chưa nhận: "
           "số tiền được chuyển sang kỳ chi trả sau.", required=True, labels=RESULT_LABELS,
           choice_aliases=RESULT_ALIASES, width=15, aliases=("status",)),
    Column(H_PAID, "paid_amount", "money", "Số tiền đã nhận (đồng). Để trống khi Đã nhận: nhận đủ. Không được lớn hơn "
           "số tiền phải trả.", width=14, aliases=("amount_paid",)),
    Column(H_DATE, "paid_on", "date", "Ngày nhận tiền, dd/mm/yyyy (bắt buộc khi Đã nhận hoặc Nhận một phần).",
           width=12, aliases=("paid_on",)),
    Column(H_TO, "paid_to", "text", "Họ tên người nhận tiền (chính người hưởng hoặc người được ủy quyền).",
           max_length=150, width=22, aliases=("receiver_name",)),
    Column(H_REASON, "reason", "text", "Lý do chưa nhận hoặc nhận một phần (vắng nhà, chuyển đi, đã chết, nằm viện …).",
           max_length=255, width=30, aliases=("reason_not_paid",)),
]
PLACES = {column.header: i for i, column in enumerate(COLUMNS)}
_CODE = re.compile(r"^([LG])(\d{1,18})$")


ResultsError = ImportProblems  # the name the pages, the job and the CLI catch


def line_code(line: PayrollLine | PackageLine) -> str:
    """The code printed on the signed list and returned in the result file."""
    return f"L{line.pk}" if isinstance(line, PayrollLine) else f"G{line.pk}"


# --- Reading ----------------------------------------------------------------------------------


def _parse_file(data: bytes, problems: Problems) -> list[Row]:
    limit_rows = int(getattr(settings, "ANSINH_IMPORT_MAX_ROWS", 1_000_000))
    if data[:4] == b"PK\x03\x04":
        with Reader(data) as reader:
            sheet = next((name for name in reader.sheetnames if name == SHEET), reader.active)
            return read_table(reader.rows(sheet), SHEET, COLUMNS, problems, epoch=reader.epoch)
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("binary")
    return read_table(csv_rows(data, limit_rows), SHEET, COLUMNS, problems)


_KEYS = {column.key: column for column in COLUMNS}


def _parse_mappings(rows: Sequence[Mapping[str, Any]], problems: Problems) -> list[Row]:
    """Rows given as mappings (the demo, tests): by field key or Vietnamese header; parsed by
    the same column rules, numbered from 2 as if under a header row."""
    from ansinh.lib.tabular import ColumnParser

    by_header = {column.header: column for column in COLUMNS}
    parsers = {column.key: ColumnParser(column).parse for column in COLUMNS if not column.informative}
    out: list[Row] = []
    for number, given in enumerate(rows, start=2):
        raw = {(_KEYS.get(k) or by_header[k]).key: v for k, v in given.items() if k in _KEYS or k in by_header}
        values: dict[str, Any] = {}
        for key, parse in parsers.items():
            column = _KEYS[key]
            value = raw.get(key)
            if value is None or value == "":
                if column.required:
                    problems.add(SHEET, number, column.header, message(gettext_noop("Empty (a required column).")),
                                 order=(number, PLACES[column.header]))
                values[key] = column.default
                continue
            if key == "status" and value in RESULT_LABELS:
                values[key] = value
                continue
            if isinstance(value, (dt.date, int)) and key in ("paid_on", "paid_amount"):
                values[key] = value
                continue
            try:
                values[key] = parse(value)
            except Exception as error:  # CellError
                problems.add(SHEET, number, column.header, str(getattr(error, "message", error)),
                             order=(number, PLACES[column.header]))
                values[key] = None
        out.append(Row(SHEET, number, values))
    return out


# --- Checking ---------------------------------------------------------------------------------


@dataclass
class _Line:
    kind: str  # "L" or "G"
    pk: int
    amount: int
    status: str
    owner: int  # payroll or package id


@dataclass
class Plan:
    rows: list[Row]
    lines: dict[tuple[str, int], _Line]
    payrolls: dict[int, Payroll]
    packages: dict[int, Package]


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _add(problems: Problems, row: Row, column: str, text: str) -> None:
    problems.add(SHEET, row.number, column, text, order=(row.number, PLACES.get(column, -1)))


def _check(rows: list[Row], problems: Problems, *, user: Any, operator: bool, payroll: Payroll | None,
           package: Package | None) -> Plan:
    """Every row against the others and the lines (a few IN queries per 5.000 codes)."""
    seen: dict[str, int] = {}
    wanted: dict[str, list[int]] = {"L": [], "G": []}
    codes: dict[int, tuple[str, int]] = {}  # row number → (kind, pk)
    for row in rows:
        code = (row.values.get("code") or "").strip().upper()
        if not code:
            continue
        found = _CODE.match(code)
        if found is None:
            _add(problems, row, H_CODE, message(gettext_noop(
                "“%(code)s” is not a line code: copy the code printed on the list (L or G followed by digits)."),
                code=code))
            continue
        if code in seen:
            _add(problems, row, H_CODE, message(gettext_noop(
                "The line %(code)s is already in row %(row)s of the file: a line has one result."), code=code,
                row=seen[code]))
            continue
        seen[code] = row.number
        kind, pk = found.group(1), int(found.group(2))
        wanted[kind].append(pk)
        codes[row.number] = (kind, pk)
    lines: dict[tuple[str, int], _Line] = {}
    for pks in _chunks(wanted["L"]):
        for pk, amount, status, owner in (PayrollLine.objects.filter(pk__in=pks).order_by()
                                          .values_list("pk", "amount", "status", "payroll_id")):
            lines[("L", pk)] = _Line("L", pk, amount, status, owner)
    for pks in _chunks(wanted["G"]):
        for pk, amount, status, owner in (PackageLine.objects.filter(pk__in=pks).order_by()
                                          .values_list("pk", "amount", "status", "package_id")):
            lines[("G", pk)] = _Line("G", pk, amount, status, owner)
    payrolls = {p.pk: p for p in Payroll.objects.filter(
        pk__in={line.owner for line in lines.values() if line.kind == "L"}).select_related("commune")}
    packages = {p.pk: p for p in Package.objects.filter(
        pk__in={line.owner for line in lines.values() if line.kind == "G"}).select_related("unit")}
    allowed: dict[tuple[str, int], str | None] = {}  # owner → the reason it takes no result, None if it does
    for pk, found_payroll in payrolls.items():
        reason: str | None = None
        if payroll is not None and pk != payroll.pk:
            reason = message(gettext_noop("The line %(code)s belongs to another payroll: upload its results on that "
                                          "payroll's page."), code="%(code)s")
        elif found_payroll.state != PayrollState.SENT:
            reason = message(gettext_noop("The line %(code)s belongs to a payroll that is %(state)s: only a payroll "
                                          "sent to the paying agent takes results."), code="%(code)s",
                             state=found_payroll.get_state_display())
        elif not operator and not access.may_prepare_payroll(user, found_payroll.commune, found_payroll.field):
            reason = message(gettext_noop("The line %(code)s belongs to a payroll you may not reconcile."),
                             code="%(code)s")
        allowed[("L", pk)] = reason
    for pk, found_package in packages.items():
        reason = None
        if package is not None and pk != package.pk:
            reason = message(gettext_noop("The line %(code)s belongs to another package: upload its results on that "
                                          "package's page."), code="%(code)s")
        elif found_package.state not in (PackageState.FROZEN, PackageState.RECONCILED):
            reason = message(gettext_noop("The line %(code)s belongs to a package whose list is not frozen yet."),
                             code="%(code)s")
        elif not operator and not access.may_run_package(user, found_package.unit, found_package.field):
            reason = message(gettext_noop("The line %(code)s belongs to a package you may not reconcile."),
                             code="%(code)s")
        allowed[("G", pk)] = reason
    if payroll is not None and package is not None:
        raise ValueError("a result file is applied to a payroll or to a package, not both")
    today = timezone.localdate()
    bad = {(p.row, p.column) for p in problems.problems}  # cells the reader refused
    kept: list[Row] = []
    for row in rows:
        where = codes.get(row.number)
        if where is None:
            continue
        code = f"{where[0]}{where[1]}"
        line = lines.get(where)
        if line is None:
            _add(problems, row, H_CODE, message(gettext_noop(
                "No line has the code %(code)s: check the code against the list sent to the paying agent."),
                code=code))
            continue
        reason = allowed.get((line.kind, line.owner))
        if reason is not None:
            _add(problems, row, H_CODE, str(reason).replace("%(code)s", code))
            continue
        if line.status != PayStatus.PENDING:
            _add(problems, row, H_CODE, message(gettext_noop(
                "The line %(code)s already has a result (%(status)s) from an earlier file."), code=code,
                status=PayStatus(line.status).label))
            continue
        if _check_values(row, line, problems, code, today, bad):
            row.values["_line"] = line
            kept.append(row)
    return Plan(rows=kept, lines=lines, payrolls=payrolls, packages=packages)


def _check_values(row: Row, line: _Line, problems: Problems, code: str, today: dt.date,
                  bad: set[tuple[int, str]]) -> bool:
    v = row.values
    status, amount, paid_on = v.get("status"), v.get("paid_amount"), v.get("paid_on")
    if status is None:
        return False  # reported by the reader
    due = abs(line.amount)
    ok = True
    if status == PayStatus.PAID:
        if amount is None:
            v["paid_amount"] = due
        elif amount > due:
            _add(problems, row, H_PAID, message(gettext_noop(
                "%(paid)s đồng is more than the %(due)s đồng of line %(code)s."), paid=format_number(amount),
                due=format_number(due), code=code))
            ok = False
        elif amount < due:
            _add(problems, row, H_PAID, message(gettext_noop(
                "%(paid)s đồng is less than the %(due)s đồng of line %(code)s: write “Nhận một phần” as the result."),
                paid=format_number(amount), due=format_number(due), code=code))
            ok = False
    elif status == PayStatus.PARTLY:
        if amount is None:
            _add(problems, row, H_PAID, message(gettext_noop("Empty: write the amount received.")))
            ok = False
        elif amount > due:
            _add(problems, row, H_PAID, message(gettext_noop(
                "%(paid)s đồng is more than the %(due)s đồng of line %(code)s."), paid=format_number(amount),
                due=format_number(due), code=code))
            ok = False
        elif amount == 0 or amount == due:
            _add(problems, row, H_PAID, message(gettext_noop(
                "A part is more than 0 and less than the %(due)s đồng of the line: write “Đã nhận” or “Chưa nhận” "
                "otherwise."), due=format_number(due)))
            ok = False
    else:  # not paid
        if amount:
            _add(problems, row, H_PAID, message(gettext_noop(
                "A line not collected has no amount received: leave the cell empty, or write “Nhận một phần”.")))
            ok = False
        v["paid_amount"] = 0
        if paid_on is not None:
            _add(problems, row, H_DATE, message(gettext_noop(
                "A line not collected has no date received: leave the cell empty.")))
            ok = False
    if status in (PayStatus.PAID, PayStatus.PARTLY):
        if paid_on is None:
            if (row.number, H_DATE) not in bad:
                _add(problems, row, H_DATE, message(gettext_noop("Empty: write the date the money was received.")))
            ok = False
        elif paid_on > today:
            _add(problems, row, H_DATE, message(gettext_noop("The date %(date)s is after today."),
                                                date=f"{paid_on:%d/%m/%Y}"))
            ok = False
    return ok


# --- Writing ----------------------------------------------------------------------------------


def _update(model: type[Model], rows: Iterable[Sequence[Any]]) -> int:
    """Every line's result in one UPDATE … FROM a temporary table filled with one prepared INSERT
    (executemany): set-based, no ORM object per line. (An UPDATE per line, even prepared, grew
    worse than linearly on SQLite: 1,8 s for 10.000 lines, 37 s for 50.000.)"""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ["status", "paid_amount", "paid_on", "paid_to", "reason", "result_id"]
    temp = quote("settle_results")
    adapt = connection.ops.adapt_datefield_value
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} (line_id bigint PRIMARY KEY, status varchar(10), "
                       f"paid_amount bigint, paid_on date, paid_to varchar(150), reason varchar(255), "
                       f"result_id bigint)")
        insert = f"INSERT INTO {temp} (line_id, {', '.join(names)}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
        while chunk := list(islice(iterator, UPDATE_BATCH)):
            cursor.executemany(insert, [(line, status, amount, adapt(on), to, reason, result)
                                        for status, amount, on, to, reason, result, line in chunk])
            count += len(chunk)
        if count:
            assignments = ", ".join(f"{quote(name)} = r.{quote(name)}" for name in names)
            cursor.execute(f"UPDATE {table} SET {assignments} FROM {temp} AS r WHERE {table}.{quote('id')} = r.line_id")
        cursor.execute(f"DROP TABLE {temp}")
    return count


def _reconcile_payroll(payroll: Payroll, actor: Actor) -> None:
    """The payroll lane's transition (checks the role and the control totals, audits). A payroll
    whose control totals no longer match stays sent; the results are kept."""
    from ansinh.payments.payroll import mark_reconciled

    try:
        mark_reconciled(payroll, actor=actor)
    except ValidationError:
        pass


def _vn_month(month: dt.date) -> str:
    return f"{month.month:02d}/{month.year}"


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def propose_suspensions(payroll_ids: Iterable[int], *, actor: Actor) -> int:
    """For the people of these payrolls whose month's allowance was not collected (`not_paid`) in
    three consecutive months up to the payroll's month (Circular 02/2021/TT-BLĐTBXH Art.
    2(3)(a)), a proposal to suspend their entitlement from the month after (one per entitlement
    and month). A few set-based queries; returns how many proposals were made."""
    ids = list(payroll_ids)
    if not ids:
        return 0
    months = dict(Payroll.objects.filter(pk__in=ids).values_list("pk", "month"))
    candidates = set(PayrollLine.objects.filter(payroll_id__in=ids, kind="month", status=PayStatus.NOT_PAID,
                                                entitlement__isnull=False)
                     .values_list("person_id", "scheme", "payroll_id"))
    if not candidates:
        return 0
    people = sorted({person for person, _, _ in candidates})
    # The month lines of these people over the three months of each payroll.
    earliest = _add_months(min(months.values()), -(SUSPEND_AFTER - 1))
    history: dict[tuple[int, str], dict[dt.date, tuple[str, int | None, int]]] = defaultdict(dict)
    for chunk in _chunks(people):
        for person, scheme, month, status, ent, commune in (
                PayrollLine.objects.filter(person_id__in=chunk, kind="month", for_month__gte=earliest)
                .order_by().values_list("person_id", "scheme", "for_month", "status", "entitlement_id",
                                        "commune_id")):
            history[(person, scheme)][month] = (status, ent, commune)
    proposals: list[SuspensionProposal] = []
    for person, scheme, payroll_id in sorted(candidates):
        last = months[payroll_id]
        window = [_add_months(last, -k) for k in range(SUSPEND_AFTER - 1, -1, -1)]
        seen = history.get((person, scheme), {})
        if not all(seen.get(m, ("",))[0] == PayStatus.NOT_PAID for m in window):
            continue
        _, entitlement_id, commune_id = seen[last]
        if entitlement_id is None:
            continue
        proposals.append(SuspensionProposal(
            entitlement_id=entitlement_id, person_id=person, commune_id=commune_id, scheme=scheme,
            months=", ".join(_vn_month(m) for m in window), from_month=_add_months(last, 1),
            legal_basis=SUSPENSION_BASIS))
    if not proposals:
        return 0
    existing = set(SuspensionProposal.objects.filter(
        entitlement_id__in=[p.entitlement_id for p in proposals]).values_list("entitlement_id", "from_month"))
    fresh = [p for p in proposals if (p.entitlement_id, p.from_month) not in existing]
    SuspensionProposal.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
    if fresh:
        audit.record(actor=actor, action=AuditAction.SUSPENSION_PROPOSE, obj=SuspensionProposal,
                     after={"proposals": len(fresh), "payrolls": ids, "basis": SUSPENSION_BASIS})
    return len(fresh)


def _write(plan: Plan, *, actor: Actor, name: str, payroll: Payroll | None,
           package: Package | None) -> ResultImport:
    user = user_of(actor)
    owners_l = sorted({row.values["_line"].owner for row in plan.rows if row.values["_line"].kind == "L"})
    owners_g = sorted({row.values["_line"].owner for row in plan.rows if row.values["_line"].kind == "G"})
    if payroll is None and package is None:
        payroll = plan.payrolls[owners_l[0]] if len(owners_l) == 1 and not owners_g else None
        package = plan.packages[owners_g[0]] if len(owners_g) == 1 and not owners_l else None
    counts = {PayStatus.PAID: 0, PayStatus.PARTLY: 0, PayStatus.NOT_PAID: 0}
    amount_paid = 0
    for row in plan.rows:
        counts[row.values["status"]] += 1
        amount_paid += row.values["paid_amount"] or 0
    result = ResultImport.objects.create(
        payroll=payroll, package=package, file_name=name[:255], rows=len(plan.rows), paid=counts[PayStatus.PAID],
        partly=counts[PayStatus.PARTLY], not_paid=counts[PayStatus.NOT_PAID], amount_paid=amount_paid,
        imported_by=user)

    def values(kind: str) -> Iterator[tuple[Any, ...]]:
        for row in plan.rows:
            line: _Line = row.values["_line"]
            if line.kind != kind:
                continue
            v = row.values
            paid = v["paid_amount"] or 0
            yield (v["status"], -paid if line.amount < 0 else paid, v.get("paid_on"), (v.get("paid_to") or "")[:150],
                   (v.get("reason") or "")[:255], result.pk, line.pk)

    _update(PayrollLine, values("L"))
    _update(PackageLine, values("G"))
    audit.record(actor=actor, action=AuditAction.PAYMENT_RESULTS_IMPORT, obj=result,
                 unit=payroll.commune if payroll else package.unit if package else None,
                 after={"file": name, "rows": len(plan.rows), "paid": counts[PayStatus.PAID],
                        "partly": counts[PayStatus.PARTLY], "not_paid": counts[PayStatus.NOT_PAID],
                        "amount_paid": amount_paid, "payrolls": owners_l, "packages": owners_g})
    # Reconciled when nothing is pending any more.
    pending_l = set(PayrollLine.objects.filter(payroll_id__in=owners_l, status=PayStatus.PENDING)
                    .exclude(kind=PayLineKind.RECOVERY).order_by()
                    .values_list("payroll_id", flat=True).distinct())
    for pk in owners_l:
        if pk not in pending_l:
            _reconcile_payroll(plan.payrolls[pk], actor)
    pending_g = set(PackageLine.objects.filter(package_id__in=owners_g, status=PayStatus.PENDING).order_by()
                    .values_list("package_id", flat=True).distinct())
    for pk in owners_g:
        found = plan.packages[pk]
        if pk not in pending_g and found.state != PackageState.RECONCILED:
            Package.objects.filter(pk=pk).update(state=PackageState.RECONCILED, version=found.version + 1)
            found.state = PackageState.RECONCILED
            audit.record(actor=actor, action=AuditAction.PACKAGE_UPDATE, obj=found, unit=found.unit,
                         before={"state": PackageState.FROZEN}, after={"state": PackageState.RECONCILED})
    propose_suspensions(owners_l, actor=actor)
    return result


def _counted(plan: Plan, name: str) -> ResultImport:
    counts = {PayStatus.PAID: 0, PayStatus.PARTLY: 0, PayStatus.NOT_PAID: 0}
    for row in plan.rows:
        counts[row.values["status"]] += 1
    return ResultImport(file_name=name[:255], rows=len(plan.rows), paid=counts[PayStatus.PAID],
                        partly=counts[PayStatus.PARTLY], not_paid=counts[PayStatus.NOT_PAID],
                        amount_paid=sum(row.values["paid_amount"] or 0 for row in plan.rows))


def apply_results(rows_or_file: Source | Sequence[Mapping[str, Any]], *, actor: Actor, payroll: Payroll | None = None,
                  package: Package | None = None, name: str = "", dry_run: bool = False) -> ResultImport:
    """Checks the whole file (or the rows given as mappings), then records every line's result in
    one transaction, or nothing. With `payroll` (or `package`), every line must be one of its;
    without, the codes say which (the CLI). The actor must be one who may reconcile the payroll
    or package (an operator's run without a user, the CLI without --as, may reconcile any).
    Raises ResultsError (`ImportProblems`) listing every problem by row and column. With
    `dry_run`, only checks: the ResultImport returned is not saved and nothing is written."""
    if payroll is not None and package is not None:
        raise ValueError("a result file is applied to a payroll or to a package, not both")
    if not isinstance(actor, Actor):
        actor = Actor(user=actor)
    user = user_of(actor)
    operator = user is None
    problems = Problems()
    rows: list[Row] = []
    try:
        with translation.override("vi"):
            try:
                if isinstance(rows_or_file, (bytes, str, Path)) or hasattr(rows_or_file, "read"):
                    data, file_name = read_source(rows_or_file)  # type: ignore[arg-type]
                    name = name or file_name
                    rows = _parse_file(data, problems)
                else:
                    rows = _parse_mappings(list(rows_or_file), problems)  # type: ignore[arg-type]
            except LimitError as error:
                raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file was not read: %(reason)s."),
                                                                 reason=error))]) from None
            except SpreadsheetError:
                raise ImportProblems([Problem("", 0, "", message(gettext_noop(
                    "The file cannot be read: an Excel .xlsx file or a .csv file (UTF-8) with the template's columns "
                    "is needed.")))]) from None
            if not problems.broken:
                if not rows:
                    problems.add(SHEET, 0, "", message(gettext_noop("The file has no result row.")))
                plan = _check(rows, problems, user=user, operator=operator, payroll=payroll, package=package)
            problems.raise_if_any()
        if dry_run:
            return _counted(plan, name)
        with transaction.atomic():
            # Lock the payrolls and packages, then check again that nothing changed meanwhile.
            states = dict(Payroll.objects.select_for_update().filter(pk__in=list(plan.payrolls))
                          .values_list("pk", "state"))
            if any(states.get(pk) != p.state for pk, p in plan.payrolls.items()):
                raise ImportProblems([Problem("", 0, "", message(gettext_noop(
                    "A payroll of the file changed while it was checked: upload the file again.")))])
            list(Package.objects.select_for_update().filter(pk__in=list(plan.packages)).values_list("pk"))
            pending = {"L": [r.values["_line"].pk for r in plan.rows if r.values["_line"].kind == "L"],
                       "G": [r.values["_line"].pk for r in plan.rows if r.values["_line"].kind == "G"]}
            taken = 0
            for kind, model in (("L", PayrollLine), ("G", PackageLine)):
                for chunk in _chunks(pending[kind]):
                    taken += model.objects.filter(pk__in=chunk).exclude(status=PayStatus.PENDING).count()
            if taken:
                raise ImportProblems([Problem("", 0, "", message(gettext_noop(
                    "Results for some lines of the file were recorded meanwhile: upload the file again.")))])
            return _write(plan, actor=actor, name=name, payroll=payroll, package=package)
    except ImportProblems as refused:
        record_refused(actor=actor, kind="payment_results", name=name, rows=len(rows), problems=refused.problems,
                       check=dry_run)
        raise


# --- The template -----------------------------------------------------------------------------


GUIDE_STEPS = [
    f"Sheet «{SHEET}»: mỗi dòng là kết quả chi trả của một dòng trên danh sách chi trả đã gửi tổ chức dịch vụ chi trả.",
    "Mã dòng: chép đúng mã in ở cột «Mã dòng» của danh sách (L… bảng chi trả hằng tháng, G… gói hỗ trợ).",
    "Kết quả: Đã nhận (nhận đủ), Nhận một phần (ghi số tiền đã nhận), Chưa nhận (chuyển sang kỳ chi trả sau; "
    "chưa nhận 03 tháng liên tục thì hệ thống đề xuất tạm dừng trợ cấp theo điểm a khoản 3 Điều 2 Thông tư "
    "02/2021/TT-BLĐTBXH).",
    "Số tiền đã nhận không được lớn hơn số tiền phải trả. Ngày nhận bắt buộc khi đã nhận tiền.",
    "Mỗi dòng chỉ ghi một lần. Có thể gửi nhiều tệp cho một danh sách (mỗi tệp một phần), dòng đã có kết quả không "
    "ghi lại.",
    "Tải tệp (.xlsx hoặc .csv UTF-8 cùng tiêu đề cột) lên trang bảng chi trả, hoặc chạy lệnh: "
    "ansinh payroll reconcile TÊN_TỆP --as TÊN_ĐĂNG_NHẬP",
    "Hệ thống kiểm tra toàn bộ tệp trước khi ghi: chỉ cần một dòng sai là không dòng nào được ghi, mỗi lỗi được báo "
    "theo dòng, cột.",
    "Mẫu tệp này là tạm thời, sẽ thống nhất với tổ chức dịch vụ chi trả (Bưu điện tỉnh).",
]


def results_template_xlsx(lines: Iterable[PayrollLine | PackageLine] = ()) -> bytes:
    """The result template; with `lines`, prefilled with their codes, names and amounts (the
    agent fills the result columns)."""
    workbook = Writer(constant_memory=False)
    border = {"border": 1, "border_color": "#A0A8B4"}
    centre = {"text_wrap": True, "valign": "vcenter", "align": "center"}
    required = workbook.format(bold=True, bg_color="#F8CBAD", **border, **centre)
    optional = workbook.format(bold=True, bg_color="#DDEBF7", **border, **centre)
    text = workbook.format(num_format="@")
    money = workbook.format(num_format="#,##0")
    date = workbook.format(num_format="DD/MM/YYYY")
    wrap_box = workbook.format(text_wrap=True, valign="top", **border)
    sheet = workbook.sheet(SHEET)
    guide = workbook.sheet(SHEET_GUIDE)
    lists = workbook.sheet("Danh mục")
    lists.append([("Kết quả", workbook.format(bold=True))])
    for label in RESULT_LABELS.values():
        lists.append([label])
    for index, column in enumerate(COLUMNS, start=1):
        note = f"{column.note}\nGiá trị: {column.allowed_text()}."
        sheet.comment(1, index, ("Bắt buộc. " if column.required else "") + note, author="ansinh", width=320,
                      height=120)
        fmt = text if column.kind in ("code", "text") else date if column.kind == "date" else money \
            if column.kind == "money" or column.key == "due" else None
        sheet.widths([column.width], first=index, formats=[fmt])
        if column.kind == "choice":
            sheet.drop_down(index, source="'Danh mục'!$A$2:$A$4", error="Chọn Đã nhận, Nhận một phần hoặc Chưa nhận.",
                            error_title=column.header)
    sheet.append([(c.header, required if c.required else optional) for c in COLUMNS], height=36)
    sheet.freeze(1, 1)
    for line in lines:
        person = getattr(line, "person", None)
        sheet.append([(line_code(line), text), person.full_name if person is not None else "",
                      (abs(line.amount), money)])
    guide.append([("HƯỚNG DẪN GHI KẾT QUẢ CHI TRẢ", workbook.format(bold=True, font_size=14))])
    guide.append([])
    for number, step in enumerate(GUIDE_STEPS, start=1):
        guide.append([f"{number}.", (step, workbook.format(text_wrap=True, valign="top"))], height=32, merge=[(2, 6)])
    guide.append([])
    guide.append([(t, optional) for t in ["Cột", "Bắt buộc", "Giá trị cho phép", "Giải thích"]])
    for column in COLUMNS:
        guide.append([(t or None, wrap_box) for t in [column.header, "Có" if column.required else "",
                                                       column.allowed_text(), column.note]])
    guide.widths([24, 9, 30, 90])
    sheet.activate()
    return workbook.save()


def results_template_csv() -> bytes:
    """The template as CSV: the header line, UTF-8 with a BOM (Excel opens it in Vietnamese)."""
    out = io.StringIO()
    csv.writer(out).writerow([column.header for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def results_file_name(result: ResultImport) -> str:
    return result.file_name


__all__ = ["COLUMNS", "ResultsError", "SUSPENSION_BASIS", "apply_results", "line_code", "propose_suspensions",
           "results_template_csv", "results_template_xlsx"]
