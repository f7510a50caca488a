"""The four public win-win growth funds, each pointing at its own ledger.

Design
- A `Fund` is the business face of one self-balancing book: its names, the institution that manages it, and its
  fundraising target. The money itself lives only in the ledger (`apps.ledger`): the fund points at its `Ledger`
  (one to one, protected), and the ledger knows nothing of funds. Progress towards the target is always read from
  the ledger by `selectors.fund_progress`, never stored here.
- Every fund keeps the same standard chart of accounts (`chart.py`); other apps find an account by its role
  (`chart.CONTRIBUTION_REVENUE`) through `selectors.fund_account`, never by a code spelled out in their own code.
- The funds are created, with their ledgers and charts, by `services.funds_setup` (idempotent; the `setup_funds`
  command). Targets and the managing institution are configuration an administrator edits; a fund is never deleted
  (the ledger it points at keeps posted money), only deactivated.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ledger.models import Ledger


class Fund(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    ledger = models.OneToOneField(Ledger, on_delete=models.PROTECT, related_name="+", verbose_name=_("ledger"))
    managing_institution_ko = models.CharField(_("managing institution (Korean)"), max_length=200, blank=True)
    managing_institution_en = models.CharField(_("managing institution (English)"), max_length=200, blank=True)
    target_amount = models.BigIntegerField(
        _("fundraising target (won)"), null=True, blank=True,
        help_text=_("Whole won to raise as contributions; empty when the fund has no target."),
    )
    target_start_year = models.PositiveSmallIntegerField(_("target from year"), null=True, blank=True)
    target_end_year = models.PositiveSmallIntegerField(_("target to year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.CharField(_("created by"), max_length=150, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(condition=Q(target_amount__isnull=True) | Q(target_amount__gt=0),
                                   name="funds_fund_target_positive"),
            models.CheckConstraint(
                condition=Q(target_start_year__isnull=True) | Q(target_end_year__isnull=True)
                | Q(target_end_year__gte=F("target_start_year")),
                name="funds_fund_target_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_ko} ({self.code})"

    @property
    def target_period(self) -> str:
        if self.target_start_year and self.target_end_year:
            return f"{self.target_start_year}–{self.target_end_year}"
        return str(self.target_start_year or self.target_end_year or "")
