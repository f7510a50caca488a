"""The auditors' area runs the ledgers' verification as a task: it reads every ledger and may take a while."""

from celery import shared_task

from apps.ledger.verification import verify


@shared_task(name="audit.ledger_verify")
def ledger_verify(actor_label: str) -> int | None:
    """Run `ledger_verify` over every ledger; returns the id of the recorded `VerificationRun`. Safe to run twice:
    it only reads the ledgers and records one more run."""
    return verify(actor_label=actor_label).run_id
