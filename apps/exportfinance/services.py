"""Every write of export finance: projects, disbursements and repayments, profit reports, and the recycling of the
beneficiaries' profit (the share assessed, received, and channelled to the ecosystem). Money moves only through
`apps.ledger.services`, on the sef fund's ledger (and the destination fund's, for what is channelled).

Who may act: fund administrators create projects, disburse, record repayments and receipts; a beneficiary's finance
officer (or a fund administrator for it) reports profit; a string actor is a task or command acting for the system.

Races: every write of a project's money or of its reports and shares first locks the project row
(`select_for_update`), then (for a receipt) the share row — always in that order — so two workers, a retried task
or the sweep racing a task queue behind each other and the second sees what the first committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.actors import actor_identity
from apps.core.exceptions import DomainError
from apps.core.idempotency import payload_hash, pk_of
from apps.core.money import apply_rate, krw, split
from apps.core.roles import AUDITORS, FUND_ADMINISTRATORS, is_fund_admin
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.services import credit, debit, retry_on_conflict
from apps.organizations.models import Organization
from apps.organizations.selectors import can_submit_for

from . import selectors
from .exceptions import (
    AlreadyReported,
    CommitmentExceeded,
    IdempotencyConflict,
    InvalidInput,
    NoRuleInForce,
    NotAllowed,
    NothingDue,
    ProjectNotActive,
    ProjectTermsLocked,
    RepaymentExceedsOutstanding,
    ShareSettled,
)
from .models import (
    PERIOD_MONTHS,
    SEF,
    SETTLED,
    Disbursement,
    ExportProject,
    FinancingType,
    ProfitBase,
    ProfitReport,
    ProfitShare,
    ProjectStatus,
    Repayment,
    ShareStatus,
    period_bounds,
)

SWEEP_ACTOR = "task:exportfinance_recycle_sweep"
MAX_AMOUNT = 2**63 - 1
MIN_YEAR, MAX_YEAR = 2000, 2100


# Actors


def _who(actor) -> tuple[object | None, str]:
    if (identity := actor_identity(actor)) is None:
        raise NotAllowed(_("Sign in to act on export finance."), field="actor")
    return identity


def _require_administrator(actor, doing: str) -> tuple[object | None, str]:
    user, label = _who(actor)
    if user is not None and not is_fund_admin(user):
        raise NotAllowed(_("Only fund administrators may %(doing)s.") % {"doing": doing}, field="actor")
    return user, label


def _replay(existing, payload: str, what: str):
    if existing.payload_hash != payload:
        raise IdempotencyConflict(_("This idempotency key was already used for a different %(what)s; use a new key.")
                                  % {"what": what},
                                  field="idempotency_key")
    existing.is_replay = True
    return existing


def _lock_project(project) -> ExportProject:
    return ExportProject.objects.select_for_update().select_related("fund", "beneficiary").get(pk=pk_of(project))


def _positive(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput(_("The amount must be whole won, more than 0."), field="amount")
    return amount


# Projects


@retry_on_conflict
def project_create(*, actor, beneficiary: Organization, name: str, financing_type: str, committed: int,
                   term_months: int, start_date: date) -> ExportProject:
    """Open an export project of the sef fund. Invariant: committed > 0 whole won, a term of at least a month."""
    _user, label = _require_administrator(actor, _("open export projects"))
    if financing_type not in FinancingType.values:
        raise InvalidInput("financing type is loan or investment", field="financing_type")
    if not name.strip():
        raise InvalidInput("give the project a name", field="name")
    if not isinstance(term_months, int) or term_months <= 0:
        raise InvalidInput("the term is a whole number of months, at least 1", field="term_months")
    return ExportProject.objects.create(
        fund=Fund.objects.get(code=SEF), beneficiary=beneficiary, name=name.strip(), financing_type=financing_type,
        committed=_positive(committed), term_months=term_months, start_date=start_date, created_by=label)


def project_edit_faults(current: ExportProject, edited: ExportProject) -> dict[str, str]:
    """What an edit may not do to a project once money has moved, by field: lower the commitment below what was
    disbursed, give the project another beneficiary or financing type (the ledger's lines name both), or complete
    or cancel it while money is outstanding (a repayment needs an active project)."""
    faults = {}
    if edited.committed is not None and edited.committed < current.disbursed_total:
        faults["committed"] = _("%(won)s won were already disbursed; the commitment cannot be less.") % {
            "won": f"{current.disbursed_total:,}"}
    if current.disbursed_total and edited.beneficiary_id != current.beneficiary_id:
        faults["beneficiary"] = _("Money was already disbursed to this beneficiary; the project cannot change "
                                  "hands.")
    if current.disbursed_total and edited.financing_type != current.financing_type:
        faults["financing_type"] = _("Money was already disbursed under this financing type; it cannot change.")
    if edited.status != ProjectStatus.ACTIVE and current.outstanding:
        faults["status"] = _("%(won)s won are still outstanding; the project stays active until they are "
                             "repaid.") % {"won": f"{current.outstanding:,}"}
    return faults


@retry_on_conflict
def project_update(*, actor, project: ExportProject) -> ExportProject:
    """Save an administrator's edit of a project's terms (the back office's save).

    Invariant: the totals belong to the money services and are never written here; no edit contradicts the money
    already moved (`project_edit_faults`).
    """
    _require_administrator(actor, _("change export projects"))
    _positive(project.committed)
    # A disbursement committing while the form was open has grown `disbursed_total`: check against the locked row.
    current = _lock_project(project)
    for field, message in project_edit_faults(current, project).items():
        error = CommitmentExceeded if field == "committed" else ProjectTermsLocked
        raise error(message, field=field)
    project.save(update_fields=["beneficiary", "name", "financing_type", "committed", "term_months", "start_date",
                                "status"])
    return project


# Disbursements and repayments


def _movement(model, kind: str, *, actor, project, amount: int, effective_date: date, idempotency_key: str,
              memo: str, check, lines) -> tuple:
    """(the movement, the locked project whose total the caller adds to), or (the earlier movement, None) for a
    repeated idempotency key."""
    user, label = _require_administrator(actor, _("record disbursements") if kind == "disbursement"
                                         else _("record repayments"))
    key = (idempotency_key or "").strip()
    if not key:
        raise InvalidInput(_("Give an idempotency key, so that a retry cannot move the money twice."),
                           field="idempotency_key")
    payload = payload_hash(project=pk_of(project), amount=amount, date=effective_date)
    if (existing := model.objects.filter(idempotency_key=key).first()) is not None:
        return _replay(existing, payload, kind), None
    amount = _positive(amount)
    # Two movements of one project at once would both read the same totals and together exceed the commitment
    # (or the outstanding amount): the project row's lock makes the second wait and read the first one's total.
    locked = _lock_project(project)
    if (existing := model.objects.filter(idempotency_key=key).first()) is not None:
        return _replay(existing, payload, kind), None  # the same request, committed while this one waited
    if locked.status != ProjectStatus.ACTIVE:
        raise ProjectNotActive(_("This project is not active."), field="project")
    if effective_date < locked.start_date:
        raise InvalidInput(_("The date cannot come before the project's start."), field="effective_date")
    check(locked, amount)
    fund, party = locked.fund, locked.beneficiary.party
    cash, principal = fund_account(fund, chart.CASH), fund_account(fund, locked.principal_account_code)
    entry = ledger.entry_post(
        actor=actor, ledger=fund.ledger_id, effective_date=effective_date, lines=lines(cash, principal, krw(amount),
                                                                                       party),
        memo=memo or f"Export project {kind}: {locked.name}", reference=locked.reference,
        idempotency_key=f"exportfinance:{kind}:{key}",
    )
    movement = model.objects.create(project=locked, amount=amount, effective_date=effective_date, memo=memo,
                                    entry=entry, idempotency_key=key, payload_hash=payload, created_by=user,
                                    actor_label=label)
    movement.is_replay = False
    return movement, locked


def _within_commitment(project: ExportProject, amount: int) -> None:
    if amount > project.undisbursed:
        raise CommitmentExceeded(_("Only %(won)s won of the commitment is left to disburse.")
                                 % {"won": f"{project.undisbursed:,}"}, field="amount")


def _within_outstanding(project: ExportProject, amount: int) -> None:
    if amount > project.outstanding:
        raise RepaymentExceedsOutstanding(_("Only %(won)s won is outstanding.") % {"won": f"{project.outstanding:,}"},
                                          field="amount")


@retry_on_conflict
def disbursement_post(*, actor, project: ExportProject | int, amount: int, effective_date: date,
                      idempotency_key: str, memo: str = "") -> Disbursement:
    """Pay out part of a project's commitment: Dr loans receivable (or project investments) / Cr cash on the sef
    ledger, naming the beneficiary.

    Invariant: a project's disbursements never add up to more than its commitment, and the fund's cash never goes
    below zero; a repeated idempotency key returns the disbursement made first.
    """
    disbursement, locked = _movement(
        Disbursement, "disbursement", actor=actor, project=project, amount=amount, effective_date=effective_date,
        idempotency_key=idempotency_key, memo=memo, check=_within_commitment,
        lines=lambda cash, principal, won, party: [debit(principal, won, party=party), credit(cash, won, party=party)])
    if locked is not None:
        locked.disbursed_total += disbursement.amount
        locked.save(update_fields=["disbursed_total"])
    return disbursement


@retry_on_conflict
def repayment_post(*, actor, project: ExportProject | int, amount: int, effective_date: date,
                   idempotency_key: str, memo: str = "") -> Repayment:
    """Record money the beneficiary paid back: Dr cash / Cr loans receivable (or project investments).

    Invariant: a project's repayments never add up to more than was disbursed; a repeated idempotency key returns
    the repayment recorded first.
    """
    repayment, locked = _movement(
        Repayment, "repayment", actor=actor, project=project, amount=amount, effective_date=effective_date,
        idempotency_key=idempotency_key, memo=memo, check=_within_outstanding,
        lines=lambda cash, principal, won, party: [debit(cash, won, party=party), credit(principal, won, party=party)])
    if locked is not None:
        locked.repaid_total += repayment.amount
        locked.save(update_fields=["repaid_total"])
    return repayment


# Profit reports


def _check_period(project: ExportProject, year: int, period: str) -> None:
    if period not in PERIOD_MONTHS:
        raise InvalidInput(_("The period is FY, H1, H2 or Q1–Q4."), field="period")
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(_("Give the year as four digits."), field="year")
    start, end = period_bounds(year, period)
    if end >= timezone.localdate():
        raise InvalidInput(_("A period can be reported once it has ended."), field="period")
    if end < project.start_date:
        raise InvalidInput(_("This period ended before the project started."), field="period")
    # Halves, quarters and whole years of one project must not overlap, or the same profit would be levied twice.
    for other_year, other_period in (ProfitReport.objects.filter(project=project, year=year)
                                     .exclude(period=period).values_list("year", "period").distinct()):
        other_start, other_end = period_bounds(other_year, other_period)
        if other_start <= end and start <= other_end:
            raise InvalidInput(_("This project already reports %(other)s, which overlaps %(period)s.")
                               % {"other": f"{other_year} {other_period}", "period": f"{year} {period}"},
                               field="period")


@retry_on_conflict
def profit_report_submit(*, actor, project: ExportProject | int, year: int, period: str, operating_profit: int,
                         net_profit: int, reason: str = "", idempotency_key: str | None = None) -> ProfitReport:
    """Report a project's profit for a period; a second report of the same period is a correction that supersedes
    the current one and must say why. The share is recycled by a task queued when the report commits.

    Invariant: one current report per project and period, never edited; a correction after the period's share was
    received is refused (ShareSettled). A repeated idempotency key returns the report made first.
    """
    user, label = _who(actor)
    project_id = pk_of(project)
    beneficiary_id = ExportProject.objects.values_list("beneficiary_id", flat=True).get(pk=project_id)
    if user is not None and not (is_fund_admin(user) or can_submit_for(user, beneficiary_id)):
        raise NotAllowed(_("Only a finance officer of the beneficiary may report its profit."), field="project")
    for name, value in (("operating_profit", operating_profit), ("net_profit", net_profit)):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_AMOUNT:
            raise InvalidInput(_("Give the profit in whole won (negative for a loss)."), field=name)
    reason, key = reason.strip(), (idempotency_key or "").strip() or None
    payload = payload_hash(project=project_id, year=year, period=period, operating_profit=operating_profit,
                           net_profit=net_profit, reason=reason)
    if key and (existing := ProfitReport.objects.filter(idempotency_key=key).first()) is not None:
        return _replay(existing, payload, "profit report")
    # Two reports of one period at once (a double click, two officers) would both find no current report: the
    # project's lock makes the second wait and then supersede the first, or be refused for want of a reason.
    locked = _lock_project(project_id)
    if key and (existing := ProfitReport.objects.filter(idempotency_key=key).first()) is not None:
        return _replay(existing, payload, "profit report")
    _check_period(locked, year, period)
    current = selectors.current_report(locked.pk, year, period)
    if current is not None:
        if not reason:
            raise AlreadyReported(_("%(period)s is already reported (report #%(id)s); to correct it, say why in the "
                                    "reason.") % {"period": f"{year} {period}", "id": current.pk}, field="reason")
        if ProfitShare.objects.filter(project=locked, year=year, period=period, status__in=SETTLED).exists():
            raise ShareSettled(_("The share of %(period)s was already received; it can no longer be corrected.")
                               % {"period": f"{year} {period}"}, field="period")
    report = ProfitReport.objects.create(
        project=locked, year=year, period=period, operating_profit=operating_profit, net_profit=net_profit,
        supersedes=current, reason=reason, idempotency_key=key, payload_hash=payload, submitted_by=user,
        actor_label=label)
    transaction.on_commit(lambda: _queue_recycling(report.pk))
    report.is_replay = False
    return report


def _queue_recycling(report_id: int) -> None:
    from .tasks import recycle_report

    recycle_report.delay(report_id)


# Recycling


@retry_on_conflict
def profit_share_assess(*, actor, report: ProfitReport | int) -> ProfitShare:
    """Compute (or, after a correction, recompute) the share of the report's project and period from the period's
    current report: floor(base × rate) under the rule in force on the period's last day, posted as a receivable
    on the sef ledger (Dr profit-share receivable / Cr recycled-profit revenue; a correction posts the difference).

    Invariant: exactly one share per project and period, also when two workers, a retried task and the sweep race
    (the project's lock, the unique constraint and the entries' idempotency keys); the receivable posted for a
    share always equals its amount due.
    """
    _user, label = _require_administrator(actor, _("assess profit shares"))
    project_id, year, period = ProfitReport.objects.values_list("project_id", "year", "period").get(pk=pk_of(report))
    locked = _lock_project(project_id)
    current = selectors.current_report(project_id, year, period)
    share = ProfitShare.objects.filter(project_id=project_id, year=year, period=period).first()
    if share is not None and (share.report_id == current.pk or share.status in SETTLED):
        return share  # done already (by another worker, an earlier try, or before a refused correction)
    period_end = current.period_end
    rule = selectors.rule_in_force(period_end)
    if rule is None:
        raise NoRuleInForce(_("No recycling rule is in force on %(day)s.") % {"day": period_end}, field="rule")
    profit = current.net_profit if rule.base == ProfitBase.NET_PROFIT else current.operating_profit
    base = max(profit, 0)
    due = apply_rate(base, rule.rate)
    before = share.amount_due if share is not None else 0
    fields = {"report": current, "rule": rule, "base_amount": base, "rate": rule.rate, "amount_due": due,
              "due_date": date.fromordinal(period_end.toordinal() + rule.due_days),
              "status": ShareStatus.DUE if due else ShareStatus.NOTHING_DUE, "assessed_by": label,
              "assessed_at": timezone.now()}
    if share is None:
        share = ProfitShare.objects.create(project=locked, year=year, period=period, **fields)
    else:
        for name, value in fields.items():
            setattr(share, name, value)
        share.save(update_fields=list(fields))
    if due != before:
        _post_assessment(actor, locked, share, current, due - before)
    return share


def _post_assessment(actor, project: ExportProject, share: ProfitShare, report: ProfitReport, change: int) -> None:
    fund, party = project.fund, project.beneficiary.party
    receivable, revenue = (fund_account(fund, chart.PROFIT_SHARE_RECEIVABLE),
                           fund_account(fund, chart.RECYCLED_PROFIT_REVENUE))
    won = krw(abs(change))
    meta = {"profit_report": report.pk, "recycling_rule": share.rule_id}
    lines = ([debit(receivable, won, party=party), credit(revenue, won, party=party, metadata=meta)] if change > 0
             else [debit(revenue, won, party=party, metadata=meta), credit(receivable, won, party=party)])
    ledger.entry_post(
        actor=actor, ledger=fund.ledger_id, effective_date=timezone.localdate(report.created_at), lines=lines,
        memo=f"Profit share {share.period_label}: {project.name}" + (" (correction)" if report.supersedes_id else ""),
        reference=share.reference, idempotency_key=f"exportfinance:share:{share.pk}:report:{report.pk}",
    )


@retry_on_conflict
def profit_share_receive(*, actor, share: ProfitShare | int, effective_date: date | None = None) -> ProfitShare:
    """Record that the beneficiary paid its share (Dr cash / Cr profit-share receivable), and channel the rule's
    part of it to the destination fund in the same transaction: a due-to in sef (Dr transfers to other funds / Cr
    due to other funds) and the matching due-from in the destination (Dr due from other funds / Cr transfers from
    other funds), posted together by `interfund_transfer_post`.

    Invariant: a share is received once, in full; channelled + retained = received to the won (`split`); sef's
    due-to equals the destination's due-from. Receiving a received share again returns it unchanged.
    """
    _user, label = _require_administrator(actor, _("record profit-share receipts"))
    project_id = ProfitShare.objects.values_list("project_id", flat=True).get(pk=pk_of(share))
    # Project first, then share: the order assessing uses, so a correction and a receipt cannot deadlock.
    locked = _lock_project(project_id)
    row = ProfitShare.objects.select_for_update().select_related("rule").get(pk=pk_of(share))
    if row.status in SETTLED:
        return row
    if row.status == ShareStatus.NOTHING_DUE:
        raise NothingDue(_("Nothing is due for this period."), field="share")
    day = effective_date or timezone.localdate()
    fund, party, amount = locked.fund, locked.beneficiary.party, row.amount_due
    won = krw(amount)
    key = f"exportfinance:share:{row.pk}:receipt"
    row.receipt_entry = ledger.entry_post(
        actor=actor, ledger=fund.ledger_id, effective_date=day, reference=row.reference, idempotency_key=key,
        memo=f"Profit share received {row.period_label}: {locked.name}",
        lines=[debit(fund_account(fund, chart.CASH), won, party=party),
               credit(fund_account(fund, chart.PROFIT_SHARE_RECEIVABLE), won, party=party)])
    share_of = Decimal(row.rule.channel_share)
    row.channelled, row.retained = split(amount, [share_of, 1 - share_of])
    if row.channelled:
        destination = Fund.objects.get(code=row.rule.destination_fund)
        row.channel_source_entry, row.channel_target_entry = ledger.interfund_transfer_post(
            actor=actor, amount=krw(row.channelled), effective_date=day,
            source_debit=fund_account(fund, chart.TRANSFER_EXPENSE),
            source_credit=fund_account(fund, chart.DUE_TO_OTHER_FUNDS),
            target_debit=fund_account(destination, chart.DUE_FROM_OTHER_FUNDS),
            target_credit=fund_account(destination, chart.TRANSFERS_FROM_OTHER_FUNDS),
            memo=f"Recycled profit channelled to {destination.code}: {locked.name} {row.period_label}",
            reference=row.reference, idempotency_key=f"exportfinance:share:{row.pk}:channel",
        )
        row.destination_fund = destination.code
    row.received, row.received_on, row.received_by = amount, day, label
    row.status = ShareStatus.CHANNELLED if row.channelled else ShareStatus.RECEIVED
    row.save()
    return row


@retry_on_conflict
def channel_settle(*, actor, share: ProfitShare | int, effective_date: date | None = None) -> ProfitShare:
    """Pay the channelled part in cash: sef settles its due-to from its cash (Dr due to other funds / Cr cash) and
    the destination's due-from becomes cash (Dr cash / Cr due from other funds), both by `interfund_transfer_post`.

    Invariant: settled once, for exactly what was channelled; afterwards the share leaves no due-to in sef and no
    due-from in the destination. Settling a settled share again returns it unchanged.
    """
    _require_administrator(actor, _("settle channelled profit"))
    project_id = ProfitShare.objects.values_list("project_id", flat=True).get(pk=pk_of(share))
    locked = _lock_project(project_id)  # project, then share: the order every service of a share uses
    row = ProfitShare.objects.select_for_update().get(pk=pk_of(share))
    if row.settled_on is not None:
        return row
    if row.status != ShareStatus.CHANNELLED:
        raise NothingDue(_("Nothing was channelled from this share yet."), field="share")
    day = effective_date or timezone.localdate()
    fund, destination = locked.fund, Fund.objects.get(code=row.destination_fund)
    row.settle_source_entry, row.settle_target_entry = ledger.interfund_transfer_post(
        actor=actor, amount=krw(row.channelled), effective_date=day,
        source_debit=fund_account(fund, chart.DUE_TO_OTHER_FUNDS), source_credit=fund_account(fund, chart.CASH),
        target_debit=fund_account(destination, chart.CASH),
        target_credit=fund_account(destination, chart.DUE_FROM_OTHER_FUNDS),
        memo=f"Recycled profit settled in cash to {destination.code}: {locked.name} {row.period_label}",
        reference=row.reference, idempotency_key=f"exportfinance:share:{row.pk}:settle",
    )
    row.settled_on = day
    row.save(update_fields=["settle_source_entry", "settle_target_entry", "settled_on"])
    return row


@dataclass
class SweepResult:
    assessed: int = 0
    failed: int = 0  # refused (no rule in force, a closed year): left for an administrator, tried again next time


def recycle_sweep(*, actor: str = SWEEP_ACTOR) -> SweepResult:
    """Assess every current report whose share was not computed from it yet (a lost task, a broker down), each in
    its own transaction. Invariant: as `profit_share_assess`."""
    result = SweepResult()
    for pk in list(selectors.reports_to_recycle().values_list("pk", flat=True)):
        try:
            profit_share_assess(actor=actor, report=pk)
            result.assessed += 1
        except DomainError:  # ours or the ledger's (a closed year): one refusal does not stop the others
            result.failed += 1
        except IntegrityError:
            result.failed += 1  # a concurrent assessment won; the next sweep finds nothing left to do
    return result


def role_permissions_grant() -> None:
    """Auditors may view everything of export finance; fund administrators may also add and change projects,
    reports and rules (movements and shares are written only by the services, whatever the permission)."""
    perms = Permission.objects.filter(content_type__app_label="exportfinance")
    auditors, _created = Group.objects.get_or_create(name=AUDITORS)
    admins, _created = Group.objects.get_or_create(name=FUND_ADMINISTRATORS)
    auditors.permissions.add(*perms.filter(codename__startswith="view_"))
    admins.permissions.add(*[p for p in perms if p.codename.split("_", 1)[0] in {"view", "add", "change"}])
