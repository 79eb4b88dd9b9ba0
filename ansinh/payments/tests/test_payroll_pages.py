"""The payroll pages: the list with its filters and totals, a payroll with its lines, the
buttons (compute through the job, approve by another person, send, follow-up), the payment
method with masked accounts, and who gets 403 or 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.accounts.models import AuditEvent
from ansinh.payments import payroll as engine
from ansinh.payments.models import Channel, PaymentMethod, Payroll, PayrollState
from ansinh.testing import login

from .payroll_setup import SA, actor, beneficiaries, month, officers, tra_cu

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(db):  # type: ignore[no-untyped-def]
    return officers()


@pytest.fixture
def people(who):  # type: ignore[no-untyped-def]
    return beneficiaries()


def as_(user) -> Client:  # type: ignore[no-untyped-def]
    return login(Client(), user)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_it_computes_through_the_job_and_lists_with_totals(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    page = client.get(reverse("payroll-list"))
    assert page.status_code == 200 and 'data-testid="payroll-compute"' in text(page)
    response = client.post(reverse("payroll-run"), {"unit": tra_cu().pk, "month": "2025-10"}, follow=True)
    assert response.status_code == 200
    assert Payroll.objects.filter(commune=tra_cu(), month=month(2025, 10)).count() == 2
    body = text(response)
    assert 'data-testid="job"' in body and "2 bảng chi trả" in body
    assert "Trà Cú" in body and "10/2025" in body
    filtered = text(client.get(reverse("payroll-list"), {"month": "10/2025", "field": SA}))
    assert "1 bảng chi trả, 2 dòng, 2 người" in filtered


def test_it_explains_bad_filters_without_an_error_page(who, people):  # type: ignore[no-untyped-def]
    client = as_(who.lan)
    for query in ({"month": "13/2025"}, {"commune": "abc"}, {"field": "x"}, {"state": "x"}, {"page": "zz"}):
        response = client.get(reverse("payroll-list"), query)
        assert response.status_code == 200
    assert "không hợp lệ" in text(client.get(reverse("payroll-list"), {"month": "13/2025"}))
    response = client.post(reverse("payroll-run"), {"unit": "x", "month": "2025-10"}, follow=True)
    assert response.status_code == 200 and not Payroll.objects.exists()


def test_it_shows_a_payroll_with_filters_and_hides_it_from_outsiders(who, people):  # type: ignore[no-untyped-def]
    p = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    url = reverse("payroll-detail", args=[p.pk])
    client = as_(who.lan)
    body = text(client.get(url))
    assert "Thạch Văn Sóc" in body and "Nguyễn Thị Ba" in body and 'data-testid="control-totals"' in body
    assert "Sóc" in text(client.get(url, {"q": "soc"})) and "Nguyễn Thị Ba" not in text(client.get(url, {"q": "soc"}))
    assert "Thạch Văn Sóc" not in text(client.get(url, {"kind": "arrears"}))
    assert client.get(url, {"hamlet": "zz", "kind": "bad", "status": "bad"}).status_code == 200
    assert as_(who.binh).get(url).status_code == 404  # another province
    assert as_(who.cong).get(url).status_code == 404  # the merit officer
    assert as_(who.lao).get(reverse("payroll-list")).status_code in (200, 403)
    assert "Thạch Văn Sóc" not in text(as_(who.lao).get(reverse("payroll-list")))
    assert client.get(reverse("payroll-detail", args=[999999])).status_code == 404


def test_it_lets_another_person_approve_and_refuses_the_preparer(who, people):  # type: ignore[no-untyped-def]
    p = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.an))
    url = reverse("payroll-detail", args=[p.pk])
    own = text(as_(who.an).get(url))
    assert 'data-testid="payroll-approve"' not in own and 'data-testid="four-eyes"' in own
    response = as_(who.an).post(reverse("payroll-approve", args=[p.pk]), {"version": p.version}, follow=True)
    assert response.status_code == 200 and "Người lập bảng không tự duyệt" in text(response)
    assert Payroll.objects.get(pk=p.pk).state == PayrollState.DRAFT
    assert as_(who.lan).post(reverse("payroll-approve", args=[p.pk])).status_code == 403  # commune officer
    assert as_(who.binh).post(reverse("payroll-approve", args=[p.pk])).status_code == 404
    # A stale version is refused with a message.
    response = as_(who.bao).post(reverse("payroll-approve", args=[p.pk]), {"version": p.version - 1}, follow=True)
    assert Payroll.objects.get(pk=p.pk).state == PayrollState.DRAFT and "thay đổi" in text(response)
    assert 'data-testid="payroll-approve"' in text(as_(who.bao).get(url))
    as_(who.bao).post(reverse("payroll-approve", args=[p.pk]), {"version": p.version})
    assert Payroll.objects.get(pk=p.pk).state == PayrollState.APPROVED
    body = text(as_(who.lan).get(url))
    assert 'data-testid="payroll-recompute"' not in body and 'data-testid="payroll-send"' in body
    assert as_(who.bao).post(reverse("payroll-send", args=[p.pk])).status_code == 403  # the leader reads only
    as_(who.lan).post(reverse("payroll-send", args=[p.pk]))
    assert Payroll.objects.get(pk=p.pk).state == PayrollState.SENT
    response = as_(who.lan).post(reverse("payroll-follow-up", args=[p.pk]), follow=True)
    assert response.status_code == 200
    assert Payroll.objects.filter(commune=tra_cu(), month=month(2025, 10), field=SA, sequence=2).exists()


def test_it_masks_accounts_for_readers_and_audits_changes(who, people):  # type: ignore[no-untyped-def]
    url = reverse("payment-method-edit", args=[people.soc.pk])
    client = as_(who.lan)
    response = client.post(url, {"channel": "bank", "bank_name": "", "account_number": ""})
    assert response.status_code == 200 and "Hãy ghi ngân hàng" in text(response)
    client.post(url, {"channel": "bank", "bank_name": "Agribank", "account_number": "7100 2050 1234"})
    method = PaymentMethod.objects.get(person=people.soc)
    assert (method.channel, method.account_number) == (Channel.BANK, "710020501234")
    event = AuditEvent.objects.filter(action="payment_method.update").latest("pk")
    assert "710020501234" not in str(event.after)
    reader = text(as_(who.bao).get(url))
    assert "••••••••1234" in reader and "710020501234" not in reader
    assert as_(who.bao).post(url, {"channel": "post"}).status_code == 403
    assert as_(who.binh).get(url).status_code == 404
    p = engine.compute(commune=tra_cu(), month=month(2025, 10), field=SA, actor=actor(who.lan))
    detail = reverse("payroll-detail", args=[p.pk])
    assert "710020501234" in text(client.get(detail))
    assert "710020501234" not in text(as_(who.bao).get(detail)) and "••••••••1234" in text(as_(who.bao).get(detail))


def test_it_shows_the_nav_entry(who, people):  # type: ignore[no-untyped-def]
    assert 'data-testid="nav-payrolls"' in text(as_(who.lan).get(reverse("payroll-list")))


def test_it_writes_no_id_with_a_thousands_separator() -> None:
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    bare = re.compile(r"\{\{ *[a-z_.]*(?:pk|_id|\.id|sequence|version) *\}\}")
    found = [f"{path.name}:{n}" for path in sorted(templates.rglob("payroll*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert not found, found
