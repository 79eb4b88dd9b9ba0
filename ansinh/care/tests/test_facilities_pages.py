"""Scope, pages, API, CLI and import of care facilities (issue 14 items 2 and 5)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ansinh.care import access_facilities as access
from ansinh.care.import_facilities import import_residents
from ansinh.care.models import Resident
from ansinh.lib.tabular import ImportProblems

from .facilities_helpers import SYSTEM, admit, facility, officer

pytestmark = pytest.mark.django_db

CID = "086095000123"


@pytest.fixture
def world(people: Any, units: Any) -> Any:
    from types import SimpleNamespace

    centre = facility(units.vinh_long, code="BTXH", capacity=50)
    village = facility(units.vinh_long, code="LANG", kind="children")
    commune = facility(units.tra_cu, code="CTXH", kind="social_work")
    hanoi = facility(units.ha_noi, code="HN")
    resident = admit(centre, citizen_id=CID, name="Nguyễn Thị Hoa", sex="female")
    admit(commune, number="C1", name="Lê Văn Tám")
    admit(hanoi, number="H1", name="Phạm Văn Hà")
    return SimpleNamespace(centre=centre, village=village, commune=commune, hanoi=hanoi, resident=resident,
                           social=officer("xa", "social_assistance", units.vinh_long),
                           child=officer("tre", "children", units.vinh_long))


def codes(queryset: Any) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_it_scopes_facilities_by_field_and_unit(people: Any, world: Any) -> None:
    assert codes(access.facilities_for_user(world.social)) == {"BTXH", "CTXH"}
    assert codes(access.facilities_for_user(world.child)) == {"LANG"}
    assert codes(access.facilities_for_user(people.minh)) == set()  # poverty officer: the figures only
    assert codes(access.facilities_for_user(people.lan)) == {"CTXH"}  # her commune's, not the province's
    assert codes(access.facilities_for_user(people.bao)) == {"BTXH", "LANG", "CTXH"}
    assert codes(access.facilities_for_user(people.binh)) == set()
    assert len(codes(access.facilities_for_user(people.duc))) == 4
    assert access.may_change(world.social, world.centre) and not access.may_change(world.child, world.centre)
    assert access.may_change(people.lan, world.commune) and not access.may_change(people.bao, world.centre)
    assert access.may_change(people.tung, world.hanoi)


def test_it_shows_the_pages_to_those_in_scope(people: Any, world: Any) -> None:
    client = Client()
    client.force_login(world.social)
    page = client.get("/care/facilities/")
    assert page.status_code == 200 and "Cơ sở BTXH" in page.content.decode() and "Cơ sở HN" not in page.content.decode()
    detail = client.get(f"/care/facilities/{world.centre.pk}")
    assert detail.status_code == 200 and 'data-testid="occupancy"' in detail.content.decode()
    assert client.get(f"/care/facilities/{world.hanoi.pk}").status_code == 404
    assert client.get(f"/care/facilities/{world.village.pk}").status_code == 404  # a children's facility
    listed = client.get("/care/facilities/residents/?q=nguyen thi hoa").content.decode()
    assert "Nguyễn Thị Hoa" in listed and "Lê Văn Tám" not in listed
    assert client.get("/care/facilities/residents/?admitted_from=x").status_code == 400
    assert client.get("/care/facilities/residents/?facility=99999999").status_code == 404
    assert client.get("/care/facilities/residents/?facility=abc").status_code == 404
    assert client.get("/care/facilities/residents/?group=nope").status_code == 400
    person = client.get(f"/care/facilities/residents/{world.resident.pk}").content.decode()
    assert CID in person  # she manages the centre: the full ID, audited
    assert client.get("/care/facilities/occupancy?from=2025-01&to=2025-03").status_code == 200
    assert client.get("/care/facilities/occupancy?from=2025-13").status_code == 400
    assert client.get("/care/facilities/occupancy?from=2020-01&to=2025-03").status_code == 400
    leader = Client()
    leader.force_login(people.bao)
    seen = leader.get(f"/care/facilities/residents/{world.resident.pk}").content.decode()
    assert CID not in seen and "•" * 9 + CID[-3:] in seen  # masked for a leader
    assert leader.get(f"/care/facilities/{world.centre.pk}/admit").status_code == 403
    assert leader.post(f"/care/facilities/residents/{world.resident.pk}/discharge", {}).status_code == 403


def test_it_keeps_what_was_typed_on_a_refused_admission(world: Any) -> None:
    client = Client()
    client.force_login(world.social)
    from ansinh.care.models import ResidentCategory

    elderly = ResidentCategory.objects.get(code="elderly")
    response = client.post(f"/care/facilities/{world.centre.pk}/admit", {
        "full_name": "Võ Văn Kiệt", "sex": "male", "citizen_id": CID, "category": elderly.pk,
        "admission_number": "77/QĐ", "admitted_on": "2025-02-01", "admission_decided_by": "Giám đốc"})
    body = response.content.decode()
    assert response.status_code == 400 and "hai cơ sở cùng lúc" in body and "Võ Văn Kiệt" in body and "77/QĐ" in body
    response = client.post(f"/care/facilities/{world.centre.pk}/admit", {
        "full_name": "Võ Văn Kiệt", "sex": "male", "category": elderly.pk, "admission_number": "78/QĐ",
        "admitted_on": "2025-02-01", "admission_decided_by": "Giám đốc"})
    assert response.status_code == 302
    made = Resident.objects.get(admission_number="78/QĐ")
    refused = client.post(f"/care/facilities/residents/{made.pk}/discharge",
                          {"number": "D1", "discharged_on": "2025-01-01", "reason": "death", "note": "ghi chú"})
    assert refused.status_code == 400 and "trước ngày tiếp nhận" in refused.content.decode()
    assert "ghi chú" in refused.content.decode()
    done = client.post(f"/care/facilities/residents/{made.pk}/discharge",
                       {"number": "D1", "discharged_on": "2025-03-01", "reason": "death"})
    assert done.status_code == 302
    assert Resident.objects.get(pk=made.pk).discharge_reason == "death"


def test_it_answers_the_api_in_scope(people: Any, world: Any) -> None:
    client = Client()
    client.force_login(people.bao)
    facilities = client.get("/api/v1/care/facilities/").json()
    rows = facilities["results"] if isinstance(facilities, dict) else facilities
    assert {r["code"] for r in rows} == {"BTXH", "LANG", "CTXH"}
    assert next(r for r in rows if r["code"] == "BTXH")["residents_today"] == 1
    residents = client.get("/api/v1/care/facilities/residents/?q=hoa").json()
    found = residents["results"] if isinstance(residents, dict) else residents
    assert [r["full_name"] for r in found] == ["Nguyễn Thị Hoa"] and found[0]["citizen_id"] != CID
    assert client.get("/api/v1/care/facilities/residents/?status=x").status_code == 400
    assert client.get(f"/api/v1/care/facilities/residents/{world.resident.pk}").status_code == 200
    occupancy = client.get(f"/api/v1/care/facilities/{world.centre.pk}/occupancy?from=2025-01&to=2025-02").json()
    assert [m["residents"] for m in occupancy["months"]] == [1, 1]
    assert client.get(f"/api/v1/care/facilities/{world.hanoi.pk}/occupancy").status_code == 404
    assert client.get(f"/api/v1/care/facilities/{world.centre.pk}/occupancy?from=x").status_code == 400
    social = Client()
    social.force_login(world.social)
    full = social.get(f"/api/v1/care/facilities/residents/{world.resident.pk}").json()
    assert full["citizen_id"] == CID
    from ansinh.accounts.models import AuditEvent

    assert AuditEvent.objects.filter(action="care_resident.view_id", object_id=str(world.resident.pk),
                                     actor=world.social).exists()


HEADER = ("Họ và tên,Giới tính,Ngày sinh,Số định danh,Mã xã cư trú,Mã diện đối tượng,Số quyết định tiếp nhận,"
          "Ngày tiếp nhận,Người quyết định,Lý do tiếp nhận,Hình thức cai nghiện,Thời hạn (tháng),"
          "Số quyết định dừng trợ giúp,Ngày dừng trợ giúp,Lý do dừng trợ giúp\n")


def test_it_imports_residents_all_or_nothing(units: Any, world: Any) -> None:
    good = (HEADER + "Trần Văn An,Nam,02/03/1950,,29461,elderly,12/QĐ,05/01/2025,Giám đốc,,,,,,\n"
            "Lê Thị Hoa,Nữ,11/09/1988,,,mental_illness,13/QĐ,06/01/2025,Giám đốc,,,,20/QĐ,20/03/2025,Trở về gia đình\n")
    result = import_residents(good.encode(), facility=world.centre, actor=SYSTEM)
    assert (result.rows, result.discharged) == (2, 1)
    assert Resident.objects.get(admission_number="13/QĐ").discharge_reason == "returned_family"
    bad = (HEADER + "Võ Văn Ba,Nam,,,,elderly,14/QĐ,05/01/2025,Giám đốc,,,,,,\n"
           f"Võ Văn Bốn,Nam,,{CID},,elderly,15/QĐ,05/02/2025,Giám đốc,,,,,,\n"
           "Võ Văn Năm,Nam,,,,nope,12/QĐ,05/01/2025,,,,,,20/12/2024,Chết\n")
    with pytest.raises(ImportProblems) as caught:
        import_residents(bad.encode(), facility=world.centre, actor=SYSTEM)
    problems = {(p.row, p.column) for p in caught.value.problems}
    assert (3, "Số định danh") in problems  # already at the centre
    assert (4, "Mã diện đối tượng") in problems and (4, "Số quyết định tiếp nhận") in problems
    assert (4, "Người quyết định") in problems and (4, "Ngày dừng trợ giúp") in problems
    assert not Resident.objects.filter(admission_number="14/QĐ").exists()  # nothing written


def test_it_runs_the_cli(tmp_path: Path, world: Any) -> None:
    out = StringIO()
    call_command("care", "occupancy", "--facility", "BTXH", "--month", dt.date.today().strftime("%Y-%m"), "--json",
                 stdout=out)
    assert json.loads(out.getvalue())["residents"] == 1
    path = tmp_path / "ds.csv"
    path.write_text(HEADER + "Trần Văn Út,Nam,02/03/1950,,,elderly,30/QĐ,05/01/2025,Giám đốc,,,,,,\n", encoding="utf-8")
    out = StringIO()
    call_command("care", "facilities-import", str(path), "--facility", "BTXH", "--as", "xa", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"rows": 1, "discharged": 0, "linked": 0}
    with pytest.raises(Exception, match="không quản lý"):
        call_command("care", "facilities-import", str(path), "--facility", "BTXH", "--as", "tre")


def test_it_runs_the_upload_as_a_job(settings: Any, tmp_path: Path, world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ansinh.jobs.models import Job

    settings.JOBS_DIR = str(tmp_path)
    client = Client()
    client.force_login(world.social)
    upload = SimpleUploadedFile("ds.csv", (HEADER + "Trần Văn Út,Nam,,,,elderly,31/QĐ,05/01/2025,Giám đốc,,,,,,\n")
                                .encode())
    response = client.post(f"/care/facilities/{world.centre.pk}/import", {"file": upload})
    assert response.status_code == 302
    job = Job.objects.get(kind="care.facilities_import")
    assert job.status == "succeeded", job.error
    assert Resident.objects.filter(admission_number="31/QĐ").exists()


def test_it_lets_only_an_administrator_add_a_category_version(people: Any, world: Any) -> None:
    client = Client()
    client.force_login(world.social)
    assert client.get("/care/facilities/categories").status_code == 200
    data = {"code": "elderly", "name": "Người cao tuổi", "group": "elderly_disabled", "legal_basis": "NĐ mới",
            "valid_from": "2026-07-01"}
    assert client.post("/care/facilities/categories", data).status_code == 403
    admin = Client()
    admin.force_login(people.tung)
    assert admin.post("/care/facilities/categories", data).status_code == 302
    refused = admin.post("/care/facilities/categories", {**data, "valid_from": "2026-01-01"})
    assert refused.status_code == 400 and "NĐ mới" in refused.content.decode()


def test_it_lists_residents_in_a_bounded_number_of_queries(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(12):
        admit(world.centre, number=f"Q{n}", name=f"Người Thứ {n}")
    client = Client()
    client.force_login(world.social)
    client.get("/care/facilities/residents/")  # warm the session and the scope
    with CaptureQueriesContext(connection) as few:
        client.get("/care/facilities/residents/?status=all")
    for n in range(12, 30):
        admit(world.centre, number=f"Q{n}", name=f"Người Thứ {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/care/facilities/residents/?status=all").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)  # no query per row


def test_it_edits_a_facility_and_refuses_closing_it_with_residents(people: Any, world: Any) -> None:
    client = Client()
    client.force_login(world.social)
    url = f"/care/facilities/{world.centre.pk}/edit"
    refused = client.post(url, {"name": "Trung tâm mới", "capacity": "60", "closed_on": "2025-06-30"})
    assert refused.status_code == 400 and "còn đối tượng" in refused.content.decode()
    assert "Trung tâm mới" in refused.content.decode()
    assert client.post(url, {"name": "Trung tâm mới", "capacity": "60"}).status_code == 302
    world.centre.refresh_from_db()
    assert (world.centre.name, world.centre.capacity) == ("Trung tâm mới", 60)
    leader = Client()
    leader.force_login(people.bao)
    assert leader.get(url).status_code == 403


def test_it_shows_a_members_stays_on_the_household_page_to_those_who_read_them(people: Any, world: Any,
                                                                                 units: Any) -> None:
    from django.urls import reverse

    from ansinh.care import services_facilities as services
    from ansinh.care.models import ResidentCategory
    from ansinh.households.models import Household, Member

    house = Household.objects.create(code="H-CARE-9", commune=units.tra_cu, area="rural", head_name="Sơn Thị Nga")
    person = Member.objects.create(household=house, full_name="Sơn Thị Nga", sex="female", relation="head",
                                   birth_date=dt.date(1940, 5, 1), citizen_id="086140000779")
    stay = services.resident_admit(actor=SYSTEM, facility=world.centre, data=services.Admission(
        admission_number="07/QĐ", admitted_on=dt.date(2025, 1, 5), admission_decided_by="Giám đốc",
        category=ResidentCategory.objects.get(code="elderly", valid_to__isnull=True), member=person))
    url = reverse("household-detail", args=[house.pk])

    def page(user: Any) -> str:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    shown = page(people.bao)
    assert 'data-testid="care-stays"' in shown and "Cơ sở BTXH" in shown and "05/01/2025" in shown
    assert reverse("facilities-resident-detail", args=[stay.pk]) in shown and "Đang ở cơ sở" in shown
    assert 'data-testid="care-stays"' not in page(people.minh)  # poverty officer: no facility records
    assert 'data-testid="care-stays"' not in page(people.lan)  # the province's centre is not her commune's
