"""The audit trail: who changed what, when, from where — one row per inserted, updated or deleted row.

Design
- The trail is written by the database, not by the rooms. After every migrate (`post_migrate`, like the ledger's
  own guards) triggers are (re)installed on the table of every model of the project, so a room that is written
  tomorrow is covered without touching its code. The trigger's insert into `audit_auditevent` is part of the very
  statement that made the change: it commits and rolls back with it.
  - PostgreSQL: statement-level triggers over transition tables call one generic plpgsql function
    (`audit_statement`), which copies every changed row as `to_jsonb(old)`/`to_jsonb(new)` with one set-based
    INSERT per statement — a bulk update of 500 rows costs one call, not 500. Who is acting comes from the session
    setting `audit.context`. (Row-level `audit_record` where only some columns are audited: see below.)
  - SQLite: per-table row triggers generated from the model's columns (`json_object(...)`); who is acting comes
    from a Python function `audit_context()` registered on every connection (`connection_created`).
- Why triggers and not Django signals: `QuerySet.update()`, `bulk_create`, `bulk_update` and raw SQL send no
  signals, and the rooms use all of them (matching marks contributions matched with `update()`, the ledger writes
  in raw SQL). A signal-based trail would miss exactly the bulk changes an auditor most wants to see.
- Who is acting (`apps.audit.context`): a middleware for web and API requests (user — resolved at the first write,
  so DRF's token authentication, which happens inside the view, is seen — and client IP), Celery's
  `task_prerun`/`task_postrun` for tasks (task name and id), every management command ("command:<name>"), and
  "system" for anything else. The context reaches the database lazily, only when it changed, through an execute
  wrapper on each connection: an unchanged context costs a comparison, not a round trip.
- Append-only: triggers refuse UPDATE and DELETE on `audit_auditevent` on both databases (see `triggers.py`).
- Not audited: the ledger's own high-volume append-only records, which carry their actor already (journal entries
  and lines, day totals, seals, the seal-chain head, the posting idempotency keys that live on the entries), and
  the running totals and reservations of accounts (an account's other columns are audited, by a row trigger
  limited to them); any other append-only record that names its actor (a contribution's status history: it is
  already a trail); sessions and the admin's own log; and any table named in the optional setting
  `AUDIT_EXCLUDED_TABLES`. The auditors' area reads the ledger itself for entries. Secrets are masked in the stored
  rows (password hashes, API token keys — a token is identified by its user), with a note when they changed.
- Not covered: TRUNCATE (tests flush with it on PostgreSQL), and statements sent on a raw DB-API cursor are audited
  with the context the connection last received.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    INSERT = "insert", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class Source(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    TASK = "task", _("Task")
    COMMAND = "command", _("Command")
    SYSTEM = "system", _("System")


class AuditEvent(models.Model):
    """One changed row. Written only by the database triggers; never updated or deleted."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    table_name = models.CharField(_("table"), max_length=128)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.SYSTEM)
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    # A plain id, no foreign key: the trail must outlive the user, and an append-only row cannot be SET NULL.
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    task_name = models.CharField(_("task"), max_length=200, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    request = models.CharField(_("request"), max_length=300, blank=True, help_text=_("Method and path."))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["table_name", "object_id"], name="audit_event_object"),
        ]

    def __str__(self) -> str:
        return f"{self.table_name}#{self.object_id} {self.action} by {self.actor_label or 'system'}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(column, before, after) for every column whose value differs (all columns for an insert or delete)."""
        before, after = self.before or {}, self.after or {}
        columns = list(after) if self.after is not None else list(before)
        return [(c, before.get(c), after.get(c)) for c in columns if before.get(c) != after.get(c)
                or self.action != Action.UPDATE]
