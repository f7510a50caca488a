"""The ledger's own objects in PostgreSQL: the posting procedure and the guards that stand in for foreign keys.

`ledger_post(...)` posts one entry or a thousand in one call, so a posting outside a transaction is one round trip
and one commit. It takes the document as typed arrays, one per field (`sql.Document`): the entries' ledger, date,
memo, reference, idempotency key, payload hash, reversed entry, hold, transfer and metadata; the lines' entry (its
1-based position), account, debit, credit, currency, party and metadata; the releases' account, debit and credit
(reservations a posted hold gives back). The i-th element of each belongs to the i-th entry (line, release); a
field left at its default everywhere is passed as NULL. Arrays cost the server a fraction of what a JSON document
does to parse (a thousand entries: under a millisecond instead of about seven). The procedure
1. locks the accounts FOR UPDATE in id order (the order every writer uses, so writers queue and never deadlock),
   and keeps their ids: the totals are updated through them, so a posting reads its own accounts by key whatever
   the size of the chart (a join on the lines alone made the planner read every account of every ledger);
2. in one more statement, whose snapshot is taken after those locks (so a period close that committed while this
   posting waited is seen), checks and writes. An idempotency key posted before with the same payload answers
   with the entry posted first. Refused, in this order: per entry, a key used before for another payload, an
   unknown ledger, a closed year, an unknown reversed entry, hold or posting user; then per line, an entry of
   fewer than two lines or whose debits and credits differ in a currency, an unknown, inactive, other ledger's or
   other currency's account; then per account, as its totals are added to, a limit that would break or a total
   past 64 bits. Entries, lines (with each
   account's running balance), day totals and account totals are written by that same statement, so any refusal
   undoes all of it. Entry ids come from the entries' sequence, whose name is resolved when the procedure is
   installed.

The procedure plans with `enable_seqscan` off: a posting touches a handful of rows of tables that grow without
bound, and its plans are cached, so they must not depend on how small a table was when they were made (a hash
join over a scan of every entry, chosen while the table was small, would make each posting slower than the last).
It keeps one generic plan per statement (`plan_cache_mode`): planned for each call's array sizes, a one-entry
posting looked cheaper than the generic plan, so PostgreSQL planned every posting again (about a tenth of a
single posting's time).

A refusal raises SQLSTATE `LG001` with a JSON detail (`kind` and its facts); `apps.ledger.posting` turns it into the
typed error that the embedded engine (SQLite, checked in Python) raises for the same fault, with the same message.

The deferred constraint triggers that check raw inserts skip the rows this procedure writes: it has checked them
itself, set-based, and runs with `ledger.engine_writes` set (a function-level setting, restored when it returns,
so a raw insert later in the same transaction is checked as usual). Lines, entries and day totals carry no
foreign keys (a trigger event per row at commit, and a look-up when the key is set: the largest cost of a batch):
the procedure checks that the accounts, ledgers, users, holds and reversed entries it is given exist, the
deferred check does so for raw inserts (and that a line's entry exists), triggers refuse to delete an account
that lines use or a user or hold that entries name, and `ledger_verify` reports lines on a missing account or
entry.
"""

from django.conf import settings

REFUSAL_SQLSTATE = "LG001"
ENGINE_WRITES = "ledger.engine_writes"

POST_SIGNATURE = (
    "bigint[], date[], text[], text[], text[], text[], bigint[], bigint[], uuid[], jsonb[], integer[], bigint[], "
    "bigint[], bigint[], text[], text[], jsonb[], bigint[], bigint[], bigint[], timestamptz, integer, text"
)

