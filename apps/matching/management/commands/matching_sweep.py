"""`python manage.py matching_sweep`: match every confirmed contribution that has no match yet, now (what the
periodic task does every minute)."""

from django.core.management.base import BaseCommand

from apps.matching.services import matching_sweep


class Command(BaseCommand):
    help = "Match every confirmed contribution that has no match yet."

    def handle(self, *args, **options):
        result = matching_sweep(actor="command:matching_sweep")
        self.stdout.write(f"matched {result.matched}, at 0 won {result.unmatched}, refused {result.failed}")
