"""Search forms of the auditors' area. Every field is optional; a value that cannot be read is a form error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.funds.models import Fund
from apps.ledger.models import Account

from .models import Action, Source


class DateInput(forms.DateInput):
    input_type = "date"


class EntrySearchForm(forms.Form):
    REVERSED = (("", _("All entries")), ("yes", _("Reversed later")), ("no", _("Never reversed")),
                ("reversal", _("Reversing entries")))

    fund = forms.ModelChoiceField(Fund.objects.all(), required=False, label=_("Fund"), empty_label=_("All funds"))
    account = forms.ModelChoiceField(Account.objects.select_related("ledger").order_by("ledger__code", "code"),
                                     required=False, label=_("Account"), empty_label=_("All accounts"))
    date_from = forms.DateField(required=False, label=_("Effective from"), widget=DateInput)
    date_to = forms.DateField(required=False, label=_("Effective to"), widget=DateInput)
    reference = forms.CharField(required=False, max_length=128, label=_("Reference"))
    q = forms.CharField(required=False, max_length=200, label=_("Memo or party"))
    reversed = forms.ChoiceField(choices=REVERSED, required=False, label=_("Reversal"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].label_from_instance = lambda a: f"{a.ledger.code} · {a.code} {a.name_ko}"


class EventSearchForm(forms.Form):
    table = forms.ChoiceField(required=False, label=_("Table"))
    action = forms.ChoiceField(choices=[("", _("All actions")), *Action.choices], required=False, label=_("Action"))
    source = forms.ChoiceField(choices=[("", _("All sources")), *Source.choices], required=False, label=_("Source"))
    actor = forms.CharField(required=False, max_length=200, label=_("Actor"))
    object_id = forms.CharField(required=False, max_length=64, label=_("Object id"))
    q = forms.CharField(required=False, max_length=200, label=_("Text in the values"))
    date_from = forms.DateField(required=False, label=_("From"), widget=DateInput)
    date_to = forms.DateField(required=False, label=_("To"), widget=DateInput)

    def __init__(self, *args, tables: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [("", _("All tables")), *((t, t) for t in tables)]
