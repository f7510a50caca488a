"""Ledger tasks: the sealer. Safe to run twice: sealing takes the chain-head lock and seals only what is left."""

from celery import shared_task

from .sealing import seal_ledger, unsealed_ledger_ids


@shared_task(name="ledger.seal_ledgers")
def seal_ledgers(ledger_ids: list[int]) -> int:
    sealed = 0
    for ledger_id in ledger_ids:
        while (n := seal_ledger(ledger_id)) > 0:
            sealed += n
    return sealed


@shared_task(name="ledger.seal_all")
def seal_all() -> int:
    return seal_ledgers(unsealed_ledger_ids())
