"""The training pages: nothing answers 500, filters and the figures' drill-down, forms keep what
was typed, scope (404 outside, 403 for other fields), the import page and its job, the rates page
with its provisional mark, the law's rows for administrators."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from ansinh.accounts.audit import Actor
from ansinh.jobs.models import Job, JobStatus
from ansinh.labour import training
from ansinh.labour.jobs_training import IMPORT
from ansinh.labour.models import Course, Enrolment, TrainingProvider
from ansinh.labour.training_import import HEADERS
from ansinh.testing import login

from .training_helpers import labour_officer, level, member, provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(units):  # type: ignore[no-untyped-def]
    school = provider(units.vinh_long)
    course = training.course_save(actor=Actor.system(), provider=school, occupation="May công nghiệp",
                                  level=level("intermediate"), field="non_farm", starts_on=dt.date(2025, 2, 1))
    mai = member(units.tra_cu, name="Thạch Thị Mai", citizen_id="086195000001")
    enrolment = training.enrolment_save(actor=Actor.system(), course=course, person=mai,
                                        enrolled_on=dt.date(2025, 2, 1))
    member(units.tra_cu, name="Sơn Văn Tài", born=dt.date(1990, 1, 2), sex="male", citizen_id="086090000002")
    return school, course, enrolment


def test_it_shows_every_page_to_a_labour_officer(client, units, setup) -> None:
    school, course, enrolment = setup
    login(client, labour_officer(units.vinh_long))
    for url in ["/labour/training/providers/", f"/labour/training/providers/{school.pk}/",
                "/labour/training/providers/new", f"/labour/training/providers/{school.pk}/edit",
                "/labour/training/courses/", f"/labour/training/courses/{course.pk}/",
                f"/labour/training/courses/{course.pk}/edit", "/labour/training/enrolments/",
                f"/labour/training/enrolments/{enrolment.pk}/edit", "/labour/training/enrolments/import",
                "/labour/training/rates/", "/labour/training/levels/",
                "/labour/training/enrolments/?unit=abc&period=2025-Q9&breakdown=nope&page=x",
                "/labour/training/courses/?unit=999999999&period=bad&field=x",
                "/labour/training/rates/?unit=zz&period=2025-13"]:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/labour/training/courses/{course.pk}/").content.decode()
    assert "086195000001" in page  # those who change the records see the full ID


def test_it_filters_enrolments_as_the_figures_drill_down(client, units, setup) -> None:
    login(client, labour_officer(units.vinh_long))
    base = f"/labour/training/enrolments/?unit={units.tra_cu.pk}&period=2025-Q1"
    assert "Thạch Thị Mai" in client.get(base + "&breakdown=intermediate").content.decode()
    assert "Thạch Thị Mai" not in client.get(base + "&breakdown=elementary").content.decode()
    assert "Thạch Thị Mai" not in client.get(base.replace("Q1", "Q2")).content.decode()
    assert "Thạch Thị Mai" in client.get("/labour/training/enrolments/?q=thach thi").content.decode()
    assert "Thạch Thị Mai" in client.get("/labour/training/enrolments/?q=086195000001").content.decode()
    assert "Thạch Thị Mai" not in client.get("/labour/training/enrolments/?status=completed").content.decode()


def test_it_masks_ids_and_keeps_other_fields_and_outsiders_out(client, units, people, setup) -> None:
    school, course, _enrolment = setup
    login(client, people.lan)  # the commune officer reads her commune's people, IDs masked
    page = client.get("/labour/training/enrolments/").content.decode()
    assert "Thạch Thị Mai" in page and "086195000001" not in page and "•••001" in page
    # Courses are attached to the province where they are taught (labour.access): not hers to open.
    assert client.post(f"/labour/training/courses/{course.pk}/", {}).status_code == 404
    login(client, people.binh)  # another province
    assert client.get(f"/labour/training/providers/{school.pk}/").status_code == 404
    assert client.get(f"/labour/training/courses/{course.pk}/").status_code == 404
    assert "Thạch Thị Mai" not in client.get("/labour/training/enrolments/").content.decode()
    login(client, people.minh)  # a provincial officer of another field
    assert client.get("/labour/training/enrolments/").status_code == 403


def test_it_adds_a_course_and_says_why_the_level_is_refused(client, units, setup) -> None:
    school, _course, _enrolment = setup
    login(client, labour_officer(units.vinh_long))
    form = {"occupation": "Điện dân dụng", "level": str(level("vocational_secondary").pk), "field": "non_farm",
            "funding": "state", "starts_on": "2025-09-05"}
    response = client.post(f"/labour/training/providers/{school.pk}/", form)
    page = response.content.decode()
    assert response.status_code == 200 and "01/01/2026" in page and "Điện dân dụng" in page  # kept as typed
    response = client.post(f"/labour/training/providers/{school.pk}/", {**form, "starts_on": "2026-01-05"})
    assert response.status_code == 302
    assert Course.objects.filter(occupation="Điện dân dụng").exists()


def test_it_enrols_and_completes_through_the_pages(client, units, setup) -> None:
    _school, course, enrolment = setup
    login(client, labour_officer(units.vinh_long))
    response = client.post(f"/labour/training/courses/{course.pk}/",
                           {"citizen_id": "086090000002", "enrolled_on": "2025-02-01", "status": "enrolled"})
    assert response.status_code == 302 and Enrolment.objects.count() == 2
    response = client.post(f"/labour/training/courses/{course.pk}/",
                           {"citizen_id": "086000000000", "enrolled_on": "2025-02-01", "status": "enrolled"})
    assert response.status_code == 200 and Enrolment.objects.count() == 2
    response = client.post(f"/labour/training/enrolments/{enrolment.pk}/edit",
                           {"status": "enrolled", "certificate_number": "TC-1"})
    assert response.status_code == 200  # a certificate needs completion
    response = client.post(f"/labour/training/enrolments/{enrolment.pk}/edit",
                           {"status": "completed", "completed_on": "2025-06-30", "certificate_number": "TC-1"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.certificate_on) == ("completed", dt.date(2025, 6, 30))


def test_it_creates_a_provider_and_refuses_outsiders(client, units, people) -> None:
    login(client, labour_officer(units.vinh_long))
    response = client.post("/labour/training/providers/new", {
        "name": "Trung tâm GDNN Cầu Ngang", "kind": "public", "unit": str(units.vinh_long.pk),
        "decision_number": "45/QĐ-UBND", "decision_date": "2016-03-01"})
    assert response.status_code == 302 and TrainingProvider.objects.filter(name="Trung tâm GDNN Cầu Ngang").exists()
    login(client, people.lan)
    assert client.get("/labour/training/providers/new").status_code == 403


def _upload(rows: list[list[str]]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    file = io.BytesIO(out.getvalue().encode("utf-8"))
    file.name = "nguoi-hoc.csv"
    return file


ROW = ["Sơn Văn Tài", "02/01/1990", "086090000002", "Trường Trung cấp nghề Trà Cú", "Hàn", "Sơ cấp",
       "phi nông nghiệp", "", "01/03/2025", "01/03/2025", "", "", ""]


def test_it_imports_on_the_page_and_lists_the_problems(client, units, setup) -> None:
    login(client, labour_officer(units.vinh_long))
    bad = [*ROW[:5], "Tiến sĩ", *ROW[6:]]
    page = client.post("/labour/training/enrolments/import", {"file": _upload([bad])}).content.decode()
    assert "Tiến sĩ" in page and Enrolment.objects.count() == 1
    response = client.post("/labour/training/enrolments/import", {"file": _upload([ROW])})
    assert response.status_code == 302 and Enrolment.objects.count() == 2
    template = client.get("/labour/training/enrolments/template")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_it_imports_a_large_file_through_a_job(client, units, setup, settings) -> None:
    settings.ANSINH_IMPORT_BACKGROUND_BYTES = 0
    login(client, labour_officer(units.vinh_long))
    response = client.post("/labour/training/enrolments/import", {"file": _upload([ROW])})
    job = Job.objects.get(kind=IMPORT)
    assert response.status_code == 302 and job.status == JobStatus.SUCCEEDED
    assert Enrolment.objects.filter(import_job=job).count() == 1
    client.post("/labour/training/enrolments/import", {"file": _upload([ROW])})
    failed = Job.objects.filter(kind=IMPORT).order_by("-pk").first()
    assert failed is not None and failed.status == JobStatus.FAILED and failed.result["problems"]


def test_it_shows_the_rates_with_the_definition_as_provisional(client, units, setup) -> None:
    login(client, labour_officer(units.vinh_long))
    page = client.get(f"/labour/training/rates/?unit={units.vinh_long.pk}&period=2025").content.decode()
    assert "chưa xác nhận" in page and units.tra_cu.name in page and 'data-testid="rates"' in page


def test_it_lets_administrators_edit_the_levels_and_the_definition(client, units, people) -> None:
    college = level("college")
    login(client, people.lan)
    assert client.get(f"/labour/training/levels/{college.pk}/edit").status_code == 403
    login(client, people.tung)
    assert client.get("/labour/training/levels/99999/edit").status_code == 404
    response = client.post(f"/labour/training/levels/{college.pk}/edit", {
        "name": "Cao đẳng", "rank": "40", "certified": "on", "valid_from": "2015-07-01", "legal_basis": "Luật 74/2014",
        "valid_to": "2014-01-01"})
    assert response.status_code == 200  # the end before the start: refused, shown
    response = client.post(f"/labour/training/levels/{college.pk}/edit", {
        "name": "Cao đẳng", "rank": "40", "certified": "on", "valid_from": "2015-07-01", "legal_basis": "Luật 74/2014"})
    assert response.status_code == 302
    definition = training.definition_on(dt.date(2025, 1, 1))
    assert definition is not None
    assert client.get(f"/labour/training/definitions/{definition.pk}/edit").status_code == 200


def test_it_shows_the_country_its_provinces_rates(client, units, people, setup) -> None:
    from ansinh.geo.models import Level, Unit

    country = Unit.objects.get(level=Level.COUNTRY)
    login(client, people.tung)
    page = client.get(f"/labour/training/rates/?unit={country.pk}").content.decode()
    assert units.vinh_long.name in page and "chưa xác nhận" in page
    assert client.get("/labour/training/rates/").status_code == 200
