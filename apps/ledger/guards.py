"""Database guards of the ledger's tables on SQLite.

- Posted entries, lines, seals and period events are append-only: UPDATE and DELETE raise.
- What the foreign keys of lines and entries did (they have none, see `apps.ledger.procedures`): a line must name
  an existing entry and account, an entry an existing user, hold and reversed entry; an account that lines use,
  and a user or hold that entries name, cannot be deleted.

SQLite rebuilds a table for most ALTERs (copy, drop, rename), and the table's triggers go with the old copy; so
the guards are (re)installed after every migrate, idempotently, not only by the migration that introduced them.
The key guards name other tables, which a rebuild drops and renames underneath them: they are lifted before
every migrate. PostgreSQL keeps its triggers across ALTERs (see migrations 0002 and 0007).
"""

from . import procedures

APPEND_ONLY_TABLES = ("ledger_journalentry", "ledger_journalline", "ledger_entryseal", "ledger_periodevent")

# What the foreign keys to accounts, users and holds did: a row that lines or entries name cannot be deleted.
_IN_USE = [(table.replace("USER_TABLE", "auth_user"), naming, column, what)
           for table, naming, column, what in procedures.IN_USE]

KEY_GUARDS = {
    "ledger_line_known_keys": (
        "BEFORE INSERT ON ledger_journalline WHEN "
        "NOT EXISTS (SELECT 1 FROM ledger_account WHERE id = NEW.account_id) "
        "OR NOT EXISTS (SELECT 1 FROM ledger_journalentry WHERE id = NEW.entry_id) BEGIN "
        "SELECT RAISE(ABORT, 'a journal line must name an existing entry and account'); END"
    ),
    "ledger_entry_known_keys": (
        f"BEFORE INSERT ON ledger_journalentry WHEN {procedures.missing_key('NEW', 'auth_user')} "
        "BEGIN SELECT RAISE(ABORT, 'a journal entry must name an existing user, hold and reversed entry'); END"
    ),
    **{
        f"ledger_{what}_in_use": (
            f"BEFORE DELETE ON {table} WHEN EXISTS (SELECT 1 FROM {naming} WHERE {column} = OLD.id) BEGIN "  # noqa: S608 - fixed names
            f"SELECT RAISE(ABORT, 'this {what} is named by {naming} rows and cannot be deleted'); END"
        )
        for table, naming, column, what in _IN_USE
    },
}


def _guards(*, keys: bool = True) -> dict[str, str]:
    guards = {
        f"{table}_no_{op.lower()}": (
            f"BEFORE {op} ON {table} BEGIN "
            f"SELECT RAISE(ABORT, 'ledger rows are append-only: {op} on {table} refused'); END"
        )
        for table in APPEND_ONLY_TABLES for op in ("UPDATE", "DELETE")
    }
    return {**guards, **KEY_GUARDS} if keys else guards


def install_sqlite_guards(connection, *, keys: bool = True) -> None:
    """Install the guards; migration 0002 installs only the append-only ones (the key guards come after migrate)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        for name, body in _guards(keys=keys).items():
            cur.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_sqlite_guards(connection) -> None:
    """Lift the guards (a test's flush DELETEs every row, which they would refuse)."""
    with connection.cursor() as cur:
        for name in _guards():
            cur.execute(f"DROP TRIGGER IF EXISTS {name}")


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    install_sqlite_guards(connections[using])


def lift_key_guards_before_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            for name in KEY_GUARDS:
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
