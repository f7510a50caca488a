"""The portal's earmark form: a finance officer picks one of its organisation's wwfp contributions that is not yet
earmarked and one of its own programs. The service checks everything again."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.contributions.models import Contribution, ContributionStatus
from apps.organizations.selectors import organizations_submittable_by

from .models import POOL_FUND_CODE, GuaranteeProgram


def earmarkable_contributions(user):
    return (Contribution.objects
            .filter(organization__in=organizations_submittable_by(user), fund__code=POOL_FUND_CODE,
                    status__in=(ContributionStatus.SUBMITTED, ContributionStatus.CONFIRMED, ContributionStatus.MATCHED),
                    guarantee_earmark__isnull=True)
            .select_related("organization").order_by("-contribution_date", "-pk"))


def earmark_programs(user):
    return (GuaranteeProgram.objects.filter(organization__in=organizations_submittable_by(user), is_active=True)
            .select_related("institution", "organization"))


class ContributionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contribution) -> str:
        return f"#{obj.pk} · {obj.contribution_date:%Y-%m-%d} · {obj.organization.name_ko} · {obj.amount:,}원"


class ProgramChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: GuaranteeProgram) -> str:
        return f"{obj.name} · {obj.institution.name_ko} · {obj.organization.name_ko}"


class EarmarkForm(forms.Form):
    contribution = ContributionChoice(queryset=Contribution.objects.none(), label=_("Contribution"),
                                      help_text=_("A contribution of your organisation to the win-win finance pool."))
    program = ProgramChoice(queryset=GuaranteeProgram.objects.none(), label=_("Guarantee program"),
                            help_text=_("The guarantee institution and partner-SME program it supports."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", str(uuid.uuid4()))
        super().__init__(*args, **kwargs)
        self.fields["contribution"].queryset = earmarkable_contributions(user)
        self.fields["program"].queryset = earmark_programs(user)
