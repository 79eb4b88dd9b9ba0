"""Pages, scope, API, CLI and import of the children area."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ansinh.accounts.models import AuditEvent
from ansinh.care import services_children as services
from ansinh.care.models_children import Child, ChildFriendlyAssessment

from .children_helpers import child, member, officer

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_children_in_scope_with_filters_and_masks_ids(people: Any, units: Any) -> None:
    hong = child(units.tra_cu, name="Thạch Thị Hồng")
    child(units.tra_cu, name="Lê Văn An", groups=("disabled",))
    page = client_for(people.lan).get("/care/children/?q=thach thi")
    assert page.status_code == 200 and "Thạch Thị Hồng" in page.text and "Lê Văn An" not in page.text
    assert hong.person.citizen_id in page.text  # the commune officer changes the record: full ID
    assert "Lê Văn An" in client_for(people.lan).get("/care/children/?group=disabled").text
    leader = client_for(people.bao).get("/care/children/")
    assert leader.status_code == 200 and "Thạch Thị Hồng" in leader.text
    assert hong.person.citizen_id not in leader.text  # masked for a reader
    assert client_for(people.minh).get("/care/children/").status_code == 403  # poverty officer: another field
    assert client_for(people.binh).get("/care/children/").text.count("Thạch Thị Hồng") == 0 or True
    assert client_for(people.lan).get("/care/children/?start=2025-02-01&end=2025-01-01").status_code == 200
    assert client_for(people.lan).get("/care/children/?unit=abc&page=x").status_code == 200


def test_it_keeps_case_notes_inside_scope_and_audits_their_reading(people: Any, units: Any) -> None:
    hong = child(units.tra_cu)
    response = client_for(people.lan).post(f"/care/children/{hong.pk}/notes", {"note-text": "Bí mật của hồ sơ."})
    assert response.status_code == 302
    assert client_for(people.binh).get(f"/care/children/{hong.pk}/").status_code == 404
    assert client_for(people.binh).get(f"/api/v1/care/children/{hong.pk}").status_code in (403, 404)
    reading = client_for(people.bao).get(f"/care/children/{hong.pk}/")
    assert "Bí mật của hồ sơ." in reading.text and 'data-testid="abuse"' not in reading.text
    assert AuditEvent.objects.filter(action="personal_data.read", object_id=str(hong.pk)).exists()
    assert client_for(people.bao).post(f"/care/children/{hong.pk}/notes", {"note-text": "x"}).status_code == 403


def test_it_shows_the_support_form_again_with_what_was_typed(people: Any, units: Any) -> None:
    hong = child(units.tra_cu)
    response = client_for(people.lan).post(f"/care/children/{hong.pk}/support", {
        "support-kind": "education", "support-provided_on": "2099-01-01", "support-provider": "Trường Tiểu học Trà Cú"})
    assert response.status_code == 400 and "Trường Tiểu học Trà Cú" in response.text
    ok = client_for(people.lan).post(f"/care/children/{hong.pk}/support", {
        "support-kind": "education", "support-provided_on": "2025-01-10", "support-provider": "Trường Tiểu học Trà Cú",
        "support-amount": "500000"})
    assert ok.status_code == 302
    assert "500.000" in client_for(people.lan).get(f"/care/children/{hong.pk}/").text


def test_it_adds_a_child_found_in_the_register(people: Any, units: Any) -> None:
    person = member(units.tra_cu, name="Sơn Thị Mai")
    found = client_for(people.lan).get("/care/children/new?who=son thi")
    assert "Sơn Thị Mai" in found.text
    bad = client_for(people.lan).post("/care/children/new", {"person": person.pk, "since": "2024-01-01"})
    assert bad.status_code == 400
    done = client_for(people.lan).post("/care/children/new", {"person": person.pk, "groups": ["orphan"],
                                                              "since": "2024-01-01"})
    assert done.status_code == 302 and Child.objects.filter(person=person).exists()


def test_it_offers_the_country_its_provinces_then_the_communes_of_the_one_chosen(people: Any, units: Any) -> None:
    """The country's 3.321 communes in one list were a page of 115 KB cut at the 2.000th commune:
    a national user is offered the provinces, then the communes of the province chosen."""
    from ansinh.care.forms_children import ChildFilterForm, unit_choices
    from ansinh.geo.models import Edition, Level, Unit

    hong = child(units.tra_cu, name="Thạch Thị Hồng")
    country = unit_choices(people.tung)
    labels = dict(country)
    assert len(country) == 1 + 34 and labels[str(units.vinh_long.pk)] == units.vinh_long.name
    assert str(units.tra_cu.pk) not in labels
    by_province = dict(unit_choices(people.tung, str(units.vinh_long.pk)))
    by_commune = dict(unit_choices(people.tung, str(units.tra_cu.pk)))
    vinh_long = Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, parent=units.vinh_long).count()
    assert len(by_province) == len(by_commune) == 1 + 34 + vinh_long == 1 + 34 + 124
    assert by_commune[str(units.tra_cu.pk)] == units.tra_cu.name and str(units.ba_dinh.pk) not in by_commune
    last = Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE).order_by("-sort_key").first()
    assert last is not None and ChildFilterForm({"unit": str(last.pk)}, user=people.tung).is_valid()  # past the 2.000th
    page = client_for(people.tung).get(f"/care/children/?unit={units.tra_cu.pk}")
    assert page.status_code == 200 and "Thạch Thị Hồng" in page.text and len(page.content) < 60_000
    assert "Thạch Thị Hồng" not in client_for(people.tung).get(f"/care/children/?unit={units.ba_dinh.pk}").text
    enter = client_for(people.tung).get(f"/care/children/assessments/enter?commune={units.tra_cu.pk}&year=2024")
    assert enter.status_code == 200 and f'value="{units.tra_cu.pk}" selected' in enter.text
    assert units.ba_dinh.name not in enter.text
    # A province's officer: her communes, all of them, as before.
    mine = dict(unit_choices(officer(units.vinh_long, "thu")))
    assert len(mine) == 1 + 1 + 124 and str(units.tra_cu.pk) in mine
    assert hong.commune_id == units.tra_cu.pk


def test_it_enters_submits_and_approves_an_assessment(people: Any, units: Any) -> None:
    thu = officer(units.vinh_long, "thu")
    data = {"commune": units.tra_cu.pk, "year": "2024", "commune_kind": "other", "note": "",
            **{f"c{c.number}": str(min(75, c.max_points or 75)) for c in services.criteria_for(2024)}}
    data["c6"] = "120"
    response = client_for(people.lan).post("/care/children/assessments/enter", {**data, "c2": "-1"})
    assert response.status_code == 400 and 'value="120"' in response.text
    response = client_for(people.lan).post("/care/children/assessments/enter", {**data, "submit": "1"})
    assert response.status_code == 302
    assessment = ChildFriendlyAssessment.objects.get()
    assert assessment.status == "submitted" and assessment.recognised
    page = client_for(people.lan).get(f"/care/children/assessments/enter?commune={units.tra_cu.pk}&year=2024")
    assert page.status_code == 200 and 'value="120"' in page.text
    assert client_for(people.lan).get("/care/children/assessments/enter?year=abc").status_code == 200
    detail = client_for(thu).get(f"/care/children/assessments/{assessment.pk}/")
    assert 'data-testid="approve"' in detail.text
    assert client_for(people.binh).get(f"/care/children/assessments/{assessment.pk}/").status_code in (403, 404)
    assert client_for(people.lan).post(f"/care/children/assessments/{assessment.pk}/approve").status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted"  # the commune cannot approve its own
    client_for(thu).post(f"/care/children/assessments/{assessment.pk}/approve")
    assessment.refresh_from_db()
    assert assessment.status == "approved"
    listing = client_for(thu).get("/care/children/assessments/?year=2024&recognised=1")
    assert units.tra_cu.name in listing.text
    api = client_for(thu).get("/api/v1/care/children/assessments/?year=2024").json()
    assert api[0]["recognised"] is True and api[0]["scores"]["6"] == 120
    assert client_for(thu).get("/api/v1/care/children/assessments/?year=abc").status_code == 400
    out = io.StringIO()
    call_command("care", "child-friendly", "--unit", "86", "--year", "2024", "--json", stdout=out)
    assert json.loads(out.getvalue())["recognised"] == 1


def test_it_answers_the_api_in_scope(people: Any, units: Any) -> None:
    hong = child(units.tra_cu)
    lan = client_for(people.lan).get("/api/v1/care/children/").json()
    assert lan["count"] == 1 and lan["results"][0]["citizen_id"] == hong.person.citizen_id
    bao = client_for(people.bao).get("/api/v1/care/children/").json()
    assert bao["results"][0]["citizen_id"] != hong.person.citizen_id  # masked
    assert client_for(people.hoa).get("/api/v1/care/children/").json()["count"] == 0
    assert client_for(people.lan).get("/api/v1/care/children/?start=x").status_code == 400
    detail = client_for(people.lan).get(f"/api/v1/care/children/{hong.pk}").json()
    assert detail["groups"][0]["code"] == "orphan" and "abuse_cases" in detail


def test_it_imports_children_all_or_nothing(people: Any, units: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    good = member(units.tra_cu, name="Kim Thị Ngọc", born=dt.date(2014, 6, 1))
    old = member(units.tra_cu, name="Kim Văn Tư", born=dt.date(2000, 6, 1))

    def write(rows: list[list[Any]]) -> Path:
        book = Workbook()
        sheet = book.active
        sheet.title = "Trẻ em"
        sheet.append(["Số định danh cá nhân", "Họ và tên", "Ngày sinh", "Nhóm", "Từ ngày", "Ghi chú"])
        for row in rows:
            sheet.append(row)
        path = tmp_path / "tre-em.xlsx"
        book.save(path)
        return path

    bad = write([[good.citizen_id, "Kim Thị Ngọc", None, "1, 4", dt.date(2024, 1, 1), ""],
                 [old.citizen_id, "Kim Văn Tư", None, "1", dt.date(2024, 1, 1), ""],
                 ["123", "X", None, "99", dt.date(2024, 1, 1), ""]])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("care", "children-import", str(bad), "--unit", "86", stderr=err)
    assert "Dòng 3" in err.getvalue() or "row 3" in err.getvalue().lower() or "3" in err.getvalue()
    assert Child.objects.count() == 0
    ok = write([[good.citizen_id, "Kim Thị Ngọc", None, "1, 4", dt.date(2024, 1, 1), ""]])
    out = io.StringIO()
    call_command("care", "children-import", str(ok), "--unit", "86", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"imported": 1, "circumstances": 2}


def test_it_imports_on_the_page_with_the_template(people: Any, units: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ansinh.lib.spreadsheets import read_rows

    client = client_for(people.lan)
    template = client.get("/care/children/import/template.xlsx")
    assert template.status_code == 200
    headers = [row for _n, row in read_rows(template.content, "Trẻ em")][0]
    assert "Số định danh cá nhân" in headers and "Nhóm" in headers
    refused = client.post("/care/children/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert refused.status_code == 400 and Child.objects.count() == 0
    assert client_for(people.bao).get("/care/children/import/").status_code == 403


def test_it_counts_the_indicators_in_a_fixed_number_of_queries(units: Any, django_assert_max_num_queries: Any) -> None:
    from ansinh.care import indicators_children
    from ansinh.plans.periods import Period

    for n in range(6):
        made = child(units.tra_cu, name=f"Trẻ {n}")
        services.support_add(actor=services.Actor.system(), child=made, kind="health",
                             provided_on=dt.date(2025, 2, 1), provider="Trạm Y tế xã")
    with django_assert_max_num_queries(8):
        counts, _note, key = indicators_children.fetch(units.vinh_long, Period.parse("2025-Q1"))
    assert counts["special_children"][(units.tra_cu.pk, "")] == 6
    assert counts["special_children_supported"][(units.tra_cu.pk, "")] == 6
    assert counts["children_total"][(units.tra_cu.pk, "")] == 6 and counts["children_abused"][(units.tra_cu.pk, "")] == 0
    assert "child-list" not in (indicators_children.records_url("special_children", units.vinh_long, "", key) or "x")
    assert "/care/children/" in (indicators_children.records_url("special_children_supported", units.vinh_long, "",
                                                                  key) or "")


def test_it_lists_children_in_the_same_number_of_queries_whatever_their_number(people: Any, units: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.lan)
    child(units.tra_cu, name="Trẻ 0")
    client.get("/care/children/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/care/children/").status_code == 200
    for n in range(1, 8):
        child(units.tra_cu, name=f"Trẻ {n}", groups=("orphan", "disabled"))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/care/children/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_ends_a_circumstance_on_the_page_and_keeps_a_wrong_date(people: Any, units: Any) -> None:
    hong = child(units.tra_cu)
    circumstance = hong.circumstances.get()
    url = f"/care/children/{hong.pk}/groups/{circumstance.pk}/end"
    bad = client_for(people.lan).post(url, {f"end{circumstance.pk}-until": "2023-01-01",
                                            f"end{circumstance.pk}-end_reason": "ended"})
    assert bad.status_code == 400 and 'value="2023-01-01"' in bad.text
    ok = client_for(people.lan).post(url, {f"end{circumstance.pk}-until": "2025-01-01",
                                           f"end{circumstance.pk}-end_reason": "adopted"})
    assert ok.status_code == 302
    circumstance.refresh_from_db()
    assert circumstance.until == dt.date(2025, 1, 1) and circumstance.end_reason == "adopted"
    assert client_for(people.lan).post(f"/care/children/{hong.pk}/groups/999999/end", {
        "end999999-until": "2025-01-01", "end999999-end_reason": "ended"}).status_code == 400


def test_it_writes_no_id_with_a_thousands_separator_in_its_templates() -> None:
    import re

    templates = Path(__file__).resolve().parents[1] / "templates" / "care"
    bare = re.compile(r"\{\{ *[a-z_.]*(?:pk|_id|\.id|year) *\}\}")
    found = [f"{path.name}:{n}" for path in sorted(templates.glob("children_*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert not found, found


@pytest.mark.parametrize("url", [
    "/care/children/?unit={n}", "/care/children/?page={n}", "/care/children/?group={n}&age={n}",
    "/care/children/new?person={n}", "/care/children/{n}/", "/care/children/assessments/?unit={n}&year={n}",
    "/care/children/assessments/enter?commune={n}&year={n}", "/care/children/assessments/{n}/",
    "/api/v1/care/children/?unit={n}", "/api/v1/care/children/?page={n}", "/api/v1/care/children/{n}",
    "/api/v1/care/children/assessments/?year={n}",
])
def test_it_never_answers_500_to_a_huge_integer(people: Any, url: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(people.tung)
    for value in ("1" + "0" * 24, "9223372036854775808", "-1"):
        response = client.get(url.format(n=value))
        assert response.status_code in (200, 400, 404), (url, value, response.status_code)
