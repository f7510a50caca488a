"""Export tasks. `exports.run` takes a job id, loads the job again and calls one service, so it is safe to run
twice (a done job is left alone); acks are late, so a job whose worker died is delivered again and rewritten."""

from celery import shared_task

from . import services


@shared_task(name="exports.run", acks_late=True, reject_on_worker_lost=True)
def run_export(job_id: int) -> str | None:
    """Write one export job's file; returns the job's status."""
    job = services.export_job_run(job_id=job_id)
    return job.status if job is not None else None


@shared_task(name="exports.purge_expired", acks_late=True)
def purge_expired() -> int:
    """Delete export files older than the retention period (celery beat runs it daily); returns how many."""
    return services.exports_purge_expired()
