"""What a reader chooses on the statements pages: the fund (or the consolidation), the period and the unit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .selectors import period_between
from .units import DEFAULT_UNIT, UNITS

CONTEXT = "financial statements"  # short words another room may translate otherwise
DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=pgettext_lazy(CONTEXT, "From"), required=False, widget=DATE)
    date_to = forms.DateField(label=pgettext_lazy(CONTEXT, "To"), required=False, widget=DATE)
    unit = forms.ChoiceField(label=pgettext_lazy(CONTEXT, "Unit"), required=False, initial=DEFAULT_UNIT.code,
                             choices=[(u.code, f"{u.label_ko} ({u.label_en})") for u in UNITS.values()])

    def clean(self):
        data = super().clean()
        period = period_between(data.get("date_from"), data.get("date_to"))
        if period.date_to < period.date_from:
            self.add_error("date_to", _("The period must end on or after the day it starts."))
        data["period"] = period
        data["unit"] = UNITS[data.get("unit") or DEFAULT_UNIT.code]
        return data
