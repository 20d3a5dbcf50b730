"""The synthetic national-scale dataset (``manage.py seed_scale``), on a small size."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Exists, OuterRef, Q

from clusters.choices import ClusterStatus, WastewaterState
from clusters.models import IndustrialCluster, WastewaterInspection
from markets.choices import MarketClass, MarketKind, MarketStatus
from markets.models import Market
from registry.dates import today
from registry.models import AdministrativeUnit, District, UnitLevel, UnitSuccession
from tests.factories import ClusterFactory, MarketFactory

pytestmark = pytest.mark.django_db

SMALL = {"clusters": 200, "inspections": 2000, "markets": 300, "communes": 400}
REAL_COMMUNES = 126
DAY = datetime.date(2026, 1, 15)


def seed(**options):
    options = {**SMALL, "today": DAY, **options}
    call_command(
        "seed_scale", **{k: v for k, v in options.items() if v is not None}, stdout=io.StringIO()
    )


def snapshot():
    """Every synthetic row's own values (not its id or timestamps), in code order."""
    clusters = list(
        IndustrialCluster.objects.order_by("code").values_list(
            "code",
            "district__code",
            "commune__code",
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
            "code",
            "district__code",
            "commune__code",
            "kind",
            "market_class",
            "status",
            "business_points",
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


def communes():
    return AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE)


def inconsistent(model):
    """Records whose commune is missing or does not succeed their district."""
    successions = UnitSuccession.objects.filter(
        predecessor__district=OuterRef("district"), successor=OuterRef("commune")
    )
    return model.objects.filter(Q(commune__isnull=True) | ~Exists(successions))


def test_spreads_the_records_over_the_country_s_3321_communes_by_default():
    seed(communes=None)
    assert communes().count() == 3321
    synthetic = communes().exclude(pk__in=real_commune_ids())
    assert synthetic.count() == 3321 - REAL_COMMUNES
    # Codes above every real one, valid from the reform, each succeeding one district.
    assert min(synthetic.values_list("code", flat=True)) == "90000"
    assert set(synthetic.values_list("valid_from", flat=True)) == {datetime.date(2025, 7, 1)}
    assert not synthetic.annotate(n=Count("predecessions")).exclude(n=1).exists()
    assert (
        UnitSuccession.objects.filter(successor__in=synthetic)
        .values("predecessor__district")
        .distinct()
        .count()
        == District.objects.count()
    )
    for model in (IndustrialCluster, Market):
        assert not inconsistent(model).exists()
    # Skewed: the busiest commune holds many clusters, and real communes are used too.
    busiest = IndustrialCluster.objects.values("commune").annotate(n=Count("pk")).order_by("-n")[0]
    assert busiest["n"] >= 5  # against 200 / 3,321 = 0.06 on average
    assert IndustrialCluster.objects.filter(commune__in=real_commune_ids()).exists()


def real_commune_ids():
    from demo.management.commands.seed_scale import SYNTHETIC_BASIS

    return communes().exclude(legal_basis=SYNTHETIC_BASIS).values("pk")


def test_keeps_the_real_communes_and_replaces_its_own():
    real = set(communes().values_list("code", "name"))
    assert len(real) == REAL_COMMUNES
    seed(communes=500)
    assert communes().count() == 500
    seed(communes=300, replace=True)
    assert communes().count() == 300
    assert real <= set(communes().values_list("code", "name"))
    for model in (IndustrialCluster, Market):
        assert not inconsistent(model).exists()
    # Fewer than the real ones: only the real ones, none removed.
    seed(communes=10, replace=True)
    assert set(communes().values_list("code", "name")) == real
    assert not inconsistent(IndustrialCluster).exists()
    with pytest.raises(CommandError, match="more than 10,000"):
        seed(communes=10_001, replace=True)
