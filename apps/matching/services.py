"""Every write of matching: matching confirmed contributions (one, or a batch), the sweep that finds the ones a
task missed, and the roles' permissions. Money moves only through `apps.ledger.services`.

One contribution or a batch goes through the same steps in one transaction: lock the contributions (by id), skip
the ones already matched or no longer confirmed, find each one's rule and budget, lock the budgets (by id), grant
what the rule, the caps and the remaining budget allow, post the granted amounts, and write the matches, the
contributions' new status with their events, and the budgets' new totals — all of it, or none of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from apps.contributions.models import Contribution, ContributionEvent, ContributionStatus
from apps.core import roles
from apps.core.actors import actor_identity
from apps.core.exceptions import DomainError
from apps.core.idempotency import pk_of
from apps.core.money import apply_rate, krw
from apps.core.roles import is_fund_admin
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.services import EntrySpec, credit, debit, retry_on_conflict
from apps.organizations.models import PARTY_PREFIX

from . import selectors
from .exceptions import BudgetTooSmall, NotAllowed
from .models import Match, MatchingBudget, MatchingRule, MatchReason

SWEEP_ACTOR = "task:matching_sweep"
# What matching reads of a contribution: a batch loads just these.
MATCHING_READS = ("status", "fund_id", "organization_id", "amount", "contribution_date", "program")
Status = ContributionStatus


def _who(actor) -> tuple[object | None, str]:
    """(user or None, label). A string is a task or command acting for the system; a user must be a fund
    administrator."""
    identity = actor_identity(actor)
    if identity is None or (identity[0] is not None and not is_fund_admin(identity[0])):
        raise NotAllowed("only fund administrators (or the matching task) may match contributions", field="actor")
    return identity


@retry_on_conflict
def contribution_match(*, actor, contribution: Contribution | int) -> Match | None:
    """Match one confirmed contribution: the government's share, posted to the fund's ledger.

    Invariant: a contribution is matched exactly once — running again (a retried task, the sweep) returns the
    match made first — and a budget's matched total never exceeds its amount. Returns None for a contribution that
    is not (or no longer) confirmed and has no match: nothing to do.
    """
    pk = pk_of(contribution)
    matches = _match(actor, [pk], skip_locked=False)
    return matches[0] if matches else Match.objects.filter(contribution_id=pk).first()


@retry_on_conflict
def contributions_match(*, actor, contributions: Sequence[Contribution | int]) -> list[Match]:
    """Match a batch of confirmed contributions in one transaction (the sweep's and the bench's way).

    Invariant: as `contribution_match`, for every contribution of the batch, or for none of them. Contributions
    another transaction is matching at this moment are skipped, not waited for: that transaction matches them.
    Returns the matches made now.
    """
    return _match(actor, [pk_of(c) for c in contributions], skip_locked=True)


def _match(actor, ids: list[int], *, skip_locked: bool) -> list[Match]:
    user, label = _who(actor)
    # Two workers, a retried task, or the sweep racing a task may reach the same contribution at once: the row
    # lock makes the second wait (or, for the sweep, pass by) and then see the match the first committed.
    locked = list(Contribution.objects.select_for_update(skip_locked=skip_locked).only(*MATCHING_READS)
                  .filter(pk__in=ids).order_by("pk"))
    done = set(Match.objects.filter(contribution_id__in=[c.pk for c in locked]).values_list("contribution_id",
                                                                                              flat=True))
    todo = [c for c in locked if c.status == Status.CONFIRMED and c.pk not in done]
    if not todo:
        return []
    rules = selectors.rules_by_fund(c.fund_id for c in todo)
    ruled = [(c, selectors.rule_in_force(c, rules.get(c.fund_id, []))) for c in todo]
    budgets = _lock_budgets({_budget_key(c, rule) for c, rule in ruled if rule is not None})
    grants = _grant(ruled, budgets)
    entries = _post(actor, [g for g in grants if g.matched])
    matches = Match.objects.bulk_create([
        Match(contribution=g.contribution, rule=g.rule, budget=g.budget, requested=g.requested, matched=g.matched,
              reason=g.reason, entry_id=entries.get(g.contribution.pk), actor_label=label)
        for g in grants
    ])
    _mark_matched([g.contribution for g in grants if g.matched], user, label)
    for budget in budgets.values():
        budget.save(update_fields=["matched_total"])
    return matches


BudgetKey = tuple[int, str, int]  # fund id, program, year


def _budget_key(contribution: Contribution, rule: MatchingRule) -> BudgetKey:
    return contribution.fund_id, rule.program, contribution.contribution_date.year


def _lock_budgets(keys: set[BudgetKey]) -> dict[BudgetKey, MatchingBudget]:
    if not keys:
        return {}
    wanted = Q()
    for fund_id, program, year in keys:
        wanted |= Q(fund_id=fund_id, program=program, year=year)
    # Matches of one budget read its remainder and add to it: without the lock, two transactions would both see
    # the same remainder and together grant more than it holds. Locked by id, the order every matcher uses.
    rows = MatchingBudget.objects.select_for_update().filter(wanted).order_by("pk")
    return {(b.fund_id, b.program, b.year): b for b in rows}


@dataclass
class Grant:
    contribution: Contribution
    rule: MatchingRule | None
    budget: MatchingBudget | None
    requested: int
    matched: int
    reason: str


def _grant(ruled: list[tuple[Contribution, MatchingRule | None]],
           budgets: dict[BudgetKey, MatchingBudget]) -> list[Grant]:
    """Each contribution's grant, in id order; budgets' `matched_total` grow as they are granted."""
    capped = {c.organization_id for c, rule in ruled if rule is not None and rule.recipient_cap is not None}
    already = selectors.matched_by_organization([b.pk for b in budgets.values()], capped) if capped else {}
    already = defaultdict(int, already)
    grants = []
    for contribution, rule in ruled:
        budget = budgets.get(_budget_key(contribution, rule)) if rule is not None else None
        grant = _decide(contribution, rule, budget, already[(budget.pk, contribution.organization_id)]
                        if budget is not None else 0)
        if budget is not None:
            budget.matched_total += grant.matched
            already[(budget.pk, contribution.organization_id)] += grant.matched
        grants.append(grant)
    return grants


def _decide(contribution: Contribution, rule: MatchingRule | None, budget: MatchingBudget | None,
            already: int) -> Grant:
    """What the rule asks for, limited in turn by the maximum share, the per-recipient cap and the budget; the
    reason names the last limit that cut it."""
    if rule is None:
        return Grant(contribution, None, None, 0, 0, MatchReason.NO_RULE)
    requested = apply_rate(contribution.amount, rule.ratio)
    granted, reason = requested, MatchReason.FULL
    limit = rule.share_limit(contribution.amount)
    if limit is not None and limit < granted:
        granted, reason = limit, MatchReason.MAX_SHARE
    if rule.recipient_cap is not None and rule.recipient_cap - already < granted:
        granted, reason = max(rule.recipient_cap - already, 0), MatchReason.RECIPIENT_CAP
    if budget is None:
        return Grant(contribution, rule, None, requested, 0, MatchReason.NO_BUDGET)
    if budget.remaining < granted:
        granted = budget.remaining
        reason = MatchReason.BUDGET_SHORT if granted else MatchReason.BUDGET_EXHAUSTED
    return Grant(contribution, rule, budget, requested, granted, reason)


def _post(actor, grants: list[Grant]) -> dict[int, int]:
    """Dr matching receivable / Cr matching revenue per granted contribution, naming the contributor; returns the
    entries' ids by contribution id. The idempotency key keeps even a retried posting from posting twice."""
    if not grants:
        return {}
    funds = Fund.objects.in_bulk({g.contribution.fund_id for g in grants})
    accounts = {(pk, code): fund_account(fund, code).pk for pk, fund in funds.items()
                for code in (chart.MATCHING_RECEIVABLE, chart.MATCHING_REVENUE)}
    specs = []
    for g in grants:
        c, won, party = g.contribution, krw(g.matched), f"{PARTY_PREFIX}{g.contribution.organization_id}"
        specs.append(EntrySpec(
            ledger_id=funds[c.fund_id].ledger_id, effective_date=c.contribution_date, reference=c.reference,
            idempotency_key=f"{c.reference}:match", memo=f"Government matching of contribution #{c.pk}",
            lines=[debit(accounts[(c.fund_id, chart.MATCHING_RECEIVABLE)], won, party=party),
                   credit(accounts[(c.fund_id, chart.MATCHING_REVENUE)], won, party=party,
                          metadata={"contribution": c.pk, "matching_rule": g.rule.pk})],
        ))
    entries = ledger.entries_post_batch(actor=actor, entries=specs)
    return {g.contribution.pk: entry.pk for g, entry in zip(grants, entries, strict=True)}


