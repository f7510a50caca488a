from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import DomainError
from apps.evaluations.models import IndexKind
from apps.evaluations.services import evaluation_recompute

ACTOR = "command:evaluations_recompute"


class Command(BaseCommand):
    help = "Recompute an index's results of a year now (refused for a published year until it is reopened)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=IndexKind.values)
        parser.add_argument("year", type=int)

    def handle(self, *args, kind, year, **options):
        try:
            run = evaluation_recompute(actor=ACTOR, kind=kind, year=year)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"run {run.pk}: {run.status}, {run.done}/{run.total} {run.error}".rstrip())
