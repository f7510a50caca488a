"""Every write of the win-win finance pool: earmarks, transfers to guarantee institutions, guarantees and their
status. Each service takes keyword arguments and a required `actor` (a user, or the label of a command or task,
which acts for the system) and runs in one transaction. Money moves only through `apps.ledger.services`.

Who may act: a finance officer of the contributor (or a fund administrator) earmarks its wwfp contributions; only
fund administrators transfer money and record guarantees. Refusals are typed (`exceptions.py`) and name the field
at fault; a refused limit says what the limit is and how much room is left.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from apps.contributions.models import Contribution, ContributionStatus
from apps.core.actors import actor_identity
from apps.core.dates import add_months
from apps.core.idempotency import payload_hash, pk_of
from apps.core.money import floor_won, krw
from apps.core.roles import is_fund_admin
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.services import credit, debit, retry_on_conflict
from apps.organizations.models import Organization
from apps.organizations.selectors import can_submit_for

from . import selectors
from .catalogue import INSTITUTIONS
from .exceptions import (
    ExposureCapExceeded,
    IdempotencyConflict,
    InvalidEarmark,
    InvalidGuarantee,
    InvalidTransition,
    NotAllowed,
    TransferExceedsEarmarked,
)
from .models import (
    POOL_FUND_CODE,
    TRANSITIONS,
    Earmark,
    Guarantee,
    GuaranteeEvent,
    GuaranteeInstitution,
    GuaranteeProgram,
    GuaranteeTransfer,
)

MAX_AMOUNT = 2**63 - 1
PUBLIC_MONEY_UNIT = 10  # public-money payments drop amounts under 10 won
# A contribution that will never bring money into the pool cannot be earmarked.
DEAD_STATUSES = (ContributionStatus.WITHDRAWN, ContributionStatus.REJECTED, ContributionStatus.REVERSED)


# Actors


def _who(actor) -> tuple[object | None, str]:
    if (identity := actor_identity(actor)) is None:
        raise NotAllowed("sign in to act on the win-win finance pool", field="actor")
    return identity


def _require_administrator(actor, doing: str) -> tuple[object | None, str]:
    user, label = _who(actor)
    if user is not None and not is_fund_admin(user):
        raise NotAllowed(f"only fund administrators may {doing}", field="actor")
    return user, label


def _whole_won(amount, field: str, error=InvalidGuarantee) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise error("give the amount in whole won, more than 0", field=field)
    return amount


def _replay(existing, payload: str, what: str):
    if existing.payload_hash != payload:
        raise IdempotencyConflict(f"this idempotency key was already used for a different {what}; use a new key",
                                  field="idempotency_key")
    existing.is_replay = True
    return existing


# Institutions


def institutions_setup() -> list[GuaranteeInstitution]:
    """The three guarantee institutions, found or created by code (what the data migration seeds). Idempotent."""
    return [GuaranteeInstitution.objects.get_or_create(code=code, defaults={"name_ko": ko, "name_en": en})[0]
            for code, ko, en in INSTITUTIONS]


# Earmarks


def earmark_create(*, actor, contribution: Contribution | int, program: GuaranteeProgram | int, note: str = "",
                   idempotency_key: str | None = None) -> Earmark:
    """Earmark a contribution to the wwfp fund for a program (and so its guarantee institution).

    Invariant: only a contribution to the wwfp fund, of the program's own contributor, that is not withdrawn,
    rejected or reversed, earmarked at most once, by a finance officer of that contributor or a fund
    administrator. A repeated idempotency key returns the earmark made first (`is_replay`).
    """
    user, label = _who(actor)
    key = idempotency_key or None
    payload = payload_hash({"contribution": pk_of(contribution), "program": pk_of(program), "note": note})
    with transaction.atomic():
        # Two requests earmarking the same contribution at once (a double click, a retry) queue on its row; the
        # second then finds the first's earmark, by its key or by the contribution.
        locked = (Contribution.objects.select_for_update(of=("self",)).select_related("fund", "organization")
                  .filter(pk=pk_of(contribution)).first())
        if key and (existing := Earmark.objects.filter(idempotency_key=key).first()) is not None:
            return _replay(existing, payload, "earmark")
        if locked is None:
            raise InvalidEarmark("no such contribution", field="contribution")
        if user is not None and not (is_fund_admin(user) or can_submit_for(user, locked.organization_id)):
            raise NotAllowed("only a finance officer of the contributor may earmark its contributions",
                             field="contribution")
        program = GuaranteeProgram.objects.select_related("institution").filter(pk=pk_of(program)).first()
        _check_earmark(locked, program)
        earmark = Earmark(contribution=locked, program=program, note=note, idempotency_key=key, payload_hash=payload,
                          created_by=user, created_by_label=label)
        try:
            with transaction.atomic():
                earmark.save()
        except IntegrityError:
            # The same key used at the same moment for another contribution: the first to commit wins.
            if key and (existing := Earmark.objects.filter(idempotency_key=key).first()) is not None:
                return _replay(existing, payload, "earmark")
            raise
    earmark.is_replay = False
    return earmark


def _check_earmark(contribution: Contribution, program: GuaranteeProgram | None) -> None:
    if contribution.fund.code != POOL_FUND_CODE:
        raise InvalidEarmark(f"only contributions to the win-win finance pool ({POOL_FUND_CODE}) can be earmarked; "
                             f"contribution #{contribution.pk} is to {contribution.fund.code}", field="contribution")
    if contribution.status in DEAD_STATUSES:
        raise InvalidEarmark(f"contribution #{contribution.pk} is {contribution.status}", field="contribution")
    if Earmark.objects.filter(contribution=contribution).exists():
        raise InvalidEarmark(f"contribution #{contribution.pk} is already earmarked", field="contribution")
    if program is None or not program.is_active or not program.institution.is_active:
        raise InvalidEarmark("choose an active guarantee program", field="program")
    if program.organization_id != contribution.organization_id:
        raise InvalidEarmark("the program belongs to another contributor: earmark for one of your own programs",
                             field="program")


# Transfers


def transfer_create(*, actor, program: GuaranteeProgram | int, amount: int, transfer_date: date, memo: str = "",
                    idempotency_key: str | None = None) -> GuaranteeTransfer:
    """Transfer pool money to a guarantee institution for a program: Dr guarantee-support expense (5300) /
    Cr cash (1110) on the wwfp ledger, both lines naming the contributor.

    Invariant: the amount paid is the amount asked less what is under 10 won; a contributor's transfers to an
    institution never exceed its received (confirmed or matched) wwfp
    contributions earmarked for that institution; the fund's cash never goes below zero (the ledger's limit); a
    repeated idempotency key returns the transfer made first and never posts twice.
    """
    _user, label = _require_administrator(actor, "transfer pool money to guarantee institutions")
    asked = _whole_won(amount, "amount")
    # A payment of public money drops amounts under 10 won (DOMAIN.md §10).
    paid = floor_won(Decimal(asked), PUBLIC_MONEY_UNIT)
    if not paid:
        raise InvalidGuarantee(f"a payment of public money drops amounts under {PUBLIC_MONEY_UNIT} won: give at "
                               f"least {PUBLIC_MONEY_UNIT} won", field="amount")
    key = idempotency_key or uuid.uuid4().hex
    payload = payload_hash({"program": pk_of(program), "amount": asked, "date": transfer_date, "memo": memo})
    return _transfer(actor, label, pk_of(program), paid, transfer_date, memo, key, payload)


@retry_on_conflict
def _transfer(actor, label, program_id, amount, transfer_date, memo, key, payload) -> GuaranteeTransfer:
    program = GuaranteeProgram.objects.select_related("institution", "organization").filter(pk=program_id).first()
    if program is None:
        raise InvalidGuarantee("no such program", field="program")
    # Two transfers for the same contributor and institution would each read the same untransferred remainder and
    # together send more than was earmarked: both lock that contributor's programs at the institution (by id, the
    # order every transfer uses), so the second waits and then sees the first's transfer.
    list(GuaranteeProgram.objects.select_for_update()
         .filter(organization_id=program.organization_id, institution_id=program.institution_id).order_by("pk"))
    # A correction reversing an earmarked contribution locks its row too: holding the rows while we count them
    # keeps a contribution from leaving the received statuses between the count and the posting.
    earmarked_ids = Earmark.objects.filter(program__organization_id=program.organization_id,
                                           program__institution_id=program.institution_id).values("contribution_id")
    list(Contribution.objects.select_for_update().filter(pk__in=earmarked_ids).order_by("pk").values_list("pk"))
    # Checked under the locks: a retry of the same request waits for the first and then finds its transfer.
    if (existing := GuaranteeTransfer.objects.filter(idempotency_key=key).first()) is not None:
        return _replay(existing, payload, "transfer")
    earmarked = selectors.earmarked_received(program.organization_id, program.institution_id)
    transferred = selectors.transferred_for(program.organization_id, program.institution_id)
    room = earmarked - transferred
    if amount > room:
        raise TransferExceedsEarmarked(
            f"{amount:,} won is more than {program.organization.name_ko}'s received money earmarked for "
            f"{program.institution.name_ko} allows: {earmarked:,} won earmarked, {transferred:,} won already "
            f"transferred, {max(room, 0):,} won left", field="amount")
    entry = _post_transfer(actor, program, amount, transfer_date, memo, key)
    return GuaranteeTransfer.objects.create(program=program, amount=amount, transfer_date=transfer_date, memo=memo,
                                            entry=entry, idempotency_key=key, payload_hash=payload,
                                            created_by_label=label)


def _post_transfer(actor, program: GuaranteeProgram, amount: int, day: date, memo: str, key: str):
    fund = Fund.objects.get(code=POOL_FUND_CODE)
    party, won = program.organization.party, krw(amount)
    metadata = {"guarantee_program": program.pk, "guarantee_institution": program.institution.code}
    return ledger.entry_post(
        actor=actor, ledger=fund.ledger_id, effective_date=day, reference=f"guarantee-transfer:{key}",
        idempotency_key=f"guarantee-transfer:{key}",
        memo=memo or f"Transfer to {program.institution.name_en} for {program.name}",
        lines=[debit(fund_account(fund, chart.GUARANTEE_SUPPORT_EXPENSE), won, party=party, metadata=metadata),
               credit(fund_account(fund, chart.CASH), won, party=party, metadata=metadata)],
    )


# Guarantees


def guarantee_issue(*, actor, program: GuaranteeProgram | int, sme: Organization | int, amount: int,
                    term_months: int, issue_date: date, idempotency_key: str | None = None) -> Guarantee:
    """Record a guarantee an institution issued under a program to one of the contributor's partner SMEs.

    Invariant: the SME is a partner SME of the program's contributor, and the program's outstanding exposure
    (its active guarantees) never exceeds the money transferred to it × the leverage multiple in force on the issue
    date, whatever runs at once. A repeated idempotency key returns the guarantee recorded first.
    """
    user, label = _require_administrator(actor, "record guarantees")
    amount = _whole_won(amount, "amount")
    if isinstance(term_months, bool) or not isinstance(term_months, int) or not 0 < term_months <= 600:
        raise InvalidGuarantee("give the term in whole months, from 1 to 600", field="term_months")
    key = idempotency_key or None
    payload = payload_hash({"program": pk_of(program), "sme": pk_of(sme), "amount": amount, "term": term_months,
                            "date": issue_date})
    return _issue(user, label, pk_of(program), pk_of(sme), amount, term_months, issue_date, key, payload)


@retry_on_conflict
def _issue(user, label, program_id, sme_id, amount, term_months, issue_date, key, payload) -> Guarantee:
    # Two guarantees under one program would each read the same outstanding exposure and together exceed the cap:
    # the program row's lock makes the second wait and then count the first.
    program = (GuaranteeProgram.objects.select_for_update(of=("self",)).select_related("organization", "institution")
               .filter(pk=program_id).first())
    if program is None or not program.is_active:
        raise InvalidGuarantee("choose an active guarantee program", field="program")
    # Checked under the lock: a retry of the same request waits for the first and then finds its guarantee.
    if key and (existing := Guarantee.objects.filter(idempotency_key=key).first()) is not None:
        return _replay(existing, payload, "guarantee")
    if not program.organization.partner_smes.filter(pk=sme_id).exists():
        raise InvalidGuarantee(f"this SME is not a partner SME of {program.organization.name_ko}", field="sme")
    capacity = selectors.program_capacity(program, issue_date)
    if capacity.multiple is None:
        raise ExposureCapExceeded(f"no leverage multiple is in force for {program.name} on {issue_date}: "
                                  "the program cannot support guarantees that day", field="issue_date")
    if capacity.outstanding + amount > capacity.capacity:
        raise ExposureCapExceeded(
            f"{amount:,} won would take {program.name} above its exposure limit of {capacity.capacity:,} won "
            f"({capacity.transferred:,} won transferred × {capacity.multiple_text}); "
            f"{capacity.outstanding:,} won is outstanding, {capacity.remaining:,} won of room left", field="amount")
    guarantee = Guarantee.objects.create(
        program=program, sme_id=sme_id, amount=amount, term_months=term_months, issue_date=issue_date,
        maturity_date=add_months(issue_date, term_months), idempotency_key=key, payload_hash=payload,
        created_by_label=label)
    GuaranteeEvent.objects.create(guarantee=guarantee, from_status="", to_status=guarantee.status, actor=user,
                                  actor_label=label)
    guarantee.is_replay = False
    return guarantee


def guarantee_status_change(*, actor, guarantee: Guarantee | int, to_status: str, reason: str = "") -> Guarantee:
    """Move an active guarantee to repaid, called or cancelled, with a history row.

    Invariant: only an active guarantee changes status (an ended one stays ended), and the change and its event
    are written together. Ending a guarantee frees its amount from the program's outstanding exposure.
    """
    user, label = _require_administrator(actor, "change a guarantee's status")
    with transaction.atomic():
        # Two administrators ending the same guarantee at once queue on its row; the second sees it ended.
        locked = Guarantee.objects.select_for_update().get(pk=pk_of(guarantee))
        allowed = TRANSITIONS.get(locked.status, ())
        if to_status not in allowed:
            raise InvalidTransition(f"guarantee #{locked.pk} is {locked.status}; it cannot become {to_status}",
                                    field="status")
        before, locked.status = locked.status, to_status
        locked.save(update_fields=["status"])
        GuaranteeEvent.objects.create(guarantee=locked, from_status=before, to_status=to_status, actor=user,
                                      actor_label=label, reason=reason)
    return locked

