"""`python manage.py load_demo`: the demo funds, people and year of postings. Safe to run any number of times."""

from django.core.management.base import BaseCommand

from apps.core.demo import DEMO_MEMBERS, DEMO_USERS, load_demo
from apps.core.extensions import app_modules

SITE = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = ("Create the demo users, the four funds with their ledgers (as setup_funds does), a year of postings, "
            "the portal's organisations, members and contributions (idempotent), then seal them.")

    def handle(self, *args, **options):
        result = load_demo()
        if result.posted:
            self.stdout.write(f"분개 {result.posted}건을 전기했습니다 · Posted {result.posted} new entries.")
        else:
            self.stdout.write(
                f"데모 데이터가 이미 있습니다 (분개 {result.entries_after}건) · "
                f"Demo data already present ({result.entries_after} entries); nothing posted."
            )
        if result.contributed:
            self.stdout.write(f"출연 {result.contributed}건을 신청·확인했습니다 · "
                              f"Submitted and confirmed {result.contributed} new contributions.")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("상생기금 원장 데모 준비 완료 · Win-Win Fund Ledger demo is ready"))
        self.stdout.write(f"  주소 · URL:          {SITE}")
        self.stdout.write(f"  관리 화면 · Admin:   {SITE}admin/")
        self.stdout.write(f"  출연기업 포털 · Portal: {SITE}portal/")
        self.stdout.write(f"  API 문서 · API docs: {SITE}api/docs/")
        self.stdout.write("  데모 로그인 · Demo logins (아이디 / 비밀번호 · username / password):")
        for user in DEMO_USERS:
            self.stdout.write(f"    {user.username:<15} / {user.password:<20} {user.label_ko} · {user.label_en}")
        self.stdout.write("  포털 로그인 · Portal logins:")
        logins = [(m.username, m.password, m.label_ko, m.label_en) for m in DEMO_MEMBERS]
        for room in app_modules("demo"):
            logins.extend(getattr(room, "PORTAL_LOGINS", ()))
        for username, password, label_ko, label_en in dict((login[0], login) for login in logins).values():
            self.stdout.write(f"    {username:<16} / {password:<20} {label_ko} · {label_en}")
