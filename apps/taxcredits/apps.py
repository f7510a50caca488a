from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxCreditsConfig(AppConfig):
    name = "apps.taxcredits"
    label = "taxcredits"
    verbose_name = _("Tax credits")
