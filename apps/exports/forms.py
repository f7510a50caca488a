"""The export form of the auditors' pages: what, which fund, which period, which format."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.funds.models import Fund

from .exceptions import ExportError
from .models import ExportFormat, ExportKind
from .spec import ExportSpec, export_spec


def _funds():
    return [("", _("Every fund")), *((f.code, f"{f.name_ko} ({f.code})") for f in Fund.objects.order_by("pk"))]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ExportKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    fund = forms.ChoiceField(label=_("Fund"), choices=_funds, required=False)
    account = forms.CharField(label=_("Account code"), required=False, max_length=32,
                              help_text=_("For an account statement, e.g. 1110 (cash)."))
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["date_from"].initial = date(year, 1, 1)
        self.fields["date_to"].initial = date(year, 12, 31)
        self.spec: ExportSpec | None = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.spec = export_spec(kind=data["kind"], format=data["format"], fund=data.get("fund", ""),
                                    date_from=data["date_from"], date_to=data["date_to"],
                                    account=data.get("account", ""))
        except ExportError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data
