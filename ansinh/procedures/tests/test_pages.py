"""The pages: nothing answers 500, ids unlocalized, scope, a step with an error keeps the page,
the import (happy, errors, all or nothing), the counted indicators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.accounts.services import unit_for_role, user_create
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.tabular import ImportProblems
from ansinh.plans.periods import Period
from ansinh.procedures import access, indicators
from ansinh.procedures.importer import import_dossiers
from ansinh.procedures.models import Dossier, DossierEvent, DossierStatus

from .helpers import at, procedure, receive

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_scopes_dossiers_by_unit_and_field(people: Any, units: Any) -> None:
    sa = receive(procedure(3), units.tra_cu, at(2025, 3, 3))
    poverty = receive(procedure(3, field="poverty"), units.tra_cu, at(2025, 3, 3))
    hanoi = receive(procedure(3), units.ba_dinh, at(2025, 3, 3))
    assert set(access.dossiers_for_user(people.lan)) == {sa, poverty}
    assert set(access.dossiers_for_user(people.binh)) == {hanoi}
    assert set(access.dossiers_for_user(people.minh)) == {poverty}  # a poverty officer of Vĩnh Long
    assert set(access.dossiers_for_user(people.tung)) == {sa, poverty, hanoi}
    assert set(access.dossiers_to_change(people.bao)) == set()  # a leader reads only
    assert client_for(people.binh).get(reverse("procedure-dossier-detail", args=[sa.pk])).status_code == 404
    response = client_for(people.bao).post(reverse("procedure-dossier-step", args=[sa.pk, "resolve"]),
                                           {"outcome": "granted"})
    assert response.status_code == 403


def test_it_shows_every_page_without_500_and_ids_unlocalized(people: Any, units: Any) -> None:
    dossiers = [receive(procedure(3), units.tra_cu, at(2025, 3, 3)) for _ in range(2)]
    Dossier.objects.filter(pk=dossiers[0].pk).update(id=1234567)
    DossierEvent.objects.filter(dossier_id=dossiers[0].pk).update(dossier_id=1234567)
    one = Dossier.objects.get(pk=1234567)
    client = client_for(people.lan)
    pages = [reverse("procedure-dossier-list"), reverse("procedure-dossier-list") + "?tab=overdue",
             reverse("procedure-dossier-list") + "?tab=today&q=An", reverse("procedure-dossier-list") + "?tab=week",
             reverse("procedure-dossier-detail", args=[one.pk]), reverse("procedure-dossier-receive"),
             reverse("procedure-dossier-import"), reverse("procedure-rates"), reverse("procedure-list")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(reverse("procedure-dossier-list") + "?tab=overdue").content.decode()
    assert "/procedures/1234567/" in body and "1.234.567" not in body
    assert client.get(reverse("procedure-dossier-list") + "?unit=abc").status_code == 404
    assert client.get(reverse("procedure-dossier-list") + "?received_from=hôm-qua").status_code == 400
    assert client.get(reverse("procedure-dossier-list") + f"?unit={units.ba_dinh.pk}").status_code == 404
    assert client.get(reverse("procedure-apology-slip", args=[one.pk])).status_code == 404
    assert client.post(reverse("procedure-dossier-step", args=[one.pk, "nope"])).status_code == 404


def test_it_keeps_the_page_on_a_step_error_and_prints_the_apology_slip(people: Any, units: Any) -> None:
    from django.utils import timezone

    dossier = receive(procedure(20), units.tra_cu, timezone.localtime() - dt.timedelta(hours=1))
    client = client_for(people.lan)
    url = reverse("procedure-dossier-step", args=[dossier.pk, "apology"])
    response = client.post(url, {"new_due_on": "2026-01-01", "reason": "Chờ xác minh"})
    assert response.status_code == 400 and "Chờ xác minh" in response.content.decode()
    later = dossier.due_on + dt.timedelta(days=7)
    while later.weekday() >= 5:
        later += dt.timedelta(days=1)
    response = client.post(url, {"new_due_on": later.isoformat(), "reason": "Chờ xác minh"})
    assert response.status_code == 302
    slip = client.get(reverse("procedure-apology-slip", args=[dossier.pk]))
    assert slip.status_code == 200 and slip.content[:2] == b"PK"
    assert client.post(url, {"new_due_on": later.isoformat(), "reason": "Lần hai"}).status_code == 400


def test_it_receives_a_dossier_through_the_form(people: Any, units: Any) -> None:
    proc = procedure(5)
    client = client_for(people.lan)
    response = client.post(reverse("procedure-dossier-receive"), {
        "procedure": proc.pk, "unit": units.tra_cu.pk, "channel": "post", "applicant_name": "",
        "applicant_id_number": "123", "received_at": ""})
    assert response.status_code == 400 and not Dossier.objects.exists()
    response = client.post(reverse("procedure-dossier-receive"), {
        "procedure": proc.pk, "unit": units.tra_cu.pk, "channel": "post", "applicant_name": "Trần Thị Bé",
        "applicant_id_number": "", "received_at": "2026-11-02T09:00"})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and dossier.due_on == dt.date(2026, 11, 9)
    assert dossier.code.startswith(f"{units.tra_cu.code}-261102-")


HEADER = "Mã hồ sơ,Mã thủ tục,Kênh nộp,Người nộp,Mã đơn vị tiếp nhận,Ngày tiếp nhận,Giờ tiếp nhận,Ngày có kết quả,Kết quả\n"


def test_it_imports_the_portals_export_all_or_nothing(people: Any, units: Any) -> None:
    proc = procedure(3)
    good = (HEADER + f"H1,{proc.code},Trực tuyến,Lê Văn C,{units.tra_cu.code},06/01/2025,16:10,08/01/2025,Giải quyết\n"
            f"H2,{proc.code},Trực tiếp,Lê Thị D,{units.tra_cu.code},06/01/2025,,10/01/2025,Từ chối\n")
    bad = good + (f"H1,{proc.code},Fax,,99999,32/01/2025,,,\n"
                  f"H3,XX.1,Trực tiếp,Ngô E,{units.ba_dinh.code},06/01/2025,25:00,05/01/2025,\n")
    with pytest.raises(ImportProblems) as error:
        import_dossiers(bad.encode(), actor=people.lan, name="cong.csv")
    text = " ".join(str(p) for p in error.value.problems)
    assert not Dossier.objects.exists()
    for expected in ("dòng 4", "Mã hồ sơ", "Người nộp", "Mã thủ tục", "Giờ tiếp nhận", "Kết quả"):
        assert expected in text, expected
    result = import_dossiers(good.encode(), actor=people.lan, name="cong.csv")
    assert (result.rows, result.resolved) == (2, 2)
    h1 = Dossier.objects.get(code="H1")
    assert (h1.due_on, h1.status, h1.channel) == (dt.date(2025, 1, 9), DossierStatus.RESOLVED, "online")
    assert h1.events.count() == 2
    with pytest.raises(ImportProblems):  # the same codes again
        import_dossiers(good.encode(), actor=people.lan, name="cong.csv")
    with pytest.raises(ImportProblems):  # outside the importer's scope
        import_dossiers(good.replace("H1", "H9").replace("H2", "H8").encode(), actor=people.binh)


def test_it_counts_the_seed_figures_for_the_plans(units: Any) -> None:
    proc = procedure(3)
    province = Unit.objects.get(edition=Edition.CURRENT, level=Level.PROVINCE, code="86")
    dossiers = [receive(proc, units.tra_cu, at(2025, 1, 6)) for _ in range(3)]
    own = receive(proc, province, at(2025, 1, 6))
    from ansinh.procedures import services

    services.dossier_resolve(actor=None, dossier=dossiers[0], outcome="granted", result_note="", at=at(2025, 1, 8))
    services.dossier_resolve(actor=None, dossier=dossiers[1], outcome="granted", result_note="", at=at(2025, 1, 13))
    services.dossier_resolve(actor=None, dossier=own, outcome="granted", result_note="", at=at(2025, 1, 9))
    counts, note, key = indicators.fetch(province, Period.parse("2025-Q1"))
    assert counts["admin_dossiers"][(units.tra_cu.pk, "")] == 3
    assert counts["admin_dossiers_on_time"][(units.tra_cu.pk, "")] == 1
    assert counts["admin_dossiers"][(province.pk, "")] == 4 and counts["admin_dossiers_on_time"][(province.pk, "")] == 2
    url = indicators.records_url("admin_dossiers_on_time", units.tra_cu, "", key)
    assert url is not None and "timeliness=in_time" in url
    from ansinh.plans.counted import provider_for
    from ansinh.plans.models import Indicator

    assert provider_for("admin_dossiers") is indicators.PROVIDER
    assert Indicator.objects.get(code="admin_dossiers").source == "counted"


def test_it_lets_a_provincial_officer_handle_her_fields_dossiers(units: Any) -> None:
    labour = user_create(username="hai", password="correct-horse-battery", role="provincial_officer",
                         unit=unit_for_role(role="provincial_officer", code="86"), field="labour")
    mine = receive(procedure(3, field="labour"), units.tra_cu, at(2025, 3, 3), actor=labour)
    assert access.get_dossier_for_user(labour, mine.pk, change=True) == mine
    with pytest.raises(Exception):
        receive(procedure(3), units.tra_cu, at(2025, 3, 3), actor=labour)  # social assistance: not hers
