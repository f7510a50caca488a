from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportFinanceConfig(AppConfig):
    name = "apps.exportfinance"
    label = "exportfinance"
    verbose_name = _("Strategic export finance")
    # Links this room adds to the contributors' portal and to the back office's sidebar
    # (read by apps.core.navigation).
    portal_nav: tuple = ((_("Export finance"), "exportfinance:projects"),)
    admin_nav: dict | None = {
        "title": _("Strategic export finance"),
        "items": (
            (_("Export projects"), "directions_boat", "exportfinance.exportproject"),
            (_("Disbursements"), "payments", "exportfinance.disbursement"),
            (_("Repayments"), "currency_exchange", "exportfinance.repayment"),
            (_("Profit reports"), "query_stats", "exportfinance.profitreport"),
            (_("Profit shares"), "recycling", "exportfinance.profitshare"),
            (_("Recycling rules"), "rule", "exportfinance.recyclingrule"),
        ),
    }
