"""The win-win finance pool (상생금융, DOMAIN.md §1): contributions earmarked for guarantee institutions, the pool's
money transferred to them, and the guarantees they give the contributors' partner SMEs.

Design
- A `GuaranteeInstitution` (KODIT, KIBO, K-SURE) is a record seeded by a data migration, optionally linked to the
  `Organization` that stands for it (so its members could be given access later).
- A `GuaranteeProgram` is one contributor's partner-SME program at one institution. How much guarantee each won
  supports is a `LeverageRule` — effective-dated configuration (a multiple such as 12.5×, `valid_from`/`valid_to`),
  never a literal in code; the rules of one program never overlap, so a day has at most one multiple in force.
- An `Earmark` ties one contribution to the `wwfp` fund (one earmark per contribution) to a program of the same
  contributor: the whole contribution is earmarked for that program's institution. The contributions app is left
  untouched; only contributions it counts as received (confirmed or matched) can be transferred.
- A `GuaranteeTransfer` moves pool money to the institution for a program: Dr guarantee-support expense (5300) /
  Cr cash (1110) on the wwfp ledger, naming the contributor. A contributor's transfers to an institution never
  exceed its received, earmarked money for that institution (checked under row locks in `services`).
- A `Guarantee` is issued under a program to one of the contributor's `partner_smes`. While it is `active` its
  amount is outstanding exposure; a program's outstanding exposure never exceeds the money transferred to it times
  the multiple in force (checked under the program's row lock). Every change of status writes a `GuaranteeEvent`
  (append-only) in the same transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.contributions.models import Contribution
from apps.core.locks import serialize_on
from apps.ledger.models import AppendOnlyModel, JournalEntry
from apps.organizations.models import Organization

POOL_FUND_CODE = "wwfp"  # the win-win finance pool's fund


class GuaranteeInstitution(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="guarantee_institution", verbose_name=_("organisation"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("guarantee institution")
        verbose_name_plural = _("guarantee institutions")

    def __str__(self) -> str:
        return f"{self.name_ko} ({self.code.upper()})"


class GuaranteeProgram(models.Model):
    institution = models.ForeignKey(GuaranteeInstitution, on_delete=models.PROTECT, related_name="programs",
                                    verbose_name=_("guarantee institution"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="guarantee_programs",
                                     verbose_name=_("contributing organisation"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["institution_id", "organization_id", "name"]
        verbose_name = _("guarantee program")
        verbose_name_plural = _("guarantee programs")
        constraints = [
            models.UniqueConstraint(fields=["institution", "organization", "name"], name="guarantees_program_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution.code.upper()})"


class LeverageRuleQuerySet(models.QuerySet):
    def valid_on(self, day) -> LeverageRuleQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class LeverageRule(models.Model):
    program = models.ForeignKey(GuaranteeProgram, on_delete=models.PROTECT, related_name="leverage_rules",
                                verbose_name=_("program"))
    multiple = models.DecimalField(_("leverage multiple"), max_digits=9, decimal_places=4,
                                   help_text=_("Won of guarantee each transferred won supports: 12.5 is 12.5×."))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("The last day it applies; empty while it has no end."))

    objects = LeverageRuleQuerySet.as_manager()

    class Meta:
        ordering = ["program_id", "valid_from"]
        verbose_name = _("leverage rule")
        verbose_name_plural = _("leverage rules")
        constraints = [
            models.UniqueConstraint(fields=["program", "valid_from"], name="guarantees_leverage_start_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="guarantees_leverage_dates_in_order"),
            models.CheckConstraint(condition=Q(multiple__gt=0), name="guarantees_leverage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.multiple_text}× ({self.valid_from}–{self.valid_to or '…'})"

    def clean(self) -> None:
        super().clean()
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The last day cannot come before the first.")})
        if not (self.program_id and self.valid_from):
            return
        # Two administrators adding overlapping rules at once: the second waits here until the first commits (the
        # admin validates and saves in one transaction), then sees its rule and is refused.
        serialize_on(f"guarantees-leverage-rule:{self.program_id}")
        others = LeverageRule.objects.filter(Q(program_id=self.program_id),
                                             Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        other = others.exclude(pk=self.pk).order_by("valid_from").first()
        if other is not None:
            raise ValidationError({"valid_from": _(
                "These dates overlap the rule %(rule)s: end that rule first, or start this one after it."
            ) % {"rule": other}})

    @property
    def multiple_text(self) -> str:
        """12.5 rather than 12.5000 (and 10 rather than 1E+1)."""
        return f"{self.multiple.normalize():f}"

    def capacity(self, transferred: int) -> int:
        """floor(transferred × multiple) in exact integers: the guarantees that money may support."""
        num, den = Decimal(self.multiple).as_integer_ratio()
        return transferred * num // den


class Earmark(models.Model):
    contribution = models.OneToOneField(Contribution, on_delete=models.PROTECT, related_name="guarantee_earmark",
                                        verbose_name=_("contribution"))
    program = models.ForeignKey(GuaranteeProgram, on_delete=models.PROTECT, related_name="earmarks",
                                verbose_name=_("program"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_by_label = models.CharField(_("created by (label)"), max_length=150)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("earmark")
        verbose_name_plural = _("earmarks")

    def __str__(self) -> str:
        return f"#{self.contribution_id} → {self.program}"


class GuaranteeTransfer(models.Model):
    program = models.ForeignKey(GuaranteeProgram, on_delete=models.PROTECT, related_name="transfers",
                                verbose_name=_("program"))
    amount = models.BigIntegerField(_("amount (won)"), help_text=_("Whole won."))
    transfer_date = models.DateField(_("transfer date"))
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("ledger entry"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by_label = models.CharField(_("transferred by"), max_length=150)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-transfer_date", "-pk"]
        verbose_name = _("transfer to a guarantee institution")
        verbose_name_plural = _("transfers to guarantee institutions")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="guarantees_transfer_positive")]

    def __str__(self) -> str:
        return f"{self.program} {self.amount:,}원 ({self.transfer_date})"

    @property
    def reference(self) -> str:
        return f"guarantee-transfer:{self.idempotency_key}"


class GuaranteeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REPAID = "repaid", _("Repaid")
    CALLED = "called", _("Called")
    CANCELLED = "cancelled", _("Cancelled")


# The statuses a guarantee may move to from each status; an ended guarantee stays ended.
TRANSITIONS = {
    GuaranteeStatus.ACTIVE: (GuaranteeStatus.REPAID, GuaranteeStatus.CALLED, GuaranteeStatus.CANCELLED),
}


class Guarantee(models.Model):
    program = models.ForeignKey(GuaranteeProgram, on_delete=models.PROTECT, related_name="guarantees",
                                verbose_name=_("program"))
    sme = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="guarantees_received",
                            verbose_name=_("SME"))
    amount = models.BigIntegerField(_("amount (won)"), help_text=_("Whole won."))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    issue_date = models.DateField(_("issue date"))
    maturity_date = models.DateField(_("maturity date"))
    status = models.CharField(_("status"), max_length=16, choices=GuaranteeStatus.choices,
                              default=GuaranteeStatus.ACTIVE, db_index=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by_label = models.CharField(_("recorded by"), max_length=150)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("guarantee")
        verbose_name_plural = _("guarantees")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="guarantees_guarantee_positive"),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="guarantees_guarantee_term_positive"),
            models.CheckConstraint(condition=Q(maturity_date__gt=F("issue_date")),
                                   name="guarantees_guarantee_matures_after_issue"),
        ]
        indexes = [models.Index(fields=["program", "status"], name="guarantees_program_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.sme.name_ko} {self.amount:,}원"


class GuaranteeEvent(AppendOnlyModel):
    """One change of a guarantee's status, with who made it and why. Written once, never changed."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.PROTECT, related_name="events",
                                  verbose_name=_("guarantee"))
    from_status = models.CharField(_("from"), max_length=16, choices=GuaranteeStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=GuaranteeStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    actor_label = models.CharField(_("actor"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["guarantee_id", "at", "pk"]
        verbose_name = _("guarantee event")
        verbose_name_plural = _("guarantee events")

    def __str__(self) -> str:
        return f"#{self.guarantee_id} {self.from_status or '—'} → {self.to_status}"
