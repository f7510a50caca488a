"""The auditors' area's one write: a fund administrator asks for a verification of every ledger."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from apps.core.actors import actor_identity
from apps.core.roles import is_fund_admin

from .tasks import ledger_verify


def verification_request(*, actor) -> None:
    """Queue the verification of every ledger, named for `actor` (a fund administrator, or a task or command).

    Invariant: the task is sent only once the caller's transaction commits, and only for a fund administrator
    or the system; verifying reads the ledgers and records one run, so a repeated request changes no money.
    """
    identity = actor_identity(actor)
    if identity is None or (identity[0] is not None and not is_fund_admin(identity[0])):
        raise PermissionDenied("only fund administrators may start a verification")
    label = identity[1]
    transaction.on_commit(lambda: ledger_verify.delay(label))
