"""`manage.py ledger_verify`: recompute every ledger's totals, numbering and hash chain; exit non-zero on any
discrepancy."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from apps.ledger.models import Ledger
from apps.ledger.sealing import unsealed_ledger_ids
from apps.ledger.tasks import seal_ledgers
from apps.ledger.verification import verify

COUNTED = (
    ("ledgers", "ledger"), ("accounts", "account"), ("entries", "entry"), ("lines", "line"), ("seals", "seal"),
    ("holds", "hold"), ("account_days", "day total"),
)


def counted(n: int, noun: str) -> str:
    """'1 entry', '2,000 entries'."""
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def ledger_ids_for(codes: list[str] | None) -> list[int] | None:
    """The ids of the ledgers named by code, or None for every ledger; an unknown code is an error."""
    if not codes:
        return None
    found = dict(Ledger.objects.filter(code__in=codes).values_list("code", "id"))
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise CommandError(f"no ledger with code {', '.join(unknown)}")
    return sorted(found.values())


class ProgressDisplay:
    """Shows `verify`'s progress: one line rewritten in place on a terminal, plain periodic lines otherwise
    (a log file or a CI console would fill with carriage returns)."""

    EVERY_SECONDS = 5.0

    def __init__(self, out: OutputWrapper):
        self.out = out
        self.tty = out.isatty()
        self.step = ""
        self.finished = ""
        self.step_started = 0.0
        self.last_line = 0.0
        self.last_percent = -1

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if step == self.finished:
            return
        if step != self.step:
            self.step, self.step_started, self.last_line, self.last_percent = step, now, now, -1
            if not self.tty:
                self.out.write(f"  {step} …")
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        if percent >= 100 and (total <= 0 or done >= total):
            self._finished_step(now)
            return
        if self.tty:
            if percent != self.last_percent:
                counts = f" ({done:,}/{total:,})" if total > 1 else ""
                self.out.write(f"\r\x1b[K  {step} {percent:3d}%{counts}", ending="")
                self.out.flush()
        elif (percent > 0 and percent // 10 > self.last_percent // 10) or now - self.last_line >= self.EVERY_SECONDS:
            self.out.write(f"  {step} {percent}% ({done:,}/{total:,})")
            self.last_line = now
        self.last_percent = percent

    def _finished_step(self, now: float) -> None:
        line = f"  ✓ {self.step} ({now - self.step_started:.2f} s)"
        self.out.write(f"\r\x1b[K{line}" if self.tty else line)
        self.step, self.finished = "", self.step


class Command(BaseCommand):
    help = (
        "Verify the ledgers: stored totals, reservations and day totals against the lines, balanced entries, "
        "running balances, gapless numbering and the hash chain. Exits non-zero if anything disagrees."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ledger", nargs="+", action="extend", dest="ledgers", metavar="CODE",
            help="Verify only these ledgers (by code); may be repeated. Default: every ledger.",
        )
        parser.add_argument("--seal-first", action="store_true", help="Seal every unsealed entry before verifying.")

    def handle(self, *args, ledgers=None, seal_first=False, **options):
        ledger_ids = ledger_ids_for(ledgers)
        if seal_first:
            started = time.monotonic()
            sealed = seal_ledgers(ledger_ids if ledger_ids is not None else unsealed_ledger_ids())
            self.stdout.write(f"Sealed {counted(sealed, 'entry')} ({time.monotonic() - started:.2f} s).")
        self.stdout.write("Verifying " + (f"ledger(s) {', '.join(sorted(ledgers))}" if ledgers else "every ledger"))
        result = verify(ledger_ids=ledger_ids, progress=ProgressDisplay(self.stdout))
        checked = result.checked
        counts = ", ".join(counted(checked[key], noun) for key, noun in COUNTED[:-1])
        self.stdout.write(
            f"Checked {counts} and {counted(checked['account_days'], 'day total')} in {result.seconds:.2f} s "
            f"(run #{result.run_id})."
        )
        for note in result.info:
            self.stdout.write(f"Note: {note}")
        if result.ok:
            self.stdout.write(self.style.SUCCESS("The ledgers are sound: no discrepancies."))
            return
        self.stderr.write(f"{len(result.problems):,} discrepanc{'y' if len(result.problems) == 1 else 'ies'}:")
        for problem in result.problems:
            self.stderr.write(f"  ✗ {problem}")
        raise CommandError(f"verification failed with {len(result.problems):,} discrepancies (run #{result.run_id})")
