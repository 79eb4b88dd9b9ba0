"""The abroad lane's pages: lists with filters and the figures' drill-down, details and their
actions, scope (commune officers read their commune's departures, masked IDs; outsiders see
nothing), imports as background jobs, templates, the expiry list, the Art. 6 reports (figures read
back from the .xlsx), the processing-time page; bad parameters never answer 500."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.models import AuditEvent
from ansinh.labour.import_abroad import DEPARTURE_COLUMNS
from ansinh.labour.models import Departure, WorkPermit
from ansinh.labour.services_abroad import departure_save
from ansinh.lib.spreadsheets import read_rows
from ansinh.testing import login

from .abroad_data import D, employer, labour, worker  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(labour: SimpleNamespace, worker: Any) -> SimpleNamespace:
    tw = departure_save(actor=labour.actor, person=labour.head, destination="TW", departed_on=D(2025, 2, 10),
                        enterprise="Công ty A")
    jp = departure_save(actor=labour.actor, person=labour.spouse, destination="JP", departed_on=D(2025, 5, 3))
    today = timezone.localdate()
    permit = WorkPermit.objects.create(worker=worker, kind="issue", received_on=D(2025, 1, 2), state="granted",
                                       number="GP-7", valid_from=today.replace(year=today.year - 1),
                                       valid_to=today + (D(2025, 1, 31) - D(2025, 1, 1)))
    return SimpleNamespace(tw=tw, jp=jp, permit=permit)


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def test_it_lists_departures_with_filters_and_the_drill_down(client: Client, labour: SimpleNamespace,
                                                             records: SimpleNamespace, units: Any) -> None:
    login(client, labour.officer)
    url = reverse("departure-list")
    page = text(client.get(url))
    assert "Thạch Văn Sóc" in page and "Kim Thị Sa Ri" in page and "Đài Loan (Trung Quốc)" in page
    assert "086080000001" in page  # full for those who enter
    only_tw = text(client.get(url, {"country": "dai loan"}))
    assert "Thạch Văn Sóc" in only_tw and "Kim Thị Sa Ri" not in only_tw
    drill = text(client.get(url, {"unit": units.tra_cu.pk, "period": "2025-Q2", "breakdown": "japan"}))
    assert "Kim Thị Sa Ri" in drill and "Thạch Văn Sóc" not in drill
    bad = text(client.get(url, {"period": "2025-Q9", "country": "Atlantis", "breakdown": "mars", "page": "x"}))
    assert "Atlantis" in bad
    assert client.get(url, {"unit": "abc"}).status_code == 404
    assert client.get(url, {"unit": units.ba_dinh.pk}).status_code == 404


def test_it_shows_commune_officers_their_departures_masked(client: Client, labour: SimpleNamespace,
                                                          records: SimpleNamespace) -> None:
    login(client, labour.commune_officer)
    page = text(client.get(reverse("departure-list")))
    assert "Thạch Văn Sóc" in page and "086080000001" not in page and "•••••••••001" in page
    detail = text(client.get(reverse("departure-detail", args=[records.tw.pk])))
    assert "return-form" not in detail
    assert client.post(reverse("departure-detail", args=[records.tw.pk]),
                       {"action": "return", "returned_on": "01/06/2025"}).status_code == 403
    login(client, labour.outsider)
    assert "Thạch Văn Sóc" not in text(client.get(reverse("departure-list")))
    assert client.get(reverse("departure-detail", args=[records.tw.pk])).status_code == 404


def test_it_records_a_return_from_the_detail_page(client: Client, labour: SimpleNamespace,
                                                  records: SimpleNamespace) -> None:
    login(client, labour.officer)
    url = reverse("departure-detail", args=[records.tw.pk])
    assert "return-form" in text(client.get(url))
    bad = client.post(url, {"action": "return", "returned_on": "hôm qua"}, follow=True)
    assert "Ghi ngày về nước" in text(bad)
    client.post(url, {"action": "return", "returned_on": "01/06/2025", "early": "1"})
    records.tw.refresh_from_db()
    assert records.tw.status == "returned_early"


def test_it_lists_foreign_workers_employers_and_expiring_permits(client: Client, labour: SimpleNamespace,
                                                                 records: SimpleNamespace, worker: Any,
                                                                 employer: Any) -> None:
    login(client, labour.officer)
    page = text(client.get(reverse("foreign-worker-list"), {"country": "Trung Quốc"}))
    assert "Wang Wei" in page and "E12345678" in page and "Trung Quốc" in page
    assert "Wang Wei" not in text(client.get(reverse("foreign-worker-list"), {"breakdown": "KR"}))
    assert "Wang Wei" in text(client.get(reverse("permit-expiring")))
    assert "Wang Wei" in text(client.get(reverse("foreign-worker-detail", args=[worker.pk])))
    assert "Hòa Phát" in text(client.get(reverse("employer-list"), {"q": "hoa phat"}))
    assert "Wang Wei" in text(client.get(reverse("employer-detail", args=[employer.pk])))
    login(client, labour.commune_officer)  # reads the foreign workers of her commune, passports masked
    masked = text(client.get(reverse("foreign-worker-list")))
    assert "Wang Wei" in masked and "E12345678" not in masked


def test_it_receives_and_decides_a_permit_on_the_worker_page(client: Client, labour: SimpleNamespace,
                                                             worker: Any) -> None:
    login(client, labour.officer)
    url = reverse("foreign-worker-detail", args=[worker.pk])
    done = client.post(url, {"action": "receive", "kind": "issue", "received_on": "13/02/2026"}, follow=True)
    assert "06/03/2026" in text(done)
    permit = WorkPermit.objects.get(worker=worker)
    refused = client.post(url, {"action": "decide", "permit": permit.pk, "granted": "1", "decided_on": "01/03/2026",
                                "number": "GP", "valid_from": "01/03/2026", "valid_to": "01/03/2029"}, follow=True)
    assert "tối đa là 02 năm" in text(refused)
    client.post(url, {"action": "decide", "permit": permit.pk, "granted": "1", "decided_on": "01/03/2026",
                      "number": "GP", "valid_from": "01/03/2026", "valid_to": "28/02/2028"})
    permit.refresh_from_db()
    assert permit.state == "granted"
    assert client.post(url, {"action": "nonsense"}).status_code == 404


def test_it_imports_an_upload_as_a_background_job(client: Client, labour: SimpleNamespace, units: Any) -> None:
    login(client, labour.officer)
    url = reverse("departure-import")
    assert "template" in text(client.get(url))
    header = ";".join(c.header for c in DEPARTURE_COLUMNS)
    data = f"{header}\nThạch Văn Sóc;01/03/1980;086080000001;Hàn Quốc;;;;;05/05/2025;;;\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("di.csv", data, "text/csv")})
    assert response.status_code == 302
    assert Departure.objects.filter(destination="KR").count() == 1
    wrong = client.post(url, {"file": SimpleUploadedFile("di.pdf", b"x")})
    assert "xlsx" in text(wrong)
    template = client.get(reverse("departure-template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert client.get(reverse("foreign-worker-template")).content[:2] == b"PK"
    login(client, labour.commune_officer)
    assert client.get(url).status_code == 403


def test_it_generates_the_article_6_reports(client: Client, labour: SimpleNamespace, worker: Any,
                                            employer: Any) -> None:
    WorkPermit.objects.create(worker=worker, kind="issue", received_on=D(2025, 3, 2), state="granted",
                              decided_on=D(2025, 3, 9), number="GP-1", valid_from=D(2025, 3, 15),
                              valid_to=D(2027, 3, 14))
    WorkPermit.objects.create(worker=worker, kind="reissue", received_on=D(2024, 12, 10), state="refused",
                              decided_on=D(2024, 12, 14), refusal_reason="Thiếu hồ sơ")  # before the cut-off
    login(client, labour.officer)
    url = reverse("foreign-report")
    page = text(client.get(url, {"year": "2025", "span": "half"}))
    assert "15/12/2024" in page and "14/06/2025" in page and "Hòa Phát" in page
    response = client.get(url, {"year": "2025", "span": "half", "download": "1"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    rows = [values for _n, values in read_rows(response.content)]
    [firm] = [v for v in rows if len(v) > 1 and v[1] == "Công ty TNHH Giày Da Hòa Phát"]
    assert firm[2:9] == ["2100123456", 1, 0, 0, 1, 0, 0]  # 1 worker, an expert, a man
    assert firm[9:14] == [1, 0, 0, 0, 0]  # one permit issued in the cut-off, the refusal before it
    employer_file = client.get(url, {"year": "2025", "span": "year", "form": "07", "employer": employer.pk,
                                     "download": "1"})
    lines = [values for _n, values in read_rows(employer_file.content)]
    assert any(v[:2] == [1, "Wang Wei"] for v in lines)
    assert ["Tổng số người lao động nước ngoài đang làm việc", 1] in lines
    word = client.get(url, {"year": "2025", "span": "half", "download": "docx"})
    assert word.status_code == 200 and word.content[:2] == b"PK"
    import io

    from docx import Document

    doc = Document(io.BytesIO(word.content))
    text_ = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text_ and "15/12/2024 đến ngày 14/06/2025" in text_
    assert "1 người, tại 1 người sử dụng lao động (Trung Quốc 1)" in text_
    assert "cấp mới 1; cấp lại 0; gia hạn 0" in text_ and "từ chối 0" in text_
    table = doc.tables[1]
    assert [c.text for c in table.rows[1].cells] == ["1", "Công ty TNHH Giày Da Hòa Phát", "1", "1", "0", "0", "0"]
    assert AuditEvent.objects.filter(action="labour.export").count() == 3
    assert "2021" in text(client.get(url, {"year": "abc"}))
    assert client.get(url, {"form": "07", "employer": "x"}).status_code == 404


def test_it_lets_administrators_edit_processing_times(client: Client, labour: SimpleNamespace) -> None:
    from ansinh.labour.models import PermitRule

    rule = PermitRule.objects.get(kind="extend", valid_from=D(2025, 8, 7))
    login(client, labour.officer)
    assert "Nghị định 219/2025" in text(client.get(reverse("permit-rules")))
    assert client.post(reverse("permit-rule-edit", args=[rule.pk]), {"working_days": "9"}).status_code == 403
    login(client, labour.admin)
    client.post(reverse("permit-rule-edit", args=[rule.pk]),
                {"working_days": "9", "legal_basis": rule.legal_basis, "provisional": "1"})
    rule.refresh_from_db()
    assert rule.working_days == 9
    bad = client.post(reverse("permit-rule-edit", args=[rule.pk]), {"working_days": "x"}, follow=True)
    assert "số nguyên" in text(bad)


def test_it_records_a_worker_abroad_from_the_form_keeping_what_was_typed(client: Client,
                                                                        labour: SimpleNamespace) -> None:
    login(client, labour.officer)
    url = reverse("departure-new")
    assert "departure-form" in text(client.get(url))
    bad = client.post(url, {"citizen_id": "086080000001", "destination": "Atlantis", "sender_kind": "service",
                            "job": "Cơ khí", "contract_months": "abc", "departed_on": "10/02/2025",
                            "status": "abroad"})
    page = bad.content.decode()
    assert bad.status_code == 400 and "Ghi nước đến bằng tên tiếng Việt" in page and 'value="Cơ khí"' in page
    assert "Thời hạn hợp đồng là số tháng" in page
    unknown = client.post(url, {"citizen_id": "086099999999", "destination": "Nhật Bản", "status": "abroad",
                                "departed_on": "10/02/2025", "sender_kind": "service"})
    assert "không có trong sổ hộ" in unknown.content.decode()
    done = client.post(url, {"citizen_id": "086080000001", "destination": "nhat ban", "sender_kind": "service",
                             "contract_months": "36", "departed_on": "10/02/2025", "status": "abroad"})
    d = Departure.objects.get()
    assert done.status_code == 302 and (d.destination, d.contract_months) == ("JP", 36)
    assert d.placement.placed_on == D(2025, 2, 10)
    login(client, labour.commune_officer)
    assert client.get(url).status_code == 403


def test_it_records_a_foreign_worker_with_a_new_employer_in_one_transaction(client: Client, labour: SimpleNamespace,
                                                                            units: Any) -> None:
    from ansinh.labour.models import Employer, ForeignWorker

    login(client, labour.officer)
    url = reverse("foreign-worker-new")
    assert "foreign-worker-form" in text(client.get(url))
    base = {"full_name": "Li Na", "passport_number": "E7777777", "nationality": "Trung Quốc", "sex": "female",
            "employer_name": "Công ty Mới", "tax_code": "2100999999", "position": "expert",
            "workplace": units.tra_cu.pk}
    bad = client.post(url, {**base, "position": "chief"})  # the worker is refused: no employer is left behind
    assert bad.status_code == 400 and "Chọn vị trí công việc" in bad.content.decode()
    assert 'value="Li Na"' in bad.content.decode() and not Employer.objects.exists()
    done = client.post(url, base)
    worker = ForeignWorker.objects.get()
    assert done.status_code == 302 and worker.employer.tax_code == "2100999999" and worker.nationality == "CN"
    assert client.post(url, {**base, "workplace": units.ba_dinh.pk}).status_code == 400
