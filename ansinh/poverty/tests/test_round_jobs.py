"""A review round's classification as a background job: queued from the round's page, its progress
shown and polled, run by the worker, surviving a worker that dies mid-way, failing in Vietnamese
without touching the round, retried, and kept from those outside the round."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ansinh.poverty import services
from ansinh.poverty.jobs import CLASSIFICATION
from ansinh.poverty.models import Assessment, PovertyStatus, ReviewRound, RoundStatus
from ansinh.poverty.tests.test_round_views import flashed, province_round  # noqa: F401 (fixture)
from ansinh.jobs import live, runner
from ansinh.jobs.models import Job, JobStatus
from conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_backend(settings, monkeypatch):  # type: ignore[no-untyped-def]
    from django_tasks_db.management.commands import db_worker

    settings.JOBS_TASK_BACKEND = "database"
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr("ansinh.jobs.management.commands.db_worker.close_old_connections", lambda: None)


def work() -> None:
    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", "--no-reload",
                 "--verbosity", "0")


def test_it_queues_the_classification_and_the_page_shows_its_progress(client, people, province_round,
                                                                      database_backend):
    login(client, people.minh)
    url = f"/households/rounds/{province_round.pk}/"
    response = client.post(url + "run/")
    assert response.status_code == 302 and response["Location"] == url
    job = Job.objects.get(kind=CLASSIFICATION, subject_id=province_round.pk)
    assert job.status == JobStatus.QUEUED and job.started_by == people.minh and job.unit == province_round.unit
    assert not Assessment.objects.exists()  # nothing ran in the request
    # A second click joins the waiting job.
    client.post(url + "run/")
    assert Job.objects.filter(kind=CLASSIFICATION).count() == 1

    page = client.get(url).content.decode()
    assert 'data-testid="job"' in page and f'hx-get="/jobs/{job.pk}/status/?poll=1"' in page
    assert 'hx-trigger="every 2s"' in page and "Phân loại hộ: Rà soát định kỳ năm 2025" in page

    # The worker takes it; meanwhile the partial shows how far it is.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(),
                                         worker=runner.worker_name())
    live.write(job.pk, {"done": 2, "total": 3, "message": "Đang phân loại hộ…",
                        "heartbeat": timezone.now().timestamp()})
    partial = client.get(f"/jobs/{job.pk}/status/?poll=1").content.decode()
    assert 'data-testid="job-progress">2/3 (66%)' in partial and 'value="2"' in partial and "Đang phân loại hộ…" in partial
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, started_at=None, worker="")
    live.remove(job.pk)

    work()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.done == 3 and job.message == "Đã phân loại 3 hộ."
    assert Assessment.objects.filter(round=province_round).count() == 3
    response = client.get(f"/jobs/{job.pk}/status/?poll=1", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"  # the round's tables show the result
    page = client.get(url).content.decode()
    assert 'data-status="succeeded"' in page and 'data-testid="figures-link"' in page


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_it_completes_a_round_whose_worker_was_killed(client, people, units, province_round, database_backend):
    """Started from the page, its worker killed mid-way, a new worker started: the round completes."""
    login(client, people.minh)
    client.post(f"/households/rounds/{province_round.pk}/run/")
    job = Job.objects.get(kind=CLASSIFICATION)
    # The first worker claimed the task, wrote some progress and was killed (SIGKILL: nothing after).
    DBTaskResult.objects.get(id=job.task_id).claim("killed-worker")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, started_at=timezone.now(),
                                         worker=f"{runner.socket.gethostname()}:{dead_pid()}")
    live.write(job.pk, {"done": 0, "total": 3, "message": "", "heartbeat": timezone.now().timestamp()})
    first_task = job.task_id

    work()  # the new worker
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert DBTaskResult.objects.get(id=first_task).status == "FAILED"
    statuses = dict(Assessment.objects.filter(round=province_round).values_list("household__code", "status"))
    assert statuses == {"TC-1": PovertyStatus.POOR, "TC-2": statuses["TC-2"], "OT-1": PovertyStatus.POOR}
    assert statuses["TC-2"] != PovertyStatus.POOR
    province_round.refresh_from_db()
    assert province_round.households_classified == 3 and province_round.status == RoundStatus.OPEN


def test_it_fails_in_vietnamese_leaves_the_round_as_it_was_and_retries(client, people, units, province_round,
                                                                       monkeypatch):
    services.review_round_run(round=province_round, actor=people.minh)
    before = sorted(Assessment.objects.filter(round=province_round).values_list("pk", flat=True))
    classified_at = ReviewRound.objects.get(pk=province_round.pk).classified_at

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("numpy ran out of memory")

    monkeypatch.setattr(services, "_classify_batch", broken)
    login(client, people.minh)
    url = f"/households/rounds/{province_round.pk}/"
    response = client.post(url + "run/")
    job = Job.objects.get(kind=CLASSIFICATION)
    assert job.status == JobStatus.FAILED
    assert flashed(response) == [job.error] and job.error.startswith("Việc dừng vì một lỗi không lường trước")
    assert "numpy" not in job.error
    # The round keeps its previous results: the job's failure is the job's, not the round's.
    assert sorted(Assessment.objects.filter(round=province_round).values_list("pk", flat=True)) == before
    round_ = ReviewRound.objects.get(pk=province_round.pk)
    assert round_.classified_at == classified_at and round_.status == RoundStatus.OPEN

    page = client.get(url).content.decode()
    assert 'data-status="failed"' in page and 'data-testid="job-retry"' in page and "hx-trigger" not in page

    monkeypatch.undo()
    response = client.post(f"/jobs/{job.pk}/retry/", {"next": url})
    assert response["Location"] == url
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.error == ""
    assert Assessment.objects.filter(round=province_round).count() == 3  # replaced, not added


def test_it_keeps_the_job_from_those_outside_the_round(client, people, units, province_round, monkeypatch):
    monkeypatch.setattr(services, "_classify_batch", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    login(client, people.minh)
    client.post(f"/households/rounds/{province_round.pk}/run/")
    job = Job.objects.get(kind=CLASSIFICATION)
    assert job.status == JobStatus.FAILED

    login(client, people.binh)  # Hà Nội: the round is not in her scope
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404

    login(client, people.lan)  # the commune officer follows the province's round, may not run it
    page = client.get(f"/households/rounds/{province_round.pk}/").content.decode()
    assert 'data-status="failed"' in page and 'data-testid="job-retry"' not in page
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
