"""Target countries: ISO 3166-1 alpha-2 codes, named in the page's language (from Babel's CLDR data)."""

from __future__ import annotations

from functools import cache

from babel import Locale
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

HOME = "KR"  # the projects take Korean companies abroad
# CLDR territories that are not ISO 3166-1 countries: groupings, unknown, and exceptionally reserved codes.
NOT_ISO = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK", "AC", "CP", "DG", "EA", "IC", "TA", "CQ"})


@cache
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse(language).territories
    return {code: name for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in NOT_ISO}


def _language() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def country_codes() -> frozenset[str]:
    return frozenset(_names("en"))


def country_name(code: str) -> str:
    return _names(_language()).get(code.upper(), code)


def country_choices() -> list[tuple[str, str]]:
    """Every target country but Korea, by name in the page's language."""
    names = _names(_language())
    return sorted(((code, f"{name} ({code})") for code, name in names.items() if code != HOME),
                  key=lambda choice: choice[1])


def validate_country(value: str) -> None:
    if value not in country_codes():
        raise ValidationError(_("Give the target country as an ISO 3166-1 alpha-2 code, e.g. US or VN."),
                              code="invalid_country")
    if value == HOME:
        raise ValidationError(_("A joint overseas expansion goes abroad: the target country cannot be Korea."),
                              code="home_country")