_POST = r"""
-- Before migration 0009 the procedure took one JSON document.
DROP FUNCTION IF EXISTS ledger_post(jsonb, timestamptz, integer, text);
DROP FUNCTION IF EXISTS ledger_doc_entries(jsonb);
DROP FUNCTION IF EXISTS ledger_doc_lines(jsonb);
DROP FUNCTION IF EXISTS ledger_doc_releases(jsonb);

CREATE OR REPLACE FUNCTION ledger_refuse(detail jsonb) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger posting refused: %', detail ->> 'kind'
        USING ERRCODE = 'REFUSAL_SQLSTATE', DETAIL = detail::text;
END $$;

CREATE OR REPLACE FUNCTION ledger_post(
    entry_ledger bigint[], entry_date date[], entry_memo text[], entry_reference text[], entry_key text[],
    entry_hash text[], entry_reverses bigint[], entry_hold bigint[], entry_transfer uuid[], entry_metadata jsonb[],
    line_entry integer[], line_account bigint[], line_debit bigint[], line_credit bigint[], line_currency text[],
    line_party text[], line_metadata jsonb[], release_account bigint[], release_debit bigint[],
    release_credit bigint[], posted_at timestamptz, user_id integer, actor text,
    OUT ids bigint[], OUT replayed integer[])
LANGUAGE plpgsql SET ENGINE_WRITES = 'on' SET enable_seqscan = off SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    locked bigint[];
BEGIN
    SELECT array_agg(a.id) INTO locked
      FROM (SELECT id FROM ledger_account WHERE id = ANY(line_account || release_account) ORDER BY id FOR UPDATE) a;

    -- A field left out (NULL instead of an array) is padded with NULLs by unnest: its default.
    WITH d AS (
        SELECT x.i::integer, x.ledger_id, x.effective_date, coalesce(x.memo, '') AS memo,
               coalesce(x.reference, '') AS reference, x.idempotency_key, coalesce(x.payload_hash, '') AS payload_hash,
               x.reverses_id, x.hold_id, x.transfer_id, coalesce(x.metadata, '{}') AS metadata
          FROM unnest(entry_ledger, entry_date, entry_memo, entry_reference, entry_key, entry_hash, entry_reverses,
                      entry_hold, entry_transfer, entry_metadata)
               WITH ORDINALITY AS x(ledger_id, effective_date, memo, reference, idempotency_key, payload_hash,
                                    reverses_id, hold_id, transfer_id, metadata, i)
    ), n AS (
        SELECT y.i::integer, y.entry, y.account_id, coalesce(y.debit, 0) AS debit, coalesce(y.credit, 0) AS credit,
               y.currency, coalesce(y.party, '') AS party, coalesce(y.metadata, '{}') AS metadata
          FROM unnest(line_entry, line_account, line_debit, line_credit, line_currency, line_party, line_metadata)
               WITH ORDINALITY AS y(entry, account_id, debit, credit, currency, party, metadata, i)
    ), r AS (
        SELECT z.account_id, coalesce(z.debit, 0) AS debit, coalesce(z.credit, 0) AS credit
          FROM unnest(release_account, release_debit, release_credit) AS z(account_id, debit, credit)
    ), acc AS MATERIALIZED (
        -- The accounts just locked, read once: lines find theirs among these few rather than in the index.
        SELECT id, code, is_active, ledger_id, currency, debit_total, credit_total FROM ledger_account
         WHERE id = ANY(locked)
    ), e AS MATERIALIZED (
        SELECT d.*, j.id AS existing,
               CASE WHEN j.id IS NULL THEN nextval('ENTRY_SEQUENCE'::regclass) END
                   AS id,
               CASE WHEN j.id IS NULL AND g.id IS NOT NULL
                         AND NOT g.closed_years @> to_jsonb(extract(year FROM d.effective_date)::integer)
                         AND (d.reverses_id IS NULL OR EXISTS (
                                  SELECT 1 FROM ledger_journalentry r WHERE r.id = d.reverses_id))
                         AND (d.hold_id IS NULL OR EXISTS (SELECT 1 FROM ledger_hold h WHERE h.id = d.hold_id))
                         AND (user_id IS NULL OR (SELECT EXISTS (SELECT 1 FROM USER_TABLE u WHERE u.id = user_id)))
                         OR j.payload_hash = d.payload_hash THEN false
                    ELSE ledger_refuse(jsonb_build_object(
                             'kind', CASE WHEN j.id IS NOT NULL THEN 'reused_key' WHEN g.id IS NULL THEN 'no_ledger'
                                          WHEN g.closed_years @> to_jsonb(extract(year FROM d.effective_date)::integer)
                                              THEN 'closed'
                                          WHEN d.reverses_id IS NOT NULL AND NOT EXISTS (
                                                   SELECT 1 FROM ledger_journalentry r WHERE r.id = d.reverses_id)
                                              THEN 'no_reversed_entry'
                                          WHEN d.hold_id IS NOT NULL AND NOT EXISTS (
                                                   SELECT 1 FROM ledger_hold h WHERE h.id = d.hold_id)
                                              THEN 'no_hold'
                                          ELSE 'no_user' END,
                             'entry', d.i, 'key', d.idempotency_key, 'existing', j.id, 'ledger', d.ledger_id,
                             'year', extract(year FROM d.effective_date)::integer, 'reverses', d.reverses_id,
                             'hold', d.hold_id, 'user', user_id)) END AS refused
          FROM d
          LEFT JOIN ledger_journalentry j ON j.idempotency_key = d.idempotency_key
          LEFT JOIN ledger_ledger g ON g.id = d.ledger_id
         ORDER BY d.i
    ), l AS MATERIALIZED (
        SELECT c.*, CASE WHEN c.fault IS NULL THEN false ELSE ledger_refuse(jsonb_build_object(
                   'kind', c.fault, 'entry', c.entry, 'line', c.i, 'account', c.account_id, 'code', c.code,
                   'holds', c.holds, 'currency', c.currency, 'lines', c.lines_in_entry, 'debit', c.debits,
                   'credit', c.credits)) END AS refused
          FROM (SELECT x.*, CASE
                    WHEN x.lines_in_entry < 2 THEN 'few_lines'
                    WHEN x.debits <> x.credits THEN 'unbalanced'
                    WHEN x.code IS NULL THEN 'no_account'
                    WHEN NOT x.is_active THEN 'inactive'
                    WHEN x.account_ledger <> x.ledger_id THEN 'other_ledger'
                    WHEN x.holds <> x.currency THEN 'currency' END AS fault
                  FROM (SELECT n.i, e.i AS entry, n.account_id, n.debit, n.credit, n.currency, n.party, n.metadata,
                               e.id AS entry_id, e.ledger_id, e.effective_date,
                               a.code, a.is_active, a.ledger_id AS account_ledger, a.currency AS holds,
                               a.debit_total - a.credit_total AS balance_before,
                               count(n.i) OVER (PARTITION BY e.i) AS lines_in_entry,
                               sum(n.debit) OVER (PARTITION BY e.i, n.currency) AS debits,
                               sum(n.credit) OVER (PARTITION BY e.i, n.currency) AS credits
                          FROM e LEFT JOIN n ON n.entry = e.i
                          LEFT JOIN acc a ON a.id = n.account_id
                         WHERE e.existing IS NULL) x) c
         ORDER BY c.entry, c.i
    ), entries AS (
        INSERT INTO ledger_journalentry (id, ledger_id, effective_date, posted_at, memo, posted_by_id, actor_label,
                                         reference, idempotency_key, payload_hash, reverses_id, hold_id, transfer_id,
                                         metadata)
        SELECT e.id, e.ledger_id, e.effective_date, posted_at, e.memo, user_id, actor, e.reference,
               e.idempotency_key, e.payload_hash, e.reverses_id, e.hold_id, e.transfer_id, e.metadata
          FROM e WHERE e.existing IS NULL
    ), lines AS (
        INSERT INTO ledger_journalline (entry_id, account_id, debit, credit, currency, party, effective_date,
                                        balance_after, metadata)
        SELECT l.entry_id, l.account_id, l.debit, l.credit, l.currency, l.party, l.effective_date,
               l.balance_before + sum(l.debit - l.credit) OVER (PARTITION BY l.account_id ORDER BY l.i),
               l.metadata
          FROM l ORDER BY l.i
    ), days AS (
        INSERT INTO ledger_accountday AS d (account_id, day, debit, credit)
        SELECT l.account_id, l.effective_date, sum(l.debit), sum(l.credit)
          FROM l GROUP BY l.account_id, l.effective_date ORDER BY l.account_id, l.effective_date
            ON CONFLICT (account_id, day)
            DO UPDATE SET debit = d.debit + excluded.debit, credit = d.credit + excluded.credit
    ), totals AS (
        -- The limit is checked on the rows this transaction holds locked, so it is exact under concurrency. (The
        -- table's CHECK constraint refuses the same, but without the facts a person needs in the message.)
        UPDATE ledger_account a
           SET debit_total = a.debit_total + t.d::bigint, credit_total = a.credit_total + t.c::bigint,
               pending_debit = a.pending_debit - t.rd, pending_credit = a.pending_credit - t.rc
          FROM (SELECT v.account_id, sum(v.d) AS d, sum(v.c) AS c, sum(v.rd) AS rd, sum(v.rc) AS rc
                  FROM (SELECT l.account_id, l.debit AS d, l.credit AS c, 0 AS rd, 0 AS rc FROM l
                         WHERE l.account_id IS NOT NULL
                        UNION ALL
                        SELECT r.account_id, 0, 0, r.debit, r.credit FROM r) v
                 GROUP BY v.account_id ORDER BY v.account_id) t
         WHERE a.id = t.account_id AND a.id = ANY(locked)  -- reads the few rows by key, not every account
           AND (a.debit_total + t.d <= 9223372036854775807 AND a.credit_total + t.c <= 9223372036854775807
                OR ledger_refuse(jsonb_build_object('kind', 'overflow', 'code', a.code)))
           AND (NOT a.non_negative
                OR CASE WHEN a.type IN ('asset', 'expense')
                        THEN a.debit_total + t.d - a.credit_total - t.c - (a.pending_credit - t.rc)
                        ELSE a.credit_total + t.c - a.debit_total - t.d - (a.pending_debit - t.rd) END >= 0
                OR ledger_refuse(jsonb_build_object(
                       'kind', 'limit', 'code', a.code,
                       'available', CASE WHEN a.type IN ('asset', 'expense')
                                         THEN a.debit_total - a.credit_total - a.pending_credit
                                         ELSE a.credit_total - a.debit_total - a.pending_debit END,
                       'after', CASE WHEN a.type IN ('asset', 'expense')
                                     THEN a.debit_total + t.d - a.credit_total - t.c - (a.pending_credit - t.rc)
                                     ELSE a.credit_total + t.c - a.debit_total - t.d - (a.pending_debit - t.rd) END)))
    )
    SELECT array_agg(coalesce(e.id, e.existing) ORDER BY e.i),
           array_agg(e.i ORDER BY e.i) FILTER (WHERE e.existing IS NOT NULL)
      INTO ids, replayed
      FROM e WHERE NOT e.refused;
END $$;
""".replace("REFUSAL_SQLSTATE", REFUSAL_SQLSTATE).replace("ENGINE_WRITES", ENGINE_WRITES)

