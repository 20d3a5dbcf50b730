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
from markets.selectors import UNCLASSIFIED, MarketStatistics, market_statistics
from registry.api.reporting import ReportingQuerySerializer
from registry.api.serializers import counts_serializer
from registry.api.views import StatsView
from registry.models import UnitLevel
from registry.scoping import restrict


class MarketStatsQuerySerializer(ReportingQuerySerializer):
    # Market counts are of the current status: no date to ask for (grouped by today's level
    # unless ``by`` says otherwise).
    as_of = None


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


class UnitMarketCountsSerializer(MarketCountsSerializer):
    unit = serializers.CharField(help_text=_("The unit's code (3 digits: district; 5: commune)."))
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=UnitLevel.choices)


class MarketStatisticsSerializer(MarketCountsSerializer):
    grouping = serializers.ChoiceField(
        choices=UnitLevel.choices, help_text=_("The level of the units.")
    )
    units = UnitMarketCountsSerializer(many=True)
    unsettled = MarketCountsSerializer(
        allow_null=True, help_text=_("Markets in no unit of the grouping (no commune yet).")
    )
    districts = DistrictMarketCountsSerializer(
        many=True, required=False, help_text=_("When grouped by district: v1's rows.")
    )


def render_market_statistics(stats: MarketStatistics) -> dict:
    """The response as ``MarketStatisticsSerializer`` describes it."""
    counts = MarketCountsSerializer()
    units = [
        {"unit": unit.code, "name": unit.name, "level": unit.level}
        | counts.to_representation(unit_counts.as_dict())
        for unit, unit_counts in stats.units
    ]
    data = {
        **counts.to_representation(stats.city.as_dict()),
        "grouping": stats.grouping,
        "units": units,
        "unsettled": (
            None if stats.unsettled is None else counts.to_representation(stats.unsettled.as_dict())
        ),
    }
    if stats.grouping == UnitLevel.DISTRICT:
        data["districts"] = [
            {"district": row["unit"], "name": row["name"]}
            | {k: v for k, v in row.items() if k not in ("unit", "name", "level")}
            for row in units
        ]
    return data


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
            grouping=params["grouping"],
            units=params["units"],
        )
        return self.respond(render_market_statistics(stats))

    def csv_rows(self, data):
        """The total over the units covered (unit left empty), the markets in no unit when
        there are any, then each unit (grouped by district, v1's ``district`` column repeats
        the unit's code)."""
        grouping = data["grouping"]

        def row(unit, name, counts):
            head = {"grouping": grouping, "unit": unit, "name": name}
            if grouping == UnitLevel.DISTRICT:
                head["district"] = unit
            return head | {k: counts[k] for k in ("total", "by_status", "by_class")}

        rows = [row("", str(_("Total")), data)]
        if data["unsettled"] is not None:
            rows.append(row("", str(_("No commune settled")), data["unsettled"]))
        rows.extend(row(u["unit"], u["name"], u) for u in data["units"])
        return rows
