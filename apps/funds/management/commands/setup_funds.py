"""`python manage.py setup_funds`: the four funds with their ledgers and charts. Safe to run any number of times."""

from django.core.management.base import BaseCommand

from apps.funds.services import funds_setup


class Command(BaseCommand):
    help = "Create the four win-win growth funds, each with its own ledger and the standard chart (idempotent)."

    def handle(self, *args, **options):
        result = funds_setup(actor="command:setup_funds")
        if not result.changed:
            self.stdout.write("기금이 모두 준비되어 있습니다 · All funds are already set up; nothing changed.")
            return
        for label, items in (("기금 · Funds", result.funds), ("원장 · Ledgers", result.ledgers)):
            if items:
                self.stdout.write(f"{label}: {', '.join(items)}")
        if result.accounts:
            self.stdout.write(f"계정 · Accounts: {len(result.accounts)}")
        self.stdout.write(self.style.SUCCESS("기금 설정 완료 · Funds set up."))
