"""`manage.py bench`: measure the ledger on PostgreSQL in a throwaway database, one JSON line per figure."""

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from apps.bench import exports, ledger, matching
from apps.bench.database import refuse_unless_postgres, server_version, throwaway_database
from apps.bench.figures import Reporter
from apps.core.heap import freeze_startup_objects


class Command(BaseCommand):
    help = (
        "Benchmark the ledger against DATABASE_URL's PostgreSQL server (SQLite is refused). Builds its data in its "
        "own database, <name>_bench, dropped at the end. Prints one JSON line per figure on stdout and progress on "
        "stderr; exits non-zero when a correctness figure fails (errors reaching callers, an inconsistent ledger), "
        "not when a speed target is missed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="small sizes (10,000 lines instead of 1,000,000)")
        parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
        parser.add_argument("--database-name", help="name of the throwaway database (default: <name>_bench)")
        parser.add_argument("--only", choices=["exports"],
                            help="only these figures (exports: builds and seals the big ledger, then exports it)")

    def handle(self, *args, quick: bool, keep: bool, database_name: str | None, only: str | None = None,
               **options):
        refuse_unless_postgres()
        freeze_startup_objects()  # as web and Celery workers do once they are up
        self.stderr.style_func = None  # progress, not errors
        reporter = Reporter(out=self.stdout, err=self.stderr)
        sizes = ledger.QUICK if quick else ledger.FULL
        # Sealing is the periodic sealer's job and is measured on its own; DEBUG would keep every query in memory.
        with override_settings(LEDGER_SEAL_ON_COMMIT=False, DEBUG=False), \
                throwaway_database(reporter, database_name, keep=keep):
            reporter.database = server_version()
            reporter.info(f"{reporter.database}, {'quick' if quick else 'full'} run")
            if only == "exports":
                exports.prepare(reporter, sizes)
            else:
                ledger.run(reporter, sizes)
                matching.run(reporter, quick=quick)
            exports.run(reporter, runs=sizes.runs)
        self._summarise(reporter)

    def _summarise(self, reporter: Reporter) -> None:
        figures = reporter.figures
        for name, target, check in ledger.TARGETS + exports.TARGETS:
            try:
                verdict = "meets" if check(figures) else "MISSES"
            except KeyError:
                verdict = "not measured,"
            reporter.info(f"{name} = {figures.get(name, '-')}: {verdict} target {target}")
        for share, _, bare, asked in ledger.RELATIVE:
            if share in figures and asked is None:
                reporter.info(f"{share} = {figures[share]} of {bare}, the bare ledger measured alongside "
                              f"({figures[bare]:,.0f} today); no target says what share to reach")
            elif share in figures:
                reporter.info(f"{share} = {figures[share]}: the target asks {asked:.3f} of {bare}, the bare ledger "
                              f"measured alongside ({figures[bare]:,.0f} today), "
                              f"{'met' if figures[share] >= round(asked, 3) else 'MISSED'} on today's machine")
        failed = [name for name in ledger.CORRECTNESS if name in figures and
                  figures[name] != (0 if name.endswith("errors") else 1)]
        if failed:
            raise CommandError(f"the ledger did not stay correct under the bench: {', '.join(failed)}")
