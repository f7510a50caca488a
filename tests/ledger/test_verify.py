"""`ledger_verify`: a sound ledger verifies, and a change made behind the engine's back — raw SQL past the
append-only triggers — is caught and named, on PostgreSQL and SQLite alike."""

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from moneyed import Money

from apps.core.money import krw
from apps.ledger import services
from apps.ledger.models import (
    Account,
    AccountDay,
    EntrySeal,
    Hold,
    JournalEntry,
    JournalLine,
    VerificationRun,
)
from apps.ledger.sealing import seal_ledger
from apps.ledger.services import credit, debit
from apps.ledger.verification import verify

from .factories import AccountFactory

pytestmark = pytest.mark.django_db

D = date(2026, 3, 2)


@contextmanager
def behind_the_engines_back():
    """A cursor for raw SQL that the append-only triggers would refuse.

    PostgreSQL: the deferred balance checks of what the test posted run first, as its commit would have run them
    (else they would run at teardown, over the tampered rows); then the replica session role skips ordinary
    triggers, and is set back afterwards (or, should the SQL fail, rolled back with the savepoint). SQLite: the
    triggers are dropped and recreated from their own saved definitions. Either way the guards are in place again
    when the block ends."""
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            cur.execute("SET session_replication_role = replica")
            yield cur
            cur.execute("SET session_replication_role = DEFAULT")
        else:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger%'")
            triggers = cur.fetchall()
            for name, _ in triggers:
                cur.execute(f'DROP TRIGGER "{name}"')
            yield cur
            for _, ddl in triggers:
                cur.execute(ddl)


@dataclass
class Scene:
    book: object
    other: object
    first: JournalEntry  # Dr cash / Cr revenue 1,000,000 on D, sealed as 2026-000001
    second: JournalEntry  # Dr expense / Cr cash 250,000 on 5 March, sealed as 2026-000002


def seal_everything():
    for ledger_id in JournalEntry.objects.order_by().values_list("ledger_id", flat=True).distinct():
        while seal_ledger(ledger_id):
            pass


@pytest.fixture
def scene(book, other_book) -> Scene:
    """Two ledgers with what a year brings: two fiscal years, a second currency, a reversal, and holds open,
    posted in part, posted whole and voided."""

    def post(lines, when=D, target=book):
        return services.entry_post(actor="test", ledger=target.ledger, effective_date=when, lines=lines)

    first = post([debit(book.cash, krw(1_000_000)), credit(book.revenue, krw(1_000_000))])
    second = post([debit(book.expense, krw(250_000)), credit(book.cash, krw(250_000))], when=date(2026, 3, 5))
    post([debit(book.receivable, krw(300_000)), credit(book.revenue, krw(300_000))], when=date(2027, 1, 10))
    usd_cash = AccountFactory(ledger=book.ledger, code="1120", currency="USD")
    usd_revenue = AccountFactory(ledger=book.ledger, code="4120", currency="USD", type="revenue")
    post([debit(book.cash, krw(13_000)), credit(book.revenue, krw(13_000)),
          debit(usd_cash, Money("10.50", "USD")), credit(usd_revenue, Money("10.50", "USD"))])
    mistaken = post([debit(book.expense, krw(7_000)), credit(book.cash, krw(7_000))])
    services.entry_reverse(actor="test", entry=mistaken)

    def hold(lines):
        return services.hold_create(actor="test", ledger=book.ledger, effective_date=D, lines=lines)

    in_parts = hold([debit(book.expense, krw(100_000)), credit(book.cash, krw(100_000))])
    services.hold_post(actor="test", hold=in_parts, amount=krw(40_000))
    hold([debit(book.expense, krw(20_000)), debit(book.receivable, krw(10_000)), credit(book.cash, krw(30_000))])
    voided = hold([debit(book.expense, krw(50_000)), credit(book.cash, krw(50_000))])
    services.hold_post(actor="test", hold=voided, amount=krw(5_000))
    services.hold_void(actor="test", hold=voided, reason="grant withdrawn")
    whole = hold([debit(book.expense, krw(9_000)), debit(book.receivable, krw(1_000)), credit(book.cash, krw(10_000))])
    services.hold_post(actor="test", hold=whole)
    for amount in (500, 700):
        post([debit(other_book.cash, krw(amount)), credit(other_book.revenue, krw(amount))], target=other_book)
    seal_everything()
    return Scene(book=book, other=other_book, first=first, second=second)