def _mark_matched(contributions: list[Contribution], user, label: str) -> None:
    if not contributions:
        return
    Contribution.objects.filter(pk__in=[c.pk for c in contributions]).update(status=Status.MATCHED)
    ContributionEvent.objects.bulk_create([
        ContributionEvent(contribution_id=c.pk, from_status=Status.CONFIRMED, to_status=Status.MATCHED, actor=user,
                          actor_label=label)
        for c in contributions
    ])
    for c in contributions:
        c.status = Status.MATCHED


@dataclass
class SweepResult:
    matched: int = 0  # contributions granted a match above 0
    unmatched: int = 0  # matched at 0 (no rule, no budget left, …): their match row says why
    failed: int = 0  # refused; left confirmed for an administrator
    closed: int = 0  # dated in a fiscal year closed before they were matched: not tried (an administrator reopens)

    def add(self, matches: Iterable[Match]) -> None:
        for match in matches:
            if match.matched:
                self.matched += 1
            else:
                self.unmatched += 1


def matching_sweep(*, actor: str = SWEEP_ACTOR, batch: int = 500) -> SweepResult:
    """Match every confirmed contribution that has no match yet, in batches of `batch`, each batch in its own
    transaction; what a task matched meanwhile is left alone.

    Invariant: as `contribution_match`. One refused contribution (a closed year) does not hold back the others of
    its batch: a refused batch is matched again one contribution at a time.
    """
    result, after = SweepResult(), 0
    waiting = Contribution.objects.filter(status=Status.CONFIRMED, match__isnull=True)
    closed = _in_closed_years()
    # The ledger refuses postings into a closed year: trying them every minute would only fail every minute.
    result.closed = waiting.filter(closed).count() if closed else 0
    pending = (waiting.exclude(closed) if closed else waiting).order_by("pk")
    while ids := list(pending.filter(pk__gt=after).values_list("pk", flat=True)[:batch]):
        after = ids[-1]
        try:
            result.add(contributions_match(actor=actor, contributions=ids))
        except DomainError:
            for pk in ids:
                try:
                    result.add(contributions_match(actor=actor, contributions=[pk]))
                except DomainError:
                    result.failed += 1
    return result


