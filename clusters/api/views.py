"""ViewSets of the clusters API: declarative (queryset + serializer + filterset)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from clusters.api.serializers import (
    ClusterSerializer,
    InspectionSerializer,
    ScheduleExtensionSerializer,
)
from clusters.filtersets import ClusterFilterSet, InspectionFilterSet, ScheduleExtensionFilterSet
from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from registry.api.viewsets import RegistryViewSet, as_of_from

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="Evaluate status and wastewater state at this date (default: today in Hanoi).",
)


@extend_schema_view(retrieve=extend_schema(parameters=[AS_OF]))
class ClusterViewSet(RegistryViewSet):
    """Industrial clusters, found by code. ``status``, ``wastewater_state`` and
    ``latest_inspection`` are evaluated at ``as_of`` (default: today in Hanoi). Lists take
    ``?format=csv``; a record's ``ETag`` goes back in ``If-Match`` when changing it.

    To keep a copy in sync: ask ``?ordering=updated_at&updated_since=<T>&page_size=500``,
    store the rows, and ask again with ``T`` = the last row's ``updated_at`` until a page has
    no ``next``; then fetch ``/api/v1/deletions/?since=<T0>`` for what was deleted."""

    queryset = IndustrialCluster.objects.all()
    serializer_class = ClusterSerializer
    filterset_class = ClusterFilterSet
    lookup_field = "code"
    csv_name = "clusters"

    def annotate(self, queryset):
        return queryset.select_related("district", "commune").with_wastewater_state(
            as_of_from(self.request)
        )


class InspectionViewSet(RegistryViewSet):
    """Wastewater inspections: the evidence behind a cluster's wastewater state. The cluster
    is given by its code. History of every change is kept.

    To keep a copy in sync: ask ``?ordering=updated_at&updated_since=<T>&page_size=500``,
    store the rows, and ask again with ``T`` = the last row's ``updated_at`` until a page has
    no ``next``; then fetch ``/api/v1/deletions/?since=<T0>`` for what was deleted."""

    queryset = WastewaterInspection.objects.all()
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet
    csv_name = "inspections"

    def annotate(self, queryset):
        return queryset.select_related("cluster")


class ScheduleExtensionViewSet(RegistryViewSet):
    """Schedule extensions: the city's decisions giving a cluster a new construction-start
    and/or completion deadline (they set the deadlines of the construction-overdue lists).
    The cluster is given by its code. History of every change is kept."""

    queryset = ScheduleExtension.objects.all()
    serializer_class = ScheduleExtensionSerializer
    filterset_class = ScheduleExtensionFilterSet
    csv_name = "schedule-extensions"

    def annotate(self, queryset):
        return queryset.select_related("cluster")
