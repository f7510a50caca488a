"""Navigation that every room contributes to: the back office's sidebar and the portal's links.

Each app's `AppConfig` may declare `admin_nav` (a sidebar group) and `portal_nav` (links for the contributors'
portal); this module is the one place that reads them, so a new room appears without editing settings.
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import reads_books


def _can_view(model: str):
    app_label, name = model.split(".")
    return lambda request: request.user.has_perm(f"{app_label}.view_{name}")


def model_link(title, icon: str, model: str) -> dict | None:
    """A sidebar item for a model's change list, shown to those who may view the model; None when the model has
    no change list in this back office (one missing admin must not take every admin page down)."""
    app_label, name = model.split(".")
    try:
        link = reverse(f"admin:{app_label}_{name}_changelist")
    except NoReverseMatch:
        return None
    return {"title": title, "icon": icon, "link": link, "permission": _can_view(model)}


def _items(items) -> list[dict]:
    found = [item if isinstance(item, dict) else model_link(*item) for item in items]
    return [item for item in found if item is not None]


def _base_groups() -> list[dict]:
    return [
        {
            "title": _("Funds and organisations"),
            "items": _items([
                {"title": _("Dashboard"), "icon": "dashboard", "link": reverse("admin:index")},
                (_("Funds"), "savings", "funds.fund"),
                (_("Organisations"), "corporate_fare", "organizations.organization"),
                (_("Members"), "badge", "organizations.membership"),
                (_("Contributions"), "volunteer_activism", "contributions.contribution"),
                (_("Donation receipts"), "receipt", "contributions.donationreceipt"),
                (_("Designated uses"), "category", "contributions.designateduse"),
                (_("Tax-credit rules"), "percent", "taxcredits.taxcreditrule"),
                (_("Matching rules"), "rule", "matching.matchingrule"),
                (_("Matching budgets"), "account_balance_wallet", "matching.matchingbudget"),
                (_("Matches"), "handshake", "matching.match"),
            ]),
        },
        {
            "title": _("Books"),
            "separator": True,
            "items": _items([
                (_("Ledgers"), "account_balance", "ledger.ledger"),
                (_("Accounts"), "account_tree", "ledger.account"),
                (_("Journal entries"), "receipt_long", "ledger.journalentry"),
                (_("Holds (pending entries)"), "pending_actions", "ledger.hold"),
            ]),
        },
        {
            "title": _("Closing and audit"),
            "separator": True,
            "items": _items([
                (_("Fiscal periods"), "event_available", "ledger.fiscalperiod"),
                (_("Period history"), "history", "ledger.periodevent"),
                (_("Entry seals"), "verified", "ledger.entryseal"),
                (_("Verification runs"), "fact_check", "ledger.verificationrun"),
            ]),
        },
    ]


def _people_group() -> dict:
    return {
        "title": _("People and access"),
        "separator": True,
        "collapsible": True,
        "items": _items([
            (_("Users"), "person", "auth.user"),
            (_("Groups"), "group", "auth.group"),
            (_("API tokens"), "key", "authtoken.tokenproxy"),
            {"title": _("API documentation"), "icon": "api", "link": "/api/docs/"},
        ]),
    }


def admin_sidebar(request) -> list[dict]:
    """UNFOLD's SIDEBAR navigation: the core groups, then one group per room that declares `admin_nav`."""
    groups = _base_groups()
    for config in apps.get_app_configs():
        nav = getattr(config, "admin_nav", None)
        if nav:
            groups.append({"title": nav["title"], "separator": True, "collapsible": nav.get("collapsible", False),
                           "items": _items(nav["items"])})
    groups.append(_people_group())
    return groups


STAFF = "staff"  # a portal_nav link only fund administrators and auditors see: ((title, url name, STAFF), ...)


def portal_links(request) -> dict:
    """Template context: the links every room declares in `portal_nav`, for signed-in users; a link marked STAFF
    only for fund administrators and auditors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_links": []}
    staff = reads_books(user)
    links = []
    for config in apps.get_app_configs():
        for title, url_name, *audience in getattr(config, "portal_nav", ()):
            if STAFF in audience and not staff:
                continue
            try:
                links.append({"title": title, "url": reverse(url_name)})
            except NoReverseMatch:
                continue  # a room whose pages are not mounted in this deployment
    return {"portal_links": links}