def _in_closed_years() -> Q | None:
    """Contributions dated in a fiscal year their fund's ledger has closed."""
    closed = Q()
    for fund_id, years in Fund.objects.exclude(ledger__closed_years=[]).values_list("pk", "ledger__closed_years"):
        if years:
            closed |= Q(fund_id=fund_id, contribution_date__year__in=years)
    return closed or None


def budget_save(*, actor, budget: MatchingBudget) -> MatchingBudget:
    """Create a budget, or change an existing one's amount, fund, program or year (the back office's save).

    Invariant: `matched_total` is never written here — it belongs to the matching transactions — and an amount
    below what the budget has already matched is refused (BudgetTooSmall).
    """
    _who(actor)
    with transaction.atomic():
        if budget.pk is None:
            budget.matched_total = 0
            budget.save()
            return budget
        # A match committing while the form was open has grown `matched_total`: read it under the lock, so the
        # check sees it and the save (which leaves it out) cannot put back the stale total the form was built from.
        current = MatchingBudget.objects.select_for_update().get(pk=budget.pk)
        if budget.amount < current.matched_total:
            raise BudgetTooSmall(f"this budget has already matched {current.matched_total:,} won; its amount "
                                 "cannot be less", field="amount")
        budget.matched_total = current.matched_total
        budget.save(update_fields=["fund", "program", "year", "amount"])
        return budget


def role_permissions_grant() -> None:
    """Auditors may view rules, budgets and matches; fund administrators may also add and change rules and
    budgets (matches are read-only in the back office whatever the permission: they are made by the services)."""
    roles.role_permissions_grant("matching")
