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


def role_permissions_grant(app_label: str) -> None:
    """The two staff groups' back-office permissions on one project app's models: auditors view, fund
    administrators view, add and change. Nobody is given delete: records leave only through services (and ledger
    records never). Admin classes still refuse edits the services own (posted entries, contributions, ...)."""
    from django.contrib.auth.models import Group, Permission

    perms = list(Permission.objects.filter(content_type__app_label=app_label))
    auditors, _ = Group.objects.get_or_create(name=AUDITORS)
    admins, _ = Group.objects.get_or_create(name=FUND_ADMINISTRATORS)
    auditors.permissions.add(*[p for p in perms if p.codename.startswith("view_")])
    admins.permissions.add(*[p for p in perms if p.codename.split("_", 1)[0] in {"view", "add", "change"}])


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: every project app's permissions go to the staff groups as soon as the app is migrated, so a
    fresh installation (not only the demo) has working roles. Runs after auth has created the app's permissions."""
    if sender.name.startswith("apps."):
        role_permissions_grant(sender.label)


def reads_books(user) -> bool:
    """Fund administrators and auditors: the people who may read every fund's books, exports and trail."""
    return is_fund_admin(user) or is_auditor(user)
