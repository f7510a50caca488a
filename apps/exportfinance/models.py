"""The Strategic Export Finance Fund (DOMAIN.md §6): export projects, their disbursements and repayments, the
profit the beneficiaries report, and the share of it recycled into the wider ecosystem.

Design
- An `ExportProject` is one financing of the sef fund: the beneficiary company, a loan or an investment, the amount
  committed, its term and start. `disbursed_total` and `repaid_total` are kept by the services in the same
  transaction as each movement, under the project row's lock, and `CheckConstraint`s make the database itself
  refuse a disbursed total above the commitment or a repaid total above what was disbursed.
- A `Disbursement` (Dr loans receivable 1310, or project investments 1330 for an investment / Cr cash 1110) and a
  `Repayment` (Dr cash / Cr the same principal account) each point at the ledger entry they caused, naming the
  beneficiary as the lines' party. Each carries the idempotency key it was made with: a retry returns it.
- A `RecyclingRule` is effective-dated configuration ([config] in DOMAIN.md): the levy rate, its base (operating
  or net profit attributable to the project), the days after the period's end the share falls due, the part
  channelled to the ecosystem and the destination fund (a fund code, `wwcf` by default). The rule in force on the
  last day of a period applies to it. Rules never overlap.
- A `ProfitReport` is what a beneficiary reports for one project and period (a year, its halves or quarters). It is
  never edited: a correction is a new report that `supersedes` the current one, with a reason. The database allows
  one first report per project and period, and each report to be superseded once, so the current report of a
  period is the one nobody superseded.
- A `ProfitShare` is the levy of one project and period, unique per project and period: floor(base × rate) of the
  current report, posted as a receivable (Dr 1320 / Cr recycled-profit revenue 4300). A correction posts only the
  difference. On receipt (Dr cash / Cr 1320) the rule's part is split off (parts add back to the won) and channelled
  to the destination fund by an inter-fund transfer: a due-to in sef and the matching due-from in the destination.
  Settling it in cash is a second transfer (sef pays its due-to from cash; the destination's due-from becomes cash).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.locks import serialize_on
from apps.funds import chart
from apps.funds.models import Fund
from apps.ledger.models import JournalEntry
from apps.organizations.models import Organization

RATIO_FIELD = {"max_digits": 9, "decimal_places": 6}
SEF = "sef"


class FinancingType(models.TextChoices):
    LOAN = "loan", _("Loan")
    INVESTMENT = "investment", _("Investment")


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ExportProject(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="export_projects", verbose_name=_("fund"))
    beneficiary = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="export_projects",
                                    verbose_name=_("beneficiary"))
    name = models.CharField(_("project name"), max_length=200)
    financing_type = models.CharField(_("financing type"), max_length=16, choices=FinancingType.choices)
    committed = models.BigIntegerField(_("committed (won)"), help_text=_("Whole won."))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    start_date = models.DateField(_("start date"))
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    disbursed_total = models.BigIntegerField(_("disbursed (won)"), default=0, editable=False)
    repaid_total = models.BigIntegerField(_("repaid (won)"), default=0, editable=False)
    created_by = models.CharField(_("created by"), max_length=150, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("export project")
        verbose_name_plural = _("export projects")
        constraints = [
            models.CheckConstraint(condition=Q(committed__gt=0), name="exportfinance_project_committed_positive"),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="exportfinance_project_term_positive"),
            # The last line of defence: whatever the code does, never more out than committed, nor more back than out.
            models.CheckConstraint(condition=Q(disbursed_total__gte=0) & Q(disbursed_total__lte=F("committed")),
                                   name="exportfinance_project_within_commitment"),
            models.CheckConstraint(condition=Q(repaid_total__gte=0) & Q(repaid_total__lte=F("disbursed_total")),
                                   name="exportfinance_project_repaid_within_disbursed"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.beneficiary.name_ko})"

    @property
    def outstanding(self) -> int:
        return self.disbursed_total - self.repaid_total

    @property
    def undisbursed(self) -> int:
        return self.committed - self.disbursed_total

    @property
    def principal_account_code(self) -> str:
        """Where the money lent or invested sits in the fund's books."""
        return chart.LOANS_RECEIVABLE if self.financing_type == FinancingType.LOAN else chart.PROJECT_INVESTMENTS

    @property
    def reference(self) -> str:
        return f"export-project:{self.pk}"


