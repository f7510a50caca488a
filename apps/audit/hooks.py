"""Where the acting context comes from outside a request: Celery tasks and management commands.

Connected once in `AuditConfig.ready()`.
"""

from __future__ import annotations

import functools

from celery.signals import task_postrun, task_prerun
from django.core.management.base import BaseCommand

from . import context

_task_tokens: dict[str, object] = {}


def task_started(task_id=None, task=None, **kwargs) -> None:
    _task_tokens[task_id] = context.push(context.task_context(task.name, task_id))


def task_finished(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        context.pop(token)


def connect_celery() -> None:
    task_prerun.connect(task_started, dispatch_uid="audit.task_started", weak=False)
    task_postrun.connect(task_finished, dispatch_uid="audit.task_finished", weak=False)


def hook_commands() -> None:
    """Every management command acts as "command:<name>", unless it runs inside a task or request that already
    names who acts (call_command from a task keeps the task)."""
    original = BaseCommand.execute
    if getattr(original, "audit_hooked", False):
        return

    @functools.wraps(original)
    def execute(self, *args, **options):
        if context.is_active():
            return original(self, *args, **options)
        with context.acting(context.command_context(type(self).__module__.rsplit(".", 1)[-1])):
            return original(self, *args, **options)

    execute.audit_hooked = True  # type: ignore[attr-defined]
    BaseCommand.execute = execute  # type: ignore[method-assign]
