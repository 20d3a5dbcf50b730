"""The markets' stats endpoint: markets counted by current status, by class and by district.

The query parameters, the view (which calls ``markets.selectors.market_statistics`` over the
caller's districts as ``registry.scoping.districts_in_scope`` decides) and the response
serializers that render it and describe it in the OpenAPI document.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from markets.choices import MarketClass, MarketStatus
from markets.models import Market
from markets.selectors import UNCLASSIFIED, market_statistics
from registry.api.serializers import DistrictQueryField, counts_serializer
from registry.api.views import StatsView
from registry.models import District
from registry.scoping import restrict


class MarketStatsQuerySerializer(serializers.Serializer):
    district = DistrictQueryField(
        queryset=District.objects.all(),
        required=False,
        help_text=_("Only this district (its three-digit code)."),
    )


ByMarketStatusSerializer = counts_serializer(
    "MarketStatusCounts", [s.value for s in MarketStatus], _("Markets with this status.")
)
ByMarketClassSerializer = counts_serializer(
    "MarketClassCounts",
    [c.value for c in MarketClass] + [UNCLASSIFIED],
    _("Markets of this class."),
)


class MarketCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = ByMarketStatusSerializer()
    by_class = ByMarketClassSerializer()


class DistrictMarketCountsSerializer(MarketCountsSerializer):
    district = serializers.CharField(help_text=_("The district's code."))
    name = serializers.CharField()

    def to_representation(self, instance):
        district, counts = instance
        return {
            "district": district.code,
            "name": district.name,
            **MarketCountsSerializer().to_representation(counts.as_dict()),
        }


class MarketStatisticsSerializer(MarketCountsSerializer):
    districts = DistrictMarketCountsSerializer(many=True)

    def to_representation(self, instance):
        return {
            **MarketCountsSerializer().to_representation(instance.city.as_dict()),
            "districts": DistrictMarketCountsSerializer(instance.districts, many=True).data,
        }


class MarketStatisticsView(StatsView):
    """Markets counted by their current status and by class (1, 2, 3 under Decree
    60/2024/NĐ-CP, or unclassified): the total over the districts you see, and each of them
    (only one with ``district``). ``?format=csv`` gives a total row and one row a district."""

    required_permissions = ["markets.view_market"]
    query_serializer_class = MarketStatsQuerySerializer
    csv_name = "markets"

    @extend_schema(parameters=[MarketStatsQuerySerializer], responses=MarketStatisticsSerializer)
    def get(self, request):
        params = self.query(request)
        stats = market_statistics(
            markets=restrict(Market.objects.all(), request.user),
            districts=self.districts(request, params),
        )
        return self.respond(MarketStatisticsSerializer(stats).data)

    def csv_rows(self, data):
        """The total over the districts covered (district left empty), then each district."""
        total = {key: value for key, value in data.items() if key != "districts"}
        return [{"district": "", "name": str(_("Total")), **total}, *data["districts"]]
