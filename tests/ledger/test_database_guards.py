"""What the database refuses by itself now that lines, entries and day totals carry no foreign keys, and what the
PostgreSQL posting procedure promises: the same refusals as the embedded engine, its own writes checked by itself
and nobody else's, and plans that never read a whole table."""

import json
from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from apps.core.money import krw
from apps.ledger import posting, services, sql
from apps.ledger.exceptions import IdempotencyConflict, InvalidAccount, InvalidEntry, LimitExceeded, PeriodClosed
from apps.ledger.models import Account, AccountDay, JournalEntry, JournalLine
from apps.ledger.services import credit, debit

D = date(2026, 4, 1)
pytestmark = pytest.mark.django_db

LINE_INSERT = (
    "INSERT INTO ledger_journalline (entry_id, account_id, debit, credit, currency, party, effective_date, "
    "balance_after, metadata) VALUES (%s, %s, %s, %s, 'KRW', '', %s, 0, '{}')"
)
ENTRY_INSERT = (
    "INSERT INTO ledger_journalentry (ledger_id, effective_date, posted_at, memo, actor_label, reference, "
    "payload_hash, metadata) VALUES (%s, %s, CURRENT_TIMESTAMP, 'raw', 'sql', '', '', '{}')"
)


def post(book, amount=100, *, dr=None, cr=None):
    return services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                               lines=[debit(dr or book.cash, krw(amount)), credit(cr or book.revenue, krw(amount))])


def spec(book, amount=10, *, dr=None, cr=None, key=None):
    return services.entry_spec(ledger=book.ledger, effective_date=D, idempotency_key=key,
                               lines=[debit(dr or book.receivable, krw(amount)), credit(cr or book.revenue,
                                                                                        krw(amount))])


def raw_entry(cur, book) -> int:
    cur.execute(ENTRY_INSERT, [book.ledger.pk, D])
    cur.execute("SELECT MAX(id) FROM ledger_journalentry")
    return cur.fetchone()[0]


def test_an_account_that_lines_use_cannot_be_deleted_even_in_raw_sql(book):
    post(book)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM ledger_account WHERE id = %s", [book.cash.pk])
    assert Account.objects.filter(pk=book.cash.pk).exists()


def test_an_account_without_lines_can_still_be_deleted(book):
    with connection.cursor() as cur:
        cur.execute("DELETE FROM ledger_account WHERE id = %s", [book.expense.pk])
    assert not Account.objects.filter(pk=book.expense.pk).exists()


@pytest.mark.django_db(transaction=True)  # PostgreSQL checks raw lines when the transaction commits
def test_a_raw_line_on_an_account_that_does_not_exist_is_refused(book):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        entry = raw_entry(cur, book)
        cur.execute(LINE_INSERT, [entry, book.cash.pk, 5, 0, D])
        cur.execute(LINE_INSERT, [entry, 999_999, 0, 5, D])
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_raw_line_of_an_entry_that_does_not_exist_is_refused(book):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(LINE_INSERT, [999_999, book.cash.pk, 5, 0, D])
    assert JournalLine.objects.count() == 0


@pytest.mark.parametrize(("given", "field", "message"), [
    ({"reverses_id": 999_999}, "entry", "entry #999999 to reverse does not exist"),
    ({"hold_id": 999_999}, "hold", "hold #999999 does not exist"),
    ({"user_id": 999_999}, "actor", "user #999999 does not exist"),
], ids=["reversed-entry", "hold", "user"])
def test_a_posting_naming_a_reversed_entry_hold_or_user_that_does_not_exist_is_refused(book, given, field, message):
    """Entries carry no foreign keys: the engine itself refuses keys that name nothing, and writes nothing."""
    user_id = given.pop("user_id", None)
    entry = posting.normalise(posting.EntrySpec(
        ledger_id=book.ledger.pk, effective_date=D, lines=[debit(book.cash, krw(5)), credit(book.revenue, krw(5))],
        **given))
    with pytest.raises(InvalidEntry, match=message) as caught, transaction.atomic():
        posting.post_entries([entry], posting.Actor(user_id=user_id, label="ghost"))
    assert caught.value.field == field
    assert (JournalEntry.objects.count(), JournalLine.objects.count()) == (0, 0)
    assert Account.objects.get(pk=book.cash.pk).debit_total == 0


