"""Profit-recycling tasks. Both take ids (or nothing), load the rows again and call one service, so both are safe to
run twice; acks are late, so a task whose worker died before it finished is delivered again, and the transaction it
had open rolled back with the connection: nothing is ever half done."""

import logging

from celery import shared_task

from apps.core.exceptions import DomainError

from . import services

TASK_ACTOR = "task:exportfinance_recycle_report"
log = logging.getLogger(__name__)


@shared_task(name="exportfinance.recycle_report", acks_late=True, reject_on_worker_lost=True)
def recycle_report(report_id: int) -> int | None:
    """Assess the share of one report's project and period (queued when the report commits); returns the share's
    id, or None when it was refused (no rule in force, a closed year: the monthly sweep tries again)."""
    try:
        return services.profit_share_assess(actor=TASK_ACTOR, report=report_id).pk
    except DomainError as refusal:
        log.warning("profit report #%s not recycled: %s", report_id, refusal.message)
        return None


@shared_task(name="exportfinance.recycle_sweep", acks_late=True)
def recycle_sweep() -> dict[str, int]:
    """Assess every current report a task missed (celery beat runs it monthly)."""
    result = services.recycle_sweep()
    return {"assessed": result.assessed, "failed": result.failed}
