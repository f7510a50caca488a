"""Every write of the evaluations: performance-sharing records (registered and edited by the principal company's
finance officer while they await confirmation, confirmed or rejected by a fund administrator, each change with
its event), and the indices (recomputed per index and year into stored results, published, reopened).

No money moves here: the evaluations read the funds (contributions, the pool's guarantees) and never post.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.core import roles
from apps.core.actors import actor_identity
from apps.core.exceptions import DomainError
from apps.core.roles import is_fund_admin
from apps.organizations.models import Organization
from apps.organizations.selectors import can_submit_for

from . import selectors
from .computation import COMPUTE, Computed, Config
from .exceptions import (
    EvaluationError,
    IdempotencyConflict,
    NoRuleInForce,
    NotAllowed,
    NothingToPublish,
    RecordNotEditable,
    RunSuperseded,
    StaleRecord,
    YearPublished,
)
from .models import (
    EvaluationResult,
    EvaluationRun,
    EvaluationYear,
    Grade,
    IndexKind,
    IndexRule,
    PartnerTier,
    RecordAction,
    RecordStatus,
    RunStatus,
    SharingMethod,
    SharingPartner,
    SharingRecord,
    SharingRecordEvent,
    TransactionType,
    YearStatus,
)

MAX_AMOUNT = 10**15
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".xls", ".docx", ".doc", ".hwp", ".hwpx", ".zip",
                     ".txt", ".csv")
RECORD_FIELDS = ("project", "transaction_type", "goal", "contract_date", "outcome", "sharing_method", "amount",
                 "evidence_description")
CHUNK = 50  # companies written per transaction: progress shows between them

Partners = Iterable[tuple[Organization, int]]


def _who(actor) -> tuple[object | None, str]:
    identity = actor_identity(actor)
    if identity is None:
        raise NotAllowed("sign in first", field="actor")
    return identity


def _admin(actor) -> tuple[object | None, str]:
    """A fund administrator, or the system (a task or command named by a string)."""
    user, label = _who(actor)
    if user is not None and not is_fund_admin(user):
        raise NotAllowed("only fund administrators may do this", field="actor")
    return user, label


def _event(record: SharingRecord, action: str, user, label: str, note: str = "") -> None:
    SharingRecordEvent.objects.create(record=record, action=action, status=record.status, actor=user,
                                      actor_label=label, note=note)


# Performance-sharing records


def _may_register(user, principal: Organization) -> bool:
    return user is None or is_fund_admin(user) or can_submit_for(user, principal)


def _check_values(values: dict) -> None:
    if not str(values.get("project", "")).strip():
        raise EvaluationError("name the project", field="project")
    if values.get("transaction_type") not in TransactionType.values:
        raise EvaluationError("choose one of the transaction types", field="transaction_type")
    if values.get("sharing_method") not in SharingMethod.values:
        raise EvaluationError("choose one of the sharing methods", field="sharing_method")
    amount = values.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise EvaluationError("the amount must be whole won above 0", field="amount")
    if amount > MAX_AMOUNT:
        raise EvaluationError("this amount is too large", field="amount")
    day = values.get("contract_date")
    if not isinstance(day, date):
        raise EvaluationError("give the contract date", field="contract_date")
    if day > timezone.localdate():
        raise EvaluationError("the contract date cannot be in the future", field="contract_date")
    if not str(values.get("goal", "")).strip():
        raise EvaluationError("state the goal", field="goal")
    if not str(values.get("evidence_description", "")).strip():
        raise EvaluationError("describe the evidence (or give a document reference)", field="evidence_description")


def _check_partners(principal: Organization, partners: list[tuple[Organization, int]]) -> None:
    if not partners:
        raise EvaluationError("name at least one partner", field="partners")
    seen = set()
    for organization, tier in partners:
        if tier not in PartnerTier.values:
            raise EvaluationError("a partner's tier is 1, 2 or 3", field="partners")
        if organization.pk == principal.pk:
            raise EvaluationError("the principal company cannot be its own partner", field="partners")
        if organization.pk in seen:
            raise EvaluationError("a partner is named once, in one tier", field="partners")
        seen.add(organization.pk)


def _check_evidence(upload) -> None:
    if not upload:
        return
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(EVIDENCE_SUFFIXES):
        raise EvaluationError("attach a PDF, image, office, HWP, text or ZIP file", field="evidence_file")
    if (getattr(upload, "size", 0) or 0) > MAX_EVIDENCE_BYTES:
        raise EvaluationError("the evidence file may be at most 10 MB", field="evidence_file")


def _attach(record: SharingRecord, upload) -> None:
    if upload:
        record.evidence_name = (getattr(upload, "name", "") or "evidence")[-200:]
        record.evidence_file.save(record.evidence_name, upload, save=False)


def _set_partners(record: SharingRecord, partners: list[tuple[Organization, int]]) -> None:
    SharingPartner.objects.filter(record=record).delete()
    SharingPartner.objects.bulk_create([SharingPartner(record=record, organization=o, tier=t) for o, t in partners])


def record_create(*, actor, principal: Organization, partners: Partners, project: str, transaction_type: str,
                  goal: str, contract_date: date, sharing_method: str, amount: int, evidence_description: str,
                  outcome: str = "", evidence_file=None, idempotency_key: str | None = None) -> SharingRecord:
    """Register a performance-sharing record for `principal` (its finance officer, or a fund administrator), with
    its partners as (organisation, tier 1–3) pairs.

    Invariant: one idempotency key registers one record — a retried or double-clicked submission returns the
    record registered first (`is_replay`), and the same key with other details is refused.
    """
    user, label = _who(actor)
    if not _may_register(user, principal):
        raise NotAllowed("only a finance officer of the principal company may register its records",
                         field="principal")
    values = {"project": project, "transaction_type": transaction_type, "goal": goal,
              "contract_date": contract_date, "outcome": outcome or "", "sharing_method": sharing_method,
              "amount": amount, "evidence_description": evidence_description}
    partners = [(o, int(t)) for o, t in partners]
    _check_values(values)
    _check_partners(principal, partners)
    _check_evidence(evidence_file)
    if idempotency_key:
        replay = _replay(idempotency_key, principal, values)
        if replay is not None:
            return replay
    try:
        with transaction.atomic():
            record = SharingRecord(principal=principal, idempotency_key=idempotency_key or None,
                                   created_by_label=label, registration_date=timezone.localdate(), **values)
            _attach(record, evidence_file)
            record.save()
            _set_partners(record, partners)
            _event(record, RecordAction.SUBMITTED, user, label)
    except IntegrityError:
        # The same key committed by a concurrent request between our look-up and our insert.
        replay = _replay(idempotency_key, principal, values) if idempotency_key else None
        if replay is None:
            raise
        return replay
    return record


def _replay(key: str, principal: Organization, values: dict) -> SharingRecord | None:
    first = SharingRecord.objects.filter(idempotency_key=key).first()
    if first is None:
        return None
    same = first.principal_id == principal.pk and all(getattr(first, k) == v for k, v in values.items())
    if not same:
        raise IdempotencyConflict("this submission key was already used for other details", field="idempotency_key")
    first.is_replay = True
    return first


def _locked(record: SharingRecord | int) -> SharingRecord:
    pk = record.pk if isinstance(record, SharingRecord) else int(record)
    # An edit, a confirmation and a rejection of one record may arrive at once: the row lock makes each see the
    # status the one before it left (a record confirmed meanwhile is no longer editable).
    return SharingRecord.objects.select_for_update().get(pk=pk)


def record_update(*, actor, record: SharingRecord | int, expected_version: int | None = None,
                  partners: Partners | None = None, evidence_file=None, **changes) -> SharingRecord:
    """Change a record while it awaits confirmation (its principal's finance officer or a fund administrator).

    Invariant: a confirmed or rejected record never changes; an edit made from a stale copy (`expected_version`
    no longer current: someone saved in between) is refused instead of overwriting the other change.
    """
    user, label = _who(actor)
    unknown = set(changes) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"record_update() cannot change {sorted(unknown)}")
    with transaction.atomic():
        record = _locked(record)
        if not _may_register(user, record.principal):
            raise NotAllowed("only a finance officer of the principal company may change its records",
                             field="principal")
        if not record.is_editable:
            raise RecordNotEditable("this record is no longer awaiting confirmation and cannot be changed",
                                    field="status")
        if expected_version is not None and expected_version != record.version:
            raise StaleRecord("someone changed this record since you opened it: reload it and edit again",
                              field="version")
        merged = {k: changes.get(k, getattr(record, k)) for k in RECORD_FIELDS}
        _check_values(merged)
        if partners is not None:
            partners = [(o, int(t)) for o, t in partners]
            _check_partners(record.principal, partners)
        _check_evidence(evidence_file)
        for name, value in changes.items():
            setattr(record, name, value)
        replaced = record.evidence_file.name if evidence_file and record.evidence_file else ""
        _attach(record, evidence_file)
        if replaced:
            storage = record.evidence_file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
        record.version += 1
        record.save()
        if partners is not None:
            _set_partners(record, partners)
        _event(record, RecordAction.EDITED, user, label)
    return record


def record_confirm(*, actor, record: SharingRecord | int) -> SharingRecord:
    """A fund administrator confirms a record: from now on it counts in its principal's evaluation.

    Invariant: confirmed once, with its date and confirmer; confirming again changes nothing.
    """
    user, label = _admin(actor)
    with transaction.atomic():
        record = _locked(record)
        if record.status == RecordStatus.CONFIRMED:
            return record
        if record.status != RecordStatus.SUBMITTED:
            raise RecordNotEditable("only a record awaiting confirmation can be confirmed", field="status")
        record.status, record.confirmed_at, record.confirmed_by_label = RecordStatus.CONFIRMED, timezone.now(), label
        record.save(update_fields=["status", "confirmed_at", "confirmed_by_label"])
        _event(record, RecordAction.CONFIRMED, user, label)
    return record


def record_reject(*, actor, record: SharingRecord | int, reason: str) -> SharingRecord:
    """A fund administrator rejects a record awaiting confirmation, saying why; it never counts."""
    user, label = _admin(actor)
    if not (reason or "").strip():
        raise EvaluationError("say why the record is rejected", field="reason")
    with transaction.atomic():
        record = _locked(record)
        if record.status != RecordStatus.SUBMITTED:
            raise RecordNotEditable("only a record awaiting confirmation can be rejected", field="status")
        record.status, record.reason = RecordStatus.REJECTED, reason.strip()
        record.save(update_fields=["status", "reason"])
        _event(record, RecordAction.REJECTED, user, label, note=record.reason)
    return record


# The indices


def recompute_check(*, kind: str, year: int) -> IndexRule:
    """The rule a recomputation of this index and year would use; refuses an unknown index, a year out of range,
    a published year and a year without a rule in force."""
    return _check_kind_year(kind, year)


def _check_kind_year(kind: str, year: int) -> IndexRule:
    if kind not in IndexKind.values:
        raise EvaluationError("choose one of the indices: sgi, wfi, defence", field="kind")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise EvaluationError("give the evaluation year, e.g. 2026", field="year")
    if selectors.is_published(kind, year):
        raise YearPublished("this year's results are published: an administrator must reopen the year before it "
                            "is recomputed", field="year")
    rule = selectors.rule_for(kind, year)
    if rule is None:
        raise NoRuleInForce("no rule of this index is in force on 31 December of that year", field="year")
    return rule


def recompute_request(*, actor, kind: str, year: int) -> EvaluationRun:
    """Queue a recomputation of an index's year (the task runs once the run is committed); returns the run."""
    _, label = _admin(actor)
    _check_kind_year(kind, year)
    from .tasks import recompute

    with transaction.atomic():
        run = EvaluationRun.objects.create(kind=kind, year=year, actor_label=label)
        transaction.on_commit(lambda: recompute.delay(year, kind, run.pk))
    return run


def evaluation_recompute(*, actor, kind: str, year: int) -> EvaluationRun:
    """Recompute an index's year now, in this process (commands, the demo); returns the finished run."""
    _, label = _admin(actor)
    _check_kind_year(kind, year)
    run = EvaluationRun.objects.create(kind=kind, year=year, actor_label=label)
    return run_execute(run_id=run.pk)


def _set_run(run_id: int, **fields) -> None:
    EvaluationRun.objects.filter(pk=run_id).update(**fields)


def run_execute(*, run_id: int) -> EvaluationRun:
    """Compute every subject of the run's index and year, CHUNK companies at a time with the progress on the run
    between them, then store all their results in one transaction.

    Invariant: a year's results change all together or not at all, and never once the year is published (the
    write checks under the year's lock, so a publication racing the run either comes after the whole write or
    refuses the run); nor by a run that started before the one that stored them; a result changes only when what
    it was computed from changed, so running twice, or a redelivered task, stores the same results. A finished
    run is not run again.
    """
    run = EvaluationRun.objects.get(pk=run_id)
    if run.status in (RunStatus.DONE, RunStatus.REFUSED):
        return run
    try:
        rule = _check_kind_year(run.kind, run.year)
        started = timezone.now()  # before any input is read
        config = Config.load(rule, run.kind, run.year)
        companies = selectors.subjects(run.kind, run.year)
        _set_run(run.pk, status=RunStatus.RUNNING, total=len(companies), done=0, started_at=started, error="")
        computed: list[Computed] = []
        for start in range(0, len(companies), CHUNK):
            chunk = companies[start:start + CHUNK]
            computed.extend(COMPUTE[run.kind](config, run.year, chunk))
            _set_run(run.pk, done=F("done") + len(chunk))
        with transaction.atomic():
            _lock_open_year(run.kind, run.year)
            _refuse_if_superseded(run, started)
            _store(run, config, computed)
            _refresh_later_honours(run.kind, run.year)
        _set_run(run.pk, status=RunStatus.DONE, finished_at=timezone.now())
    except DomainError as error:
        _set_run(run.pk, status=RunStatus.REFUSED, error=error.message, finished_at=timezone.now())
    except Exception as error:
        _set_run(run.pk, status=RunStatus.FAILED, error=repr(error)[:2000], finished_at=timezone.now())
        raise
    run.refresh_from_db()
    return run


def _refuse_if_superseded(run: EvaluationRun, started) -> None:
    # Two recomputations of one year may compute at once; under the year's lock, the one that started later (and
    # so read later inputs) wins, whichever finishes first: an earlier one never overwrites its results.
    later = (EvaluationRun.objects.filter(kind=run.kind, year=run.year, status=RunStatus.DONE, started_at__gt=started)
             .exclude(pk=run.pk).order_by("started_at").first())
    if later is not None:
        raise RunSuperseded(f"recomputation #{later.pk}, started later, already stored this year's results from "
                            "later inputs", field="run")


def _lock_open_year(kind: str, year: int) -> EvaluationYear:
    EvaluationYear.objects.get_or_create(kind=kind, year=year)
    # A publication racing this write: whoever locks the year's row first goes first, and results are never
    # written into a year that is published by then.
    row = EvaluationYear.objects.select_for_update().get(kind=kind, year=year)
    if row.status == YearStatus.PUBLISHED:
        raise YearPublished("the year was published while it was being recomputed", field="year")
    return row


def _store(run: EvaluationRun, config: Config, computed: list[Computed]) -> None:
    """Write the year's results: new ones created, changed ones updated, unchanged ones left as they are, and
    those of companies no longer evaluated removed."""
    honours = _honours(run.kind, run.year, config.rule.honour_streak,
                       [c.organization_id for c in computed if c.grade == Grade.EXCELLENT])
    stored = EvaluationResult.objects.filter(kind=run.kind, year=run.year)
    existing = {r.organization_id: r for r in stored}
    for c in computed:
        values = {"score": c.score, "grade": c.grade, "deferred": c.deferred,
                  "honour": c.organization_id in honours, "inputs": c.inputs, "rules": c.rules,
                  "rule_id": config.rule.pk}
        result = existing.get(c.organization_id)
        if result is None:
            EvaluationResult.objects.create(organization_id=c.organization_id, kind=run.kind, year=run.year,
                                            run=run, computed_at=timezone.now(), **values)
        elif any(getattr(result, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(result, name, value)
            result.run, result.computed_at = run, timezone.now()
            result.save()
    stored.exclude(organization_id__in=[c.organization_id for c in computed]).delete()


def _refresh_later_honours(kind: str, year: int) -> None:
    """A later year's honour status rests on this year's grades: refresh it in the later years still open (a
    published year keeps what it published)."""
    # Year rows are locked in ascending order, after the recomputed year's: a publication of a later year
    # waits, and never publishes honours this transaction is about to change.
    later = (EvaluationYear.objects.select_for_update().filter(kind=kind, year__gt=year, status=YearStatus.OPEN)
             .order_by("year"))
    for row in later:
        results = list(EvaluationResult.objects.filter(kind=kind, year=row.year))
        if not results:
            continue
        streak = int(results[0].rules.get("rule", {}).get("honour_streak", 0) or 0)
        if row.year - year >= streak:
            continue
        honours = _honours(kind, row.year, streak, [r.organization_id for r in results if r.grade == Grade.EXCELLENT])
        for result in results:
            if result.honour != (result.organization_id in honours):
                result.honour = result.organization_id in honours
                result.save(update_fields=["honour"])


def _honours(kind: str, year: int, streak: int, excellent_ids: list[int]) -> set[int]:
    """Of the companies excellent this year, those whose stored results of the streak's earlier years are all
    excellent too (a deferred or missing year breaks the streak)."""
    if streak <= 1:
        return set(excellent_ids)
    earlier = range(year - streak + 1, year)
    rows = (EvaluationResult.objects.filter(kind=kind, organization_id__in=excellent_ids, year__in=earlier,
                                            grade=Grade.EXCELLENT)
            .values_list("organization_id", flat=True))
    counts: dict[int, int] = {}
    for pk in rows:
        counts[pk] = counts.get(pk, 0) + 1
    return {pk for pk, n in counts.items() if n == streak - 1}


def evaluation_publish(*, actor, kind: str, year: int) -> EvaluationYear:
    """Publish an index's grades of a year: companies see their own grade; the results are frozen until an
    administrator reopens the year. Publishing a published year changes nothing."""
    _, label = _admin(actor)
    with transaction.atomic():
        EvaluationYear.objects.get_or_create(kind=kind, year=year)
        row = EvaluationYear.objects.select_for_update().get(kind=kind, year=year)
        if row.status == YearStatus.PUBLISHED:
            return row
        if not EvaluationResult.objects.filter(kind=kind, year=year).exists():
            raise NothingToPublish("there are no results of this index and year: recompute it first", field="year")
        row.status, row.published_at, row.published_by_label = YearStatus.PUBLISHED, timezone.now(), label
        row.save(update_fields=["status", "published_at", "published_by_label"])
    return row


def evaluation_reopen(*, actor, kind: str, year: int) -> EvaluationYear:
    """An administrator reopens a published year: its grades leave the portal and it may be recomputed."""
    user, label = _who(actor)
    if user is None or not is_fund_admin(user):
        raise NotAllowed("only a fund administrator may reopen a published year", field="actor")
    with transaction.atomic():
        EvaluationYear.objects.get_or_create(kind=kind, year=year)
        row = EvaluationYear.objects.select_for_update().get(kind=kind, year=year)
        if row.status != YearStatus.OPEN:
            row.status, row.reopened_at, row.reopened_by_label = YearStatus.OPEN, timezone.now(), label
            row.save(update_fields=["status", "reopened_at", "reopened_by_label"])
    return row


def role_permissions_grant() -> None:
    """Auditors may view everything of the evaluations; fund administrators may also add and change the
    configuration, the inputs and records (results, runs and events are read-only in the back office)."""
    roles.role_permissions_grant("evaluations")
