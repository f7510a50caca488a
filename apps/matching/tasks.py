"""Matching tasks. Both take ids (or nothing), load the rows again and call one service, so both are safe to run
twice; acks are late, so a task whose worker died before it finished is delivered again, and the transaction it
had open rolled back with the connection: nothing is ever half done."""

from celery import shared_task

from . import services

TASK_ACTOR = "task:match_contribution"


@shared_task(name="matching.match_contribution", acks_late=True, reject_on_worker_lost=True)
def match_contribution(contribution_id: int) -> int | None:
    """Match one contribution (queued when it is confirmed); returns its match's id, if it has one."""
    match = services.contribution_match(actor=TASK_ACTOR, contribution=contribution_id)
    return match.pk if match is not None else None


@shared_task(name="matching.sweep", acks_late=True)
def matching_sweep() -> dict[str, int]:
    """Match every confirmed contribution a task missed (celery beat runs it every minute)."""
    result = services.matching_sweep()
    return {"matched": result.matched, "unmatched": result.unmatched, "failed": result.failed, "closed": result.closed}
