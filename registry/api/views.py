"""The districts endpoint and the stats endpoints (DESIGN.md sections 4 and 6).

The stats call the core's selectors — the same functions the dashboard calls — over the
caller's districts (registry.scoping), so the API and the dashboard show the same numbers.
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from clusters.models import IndustrialCluster
from clusters.selectors import construction_overdue, wastewater_compliance
from markets.models import Market
from markets.selectors import market_statistics
from registry.api.permissions import HasViewPermissions
from registry.api.serializers import (
    ComplianceKpiSerializer,
    ConstructionOverdueSerializer,
    DistrictSerializer,
    KpiQuerySerializer,
    MarketStatisticsSerializer,
    MarketStatsQuerySerializer,
    OverdueClusterSerializer,
    OverdueQuerySerializer,
)
from registry.api.viewsets import RegistryViewSet
from registry.dates import today
from registry.models import District
from registry.scoping import can_access_all_districts, restrict, visible_districts


class DistrictViewSet(RegistryViewSet):
    """Hanoi's district-level units (reference data), by official code."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    lookup_field = "code"
    http_method_names = ["get", "head", "options"]
    csv_name = "districts"


class StatsView(APIView):
    permission_classes = [HasViewPermissions]
    renderer_classes = [JSONRenderer]
    query_serializer_class = None

    def query(self, request) -> dict:
        """The validated query parameters (400 with per-parameter messages otherwise)."""
        params = self.query_serializer_class(data=request.query_params)
        # Only districts the caller sees can be asked for.
        params.fields["district"].queryset = visible_districts(request.user)
        params.is_valid(raise_exception=True)
        return params.validated_data

    def districts(self, request, params):
        """The districts asked for: the one in ``district`` (validated against the caller's
        districts by ``query``), else all the caller's; ``None`` when that is every district
        (the selectors' default, which need not filter by district then)."""
        if params.get("district") is not None:
            return [params["district"]]
        if can_access_all_districts(request.user):
            return None
        return visible_districts(request.user)


class WastewaterComplianceView(StatsView):
    """The wastewater KPI of DESIGN.md section 4 at ``as_of``, city-wide (over the caller's
    districts) and for each district."""

    required_permissions = ["clusters.view_industrialcluster"]
    query_serializer_class = KpiQuerySerializer

    @extend_schema(parameters=[KpiQuerySerializer], responses=ComplianceKpiSerializer)
    def get(self, request):
        params = self.query(request)
        kpi = wastewater_compliance(
            as_of=params.get("as_of") or today(), districts=self.districts(request, params)
        )
        return Response(ComplianceKpiSerializer(kpi).data)


class ConstructionOverdueView(StatsView):
    """Clusters established at least ``months`` months before ``as_of`` whose developer has
    not started construction, oldest first."""

    required_permissions = ["clusters.view_industrialcluster"]
    query_serializer_class = OverdueQuerySerializer

    @extend_schema(parameters=[OverdueQuerySerializer], responses=ConstructionOverdueSerializer)
    def get(self, request):
        params = self.query(request)
        as_of = params.get("as_of") or today()
        months = params.get("months")
        if months is None:
            months = settings.REGISTRY["OVERDUE_MONTHS"]
        clusters = restrict(IndustrialCluster.objects.all(), request.user)
        if params.get("district") is not None:
            clusters = clusters.filter(district=params["district"])
        rows = construction_overdue(as_of=as_of, months=months, clusters=clusters)
        return Response(
            {
                "as_of": as_of.isoformat(),
                "months": months,
                "count": len(rows),
                "results": OverdueClusterSerializer(rows, many=True).data,
            }
        )


class MarketStatisticsView(StatsView):
    """Markets counted by current status, by class and by district."""

    required_permissions = ["markets.view_market"]
    query_serializer_class = MarketStatsQuerySerializer

    @extend_schema(parameters=[MarketStatsQuerySerializer], responses=MarketStatisticsSerializer)
    def get(self, request):
        params = self.query(request)
        districts = self.districts(request, params)
        stats = market_statistics(
            markets=restrict(Market.objects.all(), request.user), districts=districts
        )
        return Response(MarketStatisticsSerializer(stats).data)