# The deferred checks of raw inserts (migration 0002 installs them, 0007 again): an entry has two lines or more,
# balances per currency and uses accounts of its own ledger and currency that exist; a line belongs to an entry
# that exists. Rows the posting procedure wrote are skipped: it checked them itself.
FAULTY_ENTRY = """
    SELECT e.id INTO bad FROM ledger_journalentry e
     WHERE e.id >= {lo} AND e.id <= {hi}
       AND (MISSING_KEY OR (SELECT count(*) < 2
                   OR sum(l.debit) <> sum(l.credit)
                   OR bool_or((SELECT a.ledger_id = e.ledger_id AND a.currency = l.currency
                                 FROM ledger_account a WHERE a.id = l.account_id) IS NOT TRUE)
                   OR (count(DISTINCT l.currency) > 1 AND EXISTS (
                        SELECT 1 FROM ledger_journalline x WHERE x.entry_id = e.id
                         GROUP BY x.currency HAVING sum(x.debit) <> sum(x.credit)))
              FROM ledger_journalline l WHERE l.entry_id = e.id))
     ORDER BY e.id LIMIT 1;
"""
# An entry naming a user, hold or reversed entry that does not exist (the foreign keys the entries do without), as
# conditions on the entry row `{e}` (`e`, or NEW in a SQLite trigger): the deferred check refuses such raw entries,
# SQLite's guard refuses them (apps.ledger.guards) and ledger_verify reports them.
MISSING_KEYS = {
    "user": "{e}.posted_by_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {users} u WHERE u.id = {e}.posted_by_id)",
    "hold": "{e}.hold_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_hold h WHERE h.id = {e}.hold_id)",
    "reversed entry": "{e}.reverses_id IS NOT NULL "
                      "AND NOT EXISTS (SELECT 1 FROM ledger_journalentry r WHERE r.id = {e}.reverses_id)",
}


