"""The roles people have in the system. Fund administrators and auditors are Django groups; organisation members
come with the organisations app."""

FUND_ADMINISTRATORS = "fund_administrators"
AUDITORS = "auditors"


def _in_group(user, name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_cache = cache
    return name in cache


def is_fund_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, FUND_ADMINISTRATORS)


def is_auditor(user) -> bool:
    return _in_group(user, AUDITORS)
