"""Malformed input answers 400, 404 or a form error, never a 500 (issue 14.8): JSON nested
a thousand deep on API writes, ``?district=²`` and other odd values on the admin lists, a
non-numeric id in the admin's district field, ``/history/abc/``, NUL characters in searches,
filters and lookups (PostgreSQL refuses to compare text holding one)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.api.conftest import grant, token_client
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    MarketProjectFactory,
    UserFactory,
    district,
)

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    "clusters_industrialcluster",
    "clusters_wastewaterinspection",
    "markets_market",
    "markets_marketproject",
]


@pytest.fixture
def records():
    cluster = ClusterFactory(code="CCN-MAL", district=district("017"))
    market = MarketFactory(code="CHO-MAL", district=district("017"))
    return {
        "clusters_industrialcluster": cluster,
        "clusters_wastewaterinspection": InspectionFactory(cluster=cluster),
        "markets_market": market,
        "markets_marketproject": MarketProjectFactory(market=market),
    }


@pytest.fixture(params=["superuser", "district staff"])
def admin_client(request, client, db):
    if request.param == "superuser":
        user = UserFactory(username="root-mal", is_superuser=True)
    else:
        user = UserFactory(username="staff-mal", districts=[district("017")])
        user.groups.add(Group.objects.get(name="District staff"))
    client.force_login(user)
    return client


# -- the admin's lists -------------------------------------------------------------------------


@pytest.mark.parametrize("model", ADMIN_MODELS)
@pytest.mark.parametrize("value", ["²", "١٢", "9" * 30, "-1", "1.5", " 1"])
def test_odd_district_filter_values_list_nothing(admin_client, records, model, value):
    response = admin_client.get(reverse(f"admin:{model}_changelist"), {"district": value})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


PARAMS_BY_MODEL = {
    "clusters_industrialcluster": ["q", "district", "status", "wastewater_state", "o", "p"],
    "clusters_wastewaterinspection": ["q", "district", "result__exact", "standard__exact"],
    "markets_market": ["q", "status__exact", "market_class__exact", "kind__exact", "class_check"],
    "markets_marketproject": ["q", "district", "status__exact", "kind__exact"],
}


@pytest.mark.parametrize(
    ("model", "param"),
    [(model, param) for model, params in PARAMS_BY_MODEL.items() for param in params],
)
def test_a_nul_in_an_admin_list_parameter_is_400(admin_client, records, model, param):
    response = admin_client.get(reverse(f"admin:{model}_changelist"), {param: "a\x00b"})
    assert response.status_code == 400
    assert "Không hiểu được yêu cầu" in response.content.decode()


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("clusters", "industrialcluster", "district"),
        ("clusters", "wastewaterinspection", "cluster"),
        ("markets", "market", "district"),
        ("markets", "marketproject", "market"),
    ],
)
@pytest.mark.parametrize("term", ["\x00", "CCN\x00", "\x00MAL"])
def test_a_nul_in_the_autocomplete_search_finds_nothing(
    admin_client, records, app_label, model_name, field_name, term
):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": app_label, "model_name": model_name, "field_name": field_name},
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


# -- the admin's forms and pages ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "²", "1\x00", "9" * 30, "-5"])
def test_a_malformed_district_id_is_a_form_error(admin_client, value):
    data = {
        "code": "CCN-MOI",
        "name": "Cụm mới",
        "area_ha": "10",
        "district": value,
        "inspections-TOTAL_FORMS": "0",
        "inspections-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:clusters_industrialcluster_add"), data)
    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors


@pytest.mark.parametrize("value", ["abc", "²", "1\x00"])
def test_a_malformed_market_id_on_a_project_is_a_form_error(admin_client, value):
    data = {"market": value, "kind": "new", "status": "in_progress"}
    response = admin_client.post(reverse("admin:markets_marketproject_add"), data)
    assert response.status_code == 200
    assert "market" in response.context["adminform"].form.errors


@pytest.mark.parametrize("model", ADMIN_MODELS)
@pytest.mark.parametrize("version", ["abc", "²", "\x00", "9" * 30])
def test_a_malformed_history_version_is_404(admin_client, records, model, version):
    obj = records[model]
    url = reverse(f"admin:{model}_history", args=[obj.pk]) + f"{version}/"
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("model", ADMIN_MODELS)
@pytest.mark.parametrize("object_id", ["abc", "²", "\x00"])
def test_a_malformed_record_id_on_the_history_page_is_404(admin_client, records, model, object_id):
    url = reverse(f"admin:{model}_history", args=[object_id])
    assert admin_client.get(url).status_code == 404


# -- the API -----------------------------------------------------------------------------------


@pytest.fixture
def api():
    user = UserFactory(username="api-mal")
    grant(
        user,
        "registry.access_all_districts",
        "registry.view_district",
        *(
            f"{app}.{action}_{model}"
            for app, model in [
                ("clusters", "industrialcluster"),
                ("clusters", "wastewaterinspection"),
                ("markets", "market"),
            ]
            for action in ("view", "add", "change")
        ),
    )
    return token_client(user)


def nested(depth: int, kind: str) -> str:
    if kind == "array":
        return "[" * depth + "]" * depth
    if kind == "object":
        return '{"a":' * depth + "1" + "}" * depth
    return '{"name": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [21, 990, 1000, 100_000])
@pytest.mark.parametrize("kind", ["array", "object", "value"])
def test_deeply_nested_json_is_a_400_with_a_message(api, records, depth, kind):
    cluster = records["clusters_industrialcluster"]
    inspection = records["clusters_wastewaterinspection"]
    for method, url in [
        ("post", "/api/v1/clusters/"),
        ("patch", f"/api/v1/clusters/{cluster.code}/"),
        ("put", f"/api/v1/inspections/{inspection.pk}/"),
        ("post", "/api/v1/markets/"),
    ]:
        response = getattr(api, method)(url, nested(depth, kind), content_type="application/json")
        assert response.status_code == 400, (method, url)
        assert "lồng nhau quá sâu" in response.json()["detail"]
    cluster.refresh_from_db()
    assert cluster.version == 1


def test_ordinary_nesting_is_still_read(api, records):
    """The bound is far above any body the API takes: a flat PATCH works as before."""
    cluster = records["clusters_industrialcluster"]
    response = api.patch(
        f"/api/v1/clusters/{cluster.code}/",
        '{"name": "Cụm đổi tên"}',
        content_type="application/json",
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/clusters/a%00b/", "/api/v1/markets/%00/", "/api/v1/districts/0%0017/"]
)
def test_a_nul_in_a_lookup_is_404(api, records, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/clusters/", "status"),
        ("/api/v1/clusters/", "wastewater_state"),
        ("/api/v1/clusters/", "ordering"),
        ("/api/v1/inspections/", "district"),
        ("/api/v1/inspections/", "result"),
        ("/api/v1/markets/", "district"),
        ("/api/v1/markets/", "search"),
        ("/api/v1/markets/", "kind"),
        ("/api/v1/markets/", "market_class"),
        ("/api/v1/stats/markets/", "district"),
        ("/api/v1/stats/construction-overdue/", "district"),
    ],
)
def test_a_nul_in_an_api_filter_is_not_a_500(api, records, url, param):
    response = api.get(url, {param: "a\x00"})
    assert response.status_code in (200, 400)
    assert response["Content-Type"].startswith("application/json")