def missing_key(e: str, users: str) -> str:
    """Whether the entry row `e` names a user, hold or reversed entry that does not exist."""
    return " OR ".join(f"({condition.format(e=e, users=users)})" for condition in MISSING_KEYS.values())


DEFERRED_CHECK = """
CREATE OR REPLACE FUNCTION ledger_check_entries(first_entry bigint, last_entry bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    bad bigint;
    n integer;
BEGIN
    -- Correlated look-ups (a scalar subquery per line, which the planner never turns into a hash join) keep even
    -- a cached generic plan on the primary-key indexes, whatever the tables' statistics say.
{faulty_in_given_range}    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.id = bad AND (MISSING_KEY)) THEN
        RAISE EXCEPTION 'journal entry % names a user, hold or reversed entry that does not exist', bad
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT count(*) INTO n FROM ledger_journalline WHERE entry_id = bad;
    IF n < 2 THEN
        RAISE EXCEPTION 'journal entry % has % line(s); an entry needs at least two', bad, n
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_journalline l WHERE l.entry_id = bad
                  AND NOT EXISTS (SELECT 1 FROM ledger_account a WHERE a.id = l.account_id)) THEN
        RAISE EXCEPTION 'journal entry % uses an account that does not exist', bad
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id
                JOIN ledger_journalentry e ON e.id = l.entry_id
               WHERE l.entry_id = bad AND (a.ledger_id <> e.ledger_id OR a.currency <> l.currency)) THEN
        RAISE EXCEPTION 'journal entry % uses an account of another ledger or currency', bad
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RAISE EXCEPTION 'journal entry % does not balance: debits and credits differ', bad
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE OR REPLACE FUNCTION ledger_deferred_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry bigint;
    covered text := current_setting('ledger.checked_entries', true);
    lo bigint;
    hi bigint;
    first_unchecked bigint;
    bad bigint;
BEGIN
    IF TG_TABLE_NAME = 'ledger_journalline' THEN
        entry := NEW.entry_id;
        IF NOT EXISTS (SELECT 1 FROM ledger_journalentry WHERE id = entry) THEN
            RAISE EXCEPTION 'journal line % belongs to entry %, which does not exist', NEW.id, entry
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSE
        entry := NEW.id;
    END IF;
    first_unchecked := entry;
    IF covered IS NOT NULL AND covered <> '' THEN
        lo := split_part(covered, ':', 1)::bigint;
        hi := split_part(covered, ':', 2)::bigint;
        IF entry BETWEEN lo AND hi THEN
            RETURN NULL;
        END IF;
        IF entry > hi THEN
            first_unchecked := hi + 1;  -- keep the covered range contiguous
        END IF;
    END IF;
    -- The same test as ledger_check_entries, inline: this is the path every commit takes. Events come in id
    -- order, so each checks its own entry (and any ids between, which concurrent postings took).
{faulty_in_entry_range}    IF FOUND THEN
        PERFORM ledger_check_entries(bad, bad);  -- raises, naming what is wrong with the entry
    END IF;
    IF lo IS NULL THEN
        lo := entry;
        hi := entry;
    ELSIF entry > hi THEN
        hi := entry;
    END IF;
    PERFORM set_config('ledger.checked_entries', lo || ':' || hi, true);
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS ledger_line_balanced ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_entry_has_lines ON ledger_journalentry;
CREATE CONSTRAINT TRIGGER ledger_line_balanced AFTER INSERT ON ledger_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (current_setting('ENGINE_WRITES', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ledger_deferred_check();
CREATE CONSTRAINT TRIGGER ledger_entry_has_lines AFTER INSERT ON ledger_journalentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (current_setting('ENGINE_WRITES', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ledger_deferred_check();

""".format(  # noqa: S608 - fixed names and constants only
    faulty_in_given_range=FAULTY_ENTRY.format(lo="first_entry", hi="last_entry"),
    faulty_in_entry_range=FAULTY_ENTRY.format(lo="first_unchecked", hi="entry"),
).replace("MISSING_KEY", missing_key("e", "USER_TABLE")).replace("ENGINE_WRITES", ENGINE_WRITES)

