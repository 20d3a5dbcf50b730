"""The synthetic national-scale dataset (``manage.py seed_scale``), on a small size."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from clusters.choices import ClusterStatus, WastewaterState
from clusters.models import IndustrialCluster, WastewaterInspection
from markets.choices import MarketClass, MarketKind, MarketStatus
from markets.models import Market
from registry.dates import today
from registry.models import District
from tests.factories import ClusterFactory, MarketFactory

pytestmark = pytest.mark.django_db

SMALL = {"clusters": 200, "inspections": 2000, "markets": 300}
DAY = datetime.date(2026, 1, 15)


def seed(**options):
    call_command("seed_scale", **{**SMALL, "today": DAY, **options}, stdout=None)


def snapshot():
    """Every synthetic row's own values (not its id or timestamps), in code order."""
    clusters = list(
        IndustrialCluster.objects.order_by("code").values_list(
            "code",
            "district__code",
            "area_ha",
            "established_on",
            "construction_started_on",
            "operating_since",
            "closed_on",
            "wwtp_operating_since",
            "wwtp_standard",
        )
    )
    inspections = sorted(
        WastewaterInspection.objects.values_list(
            "cluster__code", "inspected_on", "result", "standard", "reference"
        )
    )
    markets = list(
        Market.objects.order_by("code").values_list(
            "code", "district__code", "kind", "market_class", "status", "business_points"
        )
    )
    return clusters, inspections, markets


def test_loads_the_requested_counts_with_scale_codes():
    seed()
    assert IndustrialCluster.objects.filter(code__startswith="SCALE-C-").count() == 200
    assert WastewaterInspection.objects.count() == 2000
    assert Market.objects.filter(code__startswith="SCALE-M-").count() == 300


def test_same_seed_gives_the_same_rows_and_another_seed_does_not():
    seed(seed=7)
    first = snapshot()
    seed(seed=7, replace=True)
    assert snapshot() == first
    seed(seed=8, replace=True)
    assert snapshot() != first


def test_covers_every_status_every_wastewater_state_and_every_district():
    seed()
    rows = IndustrialCluster.objects.with_wastewater_state(DAY)
    assert set(rows.values_list("status", flat=True)) == set(ClusterStatus.values)
    assert set(rows.values_list("wastewater_state", flat=True)) == set(WastewaterState.values)
    markets = Market.objects.all()
    assert set(markets.values_list("status", flat=True)) == set(MarketStatus.values)
    assert set(markets.values_list("kind", flat=True)) == set(MarketKind.values)
    assert set(markets.values_list("market_class", flat=True)) == {*MarketClass.values, None}
    used = set(rows.values_list("district_id", flat=True)) | set(
        markets.values_list("district_id", flat=True)
    )
    assert used == set(District.objects.values_list("pk", flat=True))


def test_every_row_satisfies_the_model_validation():
    seed(clusters=40, inspections=300, markets=40)
    for obj in [*IndustrialCluster.objects.all(), *Market.objects.all()]:
        obj.full_clean()
    for inspection in WastewaterInspection.objects.all()[:100]:
        inspection.full_clean()
        assert inspection.inspected_on <= today()


def test_sits_next_to_existing_data_and_refuses_to_load_twice():
    ClusterFactory(code="CCN-NGOC-HOI")
    MarketFactory(code="CHO-DONG-XUAN")
    seed(clusters=20, inspections=100, markets=20)
    assert IndustrialCluster.objects.filter(code="CCN-NGOC-HOI").exists()
    with pytest.raises(CommandError, match="already loaded"):
        seed(clusters=20, inspections=100, markets=20)
    seed(clusters=10, inspections=50, markets=10, replace=True)
    assert IndustrialCluster.objects.count() == 11
    assert Market.objects.count() == 11


def test_refuses_bad_sizes_and_future_days():
    with pytest.raises(CommandError, match="negative"):
        seed(clusters=-1)
    with pytest.raises(CommandError, match="future"):
        seed(today=today() + datetime.timedelta(days=2))
    assert not IndustrialCluster.objects.exists()
