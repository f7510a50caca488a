"""The database triggers that write the audit trail and keep it append-only.

`install(connection)` is idempotent and runs after every migrate: it puts the audit triggers on the table of every
model of the project (new rooms included) and the append-only guard on the trail itself. SQLite rebuilds a table
for most ALTERs and the table's triggers go with it, so its triggers are dropped and created again each time.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from django.apps import apps
from django.conf import settings

AUDIT_TABLE = "audit_auditevent"

# The ledger's own append-only records carry their actor and are written thousands of times a second; sessions and
# the admin's log are not changes to the funds' records.
EXCLUDED_TABLES = frozenset({
    AUDIT_TABLE,
    "ledger_journalentry", "ledger_journalline", "ledger_accountday", "ledger_entryseal", "ledger_ledgerchain",
    "django_session", "django_migrations", "django_admin_log",
})
# Columns the posting engine moves on every posting: a change of only these is not audited.
UNAUDITED_COLUMNS = {"ledger_account": frozenset({"debit_total", "credit_total", "pending_debit", "pending_credit"})}
# Secrets never copied into the trail: the trail says that they changed, not what they are.
HIDDEN_COLUMNS = {"auth_user": ("password",), "authtoken_token": ("key",)}
# A table whose primary key is itself a secret is identified by another column (a token by its user).
OBJECT_ID_COLUMNS = {"authtoken_token": "user_id"}
HIDDEN = "***"
HIDDEN_CHANGED = "*** (changed)"

CONTEXT_COLUMNS = "source, actor_label, user_id, ip, task_name, task_id, request"
INSERT_COLUMNS = f"at, table_name, object_id, action, before, after, {CONTEXT_COLUMNS}"

PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION audit_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ctx jsonb := COALESCE(NULLIF(current_setting('audit.context', true), ''), '{{}}')::jsonb;
    old_row jsonb;
    new_row jsonb;
    col text;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
    IF TG_OP = 'UPDATE' AND old_row = new_row THEN
        RETURN NULL;
    END IF;
    -- TG_ARGV[0] is the primary-key column; any further arguments name secret columns.
    FOR i IN 1 .. COALESCE(array_upper(TG_ARGV, 1), 0) LOOP
        col := TG_ARGV[i];
        IF new_row IS NOT NULL THEN
            new_row := new_row || jsonb_build_object(col, CASE
                WHEN old_row IS NOT NULL AND old_row -> col IS DISTINCT FROM new_row -> col THEN '{HIDDEN_CHANGED}'
                ELSE '{HIDDEN}' END);
        END IF;
        IF old_row IS NOT NULL THEN
            old_row := old_row || jsonb_build_object(col, '{HIDDEN}');
        END IF;
    END LOOP;
    INSERT INTO {AUDIT_TABLE} ({INSERT_COLUMNS})
    VALUES (now(), TG_TABLE_NAME, COALESCE(new_row, old_row) ->> TG_ARGV[0], lower(TG_OP), old_row, new_row,
            COALESCE(ctx ->> 'source', 'system'), COALESCE(ctx ->> 'actor', 'system'), (ctx ->> 'user_id')::bigint,
            (ctx ->> 'ip')::inet, COALESCE(ctx ->> 'task_name', ''), COALESCE(ctx ->> 'task_id', ''),
            COALESCE(ctx ->> 'request', ''));
    RETURN NULL;
END $$;

-- The set-based variant, one call per statement: the rows come from the statement's transition tables. Arguments:
-- the identifying column, the primary-key column (pairs the old and new rows of an UPDATE), then secret columns.
CREATE OR REPLACE FUNCTION audit_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ctx jsonb := COALESCE(NULLIF(current_setting('audit.context', true), ''), '{{}}')::jsonb;
    hidden text[] := TG_ARGV[2:];
    rows_sql text;
    before_sql text := 'r.b';
    after_sql text := 'r.a';
BEGIN
    IF TG_OP = 'INSERT' THEN
        rows_sql := 'SELECT NULL::jsonb AS b, to_jsonb(n) AS a FROM audit_new n';
    ELSIF TG_OP = 'DELETE' THEN
        rows_sql := 'SELECT to_jsonb(o) AS b, NULL::jsonb AS a FROM audit_old o';
    ELSE
        rows_sql := format('SELECT to_jsonb(o) AS b, to_jsonb(n) AS a FROM audit_old o JOIN audit_new n '
                           'ON o.%1$I = n.%1$I', TG_ARGV[1]);
    END IF;
    IF cardinality(hidden) > 0 THEN
        before_sql := 'audit_hide(r.b, NULL, $2)';
        after_sql := 'audit_hide(r.a, r.b, $2)';
    END IF;
    EXECUTE format(
        'INSERT INTO {AUDIT_TABLE} ({INSERT_COLUMNS}) '
        'SELECT now(), %L, COALESCE(r.a, r.b) ->> %L, %L, %s, %s, '
        'COALESCE($1 ->> ''source'', ''system''), COALESCE($1 ->> ''actor'', ''system''), '
        '($1 ->> ''user_id'')::bigint, ($1 ->> ''ip'')::inet, COALESCE($1 ->> ''task_name'', ''''), '
        'COALESCE($1 ->> ''task_id'', ''''), COALESCE($1 ->> ''request'', '''') '
        'FROM (%s) r WHERE r.b IS DISTINCT FROM r.a',
        TG_TABLE_NAME, TG_ARGV[0], lower(TG_OP), before_sql, after_sql, rows_sql)
        USING ctx, hidden;
    RETURN NULL;
END $$;

-- A row with its secret columns masked; `other` is the row before, to say whether a secret changed.
CREATE OR REPLACE FUNCTION audit_hide(row_ jsonb, other jsonb, cols text[]) RETURNS jsonb LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN row_ IS NULL THEN NULL ELSE row_ || (
        SELECT jsonb_object_agg(c, CASE WHEN other IS NOT NULL AND other -> c IS DISTINCT FROM row_ -> c
                                        THEN '{HIDDEN_CHANGED}' ELSE '{HIDDEN}' END)
          FROM unnest(cols) AS c) END
$$;

CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

DROP TRIGGER IF EXISTS {AUDIT_TABLE}_append_only ON {AUDIT_TABLE};
CREATE TRIGGER {AUDIT_TABLE}_append_only BEFORE UPDATE OR DELETE ON {AUDIT_TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""  # noqa: S608 - fixed names and constants only


def is_own_record(model) -> bool:
    """An append-only record that names its own actor (a contribution's status history, a period's events): it
    is already the trail of what it records, and repeating it would double the writes of every bulk operation."""
    from apps.ledger.models import AppendOnlyModel

    return issubclass(model, AppendOnlyModel) and any(f.name == "actor_label" for f in model._meta.fields)


def audited_models() -> list:
    """Every concrete model of the project whose table is audited (many-to-many link tables included)."""
    seen, found = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.swapped or meta.db_table in EXCLUDED_TABLES:
            continue
        if is_own_record(model) or meta.db_table in getattr(settings, "AUDIT_EXCLUDED_TABLES", ()):
            continue
        if meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        found.append(model)
    return found


class AuditedTable(NamedTuple):
    identity: str  # the column that names a row in the trail: the primary key, unless that is a secret
    pk: str
    columns: tuple[str, ...]


def audited_tables(connection) -> dict[str, AuditedTable]:
    """The audited tables that exist in this database."""
    existing = set(connection.introspection.table_names())
    found = {}
    for model in audited_models():
        table, pk = model._meta.db_table, model._meta.pk.column
        if table in existing:
            columns = tuple(f.column for f in model._meta.local_concrete_fields)
            found[table] = AuditedTable(OBJECT_ID_COLUMNS.get(table, pk), pk, columns)
    return found


def install(connection) -> None:
    """Install the triggers once the trail exists: a migrate that stops short of it (`migrate ledger` on a new
    database) has nothing to write to yet, and the migrate that creates it installs them."""
    if AUDIT_TABLE not in connection.introspection.table_names():
        return
    if connection.vendor == "postgresql":
        _install_postgres(connection)
    elif connection.vendor == "sqlite":
        install_sqlite(connection)


def _install_postgres(connection) -> None:
    """Statement-level triggers over transition tables (one set-based insert per statement: a bulk update of
    thousands of rows costs one call); row-level only where some columns are not audited (transition tables cannot
    be limited to columns)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(PG_FUNCTIONS)
        for table, audited in audited_tables(connection).items():
            hidden = HIDDEN_COLUMNS.get(table, ())
            for name in ("audit_row", "audit_insert", "audit_update", "audit_delete"):
                cur.execute(f"DROP TRIGGER IF EXISTS {name} ON {qn(table)}")
            if table in UNAUDITED_COLUMNS:
                args = ", ".join(_literal(a) for a in (audited.identity, *hidden))
                cur.execute(f"CREATE TRIGGER audit_row AFTER INSERT OR DELETE OR "
                            f"{_update_of(table, audited.columns, qn)} ON {qn(table)} "
                            f"FOR EACH ROW EXECUTE FUNCTION audit_record({args})")
                continue
            args = ", ".join(_literal(a) for a in (audited.identity, audited.pk, *hidden))
            for event, transition in (("INSERT", "NEW TABLE AS audit_new"),
                                      ("UPDATE", "OLD TABLE AS audit_old NEW TABLE AS audit_new"),
                                      ("DELETE", "OLD TABLE AS audit_old")):
                cur.execute(f"CREATE TRIGGER audit_{event.lower()} AFTER {event} ON {qn(table)} "
                            f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION audit_statement({args})")


def _update_of(table: str, columns: tuple[str, ...], qn) -> str:
    skipped = UNAUDITED_COLUMNS.get(table)
    if not skipped:
        return "UPDATE"
    return "UPDATE OF " + ", ".join(qn(c) for c in columns if c not in skipped)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# --- SQLite ---------------------------------------------------------------------------------------------------

SQLITE_GUARDS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS {AUDIT_TABLE}_no_{op.lower()} BEFORE {op} ON {AUDIT_TABLE} BEGIN "
    f"SELECT RAISE(ABORT, 'audit rows are append-only: {op} on {AUDIT_TABLE} refused'); END"
    for op in ("UPDATE", "DELETE")
)
SQLITE_CONTEXT = (
    "coalesce(json_extract(c.v, '$.source'), 'system'), coalesce(json_extract(c.v, '$.actor'), 'system'), "
    "json_extract(c.v, '$.user_id'), json_extract(c.v, '$.ip'), coalesce(json_extract(c.v, '$.task_name'), ''), "
    "coalesce(json_extract(c.v, '$.task_id'), ''), coalesce(json_extract(c.v, '$.request'), '')"
)
OBJECT_ARGS_PER_CALL = 50  # json_object takes at most 127 arguments on older SQLite builds


