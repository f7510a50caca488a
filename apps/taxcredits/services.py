"""Every write of the tax-credits app: rules (configuration) and issued statements. Keyword-only arguments, a
required `actor` (a user, or the label of a command, which acts for the system), one transaction each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from apps.core import roles
from apps.core.actors import actor_identity
from apps.core.roles import is_fund_admin
from apps.organizations.models import Organization

from . import selectors
from .exceptions import NotAllowed, OverlappingRule
from .models import TaxCreditRule, TaxCreditStatement


def _who(actor) -> tuple[object | None, str]:
    if (identity := actor_identity(actor)) is None:
        raise NotAllowed("sign in to act on tax credits", field="actor")
    return identity


def _require_administrator(actor, doing: str) -> tuple[object | None, str]:
    user, label = _who(actor)
    if user is not None and not is_fund_admin(user):
        raise NotAllowed(f"only fund administrators may {doing}", field="actor")
    return user, label


def rule_create(*, actor, kind: str, rate: Decimal, valid_from: date, valid_to: date | None = None,
                description: str = "") -> TaxCreditRule:
    """Add a rule. Invariant: rules of one kind never share a day, so a date has at most one rule in force."""
    _require_administrator(actor, "set tax-credit rules")
    rule = TaxCreditRule(kind=kind, rate=Decimal(rate), valid_from=valid_from, valid_to=valid_to,
                         description=description)
    return _save_rule(rule)


def rule_end(*, actor, rule: TaxCreditRule, valid_to: date) -> TaxCreditRule:
    """Set a rule's last day (its sunset). Invariant: as for `rule_create`."""
    _require_administrator(actor, "set tax-credit rules")
    rule.valid_to = valid_to
    return _save_rule(rule)


def _save_rule(rule: TaxCreditRule) -> TaxCreditRule:
    with transaction.atomic():
        other = rule.first_overlapping()
        if other is not None:
            raise OverlappingRule(rule.overlap_message(other), field="valid_from")
        rule.full_clean()
        rule.save()
    return rule


def statement_issue(*, actor, organization: Organization, year: int) -> TaxCreditStatement:
    """Issue the organisation's tax-credit statement for a year, as computed now.

    Invariant: an issued statement never changes — its lines and totals are stored with the rates they used, so a
    later rule change alters only statements issued after it; issuing again adds the next version (1, 2, …) and
    keeps every earlier one.
    """
    user, label = _require_administrator(actor, "issue tax-credit statements")
    with transaction.atomic():
        # Two issues for the same organisation at once would both read the same last version: the organisation
        # row stays locked until this transaction commits, so versions are handed out one at a time.
        Organization.objects.select_for_update().get(pk=organization.pk)
        statement = selectors.statement_compute(organization=organization, year=year)
        last = (TaxCreditStatement.objects.filter(organization=organization, kind=statement.kind, year=year)
                .aggregate(v=Max("version"))["v"]) or 0
        return TaxCreditStatement.objects.create(
            organization=organization, kind=statement.kind, year=year, version=last + 1,
            lines=[line.as_json() for line in statement.lines], total_amount=statement.total_amount,
            total_excluded=statement.total_excluded, total_base=statement.total_base,
            total_credit=statement.total_credit, issued_by=user, issued_by_label=label,
        )


def role_permissions_grant() -> None:
    """Auditors may view rules and statements; fund administrators may also add and change rules (statements are
    read-only in the back office whatever the permission: they are issued through `statement_issue`)."""
    roles.role_permissions_grant("taxcredits")