class Movement(models.Model):
    """What disbursements and repayments share: an amount on a day, the entry it caused, and who made it."""

    amount = models.BigIntegerField(_("amount (won)"))
    effective_date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("ledger entry"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    payload_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("by"))
    actor_label = models.CharField(_("by"), max_length=150)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-effective_date", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.effective_date} {self.amount:,}원"


class Disbursement(Movement):
    project = models.ForeignKey(ExportProject, on_delete=models.PROTECT, related_name="disbursements",
                                verbose_name=_("project"))

    class Meta(Movement.Meta):
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="exportfinance_disbursement_positive")]


class Repayment(Movement):
    project = models.ForeignKey(ExportProject, on_delete=models.PROTECT, related_name="repayments",
                                verbose_name=_("project"))

    class Meta(Movement.Meta):
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="exportfinance_repayment_positive")]


# Recycling configuration


class ProfitBase(models.TextChoices):
    OPERATING_PROFIT = "operating_profit", _("Operating profit attributable to the project")
    NET_PROFIT = "net_profit", _("Net profit attributable to the project")


class RecyclingRuleQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> RecyclingRuleQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def overlapping(self, valid_from: date, valid_to: date | None) -> RecyclingRuleQuerySet:
        rules = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        return rules if valid_to is None else rules.filter(valid_from__lte=valid_to)


class RecyclingRule(models.Model):
    rate = models.DecimalField(_("levy rate"), **RATIO_FIELD, help_text=_("Of the base: 0.1 is 10 %."))
    base = models.CharField(_("base"), max_length=32, choices=ProfitBase.choices,
                            default=ProfitBase.OPERATING_PROFIT)
    due_days = models.PositiveSmallIntegerField(_("due (days after the period's end)"))
    channel_share = models.DecimalField(_("part channelled to the ecosystem"), **RATIO_FIELD,
                                        help_text=_("Of what is received: 1 is all of it, 0.5 half."))
    destination_fund = models.SlugField(_("destination fund (code)"), max_length=32, default="wwcf",
                                        help_text=_("The fund the channelled part goes to, e.g. wwcf."))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("The last day it applies; empty while it has no end."))
    description = models.TextField(_("description"), blank=True)

    objects = RecyclingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("recycling rule")
        verbose_name_plural = _("recycling rules")
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="exportfinance_rule_start_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="exportfinance_rule_dates_in_order"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=1), name="exportfinance_rule_rate_range"),
            models.CheckConstraint(condition=Q(channel_share__gte=0) & Q(channel_share__lte=1),
                                   name="exportfinance_rule_channel_range"),
        ]

    def __str__(self) -> str:
        return f"{self.rate * 100:.2f} % ({self.valid_from}–{self.valid_to or '…'})"

    def clean(self) -> None:
        super().clean()
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The last day cannot come before the first.")})
        if self.destination_fund and not Fund.objects.filter(code=self.destination_fund).exclude(code=SEF).exists():
            raise ValidationError({"destination_fund": _("Name another existing fund, e.g. wwcf.")})
        if not self.valid_from:
            return
        # Two administrators adding overlapping rules at once: the second waits here until the first commits (the
        # admin validates and saves in one transaction), then sees its rule and is refused.
        serialize_on("exportfinance-recycling-rule")
        other = (RecyclingRule.objects.overlapping(self.valid_from, self.valid_to).exclude(pk=self.pk)
                 .order_by("valid_from").first())
        if other is not None:
            raise ValidationError({"valid_from": _(
                "These dates overlap the rule %(rule)s: end that rule first, or start this one after it."
            ) % {"rule": other}})


# Reports and shares


class Period(models.TextChoices):
    YEAR = "FY", _("Whole year")
    H1 = "H1", _("First half")
    H2 = "H2", _("Second half")
    Q1 = "Q1", _("First quarter")
    Q2 = "Q2", _("Second quarter")
    Q3 = "Q3", _("Third quarter")
    Q4 = "Q4", _("Fourth quarter")


# (first month, last month) of each period
PERIOD_MONTHS = {"FY": (1, 12), "H1": (1, 6), "H2": (7, 12), "Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9),
                 "Q4": (10, 12)}


def period_bounds(year: int, period: str) -> tuple[date, date]:
    """The first and the last day of a reporting period."""
    first, last = PERIOD_MONTHS[period]
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


class PeriodMixin(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=2, choices=Period.choices)

    class Meta:
        abstract = True

    @property
    def period_label(self) -> str:
        return f"{self.year} {self.period}"

    @property
    def period_end(self) -> date:
        return period_bounds(self.year, self.period)[1]


