"""The double-entry ledger engine: books, accounts, entries, holds, periods and the seal chain.

Design
- A `Ledger` is one self-balancing book (one per fund). The ledger knows nothing about funds or contributions:
  callers point at it, and say what caused an entry through the free-text `reference`.
- Amounts are integers of the currency's minor unit (`BigIntegerField`; KRW has no minor unit), exact on
  PostgreSQL and SQLite alike. Services and selectors speak `Money` (see `apps.core.money`).
- A `JournalLine` carries a positive debit **or** a positive credit, never both and never signed.
- Posted entries and lines are append-only: the ORM refuses to change them, and database triggers refuse raw SQL
  too (see the migrations). Corrections are reversals: a new entry that mirrors the original (`reverses`, unique,
  so an entry is reversed at most once).
- Every account stores its running totals (`debit_total`, `credit_total`) updated in the same transaction as the
  lines, so a current balance is one row read. `AccountDay` keeps per-day totals for point-in-time balances, and
  each line stores the account's balance after it in posting order (`balance_after`), for statements.
- A `Hold` is a pending entry (an encumbrance): it reserves amounts against accounts' limits (`pending_debit`,
  `pending_credit`) and is later posted, in full or in parts, or voided — like two-phase transfers.
- Entries are numbered gaplessly per ledger and fiscal year and chained by hash by the sealer (`EntrySeal`), after
  they commit, so numbering never serialises posting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.money import from_minor


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row that the ledger never changes."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; post a reversal instead")


class AppendOnlyModel(models.Model):
    """Rows are written once. `save()` on an existing row and `delete()` raise."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} {self.pk} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} {self.pk} is append-only; post a reversal instead")


