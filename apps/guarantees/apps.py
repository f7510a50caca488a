from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteesConfig(AppConfig):
    name = "apps.guarantees"
    label = "guarantees"
    verbose_name = _("Win-win finance guarantees")
    # Links this room adds to the contributors' portal and to the back office's sidebar
    # (read by apps.core.navigation): portal_nav = ((title, url name), ...);
    # admin_nav = {"title": ..., "items": ((title, icon, "app_label.model"), ...)}.
    portal_nav: tuple = (
        (_("Win-win finance pool"), "guarantees:overview"),
    )
    admin_nav: dict | None = {
        "title": _("Win-win finance pool"),
        "items": (
            (_("Guarantee institutions"), "account_balance", "guarantees.guaranteeinstitution"),
            (_("Guarantee programs"), "handshake", "guarantees.guaranteeprogram"),
            (_("Earmarks"), "bookmark", "guarantees.earmark"),
            (_("Transfers to institutions"), "swap_horiz", "guarantees.guaranteetransfer"),
            (_("Guarantees"), "verified_user", "guarantees.guarantee"),
        ),
    }