def verify_command(*args):
    out, err = StringIO(), StringIO()
    call_command("ledger_verify", *args, stdout=out, stderr=err)
    return out.getvalue()


def failing_command(*args):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="verification failed"):
        call_command("ledger_verify", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def line_of(entry, account):
    return JournalLine.objects.get(entry=entry, account=account)


# A sound ledger.


def test_a_sound_ledger_verifies_and_says_what_it_checked(scene):
    result = verify()
    assert result.ok, result.problems
    assert result.checked == {
        "ledgers": 2, "accounts": 14, "entries": JournalEntry.objects.count(), "lines": JournalLine.objects.count(),
        "seals": JournalEntry.objects.count(), "holds": 4, "account_days": AccountDay.objects.count(),
        "unsealed_entries": 0,
    }
    run = VerificationRun.objects.get(pk=result.run_id)
    assert run.ok and run.problems == [] and run.finished_at >= run.started_at
    assert run.checked["lines"] == result.checked["lines"]


def test_the_command_exits_zero_and_prints_the_counts(scene):
    output = verify_command()
    lines = JournalLine.objects.count()
    assert f"Checked 2 ledgers, 14 accounts, {JournalEntry.objects.count()} entries, {lines} lines" in output
    assert "no discrepancies" in output
    for step in ("account totals", "reservations", "day totals", "running balances", "numbering", "hash chain"):
        assert f"✓ {step}" in output


def test_entries_not_sealed_yet_are_noted_not_failed(scene):
    services.entry_post(actor="test", ledger=scene.book.ledger, effective_date=D,
                        lines=[debit(scene.book.cash, krw(1)), credit(scene.book.revenue, krw(1))])
    result = verify()
    assert result.ok
    assert result.checked["unsealed_entries"] == 1
    assert result.info == ["ledger wwcf: 1 entry is not sealed yet"]
    assert "Note: ledger wwcf: 1 entry is not sealed yet" in verify_command()


def test_seal_first_seals_before_verifying(scene):
    services.entry_post(actor="test", ledger=scene.book.ledger, effective_date=D,
                        lines=[debit(scene.book.cash, krw(1)), credit(scene.book.revenue, krw(1))])
    output = verify_command("--seal-first")
    assert "Sealed 1 entry" in output
    assert "not sealed yet" not in output
    assert not JournalEntry.objects.filter(seal__isnull=True).exists()


def test_ledger_seal_command_seals_and_says_how_many(scene):
    for amount in (1, 2, 3):
        services.entry_post(actor="test", ledger=scene.other.ledger, effective_date=D,
                            lines=[debit(scene.other.cash, krw(amount)), credit(scene.other.revenue, krw(amount))])
    out = StringIO()
    call_command("ledger_seal", stdout=out)
    assert "Sealed 3 entries" in out.getvalue()
    out = StringIO()
    call_command("ledger_seal", stdout=out)
    assert "Sealed 0 entries" in out.getvalue()


def test_only_the_named_ledgers_are_verified(scene):
    Account.objects.filter(pk=scene.other.cash.pk).update(debit_total=1)
    verify_command("--ledger", "wwcf")
    assert "ledger relief, account 1110" in failing_command("--ledger", "relief")
    assert "ledger relief" in failing_command()
    with pytest.raises(CommandError, match="no ledger with code nosuch"):
        call_command("ledger_verify", "--ledger", "nosuch", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_run_outside_any_transaction_reads_one_snapshot_and_records_itself(book):
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.cash, krw(10)), credit(book.revenue, krw(10))])
    seal_everything()
    result = verify()
    assert result.ok, result.problems
    assert not connection.in_atomic_block
    assert VerificationRun.objects.get(pk=result.run_id).ok
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.cash, krw(5)), credit(book.revenue, krw(5))])
    assert verify().checked["unsealed_entries"] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_posting_committed_during_a_run_is_not_seen_by_it(book):
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.cash, krw(10)), credit(book.revenue, krw(10))])
    seal_everything()
    errors = []

    def post_elsewhere():
        try:
            services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                                lines=[debit(book.cash, krw(5)), credit(book.revenue, krw(5))])
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def progress(step, done, total):
        if step == "running balances" and done == 0:
            thread = threading.Thread(target=post_elsewhere)
            thread.start()
            thread.join(timeout=30)

    result = verify(progress=progress)
    assert not errors, errors
    assert result.ok, result.problems
    assert (result.checked["entries"], result.checked["unsealed_entries"]) == (1, 0)
    assert JournalEntry.objects.count() == 2


