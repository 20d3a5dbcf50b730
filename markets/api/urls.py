"""The markets app's router, mounted under /api/v1/ by registry.api.urls."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from markets.api.stats import MarketStatisticsView
from markets.api.views import MarketViewSet
from markets.models import Market
from registry.api.deletions import DeletionSource, register

router = SimpleRouter()
router.register("markets", MarketViewSet, basename="market")

urlpatterns = [
    *router.urls,
    path("stats/markets/", MarketStatisticsView.as_view(), name="stats-markets"),
]

# The deletions feed (/api/v1/deletions/).
register(DeletionSource("market", Market, key_field="code"))
