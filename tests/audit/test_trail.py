"""The trail records every change — through the ORM, the API, the back office, tasks and commands — with who, from
where and the values before and after, in the same transaction as the change; the database keeps it append-only."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from rest_framework.authtoken.models import Token

from apps.audit import context, triggers
from apps.audit.models import AuditEvent
from apps.contributions import services as contributions
from apps.core.money import krw
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.services import credit, debit
from apps.matching.models import Match, MatchingBudget, MatchingRule
from apps.matching.tasks import match_contribution
from apps.organizations.models import Membership, MembershipRole, Organization

from .conftest import USE, trail

pytestmark = pytest.mark.django_db
OFFICE_IP = "203.0.113.7"


def test_an_orm_change_is_recorded_with_the_values_before_and_after():
    with context.acting(context.AuditContext(actor="clerk")):
        org = Organization.objects.create(name_ko="한빛전자", name_en="Hanbit Electronics", size_class="large",
                                          business_registration_number="1248100998")
        Organization.objects.filter(pk=org.pk).update(name_en="Hanbit Electronics Co.")
        pk = org.pk
        org.delete()

    created, renamed, deleted = trail("organizations_organization", pk)
    assert created.action == "insert" and created.after["name_ko"] == "한빛전자" and created.before is None
    assert renamed.action == "update" and renamed.actor_label == "clerk"
    assert renamed.before["name_en"] == "Hanbit Electronics"
    assert renamed.after["name_en"] == "Hanbit Electronics Co."
    assert [c[0] for c in renamed.changes] == ["name_en"]
    assert deleted.action == "delete" and deleted.after is None
    assert deleted.before["name_en"] == "Hanbit Electronics Co."


def test_a_change_that_rolls_back_leaves_no_audit_row(org_a):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        Organization.objects.filter(pk=org_a.pk).update(name_en="Never")
        assert AuditEvent.objects.count() == before + 1  # written with the change, inside its transaction
        raise RuntimeError("the service fails after the write")
    assert AuditEvent.objects.count() == before
    assert not [e for e in trail(org_a) if e.after and e.after.get("name_en") == "Never"]


def test_an_api_change_with_a_token_names_the_user_and_the_address(api, fund_admin, org_a):
    token = Token.objects.create(user=fund_admin)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.patch(f"/api/v1/organizations/{org_a.pk}/", {"name_en": "Hanbit Global"}, format="json",
                         REMOTE_ADDR=OFFICE_IP)
    assert response.status_code == 200, response.content
    event = trail(org_a)[-1]
    assert (event.action, event.source, event.actor_label, event.user_id) == ("update", "api", "admin1", fund_admin.pk)
    assert event.ip == OFFICE_IP
    assert event.request == f"PATCH /api/v1/organizations/{org_a.pk}/"
    assert (event.before["name_en"], event.after["name_en"]) == ("Hanbit Electronics", "Hanbit Global")


def test_a_back_office_change_names_the_user_and_the_address(client, django_user_model, member_a, org_a):
    chief = django_user_model.objects.create_superuser("chief", password="pw-chief")
    membership = Membership.objects.get(user=member_a)
    client.force_login(chief)
    response = client.post(f"/admin/organizations/membership/{membership.pk}/change/",
                           {"user": member_a.pk, "organization": org_a.pk, "role": MembershipRole.VIEWER},
                           REMOTE_ADDR=OFFICE_IP)
    assert response.status_code == 302, response.content
    event = trail(membership)[-1]
    assert (event.action, event.source, event.actor_label, event.user_id, event.ip) == (
        "update", "web", "chief", chief.pk, OFFICE_IP)
    assert (event.before["role"], event.after["role"]) == (MembershipRole.FINANCE_OFFICER, MembershipRole.VIEWER)


def test_an_anonymous_request_is_recorded_as_anonymous_with_its_address(client, org_a):
    client.post("/portal/login/", {"username": "nobody", "password": "wrong"}, REMOTE_ADDR=OFFICE_IP)
    with context.acting(context.RequestContext(_request("/portal/login/"))):
        Organization.objects.filter(pk=org_a.pk).update(is_active=False)
    event = trail(org_a)[-1]
    assert (event.actor_label, event.user_id, event.ip, event.source) == ("anonymous", None, OFFICE_IP, "web")


def _request(path):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().post(path, REMOTE_ADDR=OFFICE_IP)
    request.user = AnonymousUser()
    return request


def test_a_task_change_names_the_task_and_its_id(uses, org_a, member_a, fund_admin):
    fund = uses["wwcf"]
    MatchingRule.objects.create(fund=fund, program="", ratio=Decimal("1"), valid_from=date(2026, 1, 1))
    MatchingBudget.objects.create(fund=fund, program="", year=2026, amount=10_000_000)
    contribution = contributions.contribution_submit(
        actor=member_a, organization=org_a, fund=fund, amount=1_000_000, contribution_date=date(2026, 3, 2),
        designated_use=USE)
    contributions.contribution_confirm(actor=fund_admin, contribution=contribution)

    result = match_contribution.delay(contribution.pk)

    match = Match.objects.get(contribution=contribution)
    event = trail(match)[0]
    assert (event.action, event.source, event.task_name) == ("insert", "task", "matching.match_contribution")
    assert event.task_id == result.id and event.actor_label == "task:matching.match_contribution"
    assert trail(contribution)[-1].task_name == "matching.match_contribution"  # marked matched by the same task


def test_a_command_change_names_the_command(funds):
    from apps.ledger.models import VerificationRun

    call_command("ledger_verify", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run = VerificationRun.objects.latest("started_at")
    assert {e.actor_label for e in trail(run)} == {"command:ledger_verify"}
    assert {e.source for e in trail(run)} == {"command"}


def test_anything_else_is_recorded_as_the_system(org_b):
    assert (trail(org_b)[0].actor_label, trail(org_b)[0].source) == ("system", "system")


def test_postings_and_account_totals_are_not_audited_but_an_account_renamed_is(wwcf):
    cash, revenue = fund_account(wwcf, chart.CASH), fund_account(wwcf, chart.CONTRIBUTION_REVENUE)
    before = AuditEvent.objects.count()
    entry = ledger.entry_post(actor="test", ledger=wwcf.ledger, effective_date=date(2026, 3, 2),
                              lines=[debit(cash, krw(5_000)), credit(revenue, krw(5_000))], memo="cash in")
    ledger.entry_reverse(actor="test", entry=entry, effective_date=date(2026, 3, 3))
    call_command("ledger_seal", stdout=open("/dev/null", "w"))  # noqa: SIM115
    hot = ("ledger_journalentry", "ledger_journalline", "ledger_accountday", "ledger_entryseal",
           "ledger_ledgerchain", "ledger_account")
    assert not AuditEvent.objects.filter(pk__gt=_last(before), table_name__in=hot).exists()

    cash.refresh_from_db()
    cash.name_en = "Cash at bank"
    cash.save()
    renamed = trail(cash)[-1]
    assert renamed.action == "update" and [c[0] for c in renamed.changes] == ["name_en"]


def _last(count_before: int) -> int:
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True)[:count_before])
    return ids[-1] if ids else 0


def test_passwords_and_api_tokens_never_enter_the_trail(fund_admin):
    fund_admin.set_password("a-new-secret-pw")
    fund_admin.save()
    token = Token.objects.create(user=fund_admin)
    changed = trail(fund_admin)[-1]
    assert changed.before["password"] == "***" and changed.after["password"] == "*** (changed)"
    issued = trail("authtoken_token", fund_admin.pk)[0]  # a token is known by its user: its key is the secret
    assert issued.after["key"] == "***"
    assert not [e for e in AuditEvent.objects.all() if token.key in str(e.before) + str(e.after) + e.object_id]


@pytest.mark.parametrize("statement", ["UPDATE audit_auditevent SET actor_label = 'someone else'",
                                       "DELETE FROM audit_auditevent"])
def test_the_database_refuses_to_change_or_delete_audit_rows(org_a, statement):
    assert AuditEvent.objects.exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(table_name="organizations_organization").update(actor_label="x")
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) == {"system"}


def test_a_bulk_update_records_every_row_it_changed_and_only_those(org_a, org_b):
    Organization.objects.update(is_active=False)
    Organization.objects.update(is_active=False)  # changes nothing the second time
    updates = AuditEvent.objects.filter(table_name="organizations_organization", action="update")
    assert sorted(int(e.object_id) for e in updates) == sorted([org_a.pk, org_b.pk])


def test_a_contributions_status_history_is_its_own_trail(uses, org_a, member_a, fund_admin):
    contribution = contributions.contribution_submit(
        actor=member_a, organization=org_a, fund=uses["wwcf"], amount=1_000_000, contribution_date=date(2026, 3, 2),
        designated_use=USE)
    assert contribution.events.exists()
    assert not AuditEvent.objects.filter(table_name="contributions_contributionevent").exists()
    assert trail(contribution)[0].after["status"] == contribution.status


def test_a_request_whose_user_was_never_read_still_names_the_user_at_its_first_write(rf, fund_admin, org_a):
    from django.contrib.auth import get_user
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.functional import SimpleLazyObject

    request = rf.post("/portal/anything/", REMOTE_ADDR=OFFICE_IP)
    request.session = SessionStore()
    request.session["_auth_user_id"] = str(fund_admin.pk)
    request.session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    request.session["_auth_user_hash"] = fund_admin.get_session_auth_hash()
    request.user = SimpleLazyObject(lambda: get_user(request))  # as AuthenticationMiddleware leaves it
    with context.acting(context.RequestContext(request)), connection.cursor() as cur:
        cur.execute("WITH changed AS (SELECT 1) UPDATE organizations_organization SET is_active = %s WHERE id = %s",
                    [False, org_a.pk])
    event = trail(org_a)[-1]
    assert (event.actor_label, event.user_id, event.ip) == ("admin1", fund_admin.pk, OFFICE_IP)


def test_who_acts_survives_a_rolled_back_block_that_first_told_the_database(org_a):
    """PostgreSQL undoes a setting made inside a transaction or savepoint that rolls back (a service refusing after
    its first write): the next write under the same actor must tell the database again."""
    token = None
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            token = context.push(context.AuditContext(actor="clerk"))  # first told inside the block
            Organization.objects.filter(pk=org_a.pk).update(name_en="Rolled back")
            raise RuntimeError("refused")
        Organization.objects.filter(pk=org_a.pk).update(name_en="Kept")
    finally:
        context.pop(token)
    event = trail(org_a)[-1]
    assert (event.after["name_en"], event.actor_label) == ("Kept", "clerk")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_sets_its_isolation_first_still_can_under_a_new_actor(fund_admin):
    """`SET TRANSACTION` must open its transaction; telling the database who acts waits for the next statement
    (the ledger's verification and the exports read one snapshot this way from requests and tasks)."""
    from apps.ledger.verification import verify

    request = _request("/auditor/verification/run/")
    request.user = fund_admin
    with context.acting(context.RequestContext(request)):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT 1")
        assert verify(actor_label="test").problems == []


class _RollBack(Exception):
    pass


def test_a_migrate_that_stops_short_of_the_trail_installs_no_trigger_and_does_not_fail():
    """`migrate ledger` on a new database runs the post-migrate hook before the trail's table exists."""
    with pytest.raises(_RollBack), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE audit_auditevent RENAME TO audit_not_created_yet")
        triggers.install(connection)
        assert "audit_auditevent" not in connection.introspection.table_names()
        raise _RollBack
    assert "audit_auditevent" in connection.introspection.table_names()
