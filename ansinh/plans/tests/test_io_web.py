"""The web pages of the plan and form workbooks: who may import, check-only, the problems table,
the template downloads, and a commune officer refused a province's plan (403)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from ansinh.geo.models import Edition, Unit
from ansinh.plans import examples
from ansinh.plans.importer import plan_import
from ansinh.plans.models import Plan, Submission, SubmissionStatus
from ansinh.plans.periods import Period
from ansinh.plans.submission_io import SHEET_FORM, submission_template_xlsx
from conftest import login

pytestmark = pytest.mark.django_db
EXAMPLES = Path(examples.EXAMPLES_DIR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(data: bytes, name: str = "plan.xlsx") -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def example(name: str) -> io.BytesIO:
    return upload((EXAMPLES / name).read_bytes(), name)


def test_it_the_plan_import_page_is_for_editing_roles(client, people) -> None:  # type: ignore[no-untyped-def]
    login(client, people.minh)
    page = client.get("/plans/import")
    assert page.status_code == 200 and 'href="/plans/template.xlsx"' in page.content.decode()
    for user in (people.bao, people.duc):
        login(client, user)
        assert client.get("/plans/import").status_code == 403
        assert client.post("/plans/import", {"file": example(examples.TRA_CU_PLAN)}).status_code == 403
    client.logout()
    assert client.get("/plans/import").status_code == 302  # to the login page
    assert not Plan.objects.exists()


def test_it_a_commune_officer_cannot_import_a_province_plan(client, people) -> None:  # type: ignore[no-untyped-def]
    login(client, people.lan)
    assert client.get("/plans/import").status_code == 200  # she may import her commune's plans
    response = client.post("/plans/import", {"file": example(examples.TRA_VINH_PLAN)})
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_it_check_only_then_import(client, people) -> None:  # type: ignore[no-untyped-def]
    login(client, people.minh)
    response = client.post("/plans/import", {"file": example(examples.TRA_CU_PLAN), "check": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-check"' in page
    assert "Tệp hợp lệ, chưa ghi gì: sẽ tạo kế hoạch 12/KH-UBND năm 2023 của Ủy ban nhân dân huyện Trà Cú" in page
    assert "Nhiệm vụ: 33 mới" in page
    assert not Plan.objects.exists()
    response = client.post("/plans/import", {"file": example(examples.TRA_CU_PLAN)})
    plan = Plan.objects.get(number="12/KH-UBND")
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/{plan.pk}/")
    assert plan.created_by == people.minh and plan.tasks.count() == 33
    again = client.post("/plans/import", {"file": example(examples.TRA_CU_PLAN)})
    assert again.status_code == 400 and "--replace" in again.content.decode()
    replaced = client.post("/plans/import", {"file": example(examples.TRA_CU_PLAN), "replace": "1"})
    assert replaced.status_code == 302 and Plan.objects.count() == 1


def test_it_a_bad_plan_lists_every_problem(client, people, tmp_path) -> None:  # type: ignore[no-untyped-def]
    workbook = openpyxl.load_workbook(EXAMPLES / examples.TRA_CU_PLAN)
    workbook["Chỉ tiêu"]["G3"] = "ba nghìn"
    workbook["Chỉ tiêu"]["C4"] = "842"  # a ward of Trà Vinh city, not in Trà Cú
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    login(client, people.minh)
    response = client.post("/plans/import", {"file": upload(path.read_bytes())})
    page = response.content.decode()
    assert response.status_code == 400 and 'data-testid="import-problems"' in page
    assert "<td>Chỉ tiêu</td><td>3</td><td>Giá trị</td><td>«ba nghìn» không phải là số" in page
    assert "<td>Chỉ tiêu</td><td>4</td><td>Mã đơn vị</td><td>Không có đơn vị mã 842 thuộc Huyện Trà Cú" in page
    assert not Plan.objects.exists()
    assert client.post("/plans/import", {}).status_code == 400


def test_it_the_plan_template_downloads(client, people) -> None:  # type: ignore[no-untyped-def]
    login(client, people.lan)
    response = client.get("/plans/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[1] == "Kế hoạch"


@pytest.fixture
def plan(db) -> Plan:  # type: ignore[no-untyped-def]
    result = plan_import(actor=None, data=EXAMPLES / examples.TRA_VINH_PLAN)
    return Plan.objects.get(pk=result.plan_id or 0)


def test_it_the_form_downloads_for_those_who_may_fill_it(client, people, plan) -> None:  # type: ignore[no-untyped-def]
    url = f"/plans/{plan.pk}/form.xlsx"
    login(client, people.minh)
    response = client.get(url, {"period": "2020-Q1"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert 'filename="bieu-bao-cao-84-2020-Q1.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[SHEET_FORM]
    assert sheet["B4"].value == "15/KH-SLĐTBXH" and sheet["B10"].value == "2020-Q1"
    assert client.get(url, {"period": "2021-Q1"}).status_code == 400
    assert client.get(url, {"period": "Q1"}).status_code == 400
    current = Unit.objects.get(edition=Edition.CURRENT, code="29461")  # not on the plan's map
    assert client.get(url, {"period": "2020-Q1", "unit": current.pk}).status_code == 404
    township = Unit.objects.get(edition=Edition.LEGACY, code="29461")
    login(client, people.lan)
    assert client.get(url, {"period": "2020-Q1"}).status_code == 403  # the province's own form
    assert client.get(url, {"period": "2020-Q1", "unit": township.pk}).status_code == 200
    login(client, people.hoa)
    assert client.get(url, {"period": "2020-Q1"}).status_code == 404


def test_it_the_form_import_page(client, people, plan) -> None:  # type: ignore[no-untyped-def]
    township = Unit.objects.get(edition=Edition.LEGACY, code="29461")
    login(client, people.lan)
    page = client.get("/plans/submissions/import", {"plan": plan.pk}).content.decode()
    assert f'action="/plans/{plan.pk}/form.xlsx"' in page and f'value="{township.pk}"' in page
    assert f'value="{plan.unit.pk}"' not in page  # she cannot fill the province's form
    assert '<option value="2020-Q2">quý II năm 2020</option>' in page

    workbook = openpyxl.load_workbook(io.BytesIO(submission_template_xlsx(plan, township, Period.parse("2020-Q1"))))
    sheet = workbook[SHEET_FORM]
    row = next(c.row for c in sheet["A"] if c.value == "jobs_created")
    sheet.cell(row, 5).value = "1.024"
    data = io.BytesIO()
    workbook.save(data)
    response = client.post("/plans/submissions/import", {"file": upload(data.getvalue()), "submit": "1"})
    form = Submission.objects.get(unit=township, period="2020-Q1")
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/submissions/{form.pk}/")
    assert form.status == SubmissionStatus.SUBMITTED and form.submitted_by == people.lan
    assert form.values.get(indicator__code="jobs_created", breakdown="").value == 1024
    locked = client.post("/plans/submissions/import", {"file": upload(data.getvalue())})
    assert locked.status_code == 400 and "đã nộp" in locked.content.decode()

    province = io.BytesIO()
    workbook = openpyxl.load_workbook(io.BytesIO(submission_template_xlsx(plan, plan.unit, Period.parse("2020-Q1"))))
    workbook[SHEET_FORM].cell(row, 5).value = 5
    workbook.save(province)
    assert client.post("/plans/submissions/import", {"file": upload(province.getvalue())}).status_code == 403
    assert not Submission.objects.filter(unit=plan.unit).exists()
    login(client, people.bao)
    assert client.get("/plans/submissions/import").status_code == 403


def test_it_a_plan_downloads_as_its_workbook(client, people, plan) -> None:  # type: ignore[no-untyped-def]
    login(client, people.minh)
    page = client.get("/plans/import", {"plan": plan.pk}).content.decode()
    assert f'href="/plans/template.xlsx?plan={plan.pk}"' in page
    assert 'name="replace" type="checkbox" value="1" checked' in page
    response = client.get("/plans/template.xlsx", {"plan": plan.pk})
    assert response.status_code == 200 and "ke-hoach-15kh-sldtbxh-2020.xlsx" in response["Content-Disposition"].lower()
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Chỉ tiêu"]
    assert sheet["A2"].value == "jobs_created" and sheet["G2"].value == 23000
    login(client, people.hoa)
    assert client.get("/plans/template.xlsx", {"plan": plan.pk}).status_code == 404
