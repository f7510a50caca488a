"""Database guards of the append-only tables on SQLite.

SQLite rebuilds a table for most ALTERs (copy, drop, rename), and the table's triggers go with the old copy; so
the guards are (re)installed after every migrate, idempotently, not only by the migration that introduced them.
PostgreSQL keeps its triggers across ALTERs (see migration 0002).
"""

APPEND_ONLY_TABLES = ("ledger_journalentry", "ledger_journalline", "ledger_entryseal", "ledger_periodevent")


def install_sqlite_guards(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        for table in APPEND_ONLY_TABLES:
            for op in ("UPDATE", "DELETE"):
                cur.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} BEGIN "
                    f"SELECT RAISE(ABORT, 'ledger rows are append-only: {op} on {table} refused'); END"
                )


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    install_sqlite_guards(connections[using])
