"""The settle pages: exports, results upload and template, suspension list and decisions, the
includes for the payroll and package pages; scope, bad parameters (never 500), ids unlocalized."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from ansinh.benefits.models import Entitlement
from ansinh.payments.models import PayrollState, PayStatus, SuspensionProposal
from ansinh.payments.results import COLUMNS, SUSPENSION_BASIS, line_code
from ansinh.testing import login

from . import settle_setup as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return s.world()


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, user)
    return client


def test_it_exports_lists_in_both_formats(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    client = _client(w.who.lan)
    url = reverse("payroll-export", args=[payroll.pk])
    xlsx = client.get(url + "?format=xlsx")
    assert xlsx.status_code == 200 and "danh-sach-chi-tra-29461-2025-10.xlsx" in xlsx["Content-Disposition"]
    openpyxl.load_workbook(io.BytesIO(xlsx.content))
    docx = client.get(url + "?format=docx")
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    cho = s.hamlet("Chợ")
    assert client.get(url + f"?format=xlsx&hamlet={cho.pk}").status_code == 200


@pytest.mark.parametrize("query", ["?format=pdf", "?hamlet=abc", "?hamlet=-1", "?hamlet=99999999",
                                   "?hamlet=1.234"])
def test_it_answers_404_to_bad_parameters(w, query: str) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    assert _client(w.who.lan).get(reverse("payroll-export", args=[payroll.pk]) + query).status_code == 404


def test_it_hides_other_provinces_payrolls(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    package = s.package(people=[w.ben.ba])
    client = _client(w.who.binh)
    assert client.get(reverse("payroll-export", args=[payroll.pk])).status_code == 404
    assert client.get(reverse("package-export", args=[package.pk])).status_code == 404
    assert client.get(reverse("payment-results-upload", args=[payroll.pk])).status_code == 404
    assert client.get(reverse("payment-results-template") + f"?payroll={payroll.pk}").status_code == 404


def test_it_lets_a_leader_read_but_not_upload(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    client = _client(w.who.bao)
    response = client.get(reverse("payroll-export", args=[payroll.pk]))
    assert response.status_code == 200
    assert b"084070000001" not in response.content
    assert client.get(reverse("payment-results-upload", args=[payroll.pk])).status_code == 403


def test_it_uploads_results_and_lists_every_problem(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    client = _client(w.who.lan)
    url = reverse("payment-results-upload", args=[payroll.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Tải mẫu" in page.content.decode()
    header = ",".join(c.header for c in COLUMNS)
    bad = SimpleUploadedFile("sai.csv", f"{header}\nL99999,,,Đã nhận,,05/10/2025\n".encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Không có dòng nào mang mã L99999" in response.content.decode()
    checked = SimpleUploadedFile("ok.csv", f"{header}\n{line_code(payroll.lines.get())},,,Đã nhận,,05/10/2025\n".encode())
    response = client.post(url, {"file": checked, "check": "1"})
    assert response.status_code == 200 and payroll.lines.get().status == PayStatus.PENDING
    good = SimpleUploadedFile("ok.csv", f"{header}\n{line_code(payroll.lines.get())},,,Đã nhận,,05/10/2025\n".encode())
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert payroll.lines.get().status == PayStatus.PAID
    payroll.refresh_from_db()
    assert payroll.state == PayrollState.RECONCILED
    assert client.post(url, {}).status_code == 400  # reconciled now: a clear message


def test_it_refuses_an_upload_before_the_payroll_is_sent(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability], state=PayrollState.APPROVED)
    client = _client(w.who.lan)
    page = client.get(reverse("payment-results-upload", args=[payroll.pk]))
    assert 'data-testid="results-not-ready"' in page.content.decode()
    upload = SimpleUploadedFile("x.csv", b"Ma dong\n")
    assert client.post(reverse("payment-results-upload", args=[payroll.pk]), {"file": upload}).status_code == 400


def test_it_serves_templates(w) -> None:  # type: ignore[no-untyped-def]
    payroll = s.payroll(entitlements=[w.ben.disability])
    client = _client(w.who.lan)
    blank = client.get(reverse("payment-results-template"))
    assert blank.status_code == 200
    filled = client.get(reverse("payment-results-template") + f"?payroll={payroll.pk}")
    sheet = openpyxl.load_workbook(io.BytesIO(filled.content))["Kết quả chi trả"]
    assert sheet.cell(2, 1).value == line_code(payroll.lines.get())
    csv = client.get(reverse("payment-results-template") + "?format=csv")
    assert csv.content.decode("utf-8-sig").startswith("Mã dòng")
    assert client.get(reverse("payment-results-template") + "?payroll=x").status_code == 404


def test_it_lists_and_decides_suspensions(w) -> None:  # type: ignore[no-untyped-def]
    ent = w.ben.disability
    proposal = SuspensionProposal.objects.create(entitlement=ent, person=ent.person, commune=ent.commune,
                                                 scheme=ent.scheme, months="08/2025, 09/2025, 10/2025",
                                                 from_month=dt.date(2025, 11, 1), legal_basis=SUSPENSION_BASIS)
    client = _client(w.who.lan)
    page = client.get(reverse("suspension-list"))
    text = page.content.decode()
    assert page.status_code == 200 and "Thạch Văn Sóc" in text and "08/2025, 09/2025, 10/2025" in text
    assert reverse("suspension-decide", args=[proposal.pk]) in text
    assert client.get(reverse("suspension-list") + "?status=bogus&page=zz").status_code == 200
    response = client.post(reverse("suspension-decide", args=[proposal.pk]), {"decision": "dismiss", "note": ""})
    assert response.status_code == 302
    assert SuspensionProposal.objects.get().status == "proposed"
    client.post(reverse("suspension-decide", args=[proposal.pk]), {"decision": "confirm"})
    assert Entitlement.objects.get(pk=ent.pk).stop_month == dt.date(2025, 11, 1)
    assert _client(w.who.binh).post(reverse("suspension-decide", args=[proposal.pk]),
                                    {"decision": "confirm"}).status_code == 404
    assert _client(w.who.bao).get(reverse("suspension-list")).status_code == 200


def test_it_renders_the_includes_with_unlocalized_ids(w, settings) -> None:  # type: ignore[no-untyped-def]
    from ansinh.payments.models import Payroll

    payroll = Payroll.objects.create(id=12345, commune=s.commune(), month=s.MONTH, field="social_assistance",
                                     state=PayrollState.SENT)
    html = render_to_string("payments/includes/payroll_settle.html", {"payroll": payroll, "user": w.who.lan})
    assert "/payments/payrolls/12345/export/" in html and "12.345" not in html
    assert reverse("payment-results-upload", args=[12345]) in html
    package = s.package(people=[w.ben.ba])
    html = render_to_string("payments/includes/package_settle.html", {"package": package, "user": w.who.lan})
    assert reverse("package-export", args=[package.pk]) in html and "package-results-upload" not in html


def test_it_writes_no_id_with_a_thousands_separator() -> None:
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates" / "payments"
    bare = re.compile(r"\{\{ *[a-z_.]*(?:pk|_id|\.id) *\}\}")
    mine = [*templates.glob("results_upload.html"), *templates.glob("suspension_list.html"),
            *templates.glob("includes/*_settle.html")]
    found = [f"{path.name}:{n}" for path in mine
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert len(mine) == 4 and not found, found


def test_it_sends_a_large_file_to_the_background_job(w, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.ANSINH_IMPORT_BACKGROUND_BYTES = 10
    settings.JOBS_DIR = str(tmp_path)
    payroll = s.payroll(entitlements=[w.ben.disability])
    header = ",".join(c.header for c in COLUMNS)
    upload = SimpleUploadedFile("ok.csv", f"{header}\n{line_code(payroll.lines.get())},,,Đã nhận,,05/10/2025\n".encode())
    response = _client(w.who.lan).post(reverse("payment-results-upload", args=[payroll.pk]), {"file": upload})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert payroll.lines.get().status == PayStatus.PAID  # the tests' job backend runs it at once