def install_sqlite(connection) -> None:
    """(Re)create the audit triggers and the trail's guards on SQLite."""
    with connection.cursor() as cur:
        for statement in _sqlite_statements(tuple(sorted(audited_tables(connection).items()))):
            cur.execute(statement)


def ensure_sqlite(connection) -> None:
    """Install the triggers unless they are in place (cheap enough to call before every test)."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{AUDIT_TABLE}_no_update"])
        if cur.fetchone():
            return
    install_sqlite(connection)


def drop_sqlite(connection) -> None:
    """Remove every audit trigger (a test's flush deletes every row, which the guards and triggers would see)."""
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'audit\\_%' ESCAPE '\\' "  # noqa: S608
                    f"OR name LIKE '{AUDIT_TABLE}\\_no\\_%' ESCAPE '\\')")
        for (name,) in cur.fetchall():
            cur.execute(f'DROP TRIGGER IF EXISTS "{name}"')


@cache
def _sqlite_statements(tables: tuple) -> tuple[str, ...]:
    statements = list(SQLITE_GUARDS)
    for table, audited in tables:
        for op in ("insert", "update", "delete"):
            name = f'"audit_{table}_{op}"'
            statements.append(f"DROP TRIGGER IF EXISTS {name}")
            statements.append(_sqlite_trigger(name, table, audited.identity, audited.columns, op))
    return tuple(statements)


