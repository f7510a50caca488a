"""The portal's form for a performance-sharing record. It checks what a person typed and says what is wrong beside
the field; the rules themselves (who may register, what a valid record is) stay in `services`, which the views
call with the cleaned data."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Organization, SizeClass
from apps.portal.forms import OrganizationChoiceField, WonField, submittable_organizations

from .models import PartnerTier, SharingMethod, SharingRecord, TransactionType
from .services import EVIDENCE_SUFFIXES, MAX_EVIDENCE_BYTES

PARTNER_CLASSES = (SizeClass.SME, SizeClass.MID_SIZED)
TIER_FIELDS = {PartnerTier.FIRST: "tier1", PartnerTier.SECOND: "tier2", PartnerTier.THIRD: "tier3"}


class PartnersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name_ko} ({obj.brn_display})"


def _partners_field(label) -> PartnersField:
    return PartnersField(label=label, required=False, queryset=Organization.objects.none(),
                         widget=forms.CheckboxSelectMultiple)


class SharingRecordForm(forms.Form):
    principal = OrganizationChoiceField(label=_("Principal company"), queryset=Organization.objects.none())
    project = forms.CharField(label=_("Project"), max_length=200)
    transaction_type = forms.ChoiceField(label=_("Transaction type"), choices=TransactionType.choices)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))
    contract_date = forms.DateField(label=_("Contract date"),
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sharing_method = forms.ChoiceField(label=_("Sharing method"), choices=SharingMethod.choices,
                                       help_text=_("Cash and cash-equivalent methods (joint IP included) count "
                                                   "double in the Shared Growth Index."))
    amount = WonField(label=_("Amount (won)"), help_text=_("Whole won; separators are fine, e.g. 1,000,000."),
                      widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 40}))
    outcome = forms.CharField(label=_("Outcome (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    evidence_description = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}),
                                           help_text=_("What proves it: a description or a document reference."))
    evidence_file = forms.FileField(label=_("Evidence file (optional)"), required=False,
                                    help_text=_("PDF, image, office, HWP, text or ZIP; at most 10 MB. Only your "
                                                "company and the fund can open it."))
    tier1 = _partners_field(_("Tier 1 partners"))
    tier2 = _partners_field(_("Tier 2 partners"))
    tier3 = _partners_field(_("Tier 3 partners"))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, record: SharingRecord | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        if record is None:
            kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.record = record
        organizations = submittable_organizations(user)
        if record is not None:
            organizations = Organization.objects.filter(pk=record.principal_id)
            self.fields["principal"].disabled = True
        self.fields["principal"].queryset = organizations
        if len(organizations) == 1:
            self.fields["principal"].initial = organizations[0].pk
        partners = Organization.objects.filter(size_class__in=PARTNER_CLASSES, is_active=True).order_by("name_ko")
        for name in TIER_FIELDS.values():
            self.fields[name].queryset = partners

    @classmethod
    def for_record(cls, record: SharingRecord, *, user) -> SharingRecordForm:
        initial = {name: getattr(record, name) for name in ("project", "transaction_type", "goal", "contract_date",
                                                             "sharing_method", "amount", "outcome",
                                                             "evidence_description")}
        initial.update({"principal": record.principal_id, "version": record.version})
        for tier, name in TIER_FIELDS.items():
            initial[name] = [p.organization_id for p in record.partners.all() if p.tier == tier]
        return cls(user=user, record=record, initial=initial)

    def clean_contract_date(self):
        day = self.cleaned_data["contract_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The contract date cannot be in the future."))
        return day

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            if not upload.name.lower().endswith(EVIDENCE_SUFFIXES):
                raise forms.ValidationError(_("Attach a PDF, image, office, HWP, text or ZIP file."))
            if upload.size > MAX_EVIDENCE_BYTES:
                raise forms.ValidationError(_("The evidence file may be at most 10 MB."))
        return upload

    def clean(self):
        data = super().clean()
        seen: dict[int, str] = {}
        principal = data.get("principal")
        for name in TIER_FIELDS.values():
            for organization in data.get(name, ()):
                if principal is not None and organization.pk == principal.pk:
                    self.add_error(name, _("The principal company cannot be its own partner."))
                elif organization.pk in seen:
                    self.add_error(name, _("%(name)s is already a partner in another tier.")
                                   % {"name": organization.name_ko})
                seen[organization.pk] = name
        if not seen and not any(self.has_error(name) for name in TIER_FIELDS.values()):
            self.add_error("tier1", _("Name at least one partner."))
        return data

    def partners(self) -> list[tuple[Organization, int]]:
        return [(organization, int(tier)) for tier, name in TIER_FIELDS.items()
                for organization in self.cleaned_data.get(name, ())]

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("project", "transaction_type", "goal", "contract_date",
                                              "sharing_method", "amount", "outcome", "evidence_description")}
