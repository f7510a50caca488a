"""What every effective-dated configuration row of the evaluations shares."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_FIELD = {"max_digits": 9, "decimal_places": 3}
WEIGHT_FIELD = {"max_digits": 9, "decimal_places": 4}


class EffectiveQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> EffectiveQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Effective(models.Model):
    """Configuration that applies from `valid_from` to `valid_to` (inclusive; empty while it has no end)."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("The last day it applies; empty while it has no end."))
    description = models.TextField(_("description"), blank=True)

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The last day cannot come before the first.")})
        if not self.valid_from:
            return
        same = type(self).objects.filter(**{k: getattr(self, k) for k in self.scope_fields()}).exclude(pk=self.pk)
        same = same.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            same = same.filter(valid_from__lte=self.valid_to)
        if same.exists():
            raise ValidationError({"valid_from": _("These dates overlap another version: end that one first, or "
                                                   "start this one after it.")})

    def scope_fields(self) -> tuple[str, ...]:
        return ()
