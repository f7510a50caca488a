"""Government matching of contributions (DOMAIN.md §4): the rules, the annual budgets, and one match per
contribution.

Design
- A `MatchingRule` is effective-dated configuration per fund, optionally narrowed to one program (`program` equal
  to the contribution's): the government's ratio (1.0 is 1 : 1, 0.3 is 30 won per 100 contributed), an optional
  maximum government share of the total (0.3: the government pays at most 30 % of contribution + match), an
  optional per-recipient cap (whole won per contributing organisation and year), and whether only cash counts
  (every contribution is received in cash today — confirmation debits the fund's cash — so `cash_only` refuses
  nothing until in-kind contributions are recorded).
  Rules of one fund and program never overlap, so a contribution's date has at most one rule in force; a program
  rule wins over the fund-wide one (empty program).
- A `MatchingBudget` is the government's money for a fund (and program, empty for fund-wide) in a year, in whole
  won. A rule draws on the budget of its fund and program for the year of the contribution date (the rule's annual
  budget link). `matched_total` grows in the same transaction as each match, under the budget row's lock, and a
  `CheckConstraint` makes the database itself refuse a total above the amount: the budget is never overspent,
  whatever runs at once.
- A `Match` is the outcome of matching one contribution, written once (one-to-one, so a contribution is matched
  exactly once): the rule and budget used, what the rule asked for (`requested`), what was granted (`matched`, less
  when a limit bit, possibly 0) and why it is less (`reason`). A granted amount is posted to the fund's ledger
  (Dr matching receivable / Cr matching revenue, naming the contributor) and the contribution becomes `matched`; a
  zero match posts nothing and leaves the contribution `confirmed`, its match row saying why.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.contributions.models import Contribution
from apps.core.locks import serialize_on
from apps.funds.models import Fund
from apps.ledger.models import JournalEntry

RATIO_FIELD = {"max_digits": 9, "decimal_places": 6}


class MatchingRuleQuerySet(models.QuerySet):
    def valid_on(self, day) -> MatchingRuleQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def overlapping(self, fund_id: int, program: str, valid_from, valid_to) -> MatchingRuleQuerySet:
        """Rules of the fund and program sharing at least one day with [valid_from, valid_to]."""
        rules = self.filter(Q(fund_id=fund_id), Q(program=program),
                            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        return rules if valid_to is None else rules.filter(valid_from__lte=valid_to)


class MatchingRule(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="matching_rules", verbose_name=_("fund"))
    program = models.CharField(_("program"), max_length=200, blank=True,
                               help_text=_("Only contributions to this program; empty for the whole fund."))
    ratio = models.DecimalField(_("government ratio"), **RATIO_FIELD,
                                help_text=_("Government won per contributed won: 1.0 is 1 : 1."))
    max_share = models.DecimalField(_("maximum government share"), **RATIO_FIELD, null=True, blank=True,
                                    help_text=_("Of contribution + match: 0.3 is at most 30 %. Empty: no limit."))
    recipient_cap = models.BigIntegerField(_("cap per organisation and year (won)"), null=True, blank=True,
                                           help_text=_("Whole won per contributing organisation. Empty: no cap."))
    cash_only = models.BooleanField(_("cash only"), default=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("The last day it applies; empty while it has no end."))
    description = models.TextField(_("description"), blank=True)

    objects = MatchingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["fund_id", "program", "valid_from"]
        verbose_name = _("matching rule")
        verbose_name_plural = _("matching rules")
        constraints = [
            models.UniqueConstraint(fields=["fund", "program", "valid_from"], name="matching_rule_start_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="matching_rule_dates_in_order"),
            models.CheckConstraint(condition=Q(ratio__gte=0), name="matching_rule_ratio_not_negative"),
            models.CheckConstraint(condition=Q(max_share__isnull=True) | (Q(max_share__gt=0) & Q(max_share__lte=1)),
                                   name="matching_rule_share_range"),
            models.CheckConstraint(condition=Q(recipient_cap__isnull=True) | Q(recipient_cap__gte=0),
                                   name="matching_rule_cap_not_negative"),
        ]

    def __str__(self) -> str:
        scope = f"{self.fund.code}/{self.program}" if self.program else self.fund.code
        return f"{scope} 1 : {self.ratio.normalize():f} ({self.valid_from}–{self.valid_to or '…'})"

    def clean(self) -> None:
        super().clean()
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The last day cannot come before the first.")})
        if not (self.fund_id and self.valid_from):
            return
        # Two administrators adding overlapping rules at once: the second waits here until the first commits
        # (the admin validates and saves in one transaction), then sees its rule and is refused.
        serialize_on(f"matching-rule:{self.fund_id}:{self.program}")
        other = (MatchingRule.objects.overlapping(self.fund_id, self.program, self.valid_from, self.valid_to)
                 .exclude(pk=self.pk).order_by("valid_from").first())
        if other is not None:
            raise ValidationError({"valid_from": _(
                "These dates overlap the rule %(rule)s: end that rule first, or start this one after it."
            ) % {"rule": other}})

    def share_limit(self, amount: int) -> int | None:
        """The most the government may add to `amount` so that its share of the total stays ≤ `max_share`:
        floor(amount × s / (1 − s)), in exact integers; None when there is no limit (or s = 1)."""
        if self.max_share is None or self.max_share >= 1:
            return None
        num, den = Decimal(self.max_share).as_integer_ratio()
        return amount * num // (den - num)


class MatchingBudget(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="matching_budgets", verbose_name=_("fund"))
    program = models.CharField(_("program"), max_length=200, blank=True,
                               help_text=_("The program whose rules draw on it; empty for the fund-wide rule."))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("budget (won)"), help_text=_("Whole won."))
    matched_total = models.BigIntegerField(_("matched (won)"), default=0, editable=False)

    class Meta:
        ordering = ["fund_id", "program", "year"]
        verbose_name = _("matching budget")
        verbose_name_plural = _("matching budgets")
        constraints = [
            models.UniqueConstraint(fields=["fund", "program", "year"], name="matching_budget_unique"),
            models.CheckConstraint(condition=Q(matched_total__gte=0), name="matching_budget_matched_not_negative"),
            # The last line of defence: whatever the code does, the database refuses to overspend a budget.
            models.CheckConstraint(condition=Q(matched_total__lte=F("amount")), name="matching_budget_not_overspent"),
        ]

    def __str__(self) -> str:
        scope = f"{self.fund.code}/{self.program}" if self.program else self.fund.code
        return f"{scope} {self.year}: {self.matched_total:,} / {self.amount:,}원"

    def clean(self) -> None:
        super().clean()
        if self.amount is not None and self.amount < self.matched_total:
            raise ValidationError({"amount": _("This budget has already matched %(won)s won; it cannot be less.")
                                   % {"won": f"{self.matched_total:,}"}})

    @property
    def remaining(self) -> int:
        return self.amount - self.matched_total


class MatchReason(models.TextChoices):
    FULL = "", _("Matched in full")
    MAX_SHARE = "max_share", _("Limited by the maximum government share")
    RECIPIENT_CAP = "recipient_cap", _("Limited by the cap per organisation and year")
    BUDGET_SHORT = "budget_short", _("Partly matched: the budget ran short")
    BUDGET_EXHAUSTED = "budget_exhausted", _("Not matched: the budget is exhausted")
    NO_BUDGET = "no_budget", _("Not matched: no budget for that year")
    NO_RULE = "no_rule", _("Not matched: no rule in force")


class Match(models.Model):
    contribution = models.OneToOneField(Contribution, on_delete=models.PROTECT, related_name="match",
                                        verbose_name=_("contribution"))
    rule = models.ForeignKey(MatchingRule, on_delete=models.PROTECT, null=True, blank=True, related_name="matches",
                             verbose_name=_("rule"))
    budget = models.ForeignKey(MatchingBudget, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="matches", verbose_name=_("budget"))
    requested = models.BigIntegerField(_("requested (won)"), help_text=_("floor(amount × ratio)."))
    matched = models.BigIntegerField(_("matched (won)"))
    reason = models.CharField(_("reason"), max_length=32, choices=MatchReason.choices, blank=True)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("ledger entry"))
    actor_label = models.CharField(_("matched by"), max_length=150)
    created_at = models.DateTimeField(_("matched at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.CheckConstraint(condition=Q(matched__gte=0) & Q(matched__lte=F("requested")),
                                   name="matching_match_within_request"),
            models.CheckConstraint(condition=Q(matched=0) | Q(entry__isnull=False),
                                   name="matching_match_posted"),
        ]

    def __str__(self) -> str:
        return f"#{self.contribution_id}: {self.matched:,} / {self.requested:,}원"
