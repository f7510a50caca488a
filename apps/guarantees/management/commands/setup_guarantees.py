"""`python manage.py setup_guarantees`: the three guarantee institutions (KODIT, KIBO, K-SURE), as the data
migration seeds them. Safe to run any number of times."""

from django.core.management.base import BaseCommand

from apps.guarantees.services import institutions_setup


class Command(BaseCommand):
    help = "Create the guarantee institutions of the win-win finance pool if they are missing (idempotent)."

    def handle(self, *args, **options):
        institutions = institutions_setup()
        names = ", ".join(i.name_ko for i in institutions)
        self.stdout.write(self.style.SUCCESS(f"보증기관 설정 완료 · Guarantee institutions set up: {names}"))
