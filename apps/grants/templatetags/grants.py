"""Template filters of the grants pages."""

from django import template

from apps.grants.countries import country_name as _country_name
from apps.grants.models import AwardStatus, ProjectStatus

register = template.Library()

GOOD = {ProjectStatus.APPROVED, AwardStatus.APPROVED, AwardStatus.PAID}
WAITING = {ProjectStatus.PROPOSED}


@register.filter
def grant_status_class(status: str) -> str:
    return "ok" if status in GOOD else "wait" if status in WAITING else "bad"


@register.filter
def country_name(code: str) -> str:
    return _country_name(code or "")


@register.filter
def grant_status_label(status: str) -> str:
    labels = {**dict(ProjectStatus.choices), **dict(AwardStatus.choices)}
    return labels.get(status, status)
