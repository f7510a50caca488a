"""Forms of the grants: the portal's project proposal, and the back office's small forms for decisions and
payments. They check what a person typed and say what is wrong beside the field; the rules themselves stay in
`apps.grants.services`, which the views call with the cleaned data."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from apps.organizations.models import Organization, SizeClass
from apps.portal.forms import OrganizationChoiceField, WonField

from .countries import country_choices
from .selectors import proposable_leads


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name_ko} ({obj.brn_display})"


class ProjectForm(forms.Form):
    lead = OrganizationChoiceField(label=_("Lead company"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Project title"), max_length=200)
    country = forms.ChoiceField(label=_("Target country"))
    total_cost = WonField(label=_("Total project cost (won)"),
                          help_text=_("Whole won; government support is capped at a share of it."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                        "maxlength": 40}))
    start_date = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    participants = ParticipantsField(label=_("Participating SMEs"), queryset=Organization.objects.none(),
                                     widget=forms.CheckboxSelectMultiple)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        kwargs["initial"].setdefault("start_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        leads = proposable_leads(user)
        self.fields["lead"].queryset = leads
        if len(leads) == 1:
            self.fields["lead"].initial = leads[0].pk
        self.fields["country"].choices = [("", "---------"), *country_choices()]
        self.fields["participants"].queryset = Organization.objects.filter(
            size_class=SizeClass.SME, is_active=True).order_by("name_ko")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project cannot end before it starts."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}))


class TrancheForm(forms.Form):
    """The back office's payment of a tranche; the hidden key travels with the form so a double click pays once."""

    amount = WonField(label=_("Amount (won)"), help_text=_("At most what is left of the award."),
                      widget=UnfoldAdminTextInputWidget(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    paid_date = forms.DateField(label=_("Paid on"), initial=timezone.localdate, widget=UnfoldAdminSingleDateWidget)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class AwardForm(forms.Form):
    """The back office's award to a participating SME of a project."""

    sme = forms.ModelChoiceField(label=_("Participating SME"), queryset=Organization.objects.none(),
                                 widget=UnfoldAdminSelectWidget)
    amount = WonField(label=_("Amount (won)"),
                      widget=UnfoldAdminTextInputWidget(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    award_date = forms.DateField(label=_("Award date"), initial=timezone.localdate, widget=UnfoldAdminSingleDateWidget)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sme"].queryset = project.participants.order_by("name_ko")
