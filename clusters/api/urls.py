"""The clusters app's router, mounted under /api/v1/ by registry.api.urls."""

from rest_framework.routers import SimpleRouter

from clusters.api.views import ClusterViewSet, InspectionViewSet

router = SimpleRouter()
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("inspections", InspectionViewSet, basename="inspection")

urlpatterns = router.urls
