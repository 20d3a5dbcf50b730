"""Inactive districts keep their records but take no new ones (registry.models
.validate_district_takes, called by the models' clean(): admin, API and imports alike)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.models import IndustrialCluster
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
    user = grant(
        UserFactory(username="editor"),
        "registry.access_all_districts",
        "clusters.view_industrialcluster",
        "clusters.change_industrialcluster",
    )
    url = reverse("api:cluster-detail", args=[cluster.code])
    response = token_client(user).patch(url, {"district": "269"}, format="json")
    assert response.status_code == 400
    assert "district" in response.json()
    assert IndustrialCluster.objects.get(pk=cluster.pk).district.code == "017"
