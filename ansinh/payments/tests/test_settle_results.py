"""The paying agent's result file: all or nothing, every problem by row and column in Vietnamese,
the payroll reconciled when nothing is pending, three months uncollected proposes a suspension."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.benefits.tests.pages_setup import more_disabled
from ansinh.lib.tabular import ImportProblems
from ansinh.payments.models import PackageState, PayrollLine, PayrollState, PayStatus, ResultImport, \
    SuspensionProposal
from ansinh.payments.results import COLUMNS, apply_results, line_code, results_template_csv, results_template_xlsx

from . import settle_setup as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return s.world()


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kết quả chi trả"
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[object]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([c.header for c in COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _messages(error: pytest.ExceptionInfo[ImportProblems]) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, str(p.message)) for p in error.value.problems]


def test_it_codes_lines_by_kind(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    line = payroll.lines.get()
    assert line_code(line) == f"L{line.pk}"
    package = s.package(people=[w.ben.ba])
    assert line_code(package.lines.get()) == f"G{package.lines.get().pk}"


def test_it_applies_a_clean_file_and_reconciles_the_payroll(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(2)])
    a, b, c = payroll.lines.order_by("pk")
    data = _xlsx([
        [line_code(a), "Thạch Văn Sóc", 500000, "Đã nhận", None, "05/10/2025", "Thạch Văn Sóc"],
        [line_code(b), "", 500000, "Nhận một phần", "200.000", dt.datetime(2025, 10, 6), "Con gái", "Thiếu tiền lẻ"],
        [line_code(c), "", 500000, "Chưa nhận", None, None, None, "Vắng nhà"],
    ])
    result = apply_results(data, actor=Actor(user=w.who.lan), payroll=payroll, name="ketqua.xlsx")
    assert (result.rows, result.paid, result.partly, result.not_paid, result.amount_paid) == (3, 1, 1, 1, 700_000)
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.status, a.paid_amount, a.paid_on, a.paid_to) == ("paid", 500_000, dt.date(2025, 10, 5), "Thạch Văn Sóc")
    assert (b.status, b.paid_amount, b.reason) == ("partly", 200_000, "Thiếu tiền lẻ")
    assert (c.status, c.paid_amount, c.paid_on, c.reason) == ("not_paid", 0, None, "Vắng nhà")
    assert a.result_id == result.pk
    payroll.refresh_from_db()
    assert payroll.state == PayrollState.RECONCILED
    assert AuditEvent.objects.filter(action="payment_results.import").count() == 1
    assert AuditEvent.objects.filter(action="payroll.reconcile").count() == 1


def test_it_reads_csv_with_semicolons_and_keeps_a_payroll_sent_while_lines_are_pending(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(1)])
    a, _b = payroll.lines.order_by("pk")
    data = _csv([[line_code(a), "", "", "Da nhan", "", "2025-10-05", "", ""]], delimiter=";")
    apply_results(data, actor=Actor(user=w.who.lan), payroll=payroll)
    payroll.refresh_from_db()
    assert payroll.state == PayrollState.SENT
    assert PayrollLine.objects.filter(payroll=payroll, status=PayStatus.PENDING).count() == 1


def test_it_refuses_a_bad_file_whole_and_reports_each_row_and_field(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(3)])
    a, b, c, d = payroll.lines.order_by("pk")
    data = _xlsx([
        [line_code(a), "", "", "Đã nhận", None, "05/10/2025"],  # fine
        ["L99999999", "", "", "Đã nhận", None, "05/10/2025"],  # unknown
        [line_code(b), "", "", "Nhận một phần", 900000, "05/10/2025"],  # above the line's amount
        [line_code(a), "", "", "Đã nhận", None, "05/10/2025"],  # twice
        [line_code(c), "", "", "Đã nhận", None, "31/02/2025"],  # bad date
        [line_code(d), "", "", "Có lẽ", None, None],  # bad result
        ["XYZ", "", "", "Đã nhận", None, "05/10/2025"],  # not a code
        [line_code(d), "", "", "Đã nhận", None, "05/10/2099"],  # twice and in the future
    ])
    with pytest.raises(ImportProblems) as error:
        apply_results(data, actor=Actor(user=w.who.lan), payroll=payroll)
    found = _messages(error)
    rows = {(row, column) for row, column, _ in found}
    assert (3, "Mã dòng") in rows and (4, "Số tiền đã nhận") in rows and (5, "Mã dòng") in rows
    assert (6, "Ngày nhận") in rows and (7, "Kết quả") in rows and (8, "Mã dòng") in rows and (9, "Mã dòng") in rows
    text = " | ".join(m for _, _, m in found)
    assert "Không có dòng nào mang mã L99999999" in text
    assert "lớn hơn" in text and "đã có ở dòng 2" in text and "không có ngày 31" in text
    assert not PayrollLine.objects.exclude(status=PayStatus.PENDING).exists()
    assert not ResultImport.objects.exists()
    assert AuditEvent.objects.filter(action="import.refused").count() == 1


def test_it_refuses_lines_of_a_payroll_not_sent(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability], state=PayrollState.APPROVED)
    line = payroll.lines.get()
    with pytest.raises(ImportProblems) as error:
        apply_results([{"code": line_code(line), "status": "paid", "paid_on": "05/10/2025"}],
                      actor=Actor(user=w.who.lan))
    assert "đã duyệt" in _messages(error)[0][2]
    assert line.__class__.objects.get(pk=line.pk).status == PayStatus.PENDING


def test_it_refuses_a_line_of_another_payroll_and_one_already_reported(w) -> None:  # type: ignore[no-untyped-def]
    first = s.payroll(entitlements=[w.ben.disability])
    other = s.payroll(dt.date(2025, 11, 1), entitlements=[w.ben.disability])
    line = other.lines.get()
    with pytest.raises(ImportProblems) as error:
        apply_results([{"code": line_code(line), "status": "not_paid"}], actor=Actor(user=w.who.lan), payroll=first)
    assert "bảng chi trả khác" in _messages(error)[0][2]
    apply_results([{"code": line_code(line), "status": "not_paid"}], actor=Actor(user=w.who.lan), payroll=other)
    s.payroll(dt.date(2025, 12, 1), entitlements=[w.ben.disability])
    PayrollLine.objects.filter(pk=line.pk).update(status=PayStatus.NOT_PAID)
    other.state = PayrollState.SENT
    other.save()
    with pytest.raises(ImportProblems) as again:
        apply_results([{"code": line_code(line), "status": "not_paid"}], actor=Actor(user=w.who.lan), payroll=other)
    assert "đã có kết quả" in _messages(again)[0][2]


def test_it_refuses_someone_who_may_not_reconcile(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    line = payroll.lines.get()
    for user in (w.who.binh, w.who.cong, w.who.bao):
        with pytest.raises(ImportProblems):
            apply_results([{"code": line_code(line), "status": "not_paid"}], actor=Actor(user=user))
    assert PayrollLine.objects.get(pk=line.pk).status == PayStatus.PENDING


def test_it_checks_amounts_against_the_result(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability, *more_disabled(3)])
    a, b, c, d = payroll.lines.order_by("pk")
    rows = [
        {"code": line_code(a), "status": "paid", "paid_amount": 100_000, "paid_on": dt.date(2025, 10, 5)},
        {"code": line_code(b), "status": "partly", "paid_on": dt.date(2025, 10, 5)},
        {"code": line_code(c), "status": "not_paid", "paid_amount": 5, "paid_on": dt.date(2025, 10, 5)},
        {"code": line_code(d), "status": "paid"},
    ]
    with pytest.raises(ImportProblems) as error:
        apply_results(rows, actor=Actor(user=w.who.lan))
    found = {(row, column) for row, column, _ in _messages(error)}
    assert found == {(2, "Số tiền đã nhận"), (3, "Số tiền đã nhận"), (4, "Số tiền đã nhận"), (4, "Ngày nhận"),
                     (5, "Ngày nhận")}


@pytest.mark.parametrize("payload", [
    b"",
    b"\x00\x01\x02garbage" * 10,
    b"PK\x03\x04 not really a zip",
    "Mã dòng,Kết quả\n".encode("utf-16"),
])
def test_it_refuses_unreadable_files_with_one_clear_message(w, payload: bytes) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportProblems) as error:
        apply_results(payload, actor=Actor(user=w.who.lan))
    assert len(error.value.problems) == 1


def test_it_refuses_a_file_without_the_code_column(w) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportProblems) as error:
        apply_results("Họ và tên,Kết quả\nA,Đã nhận\n".encode(), actor=Actor(user=w.who.lan))
    assert "Mã dòng" in str(error.value.problems[0])


def test_it_refuses_a_zip_bomb_quickly(w, settings) -> None:  # type: ignore[no-untyped-def]
    import time

    settings.ANSINH_IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row r=\"1\"/>" + b" " * 50_000_000)
    started = time.perf_counter()
    with pytest.raises(ImportProblems) as error:
        apply_results(out.getvalue(), actor=Actor(user=w.who.lan))
    assert time.perf_counter() - started < 3
    assert "không đọc" in str(error.value.problems[0]).lower() or "MB" in str(error.value.problems[0])


def test_it_refuses_a_csv_over_the_row_limit(w, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ANSINH_IMPORT_MAX_ROWS = 10
    data = _csv([[f"L{i}", "", "", "Đã nhận", "", "05/10/2025"] for i in range(50)])
    with pytest.raises(ImportProblems) as error:
        apply_results(data, actor=Actor(user=w.who.lan))
    assert len(error.value.problems) == 1


def test_it_writes_in_a_constant_number_of_queries(w) -> None:  # type: ignore[no-untyped-def]
    def run(n: int) -> int:
        PayrollLine.objects.all().delete()
        from ansinh.payments.models import Payroll

        Payroll.objects.all().delete()
        ents = more_disabled(n, start=100 * n)
        payroll = s.payroll(entitlements=ents)
        rows = [{"code": line_code(x), "status": "paid", "paid_on": dt.date(2025, 10, 5)} for x in payroll.lines.all()]
        with CaptureQueriesContext(connection) as ctx:
            apply_results(rows, actor=Actor(user=w.who.lan), payroll=payroll)
        sqls = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        return len(sqls)

    run(2)  # caches warmed (content types, translations)
    assert run(3) == run(12)


def test_it_proposes_a_suspension_after_three_months_not_collected(w) -> None:  # type: ignore[no-untyped-def]
    ents = [w.ben.disability, *more_disabled(1)]
    for month in (dt.date(2025, 8, 1), dt.date(2025, 9, 1), dt.date(2025, 10, 1)):
        payroll = s.payroll(month, entitlements=ents)
        first, second = payroll.lines.order_by("pk")
        apply_results([{"code": line_code(first), "status": "not_paid", "reason": "Vắng nhà"},
                       {"code": line_code(second), "status": "paid" if month.month == 9 else "not_paid",
                        "paid_on": dt.date(2025, 9, 5) if month.month == 9 else None}],
                      actor=Actor(user=w.who.lan), payroll=payroll)
        assert SuspensionProposal.objects.count() == (1 if month.month == 10 else 0)
    proposal = SuspensionProposal.objects.get()
    assert proposal.entitlement_id == w.ben.disability.pk
    assert proposal.months == "08/2025, 09/2025, 10/2025"
    assert proposal.from_month == dt.date(2025, 11, 1)
    assert "02/2021/TT-BLĐTBXH" in proposal.legal_basis


def test_it_reconciles_package_lines(w) -> None:  # type: ignore[no-untyped-def]
    package = s.package(people=[w.ben.ba, w.ben.soc])
    a, b = package.lines.order_by("pk")
    apply_results([{"code": line_code(a), "status": "paid", "paid_on": dt.date(2026, 1, 25)},
                   {"code": line_code(b), "status": "not_paid"}], actor=Actor(user=w.who.lan), package=package)
    package.refresh_from_db()
    assert package.state == PackageState.RECONCILED


def test_it_refuses_package_lines_of_a_draft_package(w) -> None:  # type: ignore[no-untyped-def]
    package = s.package(people=[w.ben.ba], state=PackageState.DRAFT)
    with pytest.raises(ImportProblems):
        apply_results([{"code": line_code(package.lines.get()), "status": "not_paid"}], actor=Actor(user=w.who.lan))


def test_it_writes_a_template_that_reads_back(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    data = results_template_xlsx(payroll.lines.select_related("person"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Kết quả chi trả"]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert sheet.cell(2, 1).value == line_code(payroll.lines.get())
    assert sheet.cell(2, 3).value == 500000
    sheet.cell(2, 4).value = "Đã nhận"
    sheet.cell(2, 6).value = "05/10/2025"
    out = io.BytesIO()
    book.save(out)
    apply_results(out.getvalue(), actor=Actor(user=w.who.lan), payroll=payroll)
    assert payroll.lines.get().status == PayStatus.PAID
    assert results_template_csv().decode("utf-8-sig").startswith("Mã dòng,")
