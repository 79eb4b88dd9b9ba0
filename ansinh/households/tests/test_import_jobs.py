"""A large household file is imported by the background worker: the page hands it to a job and
shows the job's page (progress, then the result or the table of problems); nothing is written
when the file has problems. Jobs run at once in tests (settings.JOBS_TASK_BACKEND)."""

from __future__ import annotations

import io

import pytest

from ansinh.households.importer import template_xlsx
from ansinh.households.jobs import IMPORT
from ansinh.households.models import Household
from ansinh.households.tests.test_import import head, household, xlsx
from ansinh.jobs.models import Job, JobStatus
from ansinh.testing import login

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "ho.xlsx") -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


@pytest.fixture(autouse=True)
def _every_file_is_large(settings):  # type: ignore[no-untyped-def]
    settings.ANSINH_IMPORT_BACKGROUND_BYTES = 0


def test_it_imports_a_large_file_through_a_job(client, people):
    login(client, people.lan)
    response = client.post("/households/import/", {"file": upload(template_xlsx(sample=True))})
    job = Job.objects.get(kind=IMPORT)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.started_by == people.lan
    assert Household.objects.count() == job.result["households"] > 0
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Đã nhập" in page and "ho.xlsx" in page
    assert job.input_path is None or not job.input_path.exists()  # personal data is not kept once imported


def test_it_fails_the_job_with_the_problems_and_writes_nothing(client, people):
    login(client, people.lan)
    data = xlsx([household("H1"), household("H2", **{"Khu vực": "Miền núi"})], [head("H1"), head("H2", cid=None)])
    client.post("/households/import/", {"file": upload(data)})
    job = Job.objects.get(kind=IMPORT)
    assert job.status == JobStatus.FAILED and job.result["problems"]
    assert not Household.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "chưa nhập gì" in page  # "Tệp có N lỗi: chưa nhập gì…"
    assert "Khu vực" in page  # the column of a problem, in the table under it


def test_it_checks_only_in_the_background_too(client, people):
    login(client, people.lan)
    client.post("/households/import/", {"file": upload(template_xlsx(sample=True)), "check": "1"})
    job = Job.objects.get(kind=IMPORT)
    assert job.status == JobStatus.SUCCEEDED and job.result["written"] is False
    assert not Household.objects.exists()


def test_it_shows_the_job_only_to_the_person_who_started_it(client, people):
    login(client, people.lan)
    client.post("/households/import/", {"file": upload(template_xlsx(sample=True))})
    job = Job.objects.get(kind=IMPORT)
    login(client, people.minh)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    login(client, people.tung)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
