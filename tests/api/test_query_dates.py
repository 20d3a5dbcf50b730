"""Dates people type in the API's query parameters: DD/MM/YYYY or ISO, never month first;
errors in the request's language (Vietnamese by default), never naming internal classes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import ClusterFactory, InspectionFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date
EXPECTED_FORM_VI = "Nhập ngày theo dạng NN/TT/NNNN (ví dụ 01/06/2020)."


@pytest.fixture
def api(superuser):
    client = APIClient()
    client.force_authenticate(superuser)
    return client


def inspection_dates(response):
    return sorted(row["inspected_on"] for row in response.json()["results"])


@pytest.fixture
def inspections():
    cluster = ClusterFactory(district=district("017"), established_on=D(2010, 1, 1))
    for day in (D(2020, 1, 6), D(2020, 6, 1), D(2020, 6, 2)):
        InspectionFactory(cluster=cluster, inspected_on=day)
    return cluster


@pytest.mark.parametrize("language", ["vi", "en"])
def test_inspected_after_and_before_read_day_first(api, inspections, language):
    api.cookies["django_language"] = language
    url = reverse("api:inspection-list")
    # 01/06/2020 is 1 June 2020, never 6 January, in either language.
    response = api.get(url, {"inspected_after": "01/06/2020", "inspected_before": "01/06/2020"})
    assert response.status_code == 200, response.content
    assert inspection_dates(response) == ["2020-06-01"]
    # ISO still accepted; the JSON output stays ISO 8601.
    response = api.get(url, {"inspected_after": "2020-06-02"})
    assert inspection_dates(response) == ["2020-06-02"]
    response = api.get(url, {"inspected_before": "15/03/2020"})
    assert inspection_dates(response) == ["2020-01-06"]


def test_a_month_first_date_is_refused_with_the_expected_form(api, inspections):
    for bad in ("06/31/2020", "13/13/2020", "2020/06/01"):
        response = api.get(reverse("api:inspection-list"), {"inspected_after": bad})
        assert response.status_code == 400, bad
        assert response.json()["inspected_after"] == [EXPECTED_FORM_VI]


def test_as_of_reads_day_first_in_the_cluster_list_detail_and_stats(api):
    cluster = ClusterFactory(
        district=district("017"), established_on=D(2015, 1, 1), operating_since=D(2020, 3, 1)
    )
    detail = reverse("api:cluster-detail", kwargs={"code": cluster.code})
    # 01/06/2020 → June (operating); month first it would be 6 January (not yet operating).
    assert api.get(detail, {"as_of": "01/06/2020"}).json()["status"] == "operating"
    assert api.get(detail, {"as_of": "2020-06-01"}).json()["status"] == "operating"
    assert api.get(detail, {"as_of": "02/01/2020"}).json()["status"] != "operating"
    response = api.get(reverse("api:cluster-list"), {"as_of": "15/03/2020"})
    assert response.status_code == 200
    response = api.get(reverse("api:stats-wastewater-compliance"), {"as_of": "15/03/2020"})
    assert response.status_code == 200, response.content
    assert response.json()["as_of"] == "2020-03-15"


def test_bad_as_of_names_the_expected_form_in_one_language(api):
    url = reverse("api:stats-wastewater-compliance")
    response = api.get(url, {"as_of": "13/13/2020"})
    assert response.status_code == 400
    assert response.json() == {"as_of": [EXPECTED_FORM_VI]}
    api.cookies["django_language"] = "en"
    response = api.get(url, {"as_of": "13/13/2020"})
    assert response.json() == {"as_of": ["Enter the date as DD/MM/YYYY (for example 01/06/2020)."]}


def test_not_found_is_vietnamese_and_names_no_class(api):
    response = api.get(reverse("api:cluster-detail", kwargs={"code": "CCN-KHONG-CO"}))
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "IndustrialCluster" not in detail and "matches the given query" not in detail
    english = "There is no record at this address, or it is not in your districts."
    with translation.override("vi"):
        expected = translation.gettext(english)
    assert detail == expected != english


def test_browser_language_does_not_switch_the_api_to_english(api):
    response = api.get(
        reverse("api:inspection-list"),
        {"inspected_after": "13/13/2020"},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    assert response.json()["inspected_after"] == [EXPECTED_FORM_VI]
    assert response["Content-Language"] == "vi"


def messages_of(payload):
    if isinstance(payload, dict):
        for value in payload.values():
            yield from messages_of(value)
    elif isinstance(payload, list):
        for value in payload:
            yield from messages_of(value)
    elif isinstance(payload, str):
        yield payload


def test_api_errors_are_all_vietnamese_by_default(api, superuser):
    from tests.admin.test_no_english import is_english

    anonymous = APIClient()
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    cluster = ClusterFactory(district=district("017"))
    answers = [
        anonymous.get(reverse("api:cluster-list"), HTTP_ACCEPT_LANGUAGE="en-US"),
        bad_token.get(reverse("api:cluster-list")),
        api.get(reverse("api:cluster-list"), {"page": "abc"}),
        api.get(reverse("api:cluster-detail", kwargs={"code": "CCN-KHONG-CO"})),
        api.post(
            reverse("api:cluster-list"),
            {"code": "X" * 40, "name": "", "district": "999", "area_ha": "abc", "x": [1]},
            format="json",
        ),
        api.post(reverse("api:cluster-list"), "code=1", content_type="text/plain"),
        api.post(reverse("api:cluster-list"), "{not json", content_type="application/json"),
        api.patch(
            reverse("api:cluster-detail", kwargs={"code": cluster.code}),
            {"established_on": "01/06/2020", "tenant_count": "many"},
            format="json",
        ),
        api.post(
            reverse("api:inspection-list"),
            {"cluster": 12, "inspected_on": "x", "result": "great", "standard": None},
            format="json",
        ),
    ]
    english = {}
    for response in answers:
        assert 400 <= response.status_code < 500, response.content
        found = [text for text in messages_of(response.json()) if is_english(text)]
        if found:
            english[response.request["PATH_INFO"]] = found
    assert not english, english
