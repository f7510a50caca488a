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

APPEND_ONLY_TABLES = ("ledger_journalentry", "ledger_journalline", "ledger_entryseal", "ledger_periodevent")

KEY_GUARDS = {
    "ledger_line_known_keys": (
        "BEFORE INSERT ON ledger_journalline WHEN "
        "NOT EXISTS (SELECT 1 FROM ledger_account WHERE id = NEW.account_id) "
        "OR NOT EXISTS (SELECT 1 FROM ledger_journalentry WHERE id = NEW.entry_id) BEGIN "
        "SELECT RAISE(ABORT, 'a journal line must name an existing entry and account'); END"
    ),
    "ledger_entry_known_keys": (
        "BEFORE INSERT ON ledger_journalentry WHEN "
        "(NEW.posted_by_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM auth_user WHERE id = NEW.posted_by_id)) "
        "OR (NEW.hold_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_hold WHERE id = NEW.hold_id)) "
        "OR (NEW.reverses_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM ledger_journalentry WHERE id = NEW.reverses_id)) "
        "BEGIN SELECT RAISE(ABORT, 'a journal entry must name an existing user, hold and reversed entry'); END"
    ),
    "ledger_user_in_use": (
        "BEFORE DELETE ON auth_user WHEN "
        "EXISTS (SELECT 1 FROM ledger_journalentry WHERE posted_by_id = OLD.id) BEGIN "
        "SELECT RAISE(ABORT, 'a user named by journal entries cannot be deleted'); END"
    ),
    "ledger_hold_in_use": (
        "BEFORE DELETE ON ledger_hold WHEN "
        "EXISTS (SELECT 1 FROM ledger_journalentry WHERE hold_id = OLD.id) BEGIN "
        "SELECT RAISE(ABORT, 'a hold named by journal entries cannot be deleted'); END"
    ),
    "ledger_account_in_use": (
        "BEFORE DELETE ON ledger_account WHEN "
        "EXISTS (SELECT 1 FROM ledger_journalline WHERE account_id = OLD.id) BEGIN "
        "SELECT RAISE(ABORT, 'an account with journal lines cannot be deleted'); END"
    ),
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
