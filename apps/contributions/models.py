"""Contributions to the win-win funds, their history, and the donation receipts the funds issue for them.

Design
- A `DesignatedUse` is a row of a versioned list (DOMAIN.md §2): a code, its names, the dates it may be chosen on
  (`valid_from`, and `valid_to` inclusive, empty while open-ended) and the funds it is valid for. A use is renamed or
  retired by ending its row and adding a new version, so a contribution always points at the version it was made
  under. The undesignated class (`general`) is such a row too: whether it exists is an administrator's decision.
- A `Contribution` is what an organisation pledges to one fund: whole won, a date, a designated use, optional
  beneficiary SMEs and program. Its status moves only through `services` — submitted → confirmed (money received,
  posted to the fund's ledger) → matched (government share, by the matching app), or withdrawn / rejected before
  confirmation. A confirmed contribution is never edited: a correction reverses its ledger entry and ends it as
  `reversed`. Every change writes a `ContributionEvent` (append-only) in the same transaction.
- The ledger holds the money; this app holds the business record and points at the entries it caused
  (`confirmation_entry`, `reversal_entry`). The revenue line names the contributor (`Organization.party`) and carries
  the designated use in its metadata, which is what `apps.funds.selectors.fund_progress` reads.
- A `DonationReceipt` is issued on confirmation with a number gapless per fund and fiscal year, handed out from a
  locked `ReceiptCounter` row in the confirming transaction. Receipts are kept for good: a reversed contribution's
  receipt is flagged cancelled, never deleted. The per-donor register is a selector over receipts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.funds.models import Fund
from apps.ledger.models import AppendOnlyModel, JournalEntry
from apps.organizations.identifiers import format_brn
from apps.organizations.models import Organization


class DesignatedUseQuerySet(models.QuerySet):
    def valid_on(self, day, fund: Fund | None = None) -> DesignatedUseQuerySet:
        valid = self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        return valid.filter(funds=fund) if fund is not None else valid


class DesignatedUse(models.Model):
    code = models.SlugField(_("code"), max_length=64)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("The last day it may be chosen; empty while it has no end."))
    funds = models.ManyToManyField(Fund, blank=True, related_name="designated_uses", verbose_name=_("funds"),
                                   help_text=_("The funds a contribution may designate this use for."))

    objects = DesignatedUseQuerySet.as_manager()

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = _("designated use")
        verbose_name_plural = _("designated uses")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="contributions_use_version_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="contributions_use_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name_ko} ({self.code})"

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ContributionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed (received)")
    MATCHED = "matched", _("Matched")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")
    REVERSED = "reversed", _("Reversed (corrected)")


# Statuses whose money is in the fund: they count towards totals and carry a valid receipt.
RECEIVED_STATUSES = (ContributionStatus.CONFIRMED, ContributionStatus.MATCHED)


class Contribution(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="contributions",
                                     verbose_name=_("organisation"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("fund"))
    amount = models.BigIntegerField(_("amount (won)"), help_text=_("Whole won."))
    contribution_date = models.DateField(_("contribution date"))
    designated_use = models.ForeignKey(DesignatedUse, on_delete=models.PROTECT, related_name="contributions",
                                       verbose_name=_("designated use"))
    beneficiaries = models.ManyToManyField(Organization, blank=True, related_name="benefiting_contributions",
                                           verbose_name=_("beneficiary SMEs"))
    program = models.CharField(_("program"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ContributionStatus.choices,
                              default=ContributionStatus.SUBMITTED, db_index=True)
    reason = models.TextField(_("reason"), blank=True,
                              help_text=_("Why it was withdrawn, rejected or reversed."))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_by_label = models.CharField(_("submitted by (label)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="+", verbose_name=_("confirmation entry"))
    reversal_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("reversal entry"))

    class Meta:
        ordering = ["-contribution_date", "-pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contributions_amount_positive"),
        ]
        indexes = [models.Index(fields=["organization", "contribution_date"], name="contributions_org_date")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.organization.name_ko} → {self.fund.code} {self.amount:,}원"

    @property
    def reference(self) -> str:
        """What the ledger entries this contribution causes carry as their reference."""
        return f"contribution:{self.pk}"


class ContributionEvent(AppendOnlyModel):
    """One change of a contribution's status, with who made it and why. Written once, never changed."""

    contribution = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="events",
                                     verbose_name=_("contribution"))
    from_status = models.CharField(_("from"), max_length=16, choices=ContributionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ContributionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    actor_label = models.CharField(_("actor"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["contribution_id", "at", "pk"]
        verbose_name = _("contribution event")
        verbose_name_plural = _("contribution events")

    def __str__(self) -> str:
        return f"#{self.contribution_id} {self.from_status or '—'} → {self.to_status}"


class ReceiptCounter(models.Model):
    """The last receipt number handed out per fund and fiscal year; locked while a number is allocated."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="contributions_counter_unique")]

    def __str__(self) -> str:
        return f"{self.fund_id}/{self.year}: {self.last_number}"


class DonationReceipt(models.Model):
    contribution = models.OneToOneField(Contribution, on_delete=models.PROTECT, related_name="receipt",
                                        verbose_name=_("contribution"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+", verbose_name=_("fund"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveIntegerField(_("number"), help_text=_("Gapless per fund and fiscal year."))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    donor_name = models.CharField(_("donor"), max_length=200)
    donor_brn = models.CharField(_("donor business registration number"), max_length=10)
    amount = models.BigIntegerField(_("amount (won)"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)

    class Meta:
        ordering = ["fund_id", "fiscal_year", "number"]
        verbose_name = _("donation receipt")
        verbose_name_plural = _("donation receipts")
        constraints = [
            models.UniqueConstraint(fields=["fund", "fiscal_year", "number"], name="contributions_receipt_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contributions_receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"{self.fund.code.upper()}-{self.fiscal_year}-{self.number:06d}"

    @property
    def donor_brn_display(self) -> str:
        return format_brn(self.donor_brn)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("donation receipts are kept; cancel the contribution instead", {self})