@pytest.mark.django_db(transaction=True)  # PostgreSQL checks raw entries when the transaction commits
@pytest.mark.parametrize("column", ["posted_by_id", "hold_id", "reverses_id"])
def test_a_raw_entry_naming_a_user_hold_or_reversed_entry_that_does_not_exist_is_refused(book, column):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(ENTRY_INSERT.replace("metadata)", f"metadata, {column})").replace("'{}')", "'{}', 999999)"),
                    [book.ledger.pk, D])
        cur.execute("SELECT MAX(id) FROM ledger_journalentry")
        entry = cur.fetchone()[0]
        cur.execute(LINE_INSERT, [entry, book.cash.pk, 5, 0, D])
        cur.execute(LINE_INSERT, [entry, book.revenue.pk, 0, 5, D])
    assert JournalEntry.objects.count() == 0


def test_a_user_or_hold_that_entries_name_cannot_be_deleted_even_in_raw_sql(book, fund_admin):
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.cash, krw(50)), credit(book.revenue, krw(50))])
    hold = services.hold_create(actor=fund_admin, ledger=book.ledger, effective_date=D,
                                lines=[debit(book.expense, krw(5)), credit(book.cash, krw(5))])
    services.hold_post(actor=fund_admin, hold=hold)
    for table, pk in (("auth_user", fund_admin.pk), ("ledger_hold", hold.pk)):
        with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic(), \
                connection.cursor() as cur:
            cur.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
    assert JournalEntry.objects.filter(posted_by=fund_admin, hold=hold).exists()


def test_a_batch_that_gives_one_key_to_two_entries_is_refused_and_writes_nothing(book):
    with pytest.raises(IdempotencyConflict) as caught:
        services.entries_post_batch(actor="test", entries=[spec(book, key="k"), spec(book), spec(book, key="k")])
    assert caught.value.field == "idempotency_key"
    assert JournalEntry.objects.count() == 0


def test_a_refusal_in_a_batch_names_the_entry_and_the_line(book):
    book.expense.is_active = False
    book.expense.save(update_fields=["is_active"])
    with pytest.raises(InvalidAccount) as caught:
        services.entries_post_batch(actor="test", entries=[spec(book), spec(book, dr=book.receivable,
                                                                            cr=book.expense)])
    assert caught.value.field == "entries[1].lines[1].account"
    assert "5100" in str(caught.value)
    assert JournalEntry.objects.count() == 0


def test_a_batch_is_refused_for_its_entries_faults_before_its_lines_faults(book):
    """Both engines check every entry (key, ledger, period) before any line's account, each in order."""
    services.period_close(actor="test", ledger=book.ledger, year=2025, net_assets_account=book.net_assets)
    book.expense.is_active = False
    book.expense.save(update_fields=["is_active"])
    inactive = spec(book, cr=book.expense)
    closed = services.entry_spec(ledger=book.ledger, effective_date=date(2025, 6, 1),
                                 lines=[debit(book.receivable, krw(1)), credit(book.revenue, krw(1))])
    with pytest.raises(PeriodClosed) as caught:
        services.entries_post_batch(actor="test", entries=[spec(book), closed, inactive])
    assert caught.value.field == "entries[1].effective_date"
    with pytest.raises(PeriodClosed) as caught:
        services.entries_post_batch(actor="test", entries=[inactive, closed])
    assert caught.value.field == "entries[1].effective_date"
    with pytest.raises(InvalidAccount) as caught:
        services.entries_post_batch(actor="test", entries=[spec(book), inactive, inactive])
    assert caught.value.field == "entries[1].lines[1].account"
    assert JournalEntry.objects.count() == 0


def test_a_limit_refusal_gives_what_is_available_and_what_would_be_left(book):
    post(book, 300)
    with pytest.raises(LimitExceeded) as caught:
        post(book, 500, dr=book.expense, cr=book.cash)
    assert "300 available" in str(caught.value) and "-200" in str(caught.value)
    assert Account.objects.get(pk=book.cash.pk).balance_minor == 300


def test_replays_in_a_batch_return_the_entries_posted_before_and_post_the_rest(book):
    [first] = services.entries_post_batch(actor="test", entries=[spec(book, key="a")])
    again = services.entries_post_batch(actor="test", entries=[spec(book, key="b"), spec(book, key="a")])
    assert again[1].pk == first.pk and again[0].pk != first.pk
    assert JournalEntry.objects.count() == 2
    assert AccountDay.objects.get(account=book.revenue, day=D).credit == 20


def test_an_account_total_past_64_bits_is_refused_and_nothing_is_written(book):
    most = posting.MAX_AMOUNT
    post(book, most, dr=book.receivable)
    with pytest.raises(InvalidEntry, match="most the ledger can store") as caught:
        post(book, 1, dr=book.receivable)
    assert caught.value.field == "lines" and "1210" in str(caught.value)
    assert (Account.objects.get(pk=book.receivable.pk).debit_total, JournalEntry.objects.count()) == (most, 1)


