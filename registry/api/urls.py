"""Everything under /api/: v1 (one router per app), the OpenAPI schema and its docs.

Any other address under /api/ answers a JSON 404 (never the HTML page).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from registry.api import views
from registry.api.exceptions import not_found

router = SimpleRouter()
router.register("districts", views.DistrictViewSet, basename="district")

v1 = [
    path("", include(router.urls)),
    path("", include("clusters.api.urls")),
    path("", include("markets.api.urls")),
    path(
        "stats/wastewater-compliance/",
        views.WastewaterComplianceView.as_view(),
        name="stats-wastewater-compliance",
    ),
    path(
        "stats/construction-overdue/",
        views.ConstructionOverdueView.as_view(),
        name="stats-construction-overdue",
    ),
    path("stats/markets/", views.MarketStatisticsView.as_view(), name="stats-markets"),
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^", not_found),
]
