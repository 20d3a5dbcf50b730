"""ViewSets of the markets API: declarative (queryset + serializer + filterset)."""

from markets.api.serializers import MarketSerializer
from markets.filtersets import MarketFilterSet
from markets.models import Market
from registry.api.viewsets import RegistryViewSet


class MarketViewSet(RegistryViewSet):
    """Markets, found by code. ``class_matches_criteria`` flags a recorded class that
    disagrees with the market's own figures (Decree 60/2024/NĐ-CP).

    To keep a copy in sync: ask ``?ordering=updated_at&updated_since=<T>&page_size=500``,
    store the rows, and ask again with ``T`` = the last row's ``updated_at`` until a page has
    no ``next``; then fetch ``/api/v1/deletions/?since=<T0>`` for what was deleted."""

    queryset = Market.objects.all()
    serializer_class = MarketSerializer
    filterset_class = MarketFilterSet
    lookup_field = "code"
    csv_name = "markets"

    def annotate(self, queryset):
        return queryset.select_related("district", "commune").with_class_check()
