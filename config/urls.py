from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("portal/", include("apps.portal.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("apps.ledger.urls")),
    path("api/v1/", include("apps.funds.urls")),
    path("api/v1/", include("apps.organizations.urls")),
    path("api/v1/", include("apps.contributions.urls")),
    path("api/v1/", include("apps.taxcredits.urls")),
    path("api/v1/", include("apps.matching.urls")),
]
