"""The database itself refuses what the code must never do.

- Posted entries, their lines, seals and period events are append-only: UPDATE and DELETE raise (PostgreSQL and
  SQLite).
- PostgreSQL: deferred constraint triggers check at commit that every entry has two lines or more, balances per
  currency, and only touches accounts of its own ledger in their own currency — so even a raw SQL insert cannot
  leave an unbalanced entry behind.
"""

from django.db import migrations

from apps.ledger.guards import APPEND_ONLY_TABLES, install_sqlite_guards

FAULTY_ENTRY = """
    SELECT e.id INTO bad FROM ledger_journalentry e
     WHERE e.id >= {lo} AND e.id <= {hi}
       AND (SELECT count(*) < 2
                   OR sum(l.debit) <> sum(l.credit)
                   OR bool_or((SELECT a.ledger_id = e.ledger_id AND a.currency = l.currency
                                 FROM ledger_account a WHERE a.id = l.account_id) IS NOT TRUE)
                   OR (count(DISTINCT l.currency) > 1 AND EXISTS (
                        SELECT 1 FROM ledger_journalline x WHERE x.entry_id = e.id
                         GROUP BY x.currency HAVING sum(x.debit) <> sum(x.credit)))
              FROM ledger_journalline l WHERE l.entry_id = e.id)
     ORDER BY e.id LIMIT 1;
"""

PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only: % on % refused (post a reversal instead)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

-- The deferred checks run once per entry, not once per row: the first deferred event of an entry (or of one of
-- its lines) checks it and records, in a transaction-local setting, the contiguous range of entry ids checked so
-- far; the entry's other events fall inside that range and return at once. An event below the range (a line
-- added to an older entry, an explicit id) is checked on its own. So a raw INSERT cannot leave a bad entry behind,
-- and a posting never re-checks the entries that concurrent postings committed meanwhile.
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
    SELECT count(*) INTO n FROM ledger_journalline WHERE entry_id = bad;
    IF n < 2 THEN
        RAISE EXCEPTION 'journal entry % has % line(s); an entry needs at least two', bad, n
            USING ERRCODE = 'integrity_constraint_violation';
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

CREATE CONSTRAINT TRIGGER ledger_line_balanced AFTER INSERT ON ledger_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_deferred_check();
CREATE CONSTRAINT TRIGGER ledger_entry_has_lines AFTER INSERT ON ledger_journalentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_deferred_check();
"""

PG_FUNCTIONS = PG_FUNCTIONS.format(
    faulty_in_given_range=FAULTY_ENTRY.format(lo="first_entry", hi="last_entry"),
    faulty_in_entry_range=FAULTY_ENTRY.format(lo="first_unchecked", hi="entry"),
)

PG_DROP = """
DROP TRIGGER IF EXISTS ledger_line_balanced ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_entry_has_lines ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_deferred_check();
DROP FUNCTION IF EXISTS ledger_check_entries(bigint, bigint);
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTIONS, params=None)
        for table in APPEND_ONLY_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
    else:
        install_sqlite_guards(schema_editor.connection, keys=False)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in APPEND_ONLY_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(PG_DROP)
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")
    elif vendor == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
