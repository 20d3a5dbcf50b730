"""An inspection dated before its cluster's establishment or its plant's operation is saved,
and the write's answer carries a ``warnings`` list saying it will not count as evidence."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clusters.models import WastewaterInspection
from tests.factories import ClusterFactory, InspectionFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def api(superuser):
    client = APIClient()
    client.force_authenticate(superuser)
    return client


@pytest.fixture
def cluster():
    return ClusterFactory(
        code="CCN-CANH-BAO",
        district=district("017"),
        established_on=D(2012, 1, 1),
        wwtp_operating_since=D(2015, 1, 1),
    )


def payload(day: str) -> dict:
    return {
        "cluster": "CCN-CANH-BAO",
        "inspected_on": day,
        "result": "meets",
        "standard": "qcvn40_2011_b",
    }


def test_before_establishment_is_saved_with_a_warning(api, cluster):
    response = api.post(reverse("api:inspection-list"), payload("2001-06-01"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["inspected_on"] == "2001-06-01"  # the JSON stays ISO 8601
    [warning] = body["warnings"]
    assert "01/06/2001" in warning and "01/01/2012" in warning
    assert "không được tính là căn cứ" in warning
    assert WastewaterInspection.objects.filter(inspected_on=D(2001, 6, 1)).exists()


def test_before_the_plant_operates_is_saved_with_a_warning_in_english_when_chosen(api, cluster):
    api.cookies["django_language"] = "en"
    response = api.post(reverse("api:inspection-list"), payload("2013-06-01"), format="json")
    assert response.status_code == 201
    [warning] = response.json()["warnings"]
    assert "before the treatment plant began operating (01/01/2015)" in warning
    assert "will not count as evidence" in warning


def test_a_counted_inspection_has_no_warning_and_a_patch_into_the_past_gets_one(api, cluster):
    response = api.post(reverse("api:inspection-list"), payload("2016-06-01"), format="json")
    assert response.json()["warnings"] == []
    inspection = InspectionFactory(cluster=cluster, inspected_on=D(2016, 7, 1))
    url = reverse("api:inspection-detail", kwargs={"pk": inspection.pk})
    response = api.patch(url, {"inspected_on": "2011-01-01"}, format="json")
    assert response.status_code == 200
    assert len(response.json()["warnings"]) == 1
    # Reads are unchanged: no warnings key.
    assert "warnings" not in api.get(url).json()


def test_a_future_date_is_still_refused(api, cluster):
    future = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    response = api.post(reverse("api:inspection-list"), payload(future), format="json")
    assert response.status_code == 400
    assert "inspected_on" in response.json()
