"""Downloads of the plan's documents and the report's tables (scoped), the workbooks read back with
openpyxl, and the page where a province words an indicator's sentence."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from ansinh.accounts.models import AuditEvent
from ansinh.geo.models import Edition, Unit
from ansinh.plans.models import Indicator, IndicatorSentence
from ansinh.plans.tests.test_documents import communes_of, legacy, tra_cu_plan, tra_vinh_plan  # noqa: F401
from conftest import login

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_it_plan_document_download(client, people, tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    login(client, people.minh)
    response = client.get(f"/plans/{tra_vinh_plan.pk}/document.docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-15-kh-sldtbxh-2020.docx"'
    document = Document(io.BytesIO(response.content))
    assert "Số: 15/KH-SLĐTBXH" in [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
    assert "KẾ HOẠCH" in paragraphs(response.content)


def test_it_outsiders_get_404(client, people, tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    login(client, people.hoa)
    for url in ("document.docx", "appendix.xlsx", "report.docx?period=2020-Q1", "report.xlsx?period=2020-Q1"):
        assert client.get(f"/plans/{tra_vinh_plan.pk}/{url}").status_code == 404, url
    client.logout()
    assert client.get(f"/plans/{tra_vinh_plan.pk}/document.docx").status_code == 302  # to the login page


def test_it_report_document_and_its_checks(client, people, tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    login(client, people.minh)
    url = f"/plans/{tra_vinh_plan.pk}/report.docx"
    response = client.get(url, {"period": "2020-Q1"})
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2020-q1-tinh-tra-vinh.docx"'
    text = paragraphs(response.content)
    assert any(t.startswith("- Giải quyết việc làm cho 7.645 lao động, đạt 33,2% so với kế hoạch") for t in text)
    assert client.get(url, {"period": "2020-Q5"}).status_code == 400
    assert client.get(url).status_code == 400
    assert client.get(url, {"period": "2021-Q1"}).status_code == 400  # not the plan's year
    district = legacy("849")
    response = client.get(url, {"period": "2020-Q1", "unit": district.pk})
    assert response.status_code == 200 and "ỦY BAN NHÂN DÂN\nHUYỆN TRÀ CÚ" in [
        p.text for p in Document(io.BytesIO(response.content)).tables[0].rows[0].cells[0].paragraphs]
    outside = Unit.objects.get(edition=Edition.LEGACY, code="564")  # Đông Hòa, Phú Yên: not in the plan's area
    login(client, people.tung)
    assert client.get(url, {"period": "2020-Q1", "unit": outside.pk}).status_code == 404
    assert client.get(url, {"period": "2020-Q1", "unit": "x"}).status_code == 404


def test_it_a_commune_officer_reports_on_her_commune_only(client, people, units, tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    login(client, people.lan)
    url = f"/plans/{tra_vinh_plan.pk}/report.docx"
    assert client.get(f"/plans/{tra_vinh_plan.pk}/document.docx").status_code == 200  # the plan concerns her
    assert client.get(url, {"period": "2020-Q1"}).status_code == 404  # the province's figures do not
    response = client.get(url, {"period": "2020-Q1", "unit": units.legacy_thi_tran_tra_cu.pk})
    assert response.status_code == 200
    assert "Trà Cú, ngày      tháng      năm 2020" in [
        p.text for p in Document(io.BytesIO(response.content)).tables[0].rows[0].cells[1].paragraphs]


def test_it_report_xlsx(client, people, tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    login(client, people.minh)
    response = client.get(f"/plans/{tra_vinh_plan.pk}/report.xlsx", {"period": "2020-Q1"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Chi tiết"]
    sheet = book["Tổng hợp"]
    assert sheet["A1"].value == "KẾT QUẢ THỰC HIỆN QUÝ I NĂM 2020 — TỈNH TRÀ VINH"
    rows = [r for r in sheet.iter_rows(values_only=True)]
    header = rows[3]
    assert header == ("STT", "Chỉ tiêu", "Đơn vị tính", "Giá trị", "Nguồn số liệu", "Chỉ tiêu kế hoạch",
                      "Tỷ lệ so với kế hoạch", "Cùng kỳ năm trước", "Tăng (+), giảm (-) so với cùng kỳ")
    assert rows[4][0] == "Công tác Lao động - Việc làm và Giáo dục nghề nghiệp"
    jobs = next(r for r in rows if r[1] == "Số lao động được giải quyết việc làm")
    assert jobs[2:6] == ("lao động", 7645, "đơn vị báo cáo", 23000)
    assert jobs[6] == pytest.approx(7645 / 23000)
    women = rows[rows.index(jobs) + 1]  # the parts under their indicator
    assert women[:5] == (None, "Trong đó: nữ", "lao động", 3899, "đơn vị báo cáo")
    overseas = next(i for i, r in enumerate(rows) if r[1] and r[1].startswith("Số lao động đi làm việc"))
    assert [r[1:4] for r in rows[overseas + 1: overseas + 4]] == [
        ("Trong đó: Đài Loan", "lao động", 61), ("Trong đó: Nhật Bản", "lao động", 128),
        ("Trong đó: Hàn Quốc", "lao động", 3)]
    line = next(i for i, r in enumerate(rows, start=1) if r[1] == "Số lao động được giải quyết việc làm")
    assert sheet.cell(line, 4).number_format == "#,##0" and sheet.cell(line, 7).number_format == "0.0%"
    detail = [r for r in book["Chi tiết"].iter_rows(values_only=True)]
    title = next(i for i, r in enumerate(detail) if r[0] == "Số lao động được giải quyết việc làm (lao động)")
    assert detail[title + 1][:3] == ("STT", "Đơn vị", "Giá trị")
    assert detail[title + 2][1:3] == ("Tỉnh Trà Vinh", 7645)
    districts = [r[1] for r in detail[title + 3: title + 12]]
    assert "Huyện Trà Cú" in districts and "Thành phố Trà Vinh" in districts


def test_it_plan_appendix_xlsx(client, people, tra_cu_plan) -> None:  # type: ignore[no-untyped-def]
    login(client, people.minh)
    response = client.get(f"/plans/{tra_cu_plan.pk}/appendix.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="phu-luc-12-kh-ubnd-2023.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content))["Phụ lục"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "PHỤ LỤC"
    assert rows[2][0] == "(Kèm theo Kế hoạch số 12/KH-UBND ngày 24/02/2023 của Ủy ban nhân dân huyện Trà Cú)"
    assert rows[4][:4] == ("STT", "Xã, thị trấn", "Số lao động được giải quyết việc làm (lao động)",
                           "Số lao động đi làm việc có thời hạn ở nước ngoài theo hợp đồng (lao động)")
    names = [u.name for u in communes_of(legacy("849"))]
    body = rows[6:6 + 17]
    assert [r[1] for r in body] == names and body[0][:4] == (1, names[0], 170, 9) and body[-1][2:4] == (170, 8)
    assert rows[23][:4] == ("Tổng cộng", None, 3000, 140)
    assert sheet.cell(7, 3).number_format == "#,##0"
    assert any(r[0] and "chênh lệch 110 lao động do cấp huyện thực hiện" in r[0] for r in rows[24:])


# --- the department's sentence -------------------------------------------------------------------


def test_it_a_provincial_officer_sets_the_province_sentence(client, people, units) -> None:  # type: ignore[no-untyped-def]
    jobs = Indicator.objects.get(code="jobs_created")
    url = f"/plans/indicators/{jobs.pk}/sentence"
    login(client, people.minh)
    page = client.get(url).content.decode()
    assert "Tỉnh Vĩnh Long" in page and jobs.sentence in page
    assert "Giải quyết việc làm cho 7.645 lao động, đạt 33,2% so với kế hoạch" in page  # the preview
    typed = "Toàn tỉnh giải quyết việc làm cho {value} {unit}[[ ({percent} kế hoạch)]]"
    response = client.post(url, {"unit": units.vinh_long.pk, "text": typed, "preview": "1"})
    assert response.status_code == 200 and "Toàn tỉnh giải quyết việc làm cho 7.645 lao động (33,2% kế hoạch)" in \
        response.content.decode()
    assert not IndicatorSentence.objects.exists()  # a preview saves nothing
    response = client.post(url, {"unit": units.vinh_long.pk, "text": typed, "save": "1"})
    assert response.status_code == 302 and response["Location"] == f"{url}?unit={units.vinh_long.pk}"
    assert IndicatorSentence.objects.get(indicator=jobs, unit=units.vinh_long).text == typed
    assert AuditEvent.objects.filter(action="plans.sentence.save", actor=people.minh).exists()
    # an error keeps what was typed
    wrong = "Giải quyết {value} {vieclam}"
    response = client.post(url, {"unit": units.vinh_long.pk, "text": wrong, "save": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "{vieclam}" in page and "Giải quyết {value} {vieclam}</textarea>" in page
    assert IndicatorSentence.objects.get(indicator=jobs, unit=units.vinh_long).text == typed
    # empty goes back to the catalogue's sentence
    client.post(url, {"unit": units.vinh_long.pk, "text": "", "save": "1"})
    assert not IndicatorSentence.objects.exists()


def test_it_who_may_set_sentences(client, people, units) -> None:  # type: ignore[no-untyped-def]
    jobs = Indicator.objects.get(code="jobs_created")
    url = f"/plans/indicators/{jobs.pk}/sentence"
    for user in (people.lan, people.bao, people.duc):
        login(client, user)
        assert client.get(url).status_code == 403, user
    login(client, people.minh)
    assert client.get(url, {"unit": units.ha_noi.pk}).status_code == 404  # not her province
    assert client.post(url, {"unit": units.ha_noi.pk, "text": "{value}", "save": "1"}).status_code == 404
    login(client, people.tung)
    page = client.get(url, {"unit": units.ha_noi.pk})
    assert page.status_code == 200 and "Thành phố Hà Nội" in page.content.decode()


# --- the words of a report -----------------------------------------------------------------------


def test_it_the_report_text_goes_into_the_document(client, people, units, tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from ansinh.plans.models import ReportText

    url = f"/plans/{tra_vinh_plan.pk}/report-text?period=2020-Q1"
    login(client, people.minh)
    results = client.get(f"/plans/{tra_vinh_plan.pk}/results?period=2020-Q1").content.decode()
    assert 'data-testid="report-text"' in results
    assert client.get(url).status_code == 200
    # a date in the future is refused and what was typed stays on the page
    typed = {"number": "45/BC-SLĐTBXH", "issued_on": "16/03/2099", "strengths": "Được sự quan tâm chỉ đạo",
             "difficulties": "- Dịch bệnh Covid-19\nHội thảo khó khăn", "recipients": "Bộ LĐTBXH;\nTỉnh ủy;\nLưu: VT."}
    response = client.post(url, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "45/BC-SLĐTBXH" in page and "Dịch bệnh Covid-19" in page
    assert not ReportText.objects.exists()
    response = client.post(url, typed | {"issued_on": "16/03/2020"})
    assert response.status_code == 302 and response["Location"].startswith(f"/plans/{tra_vinh_plan.pk}/results?")
    stored = ReportText.objects.get()
    assert stored.issued_on == dt.date(2020, 3, 16) and stored.difficulties == "- Dịch bệnh Covid-19\nHội thảo khó khăn"
    event = AuditEvent.objects.get(action="plans.report_text.save")
    assert event.actor == people.minh and event.before is None and event.after["number"] == "45/BC-SLĐTBXH"

    document = Document(io.BytesIO(client.get(f"/plans/{tra_vinh_plan.pk}/report.docx?period=2020-Q1").content))
    left, right = document.tables[0].rows[0].cells
    assert "Số: 45/BC-SLĐTBXH" in [p.text for p in left.paragraphs]
    assert "Trà Vinh, ngày 16 tháng 3 năm 2020" in [p.text for p in right.paragraphs]
    text = [p.text for p in document.paragraphs]
    assessment = text.index("II. NHẬN XÉT, ĐÁNH GIÁ")
    assert text[assessment + 1: assessment + 6] == [
        "1. Thuận lợi:", "- Được sự quan tâm chỉ đạo", "2. Khó khăn, hạn chế:", "- Dịch bệnh Covid-19",
        "- Hội thảo khó khăn"]
    assert text[assessment + 6] == "III. MỘT SỐ NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2020"
    closing = document.tables[-1].rows[0].cells[0]
    assert [p.text for p in closing.paragraphs][1:] == ["- Bộ LĐTBXH;", "- Tỉnh ủy;", "- Lưu: VT."]

    # without an assessment the priorities are section II, as before
    client.post(url, {"number": "", "issued_on": "", "strengths": "", "difficulties": "", "recipients": ""})
    text = paragraphs(client.get(f"/plans/{tra_vinh_plan.pk}/report.docx?period=2020-Q1").content)
    assert "II. MỘT SỐ NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2020" in text and "II. NHẬN XÉT, ĐÁNH GIÁ" not in text


def test_it_only_those_who_may_change_the_unit_write_its_report_text(client, people, units, tra_vinh_plan) -> None:  # type: ignore[no-untyped-def]
    url = f"/plans/{tra_vinh_plan.pk}/report-text?period=2020-Q1"
    login(client, people.bao)  # a leader reads and signs; officers write
    assert client.get(url).status_code == 403
    assert 'data-testid="report-text"' not in client.get(
        f"/plans/{tra_vinh_plan.pk}/results?period=2020-Q1").content.decode()
    login(client, people.hoa)  # another province
    assert client.get(url).status_code == 404
    login(client, people.lan)  # her commune's report, not the province's
    assert client.get(url).status_code == 404
    assert client.get(url + f"&unit={units.legacy_thi_tran_tra_cu.pk}").status_code == 200
    assert client.get(f"/plans/{tra_vinh_plan.pk}/report-text?period=2021-Q1").status_code == 400
