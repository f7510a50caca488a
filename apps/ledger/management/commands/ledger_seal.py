"""`manage.py ledger_seal`: number and chain every committed, unsealed entry now (what the beat task does)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from apps.ledger.models import Ledger
from apps.ledger.sealing import seal_ledger_fully, unsealed_ledger_ids

from .ledger_verify import counted, ledger_ids_for


class Command(BaseCommand):
    help = "Seal (number and hash-chain) every entry not sealed yet. Safe to run at any time, and twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ledger", nargs="+", action="extend", dest="ledgers", metavar="CODE",
            help="Seal only these ledgers (by code). Default: every ledger with unsealed entries.",
        )

    def handle(self, *args, ledgers=None, **options):
        started = time.monotonic()
        ledger_ids = ledger_ids_for(ledgers)
        if ledger_ids is None:
            ledger_ids = unsealed_ledger_ids()
        codes = dict(Ledger.objects.filter(pk__in=ledger_ids).values_list("id", "code"))
        total = 0
        for ledger_id in sorted(ledger_ids):
            code = codes[ledger_id]
            total += seal_ledger_fully(
                ledger_id, on_batch=lambda sealed, code=code: self.stdout.write(f"  {code}: {sealed:,} sealed …")
            )
        self.stdout.write(f"Sealed {counted(total, 'entry')} in {time.monotonic() - started:.2f} s.")
