from django.apps import AppConfig
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


def _reads_books(request) -> bool:
    from apps.core.roles import is_auditor, is_fund_admin

    return is_fund_admin(request.user) or is_auditor(request.user)


class StatementsConfig(AppConfig):
    name = "apps.statements"
    label = "statements"
    verbose_name = _("Financial statements")
    # The statements are for fund administrators and auditors: a link in the back office's sidebar (the portal's
    # links are shown to every signed-in user, so none there).
    portal_nav: tuple = ()
    admin_nav = {"title": _("Financial statements"), "items": (
        {"title": _("Financial statements"), "icon": "request_quote", "link": reverse_lazy("statements:index"),
         "permission": _reads_books},
    )}
