"""The token flow over real HTTP, as a developer in another department would try it: read
the docs, get a token from an administrator, pull the KPI and a CSV, record an inspection."""

import csv
import datetime
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import ClusterFactory, InspectionFactory, district
from tests.live import JSON, request

pytestmark = pytest.mark.django_db(transaction=True)


def test_token_flow_over_http(live_server, settings):
    base = live_server.url
    # The documentation is there without signing in, and served from this server only.
    status, headers, page = request(f"{base}/api/docs/", accept="text/html")
    assert status == 200
    assert b"swagger-ui" in page
    assert b"/static/drf_spectacular_sidecar/" in page
    assert b"cdn." not in page
    status, _, _ = request(f"{base}/api/schema/", accept="application/vnd.oai.openapi")
    assert status == 200

    # An administrator makes the other department's account and its token in one step.
    out = StringIO()
    call_command("create_api_account", "so-tai-nguyen", "--write", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()

    cluster = ClusterFactory(
        code="CCN-NGOC-HOI",
        name="Cụm công nghiệp Ngọc Hồi",
        district=district("020"),
        established_on=datetime.date(2005, 1, 1),
        operating_since=datetime.date(2008, 1, 1),
        wwtp_operating_since=datetime.date(2012, 1, 1),
    )
    InspectionFactory(cluster=cluster, inspected_on=datetime.date(2021, 7, 1), result="fails")

    # No token: 401, in JSON.
    status, headers, body = request(f"{base}/api/v1/stats/wastewater-compliance/", accept=JSON)
    assert status == 401
    assert headers["Content-Type"].startswith("application/json")

    # The KPI at 2021-12-31 per district.
    status, _, body = request(
        f"{base}/api/v1/stats/wastewater-compliance/?as_of=2021-12-31", token=token, accept=JSON
    )
    assert status == 200
    kpi = json.loads(body)
    assert kpi["target_percent"] == "95.00"
    thanh_tri = next(row for row in kpi["districts"] if row["district"] == "020")
    assert (thanh_tri["operating"], thanh_tri["compliant"]) == (1, 0)

    # The clusters of one district failing inspection, as CSV for Excel.
    status, headers, raw = request(
        f"{base}/api/v1/clusters/?district=020&wastewater_state=failed&as_of=2021-12-31&format=csv",
        token=token,
        accept=JSON,
    )
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["code"], r["name"], r["wastewater_state"]) for r in rows] == [
        ("CCN-NGOC-HOI", "Cụm công nghiệp Ngọc Hồi", "failed")
    ]

    # Recording an inspection.
    status, headers, body = request(
        f"{base}/api/v1/inspections/",
        token=token,
        method="POST",
        body={
            "cluster": "CCN-NGOC-HOI",
            "inspected_on": "2021-11-15",
            "result": "meets",
            "standard": "qcvn40_2011_b",
            "agency": "Sở Tài nguyên và Môi trường Hà Nội",
            "reference": "KQ-2021/887",
        },
        accept=JSON,
    )
    assert status == 201, body
    assert json.loads(body)["cluster"] == "CCN-NGOC-HOI"
    status, _, body = request(
        f"{base}/api/v1/clusters/CCN-NGOC-HOI/?as_of=2021-12-31", token=token, accept=JSON
    )
    assert json.loads(body)["wastewater_state"] == "compliant"