@pytest.mark.postgres
@pytest.mark.parametrize("procedure", ["ledger_post", "ledger_post_entry"])
@pytest.mark.parametrize(("lines", "kind"), [
    ([], "few_lines"),
    ([("debit", 5)], "few_lines"),
    ([("debit", 5), ("credit", 4)], "unbalanced"),
], ids=["no-line", "one-line", "unbalanced"])
def test_the_procedures_themselves_refuse_a_malformed_entry(book, lines, kind, procedure):
    """The deferred checks skip the procedures' rows, so each must refuse what Python would have."""
    columns = {"line_account": [(book.cash if side == "debit" else book.revenue).pk for side, _ in lines],
               "line_debit": [a if side == "debit" else 0 for side, a in lines],
               "line_credit": [a if side == "credit" else 0 for side, a in lines],
               "line_currency": ["KRW"] * len(lines)}
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        if procedure == "ledger_post":
            sql.post(sql.Document(entry_ledger=[book.ledger.pk], entry_date=[D], line_entry=[1] * len(lines),
                                  **columns), timezone.now(), None, "raw")
        else:
            sql.post_entry(sql.OneEntry(ledger=book.ledger.pk, effective_date=D, **columns), timezone.now(), None,
                           "raw")
    assert json.loads(caught.value.__cause__.diag.message_detail)["kind"] == kind
    assert (JournalEntry.objects.count(), JournalLine.objects.count()) == (0, 0)
    assert Account.objects.get(pk=book.cash.pk).debit_total == 0


@pytest.mark.postgres
def test_the_procedure_refuses_an_entry_without_lines(book):
    """An entry of the document that no line points at is refused, not posted empty."""
    doc = sql.Document(entry_ledger=[book.ledger.pk] * 2, entry_date=[D] * 2, line_entry=[1, 1],
                       line_account=[book.cash.pk, book.revenue.pk], line_debit=[5, 0], line_credit=[0, 5],
                       line_currency=["KRW", "KRW"])
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        sql.post(doc, timezone.now(), None, "raw")
    fault = json.loads(caught.value.__cause__.diag.message_detail)
    assert (fault["kind"], fault["entry"]) == ("few_lines", 2)
    assert (JournalEntry.objects.count(), JournalLine.objects.count()) == (0, 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_raw_insert_after_a_posting_in_the_same_transaction_is_still_checked(book):
    """The procedure skips the deferred checks for its own rows only: its setting ends with the call."""
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic(), connection.cursor() as cur:
        post(book)
        entry = raw_entry(cur, book)
        cur.execute(LINE_INSERT, [entry, book.cash.pk, 5, 0, D])
        cur.execute(LINE_INSERT, [entry, book.revenue.pk, 0, 4, D])
    assert JournalEntry.objects.count() == 0


@pytest.mark.postgres
def test_a_posting_reads_no_table_from_end_to_end(book):
    """Cached plans must not depend on how small a table was when they were made: a posting reaches the rows it
    needs through indexes, so it costs the same in a ledger of a million lines."""
    post(book)  # plans are made and cached
    tables = ("ledger_journalentry", "ledger_journalline", "ledger_accountday", "ledger_account", "ledger_ledger")

    def seq_scans():
        with connection.cursor() as cur:
            cur.execute("SELECT relname, seq_scan FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
                        [list(tables)])
            return dict(cur.fetchall())

    with transaction.atomic():
        before = seq_scans()
        post(book)
        services.entries_post_batch(actor="test", entries=[spec(book, key=f"k{i}") for i in range(50)])
        after = seq_scans()
    assert after == before


@pytest.mark.postgres
def test_a_unique_violation_is_named_by_its_constraint_not_by_the_statement_quoted_with_it(book):
    """A violation raised inside a procedure quotes the whole statement, whose columns include `reverses_id`: a
    reused idempotency key must still read as an idempotency race (retried, then answered), never as a reversal."""
    services.entries_post_batch(actor="test", entries=[spec(book, key="once")])
    with pytest.raises(IntegrityError) as caught, transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"""DO $$ BEGIN
            INSERT INTO ledger_journalentry (ledger_id, effective_date, posted_at, memo, actor_label, reference,
                                             payload_hash, metadata, idempotency_key, reverses_id)
            VALUES ({book.ledger.pk}, '{D}', now(), '', 'sql', '', '', '{{}}', 'once', NULL);
        END $$""")
    assert "reverses_id" in str(caught.value)
    assert isinstance(posting._integrity_error(caught.value), posting.IdempotencyRace)
