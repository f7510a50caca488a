"""Joint overseas expansion grants of the win-win cooperation fund (DOMAIN.md §5): a large company and its partner
SMEs enter a market together, and the fund supports each SME within caps.

Design
- An `ExpansionProject` is proposed by a large company (the lead) with its participating SMEs (`Participation`), a
  target country (ISO 3166-1 alpha-2, never Korea), a total project cost in whole won and a period. A fund
  administrator approves or rejects it; only an approved project receives awards.
- An `Award` is the fund's decision to support one participating SME with an amount, dated on its award date. It is
  an encumbrance: approving it creates a ledger hold on the fund's ledger (Dr grant expense 5100 / Cr cash 1110,
  naming the SME), which reserves the fund's cash so that cash can never be promised twice. Each `Tranche` paid
  posts that part of the hold (grant expense and cash move); cancelling an award voids what the hold still
  reserves. `paid` grows with each tranche under the award's lock; a `CheckConstraint` keeps it within the amount.
- Caps are effective-dated configuration, never literals: a `GrantCapRule` per country scope (the United States,
  or every other country) gives the cap per SME over a window (n fiscal years, or a rolling n × 12 months), and a
  `GrantShareRule` the largest share of a project's total cost the government may support (60 %). The rule in
  force on the award date applies. What counts against a cap is every award of the SME in the window, in any
  country: its amount while it stands, only what was paid once it is cancelled. Both are checked when an award is
  approved and again when a tranche is paid (a rule lowered meanwhile stops further payments beyond it), under row
  locks taken in one order: project, then the SME, then the award (see `services`).
- Every change of status of a project or an award writes a `GrantEvent` (who, when, from, to, why) in the same
  transaction; events are never changed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.funds.models import Fund
from apps.ledger.models import AppendOnlyModel, Hold, JournalEntry
from apps.organizations.models import Organization

from .countries import country_name, validate_country

RATIO_FIELD = {"max_digits": 9, "decimal_places": 6}
UNITED_STATES = "US"


class CountryScope(models.TextChoices):
    UNITED_STATES = "us", _("United States")
    OTHER = "other", _("All other countries")

    @classmethod
    def of(cls, country: str) -> CountryScope:
        return cls.UNITED_STATES if country.upper() == UNITED_STATES else cls.OTHER


class CapWindow(models.TextChoices):
    FISCAL_YEARS = "fiscal_years", _("Fiscal years")
    ROLLING_MONTHS = "rolling_months", _("Rolling months")


class EffectiveQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def overlapping(self, valid_from, valid_to, **scope):
        rules = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from), **scope)
        return rules if valid_to is None else rules.filter(valid_from__lte=valid_to)


class EffectiveDated(models.Model):
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("The last day it applies; empty while it has no end."))
    description = models.TextField(_("description"), blank=True)

    objects = EffectiveQuerySet.as_manager()
    scope_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The last day cannot come before the first.")})
        if not self.valid_from:
            return
        scope = {name: getattr(self, name) for name in self.scope_fields}
        other = (type(self).objects.overlapping(self.valid_from, self.valid_to, **scope).exclude(pk=self.pk)
                 .order_by("valid_from").first())
        if other is not None:
            raise ValidationError({"valid_from": _(
                "These dates overlap the rule %(rule)s: end that rule first, or start this one after it."
            ) % {"rule": other}})


class GrantCapRule(EffectiveDated):
    """The most one SME may be awarded over a window, for projects in one country scope."""

    scope = models.CharField(_("country scope"), max_length=8, choices=CountryScope.choices)
    cap = models.BigIntegerField(_("cap per SME (won)"), help_text=_("Whole won over the window."))
    window_length = models.PositiveSmallIntegerField(_("window (years)"), default=3)
    window_kind = models.CharField(_("window kind"), max_length=16, choices=CapWindow.choices,
                                   default=CapWindow.FISCAL_YEARS,
                                   help_text=_("Fiscal years (calendar years), or a rolling 12 × n months."))

    scope_fields = ("scope",)

    class Meta:
        ordering = ["scope", "valid_from"]
        verbose_name = _("grant cap rule")
        verbose_name_plural = _("grant cap rules")
        constraints = [
            models.UniqueConstraint(fields=["scope", "valid_from"], name="grants_cap_rule_start_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="grants_cap_rule_dates_in_order"),
            models.CheckConstraint(condition=Q(cap__gte=0), name="grants_cap_rule_cap_not_negative"),
            models.CheckConstraint(condition=Q(window_length__gte=1), name="grants_cap_rule_window_positive"),
        ]

    def __str__(self) -> str:
        period = f"{self.valid_from}–{self.valid_to or '…'}"
        return f"{self.get_scope_display()} {self.cap:,}원 / {self.window_length}y ({period})"

    @property
    def title(self) -> str:
        """How a refusal names this cap, e.g. "United States cap per SME over 3 years", in the active language."""
        rolling = self.window_kind == CapWindow.ROLLING_MONTHS
        if self.scope == CountryScope.UNITED_STATES:
            title = (gettext("United States cap per SME over %(years)s years (rolling)") if rolling
                     else gettext("United States cap per SME over %(years)s years"))
        else:
            title = (gettext("Cap outside the United States per SME over %(years)s years (rolling)") if rolling
                     else gettext("Cap outside the United States per SME over %(years)s years"))
        return title % {"years": self.window_length}


class GrantShareRule(EffectiveDated):
    """The largest share of a project's total cost the government may support."""

    max_share = models.DecimalField(_("maximum government share"), **RATIO_FIELD,
                                    help_text=_("Of the project's total cost: 0.6 is at most 60 %."))

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("government share rule")
        verbose_name_plural = _("government share rules")
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="grants_share_rule_start_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="grants_share_rule_dates_in_order"),
            models.CheckConstraint(condition=Q(max_share__gt=0) & Q(max_share__lte=1),
                                   name="grants_share_rule_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.percent} % ({self.valid_from}–{self.valid_to or '…'})"

    @property
    def percent(self) -> str:
        return f"{(self.max_share * 100).normalize():f}"

    def limit(self, total_cost: int) -> int:
        """floor(total cost × share), in exact integers."""
        num, den = Decimal(self.max_share).as_integer_ratio()
        return total_cost * num // den


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExpansionProject(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="expansion_projects",
                             verbose_name=_("fund"))
    lead = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="led_expansion_projects",
                             verbose_name=_("lead company"))
    title = models.CharField(_("project title"), max_length=200)
    country = models.CharField(_("target country"), max_length=2, validators=[validate_country],
                               help_text=_("ISO 3166-1 alpha-2 code, e.g. US or VN."))
    total_cost = models.BigIntegerField(_("total project cost (won)"), help_text=_("Whole won."))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices,
                              default=ProjectStatus.PROPOSED, db_index=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was rejected."))
    participants = models.ManyToManyField(Organization, through="Participation", related_name="expansion_projects",
                                          verbose_name=_("participating SMEs"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("proposed by"))
    proposed_by_label = models.CharField(_("proposed by (label)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("joint expansion project")
        verbose_name_plural = _("joint expansion projects")
        constraints = [
            models.CheckConstraint(condition=Q(total_cost__gt=0), name="grants_project_cost_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="grants_project_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title} ({self.lead.name_ko} → {self.country})"

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def scope(self) -> CountryScope:
        return CountryScope.of(self.country)


class Participation(models.Model):
    project = models.ForeignKey(ExpansionProject, on_delete=models.CASCADE, related_name="participations",
                                verbose_name=_("project"))
    sme = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="expansion_participations",
                            verbose_name=_("SME"))
    created_at = models.DateTimeField(_("joined"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["project_id", "sme__name_ko"]
        verbose_name = _("participating SME")
        verbose_name_plural = _("participating SMEs")
        constraints = [models.UniqueConstraint(fields=["project", "sme"], name="grants_participation_unique")]

    def __str__(self) -> str:
        return f"{self.sme.name_ko} · #{self.project_id}"


class AwardStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid in full")
    CANCELLED = "cancelled", _("Cancelled")


class Award(models.Model):
    project = models.ForeignKey(ExpansionProject, on_delete=models.PROTECT, related_name="awards",
                                verbose_name=_("project"))
    sme = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="expansion_awards",
                            verbose_name=_("SME"))
    amount = models.BigIntegerField(_("amount (won)"), help_text=_("Whole won."))
    award_date = models.DateField(_("award date"))
    status = models.CharField(_("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.APPROVED,
                              db_index=True)
    paid = models.BigIntegerField(_("paid (won)"), default=0, editable=False)
    cap_rule = models.ForeignKey(GrantCapRule, on_delete=models.PROTECT, related_name="awards",
                                 verbose_name=_("cap rule"))
    share_rule = models.ForeignKey(GrantShareRule, on_delete=models.PROTECT, related_name="awards",
                                   verbose_name=_("share rule"))
    hold = models.OneToOneField(Hold, on_delete=models.PROTECT, related_name="+", verbose_name=_("ledger hold"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    approved_by_label = models.CharField(_("approved by"), max_length=150)
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was cancelled."))

    class Meta:
        ordering = ["-award_date", "-pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_award_amount_positive"),
            # However the code is called, the database refuses to pay out more than was awarded.
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(paid__lte=F("amount")),
                                   name="grants_award_paid_within_amount"),
        ]
        indexes = [models.Index(fields=["sme", "award_date"], name="grants_award_sme_date")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.sme.name_ko} {self.amount:,}원"

    @property
    def remaining(self) -> int:
        """What may still be paid: nothing once cancelled."""
        return 0 if self.status == AwardStatus.CANCELLED else self.amount - self.paid

    @property
    def counted(self) -> int:
        """What counts against the caps: the amount while the award stands, what was paid once cancelled."""
        return self.paid if self.status == AwardStatus.CANCELLED else self.amount

    @property
    def reference(self) -> str:
        return f"grant-award:{self.pk}"


class Tranche(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("award"))
    amount = models.BigIntegerField(_("amount (won)"))
    paid_date = models.DateField(_("paid on"))
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("ledger entry"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    paid_by_label = models.CharField(_("paid by"), max_length=150)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["award_id", "paid_date", "pk"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="grants_tranche_amount_positive")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount:,}원 ({self.paid_date})"


class GrantEvent(AppendOnlyModel):
    """One change of a project's or an award's status, with who made it and why. Written once, never changed."""

    project = models.ForeignKey(ExpansionProject, on_delete=models.PROTECT, related_name="events",
                                verbose_name=_("project"))
    award = models.ForeignKey(Award, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
                              verbose_name=_("award"))
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    actor_label = models.CharField(_("actor"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["project_id", "at", "pk"]
        verbose_name = _("grant event")
        verbose_name_plural = _("grant events")

    def __str__(self) -> str:
        subject = f"award #{self.award_id}" if self.award_id else f"project #{self.project_id}"
        return f"{subject}: {self.from_status or '—'} → {self.to_status}"
