"""Everything under /api/: v1 (one URL module per app, its stats endpoints included), the
OpenAPI schema and its docs.

Any other address under /api/ answers a JSON 404 (never the HTML page).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from registry.api import views
from registry.api.deletions import DeletionsView
from registry.api.docs import offline
from registry.api.exceptions import not_found
from registry.api.units import UnitViewSet

router = SimpleRouter()
router.register("districts", views.DistrictViewSet, basename="district")
router.register("units", UnitViewSet, basename="unit")

v1 = [
    path("", include(router.urls)),
    # Before the clusters' URLs: reports serve the KPI endpoint with the published figures.
    path("", include("reports.api.urls")),
    path("", include("clusters.api.urls")),
    path("", include("markets.api.urls")),
    path("deletions/", DeletionsView.as_view(), name="deletions"),
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", offline(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path(
        "redoc/",
        # Without drf-spectacular's Google Fonts links (templates/api/redoc.html).
        offline(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    re_path(r"^", not_found),
]