# Tampering behind the engine's back: each change is caught, named, and fails the command.


def raise_line_and_partner(cur, scene):
    """The entry still balances, so only the stored totals, day totals, running balances and the hash show it."""
    cur.execute("UPDATE ledger_journalline SET debit = debit + 500 WHERE id = %s",
                [line_of(scene.first, scene.book.cash).pk])
    cur.execute("UPDATE ledger_journalline SET credit = credit + 500 WHERE id = %s",
                [line_of(scene.first, scene.book.revenue).pk])


def raise_one_line(cur, scene):
    cur.execute("UPDATE ledger_journalline SET debit = debit + 1 WHERE id = %s",
                [line_of(scene.first, scene.book.cash).pk])


def move_line_to_other_ledger(cur, scene):
    cur.execute("UPDATE ledger_journalline SET account_id = %s WHERE id = %s",
                [scene.other.revenue.pk, line_of(scene.first, scene.book.revenue).pk])


def change_line_currency(cur, scene):
    cur.execute("UPDATE ledger_journalline SET currency = 'USD' WHERE id = %s",
                [line_of(scene.first, scene.book.revenue).pk])


def make_line_two_sided(cur, scene):
    """Past the CHECK constraint too: dropped inside the test's transaction (PostgreSQL), or ignored (SQLite)."""
    if connection.vendor == "postgresql":
        cur.execute("ALTER TABLE ledger_journalline DROP CONSTRAINT ledger_line_one_positive_side")
    else:
        cur.execute("PRAGMA ignore_check_constraints = ON")
    cur.execute("UPDATE ledger_journalline SET credit = 1 WHERE id = %s", [line_of(scene.first, scene.book.cash).pk])
    if connection.vendor == "sqlite":
        cur.execute("PRAGMA ignore_check_constraints = OFF")


def delete_a_line(cur, scene):
    cur.execute("DELETE FROM ledger_journalline WHERE id = %s", [line_of(scene.first, scene.book.revenue).pk])


def change_stored_debit_total(cur, scene):
    cur.execute("UPDATE ledger_account SET debit_total = debit_total + 1000 WHERE id = %s", [scene.book.cash.pk])


def change_stored_reservation(cur, scene):
    cur.execute("UPDATE ledger_account SET pending_credit = pending_credit - 100 WHERE id = %s", [scene.book.cash.pk])


def change_hold_remaining(cur, scene):
    cur.execute("UPDATE ledger_hold SET remaining = remaining - 10000 WHERE status = 'open' AND amount = 100000")


def change_day_total(cur, scene):
    cur.execute("UPDATE ledger_accountday SET credit = credit + 9 WHERE account_id = %s AND day = %s",
                [scene.book.revenue.pk, D])


def delete_day_total(cur, scene):
    cur.execute("DELETE FROM ledger_accountday WHERE account_id = %s AND day = %s",
                [scene.book.expense.pk, date(2026, 3, 5)])


def change_balance_after(cur, scene):
    cur.execute("UPDATE ledger_journalline SET balance_after = balance_after + 1 WHERE id = %s",
                [line_of(scene.second, scene.book.cash).pk])


def change_sealed_memo(cur, scene):
    cur.execute("UPDATE ledger_journalentry SET memo = 'nothing to see' WHERE id = %s", [scene.second.pk])


def change_sealed_date(cur, scene):
    cur.execute("UPDATE ledger_journalentry SET effective_date = %s WHERE id = %s", [date(2026, 3, 6), scene.second.pk])


def delete_a_seal(cur, scene):
    cur.execute("DELETE FROM ledger_entryseal WHERE entry_id = %s", [scene.second.pk])