# What the foreign keys to accounts, users and holds did: a row that lines or entries name cannot be deleted.
# (table guarded, table naming it, its column, what the row is called in the message)
IN_USE = (
    ("ledger_account", "ledger_journalline", "account_id", "account"),
    ("USER_TABLE", "ledger_journalentry", "posted_by_id", "user"),
    ("ledger_hold", "ledger_journalentry", "hold_id", "hold"),
)
IN_USE_FUNCTION = """
-- Before migration 0009 accounts had a guard of their own.
DROP TRIGGER IF EXISTS ledger_account_in_use ON ledger_account;
DROP FUNCTION IF EXISTS ledger_account_in_use();

CREATE OR REPLACE FUNCTION ledger_row_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    used boolean;
BEGIN
    -- TG_ARGV: the table that names the row, its column, what the row is (for the message).
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[0], TG_ARGV[1]) INTO used USING OLD.id;
    IF used THEN
        RAISE EXCEPTION '% % is named by % rows and cannot be deleted', TG_ARGV[2], OLD.id, TG_ARGV[0]
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END $$;
"""
IN_USE_GUARD = IN_USE_FUNCTION + "".join(
    f"DROP TRIGGER IF EXISTS ledger_row_in_use ON {table};\n"
    f"CREATE TRIGGER ledger_row_in_use BEFORE DELETE ON {table} FOR EACH ROW "
    f"EXECUTE FUNCTION ledger_row_in_use('{naming}', '{column}', '{what}');\n"
    for table, naming, column, what in IN_USE
)

