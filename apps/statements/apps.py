from django.apps import AppConfig
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import STAFF


def _reads_books(request) -> bool:
    from apps.core.roles import reads_books

    return reads_books(request.user)


class StatementsConfig(AppConfig):
    name = "apps.statements"
    label = "statements"
    verbose_name = _("Financial statements")
    # The statements are for fund administrators and auditors: in the back office's sidebar, and on the site's
    # header for them only.
    portal_nav: tuple = ((_("Financial statements"), "statements:index", STAFF),)
    admin_nav = {"title": _("Financial statements"), "items": (
        {"title": _("Financial statements"), "icon": "request_quote", "link": reverse_lazy("statements:index"),
         "permission": _reads_books},
    )}
