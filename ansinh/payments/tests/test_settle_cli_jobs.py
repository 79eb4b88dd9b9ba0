"""`ansinh payroll reconcile FILE [--json]`, `ansinh payroll template`, and the job
`payments.results_import` the upload page starts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from ansinh.accounts.audit import Actor
from ansinh.jobs.models import Job
from ansinh.payments.jobs_settle import RESULTS_IMPORT, results_import_start
from ansinh.payments.models import PayrollState, PayStatus
from ansinh.payments.results import COLUMNS, line_code

from . import settle_setup as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return s.world()


def _file(tmp_path: Path, rows: list[list[object]], name: str = "ketqua.csv") -> Path:
    path = tmp_path / name
    text = ",".join(c.header for c in COLUMNS) + "\n" + "\n".join(",".join(str(v) for v in r) for r in rows) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reconciles_from_the_command_line(w, tmp_path) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    path = _file(tmp_path, [[line_code(payroll.lines.get()), "", "", "Đã nhận", "", "05/10/2025", "", ""]])
    out = io.StringIO()
    call_command("payroll", "reconcile", str(path), "--json", "--as", "lan", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue()) == {"rows": 1, "paid": 1, "partly": 0, "not_paid": 0, "amount_paid": 500_000}
    payroll.refresh_from_db()
    assert payroll.state == PayrollState.RECONCILED


def test_it_prints_every_problem_and_fails(w, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s.payroll(entitlements=[w.ben.disability])
    path = _file(tmp_path, [["L999999", "", "", "Đã nhận", "", "05/10/2025"], ["L1", "", "", "Sai", "", ""]])
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("payroll", "reconcile", str(path), stdout=io.StringIO(), stderr=err)
    assert "không ghi gì" in str(error.value)
    assert "L999999" in err.getvalue() and "dòng 3" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("payroll", "reconcile", str(tmp_path / "none.csv"), stdout=io.StringIO())


def test_it_writes_the_template(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "mau.xlsx"
    call_command("payroll", "template", str(target), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(target)["Kết quả chi trả"]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    call_command("payroll", "template", str(tmp_path / "mau.csv"), "--csv", stdout=io.StringIO())
    assert (tmp_path / "mau.csv").read_text(encoding="utf-8-sig").startswith("Mã dòng,")


def test_it_runs_the_import_as_a_job(w, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_DIR = str(tmp_path)
    payroll = s.payroll(entitlements=[w.ben.disability])
    data = (",".join(c.header for c in COLUMNS) + "\n" + f"{line_code(payroll.lines.get())},,,Chưa nhận,,,,Vắng\n")
    upload = SimpleUploadedFile("ketqua.csv", data.encode())
    job = results_import_start(actor=Actor(user=w.who.lan), upload=upload, payroll=payroll)
    assert job.kind == RESULTS_IMPORT
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert payroll.lines.get().status == PayStatus.NOT_PAID
    bad = SimpleUploadedFile("sai.csv", "Mã dòng,Kết quả\nL1,Không rõ\n".encode())
    job = results_import_start(actor=Actor(user=w.who.lan), upload=bad, payroll=payroll)
    job.refresh_from_db()
    assert job.status == "failed" and job.result["problems"][0]["column"] == "Kết quả"
    assert Job.objects.filter(kind=RESULTS_IMPORT).count() == 2
