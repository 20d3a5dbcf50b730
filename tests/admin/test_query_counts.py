"""List pages cost a fixed number of queries whatever their size (no query per row)."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import ClusterFactory, InspectionFactory, MarketFactory, MarketProjectFactory

#: Queries per page, for 1 row and for 30 rows alike: session, user, user and group
#: permissions, the district filter's choices, the filtered and the total count, the page;
#: clusters and markets also filter by commune (its choices: one more query).
LIST_QUERIES = {
    "clusters_industrialcluster": 9,
    "clusters_wastewaterinspection": 8,
    "markets_market": 9,
    "markets_marketproject": 8,
}


def make_rows(district, count):
    for n in range(count):
        cluster = ClusterFactory(
            district=district,
            operating_since=datetime.date(2016, 1, 1),
            wwtp_operating_since=datetime.date(2017, 1, 1),
        )
        InspectionFactory(cluster=cluster, inspected_on=datetime.date(2024, 1, 1 + n % 28))
        market = MarketFactory(district=district, market_class=str(1 + n % 3))
        MarketProjectFactory(market=market)


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize("model", list(LIST_QUERIES))
def test_list_page_query_count_is_fixed(
    client, dong_anh_staff, dong_anh, django_assert_num_queries, rows, model
):
    make_rows(dong_anh, rows)
    client.force_login(dong_anh_staff)
    url = reverse(f"admin:{model}_changelist")
    with django_assert_num_queries(LIST_QUERIES[model]):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_filtered_and_searched_list_query_count_is_fixed(
    client, department_staff, dong_anh, django_assert_num_queries, rows
):
    make_rows(dong_anh, rows)
    client.force_login(department_staff)
    url = reverse("admin:clusters_industrialcluster_changelist")
    with django_assert_num_queries(9):
        response = client.get(url, {"wastewater_state": "compliant", "q": "CCN", "o": "-4"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize(
    ("model", "params"),
    [
        # the days until the inspection goes out of date: a filter and the order
        # (make_rows' inspections, of 2024, are out of date today)
        ("clusters_industrialcluster", {"evidence": "stale", "o": "-7"}),
        ("clusters_industrialcluster", {"o": "6"}),
        ("clusters_wastewaterinspection", {"inspected_on__gte": "2024-01-01", "o": "3"}),
    ],
)
def test_date_columns_and_filters_cost_no_query_per_row(
    client, department_staff, dong_anh, django_assert_num_queries, rows, model, params
):
    make_rows(dong_anh, rows)
    client.force_login(department_staff)
    # 8, and the commune filter's choices on the cluster list (see LIST_QUERIES)
    with django_assert_num_queries(9 if model == "clusters_industrialcluster" else 8):
        response = client.get(reverse(f"admin:{model}_changelist"), params)
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_cluster_change_form_query_count_does_not_grow_with_inspections(
    client, dong_anh_staff, dong_anh, django_assert_max_num_queries, rows
):
    cluster = ClusterFactory(district=dong_anh, operating_since=datetime.date(2016, 1, 1))
    for n in range(rows):
        InspectionFactory(cluster=cluster, inspected_on=datetime.date(2020, 1, 1 + n % 28))
    client.force_login(dong_anh_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:clusters_industrialcluster_change", args=[cluster.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_export_query_count_is_fixed(
    client, dong_anh_staff, dong_anh, django_assert_num_queries, rows
):
    make_rows(dong_anh, rows)
    client.force_login(dong_anh_staff)
    data = {"format": "0", "resource": "0"}
    data.update(
        {f"clusterresource_{name}": "on" for name in ["code", "district", "wastewater_state"]}
    )
    with django_assert_num_queries(7):  # 6 + the commune filter's choices
        response = client.post(reverse("admin:clusters_industrialcluster_export"), data)
    assert response.content.decode("utf-8-sig").count("CCN-") == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_history_page_query_count_does_not_grow_with_versions(
    client, dong_anh_staff, dong_anh, django_assert_max_num_queries, rows
):
    cluster = ClusterFactory(district=dong_anh)
    for n in range(rows):
        cluster.tenant_count = n
        cluster.save()
    client.force_login(dong_anh_staff)
    with django_assert_max_num_queries(9):
        response = client.get(
            reverse("admin:clusters_industrialcluster_history", args=[cluster.pk])
        )
    assert response.status_code == 200
