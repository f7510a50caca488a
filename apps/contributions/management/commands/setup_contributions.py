"""`python manage.py setup_contributions`: the designated uses, linked to their funds, and the roles' permissions on
contributions. Run after `setup_funds`; safe to run any number of times."""

from django.core.management.base import BaseCommand

from apps.contributions.services import designated_uses_setup, role_permissions_grant


class Command(BaseCommand):
    help = "Create the designated uses and link them to the win-win funds (idempotent)."

    def handle(self, *args, **options):
        result = designated_uses_setup(actor="command:setup_contributions")
        role_permissions_grant()
        if not result.changed:
            self.stdout.write("지정 용도가 모두 준비되어 있습니다 · Designated uses are already set up; "
                              "nothing changed.")
            return
        if result.created:
            self.stdout.write(f"지정 용도 · Designated uses: {', '.join(result.created)}")
        if result.linked:
            self.stdout.write(f"기금 연결 · Links to funds: {len(result.linked)}")
        self.stdout.write(self.style.SUCCESS("출연 설정 완료 · Contributions set up."))
