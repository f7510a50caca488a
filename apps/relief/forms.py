"""Forms of the relief room: the claimant's claim and answer in the portal, and the small review forms of the back
office. They check what a person typed and say what is wrong beside the field; the rules (who may act, the fine
cap, the fund's cash) stay in `services`, whose refusals the views put back on the form."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from apps.core.money import format_won
from apps.funds.models import Fund
from apps.organizations.selectors import organizations_submittable_by
from apps.portal.forms import OrganizationChoiceField, WonField

from .documents import ALLOWED_EXTENSIONS, MAX_DOCUMENT_BYTES
from .models import FINE_LEGAL_MAXIMUM, Sanction

ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.hwp,.hwpx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Any number of files at once (the services check each one's type, content and size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("%(types)s; at most %(mb)s MB each.")
                          % {"types": ALLOWED_EXTENSIONS, "mb": MAX_DOCUMENT_BYTES // 1024 // 1024})
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


# Portal


class ClaimForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    claimant = OrganizationChoiceField(queryset=None, label=_("Claimant (the harmed company)"), empty_label=None)
    case_reference = forms.CharField(
        label=_("Case number"), max_length=64,
        help_text=_("The case number of the sanction decision, or the reference of your case."))
    description = forms.CharField(label=_("What harm did the company suffer?"), max_length=10_000,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    amount_claimed = WonField(label=_("Amount claimed (won)"))
    documents = DocumentsField(label=_("Supporting documents"))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["claimant"].queryset = organizations_submittable_by(user)


class AnswerForm(forms.Form):
    message = forms.CharField(label=_("Your answer"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))
    documents = DocumentsField(label=_("Documents"))


class DocumentsForm(forms.Form):
    documents = DocumentsField(label=_("Documents"), required=True)


# Back office


class SanctionAdminForm(forms.ModelForm):
    class Meta:
        model = Sanction
        fields = ["organization", "case_reference", "violation_type", "corrective_order", "penalty_points",
                  "decision_date", "fine_amount"]

    def clean_fine_amount(self):
        fine = self.cleaned_data["fine_amount"]
        if fine is not None and fine > FINE_LEGAL_MAXIMUM:
            raise forms.ValidationError(
                _("A fine may be at most %(max)s by law; %(amount)s was given.")
                % {"max": format_won(FINE_LEGAL_MAXIMUM), "amount": format_won(fine)})
        if fine is not None and fine < 0:
            raise forms.ValidationError(_("The fine cannot be negative."))
        return fine

    def clean(self):
        data = super().clean()
        day, fine = data.get("decision_date"), data.get("fine_amount")
        closed = Fund.objects.filter(code="relief").values_list("ledger__closed_years", flat=True).first() or []
        if day and fine and day.year in closed:
            self.add_error("decision_date", _("Fiscal year %(year)s of the relief fund is closed: a fine cannot be "
                                              "posted into it.") % {"year": day.year})
        return data


def _won_input(label):
    return WonField(label=label, widget=UnfoldAdminTextInputWidget)


def _date_input(label):
    return forms.DateField(label=label, initial=timezone.localdate, widget=UnfoldAdminSingleDateWidget)


class PaymentForm(forms.Form):
    # Made when the form is shown: submitting it twice records the payment once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=lambda: uuid.uuid4().hex)
    amount = _won_input(_("Amount collected (won)"))
    paid_on = _date_input(_("Paid on"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2_000, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}))


class MessageForm(forms.Form):
    message = forms.CharField(label=_("What information is needed"), max_length=2_000,
                              widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    amount = _won_input(_("Approved amount (won)"))
    message = forms.CharField(label=_("Note"), max_length=2_000, required=False,
                              widget=UnfoldAdminTextareaWidget(attrs={"rows": 2}))


class PayForm(forms.Form):
    paid_on = _date_input(_("Paid on"))
