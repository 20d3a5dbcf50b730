"""The clusters app's router, mounted under /api/v1/ by registry.api.urls."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import path
from rest_framework.routers import SimpleRouter

from clusters.api.stats import ConstructionOverdueView, WastewaterComplianceView
from clusters.api.views import ClusterViewSet, InspectionViewSet, ScheduleExtensionViewSet
from clusters.models import IndustrialCluster, WastewaterInspection
from registry.api.deletions import DeletionSource, register

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

# The deletions feed (/api/v1/deletions/). An inspection's district is its cluster's: the
# cluster's now, or its last recorded one if the cluster was deleted since.
register(DeletionSource("cluster", IndustrialCluster, key_field="code"))
register(
    DeletionSource(
        "inspection",
        WastewaterInspection,
        key_field="id",
        district_id=Coalesce(
            Subquery(
                IndustrialCluster.objects.filter(pk=OuterRef("cluster_id")).values("district_id")
            ),
            Subquery(
                IndustrialCluster.history.filter(id=OuterRef("cluster_id"))
                .order_by("-history_date", "-history_id")
                .values("district_id")[:1]
            ),
        ),
    )
)
