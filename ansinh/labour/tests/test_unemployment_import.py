"""The unemployment import: the contract's columns, all or nothing, row errors, decided on import,
the CLI (`ansinh labour import-unemployment`, `ui-benefit`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.labour.models import DossierState, JobSearchReport, UnemploymentDossier
from ansinh.labour.unemployment_import import COLUMNS, import_unemployment, template_xlsx
from ansinh.lib.spreadsheets import read_rows
from ansinh.lib.tabular import ImportProblems

from .ui_helpers import communes, member, province, user

pytestmark = pytest.mark.django_db
HEADERS = ["Họ và tên", "Ngày sinh", "Số CCCD", "Ngày nộp hồ sơ", "Đơn vị làm việc cuối cùng", "Vùng",
           "Loại hợp đồng", "Ngày chấm dứt hợp đồng", "Số tháng đóng", "Tiền lương bình quân",
           "Lương theo chế độ Nhà nước", "Ngày quyết định", "Số quyết định"]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _people() -> list[tuple[str, str]]:
    commune = communes(province())[0]
    a = member(commune, name="Nguyễn Thị Lan", citizen_id="086190000101")
    b = member(commune, name="Thạch Văn Sóc", born=dt.date(1985, 1, 2), citizen_id="086185000102")
    return [(a.full_name, a.citizen_id or ""), (b.full_name, b.citizen_id or "")]


def test_it_has_the_contracts_headers() -> None:
    assert [c.header for c in COLUMNS] == HEADERS
    rows = list(read_rows(template_xlsx()))
    assert rows[0][1][:13] == HEADERS


def test_it_imports_and_decides_rows_with_a_decision_date() -> None:
    (a, aid), (b, bid) = _people()
    data = _csv([[a, "12/05/1990", aid, "01/10/2025", "Công ty A", "III", "", "15/09/2025", "48", "8000000", "Không",
                  "20/10/2025", "12/QĐ-SNV"],
                 [b, "02/01/1985", bid, "01/10/2025", "Công ty B", "2", "Mùa vụ", "15/09/2025", "11", "6000000", "",
                  "", ""]])
    result = import_unemployment(actor=Actor.system(), data=data, filename="hs.csv", province=province())
    assert result.created == 2 and result.granted == 1
    granted = UnemploymentDossier.objects.get(person__citizen_id=aid)
    assert granted.state == DossierState.GRANTED and granted.monthly_amount == 4_800_000
    assert granted.total_amount == 19_200_000 and granted.decision_number == "12/QĐ-SNV"
    assert JobSearchReport.objects.filter(dossier=granted).count() == 4
    waiting = UnemploymentDossier.objects.get(person__citizen_id=bid)
    assert waiting.state == DossierState.RECEIVED and waiting.region == 2 and waiting.contract_kind == "short"
    assert waiting.decision_due == dt.date(2025, 10, 29)
    assert AuditEvent.objects.filter(action=AuditAction.LABOUR_IMPORT).count() == 1


def test_it_refuses_the_whole_file_with_row_errors() -> None:
    (a, aid), (b, bid) = _people()
    data = _csv([[a, "12/05/1990", aid, "01/10/2025", "Công ty A", "III", "", "15/09/2025", "48", "8000000", "", "", ""],
                 [b, "02/01/1985", "086185999999", "01/10/2025", "Công ty B", "V", "", "15/09/2025", "x", "1", "", "", ""],
                 [a, "12/05/1990", aid, "10/09/2025", "Công ty A", "III", "", "15/09/2025", "48", "8000000", "", "",
                  ""]])
    with pytest.raises(ImportProblems) as caught:
        import_unemployment(actor=Actor.system(), data=data, filename="hs.csv", province=province())
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "không có trong sổ hộ của tỉnh" in text
    assert "Vùng" in text and "Số tháng đóng" in text
    assert "Ngày nộp hồ sơ phải sau ngày chấm dứt hợp đồng" in text
    assert not UnemploymentDossier.objects.exists()


def test_it_reports_duplicates_in_the_file_and_the_registry() -> None:
    (a, aid), _ = _people()
    row = [a, "12/05/1990", aid, "01/10/2025", "Công ty A", "III", "", "15/09/2025", "48", "8000000", "", "", ""]
    with pytest.raises(ImportProblems) as caught:
        import_unemployment(actor=Actor.system(), data=_csv([row, row]), filename="x.csv", province=province())
    assert "Trùng với dòng 2" in str(caught.value.problems[0])
    import_unemployment(actor=Actor.system(), data=_csv([row]), filename="x.csv", province=province())
    with pytest.raises(ImportProblems) as again:
        import_unemployment(actor=Actor.system(), data=_csv([row]), filename="x.csv", province=province())
    assert "đã có trong sổ" in str(again.value.problems[0])
    assert UnemploymentDossier.objects.count() == 1


def test_it_checks_the_importers_scope() -> None:
    (a, aid), _ = _people()
    outsider = user(province(), "ngheo", field="poverty")
    row = [a, "12/05/1990", aid, "01/10/2025", "Công ty A", "III", "", "15/09/2025", "48", "8000000", "", "", ""]
    with pytest.raises(ImportProblems) as caught:
        import_unemployment(actor=Actor(user=outsider), data=_csv([row]), filename="x.csv", province=province())
    assert caught.value.problems and not UnemploymentDossier.objects.exists()


def test_it_imports_from_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (a, aid), _ = _people()
    path = tmp_path / "hs.csv"
    path.write_bytes(_csv([[a, "12/05/1990", aid, "01/10/2025", "Công ty A", "III", "", "15/09/2025", "48", "8000000",
                            "", "20/10/2025", ""]]))
    out = StringIO()
    call_command("labour", "import-unemployment", str(path), "--unit", "86", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"created": 1}
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("labour", "import-unemployment", str(path), "--unit", "86", "--json", stdout=StringIO(),
                     stderr=err)
    assert exited.value.code == 1 and "đã có trong sổ" in err.getvalue()


def test_it_prints_the_benefit_on_the_command_line() -> None:
    out = StringIO()
    call_command("labour", "ui-benefit", "--contract-end", "2025-12-31", "--months", "48", "--average-salary",
                 "30000000", "--region", "1", "--state-pay-scale", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"monthly": 11_700_000, "months": 4, "starts": None}
    out = StringIO()
    call_command("labour", "ui-benefit", "--contract-end", "2026-01-01", "--months", "144", "--average-salary",
                 "30000000", "--region", "1", "--filed-on", "2026-01-05", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"monthly": 18_000_000, "months": 12, "starts": "2026-01-19"}
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("labour", "ui-benefit", "--contract-end", "2025-12-31", "--months", "11", "--average-salary",
                     "30000000", "--region", "1", "--json", stdout=StringIO(), stderr=err)
    assert exited.value.code == 1 and "cần đủ 12 tháng" in err.getvalue()


def test_it_imports_from_the_page_and_in_the_background(client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from ansinh.jobs.models import Job
    from ansinh.testing import login

    (a, aid), (b, bid) = _people()
    login(client, user(province(), "thu"))
    page = reverse("unemployment-import")
    assert client.get(page).status_code == 200
    template = client.get(reverse("unemployment-import-template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    bad = _csv([[a, "12/05/1990", "086190999999", "01/10/2025", "A", "III", "", "15/09/2025", "48", "8000000", "", "",
                 ""]])
    response = client.post(page, {"file": SimpleUploadedFile("x.csv", bad)})
    assert response.status_code == 400 and "không có trong sổ hộ" in response.content.decode()
    good = _csv([[a, "12/05/1990", aid, "01/10/2025", "A", "III", "", "15/09/2025", "48", "8000000", "", "", ""]])
    response = client.post(page, {"file": SimpleUploadedFile("x.csv", good), "check": "1"})
    assert response.status_code == 200 and not UnemploymentDossier.objects.exists()
    response = client.post(page, {"file": SimpleUploadedFile("x.csv", good)})
    assert response.status_code == 302 and UnemploymentDossier.objects.count() == 1
    settings.JOBS_DIR = str(tmp_path)
    settings.ANSINH_IMPORT_BACKGROUND_BYTES = 10
    later = _csv([[b, "02/01/1985", bid, "01/10/2025", "B", "IV", "", "15/09/2025", "30", "6000000", "", "20/10/2025",
                   ""]])
    response = client.post(page, {"file": SimpleUploadedFile("y.csv", later)})
    job = Job.objects.get(kind="labour.unemployment_import")
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    job.refresh_from_db()  # the tests' task backend runs the job at once
    assert job.status == "succeeded", job.message
    assert job.result == {"created": 1, "granted": 1, "refused": 0}
    assert UnemploymentDossier.objects.get(person__citizen_id=bid).import_job == job
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 200
