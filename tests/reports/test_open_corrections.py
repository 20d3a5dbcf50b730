"""/open/ says when a publication was corrected by a later one (over real HTTP)."""

import datetime
import json

import pytest

from reports.services import publish
from tests.factories import InspectionFactory
from tests.live import request
from tests.reports.conftest import operating_cluster


@pytest.mark.django_db(transaction=True)
def test_a_corrected_publication_names_its_successor(live_server, superuser):
    cluster = operating_cluster("CCN-DUC-TU", "Cụm công nghiệp Dục Tú")
    InspectionFactory(cluster=cluster, inspected_on=datetime.date(2025, 6, 1))
    first = publish("year", 2025, superuser)
    base = f"{live_server.url}/open/reports"

    status, headers, body = request(f"{base}/{first.pk}.json")
    assert status == 200
    shown = json.loads(body)
    assert (shown["current"], shown["superseded_by"]) == (True, None)
    tag = headers["ETag"]

    second = publish("year", 2025, superuser, note="Đính chính số liệu kiểm tra")

    # The old tag no longer matches: the report's JSON now says it was corrected.
    status, _, body = request(f"{base}/{first.pk}.json", headers={"If-None-Match": tag})
    assert status == 200
    shown = json.loads(body)
    assert (shown["current"], shown["superseded_by"]) == (False, second.pk)

    status, _, body = request(f"{base}/")
    (row,) = json.loads(body)
    assert (row["id"], row["current"], row["superseded_by"]) == (second.pk, True, None)


@pytest.mark.django_db
def test_the_list_reads_each_successor_in_the_same_query(
    client, superuser, django_assert_num_queries
):
    operating_cluster("CCN-A", "Cụm A")
    publish("year", 2024, superuser)
    publish("year", 2025, superuser)
    publish("year", 2025, superuser, note="Đính chính")
    client.get("/open/reports/")  # the throttle's first write for this address
    with django_assert_num_queries(2):  # the throttle, the reports with their successors
        response = client.get("/open/reports/")
    assert response.status_code == 200
    assert [r["current"] for r in response.json()] == [True, True]
