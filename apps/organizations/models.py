"""Organisations that take part in the funds, and the people who act for them.

Design
- An `Organization` is a legal person known by its business registration number (사업자등록번호), stored as its
  ten digits, unique, and checked against its check digit; the optional corporate registration number
  (법인등록번호) is checked the same way and unique when given. Both are shown with their hyphens
  (`brn_display`, `crn_display`); what people type, with or without hyphens, is normalised on the way in
  (`fields.RegistrationNumberField`).
- The size class says which programs an organisation meets: large companies, public enterprises, financial
  institutions and platform companies contribute; SMEs benefit; guarantee institutions give linked guarantees.
- `related_parties` is symmetrical (if A is related to B, B is related to A): the tax credit on a contribution
  excludes any part used for the contributor's related parties. `partner_smes` is directed: a large company's
  partner SMEs, who receive win-win finance and share in performance.
- The ledger knows organisations only as a party string on its lines: `Organization.party` (`org:<id>`) is the one
  place that string is made, and it never changes because the id never does.
- A `Membership` gives a user a role in one organisation: a finance officer may submit on its behalf, a viewer only
  reads. Fund administrators and auditors are groups (`apps.core.roles`), not memberships. Who sees what is decided
  in `selectors`; every write goes through `services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import RegistrationNumberField
from .identifiers import (
    BRN_LENGTH,
    CRN_LENGTH,
    BrnKind,
    brn_kind,
    format_brn,
    format_crn,
    is_valid_brn,
    validate_brn,
    validate_crn,
)

PARTY_PREFIX = "org:"


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large company")
    MID_SIZED = "mid_sized", _("Mid-sized company")
    SME = "sme", _("Small or medium enterprise")
    PUBLIC_ENTERPRISE = "public_enterprise", _("Public enterprise")
    FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")
    GUARANTEE_INSTITUTION = "guarantee_institution", _("Guarantee institution")
    PLATFORM = "platform", _("Platform company")
    DEFENCE = "defence", _("Defence company")


class Organization(models.Model):
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    business_registration_number = RegistrationNumberField(
        _("business registration number"), max_length=BRN_LENGTH, unique=True, validators=[validate_brn],
        formatter=format_brn, help_text=_("XXX-XX-XXXXX; hyphens optional."),
        error_messages={"unique": _("An organisation with this business registration number is already registered.")},
    )
    corporate_registration_number = RegistrationNumberField(
        _("corporate registration number"), max_length=CRN_LENGTH, unique=True, null=True, blank=True,
        validators=[validate_crn], formatter=format_crn,
        help_text=_("XXXXXX-XXXXXXX; hyphens optional. Leave empty if there is none."),
        error_messages={"unique": _("An organisation with this corporate registration number is already registered.")},
    )
    size_class = models.CharField(_("size class"), max_length=32, choices=SizeClass.choices)
    related_parties = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name=_("related parties"),
        help_text=_("Affiliates: contributions used for them earn no tax credit."),
    )
    partner_smes = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="large_partners", verbose_name=_("partner SMEs"),
        help_text=_("The SMEs this company supports through win-win finance and performance sharing."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name_ko", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name_ko} ({self.brn_display})"

    @property
    def party(self) -> str:
        """The stable id of this organisation on ledger lines (`JournalLine.party`)."""
        return f"{PARTY_PREFIX}{self.pk}"

    @property
    def brn_display(self) -> str:
        return format_brn(self.business_registration_number)

    @property
    def crn_display(self) -> str:
        return format_crn(self.corporate_registration_number) if self.corporate_registration_number else ""

    @property
    def brn_kind(self) -> BrnKind | None:
        """What the registration number says the business is (head office, branch, non-profit, …)."""
        if not is_valid_brn(self.business_registration_number):
            return None
        return brn_kind(self.business_registration_number)


class MembershipRole(models.TextChoices):
    FINANCE_OFFICER = "finance_officer", _("Finance officer (may submit)")
    VIEWER = "viewer", _("Viewer (read only)")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=32, choices=MembershipRole.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["organization_id", "user_id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="organizations_membership_unique",
                violation_error_message=_("This user is already a member of this organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization.name_ko} ({self.get_role_display()})"

    @property
    def may_submit(self) -> bool:
        return self.role == MembershipRole.FINANCE_OFFICER and self.organization.is_active