def _sqlite_trigger(name: str, table: str, pk: str, columns: tuple[str, ...], op: str) -> str:
    hidden = HIDDEN_COLUMNS.get(table, ())
    before = _sqlite_row(columns, "OLD", hidden) if op != "insert" else "NULL"
    after = _sqlite_row(columns, "NEW", hidden, compare=op == "update") if op != "delete" else "NULL"
    row = "OLD" if op == "delete" else "NEW"
    event = f"AFTER {op.upper()}"
    when = ""
    if op == "update":
        watched = [c for c in columns if c not in UNAUDITED_COLUMNS.get(table, ())]
        if len(watched) != len(columns):
            event += " OF " + ", ".join(f'"{c}"' for c in watched)
        when = " WHEN " + " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)
    return (
        f'CREATE TRIGGER {name} {event} ON "{table}" FOR EACH ROW{when} BEGIN '  # noqa: S608 - model tables only
        f"INSERT INTO {AUDIT_TABLE} ({INSERT_COLUMNS}) "
        f"SELECT strftime('%Y-%m-%d %H:%M:%f', 'now'), '{table}', CAST({row}.\"{pk}\" AS TEXT), '{op}', "
        f"{before}, {after}, {SQLITE_CONTEXT} FROM (SELECT audit_context() AS v) AS c; END"
    )


def _sqlite_row(columns: tuple[str, ...], row: str, hidden: tuple[str, ...], *, compare: bool = False) -> str:
    pairs: list[tuple[str, str]] = []
    for c in columns:
        if c in hidden:
            value = (f"CASE WHEN OLD.\"{c}\" IS NEW.\"{c}\" THEN '{HIDDEN}' ELSE '{HIDDEN_CHANGED}' END"
                     if compare else f"'{HIDDEN}'")
        else:
            value = f'{row}."{c}"'
        pairs.append((c, value))
    # Beyond one call's arguments, further columns are added with json_insert (json_patch would drop nulls).
    chunk = OBJECT_ARGS_PER_CALL // 2
    expression = "json_object(" + ", ".join(f"'{c}', {v}" for c, v in pairs[:chunk]) + ")"
    for i in range(chunk, len(pairs), chunk):
        paths = ", ".join(f"'$.\"{c}\"', {v}" for c, v in pairs[i:i + chunk])
        expression = f"json_insert({expression}, {paths})"
    return expression