class Ledger(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, default="KRW")
    # Denormalised from FiscalPeriod so that posting reads the closed years with one row. It reads them after
    # locking its accounts, in a statement of its own: a close locks every account of the ledger before it
    # commits, so a posting that waited for it sees the year closed.
    closed_years = models.JSONField(_("closed fiscal years"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ledger")
        verbose_name_plural = _("ledgers")

    def __str__(self) -> str:
        return f"{self.name_ko} ({self.code})"


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    NET_ASSETS = "net_assets", _("Net assets")
    REVENUE = "revenue", _("Revenue")
    EXPENSE = "expense", _("Expense")


DEBIT_NORMAL_TYPES = (AccountType.ASSET, AccountType.EXPENSE)


class Account(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("ledger"))
    code = models.CharField(_("code"), max_length=32)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=AccountType.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    currency = models.CharField(_("currency"), max_length=3, default="KRW")
    is_active = models.BooleanField(_("active"), default=True)
    non_negative = models.BooleanField(
        _("never below zero"),
        default=False,
        help_text=_("Refuse any posting or hold that would take the balance (less reservations) below zero."),
    )
    # Stored running totals, kept by the posting services in the same transaction as the lines.
    debit_total = models.BigIntegerField(_("total debits"), default=0, editable=False)
    credit_total = models.BigIntegerField(_("total credits"), default=0, editable=False)
    pending_debit = models.BigIntegerField(_("reserved debits"), default=0, editable=False)
    pending_credit = models.BigIntegerField(_("reserved credits"), default=0, editable=False)

    class Meta:
        ordering = ["ledger", "code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["ledger", "code"], name="ledger_account_code_unique"),
            models.CheckConstraint(
                condition=Q(debit_total__gte=0, credit_total__gte=0, pending_debit__gte=0, pending_credit__gte=0),
                name="ledger_account_totals_not_negative",
            ),
            # The database itself refuses a limited account going below zero, whatever the code does.
            models.CheckConstraint(
                condition=Q(non_negative=False)
                | Q(type__in=DEBIT_NORMAL_TYPES, debit_total__gte=F("credit_total") + F("pending_credit"))
                | (~Q(type__in=DEBIT_NORMAL_TYPES) & Q(credit_total__gte=F("debit_total") + F("pending_debit"))),
                name="ledger_account_limit_respected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_ko}"

    @property
    def is_debit_normal(self) -> bool:
        return self.type in DEBIT_NORMAL_TYPES

    @property
    def balance_minor(self) -> int:
        """Balance on the account's normal side: debit-normal accounts debit minus credit, others the reverse."""
        diff = self.debit_total - self.credit_total
        return diff if self.is_debit_normal else -diff

    @property
    def available_minor(self) -> int:
        """Balance less what holds have reserved against it."""
        reserved = self.pending_credit if self.is_debit_normal else self.pending_debit
        return self.balance_minor - reserved

    @property
    def balance(self):
        return from_minor(self.balance_minor, self.currency)

    @property
    def available(self):
        return from_minor(self.available_minor, self.currency)


class JournalEntry(AppendOnlyModel):
    # Indexes are few on purpose: every one is written on every posting. (ledger, effective_date) covers ledger.
    # No foreign keys in the database (each costs a trigger event per entry at commit, a look-up when set): the
    # posting procedure checks the ledger, user, reversed entry and hold it is given, the deferred check does so
    # for raw inserts, and triggers refuse to delete a user or hold that entries name (apps.ledger.procedures).
    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="entries", db_index=False,
                               db_constraint=False, verbose_name=_("ledger"))
    effective_date = models.DateField(_("effective date"))
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    memo = models.TextField(_("memo"), blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("posted by"), db_index=False, db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=150, help_text=_("Who posted: a user or a task."))
    reference = models.CharField(
        _("reference"), max_length=128, blank=True,
        help_text=_("The business record that caused the entry, e.g. 'contribution:42'."),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True)
    payload_hash = models.CharField(max_length=64, editable=False)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("reverses"), db_constraint=False,
    )
    hold = models.ForeignKey(
        "Hold", on_delete=models.PROTECT, null=True, blank=True, related_name="entries", verbose_name=_("from hold"),
        db_index=False, db_constraint=False,
    )
    transfer_id = models.UUIDField(_("inter-fund transfer"), null=True, blank=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        constraints = [
            # A constraint rather than `unique=True`, which on PostgreSQL adds a second (pattern-matching) index.
            # Partial: most entries have no key, and an index entry for each of them would be written for nothing.
            models.UniqueConstraint(fields=["idempotency_key"], condition=Q(idempotency_key__isnull=False),
                                    name="ledger_entry_idempotency_key_unique"),
        ]
        indexes = [
            models.Index(fields=["ledger", "effective_date"], name="ledger_entry_ledger_date"),
            # Entries are looked up by a reference they have; the many without one need no index entry.
            models.Index(fields=["reference"], name="ledger_entry_reference", condition=~Q(reference="")),
            models.Index(fields=["transfer_id"], name="ledger_entry_transfer", condition=Q(transfer_id__isnull=False)),
            models.Index(fields=["hold"], name="ledger_entry_hold", condition=Q(hold__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.effective_date} {self.memo[:40]}"

    @property
    def fiscal_year(self) -> int:
        return self.effective_date.year


class JournalLine(AppendOnlyModel):
    # Neither key is a foreign key in the database (two look-ups per line at commit, most of a batch's cost): the
    # posting procedure checks what it writes, the deferred check checks raw inserts, and a trigger refuses to
    # delete an account that lines use (`apps.ledger.procedures`, `apps.ledger.guards`).
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines", db_constraint=False,
                              verbose_name=_("entry"))
    # (account, effective_date, id) covers look-ups by account; no separate index to write on every posting.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines", db_index=False,
                                db_constraint=False, verbose_name=_("account"))
    debit = models.BigIntegerField(_("debit"), default=0)
    credit = models.BigIntegerField(_("credit"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    party = models.CharField(
        _("party"), max_length=64, blank=True,
        help_text=_("The organisation concerned, as its caller identifies it (e.g. 'org:12')."),
    )
    effective_date = models.DateField(_("effective date"), editable=False)
    balance_after = models.BigIntegerField(
        _("balance after"), editable=False,
        help_text=_("Account's debit-minus-credit after this line, in posting order."),
    )
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0), name="ledger_line_one_positive_side"
            ),
        ]
        indexes = [
            # Statements read an account's lines by effective date (then id, sorted within each day). Without `id`
            # in the key, PostgreSQL stores each account-day's lines as one deduplicated index entry: the index is
            # a sixth of the size, and the posting that writes it is cheaper.
            models.Index(fields=["account", "effective_date"], name="ledger_line_account_day"),
            models.Index(fields=["party"], name="ledger_line_party", condition=~Q(party="")),
        ]

    @property
    def amount_minor(self) -> int:
        return self.debit or self.credit


class AccountDay(models.Model):
    """Per-account, per-effective-date totals: a point-in-time balance sums at most one row a day."""

    # The unique (account, day) index serves look-ups by account; no foreign key in the database, as for lines
    # (day totals exist only beside the lines, and an account that lines use cannot be deleted).
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="days", db_index=False,
                                db_constraint=False)
    day = models.DateField()
    debit = models.BigIntegerField(default=0)
    credit = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="ledger_accountday_unique")]


