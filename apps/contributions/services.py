"""Every write to contributions, their history and their receipts. Each service takes keyword arguments and a
required `actor` (a user, or the label of a command or task, which acts for the system), runs in one transaction,
and writes a `ContributionEvent` with the actor in that same transaction. Money moves only through
`apps.ledger.services`.

Who may act: a finance officer of the organisation (or a fund administrator) submits and withdraws; only fund
administrators confirm, reject and correct. Refusals are typed (`exceptions.py`) and name the field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core import roles
from apps.core.actors import actor_identity
from apps.core.idempotency import payload_hash, pk_of
from apps.core.money import krw
from apps.core.roles import is_fund_admin
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import DESIGNATED_USE, fund_account
from apps.ledger import services as ledger
from apps.ledger.services import credit, debit, retry_on_conflict
from apps.organizations.models import Organization
from apps.organizations.selectors import can_submit_for

from .catalogue import SEED_FUND_CODES, SEED_USES, SEED_VALID_FROM
from .exceptions import (
    DesignatedUseNotValid,
    IdempotencyConflict,
    InvalidContribution,
    InvalidTransition,
    NotAllowed,
)
from .models import (
    Contribution,
    ContributionEvent,
    ContributionStatus,
    DesignatedUse,
    DonationReceipt,
    ReceiptCounter,
)

MAX_AMOUNT = 2**63 - 1  # a 64-bit integer column
Status = ContributionStatus


# Actors


def _who(actor) -> tuple[object | None, str]:
    """(user or None, label). A string is a command or task acting for the system."""
    if (identity := actor_identity(actor)) is None:
        raise NotAllowed("sign in to act on contributions", field="actor")
    return identity


def _is_administrator(actor) -> bool:
    user, _label = _who(actor)
    return user is None or is_fund_admin(user)


def _require_administrator(actor, doing: str) -> None:
    if not _is_administrator(actor):
        raise NotAllowed(f"only fund administrators may {doing}", field="actor")


def _record(contribution: Contribution, from_status: str, actor, reason: str = "") -> ContributionEvent:
    user, label = _who(actor)
    return ContributionEvent.objects.create(contribution=contribution, from_status=from_status,
                                            to_status=contribution.status, actor=user, actor_label=label,
                                            reason=reason)


# Submission


def contribution_submit(
    *,
    actor,
    organization: Organization,
    fund: Fund,
    amount: int,
    contribution_date: date,
    designated_use: DesignatedUse | str,
    beneficiaries: Iterable[Organization] = (),
    program: str = "",
    idempotency_key: str | None = None,
) -> Contribution:
    """Record a submitted contribution (no money moves until it is confirmed).

    Invariant: a contribution is whole won > 0, to an active fund, under a designated use valid for that fund on its
    date, submitted by a finance officer of the organisation or a fund administrator. A repeated idempotency key
    returns the contribution made first (marked `is_replay`) when the payload is the same, and is refused
    (IdempotencyConflict) when it differs: a double click or a retried request makes one contribution.
    """
    user, _label = _who(actor)
    if user is not None and not (is_fund_admin(user) or can_submit_for(user, organization)):
        raise NotAllowed("only a finance officer of this organisation may submit its contributions",
                         field="organization")
    beneficiaries = list(beneficiaries)
    payload = _payload_hash(organization, fund, amount, contribution_date, designated_use, beneficiaries, program)
    key = idempotency_key or None
    with transaction.atomic():
        if key:
            existing = Contribution.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, payload)
        use = _check_submission(organization, fund, amount, contribution_date, designated_use, beneficiaries)
        contribution = Contribution(
            organization=organization, fund=fund, amount=int(amount), contribution_date=contribution_date,
            designated_use=use, program=program, idempotency_key=key, payload_hash=payload, submitted_by=user,
            submitted_by_label=_label,
        )
        try:
            with transaction.atomic():
                contribution.save()
        except IntegrityError:
            # The same key submitted at the same moment by another request: the first one to commit wins.
            existing = Contribution.objects.filter(idempotency_key=key).first() if key else None
            if existing is None:
                raise
            return _replay(existing, payload)
        contribution.beneficiaries.set(beneficiaries)
        _record(contribution, "", actor)
    contribution.is_replay = False
    return contribution


def _payload_hash(organization, fund, amount, day, designated_use, beneficiaries, program) -> str:
    use = designated_use.code if isinstance(designated_use, DesignatedUse) else str(designated_use)
    body = {"organization": organization.pk, "fund": fund.pk, "amount": str(amount), "date": str(day), "use": use,
            "beneficiaries": sorted(pk_of(b) for b in beneficiaries), "program": program}
    return payload_hash(body)


def _replay(existing: Contribution, payload: str) -> Contribution:
    if existing.payload_hash != payload:
        raise IdempotencyConflict("this idempotency key was already used for a different contribution; use a new "
                                  "key for a new contribution", field="idempotency_key")
    existing.is_replay = True
    return existing


def _check_submission(organization, fund, amount, day, designated_use, beneficiaries) -> DesignatedUse:
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal) or amount != int(amount):
        raise InvalidContribution("give the amount in whole won", field="amount")
    if not 0 < amount <= MAX_AMOUNT:
        raise InvalidContribution("the amount must be more than 0 won", field="amount")
    if not organization.is_active:
        raise InvalidContribution("this organisation is inactive", field="organization")
    if not fund.is_active:
        raise InvalidContribution(f"the fund {fund.code} does not take contributions now", field="fund")
    if any(pk_of(b) == organization.pk for b in beneficiaries):
        raise InvalidContribution("an organisation cannot name itself as a beneficiary", field="beneficiaries")
    return _designated_use(designated_use, fund, day)


def _designated_use(designated_use: DesignatedUse | str, fund: Fund, day: date) -> DesignatedUse:
    valid = DesignatedUse.objects.valid_on(day, fund)
    if isinstance(designated_use, DesignatedUse):
        use = valid.filter(pk=designated_use.pk).first()
        code = designated_use.code
    else:
        code = str(designated_use)
        use = valid.filter(code=code).order_by("-valid_from").first()
    if use is None:
        raise DesignatedUseNotValid(f"'{code}' is not a designated use of the fund {fund.code} on {day}",
                                    field="designated_use")
    return use


# Changes of status


def _locked(contribution: Contribution | int) -> Contribution:
    """The contribution re-read under a row lock: two administrators (or a retried request) acting on the same
    contribution at once queue here, and the second sees the status the first left."""
    pk = pk_of(contribution)
    return (Contribution.objects.select_for_update(of=("self",))
            .select_related("organization", "fund", "designated_use").get(pk=pk))


def _require_status(contribution: Contribution, allowed: tuple[str, ...], doing: str) -> None:
    if contribution.status not in allowed:
        raise InvalidTransition(f"contribution #{contribution.pk} is {contribution.status}; only a contribution "
                                f"that is {' or '.join(allowed)} can be {doing}", field="status")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidContribution("give a reason", field="reason")
    return reason


@retry_on_conflict
def contribution_confirm(*, actor, contribution: Contribution | int) -> Contribution:
    """Confirm that the money was received: submitted → confirmed, posted to the fund's ledger, receipt issued.

    Invariant: a contribution is confirmed once, with exactly one entry — Dr cash / Cr contribution revenue, both
    naming the contributor, the revenue line carrying the designated use — and exactly one receipt, numbered next
    in its fund and fiscal year. Confirming again is refused (InvalidTransition); the entry's idempotency key
    keeps even a retried posting from posting twice. Dated on the contribution date, so a closed year refuses.
    """
    _require_administrator(actor, "confirm a contribution")
    contribution = _locked(contribution)
    _require_status(contribution, (Status.SUBMITTED,), "confirmed")
    entry = _post_confirmation(actor, contribution)
    contribution.status = Status.CONFIRMED
    contribution.confirmed_at = timezone.now()
    contribution.confirmation_entry = entry
    contribution.save(update_fields=["status", "confirmed_at", "confirmation_entry"])
    _issue_receipt(contribution)
    _record(contribution, Status.SUBMITTED, actor)
    from apps.matching.tasks import match_contribution  # the matching app builds on this one: imported late

    transaction.on_commit(lambda: match_contribution.delay(contribution.pk))
    return contribution


def _post_confirmation(actor, contribution: Contribution):
    fund, party, won = contribution.fund, contribution.organization.party, krw(contribution.amount)
    metadata = {DESIGNATED_USE: contribution.designated_use.code, "contribution": contribution.pk}
    return ledger.entry_post(
        actor=actor, ledger=fund.ledger_id, effective_date=contribution.contribution_date,
        memo=f"Contribution #{contribution.pk} from {contribution.organization.name_ko} received",
        reference=contribution.reference, idempotency_key=f"{contribution.reference}:confirm",
        lines=[debit(fund_account(fund, chart.CASH), won, party=party),
               credit(fund_account(fund, chart.CONTRIBUTION_REVENUE), won, party=party, metadata=metadata)],
    )


def _issue_receipt(contribution: Contribution) -> DonationReceipt:
    fund_id, year = contribution.fund_id, contribution.contribution_date.year
    ReceiptCounter.objects.bulk_create([ReceiptCounter(fund_id=fund_id, year=year)], ignore_conflicts=True)
    # Two confirmations in the same fund and year at once would both read the same last number and issue it twice
    # (and a database sequence would leave a gap whenever a confirmation rolls back): the counter row stays locked
    # until this transaction commits, so numbers are handed out one at a time and roll back with the confirmation.
    counter = ReceiptCounter.objects.select_for_update().get(fund_id=fund_id, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    organization = contribution.organization
    return DonationReceipt.objects.create(
        contribution=contribution, fund_id=fund_id, fiscal_year=year, number=counter.last_number,
        donor_name=organization.name_ko, donor_brn=organization.business_registration_number,
        amount=contribution.amount,
    )


def contribution_withdraw(*, actor, contribution: Contribution | int, reason: str) -> Contribution:
    """The organisation takes back a contribution before it is confirmed: submitted → withdrawn.

    Invariant: nothing was posted, so nothing is reversed; a confirmed contribution cannot be withdrawn.
    """
    reason = _require_reason(reason)
    with transaction.atomic():
        contribution = _locked(contribution)
        user, _label = _who(actor)
        if user is not None and not (is_fund_admin(user) or can_submit_for(user, contribution.organization_id)):
            raise NotAllowed("only a finance officer of this organisation may withdraw its contributions",
                             field="actor")
        return _end_before_confirmation(actor, contribution, Status.WITHDRAWN, reason)


def contribution_reject(*, actor, contribution: Contribution | int, reason: str) -> Contribution:
    """A fund administrator refuses a contribution before it is confirmed: submitted → rejected.

    Invariant: nothing was posted, so nothing is reversed; a confirmed contribution is corrected, not rejected.
    """
    _require_administrator(actor, "reject a contribution")
    reason = _require_reason(reason)
    with transaction.atomic():
        return _end_before_confirmation(actor, _locked(contribution), Status.REJECTED, reason)


def _end_before_confirmation(actor, contribution: Contribution, to_status: str, reason: str) -> Contribution:
    _require_status(contribution, (Status.SUBMITTED,), to_status)
    contribution.status, contribution.reason = to_status, reason
    contribution.save(update_fields=["status", "reason"])
    _record(contribution, Status.SUBMITTED, actor, reason)
    return contribution


@retry_on_conflict
def contribution_correct(*, actor, contribution: Contribution | int, reason: str) -> Contribution:
    """Undo a confirmed contribution: its entry is reversed, it ends as `reversed`, its receipt is cancelled.

    Invariant: a confirmed contribution is never edited — the ledger gains a mirror entry, the receipt is kept
    (flagged cancelled, its number never reused), and the fund's raised total and cash drop by the amount. A
    matched contribution is refused until its government share is reversed.
    """
    _require_administrator(actor, "correct a contribution")
    reason = _require_reason(reason)
    contribution = _locked(contribution)
    _require_status(contribution, (Status.CONFIRMED,), "corrected")
    reversal = ledger.entry_reverse(
        actor=actor, entry=contribution.confirmation_entry, idempotency_key=f"{contribution.reference}:reverse",
        memo=f"Correction of contribution #{contribution.pk}: {reason}",
    )
    contribution.status, contribution.reason, contribution.reversal_entry = Status.REVERSED, reason, reversal
    contribution.save(update_fields=["status", "reason", "reversal_entry"])
    DonationReceipt.objects.filter(contribution=contribution).update(cancelled_at=timezone.now(),
                                                                     cancel_reason=reason)
    _record(contribution, Status.CONFIRMED, actor, reason)
    return contribution


# Configuration


@dataclass
class SetupResult:
    created: list[str] = field(default_factory=list)  # use codes
    linked: list[str] = field(default_factory=list)  # "use code/fund code"

    @property
    def changed(self) -> bool:
        return bool(self.created or self.linked)


def designated_uses_setup(*, actor) -> SetupResult:
    """Create the seeded designated uses that are missing and link them to the seeded funds that exist.

    Invariant: afterwards every seeded use has its version valid from the seed date, linked to each seeded fund.
    Idempotent: names, `valid_to` and links an administrator added are left as they are, so ending a use (or
    `general`) with `valid_to` survives any number of runs; a seeded link an administrator removed is restored,
    so a use is retired by ending it, not by unlinking it.
    """
    _require_administrator(actor, "set up designated uses")
    result = SetupResult()
    with transaction.atomic():
        funds = list(Fund.objects.filter(code__in=SEED_FUND_CODES))
        for code, name_ko, name_en in SEED_USES:
            use, created = DesignatedUse.objects.get_or_create(
                code=code, valid_from=SEED_VALID_FROM, defaults={"name_ko": name_ko, "name_en": name_en})
            if created:
                result.created.append(code)
            linked = set(use.funds.values_list("pk", flat=True))
            missing = [fund for fund in funds if fund.pk not in linked]
            use.funds.add(*missing)
            result.linked.extend(f"{code}/{fund.code}" for fund in missing)
    return result


def role_permissions_grant() -> None:
    """Auditors may view contributions, receipts and designated uses; fund administrators may also change them
    (the back office still refuses edits of contributions and receipts: those change only through services)."""
    roles.role_permissions_grant("contributions")
