"""The portal's profit-report form. It checks what a person typed and says what is wrong beside the field; the rules
themselves (who may report, which periods, corrections) stay in `services`, which the view calls."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Period

# What people type around a figure: thousands separators, spaces, the won sign and the word 원.
AMOUNT_NOISE = re.compile(r"[,\s₩￦원]")
MAX_WON = 2**63 - 1


class SignedWonField(forms.CharField):
    """Whole won, typed with or without separators; a loss is negative (`-1,000,000`). Decimals are refused."""

    default_error_messages = {
        "invalid": _("Give the amount in whole won as a number, for example 1,000,000 (a loss as -1,000,000)."),
        "too_large": _("This amount is too large."),
    }

    def to_python(self, value):
        text = AMOUNT_NOISE.sub("", super().to_python(value))
        if not text:
            return None
        if not re.fullmatch(r"-?\d+", text) or not text.isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int(text)
        if abs(amount) > MAX_WON:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


class ProfitReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices, initial=Period.H1)
    operating_profit = SignedWonField(label=_("Operating profit attributable to the project (won)"),
                                      help_text=_("Whole won; a loss as a negative amount."))
    net_profit = SignedWonField(label=_("Net profit attributable to the project (won)"),
                                help_text=_("Whole won; a loss as a negative amount."))
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=2_000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Only to correct a period already reported: the new report replaces it."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)
            self.initial.setdefault("idempotency_key", str(uuid.uuid4()))