_DROP = "".join(f"DROP TRIGGER IF EXISTS ledger_row_in_use ON {table};\n" for table, *_ in IN_USE) + """
DROP FUNCTION IF EXISTS ledger_row_in_use();
DROP FUNCTION IF EXISTS ledger_post(POST_SIGNATURE);
DROP FUNCTION IF EXISTS ledger_refuse(jsonb);
""".replace("POST_SIGNATURE", POST_SIGNATURE)


# Day totals are updated far more often than inserted: room left in each page keeps an update on the same page
# (a HOT update), which writes no index entries.
STORAGE = "ALTER TABLE ledger_accountday SET (fillfactor = 70)"


def install(apps, schema_editor) -> None:
    """Create (or replace) the posting procedure and the guards; PostgreSQL only (SQLite's guards are in
    `apps.ledger.guards`)."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute("SELECT pg_get_serial_sequence('ledger_journalentry', 'id')")
            sequence = cur.fetchone()[0]
        users = _user_table(apps, schema_editor)
        schema_editor.execute(_POST.replace("ENTRY_SEQUENCE", sequence).replace("USER_TABLE", users), params=None)
        schema_editor.execute(DEFERRED_CHECK.replace("USER_TABLE", users), params=None)
        schema_editor.execute(IN_USE_GUARD.replace("USER_TABLE", users), params=None)
        schema_editor.execute(STORAGE, params=None)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_DROP.replace("USER_TABLE", _user_table(apps, schema_editor)), params=None)


def _user_table(apps, schema_editor) -> str:
    return schema_editor.quote_name(apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table)
