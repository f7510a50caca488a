"""Every write of the grants: proposing, approving and rejecting projects, approving and cancelling awards, paying
tranches, and the roles' permissions. Each service takes keyword arguments and a required `actor` (a user, or the
label of a command or task acting for the system), runs in one transaction, writes a `GrantEvent` for each change
of status in that same transaction, and moves money only through `apps.ledger.services`.

Who may act: a finance officer of the lead company (or a fund administrator) proposes a project; only fund
administrators approve, reject, award, cancel and pay.

Locks: every service that reads or changes the room left under a cap locks, in this order, the project row, then the
SME's organisation row, then the award row, and only then lets the ledger lock its hold, ledger and accounts. One
order everywhere means two services can wait for each other but never deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.actors import actor_identity
from apps.core.idempotency import payload_hash, pk_of
from apps.core.money import krw
from apps.core.roles import AUDITORS, FUND_ADMINISTRATORS, is_fund_admin
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.exceptions import LimitExceeded
from apps.ledger.services import credit, debit, retry_on_conflict
from apps.organizations.models import Organization, SizeClass
from apps.organizations.selectors import can_submit_for

from . import selectors
from .countries import validate_country
from .exceptions import (
    CapExceeded,
    FundCashShort,
    IdempotencyConflict,
    InvalidGrant,
    InvalidTransition,
    NoRuleInForce,
    NotAllowed,
)
from .models import (
    Award,
    AwardStatus,
    ExpansionProject,
    GrantEvent,
    Participation,
    ProjectStatus,
    Tranche,
)
from .selectors import Room

FUND_CODE = "wwcf"  # the win-win cooperation fund pays these grants
MAX_AMOUNT = 2**63 - 1  # a 64-bit integer column
MAX_KEY_LENGTH = 150  # the ledger's keys add a prefix to it and hold 200 characters


# Actors and history


def _who(actor) -> tuple[object | None, str]:
    """(user or None, label). A string is a command or task acting for the system."""
    if (identity := actor_identity(actor)) is None:
        raise NotAllowed(_("Sign in to act on joint expansion grants."), field="actor")
    return identity


def _require_administrator(actor) -> tuple[object | None, str]:
    user, label = _who(actor)
    if user is not None and not is_fund_admin(user):
        raise NotAllowed(_("Only fund administrators may decide projects, awards and payments."), field="actor")
    return user, label


def _record(project: ExpansionProject, from_status: str, to_status: str, actor, *, award: Award | None = None,
            reason: str = "") -> GrantEvent:
    user, label = _who(actor)
    return GrantEvent.objects.create(project=project, award=award, from_status=from_status, to_status=to_status,
                                     actor=user, actor_label=label, reason=reason)




def _check_key(idempotency_key: str | None) -> str | None:
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > MAX_KEY_LENGTH:
        raise InvalidGrant(_("The idempotency key is longer than %(n)d characters.") % {"n": MAX_KEY_LENGTH},
                           field="idempotency_key")
    return key


def _replay(existing, payload: str):
    if existing.payload_hash != payload:
        raise IdempotencyConflict(_("This idempotency key was already used with different details; use a new key "
                                    "for a new request."), field="idempotency_key")
    existing.is_replay = True
    return existing


def _check_amount(amount, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal) or amount != int(amount):
        raise InvalidGrant(_("Give the amount in whole won."), field=field)
    if not 0 < amount <= MAX_AMOUNT:
        raise InvalidGrant(_("The amount must be more than 0 won."), field=field)
    return int(amount)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidGrant(_("Give a reason."), field="reason")
    return reason


# Projects


def project_propose(
    *,
    actor,
    lead: Organization,
    title: str,
    country: str,
    total_cost: int,
    start_date: date,
    end_date: date,
    participants: Iterable[Organization],
    idempotency_key: str | None = None,
) -> ExpansionProject:
    """Record a proposed joint overseas expansion project with its participating SMEs (no money moves).

    Invariant: the lead is an active large company the actor is a finance officer of (or the actor a fund
    administrator); the participants are one or more active SMEs other than the lead; the country is an ISO
    3166-1 alpha-2 code other than Korea; the total cost is whole won > 0; the period ends on or after its start.
    A repeated idempotency key returns the project made first (`is_replay`) when the payload is the same and is
    refused (IdempotencyConflict) when it differs: a double click or a retried request makes one project.
    """
    user, label = _who(actor)
    if user is not None and not (is_fund_admin(user) or can_submit_for(user, lead)):
        raise NotAllowed(_("Only a finance officer of the lead company may propose its projects."), field="lead")
    participants = list(participants)
    country = (country or "").strip().upper()
    key = _check_key(idempotency_key)
    payload = payload_hash({"lead": lead.pk, "title": title, "country": country, "total_cost": str(total_cost),
                            "start": start_date, "end": end_date,
                            "participants": sorted(pk_of(p) for p in participants)})
    with transaction.atomic():
        if key and (existing := ExpansionProject.objects.filter(idempotency_key=key).first()) is not None:
            return _replay(existing, payload)
        _check_proposal(lead, title, country, total_cost, start_date, end_date, participants)
        project = ExpansionProject(
            fund=Fund.objects.get(code=FUND_CODE), lead=lead, title=title.strip(), country=country,
            total_cost=int(total_cost), start_date=start_date, end_date=end_date, idempotency_key=key,
            payload_hash=payload, proposed_by=user, proposed_by_label=label,
        )
        try:
            with transaction.atomic():
                project.save()
        except IntegrityError:
            # The same key proposed at the same moment by another request: the first one to commit wins.
            existing = ExpansionProject.objects.filter(idempotency_key=key).first() if key else None
            if existing is None:
                raise
            return _replay(existing, payload)
        Participation.objects.bulk_create([Participation(project=project, sme=sme) for sme in participants])
        _record(project, "", ProjectStatus.PROPOSED, actor)
    project.is_replay = False
    return project


def _check_proposal(lead, title, country, total_cost, start_date, end_date, participants) -> None:
    if not lead.is_active or lead.size_class != SizeClass.LARGE:
        raise InvalidGrant(_("The lead of a joint expansion project is an active large company."), field="lead")
    if not (title or "").strip():
        raise InvalidGrant(_("Give the project a title."), field="title")
    try:
        validate_country(country)
    except ValidationError as exc:
        raise InvalidGrant(str(exc.messages[0]), field="country") from exc
    _check_amount(total_cost, field="total_cost")
    if end_date < start_date:
        raise InvalidGrant(_("The project cannot end before it starts."), field="end_date")
    if not participants:
        raise InvalidGrant(_("Name at least one participating SME."), field="participants")
    if len({pk_of(p) for p in participants}) != len(participants):
        raise InvalidGrant(_("Each SME takes part once."), field="participants")
    for sme in participants:
        if sme.pk == lead.pk or sme.size_class != SizeClass.SME or not sme.is_active:
            raise InvalidGrant(_("%(name)s is not an active SME; only SMEs take part alongside the lead.")
                               % {"name": sme.name_ko}, field="participants")


def _lock_project(project: ExpansionProject | int) -> ExpansionProject:
    return (ExpansionProject.objects.select_for_update(of=("self",)).select_related("lead", "fund")
            .get(pk=pk_of(project)))


def _decide_project(actor, project, to_status: str, reason: str = "") -> ExpansionProject:
    project = _lock_project(project)
    if project.status != ProjectStatus.PROPOSED:
        raise InvalidTransition(_("Project #%(id)s is %(status)s; only a proposed project can be decided.")
                                % {"id": project.pk, "status": project.get_status_display()}, field="status")
    project.status, project.reason, project.decided_at = to_status, reason, timezone.now()
    project.save(update_fields=["status", "reason", "decided_at"])
    _record(project, ProjectStatus.PROPOSED, to_status, actor, reason=reason)
    return project


def project_approve(*, actor, project: ExpansionProject | int) -> ExpansionProject:
    """A fund administrator accepts a proposed project: proposed → approved; awards may follow.

    Invariant: decided once; no money moves (the awards encumber the fund).
    """
    _require_administrator(actor)
    with transaction.atomic():
        return _decide_project(actor, project, ProjectStatus.APPROVED)


def project_reject(*, actor, project: ExpansionProject | int, reason: str) -> ExpansionProject:
    """A fund administrator refuses a proposed project, saying why: proposed → rejected.

    Invariant: decided once; a rejected project never receives an award.
    """
    _require_administrator(actor)
    reason = _require_reason(reason)
    with transaction.atomic():
        return _decide_project(actor, project, ProjectStatus.REJECTED, reason)


# Caps


def _rules(project: ExpansionProject, day: date):
    cap_rule = selectors.cap_rule_on(project.scope, day)
    share_rule = selectors.share_rule_on(day)
    if cap_rule is None or share_rule is None:
        raise NoRuleInForce(_("No grant cap or government share rule is in force on %(day)s; an administrator "
                              "configures them.") % {"day": day}, field="award_date")
    return cap_rule, share_rule


def _within(room: Room, counted: int) -> None:
    """Refuse `counted` won more against `room`, naming the cap, what is already awarded and the room left."""
    if counted > room.room:
        raise CapExceeded(room.message, cap=room.title, room=room.room)


# Awards


def _lock_project_and_sme(project_id: int, sme_id: int) -> tuple[ExpansionProject, Organization]:
    # Two approvals (or payments) for the same SME — in one project or two — or for the same project would each
    # read the room left before the other's award is written, and together go beyond a cap. The project row, then
    # the SME's row, stay locked until commit: the second waits, then counts what the first wrote.
    project = _lock_project(project_id)
    sme = Organization.objects.select_for_update().get(pk=sme_id)
    return project, sme


@retry_on_conflict
def award_approve(
    *,
    actor,
    project: ExpansionProject | int,
    sme: Organization | int,
    amount: int,
    award_date: date,
    idempotency_key: str | None = None,
) -> Award:
    """Award a participating SME of an approved project an amount, encumbering the fund's cash.

    Invariant: after the award, the SME's awards in any window of the cap rule in force on the award date (in
    every country) stay within that rule's cap, and the project's awards within the government share of its total
    cost; the award's hold (Dr grant expense / Cr cash, naming the SME) reserves the amount, so the fund's cash
    less every reservation never goes below zero. A repeated idempotency key returns the award made first.
    """
    _require_administrator(actor)
    amount = _check_amount(amount)
    key = _check_key(idempotency_key)
    project_id, sme_id = pk_of(project), pk_of(sme)
    payload = payload_hash({"project": project_id, "sme": sme_id, "amount": amount, "date": award_date})
    if key and (existing := Award.objects.filter(idempotency_key=key).first()) is not None:
        return _replay(existing, payload)
    project, sme = _lock_project_and_sme(project_id, sme_id)
    if key and (existing := Award.objects.filter(idempotency_key=key).first()) is not None:
        return _replay(existing, payload)  # committed by a request we waited for
    if project.status != ProjectStatus.APPROVED:
        raise InvalidTransition(_("Project #%(id)s is %(status)s; awards go to approved projects.")
                                % {"id": project.pk, "status": project.get_status_display()}, field="project")
    if not project.participations.filter(sme=sme).exists():
        raise InvalidGrant(_("%(name)s does not take part in project #%(id)s.") % {"name": sme.name_ko,
                                                                                    "id": project.pk}, field="sme")
    cap_rule, share_rule = _rules(project, award_date)
    _within(selectors.cap_room(cap_rule, sme_id=sme.pk, day=award_date), amount)
    _within(selectors.share_room(share_rule, project), amount)
    hold = _encumber(actor, project, sme, amount, award_date, key)
    _user, label = _who(actor)
    award = Award.objects.create(
        project=project, sme=sme, amount=amount, award_date=award_date, cap_rule=cap_rule, share_rule=share_rule,
        hold=hold, idempotency_key=key, payload_hash=payload, approved_by_label=label,
    )
    _record(project, "", AwardStatus.APPROVED, actor, award=award)
    award.is_replay = False
    return award


def _encumber(actor, project: ExpansionProject, sme: Organization, amount: int, day: date, key: str | None):
    fund, won = project.fund, krw(amount)
    try:
        return ledger.hold_create(
            actor=actor, ledger=fund.ledger_id, effective_date=day,
            memo=f"Joint overseas expansion grant to {sme.name_ko} (project #{project.pk}, {project.country})",
            reference=f"grant-project:{project.pk}", idempotency_key=f"grants:award:{key}" if key else None,
            lines=[debit(fund_account(fund, chart.GRANT_EXPENSE), won, party=sme.party,
                         metadata={"grant_project": project.pk}),
                   credit(fund_account(fund, chart.CASH), won, party=sme.party)],
        )
    except LimitExceeded as exc:
        raise FundCashShort(_("The fund's cash cannot cover an award of ₩%(won)s: %(reason)s")
                            % {"won": f"{amount:,}", "reason": exc.message}, field="amount") from exc


def _lock_award(award: Award | int) -> tuple[ExpansionProject, Award]:
    project_id, sme_id = Award.objects.values_list("project_id", "sme_id").get(pk=pk_of(award))
    project, _sme = _lock_project_and_sme(project_id, sme_id)
    locked = Award.objects.select_for_update(of=("self",)).select_related("sme", "hold").get(pk=pk_of(award))
    return project, locked


@retry_on_conflict
def award_cancel(*, actor, award: Award | int, reason: str) -> Award:
    """Cancel an award that is not fully paid: what was paid stays paid, the rest of its hold is voided.

    Invariant: afterwards the award counts against the caps only for what was paid, and the fund's cash is no
    longer reserved for it; cancelling twice is refused (InvalidTransition).
    """
    _require_administrator(actor)
    reason = _require_reason(reason)
    project, award = _lock_award(award)
    if award.status != AwardStatus.APPROVED:
        raise InvalidTransition(_("Award #%(id)s is %(status)s; only an approved award with money left can be "
                                  "cancelled.") % {"id": award.pk, "status": award.get_status_display()},
                                field="status")
    ledger.hold_void(actor=actor, hold=award.hold_id, reason=reason)
    award.status, award.reason, award.cancelled_at = AwardStatus.CANCELLED, reason, timezone.now()
    award.save(update_fields=["status", "reason", "cancelled_at"])
    _record(project, AwardStatus.APPROVED, AwardStatus.CANCELLED, actor, award=award, reason=reason)
    return award


# Tranches


@retry_on_conflict
def tranche_pay(*, actor, award: Award | int, amount: int, paid_date: date, idempotency_key: str) -> Tranche:
    """Pay a tranche of an award: that part of its hold is posted (Dr grant expense / Cr cash, naming the SME).

    Invariant: the tranches of an award never add up to more than its amount; with this tranche, the SME's other
    awards plus what this one has paid stay within the cap rule in force on the award date as it is configured now,
    and the project within its government share; the fund's cash never goes below zero. The idempotency key is
    required: the same key and payload return the tranche paid first, a different payload is refused.
    """
    _require_administrator(actor)
    amount = _check_amount(amount)
    key = _check_key(idempotency_key)
    if key is None:
        raise InvalidGrant(_("Send an idempotency key with each tranche, so a retry cannot pay it twice."),
                           field="idempotency_key")
    payload = payload_hash({"award": pk_of(award), "amount": amount, "date": paid_date})
    if (existing := _tranche_by_key(key)) is not None:
        return _replay(existing, payload)
    project, award = _lock_award(award)
    if (existing := _tranche_by_key(key)) is not None:
        return _replay(existing, payload)  # committed by a request we waited for
    if award.status != AwardStatus.APPROVED:
        raise InvalidTransition(_("Award #%(id)s is %(status)s; nothing is left to pay.")
                                % {"id": award.pk, "status": award.get_status_display()}, field="award")
    if paid_date < award.award_date:
        raise InvalidGrant(_("A tranche cannot be paid before the award date %(day)s.") % {"day": award.award_date},
                           field="paid_date")
    if amount > award.remaining:
        raise InvalidGrant(_("A tranche cannot exceed what is left of the award: ₩%(won)s.")
                           % {"won": f"{award.remaining:,}"}, field="amount")
    cap_rule, share_rule = _rules(project, award.award_date)
    _within(_with_paid(selectors.cap_room(cap_rule, sme_id=award.sme_id, day=award.award_date, exclude=award.pk),
                       award.paid), amount)
    _within(_with_paid(selectors.share_room(share_rule, project, exclude=award.pk), award.paid), amount)
    entry = _post_tranche(actor, award, amount, paid_date, key)
    _user, label = _who(actor)
    tranche = Tranche.objects.create(award=award, amount=amount, paid_date=paid_date, entry=entry,
                                     idempotency_key=key, paid_by_label=label)
    tranche.payload_hash = payload
    award.paid += amount
    if award.paid == award.amount:
        award.status = AwardStatus.PAID
        _record(project, AwardStatus.APPROVED, AwardStatus.PAID, actor, award=award)
    award.save(update_fields=["paid", "status"])
    tranche.is_replay = False
    return tranche


def _tranche_by_key(key: str) -> Tranche | None:
    tranche = Tranche.objects.filter(idempotency_key=key).first()
    if tranche is not None:
        tranche.payload_hash = payload_hash({"award": tranche.award_id, "amount": tranche.amount,
                                             "date": tranche.paid_date})
    return tranche


def _with_paid(room: Room, paid: int) -> Room:
    """At payment an award counts for what it has paid, not its whole amount (a cap lowered since the approval
    stops the payments beyond it)."""
    return Room(room.title, room.limit, room.already + paid)


def _post_tranche(actor, award: Award, amount: int, day: date, key: str):
    try:
        return ledger.hold_post(
            actor=actor, hold=award.hold_id, amount=krw(amount), effective_date=day,
            memo=f"Grant tranche to {award.sme.name_ko} (award #{award.pk})", idempotency_key=f"grants:tranche:{key}",
        )
    except LimitExceeded as exc:
        raise FundCashShort(_("The fund's cash cannot pay ₩%(won)s now: %(reason)s")
                            % {"won": f"{amount:,}", "reason": exc.message}, field="amount") from exc


# Configuration


def role_permissions_grant() -> None:
    """Auditors may view every grant record; fund administrators may also add and change the cap and share rules
    (projects, awards and tranches change only through these services, whatever the permission)."""
    perms = Permission.objects.filter(content_type__app_label="grants")
    auditors, _ = Group.objects.get_or_create(name=AUDITORS)
    admins, _ = Group.objects.get_or_create(name=FUND_ADMINISTRATORS)
    auditors.permissions.add(*perms.filter(codename__startswith="view_"))
    admins.permissions.add(*[p for p in perms if p.codename.split("_", 1)[0] in {"view", "add", "change"}])
