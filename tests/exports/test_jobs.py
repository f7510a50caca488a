"""Large exports run as jobs: queued when committed, written by the `exports.run` task with progress, downloaded
when done, retried safely, purged after the retention period; on PostgreSQL and Redis by a real worker."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from apps.exports import services
from apps.exports.exceptions import InvalidExport, NotAllowed
from apps.exports.models import ExportJob, JobStatus
from apps.ledger.models import LedgerChain

from .conftest import YEAR_FROM, YEAR_TO, read_csv

REQUEST = {"kind": "journal", "format": "csv", "fund": "wwcf", "date_from": YEAR_FROM, "date_to": YEAR_TO}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def create(actor, django_capture_on_commit_callbacks, **overrides) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_create(actor=actor, **{**REQUEST, **overrides})
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_job_is_written_when_it_commits_with_its_progress_and_control_totals(
        books, auditor, media, django_capture_on_commit_callbacks):
    job = create(auditor, django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.lines_done, job.lines_total) == (JobStatus.DONE, 100, 6, 6)
    assert job.started_at <= job.finished_at
    path = media / job.file
    assert path.name.endswith("wwcf-journal-2026-01-01-2026-12-31.csv")
    _, rows, control, seals = read_csv(path.read_bytes())
    assert len(rows) == 6 and job.size == path.stat().st_size
    assert job.control["total_debit"] == int(control["total_debit"]) == 8_500_000
    head = LedgerChain.objects.get(ledger=books["wwcf"].ledger).head_hash
    assert job.control["last_seals"][0]["hash"] == seals[0][2] == head


@pytest.mark.django_db
def test_running_a_job_twice_leaves_it_done_with_one_file(books, auditor, media, django_capture_on_commit_callbacks):
    job = create(auditor, django_capture_on_commit_callbacks)
    again = services.export_job_run(job_id=job.pk)
    assert again.status == JobStatus.DONE and again.finished_at == job.finished_at
    assert [p.name for p in (media / "exports").iterdir()] == [Path(job.file).name]


@pytest.mark.django_db
def test_the_same_idempotency_key_returns_the_first_job(books, auditor, django_capture_on_commit_callbacks):
    first = create(auditor, django_capture_on_commit_callbacks, idempotency_key="k-1")
    second = create(auditor, django_capture_on_commit_callbacks, idempotency_key="k-1")
    assert first.pk == second.pk and ExportJob.objects.count() == 1


@pytest.mark.django_db
def test_a_retry_that_loses_the_insert_race_returns_the_winners_job(books, auditor, monkeypatch):
    winner = ExportJob.objects.create(requested_by=auditor, kind="journal", format="csv", fund_code="wwcf",
                                      date_from=YEAR_FROM, date_to=YEAR_TO, idempotency_key="race-1")
    looked = []
    same_request = services._same_request

    def raced(actor, key):  # the first look happens before the concurrent request commits its job
        looked.append(key)
        return None if len(looked) == 1 else same_request(actor, key)

    monkeypatch.setattr(services, "_same_request", raced)
    job = services.export_job_create(actor=auditor, **REQUEST, idempotency_key="race-1")
    assert job.pk == winner.pk and looked == ["race-1", "race-1"]
    assert ExportJob.objects.count() == 1


@pytest.mark.django_db
def test_a_job_that_cannot_be_written_fails_and_says_why(books, fund_admin, media,
                                                         django_capture_on_commit_callbacks):
    job = create(fund_admin, django_capture_on_commit_callbacks, kind="gl", format="xlsx")
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, fund_code="gone")
    job = services.export_job_run(job_id=job.pk)
    assert job.status == JobStatus.FAILED and "gone" in job.error
    assert not list((media / "exports").glob(".*.part"))


@pytest.mark.django_db
def test_bad_requests_and_other_people_are_refused_before_anything_is_queued(books, auditor, outsider, member_a):
    with pytest.raises(InvalidExport) as refused:
        services.export_job_create(actor=auditor, **{**REQUEST, "date_to": YEAR_FROM - timedelta(days=1)})
    assert refused.value.field == "date_to"
    with pytest.raises(InvalidExport) as refused:
        services.export_job_create(actor=auditor, **{**REQUEST, "kind": "saft"})
    assert refused.value.field == "format"
    for person in (outsider, member_a):
        with pytest.raises(NotAllowed):
            services.export_job_create(actor=person, **REQUEST)
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_the_daily_purge_deletes_files_past_the_retention_period(books, auditor, media,
                                                                  django_capture_on_commit_callbacks):
    from apps.exports.tasks import purge_expired

    old = create(auditor, django_capture_on_commit_callbacks)
    recent = create(auditor, django_capture_on_commit_callbacks, kind="gl")
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    stray = media / "exports" / ".9-abc.part"
    stray.write_bytes(b"x")
    os.utime(stray, (time.time() - 9 * 86400,) * 2)

    assert purge_expired.delay().get() == 2
    old.refresh_from_db()
    assert (old.status, old.file) == (JobStatus.EXPIRED, "")
    assert sorted(p.name for p in (media / "exports").iterdir()) == [Path(recent.file).name]


def real_worker(test):
    return pytest.mark.redis(pytest.mark.postgres(pytest.mark.django_db(transaction=True)(test)))


@real_worker
def test_a_real_worker_writes_the_job_and_its_progress_reaches_one_hundred(books, auditor, media, monkeypatch):
    from config.celery import app
    from tests.workers import own_queue, wait_for, worker_process

    queue = own_queue("exports")
    before = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = queue, False
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    worker = worker_process(queue, f"exports-{os.getpid()}")
    try:
        job = services.export_job_create(actor=auditor, **{**REQUEST, "kind": "saft", "format": "xml", "fund": ""})
        wait_for(lambda: ExportJob.objects.get(pk=job.pk).status in (JobStatus.DONE, JobStatus.FAILED), 90,
                 "the worker to finish the export")
    finally:
        app.conf.task_default_queue, app.conf.task_always_eager = before
        worker.terminate()
        worker.wait(timeout=30)
    job.refresh_from_db()
    assert (job.status, job.progress, job.lines_done, job.error) == (JobStatus.DONE, 100, 8, "")
    assert (media / job.file).read_bytes().startswith(b'<?xml version="1.0"')


@pytest.mark.django_db
def test_more_lines_than_an_excel_sheet_holds_are_refused_as_xlsx_before_queueing(books, auditor, monkeypatch):
    from apps.exports.writers import as_xlsx

    monkeypatch.setattr(as_xlsx, "MAX_ROWS", 5)
    with pytest.raises(InvalidExport) as refused:
        services.export_job_create(actor=auditor, **{**REQUEST, "format": "xlsx"})
    assert refused.value.field == "format" and "CSV" in refused.value.message
    assert not ExportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_running_job_shows_its_progress_as_it_goes(books, auditor, monkeypatch):
    from apps.exports import sources

    monkeypatch.setattr(sources, "FETCH", 2)
    monkeypatch.setattr(services.JobProgress, "EVERY", 0)
    seen = []
    record = services.JobProgress.__call__
    # What the page polling the job sees: another connection (the export's own is busy streaming).
    page = connections.create_connection("default")

    def watched(progress, done, total):
        record(progress, done, total)
        with page.cursor() as cur:
            cur.execute("SELECT status, progress, lines_done, lines_total FROM exports_exportjob WHERE id = %s",
                        [progress.job_id])
            seen.append(tuple(cur.fetchone()))

    monkeypatch.setattr(services.JobProgress, "__call__", watched)
    try:
        job = services.export_job_create(actor=auditor, **{**REQUEST, "kind": "saft", "format": "xml"})
    finally:
        page.close()
    job.refresh_from_db()
    assert seen[0] == (JobStatus.RUNNING, 0, 0, 6)
    assert (JobStatus.RUNNING, 33, 2, 6) in seen and (JobStatus.RUNNING, 66, 4, 6) in seen
    assert seen[-1] == (JobStatus.RUNNING, 99, 6, 6)  # 100 only once the file is in place
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
