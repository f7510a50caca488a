"""Export benchmarks over the bench's big ledger (~1,000,000 lines, sealed): the journal as CSV
(`export_csv_lines_per_s_1m`, PostgreSQL's COPY), the peak memory of a process writing it
(`export_csv_peak_mb_1m`), and the whole ledger as SAF-T XML built by hand (`export_saft_lines_per_s_1m`).

Timed exports write to a sink that only counts bytes, so the figures measure reading and formatting, not the disk.
The peak memory is the peak resident set size (VmHWM) of a separate Python process that sets Django up and
exports the same CSV: it includes the interpreter and Django themselves (their baseline is reported alongside).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

from django.conf import settings

from apps.exports.models import ExportFormat, ExportKind
from apps.exports.spec import ledger_spec
from apps.exports.writers import Export
from apps.ledger.models import Ledger
from apps.ledger.sealing import seal_ledger_fully

from .figures import Reporter, Stopwatch, median_rate, stage
from .ledger import Sizes, analyze_ledger_tables, build_big_ledger

PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
# (figure, target as people say it, check over all figures measured)
TARGETS = [
    ("export_csv_lines_per_s_1m", "≥ 300,000 lines/s", lambda f: f["export_csv_lines_per_s_1m"] >= 300_000),
    ("export_csv_peak_mb_1m", "≤ 150 MB", lambda f: f["export_csv_peak_mb_1m"] <= 150),
    ("export_saft_lines_per_s_1m", "≥ 100,000 lines/s", lambda f: f["export_saft_lines_per_s_1m"] >= 100_000),
]

CHILD = """
import json, sys
import django

def high_water_kb():  # VmHWM: this process's own peak (ru_maxrss may carry the parent's over exec)
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith("VmHWM:")).split()[1])

django.setup()
baseline = high_water_kb()
from datetime import date
from apps.exports.spec import ledger_spec
from apps.exports.writers import Export
from apps.ledger.models import Ledger
spec = ledger_spec(Ledger.objects.get(pk=int(sys.argv[1])), kind=sys.argv[2], format=sys.argv[3],
                   date_from=date.fromisoformat(sys.argv[4]), date_to=date.fromisoformat(sys.argv[5]))
size = sum(len(chunk) for chunk in Export(spec).chunks())
print(json.dumps({"bytes": size, "baseline_kb": baseline,
                  "peak_kb": high_water_kb()}))
"""


class CountingSink:
    def __init__(self):
        self.bytes = 0

    def write(self, chunk: bytes) -> None:
        self.bytes += len(chunk)


def prepare(reporter: Reporter, sizes: Sizes) -> None:
    """For `bench --only exports`: the big ledger of the ledger benchmarks, sealed as the periodic sealer would."""
    big = build_big_ledger(reporter, sizes)
    with stage(reporter, "sealing the big ledger"):
        seal_ledger_fully(big.ledger_id)


def run(reporter: Reporter, *, runs: int, ledger_code: str = "bench-million") -> None:
    ledger = Ledger.objects.get(code=ledger_code)
    analyze_ledger_tables(reporter)  # the seals were written after the ledger's own ANALYZE
    csv = ledger_spec(ledger, kind=ExportKind.JOURNAL, format=ExportFormat.CSV, date_from=PERIOD[0],
                      date_to=PERIOD[1])
    saft = ledger_spec(ledger, kind=ExportKind.SAFT, format=ExportFormat.XML, date_from=PERIOD[0],
                       date_to=PERIOD[1])
    for name, spec, kind in (("export_csv_lines_per_s_1m", csv, "journal CSV (COPY)"),
                             ("export_saft_lines_per_s_1m", saft, "SAF-T XML")):
        with stage(reporter, f"{name}: {runs} × the {kind} of ledger {ledger_code}"):
            lines = Export(spec).write_to(CountingSink()).lines  # warm-up, and the line count
            sinks: list[CountingSink] = []
            rate, rates = median_rate(runs, lines, lambda _, spec=spec, sinks=sinks: _timed(spec, sinks))
        reporter.figure(name, rate, "lines/s", lines, runs=[round(r) for r in rates], bytes=sinks[-1].bytes,
                        kind=kind)
    peak_memory(reporter, ledger)


def _timed(spec, sinks: list[CountingSink]) -> float:
    sink = CountingSink()
    with Stopwatch() as watch:
        Export(spec).write_to(sink)
    sinks.append(sink)
    return watch.elapsed


def peak_memory(reporter: Reporter, ledger: Ledger) -> None:
    with stage(reporter, "export_csv_peak_mb_1m: the journal CSV in a process of its own"):
        db = settings.DATABASES["default"]
        url = (f"postgres://{db.get('USER') or ''}:{db.get('PASSWORD') or ''}@{db.get('HOST') or '127.0.0.1'}:"
               f"{db.get('PORT') or 5432}/{db['NAME']}")
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "false"}
        done = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", CHILD, str(ledger.pk), ExportKind.JOURNAL, ExportFormat.CSV,
             PERIOD[0].isoformat(), PERIOD[1].isoformat()],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=900, check=False,
        )
    if done.returncode != 0:
        reporter.info(f"export_csv_peak_mb_1m: the child failed: {done.stderr[-2000:]}")
        return
    result = json.loads(done.stdout.strip().splitlines()[-1])
    reporter.figure("export_csv_peak_mb_1m", result["peak_kb"] / 1024, "MB", ledger.entries.count(),
                    measured="peak RSS (VmHWM) of a separate exporting process",
                    baseline_mb=round(result["baseline_kb"] / 1024, 1), bytes=result["bytes"])
