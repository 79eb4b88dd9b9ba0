"""The generic background jobs: a fake import job through the immediate backend and through the
database backend and its worker; failures in Vietnamese, retry, lost workers, out-of-date tasks."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ansinh.accounts.access import get_unit_for_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.jobs import live, runner, services
from ansinh.jobs.imports import import_job_start, problems_found
from ansinh.jobs.kinds import JobKind, Outcome, register
from ansinh.jobs.models import Job, JobStatus
from conftest import login

pytestmark = pytest.mark.django_db

FAKE = "tests.fake_import"
FLAKY: set[str] = set()  # file contents that fail once, then succeed


def _authorize(user, job, change):  # type: ignore[no-untyped-def]
    get_unit_for_user(user, job.unit_id, change=change)


def _run(job, progress):  # type: ignore[no-untyped-def]
    """A fake import: one row per line; "bad" rows are problems, "boom" a bug, a FLAKY file fails once."""
    text = job.input_path.read_text(encoding="utf-8")
    if text in FLAKY:
        FLAKY.discard(text)
        raise RuntimeError("the disk went away")
    rows = text.splitlines()
    problems = []
    for number, row in enumerate(rows, start=1):
        if row == "boom":
            raise RuntimeError("secret internal detail")
        if row == "bad":
            problems.append({"row": number, "column": "A", "message": "Giá trị không hợp lệ."})
        progress(number, len(rows))
    if problems:
        raise problems_found(problems)
    return Outcome(message=f"Đã nhập {len(rows)} dòng.", result={"rows": len(rows)}, done=len(rows))


register(JobKind(name=FAKE, run=_run, authorize=_authorize))


def start(user, unit, content: str) -> Job:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("ho gia dinh.csv", content.encode())
    return import_job_start(kind=FAKE, title="Nhập tệp thử", actor=Actor(user=user, ip="10.0.0.9"), upload=upload,
                            unit=unit)


@pytest.fixture
def database_backend(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """Jobs go through django-tasks-db, run by its worker in this process (its connection
    housekeeping would end the test's transaction)."""
    from django_tasks_db.management.commands import db_worker

    settings.JOBS_TASK_BACKEND = "database"
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr("ansinh.jobs.management.commands.db_worker.close_old_connections", lambda: None)


def work() -> str:
    """One pass of the worker: every queued task, then it stops."""
    from io import StringIO

    out = StringIO()
    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", "--no-reload",
                 "--verbosity", "0", stdout=out)
    return out.getvalue()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_it_runs_an_import_job_and_records_its_outcome(people, units):
    job = start(people.lan, units.tra_cu, "a\nb\nc")
    assert job.status == JobStatus.SUCCEEDED and (job.done, job.total) == (3, 3)
    assert job.message == "Đã nhập 3 dòng." and job.attempts == 1 and job.started_by == people.lan
    assert job.input_path is not None and not job.input_path.exists()  # the upload is not kept once imported
    assert live.read(job.pk) is None
    event = AuditEvent.objects.get(action="job.start")
    assert event.object_id == str(job.pk) and event.ip == "10.0.0.9" and event.unit == units.tra_cu


def test_it_reports_problems_in_vietnamese_and_keeps_the_file_for_a_retry(client, people, units):
    job = start(people.lan, units.tra_cu, "a\nbad\nc\nbad")
    assert job.status == JobStatus.FAILED
    assert job.error == "Tệp có 2 lỗi: chưa nhập gì. Hãy sửa tệp rồi tải lên lại."
    assert job.input_path is not None and job.input_path.exists()
    login(client, people.lan)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-problems"' in page and "Giá trị không hợp lệ." in page and 'data-testid="job-retry"' in page
    assert "hx-trigger" not in page  # a finished job is not polled


def test_it_hides_an_unexpected_error_from_the_user_and_logs_it(client, people, units, caplog):
    with caplog.at_level(logging.ERROR, logger="ansinh.jobs.runner"):
        job = start(people.lan, units.tra_cu, "a\nboom")
    assert job.status == JobStatus.FAILED
    assert f"#{job.pk}" in job.error and "secret internal detail" not in job.error and "Traceback" not in job.error
    assert job.error.startswith("Việc dừng vì một lỗi không lường trước")
    assert "secret internal detail" in caplog.text  # the traceback goes to the log
    login(client, people.lan)
    assert "secret internal detail" not in client.get(f"/jobs/{job.pk}/").content.decode()


