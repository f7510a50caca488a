"""Corporate-tax credits on contributions (DOMAIN.md §3), their rules, and the statements issued from them.

Design
- A `TaxCreditRule` is effective-dated configuration an administrator edits: a kind of credit (art. 8-3 win-win
  fund contribution, art. 7-4 win-win payment, Trade Insurance Fund contribution), a rate, and the days it applies
  (`valid_from`, and `valid_to` inclusive: the sunset). Two rules of the same kind never overlap, so a date has at
  most one rule in force; a rate or sunset change ends the old row and starts a new one. `TaxCreditBand` holds the
  art. 7-4 rates by days from invoice to due date, for the win-win payment credit to come.
- Credits are never stored per contribution: `selectors` compute them, exactly, from the contribution and the rule
  in force on its date (`floor(base × rate)` in whole won, the related-party part left out of the base).
- A `TaxCreditStatement` is what the fund issued to an organisation for a tax year: the computed lines (with the
  rate each used) and totals, frozen as issued, so a later change of rule never alters it. Issuing again adds a new
  version and keeps the old ones.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.locks import serialize_on
from apps.organizations.models import Organization


class CreditKind(models.TextChoices):
    WIN_WIN_FUND_CONTRIBUTION = "win_win_fund_contribution", _("Win-win fund contribution (art. 8-3)")
    WIN_WIN_PAYMENT = "win_win_payment", _("Win-win payment (art. 7-4)")
    TRADE_INSURANCE_FUND = "trade_insurance_fund", _("Trade Insurance Fund contribution")


class TaxCreditRuleQuerySet(models.QuerySet):
    def valid_on(self, day, kind: str) -> TaxCreditRuleQuerySet:
        return self.filter(Q(kind=kind), Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def overlapping(self, kind: str, valid_from, valid_to) -> TaxCreditRuleQuerySet:
        """Rules of `kind` sharing at least one day with [valid_from, valid_to] (an empty end runs for ever)."""
        rules = self.filter(Q(kind=kind), Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        return rules if valid_to is None else rules.filter(valid_from__lte=valid_to)


RATE_FIELD = {"max_digits": 7, "decimal_places": 6}


class TaxCreditRule(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=CreditKind.choices)
    rate = models.DecimalField(_("rate"), **RATE_FIELD, help_text=_("A fraction: 0.10 is 10 %."))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("The last day it applies (the sunset); empty while it has no end."))
    description = models.TextField(_("description"), blank=True)

    objects = TaxCreditRuleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "valid_from"]
        verbose_name = _("tax-credit rule")
        verbose_name_plural = _("tax-credit rules")
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="taxcredits_rule_start_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="taxcredits_rule_dates_in_order"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=1), name="taxcredits_rule_rate_range"),
        ]

    def __str__(self) -> str:
        end = self.valid_to or "…"
        return f"{self.get_kind_display()} {self.rate_percent} ({self.valid_from}–{end})"

    @property
    def rate_percent(self) -> str:
        return f"{(self.rate * 100).normalize():f} %"

    def first_overlapping(self) -> TaxCreditRule | None:
        """Another rule of the same kind that shares a day with this one, if any."""
        if not (self.kind and self.valid_from) or (self.valid_to is not None and self.valid_to < self.valid_from):
            return None
        # Two rules of one kind added at once: the second waits here until the first commits, then sees it.
        serialize_on(f"taxcredit-rule:{self.kind}")
        clash = TaxCreditRule.objects.overlapping(self.kind, self.valid_from, self.valid_to).exclude(pk=self.pk)
        return clash.order_by("valid_from").first()

    def overlap_message(self, other: TaxCreditRule) -> str:
        return str(_("These dates overlap the rule %(rule)s: end that rule first, or start this one after it.")
                   % {"rule": other})

    def clean(self) -> None:
        super().clean()
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The last day cannot come before the first.")})
        other = self.first_overlapping()
        if other is not None:
            raise ValidationError({"valid_from": self.overlap_message(other)})


class TaxCreditBand(models.Model):
    """One band of a rule by days from invoice to due date (art. 7-4): up to `max_days`, `rate` applies."""

    rule = models.ForeignKey(TaxCreditRule, on_delete=models.CASCADE, related_name="bands", verbose_name=_("rule"))
    max_days = models.PositiveIntegerField(_("up to days"))
    rate = models.DecimalField(_("rate"), **RATE_FIELD)

    class Meta:
        ordering = ["rule_id", "max_days"]
        verbose_name = _("tax-credit band")
        verbose_name_plural = _("tax-credit bands")
        constraints = [
            models.UniqueConstraint(fields=["rule", "max_days"], name="taxcredits_band_unique"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=1), name="taxcredits_band_rate_range"),
        ]

    def __str__(self) -> str:
        return f"≤ {self.max_days} d: {(self.rate * Decimal(100)).normalize():f} %"


class TaxCreditStatement(models.Model):
    """An issued statement, frozen: `lines` keeps each contribution's figures and the rate it used."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="tax_credit_statements",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=32, choices=CreditKind.choices,
                            default=CreditKind.WIN_WIN_FUND_CONTRIBUTION)
    year = models.PositiveSmallIntegerField(_("tax year"))
    version = models.PositiveIntegerField(_("version"))
    lines = models.JSONField(_("lines"), default=list)
    total_amount = models.BigIntegerField(_("contributed (won)"))
    total_excluded = models.BigIntegerField(_("related-party part (won)"))
    total_base = models.BigIntegerField(_("base (won)"))
    total_credit = models.BigIntegerField(_("credit (won)"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    issued_by_label = models.CharField(_("issued by (label)"), max_length=150)

    class Meta:
        ordering = ["organization_id", "kind", "year", "version"]
        verbose_name = _("tax-credit statement")
        verbose_name_plural = _("tax-credit statements")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "year", "version"],
                                    name="taxcredits_statement_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name_ko} {self.year} v{self.version}"

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("issued statements are kept; issue a new version instead", {self})
