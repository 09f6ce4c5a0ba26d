"""Background jobs on real queues, run by real worker processes.

Each test starts `manage.py worker` in a separate process against the test database
(and the test's media folder), starts a job through the web client and waits for the
worker to finish it. The tests are transactional so the worker sees committed rows.

The Redis tests need Redis at 127.0.0.1:6379 (or TEST_REDIS_URL). They are skipped
when it is unreachable, except in CI (CI=true), where they must run.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.records import services
from assessments.reporting.models import Job
from tests.conftest import client_for, complete, fill_draft

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(django_settings.BASE_DIR)
WAIT_SECONDS = 120


@pytest.fixture
def second_completed(employee: Any, assessor: Any) -> Any:
    draft = fill_draft(services.assessment_create(employee=employee, assessor=assessor))
    return complete(draft, assessor)


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": str(today - dt.timedelta(days=30)), "end": str(today)}


def _database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class Worker:
    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process = process
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _start_worker(tmp_path: Path, settings: Any, extra_env: dict[str, str]) -> Worker:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "0",
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "INFO",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return Worker(process, log)


def _stop(worker: Worker) -> None:
    worker.process.terminate()
    try:
        worker.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait(timeout=10)


def _wait_for(job_pk: int, worker: Worker) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_pk)
        if job.is_finished:
            return job
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited early:\n{worker.output()}")
        time.sleep(0.25)
    pytest.fail(f"job {job_pk} did not finish in {WAIT_SECONDS}s; worker said:\n{worker.output()}")


def _check_pack(client: Any, job: Job, expected_reports: int) -> None:
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.done, job.total) == (expected_reports + 1, expected_reports + 1)
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"{job.total} of {job.total} reports" in page
    download = client.get(reverse("job_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len([n for n in pdfs if n.startswith("manager-reports/")]) == expected_reports
    assert any(n.startswith("department-report-") for n in pdfs)
    for name in pdfs:
        assert len(PdfReader(io.BytesIO(archive.read(name))).pages) >= 1, name


# --- Database queue (django-tasks-db, `db_worker`) ---------------------------------------------


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_worker(database_queue: None, tmp_path: Path, settings: Any) -> Iterator[Worker]:
    worker = _start_worker(tmp_path, settings, {"TASK_BACKEND": "database"})
    yield worker
    _stop(worker)


def test_a_database_worker_builds_the_report_pack(
    db_worker, manager, department, completed, second_completed
):
    from django_tasks_db.models import DBTaskResult

    client = client_for(manager)
    response = client.post(reverse("pack_start"), {"department": department.pk, **_period()})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert "Queued" in client.get(job.get_absolute_url()).content.decode() or job.is_finished
    job = _wait_for(job.pk, db_worker)
    _check_pack(client, job, expected_reports=2)
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids  # run by the worker process, not in the request


def test_a_database_worker_emails_the_report(db_worker, assessor, manager, completed):
    manager.email = "manager@example.org"
    manager.save()
    client_for(assessor).post(reverse("report_email", args=[completed.pk]))
    job = _wait_for(Job.objects.get().pk, db_worker)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.done, job.total) == (1, 1)
    output = db_worker.output()
    assert "To: manager@example.org" in output
    assert "Manager report: Robin Patel" in output


def test_a_task_that_failed_in_the_worker_shows_the_job_as_failed(
    database_queue, manager, department, completed
):
    from django_tasks_db.models import DBTaskResult

    client = client_for(manager)
    client.post(reverse("pack_start"), {"department": department.pk, **_period()})
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    # The worker died mid-task: the queue recorded the failure, the job never could.
    DBTaskResult.objects.get(id=job.task_id).set_failed(MemoryError("out of memory"))
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The job failed." in page
    assert "The worker stopped before the job finished (builtins.MemoryError)" in page
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


# --- Redis queue (django-tasks-rq, `rqworker`) ----------------------------------------------------


def _redis_url() -> str:
    # A database number of its own per run, so a concurrent run's worker does not take our jobs.
    return os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{random.randint(8, 15)}")


@pytest.fixture
def redis_queue(settings: Any) -> Iterator[str]:
    import redis

    url = _redis_url()
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Redis is not reachable at {url}, and in CI the Redis tests must run")
        pytest.skip(f"Redis is not reachable at {url}")
    client.flushdb()
    settings.TASK_BACKEND = "rq"
    settings.REDIS_URL = url
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    yield url
    client.flushdb()


@pytest.fixture
def rq_worker(redis_queue: str, tmp_path: Path, settings: Any) -> Iterator[Worker]:
    worker = _start_worker(tmp_path, settings, {"TASK_BACKEND": "rq", "REDIS_URL": redis_queue})
    yield worker
    _stop(worker)


def test_an_rq_worker_builds_the_report_pack(
    rq_worker, manager, department, completed, second_completed
):
    client = client_for(manager)
    client.post(reverse("pack_start"), {"department": department.pk, **_period()})
    job = _wait_for(Job.objects.get().pk, rq_worker)
    _check_pack(client, job, expected_reports=2)
    assert "build_report_pack" in rq_worker.output()


def test_an_rq_worker_emails_the_report(rq_worker, assessor, manager, completed):
    manager.email = "manager@example.org"
    manager.save()
    client_for(assessor).post(reverse("report_email", args=[completed.pk]))
    job = _wait_for(Job.objects.get().pk, rq_worker)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert "To: manager@example.org" in rq_worker.output()


def test_readiness_follows_redis_when_jobs_go_through_it(redis_queue, client, settings):
    assert client.get(reverse("readyz")).status_code == 200
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
