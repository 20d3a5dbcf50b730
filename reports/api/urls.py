"""The reports' API, mounted under /api/v1/ by registry.api.urls — before the clusters' URLs,
so that the KPI endpoint is served by ``reports.api.kpi`` (the clusters' view with the
published figures added)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.api.kpi import WastewaterComplianceView
from reports.api.views import ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    *router.urls,
    path(
        "stats/wastewater-compliance/",
        WastewaterComplianceView.as_view(),
        name="stats-wastewater-compliance",
    ),
]
