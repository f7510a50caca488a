"""The ledger's own objects in PostgreSQL: the posting procedures and the guards that stand in for foreign keys.

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
   other currency's account; then per account, as its totals are added to, a total past 64 bits or a limit that
   would break. Entries, lines (with each account's running balance), day totals and account totals are written by
   that same statement, so any refusal undoes all of it. Entry ids come from the entries' sequence, whose name is
   resolved when the procedure is installed.

`ledger_post_entry(...)` does the same for one entry that releases no reservation (most postings: every single
entry but a posted hold), a third faster. Set-based SQL pays for its generality in every call (some sixty plan
nodes to start, sorts for the windows and groups), whatever the document's size; for one entry the procedure
instead reads the locked accounts into arrays, checks them in PL/pgSQL, and writes with one plain statement. The
rules themselves are written once, as SQL functions both procedures call (`ledger_entry_fault`,
`ledger_line_fault`, `ledger_total_fault`, `ledger_available`; the planner inlines them), and a test posts each
fault through both and compares the errors.

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
POST_ENTRY_SIGNATURE = (
    "bigint, date, text, text, text, text, bigint, bigint, uuid, jsonb, bigint[], bigint[], bigint[], text[], text[], "
    "jsonb[], timestamptz, integer, text"
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

-- The faults both posting functions refuse, each written once (plain SQL expressions, which the planner inlines in
-- the statement or PL/pgSQL expression that calls them). NULL: nothing wrong.
-- An entry's: checked in this order, like the embedded engine; a key posted before with the same payload is no fault.
CREATE OR REPLACE FUNCTION ledger_entry_fault(
    existing bigint, same_payload boolean, ledger_known boolean, year_closed boolean, reversed_known boolean,
    hold_known boolean, user_known boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN existing IS NOT NULL THEN CASE WHEN same_payload THEN NULL ELSE 'reused_key' END
                WHEN NOT ledger_known THEN 'no_ledger'
                WHEN year_closed THEN 'closed'
                WHEN NOT reversed_known THEN 'no_reversed_entry'
                WHEN NOT hold_known THEN 'no_hold'
                WHEN NOT user_known THEN 'no_user' END
$f$;
-- A line's, given its entry's count of lines and its currency's debits and credits in the entry, and its account
-- as locked (code NULL: no such account).
CREATE OR REPLACE FUNCTION ledger_line_fault(
    lines bigint, debits numeric, credits numeric, code text, active boolean, account_ledger bigint,
    entry_ledger bigint, holds text, currency text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN lines < 2 THEN 'few_lines'
                WHEN debits <> credits THEN 'unbalanced'
                WHEN code IS NULL THEN 'no_account'
                WHEN NOT active THEN 'inactive'
                WHEN account_ledger <> entry_ledger THEN 'other_ledger'
                WHEN holds <> currency THEN 'currency' END
$f$;
-- What an account may still spend: its balance on its normal side less what holds reserve against it.
CREATE OR REPLACE FUNCTION ledger_available(
    type text, debit_total numeric, credit_total numeric, pending_debit numeric, pending_credit numeric)
    RETURNS numeric LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN type IN ('asset', 'expense') THEN debit_total - credit_total - pending_credit
                ELSE credit_total - debit_total - pending_debit END
$f$;
-- An account's, once a posting adds (debit, credit) to its totals and releases (debit, credit) of its reservations.
CREATE OR REPLACE FUNCTION ledger_total_fault(
    type text, limited boolean, debit_total numeric, credit_total numeric, pending_debit numeric,
    pending_credit numeric, debit numeric, credit numeric, release_debit numeric, release_credit numeric)
    RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN debit_total + debit > 9223372036854775807 OR credit_total + credit > 9223372036854775807
                    THEN 'overflow'
                WHEN limited AND ledger_available(type, debit_total + debit, credit_total + credit,
                                                  pending_debit - release_debit, pending_credit - release_credit) < 0
                    THEN 'limit' END
$f$;

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
        -- Ids are drawn (and a fault refused) in the entries' order.
        SELECT f.*, CASE WHEN f.existing IS NULL THEN nextval('ENTRY_SEQUENCE'::regclass) END AS id,
               CASE WHEN f.fault IS NULL THEN false ELSE ledger_refuse(jsonb_build_object(
                   'kind', f.fault, 'entry', f.i, 'key', f.idempotency_key, 'existing', f.existing,
                   'ledger', f.ledger_id, 'year', f.year, 'reverses', f.reverses_id, 'hold', f.hold_id,
                   'user', user_id)) END AS refused
          FROM (SELECT d.*, j.id AS existing, extract(year FROM d.effective_date)::integer AS year,
                       ledger_entry_fault(
                           j.id, j.payload_hash = d.payload_hash, g.id IS NOT NULL,
                           g.closed_years @> to_jsonb(extract(year FROM d.effective_date)::integer),
                           d.reverses_id IS NULL OR EXISTS (
                               SELECT 1 FROM ledger_journalentry r WHERE r.id = d.reverses_id),
                           d.hold_id IS NULL OR EXISTS (SELECT 1 FROM ledger_hold h WHERE h.id = d.hold_id),
                           user_id IS NULL OR (SELECT EXISTS (SELECT 1 FROM USER_TABLE u WHERE u.id = user_id)))
                           AS fault
                  FROM d
                  LEFT JOIN ledger_journalentry j ON j.idempotency_key = d.idempotency_key
                  LEFT JOIN ledger_ledger g ON g.id = d.ledger_id) f
         ORDER BY f.i
    ), l AS MATERIALIZED (
        SELECT c.*, CASE WHEN c.fault IS NULL THEN false ELSE ledger_refuse(jsonb_build_object(
                   'kind', c.fault, 'entry', c.entry, 'line', c.i, 'account', c.account_id, 'code', c.code,
                   'holds', c.holds, 'currency', c.currency, 'lines', c.lines_in_entry, 'debit', c.debits,
                   'credit', c.credits)) END AS refused
          FROM (SELECT x.*, ledger_line_fault(x.lines_in_entry, x.debits, x.credits, x.code, x.is_active,
                                              x.account_ledger, x.ledger_id, x.holds, x.currency) AS fault
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
           AND (ledger_total_fault(a.type, a.non_negative, a.debit_total, a.credit_total, a.pending_debit,
                                   a.pending_credit, t.d, t.c, t.rd, t.rc) IS NULL
                OR ledger_refuse(jsonb_build_object(
                       'kind', ledger_total_fault(a.type, a.non_negative, a.debit_total, a.credit_total,
                                                  a.pending_debit, a.pending_credit, t.d, t.c, t.rd, t.rc),
                       'code', a.code,
                       'available', ledger_available(a.type, a.debit_total, a.credit_total, a.pending_debit,
                                                     a.pending_credit),
                       'after', ledger_available(a.type, a.debit_total + t.d, a.credit_total + t.c,
                                                 a.pending_debit - t.rd, a.pending_credit - t.rc))))
    )
    SELECT array_agg(coalesce(e.id, e.existing) ORDER BY e.i),
           array_agg(e.i ORDER BY e.i) FILTER (WHERE e.existing IS NOT NULL)
      INTO ids, replayed
      FROM e WHERE NOT e.refused;
END $$;

CREATE OR REPLACE FUNCTION ledger_post_entry(
    entry_ledger bigint, entry_date date, entry_memo text, entry_reference text, entry_key text, entry_hash text,
    entry_reverses bigint, entry_hold bigint, entry_transfer uuid, entry_metadata jsonb,
    line_account bigint[], line_debit bigint[], line_credit bigint[], line_currency text[], line_party text[],
    line_metadata jsonb[], posted_at timestamptz, user_id integer, actor text,
    OUT posted bigint, OUT replayed boolean)
LANGUAGE plpgsql SET ENGINE_WRITES = 'on' SET enable_seqscan = off SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    -- The lines' accounts as locked, in id order, and what this entry adds to each.
    acc_id bigint[]; acc_code text[]; acc_active boolean[]; acc_ledger bigint[]; acc_currency text[];
    acc_type text[]; acc_limited boolean[]; acc_debit numeric[]; acc_credit numeric[];
    acc_pending_debit numeric[]; acc_pending_credit numeric[];
    add_debit numeric[]; add_credit numeric[];
    accounts integer;
    -- Each currency's debits and credits in the entry, and each line's account balance after it.
    currencies text[] := '{}'; currency_debit numeric[] := '{}'; currency_credit numeric[] := '{}';
    line_balance numeric[] := '{}';
    lines integer := coalesce(cardinality(line_account), 0);
    entry_year integer := extract(year FROM entry_date)::integer;
    existing bigint; same_payload boolean; ledger_known boolean; year_closed boolean;
    reversed_known boolean; hold_known boolean; user_known boolean;
    fault text; k integer; c integer;
BEGIN
    SELECT array_agg(x.id), array_agg(x.code), array_agg(x.is_active), array_agg(x.ledger_id),
           array_agg(x.currency), array_agg(x.type), array_agg(x.non_negative), array_agg(x.debit_total),
           array_agg(x.credit_total), array_agg(x.pending_debit), array_agg(x.pending_credit)
      INTO acc_id, acc_code, acc_active, acc_ledger, acc_currency, acc_type, acc_limited, acc_debit, acc_credit,
           acc_pending_debit, acc_pending_credit
      FROM (SELECT * FROM ledger_account WHERE id = ANY(line_account) ORDER BY id FOR UPDATE) x;
    accounts := coalesce(cardinality(acc_id), 0);

    SELECT j.id, j.payload_hash = entry_hash, g.id IS NOT NULL, g.closed_years @> to_jsonb(entry_year),
           entry_reverses IS NULL OR EXISTS (SELECT 1 FROM ledger_journalentry r WHERE r.id = entry_reverses),
           entry_hold IS NULL OR EXISTS (SELECT 1 FROM ledger_hold h WHERE h.id = entry_hold),
           user_id IS NULL OR EXISTS (SELECT 1 FROM USER_TABLE u WHERE u.id = user_id)
      INTO existing, same_payload, ledger_known, year_closed, reversed_known, hold_known, user_known
      FROM (SELECT) one
      LEFT JOIN ledger_ledger g ON g.id = entry_ledger
      LEFT JOIN ledger_journalentry j ON j.idempotency_key = entry_key;
    fault := ledger_entry_fault(existing, same_payload, ledger_known, year_closed, reversed_known, hold_known,
                                user_known);
    IF fault IS NOT NULL THEN
        PERFORM ledger_refuse(jsonb_build_object(
            'kind', fault, 'entry', 1, 'key', entry_key, 'existing', existing, 'ledger', entry_ledger,
            'year', entry_year, 'reverses', entry_reverses, 'hold', entry_hold, 'user', user_id));
    ELSIF existing IS NOT NULL THEN
        posted := existing;
        replayed := true;
        RETURN;
    END IF;

    IF lines = 0 THEN
        PERFORM ledger_refuse(jsonb_build_object('kind', 'few_lines', 'entry', 1, 'lines', 0));
    END IF;
    FOR i IN 1..lines LOOP
        c := array_position(currencies, line_currency[i]);
        IF c IS NULL THEN
            currencies := currencies || line_currency[i];
            c := cardinality(currencies);
            currency_debit[c] := 0;
            currency_credit[c] := 0;
        END IF;
        currency_debit[c] := currency_debit[c] + line_debit[i];
        currency_credit[c] := currency_credit[c] + line_credit[i];
    END LOOP;
    add_debit := array_fill(0::numeric, ARRAY[accounts]);
    add_credit := add_debit;
    FOR i IN 1..lines LOOP
        k := array_position(acc_id, line_account[i]);
        c := array_position(currencies, line_currency[i]);
        fault := ledger_line_fault(lines, currency_debit[c], currency_credit[c], acc_code[k], acc_active[k],
                                   acc_ledger[k], entry_ledger, acc_currency[k], line_currency[i]);
        IF fault IS NOT NULL THEN
            PERFORM ledger_refuse(jsonb_build_object(
                'kind', fault, 'entry', 1, 'line', i, 'account', line_account[i], 'code', acc_code[k],
                'holds', acc_currency[k], 'currency', line_currency[i], 'lines', lines,
                'debit', currency_debit[c], 'credit', currency_credit[c]));
        END IF;
        add_debit[k] := add_debit[k] + line_debit[i];
        add_credit[k] := add_credit[k] + line_credit[i];
        line_balance[i] := acc_debit[k] + add_debit[k] - acc_credit[k] - add_credit[k];
    END LOOP;
    FOR k IN 1..accounts LOOP
        fault := ledger_total_fault(acc_type[k], acc_limited[k], acc_debit[k], acc_credit[k], acc_pending_debit[k],
                                    acc_pending_credit[k], add_debit[k], add_credit[k], 0, 0);
        IF fault IS NOT NULL THEN
            PERFORM ledger_refuse(jsonb_build_object(
                'kind', fault, 'code', acc_code[k],
                'available', ledger_available(acc_type[k], acc_debit[k], acc_credit[k], acc_pending_debit[k],
                                              acc_pending_credit[k]),
                'after', ledger_available(acc_type[k], acc_debit[k] + add_debit[k], acc_credit[k] + add_credit[k],
                                          acc_pending_debit[k], acc_pending_credit[k])));
        END IF;
    END LOOP;

    posted := nextval('ENTRY_SEQUENCE'::regclass);
    replayed := false;
    WITH written_entry AS (
        INSERT INTO ledger_journalentry (id, ledger_id, effective_date, posted_at, memo, posted_by_id, actor_label,
                                         reference, idempotency_key, payload_hash, reverses_id, hold_id, transfer_id,
                                         metadata)
        VALUES (posted, entry_ledger, entry_date, posted_at, coalesce(entry_memo, ''), user_id, actor,
                coalesce(entry_reference, ''), entry_key, coalesce(entry_hash, ''), entry_reverses, entry_hold,
                entry_transfer, coalesce(entry_metadata, '{}'))
    ), written_lines AS (
        INSERT INTO ledger_journalline (entry_id, account_id, debit, credit, currency, party, effective_date,
                                        balance_after, metadata)
        SELECT posted, y.account_id, y.debit, y.credit, y.currency, coalesce(y.party, ''), entry_date, y.balance,
               coalesce(y.metadata, '{}')
          FROM unnest(line_account, line_debit, line_credit, line_currency, line_party, line_metadata, line_balance)
               AS y(account_id, debit, credit, currency, party, metadata, balance)
    ), days AS (
        INSERT INTO ledger_accountday AS d (account_id, day, debit, credit)
        SELECT t.account_id, entry_date, t.debit, t.credit FROM unnest(acc_id, add_debit, add_credit)
               AS t(account_id, debit, credit)
            ON CONFLICT (account_id, day)
            DO UPDATE SET debit = d.debit + excluded.debit, credit = d.credit + excluded.credit
    )
    UPDATE ledger_account x
       SET debit_total = x.debit_total + t.debit, credit_total = x.credit_total + t.credit
      FROM unnest(acc_id, add_debit, add_credit) AS t(account_id, debit, credit)
     WHERE x.id = t.account_id AND x.id = ANY(acc_id);  -- reads the few rows by key, not every account
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
DROP FUNCTION IF EXISTS ledger_post_entry(POST_ENTRY_SIGNATURE);
DROP FUNCTION IF EXISTS ledger_refuse(jsonb);
DROP FUNCTION IF EXISTS ledger_entry_fault(bigint, boolean, boolean, boolean, boolean, boolean, boolean);
DROP FUNCTION IF EXISTS ledger_line_fault(bigint, numeric, numeric, text, boolean, bigint, bigint, text, text);
DROP FUNCTION IF EXISTS ledger_total_fault(text, boolean, numeric, numeric, numeric, numeric, numeric, numeric, numeric,
                                           numeric);
DROP FUNCTION IF EXISTS ledger_available(text, numeric, numeric, numeric, numeric);
""".replace("POST_ENTRY_SIGNATURE", POST_ENTRY_SIGNATURE).replace("POST_SIGNATURE", POST_SIGNATURE)


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
