"""The evaluations' task: recompute an index's year. It takes ids, loads the rows again and calls one service, so it
is safe to run twice (a finished run is not run again; a redelivered one stores the same results)."""

from celery import shared_task

from .models import EvaluationRun

TASK_ACTOR = "task:evaluations_recompute"


@shared_task(name="evaluations.recompute", acks_late=True, reject_on_worker_lost=True)
def recompute(year: int, kind: str, run_id: int | None = None) -> dict:
    """Recompute `kind` for `year` on the run `run_id` (queued by `recompute_request`), or on a new run."""
    from . import services

    if run_id is None:
        run_id = EvaluationRun.objects.create(kind=kind, year=year, actor_label=TASK_ACTOR).pk
    run = services.run_execute(run_id=run_id)
    return {"run": run.pk, "status": run.status, "done": run.done, "total": run.total, "error": run.error}
