"""Every write to organisations and memberships. Each service runs in one transaction, takes keyword arguments and
a required `actor`, validates the whole row (check digits, uniqueness, choices) before it writes, and refuses with
Django's `ValidationError` keyed by the field at fault. When the actor is a user, the change is recorded in the
admin's history (LogEntry) in the same transaction, so the back office shows who changed what through the API too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from .models import Membership, MembershipRole, Organization

EDITABLE_FIELDS = frozenset(
    {"name_ko", "name_en", "business_registration_number", "corporate_registration_number", "size_class",
     "is_active"}
)
RELATION_FIELDS = frozenset({"related_parties", "partner_smes"})


def organization_create(
    *,
    actor,
    name_ko: str,
    business_registration_number: str,
    size_class: str,
    name_en: str = "",
    corporate_registration_number: str | None = None,
    is_active: bool = True,
    related_parties: Iterable[Organization] = (),
    partner_smes: Iterable[Organization] = (),
) -> Organization:
    """Register an organisation. Its registration numbers may be typed with or without hyphens; they are stored as
    digits, checked against their check digits, and unique."""
    with transaction.atomic():
        organization = Organization(
            name_ko=name_ko, name_en=name_en, business_registration_number=business_registration_number,
            corporate_registration_number=corporate_registration_number, size_class=size_class, is_active=is_active,
        )
        _save(organization)
        _set_relations(organization, {"related_parties": related_parties, "partner_smes": partner_smes})
        _log(actor, organization, ADDITION, [{"added": {}}])
    return organization


def organization_update(*, actor, organization: Organization, **changes) -> Organization:
    """Change an organisation's fields and, when given, replace its related parties or partner SMEs."""
    unknown = set(changes) - EDITABLE_FIELDS - RELATION_FIELDS
    if unknown:
        raise TypeError(f"organization_update() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        # Two administrators saving the same organisation at once: the second waits and applies its changes to
        # the row as the first left it, instead of both validating against a stale copy.
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        fields = sorted(EDITABLE_FIELDS & set(changes))
        for name in fields:
            setattr(organization, name, changes[name])
        _save(organization, update_fields=fields)
        relations = {name: changes[name] for name in RELATION_FIELDS & set(changes)}
        _set_relations(organization, relations)
        changed = [str(Organization._meta.get_field(name).verbose_name) for name in [*fields, *sorted(relations)]]
        if changed:
            _log(actor, organization, CHANGE, [{"changed": {"fields": changed}}])
    return organization


def membership_add(*, actor, user: AbstractBaseUser, organization: Organization, role: str) -> Membership:
    """Give a user a role in an organisation: a finance officer may submit for it, a viewer only reads."""
    with transaction.atomic():
        errors: dict[str, list[str]] = {}
        if not user.is_active:
            errors.setdefault("user", []).append(_("This user's account is deactivated."))
        if Membership.objects.filter(user=user, organization=organization).exists():
            errors.setdefault("user", []).append(_("This user is already a member of this organisation."))
        if not organization.is_active:
            errors["organization"] = [_("This organisation is inactive: reactivate it before adding members.")]
        if errors:
            raise ValidationError(errors)
        membership = Membership(user=user, organization=organization, role=role)
        membership.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as exc:  # the same user added twice at the same moment
            raise ValidationError({"user": [_("This user is already a member of this organisation.")]}) from exc
        role_label = str(MembershipRole(role).label)
        _log(actor, organization, CHANGE, [{"added": {"name": str(Membership._meta.verbose_name),
                                                      "object": f"{user} ({role_label})"}}])
    return membership


def _save(organization: Organization, *, update_fields: list[str] | None = None) -> None:
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save(update_fields=update_fields)
    except IntegrityError as exc:  # a concurrent registration of the same number got there first
        raise ValidationError(_unique_violation(organization)) from exc


def _unique_violation(organization: Organization) -> dict[str, list[str]]:
    errors = {}
    for name in ("business_registration_number", "corporate_registration_number"):
        value = getattr(organization, name)
        if value and Organization.objects.exclude(pk=organization.pk).filter(**{name: value}).exists():
            errors[name] = [str(Organization._meta.get_field(name).error_messages["unique"])]
    return errors or {"business_registration_number": [_("This organisation could not be saved; try again.")]}


def _set_relations(organization: Organization, relations: dict[str, Iterable[Organization]]) -> None:
    for name, others in relations.items():
        others = list(others)
        if any(_pk(other) == organization.pk for other in others):
            raise ValidationError({name: [_("An organisation cannot be listed among its own related parties or "
                                            "partner SMEs.")]})
        getattr(organization, name).set(others)


def _pk(other: Organization | int) -> int:
    return other.pk if isinstance(other, models.Model) else int(other)


def _log(actor, organization: Organization, flag: int, message: list[dict]) -> None:
    """Recorded when a person acts; a task or command (an actor given as a label) leaves no admin history."""
    if not isinstance(actor, AbstractBaseUser) or actor.pk is None:
        return
    LogEntry.objects.log_actions(
        actor.pk, Organization.objects.filter(pk=organization.pk), flag, change_message=message, single_object=True
    )
