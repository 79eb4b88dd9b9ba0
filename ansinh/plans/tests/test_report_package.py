"""A unit's package of reports (.zip of .docx) made by a background job: started from the results
page, progress on the job's page, the download, and access."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from ansinh.jobs.models import Job, JobStatus
from ansinh.plans.jobs import PACKAGE
from ansinh.plans.tests.test_documents import communes_of, legacy, tra_vinh_plan  # noqa: F401 (fixture)
from conftest import login

pytestmark = pytest.mark.django_db


def test_it_packages_the_reports_of_a_district_and_its_communes(client, people, tra_vinh_plan):
    district = legacy("849")
    communes = communes_of(district)
    login(client, people.bao)
    results = client.get(f"/plans/{tra_vinh_plan.pk}/results?period=2020-Q1&unit={district.pk}").content.decode()
    assert 'data-testid="report-package"' in results
    response = client.post(f"/plans/{tra_vinh_plan.pk}/report-package?period=2020-Q1&unit={district.pk}")
    job = Job.objects.get(kind=PACKAGE)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.done == len(communes) + 1
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-download"' in page and f"{len(communes) + 1} báo cáo" in page

    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    package = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = package.namelist()
    assert len(names) == len(communes) + 1 and names[0] == "01-bao-cao-2020-q1-huyen-tra-cu.docx"
    first = Document(io.BytesIO(package.read(names[0])))
    # The issuing body may break over lines in its heading cell (Decree 30/2020/NĐ-CP layout).
    assert any("ỦY BAN NHÂN DÂN HUYỆN TRÀ CÚ" in " ".join(cell.text.split()) for cell in first.tables[0].rows[0].cells)

    # Outside the plan's scope: neither the job nor its file.
    login(client, people.hoa)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_it_refuses_a_package_of_a_commune_alone(client, people, tra_vinh_plan):
    commune = communes_of(legacy("849"))[0]
    login(client, people.bao)
    response = client.post(f"/plans/{tra_vinh_plan.pk}/report-package?period=2020-Q1&unit={commune.pk}")
    assert response.status_code == 302 and "/results?" in response["Location"]
    assert not Job.objects.exists()
    assert client.post(f"/plans/{tra_vinh_plan.pk}/report-package?period=2019-Q1&unit={commune.pk}").status_code == 400
    assert client.get(f"/plans/{tra_vinh_plan.pk}/report-package?period=2020-Q1").status_code == 405
