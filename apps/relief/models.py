"""Sanctions, fines and damage-relief claims (DOMAIN.md §1: the damage-relief fund is financed from fines).

Design
- A `Sanction` is a decision against a company (technology theft, an unfair trade practice, ...): a corrective
  order, penalty points, a decision date and, usually, a fine. The fine is capped by law at ₩5,000,000,000
  (`FINE_LEGAL_MAXIMUM`, a fact rather than configuration); a fine above it is refused. Imposing the fine posts
  Dr fines receivable / Cr fine revenue on the relief fund's ledger, naming the sanctioned company as the party.
- A `FinePayment` is money collected against a fine: Dr cash / Cr fines receivable, never more than is still
  outstanding (the sanction's row is locked while a payment is recorded). The payment status (unpaid, partly paid,
  paid, waived) is never stored: it is derived from the payments (`SanctionQuerySet.with_amounts`). Waiving posts
  the outstanding remainder back (Dr fine revenue / Cr fines receivable). Collected fines are the fund's cash.
- A `Claim` is a harmed company's request for relief, filed by its finance officer with documents
  (`ClaimDocument`, private files served only by permission-checked views). An administrator reviews it: asks for
  more information (the claimant answers and it returns to review), rejects it with a reason, or approves an
  amount no greater than the amount claimed. Approval reserves the amount on the relief ledger as a hold
  (Dr relief expense / Cr cash, party = claimant): the ledger's non-negative cash, reservations included, is what
  keeps approvals within the fund's available cash, even when two are decided at the same moment. Paying posts
  the hold. Every change of a claim writes a `ClaimEvent` (append-only) with who, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ledger.models import AppendOnlyModel, Hold, JournalEntry
from apps.organizations.models import Organization

# Law, not configuration: the maximum fine for a serious violation (₩5 billion, announced 2026-01-21).
FINE_LEGAL_MAXIMUM = 5_000_000_000


class ViolationType(models.TextChoices):
    TECHNOLOGY_THEFT = "technology_theft", _("Technology theft")
    UNFAIR_TRADE = "unfair_trade", _("Unfair trade practice")
    SUBCONTRACTING_ABUSE = "subcontracting_abuse", _("Abuse of a subcontracting position")
    UNFAIR_PRICE_CUT = "unfair_price_cut", _("Unfair reduction of the subcontract price")
    LATE_PAYMENT = "late_payment", _("Late payment of the subcontract price")
    PLATFORM_ABUSE = "platform_abuse", _("Abuse of a platform's dominant position")
    OTHER = "other", _("Other")


class PaymentStatus(models.TextChoices):
    NO_FINE = "no_fine", _("No fine")
    UNPAID = "unpaid", _("Unpaid")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")


class SanctionQuerySet(models.QuerySet):
    def with_amounts(self) -> SanctionQuerySet:
        """Each sanction with `paid` (collected so far), `outstanding` and `payment_status`, from its payments."""
        paid = Coalesce(Sum("payments__amount"), Value(0), output_field=models.BigIntegerField())
        annotated = self.annotate(paid=paid)
        return annotated.annotate(
            outstanding=Case(When(waived_at__isnull=False, then=Value(0)), default=F("fine_amount") - F("paid"),
                             output_field=models.BigIntegerField()),
            payment_status=Case(
                When(waived_at__isnull=False, then=Value(PaymentStatus.WAIVED.value)),
                When(fine_amount=0, then=Value(PaymentStatus.NO_FINE.value)),
                When(paid__gte=F("fine_amount"), then=Value(PaymentStatus.PAID.value)),
                When(paid__gt=0, then=Value(PaymentStatus.PARTLY_PAID.value)),
                default=Value(PaymentStatus.UNPAID.value), output_field=models.CharField(),
            ),
        )


class Sanction(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sanctions",
                                     verbose_name=_("sanctioned company"))
    case_reference = models.CharField(_("case number"), max_length=64, unique=True,
                                      help_text=_("The decision's case number, e.g. 2026-기술-0012."))
    violation_type = models.CharField(_("violation"), max_length=32, choices=ViolationType.choices, db_index=True)
    corrective_order = models.TextField(_("corrective order"))
    penalty_points = models.PositiveSmallIntegerField(_("penalty points"), default=0)
    decision_date = models.DateField(_("decision date"))
    fine_amount = models.BigIntegerField(_("fine (won)"), default=0,
                                         help_text=_("Whole won; at most ₩5,000,000,000 by law; 0 for none."))
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    waiver_reason = models.TextField(_("reason for the waiver"), blank=True)
    imposition_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+", verbose_name=_("imposition entry"))
    waiver_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("waiver entry"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    created_by_label = models.CharField(_("recorded by"), max_length=150)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.CheckConstraint(condition=Q(fine_amount__gte=0, fine_amount__lte=FINE_LEGAL_MAXIMUM),
                                   name="relief_fine_within_legal_maximum"),
        ]

    def __str__(self) -> str:
        return f"{self.case_reference} {self.organization.name_ko}"

    @property
    def reference(self) -> str:
        """What the ledger entries this sanction causes carry as their reference."""
        return f"sanction:{self.pk}"

    def get_payment_status_display(self) -> str:
        """The label of the status `SanctionQuerySet.with_amounts` derived (empty on a row read without it)."""
        status = getattr(self, "payment_status", "")
        return str(PaymentStatus(status).label) if status else ""


class FinePayment(models.Model):
    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, related_name="payments",
                                 verbose_name=_("sanction"))
    amount = models.BigIntegerField(_("amount (won)"))
    paid_on = models.DateField(_("paid on"))
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("ledger entry"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    recorded_by_label = models.CharField(_("recorded by"), max_length=150)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["sanction_id", "paid_on", "pk"]
        verbose_name = _("fine payment")
        verbose_name_plural = _("fine payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="relief_payment_positive")]

    def __str__(self) -> str:
        return f"{self.sanction.case_reference}: {self.amount:,}원 ({self.paid_on})"


class ClaimStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("More information requested")
    APPROVED = "approved", _("Approved (awaiting payment)")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class Claim(models.Model):
    claimant = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="relief_claims",
                                 verbose_name=_("claimant"))
    case_reference = models.CharField(_("case number"), max_length=64,
                                      help_text=_("The sanction's case number, or the reference of the case."))
    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="claims", verbose_name=_("sanction"),
                                 help_text=_("Found from the case number when the fund recorded that sanction."))
    description = models.TextField(_("description of the harm"))
    amount_claimed = models.BigIntegerField(_("amount claimed (won)"))
    approved_amount = models.BigIntegerField(_("approved amount (won)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ClaimStatus.choices,
                              default=ClaimStatus.IN_REVIEW, db_index=True)
    hold = models.OneToOneField(Hold, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("reservation (hold)"))
    payment_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("payment entry"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("filed by"))
    submitted_by_label = models.CharField(_("filed by"), max_length=150)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("relief claim")
        verbose_name_plural = _("relief claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount_claimed__gt=0), name="relief_claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | Q(approved_amount__gt=0, approved_amount__lte=F("amount_claimed")),
                name="relief_approved_within_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.claimant.name_ko} {self.amount_claimed:,}원"

    @property
    def reference(self) -> str:
        return f"relief-claim:{self.pk}"


class ClaimEvent(AppendOnlyModel):
    """One step of a claim's review, with who took it, when and why. Written once, never changed."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events", verbose_name=_("claim"))
    from_status = models.CharField(_("from"), max_length=16, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ClaimStatus.choices)
    amount = models.BigIntegerField(_("amount (won)"), null=True, blank=True)
    message = models.TextField(_("reason or message"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    actor_label = models.CharField(_("actor"), max_length=150)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["claim_id", "at", "pk"]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")

    def __str__(self) -> str:
        return f"#{self.claim_id} {self.from_status or '—'} → {self.to_status}"


def _document_path(document: ClaimDocument, filename: str) -> str:
    # Never the uploaded name: a random name under the claim, with the checked extension.
    return f"relief/claims/{document.claim_id}/{document.token}.{document.kind}"


class ClaimDocument(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents", verbose_name=_("claim"))
    file = models.FileField(_("file"), upload_to=_document_path, max_length=255)
    token = models.CharField(max_length=32, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=8, help_text=_("The checked type: pdf, png, jpg, docx, hwp, hwpx."))
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_by_label = models.CharField(_("uploaded by"), max_length=150)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["claim_id", "uploaded_at", "pk"]
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")

    def __str__(self) -> str:
        return self.original_name
