"""The book of citizen reception imported from its page: the template downloads and reads back,
"check only" writes nothing, a good file is recorded and the officer sent to the list, a file with a
bad row records nothing and lists every problem by row and column, no file or a file over the limit
is refused in Vietnamese, and only those who record receptions reach the page."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.accounts.models import User
from ansinh.accounts.services import unit_for_role, user_create
from ansinh.care.models_inspections import Reception
from conftest import login

pytestmark = pytest.mark.django_db
PAGE = "/care/inspections/receptions/import/"
HEADER = "Ngày tiếp,Mã đơn vị tiếp,Hình thức tiếp,Người tiếp,Công dân hoặc người đại diện,Số người,Nội dung,Lĩnh vực,Kết quả\n"
GOOD = (HEADER + "06/01/2025,86,,Chánh Thanh tra,Nguyễn Văn An,1,Hỏi chế độ BHXH một lần,,\"giải thích, trả lời\"\n"
        "07/01/2025,29461,tiếp đột xuất,Cán bộ tiếp dân,Thạch Văn Bé,8,Nợ lương,pháp luật lao động,"
        "\"hướng dẫn đến cơ quan có thẩm quyền\"\n")


@pytest.fixture
def thanh(units: Any) -> User:
    return user_create(username="thanh", password="Mua-thu-2026-mua-dong", role="inspector",
                       unit=unit_for_role(role="inspector", code="86"), field="")


def _file(text: str, name: str = "so-tiep-cong-dan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def test_it_offers_the_page_and_a_template_that_reads_back(client: Any, thanh: User) -> None:
    login(client, thanh)
    listing = client.get("/care/inspections/receptions/").content.decode()
    assert f'href="{PAGE}"' in listing and 'data-testid="import-receptions"' in listing
    page = client.get(PAGE)
    assert page.status_code == 200 and "Nhập sổ tiếp công dân" in page.content.decode()
    template = client.get(PAGE + "template.xlsx")
    assert template.status_code == 200 and "mau-nhap-so-tiep-cong-dan.xlsx" in template["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    guide = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "Nhập từ tệp" in guide and "Ngày tiếp" in guide


def test_it_checks_then_records_a_good_file(client: Any, thanh: User, units: Any) -> None:
    login(client, thanh)
    checked = client.post(PAGE, {"file": _file(GOOD), "check": "1"})
    assert checked.status_code == 200
    assert "Tệp hợp lệ; chưa ghi gì: tệp có 2 lượt tiếp công dân." in checked.content.decode()
    assert not Reception.objects.exists()
    done = client.post(PAGE, {"file": _file(GOOD)}, follow=True)
    assert done.redirect_chain[-1][0] == "/care/inspections/receptions/"
    assert "Đã nhập 2 lượt tiếp công dân." in done.content.decode()
    assert Reception.objects.get(citizen_name="Thạch Văn Bé").unit == units.tra_cu
    assert Reception.objects.count() == 2


def test_it_records_nothing_and_lists_every_problem(client: Any, thanh: User) -> None:
    login(client, thanh)
    bad = GOOD + "31/02/2025,99999,,Cán bộ,,0,Nợ lương,,không rõ\n"
    refused = client.post(PAGE, {"file": _file(bad)})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'data-testid="import-problems"' in body
    for column in ("Ngày tiếp", "Mã đơn vị tiếp", "Công dân hoặc người đại diện", "Số người", "Kết quả"):
        assert f"<td>{column}</td>" in body, column
    assert not Reception.objects.exists()
    assert client.post(PAGE, {}).status_code == 400
    assert "Chọn tệp mẫu" in client.post(PAGE, {}).content.decode()


def test_it_refuses_a_file_over_the_limit_before_reading_it(client: Any, thanh: User, settings: Any) -> None:
    settings.ANSINH_UPLOAD_MAX_BYTES = 100
    login(client, thanh)
    refused = client.post(PAGE, {"file": _file(GOOD)})
    assert refused.status_code == 400 and "lớn hơn" in refused.content.decode()
    assert not Reception.objects.exists()


def test_it_lets_only_those_who_record_receptions_in(client: Any, people: Any, thanh: User) -> None:
    for person in (people.bao, people.lan, people.minh):  # a leader reads; commune and field officers do not
        login(client, person)
        assert client.get(PAGE).status_code == 403, person.username
        assert client.get(PAGE + "template.xlsx").status_code == 403, person.username
        assert client.post(PAGE, {"file": _file(GOOD)}).status_code == 403, person.username
        client.logout()
    assert not Reception.objects.exists()


def test_it_lets_the_file_picker_offer_csv_files(client: Any, thanh: User) -> None:
    login(client, thanh)
    assert 'accept=".xlsx,.csv,text/csv,' in client.get(PAGE).content.decode()
