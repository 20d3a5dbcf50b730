"""Inactive districts keep their records but take no new ones (registry.models
.validate_district_takes, called by DistrictRecord.clean(), which the admin's forms, the API's
serializers and the import's row validation all run)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.models import IndustrialCluster
from registry.models import validate_district_takes
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, MarketFactory, UserFactory, district

pytestmark = pytest.mark.django_db


def deactivate(code):
    unit = district(code)
    unit.active = False
    unit.save()
    return unit


@pytest.mark.parametrize("factory", [ClusterFactory, MarketFactory])
def test_a_record_cannot_be_added_or_moved_to_an_inactive_district(factory):
    sơn_tây = deactivate("269")
    new = factory.build(district=sơn_tây)
    with pytest.raises(ValidationError) as refused:
        new.full_clean()
    assert "district" in refused.value.message_dict
    moved = factory(district=district("017"))
    moved.district = sơn_tây
    with pytest.raises(ValidationError) as refused:
        moved.full_clean()
    assert "269" in refused.value.message_dict["district"][0]  # names the district


@pytest.mark.parametrize("factory", [ClusterFactory, MarketFactory])
def test_a_record_already_in_an_inactive_district_stays_editable(factory):
    record = factory(district=district("269"))
    deactivate("269")
    record.refresh_from_db()
    record.name = "Renamed"
    record.full_clean()  # no error: it was there before the district became inactive


def test_the_api_refuses_moving_a_cluster_to_an_inactive_district():
    deactivate("269")
    cluster = ClusterFactory(district=district("017"))
    url = reverse("api:cluster-detail", args=[cluster.code])
    response = token_client(editor()).patch(url, {"district": "269"}, format="json")
    assert response.status_code == 400
    assert "district" in response.json()
    assert IndustrialCluster.objects.get(pk=cluster.pk).district.code == "017"


def editor():
    return grant(
        UserFactory(username="editor"),
        "registry.access_all_districts",
        "clusters.view_industrialcluster",
        "clusters.change_industrialcluster",
        "markets.view_market",
        "markets.change_market",
    )


def test_the_api_refuses_moving_a_market_and_keeps_editing_records_already_there():
    deactivate("269")
    market = MarketFactory(district=district("017"))
    client = token_client(editor())
    response = client.patch(
        reverse("api:market-detail", args=[market.code]), {"district": "269"}, format="json"
    )
    assert response.status_code == 400
    assert "district" in response.json()
    # A cluster already in the inactive district: other fields change, the district stays.
    there = ClusterFactory(district=district("269"))
    response = client.patch(
        reverse("api:cluster-detail", args=[there.code]), {"name": "Đổi tên"}, format="json"
    )
    assert response.status_code == 200
    assert IndustrialCluster.objects.get(pk=there.pk).name == "Đổi tên"


def test_a_loaded_record_is_checked_without_a_query(django_assert_num_queries):
    """The district a record was loaded with is remembered: imports check each row of a
    file without one more query per row."""
    ClusterFactory(district=district("269"))
    deactivate("269")
    record = IndustrialCluster.objects.select_related("district").get()
    with django_assert_num_queries(0):
        validate_district_takes(record)
    record.district = district("017")
    record.save()
    record.district = district("269")  # moved back after the save: refused
    with pytest.raises(ValidationError):
        validate_district_takes(record)
