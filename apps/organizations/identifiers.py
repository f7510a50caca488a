"""Korean company identifiers (DOMAIN.md §9): the business registration number (사업자등록번호, `XXX-XX-XXXXX`)
and the corporate registration number (법인등록번호, `XXXXXX-XXXXXXX`).

Both are stored as digits only and shown with their hyphens. `normalize_*` accepts what people type (hyphens and
spaces anywhere); `validate_*` raises Django's `ValidationError` naming what is wrong; `format_*` gives the display
form. The check-digit rules are public and simple, so a typo in any single digit is caught.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

BRN_LENGTH = 10
CRN_LENGTH = 13
BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
CRN_WEIGHTS = (1, 2) * 6
SEPARATORS = re.compile(r"[\s\-‐‑‒–—]")  # spaces and every dash people paste from documents


def normalize(value) -> str:
    """Drop hyphens and spaces: `124-81-00998`, `124 81 00998` and `1248100998` all become `1248100998`.
    Anything else (letters, other punctuation) is kept, for the validator to refuse."""
    if value is None:
        return ""
    return SEPARATORS.sub("", str(value))


def _has_digits(value: str, length: int) -> bool:
    """Exactly `length` ASCII digits (`isdigit` alone also accepts other scripts' digits and superscripts)."""
    return len(value) == length and value.isascii() and value.isdigit()


# Business registration number (사업자등록번호)


def brn_check_digit(first_nine: str) -> int:
    """The check digit of a business registration number from its first nine digits:
    S = Σ dᵢ·wᵢ + ⌊5·d₉/10⌋, check = (10 − S mod 10) mod 10."""
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True)) + (5 * digits[8]) // 10
    return (10 - total % 10) % 10


def is_valid_brn(value) -> bool:
    digits = normalize(value)
    return _has_digits(digits, BRN_LENGTH) and brn_check_digit(digits[:9]) == int(digits[9])


def validate_brn(value) -> None:
    digits = normalize(value)
    if not _has_digits(digits, BRN_LENGTH):
        raise ValidationError(
            _("A business registration number has 10 digits, written XXX-XX-XXXXX."),
            code="brn_format",
        )
    if brn_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("This business registration number fails its check digit: please check it for a typo."),
            code="brn_checksum",
        )


def format_brn(value) -> str:
    """`1248100998` → `124-81-00998`; anything that is not 10 digits is returned as it was given."""
    digits = normalize(value)
    if not _has_digits(digits, BRN_LENGTH):
        return "" if value is None else str(value)
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


class BrnKind(models.TextChoices):
    """What digits 4–5 of a business registration number say about the business."""

    HEAD_OFFICE = "head_office", _("For-profit corporation, head office")
    BRANCH = "branch", _("For-profit corporation, branch")
    NON_PROFIT = "non_profit", _("Non-profit corporation")
    GOVERNMENT = "government", _("Government or local authority")
    FOREIGN = "foreign", _("Foreign corporation")
    INDIVIDUAL = "individual", _("Individual business")
    OTHER = "other", _("Other organisation")


BRN_KIND_CODES = {
    81: BrnKind.HEAD_OFFICE, 86: BrnKind.HEAD_OFFICE, 87: BrnKind.HEAD_OFFICE, 88: BrnKind.HEAD_OFFICE,
    85: BrnKind.BRANCH,
    82: BrnKind.NON_PROFIT,
    83: BrnKind.GOVERNMENT,
    84: BrnKind.FOREIGN,
}


def brn_kind(value) -> BrnKind:
    """The kind of business a valid number belongs to (digits 4–5): 81, 86, 87, 88 a for-profit head office, 85 a
    branch, 82 non-profit, 83 government, 84 foreign; 01–79 and 90–99 individual businesses; anything else other."""
    validate_brn(value)
    code = int(normalize(value)[3:5])
    if code in BRN_KIND_CODES:
        return BRN_KIND_CODES[code]
    if 1 <= code <= 79 or 90 <= code <= 99:
        return BrnKind.INDIVIDUAL
    return BrnKind.OTHER


# Corporate registration number (법인등록번호)


def crn_check_digit(first_twelve: str) -> int:
    """The check digit of a corporate registration number: weights 1, 2, 1, 2, … on digits 1–12, plain products
    summed, check = (10 − S mod 10) mod 10."""
    total = sum(int(c) * w for c, w in zip(first_twelve, CRN_WEIGHTS, strict=True))
    return (10 - total % 10) % 10


def is_valid_crn(value) -> bool:
    digits = normalize(value)
    return _has_digits(digits, CRN_LENGTH) and crn_check_digit(digits[:12]) == int(digits[12])


def validate_crn(value) -> None:
    digits = normalize(value)
    if not _has_digits(digits, CRN_LENGTH):
        raise ValidationError(
            _("A corporate registration number has 13 digits, written XXXXXX-XXXXXXX."),
            code="crn_format",
        )
    if crn_check_digit(digits[:12]) != int(digits[12]):
        raise ValidationError(
            _("This corporate registration number fails its check digit: please check it for a typo."),
            code="crn_checksum",
        )


def format_crn(value) -> str:
    """`1301110006246` → `130111-0006246`; anything that is not 13 digits is returned as it was given."""
    digits = normalize(value)
    if not _has_digits(digits, CRN_LENGTH):
        return "" if value is None else str(value)
    return f"{digits[:6]}-{digits[6:]}"
