"""Ledger tasks: the sealer. Safe to run twice: sealing takes the chain-head lock and seals only what is left."""

from celery import shared_task

from .models import Ledger
from .sealing import seal_ledger_fully


@shared_task(name="ledger.seal_ledgers")
def seal_ledgers(ledger_ids: list[int]) -> int:
    return sum(seal_ledger_fully(ledger_id) for ledger_id in ledger_ids)


@shared_task(name="ledger.seal_all")
def seal_all() -> int:
    # Every ledger, each from its own scan position: cheaper than looking for unsealed entries across all.
    return seal_ledgers(list(Ledger.objects.order_by("pk").values_list("pk", flat=True)))
