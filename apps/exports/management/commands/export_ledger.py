"""`manage.py export_ledger`: write an export of the ledger to a file (or stdout), progress on stderr.

    python manage.py export_ledger --fund wwcf --from 2026-01-01 --to 2026-12-31 --kind gl --format csv -o gl.csv
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.exports.exceptions import ExportError
from apps.exports.models import ExportFormat, ExportKind
from apps.exports.spec import export_spec
from apps.exports.writers import Export


def iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = ("Export the ledger of one fund (or every fund) for a period: general-ledger detail, journal, trial "
            "balance or an account statement as CSV or XLSX, or the whole ledger as SAF-T XML. Every file ends "
            "with its control totals and the last sealed entry it covers.")

    def add_arguments(self, parser):
        parser.add_argument("--fund", default="", help="fund code (wwcf, wwfp, sef, relief); default: every fund")
        parser.add_argument("--from", dest="date_from", required=True, type=iso_day, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, type=iso_day, help="last day, YYYY-MM-DD")
        parser.add_argument("--kind", required=True, choices=ExportKind.values)
        parser.add_argument("--format", dest="fmt", choices=ExportFormat.values,
                            help="csv or xlsx; xml for saft (the default for saft, csv otherwise)")
        parser.add_argument("--account", default="", help="account code, for a statement")
        parser.add_argument("-o", "--output", required=True, help="file to write, or - for stdout")

    def handle(self, *args, fund, date_from, date_to, kind, fmt, account, output, **options):
        fmt = fmt or (ExportFormat.XML if kind == ExportKind.SAFT else ExportFormat.CSV)
        try:
            spec = export_spec(kind=kind, format=fmt, fund=fund, date_from=date_from, date_to=date_to,
                               account=account)
        except ExportError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from None
        started = time.monotonic()
        export = Export(spec, progress=self._progress())
        try:
            if output == "-":
                control = export.write_to(sys.stdout.buffer)
            else:
                with open(output, "wb") as out:
                    control = export.write_to(out)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc}") from None
        except ExportError as exc:
            raise CommandError(exc.message) from None
        seals = ", ".join(f"{s.book} {s.number} {s.hash}" for s in control.seals) or "none"
        self.stderr.write(
            f"\nWrote {control.lines:,} lines of {control.entries:,} entries in {time.monotonic() - started:.1f} s: "
            f"debit {control.total_debit:,}, credit {control.total_credit:,}; last seal {seals}"
            + (f"; {control.unsealed:,} entries not sealed yet" if control.unsealed else ""))

    def _progress(self):
        last = [0.0]
        self.stderr.style_func = None

        def show(done: int, total: int) -> None:
            now = time.monotonic()
            if done not in (0, total) and now - last[0] < 1:
                return
            last[0] = now
            percent = 100 if not total else min(100, done * 100 // total)
            self.stderr.write(f"\r{percent:3d}% ({done:,}/{total:,} lines)", ending="")
            self.stderr.flush()

        return show
