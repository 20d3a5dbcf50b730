"""The clusters app's router, mounted under /api/v1/ by registry.api.urls."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from clusters.api.stats import ConstructionOverdueView, WastewaterComplianceView
from clusters.api.views import ClusterViewSet, InspectionViewSet, ScheduleExtensionViewSet

router = SimpleRouter()
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("schedule-extensions", ScheduleExtensionViewSet, basename="schedule-extension")

urlpatterns = [
    *router.urls,
    path(
        "stats/wastewater-compliance/",
        WastewaterComplianceView.as_view(),
        name="stats-wastewater-compliance",
    ),
    path(
        "stats/construction-overdue/",
        ConstructionOverdueView.as_view(),
        name="stats-construction-overdue",
    ),
]
