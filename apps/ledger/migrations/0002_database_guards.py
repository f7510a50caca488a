"""The database itself refuses what the code must never do.

- Posted entries, their lines, seals and period events are append-only: UPDATE and DELETE raise (PostgreSQL and
  SQLite).
- PostgreSQL: deferred constraint triggers check at commit that every entry has two lines or more, balances per
  currency, and only touches accounts of its own ledger in their own currency — so even a raw SQL insert cannot
  leave an unbalanced entry behind.
"""

from django.db import migrations

from apps.ledger.guards import APPEND_ONLY_TABLES, install_sqlite_guards
from apps.ledger.procedures import DEFERRED_CHECK

# The deferred checks as the engine defines them now (`apps.ledger.procedures`, installed again by 0007).
PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only: % on % refused (post a reversal instead)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
""" + DEFERRED_CHECK

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
