"""Performance-sharing records, their partners and history, and the sharing-method weights."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.money import format_won
from apps.organizations.models import Organization

from .base import WEIGHT_FIELD, Effective


class TransactionType(models.TextChoices):
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    PLATFORM = "platform", _("Platform")
    DISTRIBUTION = "distribution", _("Distribution")
    DEALERSHIP = "dealership", _("Dealership")


class SharingMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    PRICE_ADJUSTMENT = "price_adjustment", _("Price adjustment")
    PURCHASE_GUARANTEE = "purchase_guarantee", _("Purchase guarantee")
    VOLUME_INCREASE = "volume_increase", _("Volume increase")
    REVENUE_SHARE = "revenue_share", _("Revenue share")
    JOINT_IP = "joint_ip", _("Joint intellectual property")
    CONTRACT_EXTENSION = "contract_extension", _("Contract extension")


class SharingMethodWeight(Effective):
    method = models.CharField(_("sharing method"), max_length=32, choices=SharingMethod.choices)
    weight = models.DecimalField(_("weight"), **WEIGHT_FIELD, help_text=_("2 counts the amount double."))
    cash_equivalent = models.BooleanField(_("cash or cash-equivalent"), default=False)

    class Meta:
        ordering = ["method", "valid_from"]
        verbose_name = _("sharing method weight")
        verbose_name_plural = _("sharing method weights")
        constraints = [
            models.UniqueConstraint(fields=["method", "valid_from"], name="evaluations_weight_start_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="evaluations_weight_not_negative"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="evaluations_weight_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ×{self.weight.normalize():f} ({self.valid_from}–{self.valid_to or '…'})"

    def scope_fields(self) -> tuple[str, ...]:
        return ("method",)


class RecordStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted (awaiting confirmation)")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


def evidence_path(record: SharingRecord, filename: str) -> str:
    """A random name under MEDIA_ROOT/private/: what the company called the file never becomes a path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"private/evaluations/evidence/{uuid.uuid4().hex}{suffix}"


class SharingRecord(models.Model):
    principal = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sharing_records",
                                  verbose_name=_("principal company"))
    project = models.CharField(_("project"), max_length=200)
    transaction_type = models.CharField(_("transaction type"), max_length=32, choices=TransactionType.choices)
    goal = models.TextField(_("goal"))
    contract_date = models.DateField(_("contract date"),
                                     help_text=_("The record counts in the evaluation of this date's year."))
    registration_date = models.DateField(_("registration date"), default=timezone.localdate)
    outcome = models.TextField(_("outcome"), blank=True)
    sharing_method = models.CharField(_("sharing method"), max_length=32, choices=SharingMethod.choices)
    amount = models.BigIntegerField(_("amount (won)"), help_text=_("Whole won."))
    evidence_description = models.TextField(_("evidence"), help_text=_("What proves it: a description or a "
                                                                       "document reference."))
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True, max_length=200)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RecordStatus.choices,
                              default=RecordStatus.SUBMITTED, db_index=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was rejected."))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by_label = models.CharField(_("confirmed by"), max_length=150, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    created_by_label = models.CharField(_("registered by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-contract_date", "-pk"]
        verbose_name = _("performance-sharing record")
        verbose_name_plural = _("performance-sharing records")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="evaluations_record_amount_positive"),
            models.CheckConstraint(condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                                   name="evaluations_record_confirmed_dated"),
        ]
        indexes = [models.Index(fields=["principal", "contract_date"], name="evaluations_record_org_date")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.project} ({format_won(self.amount)})"

    @property
    def is_editable(self) -> bool:
        return self.status == RecordStatus.SUBMITTED


class PartnerTier(models.IntegerChoices):
    FIRST = 1, _("Tier 1")
    SECOND = 2, _("Tier 2")
    THIRD = 3, _("Tier 3")


class SharingPartner(models.Model):
    record = models.ForeignKey(SharingRecord, on_delete=models.CASCADE, related_name="partners",
                               verbose_name=_("record"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("partner"))
    tier = models.PositiveSmallIntegerField(_("tier"), choices=PartnerTier.choices)

    class Meta:
        ordering = ["tier", "organization__name_ko"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [models.UniqueConstraint(fields=["record", "organization"], name="evaluations_partner_once")]

    def __str__(self) -> str:
        return f"{self.organization.name_ko} ({self.get_tier_display()})"


class RecordAction(models.TextChoices):
    SUBMITTED = "submitted", _("Registered")
    EDITED = "edited", _("Edited")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class SharingRecordEvent(models.Model):
    """One change of a record, with who made it. Written once by the services."""

    record = models.ForeignKey(SharingRecord, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("record"))
    action = models.CharField(_("action"), max_length=16, choices=RecordAction.choices)
    status = models.CharField(_("status after"), max_length=16, choices=RecordStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    actor_label = models.CharField(_("by"), max_length=150)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("record event")
        verbose_name_plural = _("record events")

    def __str__(self) -> str:
        return f"#{self.record_id} {self.action} ({self.actor_label})"
