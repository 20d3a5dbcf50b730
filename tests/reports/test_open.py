"""/open/: the published figures without signing in, aggregate only, cacheable, throttled."""

import csv
import datetime
import io
import json

import pytest

from reports.services import publish
from tests.factories import InspectionFactory
from tests.live import request
from tests.reports.conftest import operating_cluster


def publish_one_compliant_cluster(user):
    """Year 2025 published with one operating cluster, compliant at the cut-off."""
    cluster = operating_cluster("CCN-DUC-TU", "Cụm công nghiệp Dục Tú")
    InspectionFactory(cluster=cluster, inspected_on=datetime.date(2025, 6, 1))
    return publish("year", 2025, user)


@pytest.mark.django_db(transaction=True)
def test_open_data_without_signing_in(live_server, superuser):
    report = publish_one_compliant_cluster(superuser)
    base = f"{live_server.url}/open"

    status, headers, body = request(f"{base}/reports/")
    assert status == 200
    (row,) = json.loads(body)
    assert row["id"] == report.pk and row["cut_off"] == "2025-12-14"
    assert (row["kpi"]["operating"], row["kpi"]["compliant"]) == (1, 1)
    assert headers["Cache-Control"].startswith("public, max-age=")
    etag = headers["ETag"]
    status, _, body304 = request(f"{base}/reports/", headers={"If-None-Match": etag})
    assert status == 304 and body304 == b""

    status, _, detail = request(f"{base}/reports/{report.pk}.json")
    assert status == 200 and json.loads(detail)["kpi"]["share_percent"] == "100.00"
    status, headers, raw = request(f"{base}/reports/{report.pk}.csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["unit"] == "" and rows[0]["operating"] == "1"
    assert len(rows) == 1 + len(json.loads(detail)["kpi"]["units"])

    status, headers, page = request(f"{base}/", accept="text/html")
    assert status == 200 and "14/12/2025" in page.decode()
    assert '<html lang="vi">' in page.decode()

    # Nothing record-level, no names of people, anywhere.
    for text in (body, detail, raw, page):
        text = text.decode("utf-8-sig")
        assert "CCN-DUC-TU" not in text and "Dục Tú" not in text
        assert superuser.username not in text
    assert request(f"{base}/reports/999999.json")[0] == 404


@pytest.mark.django_db
def test_open_data_is_throttled_per_address(client, settings):
    from registry.models import ThrottleWindow

    ThrottleWindow.objects.all().delete()
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": rates | {"open": "3/minute"}
    }
    from reports.open import OpenRateThrottle

    OpenRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        statuses = [
            client.get("/open/reports/", REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        assert client.get("/open/reports/", REMOTE_ADDR="203.0.113.8").status_code == 200
    finally:
        OpenRateThrottle.THROTTLE_RATES = rates


@pytest.mark.django_db
def test_open_data_is_in_the_openapi_document(client, superuser):
    client.force_login(superuser)
    document = client.get("/api/schema/", {"format": "json"}).json()
    listing = document["paths"]["/open/reports/"]["get"]
    assert {"200", "304", "429"} <= set(listing["responses"])
    assert listing["security"] == [] or "security" not in listing or {} in listing["security"]
    detail = document["paths"]["/open/reports/{id}.{fmt}"]["get"]
    assert {p["name"] for p in detail["parameters"]} == {"id", "fmt"}


@pytest.mark.django_db
def test_a_report_published_after_midnight_in_hanoi_has_hanoi_s_date_everywhere(superuser, client):
    """Published at 00:30 on 3 January in Hanoi (17:30 UTC on the 2nd): the open data, the
    API's report and the KPI's published block all give the 3rd, in Hanoi's offset."""
    import datetime
    from unittest import mock

    from django.utils import timezone
    from rest_framework.test import APIClient

    operating_cluster("CCN-DUC-TU", "Cụm công nghiệp Dục Tú")
    moment = datetime.datetime(2026, 1, 2, 17, 30, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=moment):
        report = publish("year", 2025, superuser)
    body = json.loads(client.get(f"/open/reports/{report.pk}.json").content)
    assert body["published_on"] == "2026-01-03"
    assert "03/01/2026" in client.get("/open/").content.decode()
    api = APIClient()
    api.force_authenticate(superuser)
    detail = api.get(f"/api/v1/reports/{report.pk}/").json()
    block = api.get("/api/v1/stats/wastewater-compliance/", {"as_of": "2025-12-14"}).json()
    assert detail["published_at"] == block["published"]["published_at"]
    assert block["published"]["published_at"].startswith("2026-01-03T00:30:00+07:00")


@pytest.mark.django_db
def test_open_data_reads_the_published_kpi_not_every_cluster_row(superuser):
    from reports.open import current_reports

    operating_cluster("CCN-DUC-TU", "Cụm công nghiệp Dục Tú")
    publish("year", 2025, superuser)
    (report,) = current_reports()
    assert "figures" in report.get_deferred_fields()
    assert report.published_kpi["operating"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_corrected_publication_names_its_successor(live_server, superuser):
    first = publish_one_compliant_cluster(superuser)
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
