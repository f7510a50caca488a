"""The portal's forms. They check what a person typed and say what is wrong beside the field, in the page's language;
the rules themselves (who may submit, which use is valid for which fund on which day) stay in
`apps.contributions.services`, which the views call with the cleaned data."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.contributions.models import DesignatedUse
from apps.contributions.services import MAX_AMOUNT
from apps.funds.models import Fund
from apps.organizations.models import Organization, SizeClass
from apps.organizations.selectors import organizations_submittable_by

# What people type around a figure: thousands separators, spaces, the won sign and the word 원.
AMOUNT_NOISE = re.compile(r"[,\s₩￦원]")


def _in_english() -> bool:
    return (get_language() or "ko").startswith("en")


def _name(obj) -> str:
    """The English name on English pages (when there is one), the Korean name otherwise."""
    return (obj.name_en or obj.name_ko) if _in_english() else obj.name_ko


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{_name(obj)} ({obj.brn_display})"


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fund) -> str:
        return _name(obj)


class BeneficiariesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{_name(obj)} ({obj.brn_display})"


class WonField(forms.CharField):
    """Whole won, typed with or without separators: `1,000,000`, `1000000` and `1,000,000원` are the same amount;
    `1000.5` is refused, as KRW has no minor unit."""

    default_error_messages = {
        "decimal": _("Give the amount in whole won, without decimals."),
        "invalid": _("Give the amount in won as a number, for example 1,000,000."),
        "positive": _("The amount must be more than 0 won."),
        "too_large": _("This amount is too large."),
    }

    def to_python(self, value):
        text = AMOUNT_NOISE.sub("", super().to_python(value))
        if not text:
            return None
        if re.fullmatch(r"\d+[.]\d*", text):
            if text.rstrip("0").endswith("."):  # "1000.00" is still a whole amount
                text = text.split(".")[0]
            else:
                raise forms.ValidationError(self.error_messages["decimal"], code="decimal")
        if text.startswith("-") and text[1:].isdigit():
            raise forms.ValidationError(self.error_messages["positive"], code="positive")
        if not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int(text)
        if amount <= 0:
            raise forms.ValidationError(self.error_messages["positive"], code="positive")
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


# The other rooms' pages import it from here; it is the organisations app's selector.
submittable_organizations = organizations_submittable_by


def contribution_funds():
    """Active funds that take contributions: those with at least one designated use."""
    return Fund.objects.filter(is_active=True, designated_uses__isnull=False).distinct().order_by("pk")


def use_choices() -> tuple[list[tuple[str, str]], dict[str, list[int]]]:
    """Every designated use that is (or will be) open, one entry per code, named as in its latest version; and for
    each code the funds it may be chosen for (so the page can offer only the uses of the chosen fund)."""
    today = timezone.localdate()
    uses = (DesignatedUse.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today), funds__is_active=True)
            .distinct().order_by("code", "valid_from").prefetch_related("funds"))
    latest, funds = {}, defaultdict(set)
    for use in uses:
        latest[use.code] = use
        funds[use.code].update(fund.pk for fund in use.funds.all() if fund.is_active)
    choices = [("", "---------")] + [(code, _name(use)) for code, use in latest.items()]
    return choices, {code: sorted(pks) for code, pks in funds.items()}


class UseSelect(forms.Select):
    """A select whose options say which funds they belong to (`data-funds`), for the page's fund filter."""

    funds_by_code: dict[str, list[int]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-funds"] = " ".join(str(pk) for pk in self.funds_by_code.get(str(value), ()))
        return option


class ContributionForm(forms.Form):
    organization = OrganizationChoiceField(label=_("Contributing organisation"), queryset=Organization.objects.none())
    fund = FundChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    designated_use = forms.ChoiceField(label=_("Designated use"), widget=UseSelect,
                                       help_text=_("The use must be open for the chosen fund on the contribution "
                                                   "date."))
    amount = WonField(label=_("Amount (won)"),
                      help_text=_("Whole won; separators are fine, e.g. 1,000,000."),
                      widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 40}))
    contribution_date = forms.DateField(label=_("Contribution date"),
                                        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    beneficiaries = BeneficiariesField(label=_("Beneficiary SMEs (optional)"), required=False,
                                       queryset=Organization.objects.none(),
                                       widget=forms.CheckboxSelectMultiple)
    program = forms.CharField(label=_("Program (optional)"), max_length=200, required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        kwargs["initial"].setdefault("contribution_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        organizations = submittable_organizations(user)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
        self.fields["fund"].queryset = contribution_funds()
        choices, funds_by_code = use_choices()
        self.fields["designated_use"].choices = choices
        self.fields["designated_use"].widget.funds_by_code = funds_by_code
        self.fields["beneficiaries"].queryset = Organization.objects.filter(size_class=SizeClass.SME,
                                                                            is_active=True).order_by("name_ko")

    def clean(self):
        data = super().clean()
        organization, fund, day, code = (data.get(k) for k in ("organization", "fund", "contribution_date",
                                                                "designated_use"))
        if fund and day and code:
            use = DesignatedUse.objects.valid_on(day, fund).filter(code=code).order_by("-valid_from").first()
            if use is None:
                self.add_error("designated_use", _("This designated use cannot be chosen for this fund on this "
                                                   "date."))
            else:
                data["designated_use_row"] = use
        if organization and organization in data.get("beneficiaries", ()):
            self.add_error("beneficiaries", _("An organisation cannot name itself as a beneficiary."))
        return data

    def review(self) -> dict:
        """What the confirmation page shows, in the page's language."""
        data = self.cleaned_data
        use = data["designated_use_row"]
        return {
            "organization": data["organization"], "organization_name": _name(data["organization"]),
            "fund_name": _name(data["fund"]), "use_name": _name(use), "amount": data["amount"],
            "contribution_date": data["contribution_date"],
            "beneficiaries": [_name(b) for b in data["beneficiaries"]], "program": data["program"],
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
