"""Markets counted by current status, by class (with the unclassified) and by district."""

import pytest

from markets.choices import MarketStatus
from markets.models import Market
from markets.selectors import UNCLASSIFIED, market_statistics
from registry.models import District
from tests.factories import MarketFactory, district

pytestmark = pytest.mark.django_db

ZERO_STATUSES = {s.value: 0 for s in MarketStatus}
ZERO_CLASSES = {"1": 0, "2": 0, "3": 0, UNCLASSIFIED: 0}


def counts_of(stats, code):
    (counts,) = [c for d, c in stats.districts if d.code == code]
    return counts


def make_markets():
    hoan_kiem, dong_anh = district("002"), district("017")
    MarketFactory(district=hoan_kiem, status="operating", market_class="1", business_points=500)
    MarketFactory(district=hoan_kiem, status="operating", market_class="3")
    MarketFactory(district=hoan_kiem, status="under_renovation", market_class=None)
    MarketFactory(district=dong_anh, status="operating", market_class="2", business_points=250)
    MarketFactory(district=dong_anh, status="planned", market_class=None)
    MarketFactory(district=dong_anh, status="closed", market_class="3")


def test_counts_by_status_class_and_district():
    make_markets()
    stats = market_statistics(grouping="district")
    assert stats.city.as_dict() == {
        "total": 6,
        "by_status": {**ZERO_STATUSES, "operating": 3, "under_renovation": 1, "planned": 1,
                      "closed": 1},
        "by_class": {"1": 1, "2": 1, "3": 2, UNCLASSIFIED: 2},
    }  # fmt: skip
    assert counts_of(stats, "002").as_dict() == {
        "total": 3,
        "by_status": {**ZERO_STATUSES, "operating": 2, "under_renovation": 1},
        "by_class": {"1": 1, "2": 0, "3": 1, UNCLASSIFIED: 1},
    }
    assert counts_of(stats, "017").as_dict() == {
        "total": 3,
        "by_status": {**ZERO_STATUSES, "operating": 1, "planned": 1, "closed": 1},
        "by_class": {"1": 0, "2": 1, "3": 1, UNCLASSIFIED: 1},
    }


def test_every_district_is_listed_with_zeros_when_empty():
    make_markets()
    stats = market_statistics(grouping="district")
    assert [d.code for d, _ in stats.districts] == list(
        District.objects.values_list("code", flat=True)
    )
    empty = counts_of(stats, "281").as_dict()
    assert empty == {"total": 0, "by_status": ZERO_STATUSES, "by_class": ZERO_CLASSES}


def test_no_markets_at_all():
    stats = market_statistics(grouping="district")
    assert stats.city.as_dict() == {"total": 0, "by_status": ZERO_STATUSES,
                                    "by_class": ZERO_CLASSES}  # fmt: skip


def test_restricted_to_chosen_markets_and_districts():
    make_markets()
    stats = market_statistics(
        markets=Market.objects.filter(status="operating"),
        districts=District.objects.filter(code="017"),
    )
    assert [d.code for d, _ in stats.districts] == ["017"]
    # The city figures cover the chosen districts only.
    assert stats.city.total == 1
    assert stats.city.by_class["2"] == 1


def test_a_fixed_number_of_queries_whatever_the_number_of_markets(django_assert_num_queries):
    make_markets()
    with django_assert_num_queries(2):
        market_statistics(grouping="district")
    Market.objects.bulk_create(
        MarketFactory.build(district=district(code), status=status, market_class=klass)
        for code in ["001", "268", "282"]
        for status in ["operating", "closed", "planned"]
        for klass in ["1", "2", None]
    )
    with django_assert_num_queries(2):
        stats = market_statistics(grouping="district")
    assert stats.city.total == 6 + 27
    assert counts_of(stats, "268").by_class == {"1": 3, "2": 3, "3": 0, UNCLASSIFIED: 3}