def test_it_retries_a_failed_job_from_the_page(client, people, units):
    FLAKY.add("x\ny")
    job = start(people.lan, units.tra_cu, "x\ny")
    assert job.status == JobStatus.FAILED
    login(client, people.lan)
    response = client.post(f"/jobs/{job.pk}/retry/", {"next": "/households/"})
    assert response.status_code == 302 and response["Location"] == "/households/"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.error == "" and job.done == 2
    assert AuditEvent.objects.filter(action="job.retry", object_id=str(job.pk)).count() == 1
    # A job that did not fail is not run again; an address outside the site is not followed.
    response = client.post(f"/jobs/{job.pk}/retry/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert AuditEvent.objects.filter(action="job.retry").count() == 1


def test_it_keeps_a_job_from_those_outside_its_unit(client, people, units):
    job = start(people.lan, units.tra_cu, "bad")
    login(client, people.binh)  # a commune officer of Hà Nội
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/", f"/jobs/{job.pk}/download/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    login(client, people.bao)  # the provincial leader sees it, may not run it again
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-error"' in page and 'data-testid="job-retry"' not in page
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    client.logout()
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 302  # to the login page


def test_it_runs_a_job_through_the_database_backend_and_the_worker(client, people, units, database_backend):
    job = start(people.lan, units.tra_cu, "a\nb")
    assert job.status == JobStatus.QUEUED and job.task_id
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    login(client, people.lan)
    partial = client.get(f"/jobs/{job.pk}/status/?poll=1").content.decode()
    assert 'data-status="queued"' in partial and 'hx-trigger="every 2s"' in partial
    assert 'data-testid="job-refresh"' in partial  # without JavaScript, a link reloads the page
    # The same work started again joins the waiting job.
    again = start(people.lan, units.tra_cu, "a\nb")
    assert again.pk != job.pk  # an upload is a new import (no record to share)...
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.done == 2
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    partial = client.get(f"/jobs/{job.pk}/status/?poll=1").content.decode()
    assert 'data-status="succeeded"' in partial and "hx-trigger" not in partial


def test_it_runs_again_a_job_whose_worker_died(people, units, database_backend):
    job = start(people.lan, units.tra_cu, "a\nb\nc")
    first_task = job.task_id
    # A worker claimed it and died mid-way (killed: no heartbeat since, its process is gone).
    DBTaskResult.objects.get(id=first_task).claim("dead-worker")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, started_at=timezone.now(),
                                         worker=f"{runner.socket.gethostname()}:{dead_pid()}")
    live.write(job.pk, {"done": 1, "total": 3, "message": "", "heartbeat": timezone.now().timestamp()})
    out = work()  # a new worker starts
    job.refresh_from_db()
    assert f"Job #{job.pk}" in out
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2 and job.done == 3
    old = DBTaskResult.objects.get(id=first_task)
    assert old.status == "FAILED" and old.exception_class_path.endswith("WorkerLost")
    assert job.task_id != first_task and DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_it_takes_a_stale_heartbeat_as_a_lost_worker(client, people, units, database_backend, settings):
    job = start(people.lan, units.tra_cu, "a")
    long_ago = timezone.now() - dt.timedelta(seconds=settings.JOBS_STALE_SECONDS + 5)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, started_at=long_ago,
                                         worker="another-server:4242")
    live.write(job.pk, {"done": 0, "total": 1, "message": "", "heartbeat": timezone.now().timestamp()})
    login(client, people.lan)
    assert 'data-status="running"' in client.get(f"/jobs/{job.pk}/status/").content.decode()  # alive
    live.write(job.pk, {"done": 0, "total": 1, "message": "", "heartbeat": long_ago.timestamp()})
    partial = client.get(f"/jobs/{job.pk}/status/").content.decode()  # the page notices
    assert 'data-status="queued"' in partial and "Tiến trình xử lý nền đã dừng khi đang chạy việc này" in partial
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_it_stops_running_again_a_job_that_keeps_killing_its_worker(client, people, units, database_backend,
                                                                     settings):
    job = start(people.lan, units.tra_cu, "a")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=settings.JOBS_MAX_ATTEMPTS,
                                         started_at=timezone.now(), worker="another-server:1")
    assert services.recover_lost_jobs() == []  # just started, heartbeat fresh
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    assert services.recover_lost_jobs() == [(job.pk, "failed")]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "3 lần" in job.error
    login(client, people.lan)
    assert 'data-testid="job-retry"' in client.get(f"/jobs/{job.pk}/").content.decode()
    client.post(f"/jobs/{job.pk}/retry/")
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1


def test_it_ignores_an_out_of_date_task(people, units, database_backend):
    job = start(people.lan, units.tra_cu, "a")
    assert runner.execute(job.pk, "not-the-token") == {"job": job.pk, "skipped": True}
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 0


def test_it_says_when_no_worker_takes_the_job(client, people, units, database_backend):
    job = start(people.lan, units.tra_cu, "a")
    login(client, people.lan)
    assert 'data-testid="job-no-worker"' not in client.get(f"/jobs/{job.pk}/status/").content.decode()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert 'data-testid="job-no-worker"' in client.get(f"/jobs/{job.pk}/status/").content.decode()


def test_it_lists_a_persons_own_jobs_and_everyones_for_an_administrator(client, people, units):
    done = start(people.lan, units.tra_cu, "a\nb")
    failed = start(people.lan, units.tra_cu, "bad")
    other = Job.objects.create(kind=FAKE, title="Việc của người khác", unit=units.tra_cu, started_by=people.bao)
    login(client, people.lan)
    page = client.get("/jobs/").content.decode()
    assert f'href="/jobs/{done.pk}/"' in page and f'href="/jobs/{failed.pk}/"' in page
    assert "Việc của người khác" not in page and "2 việc" in page
    assert 'data-status="failed"' in page and "Tệp có 1 lỗi" in page
    page = client.get("/jobs/?status=failed").content.decode()
    assert f'href="/jobs/{failed.pk}/"' in page and f'href="/jobs/{done.pk}/"' not in page
    # Someone else's jobs are not for her, even asked for; a bad filter is ignored, never a 500.
    page = client.get("/jobs/?who=all&status=nonsense&page=x").content.decode()
    assert "Việc của người khác" not in page and f'href="/jobs/{done.pk}/"' in page
    login(client, people.tung)  # an administrator
    assert f'href="/jobs/{other.pk}/"' not in client.get("/jobs/").content.decode()
    page = client.get("/jobs/?who=all").content.decode()
    assert f'href="/jobs/{other.pk}/"' in page and f'href="/jobs/{done.pk}/"' in page and "3 việc" in page
    login(client, people.binh)
    assert 'data-testid="job-list-empty"' in client.get("/jobs/").content.decode()
    client.logout()
    assert client.get("/jobs/").status_code == 302