def renumber_a_seal(cur, scene):
    cur.execute("UPDATE ledger_entryseal SET number = 99 WHERE entry_id = %s", [scene.second.pk])


def rewrite_the_chain_head(cur, scene):
    cur.execute("UPDATE ledger_ledgerchain SET head_hash = %s WHERE ledger_id = %s", ["f" * 64, scene.book.ledger.pk])


FIRST = "ledger wwcf, entry #{first} (2026-000001)"
SECOND = "ledger wwcf, entry #{second} (2026-000002)"
CHANGED = "its fields or lines no longer match its seal's hash"

TAMPERING = {
    "line and partner raised": (raise_line_and_partner, [
        "ledger wwcf, account 1110: stored totals debit 1,020,000 / credit 312,000 differ from its lines' sums "
        "1,020,500 / 312,000",
        "ledger wwcf, account 4100: stored totals",
        "ledger wwcf, account 1110: day total of 2026-03-02",
        "ledger wwcf, account 1110: line #",
        f"{FIRST}: {CHANGED}",
    ]),
    "one line raised": (raise_one_line, ["ledger wwcf, entry #{first}: does not balance", f"{FIRST}: {CHANGED}"]),
    "line moved to another ledger": (move_line_to_other_ledger, [
        "ledger wwcf, entry #{first}: uses an account of another ledger", "ledger relief, account 4100: stored totals",
    ]),
    "line currency changed": (change_line_currency, [
        "ledger wwcf, entry #{first}: has 1 line(s) in a currency other than their account's; does not balance",
    ]),
    "line with two sides": (make_line_two_sided, ["without exactly one positive side"]),
    "line deleted": (delete_a_line, ["ledger wwcf, entry #{first}: has 1 line; an entry needs at least two"]),
    "stored debit total": (change_stored_debit_total, [
        "ledger wwcf, account 1110: stored totals debit 1,021,000",
        "ledger wwcf: trial balance in KRW does not balance",
    ]),
    "stored reservation": (change_stored_reservation, [
        "ledger wwcf, account 1110: stored reservations debit 0 / credit 89,900 differ from what open holds reserve "
        "0 / 90,000",
    ]),
    "hold remaining": (change_hold_remaining, [
        "ledger wwcf, hold #{hold} (open): reserved 100,000, but 40,000 was posted from it and 50,000 remains",
        "ledger wwcf, account 5100: stored reservations debit 80,000 / credit 0 differ from what open holds reserve "
        "70,000 / 0",
    ]),
    "day total": (change_day_total, ["ledger wwcf, account 4100: day total of 2026-03-02 is debit 0 / credit"]),
    "day total deleted": (delete_day_total, ["ledger wwcf, account 5100: lines on 2026-03-05 (debit 250,000 / "
                                             "credit 0) have no day total"]),
    "balance after": (change_balance_after, ["ledger wwcf, account 1110: line #"]),
    "sealed memo": (change_sealed_memo, [f"{SECOND}: {CHANGED}"]),
    "sealed date": (change_sealed_date, [
        f"{SECOND}: {CHANGED}", "ledger wwcf, entry #{second}: its lines carry another effective date than the entry",
    ]),
    "seal deleted": (delete_a_seal, [
        "ledger wwcf, fiscal year 2026: entry number(s) 2 are missing",
        "ledger wwcf: seal chain skips from index 1 to 3",
        "the chain is broken before it",
        "ledger wwcf: chain head counts",
    ]),
    "seal renumbered": (renumber_a_seal, [
        "ledger wwcf, fiscal year 2026: entry number(s) 2 are missing",
        "ledger wwcf, entry #{second} (2026-000099): " + CHANGED,
    ]),
    "chain head": (rewrite_the_chain_head, ["ledger wwcf: chain head hash ffffffffffff… is not the last seal's hash"]),
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_tampering_is_caught_and_fails_the_command(scene, tamper):
    change, expected = tamper
    assert verify().ok
    with behind_the_engines_back() as cur:
        change(cur, scene)
    result = verify()
    assert not result.ok
    hold = Hold.objects.get(amount=100_000)
    expected = [text.format(first=scene.first.pk, second=scene.second.pk, hold=hold.pk) for text in expected]
    for text in expected:
        assert any(text in problem for problem in result.problems), (text, result.problems)
    assert VerificationRun.objects.get(pk=result.run_id).problems == result.problems
    output = failing_command()
    assert f"{len(result.problems)} discrepanc" in output
    for text in expected:
        assert text in output


def test_a_line_whose_account_or_entry_was_deleted_is_caught(scene):
    """Lines carry no foreign keys; the guards that stand in for them can be bypassed too, and verify notices."""
    entry = JournalEntry.objects.filter(ledger=scene.book.ledger).order_by("pk").first()
    line = entry.lines.order_by("pk").first()
    spare = AccountFactory(ledger=scene.book.ledger, code="1999")
    with behind_the_engines_back() as cur:
        cur.execute("UPDATE ledger_journalline SET account_id = %s WHERE id = %s", [spare.pk, line.pk])
        cur.execute("DELETE FROM ledger_account WHERE id = %s", [spare.pk])
        cur.execute("UPDATE ledger_journalline SET entry_id = 999999 WHERE id = %s",
                    [entry.lines.order_by("pk").last().pk])
    problems = verify().problems
    assert any(f"entry #{entry.pk}: " in p and "1 line(s) on an account that does not exist" in p
               for p in problems), problems
    assert "1 line(s) belong to entry #999999, which does not exist" in problems


def test_an_entry_whose_user_hold_or_reversed_entry_is_gone_is_caught(scene):
    """Entries carry no foreign keys either: verify notices what the guards standing in for them would refuse."""
    reversal = JournalEntry.objects.get(reverses__isnull=False)
    from_hold = JournalEntry.objects.filter(hold__isnull=False).order_by("pk").first()
    with behind_the_engines_back() as cur:
        cur.execute("UPDATE ledger_journalentry SET reverses_id = 999999, posted_by_id = 999998 WHERE id = %s",
                    [reversal.pk])
        cur.execute("UPDATE ledger_journalentry SET hold_id = 999997 WHERE id = %s", [from_hold.pk])
    problems = verify().problems
    assert f"ledger wwcf, entry #{reversal.pk} names a user and a reversed entry that does not exist" in problems
    assert f"ledger wwcf, entry #{from_hold.pk} names a hold that does not exist" in problems


def test_a_changed_hold_line_is_caught(scene):
    hold = Hold.objects.get(status="open", amount=30_000)
    with behind_the_engines_back() as cur:
        cur.execute("UPDATE ledger_holdline SET debit = debit + 5 WHERE hold_id = %s AND debit = 20000", [hold.pk])
    problems = verify().problems
    assert any("account 5100: stored reservations debit" in p for p in problems), problems


def test_tampering_leaves_the_append_only_guards_in_place(scene):
    with behind_the_engines_back() as cur:
        change_sealed_memo(cur, scene)
    for statement in ("UPDATE ledger_journalline SET debit = debit + 1", "DELETE FROM ledger_entryseal",
                      "UPDATE ledger_journalentry SET memo = 'again'"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement)
    assert EntrySeal.objects.count() == JournalEntry.objects.count()


@pytest.mark.sqlite
def test_a_dropped_sqlite_trigger_comes_back_when_its_savepoint_rolls_back(book):
    with pytest.raises(RuntimeError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TRIGGER ledger_journalline_no_update")
        raise RuntimeError("roll back")
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                    ["ledger_journalline_no_update"])
        assert cur.fetchone()[0] == 1


def test_many_discrepancies_are_listed_up_to_a_limit(scene, monkeypatch):
    from apps.ledger import verification

    monkeypatch.setattr(verification, "LISTED_PER_CHECK", 1)
    with behind_the_engines_back() as cur:
        cur.execute("UPDATE ledger_journalentry SET memo = 'rewritten' WHERE ledger_id = %s", [scene.book.ledger.pk])
    problems = verify().problems
    assert sum(CHANGED in p for p in problems) == 1
    unlisted = JournalEntry.objects.filter(ledger=scene.book.ledger).count() - 1
    assert problems[-1] == f"… and {unlisted} more seals whose hash does not match"
