"""Writes of the exports app: queue an export job, run it (the Celery task's work), purge old files.

No money moves here: exports only read the ledger.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.actors import actor_identity

from .exceptions import InvalidExport, NotAllowed
from .models import ExportJob, JobStatus
from .selectors import may_export
from .spec import ExportSpec, export_spec
from .writers import Export

logger = logging.getLogger(__name__)

EXPORTS_DIR = "exports"
DEFAULT_RETENTION_DAYS = 7


def exports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORTS_DIR


def export_job_create(*, actor, kind: str, format: str, date_from, date_to, fund: str = "", account: str = "",
                      idempotency_key: str | None = None) -> ExportJob:
    """Queue an export of the ledger for a fund administrator or an auditor.

    Invariant: the request is checked whole before anything is stored (a job that could never run is refused);
    the task is queued once the job is committed; the same idempotency key returns the same job, never a second.
    """
    identity = actor_identity(actor)
    if identity is None or identity[0] is None or not may_export(actor):
        raise NotAllowed(_("Only auditors and fund administrators may export the ledger."))
    spec = export_spec(kind=kind, format=format, fund=fund, date_from=date_from, date_to=date_to, account=account)
    if idempotency_key:
        existing = _same_request(actor, idempotency_key)
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                requested_by=actor, kind=spec.kind, format=spec.format, fund_code=spec.fund_code,
                account_code=spec.account.code if spec.account else "", date_from=spec.date_from,
                date_to=spec.date_to, idempotency_key=idempotency_key or None,
            )
            transaction.on_commit(lambda: _queue(job.pk))
    except IntegrityError:
        if not idempotency_key:
            raise
        return _same_request(actor, idempotency_key)  # a concurrent retry with the same key won the insert
    return job


def _same_request(actor, key: str) -> ExportJob | None:
    job = ExportJob.objects.filter(idempotency_key=key).first()
    if job is not None and job.requested_by_id != actor.pk:
        raise InvalidExport(_("This idempotency key was used for another request."), field="idempotency_key")
    return job


def _queue(job_id: int) -> None:
    from .tasks import run_export

    run_export.delay(job_id)


def spec_of(job: ExportJob) -> ExportSpec:
    return export_spec(kind=job.kind, format=job.format, fund=job.fund_code, date_from=job.date_from,
                       date_to=job.date_to, account=job.account_code)


class JobProgress:
    """Records a running export's progress on its job, at most every `EVERY` seconds. On PostgreSQL it writes
    through a second connection: the export's own connection is busy streaming (COPY) inside its snapshot
    transaction, and what it wrote there would only show when the export commits."""

    EVERY = 0.5

    def __init__(self, job_id: int):
        self.job_id = job_id
        self._last = 0.0
        self._side = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done not in (0, total) and now - self._last < self.EVERY:
            return
        self._last = now
        percent = min(99, done * 100 // total) if total else 0
        target = connection
        if connection.vendor == "postgresql":
            if self._side is None:
                self._side = connections.create_connection("default")
            target = self._side
        with target.cursor() as cur:
            cur.execute("UPDATE exports_exportjob SET progress = %s, lines_done = %s, lines_total = %s WHERE id = %s",
                        [percent, min(done, total), total, self.job_id])

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write the job's file under MEDIA_ROOT/exports and record its control totals.

    Invariant: a job is done only with its whole file in place (written aside, then renamed) and its control
    totals stored; a failure leaves no file and says why on the job. Safe to run twice: a done or expired job is
    left alone, and a job whose worker died is written again from the start.
    """
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.EXPIRED):
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(), error="")
    folder = exports_root()
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{job.pk}-{job.filename}"
    partial = folder / f".{job.pk}-{uuid.uuid4().hex}.part"
    progress = JobProgress(job.pk)
    try:
        export = Export(spec_of(job), progress=progress, progress_between_reads=True)
        with open(partial, "wb") as out:
            control = export.write_to(out)
        os.replace(partial, final)
    except Exception as exc:  # the job records why; the worker goes on with the next task
        partial.unlink(missing_ok=True)
        logger.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=str(exc)[:2000],
                                                   finished_at=timezone.now())
        return ExportJob.objects.get(pk=job.pk)
    finally:
        progress.close()
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, lines_done=control.lines, lines_total=control.lines,
        file=f"{EXPORTS_DIR}/{final.name}", size=final.stat().st_size, control=control.as_dict(),
        finished_at=timezone.now(),
    )
    return ExportJob.objects.get(pk=job.pk)


def exports_purge_expired(*, days: int | None = None) -> int:
    """Delete export files older than `days` (EXPORTS_RETENTION_DAYS, 7 by default) and mark their jobs
    expired; returns how many files were deleted. Left-over partial files of that age go too."""
    days = days if days is not None else getattr(settings, "EXPORTS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    for job in ExportJob.objects.filter(status=JobStatus.DONE, finished_at__lt=cutoff).exclude(file=""):
        path = Path(settings.MEDIA_ROOT) / job.file
        if path.exists():
            path.unlink()
            deleted += 1
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.EXPIRED, file="", size=0)
    folder = exports_root()
    if folder.exists():
        kept = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
        for path in folder.iterdir():
            old = path.stat().st_mtime < cutoff.timestamp()
            if path.is_file() and old and f"{EXPORTS_DIR}/{path.name}" not in kept:
                path.unlink()
                deleted += 1
    return deleted