class HoldStatus(models.TextChoices):
    OPEN = "open", _("Open")
    POSTED = "posted", _("Posted")
    VOIDED = "voided", _("Voided")


class Hold(models.Model):
    """A pending entry: reserves its amounts against the accounts' limits until posted or voided.

    A two-line hold may be posted in parts (`remaining` tracks what is still reserved); a hold of more lines is
    posted whole.
    """

    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="holds")
    effective_date = models.DateField(_("effective date"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    memo = models.TextField(_("memo"), blank=True)
    reference = models.CharField(_("reference"), max_length=128, blank=True, db_index=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    payload_hash = models.CharField(max_length=64, editable=False)
    amount = models.BigIntegerField(_("amount"), help_text=_("Total of the debit lines."))
    remaining = models.BigIntegerField(_("remaining"))
    status = models.CharField(_("status"), max_length=8, choices=HoldStatus.choices, default=HoldStatus.OPEN)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.CharField(_("voided by"), max_length=150, blank=True)
    void_reason = models.TextField(_("void reason"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("hold (pending entry)")
        verbose_name_plural = _("holds (pending entries)")
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0, remaining__lte=F("amount")), name="ledger_hold_remaining_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"hold #{self.pk} {self.memo[:40]}"


class HoldLine(models.Model):
    hold = models.ForeignKey(Hold, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="hold_lines")
    debit = models.BigIntegerField(default=0)
    credit = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    party = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0), name="ledger_holdline_one_positive_side"
            ),
        ]


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class FiscalPeriod(models.Model):
    """A fiscal year (the calendar year) of one ledger. Closing posts the closing entry and locks the year."""

    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="periods")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    status = models.CharField(_("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    closing_entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("closing entry"),
    )

    class Meta:
        ordering = ["ledger", "-year"]
        verbose_name = _("fiscal period")
        verbose_name_plural = _("fiscal periods")
        constraints = [models.UniqueConstraint(fields=["ledger", "year"], name="ledger_period_unique")]

    def __str__(self) -> str:
        return f"{self.ledger.code} FY{self.year} ({self.status})"


class PeriodEvent(AppendOnlyModel):
    class Action(models.TextChoices):
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")

    period = models.ForeignKey(FiscalPeriod, on_delete=models.PROTECT, related_name="events",
                               verbose_name=_("fiscal period"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                              verbose_name=_("by"))
    actor_label = models.CharField(_("actor"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("period event")
        verbose_name_plural = _("period events")


class LedgerChain(models.Model):
    """The head of a ledger's seal chain (the hash of the last sealed entry), and where the sealer looks.

    The sealer looks for unsealed entries from `scan_from` on, not through the whole ledger: ids below it were all
    committed and sealed. It moves to `mark_id + 1` once `mark_at` is old enough that no posting that was in
    flight then can still be open; a full scan now and then catches anything slower.
    """

    ledger = models.OneToOneField(Ledger, on_delete=models.PROTECT, primary_key=True, related_name="chain")
    head_hash = models.CharField(max_length=64, default="0" * 64)
    sealed_count = models.BigIntegerField(default=0)
    scan_from = models.BigIntegerField(default=0)
    mark_id = models.BigIntegerField(default=0)
    mark_at = models.DateTimeField(null=True, blank=True)
    full_scan_at = models.DateTimeField(null=True, blank=True)


class EntrySeal(AppendOnlyModel):
    """An entry's gapless number in its ledger and fiscal year, and its link in the ledger's hash chain."""

    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, primary_key=True, related_name="seal")
    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    chain_index = models.BigIntegerField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ledger", "chain_index"]
        verbose_name = _("entry seal")
        verbose_name_plural = _("entry seals")
        constraints = [
            models.UniqueConstraint(fields=["ledger", "fiscal_year", "number"], name="ledger_seal_number_unique"),
            models.UniqueConstraint(fields=["ledger", "chain_index"], name="ledger_seal_chain_unique"),
        ]

    @property
    def display_number(self) -> str:
        return f"{self.fiscal_year}-{self.number:06d}"


class VerificationRun(models.Model):
    """One run of `ledger_verify`: what it checked and every discrepancy it found."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    checked = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    actor_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'FAILED'}"
