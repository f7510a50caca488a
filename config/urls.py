from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("portal/grants/", include("apps.grants.portal_urls")),
    path("portal/guarantees/", include("apps.guarantees.portal_urls")),
    path("portal/exportfinance/", include("apps.exportfinance.portal_urls")),
    path("portal/relief/", include("apps.relief.portal_urls")),
    path("portal/evaluations/", include("apps.evaluations.portal_urls")),
    path("portal/", include("apps.portal.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("apps.ledger.urls")),
    path("api/v1/", include("apps.funds.urls")),
    path("api/v1/", include("apps.organizations.urls")),
    path("api/v1/", include("apps.contributions.urls")),
    path("api/v1/", include("apps.taxcredits.urls")),
    path("api/v1/", include("apps.matching.urls")),
    path("api/v1/", include("apps.grants.urls")),
    path("api/v1/", include("apps.guarantees.urls")),
    path("api/v1/", include("apps.exportfinance.urls")),
    path("api/v1/", include("apps.relief.urls")),
    path("api/v1/", include("apps.exports.urls")),
    path("api/v1/", include("apps.statements.urls")),
    path("api/v1/", include("apps.evaluations.urls")),
    path("api/v1/", include("apps.audit.urls")),
    path("api/v1/", include("apps.dashboard.urls")),
    path("auditor/exports/", include("apps.exports.portal_urls")),
    path("auditor/statements/", include("apps.statements.portal_urls")),
    path("auditor/", include("apps.audit.portal_urls")),
    path("dashboard/", include("apps.dashboard.portal_urls")),
]