class ProfitReport(PeriodMixin):
    project = models.ForeignKey(ExportProject, on_delete=models.PROTECT, related_name="profit_reports",
                                verbose_name=_("project"))
    operating_profit = models.BigIntegerField(_("operating profit attributable to the project (won)"),
                                              help_text=_("Whole won; negative for a loss."))
    net_profit = models.BigIntegerField(_("net profit attributable to the project (won)"),
                                        help_text=_("Whole won; negative for a loss."))
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name=_("supersedes"))
    reason = models.TextField(_("reason for the correction"), blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    payload_hash = models.CharField(max_length=64, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    actor_label = models.CharField(_("submitted by"), max_length=150)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-period", "-pk"]
        verbose_name = _("profit report")
        verbose_name_plural = _("profit reports")
        constraints = [
            # One first report per project and period; every later one supersedes the current one.
            models.UniqueConstraint(fields=["project", "year", "period"], condition=Q(supersedes__isnull=True),
                                    name="exportfinance_report_first_unique"),
            models.CheckConstraint(condition=Q(supersedes__isnull=True) | ~Q(reason=""),
                                   name="exportfinance_report_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.project.name} {self.period_label}"

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "superseded_by")


class ShareStatus(models.TextChoices):
    DUE = "due", _("Due")
    NOTHING_DUE = "nothing_due", _("Nothing due")
    RECEIVED = "received", _("Received")
    CHANNELLED = "channelled", _("Received and channelled")


SETTLED = (ShareStatus.RECEIVED, ShareStatus.CHANNELLED)


class ProfitShare(PeriodMixin):
    project = models.ForeignKey(ExportProject, on_delete=models.PROTECT, related_name="profit_shares",
                                verbose_name=_("project"))
    report = models.ForeignKey(ProfitReport, on_delete=models.PROTECT, related_name="shares",
                               verbose_name=_("from report"))
    rule = models.ForeignKey(RecyclingRule, on_delete=models.PROTECT, related_name="shares", verbose_name=_("rule"))
    base_amount = models.BigIntegerField(_("base (won)"))
    rate = models.DecimalField(_("levy rate"), **RATIO_FIELD)
    amount_due = models.BigIntegerField(_("due (won)"), help_text=_("floor(base × rate)."))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=ShareStatus.choices, default=ShareStatus.DUE)
    received = models.BigIntegerField(_("received (won)"), default=0)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    receipt_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("receipt entry"))
    channelled = models.BigIntegerField(_("channelled (won)"), default=0)
    retained = models.BigIntegerField(_("retained (won)"), default=0)
    destination_fund = models.SlugField(_("destination fund"), max_length=32, blank=True)
    channel_source_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                                related_name="+", verbose_name=_("due-to entry (sef)"))
    channel_target_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                                related_name="+", verbose_name=_("due-from entry (destination)"))
    settled_on = models.DateField(_("settled in cash on"), null=True, blank=True)
    settle_source_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="+", verbose_name=_("settlement entry (sef)"))
    settle_target_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="+", verbose_name=_("settlement entry (destination)"))
    assessed_by = models.CharField(_("assessed by"), max_length=150)
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    received_by = models.CharField(_("receipt recorded by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-year", "-period", "-pk"]
        verbose_name = _("profit share")
        verbose_name_plural = _("profit shares")
        constraints = [
            # Exactly once per project and period, whatever runs at the same time.
            models.UniqueConstraint(fields=["project", "year", "period"], name="exportfinance_share_unique"),
            models.CheckConstraint(condition=Q(amount_due__gte=0) & Q(base_amount__gte=0),
                                   name="exportfinance_share_not_negative"),
            models.CheckConstraint(condition=Q(received=0) | Q(received=F("amount_due")),
                                   name="exportfinance_share_received_in_full"),
            models.CheckConstraint(condition=Q(channelled__gte=0) & Q(retained__gte=0)
                                   & Q(received=F("channelled") + F("retained")),
                                   name="exportfinance_share_split_adds_back"),
        ]

    def __str__(self) -> str:
        return f"{self.project.name} {self.period_label}: {self.amount_due:,}원"

    @property
    def outstanding(self) -> int:
        return self.amount_due - self.received

    @property
    def reference(self) -> str:
        return f"profit-share:{self.project_id}:{self.year}{self.period}"
