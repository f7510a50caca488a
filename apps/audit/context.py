"""Who is acting, and how the database triggers learn it.

The acting context (a web or API request, a Celery task, a management command, or the system) lives in a context
variable, pushed and popped by the middleware, the Celery signals and the command hook (`apps.audit.hooks`).

It reaches the database through an execute wrapper installed on every connection:
- PostgreSQL: the context, as JSON, is stored in the session setting `audit.context` that the trigger reads. The
  wrapper issues `set_config` only when the context differs from what the connection last received, so a stream of
  statements under one context (a posting loop, a sweep) costs one round trip, not one per statement. A setting made
  inside a transaction is undone by its rollback; the wrapper notices (its commit hook vanished from the pending
  list without having run) and sends the setting again. (Django ties commit hooks to `atomic` blocks only: a
  manual `transaction.savepoint_rollback` is not noticed.)
- SQLite: the trigger calls `audit_context()`, a Python function registered on the connection, which returns the
  current context directly.
- A request's user is resolved at its first write, not when the request starts: DRF authenticates tokens inside the
  view and then sets the user on the underlying Django request, where the context reads it.

Statements sent through a raw DB-API cursor (the ledger's posting path on PostgreSQL) bypass the wrapper; they are
audited under whatever context the connection last received, which the earlier statements of the same operation set.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject, empty

from .models import Source

SETTING = "audit.context"
SYSTEM = "system"


@dataclass
class AuditContext:
    """A fixed context: a task, a command, the system, or a test's stand-in."""

    source: str = Source.SYSTEM
    actor: str = SYSTEM
    user_id: int | None = None
    ip: str | None = None
    task_name: str = ""
    task_id: str = ""
    request: str = ""
    _json: str | None = field(default=None, repr=False, compare=False)

    def as_json(self, *, resolve_user: bool = False) -> str:
        if self._json is None:
            self._json = _dump(self.fields())
        return self._json

    def fields(self) -> dict:
        return {"source": self.source, "actor": self.actor, "user_id": self.user_id, "ip": self.ip,
                "task_name": self.task_name, "task_id": self.task_id, "request": self.request}


class RequestContext:
    """A web or API request: the user is read from the request when a write needs it."""

    def __init__(self, request):
        self.request = request
        self.source = Source.API if request.path.startswith("/api/") else Source.WEB
        self.ip = client_ip(request)
        self.line = f"{request.method} {request.path}"[:300]
        self._user_key: object = None
        self._json: str | None = None

    def user(self, *, resolve: bool):
        user = self.request.__dict__.get("user")
        if isinstance(user, SimpleLazyObject):
            if user._wrapped is empty:
                if not resolve:
                    return None
                user._setup()
            user = user._wrapped
        return user if getattr(user, "is_authenticated", False) else None

    def fields(self, *, resolve_user: bool = False) -> dict:
        user = self.user(resolve=resolve_user)
        return {"source": self.source, "actor": user.get_username() if user else "anonymous",
                "user_id": user.pk if user else None, "ip": self.ip, "task_name": "", "task_id": "",
                "request": self.line}

    def as_json(self, *, resolve_user: bool = False) -> str:
        user = self.user(resolve=resolve_user)
        key = user.pk if user else None
        if self._json is None or key != self._user_key:
            self._user_key, self._json = key, _dump(self.fields())
        return self._json


SYSTEM_CONTEXT = AuditContext()
_current: ContextVar[AuditContext | RequestContext | None] = ContextVar("audit_context", default=None)


def _dump(fields: dict) -> str:
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def client_ip(request) -> str | None:
    """The address the request came from. X-Forwarded-For is not trusted: no proxy is configured to set it."""
    return request.META.get("REMOTE_ADDR") or None


def current():
    return _current.get() or SYSTEM_CONTEXT


def is_active() -> bool:
    return _current.get() is not None


def push(context) -> object:
    return _current.set(context)


def pop(token) -> None:
    _current.reset(token)


@contextmanager
def acting(context):
    """Run the block under `context` (an `AuditContext` or `RequestContext`)."""
    token = push(context)
    try:
        yield context
    finally:
        pop(token)


def task_context(name: str, task_id: str) -> AuditContext:
    """A Celery task's context. A task run in-process (eagerly) by a request keeps that request's user and IP."""
    outer = current().fields()
    return AuditContext(
        source=Source.TASK, actor=f"task:{name}" if outer["user_id"] is None else outer["actor"],
        user_id=outer["user_id"], ip=outer["ip"], task_name=name, task_id=task_id or "", request=outer["request"],
    )


def command_context(name: str) -> AuditContext:
    return AuditContext(source=Source.COMMAND, actor=f"command:{name}")


WRITES = ("INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "REPLACE")


class ContextWriter:
    """The execute wrapper of one connection: hands the current context to the database when it changed."""

    def __init__(self, connection):
        self.connection = connection
        self.busy = False
        self.reset()

    def reset(self) -> None:
        """A new database session: the setting is empty, which the trigger reads as the system."""
        self.applied: str | None = SYSTEM_CONTEXT.as_json()
        self.pending: _Commit | None = None
        self.settled: AuditContext | None = None  # a fixed context known to be in the session for good

    def __call__(self, execute, sql, params, many, context):
        ctx = _current.get() or SYSTEM_CONTEXT
        if ctx is self.settled:  # the hot path of a posting loop or a sweep: nothing to check
            return execute(sql, params, many, context)
        if _opens_transaction(sql):  # must be a transaction's first statement: the context can follow it
            return execute(sql, params, many, context)
        if self.busy or self.connection.needs_rollback:
            return execute(sql, params, many, context)
        self.busy = True
        try:
            value = ctx.as_json(resolve_user=isinstance(ctx, RequestContext) and _is_write(sql))
            committed = True
            if self.connection.vendor == "postgresql":
                self._send(value)
                committed = self.pending is None or self.pending.done
            self.settled = ctx if isinstance(ctx, AuditContext) and committed else None
        finally:
            self.busy = False
        return execute(sql, params, many, context)

    def _send(self, value: str) -> None:
        if self.pending is not None and not self.pending.still_possible(self.connection):
            self.applied, self.pending = None, None  # the transaction that carried the setting rolled back
        if value == self.applied:
            return
        raw = self.connection.connection.cursor()
        with self.connection.wrap_database_errors:
            raw.execute("SELECT set_config(%s, %s, false)", (SETTING, value))
        raw.close()
        self.applied = value
        self.pending = None
        if self.connection.in_atomic_block:
            self.pending = _Commit()
            self.connection.on_commit(self.pending)


class _Commit:
    """Marks that the transaction which carried a `set_config` committed; its absence means it rolled back."""

    def __init__(self):
        self.done = False

    def __call__(self):
        self.done = True

    def still_possible(self, connection) -> bool:
        return self.done or any(entry[1] is self for entry in connection.run_on_commit)


def _opens_transaction(sql: str) -> bool:
    """`SET TRANSACTION ...` (isolation, read only) is refused after any query of its transaction."""
    return sql.lstrip()[:15].upper() == "SET TRANSACTION"


def _is_write(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(WRITES)


def install(connection) -> None:
    """Called for every new database connection (`connection_created`)."""
    writer = getattr(connection, "_audit_writer", None)
    if writer is None:
        writer = connection._audit_writer = ContextWriter(connection)
    if writer not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, writer)
    writer.reset()
    if connection.vendor == "sqlite":
        connection.connection.create_function("audit_context", 0, _sqlite_context)


def _sqlite_context() -> str:
    return current().as_json()
