"""``/api/v1/reports/`` and the KPI endpoint at a published cut-off, over real HTTP."""

import datetime

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from registry.tokens import ApiToken
from reports.models import PublishedReport
from reports.services import publish
from tests.factories import InspectionFactory, UserFactory, district
from tests.live import call_api
from tests.reports.conftest import operating_cluster


def token_of(user) -> str:
    return ApiToken.issue(user)[1]


def department_account(username="so-cong-thuong"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Department staff"))
    return user


@pytest.mark.django_db(transaction=True)
def test_publish_correct_and_read_over_http(live_server):
    base = f"{live_server.url}/api/v1"
    duc_tu = operating_cluster("CCN-DUC-TU", "Cụm công nghiệp Dục Tú")
    InspectionFactory(cluster=duc_tu, inspected_on=datetime.date(2025, 6, 1))
    operating_cluster("CCN-XA-CAU", "Cụm công nghiệp Xà Cầu", "281")
    department = token_of(department_account())
    local_user = UserFactory(username="dong-anh-staff", districts=[district("017")])
    local_user.groups.add(Group.objects.get(name="District staff"))
    local = token_of(local_user)

    # Local staff may not publish; nobody can publish a future cut-off or a bad period.
    status, body = call_api(f"{base}/reports/", local, "POST", {"period": "year", "year": 2025})
    assert status == 403
    next_year = datetime.date.today().year + 1
    status, body = call_api(
        f"{base}/reports/", department, "POST", {"period": "year", "year": next_year}
    )
    assert status == 400 and f"14/12/{next_year}" in body["year"][0]
    status, body = call_api(f"{base}/reports/", department, "POST", {"period": "quý", "year": 2025})
    assert status == 400 and "period" in body
    status, body = call_api(f"{base}/reports/", department, "POST", ["year", 2025])
    assert status == 400 and "detail" in body
    assert not PublishedReport.objects.exists()

    # Publish 14/12/2025.
    status, first = call_api(
        f"{base}/reports/", department, "POST", {"period": "year", "year": 2025}
    )
    assert status == 201, first
    assert first["cut_off"] == "2025-12-14" and first["grouping"] == "commune"
    assert first["published_by"] == "so-cong-thuong" and first["current"] is True
    assert first["figures"]["kpi"]["compliant"] == 1

    # A correction needs a note (in Vietnamese), then supersedes.
    status, body = call_api(
        f"{base}/reports/", department, "POST", {"period": "year", "year": 2025}
    )
    assert status == 400 and "ghi chú" in body["note"][0].lower()
    status, second = call_api(
        f"{base}/reports/", department, "POST", {"period": "year", "year": 2025, "note": "Sửa"}
    )
    assert status == 201 and second["supersedes"] == first["id"]

    status, listing = call_api(f"{base}/reports/", local)
    assert status == 200
    rows = {row["id"]: row for row in listing["results"]}
    assert rows[first["id"]]["current"] is False
    assert rows[first["id"]]["superseded_by"] == second["id"]
    assert rows[second["id"]]["current"] is True
    assert "figures" not in rows[first["id"]]

    # Both stay readable; local staff see their clusters' rows only, the figures whole.
    status, old = call_api(f"{base}/reports/{first['id']}/", local)
    assert status == 200
    assert [row["code"] for row in old["figures"]["clusters"]] == ["CCN-DUC-TU"]
    assert old["figures"]["kpi"]["operating"] == 2
    status, whole = call_api(f"{base}/reports/{first['id']}/", department)
    assert {row["code"] for row in whole["figures"]["clusters"]} == {"CCN-DUC-TU", "CCN-XA-CAU"}

    # No way to change or delete one.
    for method in ("PUT", "PATCH", "DELETE"):
        status, _ = call_api(f"{base}/reports/{first['id']}/", department, method, {"note": "x"})
        assert status == 405, method


@pytest.mark.django_db(transaction=True)
def test_the_kpi_at_a_published_cut_off_over_http(live_server):
    """The done-when in the API: after publishing 14/12/2025 a back-dated failure leaves the
    published KPI as it was, beside today's recomputation, with the changed record named."""
    base = f"{live_server.url}/api/v1"
    duc_tu = operating_cluster("CCN-DUC-TU", "Cụm công nghiệp Dục Tú")
    InspectionFactory(cluster=duc_tu, inspected_on=datetime.date(2025, 6, 1))
    department_user = department_account()
    token = token_of(department_user)
    report = publish("year", 2025, department_user)
    kpi_url = f"{base}/stats/wastewater-compliance/?as_of=2025-12-14"

    status, kpi = call_api(kpi_url, token)
    assert status == 200
    assert kpi["published"]["report"] == report.pk
    assert kpi["published"]["differs"] is False
    assert kpi["published"]["published_by"] == "so-cong-thuong"

    editor = department_account("nguoi-sua")
    failure = InspectionFactory.build(
        cluster=duc_tu, inspected_on=datetime.date(2025, 11, 1), result="fails"
    )
    failure._history_user = editor
    failure.save()

    status, kpi = call_api(kpi_url, token)
    published = kpi["published"]
    assert published["figures"]["compliant"] == 1  # as published
    assert kpi["compliant"] == 0  # today's recomputation for the same date
    assert published["differs"] is True
    (changed,) = published["changed_records"]
    assert changed["model"] == "inspection"
    assert (changed["code"], changed["name"]) == ("CCN-DUC-TU", "Cụm công nghiệp Dục Tú")
    assert changed["changed_by"] == "nguoi-sua"

    # Another date, another grouping, one unit: no published figures.
    for query in ("as_of=2025-12-15", "as_of=2025-12-14&by=district", "as_of=2025-12-14&unit=017"):
        status, kpi = call_api(f"{base}/stats/wastewater-compliance/?{query}", token)
        assert status == 200 and kpi["published"] is None, query


@pytest.mark.django_db
def test_the_kpi_endpoint_costs_a_fixed_number_of_queries(django_assert_num_queries):
    user = department_account()
    client = APIClient()
    client.force_authenticate(user)
    for code in ("CCN-A", "CCN-B"):
        operating_cluster(code, code)
    url = "/api/v1/stats/wastewater-compliance/"
    # Not a cut-off: as before (the auth, the throttle, the KPI's queries).
    client.get(url, {"as_of": "2025-12-13"})
    with django_assert_num_queries(3):
        assert client.get(url, {"as_of": "2025-12-13"}).json()["published"] is None
    # A cut-off not published: one query more.
    with django_assert_num_queries(4):
        assert client.get(url, {"as_of": "2025-12-14"}).json()["published"] is None
    publish("year", 2025, user)
    with django_assert_num_queries(8):
        assert client.get(url, {"as_of": "2025-12-14"}).json()["published"]
    for code in ("CCN-C", "CCN-D", "CCN-E"):
        cluster = operating_cluster(code, code)
        InspectionFactory(cluster=cluster, inspected_on=datetime.date(2025, 6, 1))
    with django_assert_num_queries(8):
        published = client.get(url, {"as_of": "2025-12-14"}).json()["published"]
    assert len(published["changed_records"]) == 6 and published["differs"]


@pytest.mark.django_db
def test_the_report_list_and_detail_cost_fixed_queries(django_assert_num_queries):
    user = department_account()
    client = APIClient()
    client.force_authenticate(user)
    operating_cluster("CCN-A", "A")
    publish("year", 2025, user)
    publish("half_year", 2025, user)
    publish("year", 2025, user, note="sửa")
    client.get("/api/v1/reports/")
    with django_assert_num_queries(3):
        assert client.get("/api/v1/reports/").json()["count"] == 3
    report = PublishedReport.objects.current().filter(period="year").get()
    with django_assert_num_queries(2):
        assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_kpi_at_a_cut_off_reads_the_published_kpi_not_every_cluster_row():
    """The publication's ``figures`` holds every cluster's row; the KPI endpoint and the
    dashboard's panel read only its ``kpi`` (reports.api.kpi.published_report_at)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.api.kpi import published_report_at

    user = department_account()
    for code in ("CCN-A", "CCN-B"):
        operating_cluster(code, code)
    publish("year", 2025, user)
    stored = PublishedReport.objects.get()
    assert len(stored.figures["clusters"]) == 2
    with CaptureQueriesContext(connection) as queries:
        report = published_report_at(datetime.date(2025, 12, 14), stored.grouping)
        assert report.published_kpi == stored.figures["kpi"]
    assert len(queries.captured_queries) == 1
    assert "figures" in report.get_deferred_fields()


@pytest.mark.django_db
def test_a_target_changed_after_publication_is_named_and_a_later_year_is_not():
    from clusters.selectors import target_for
    from registry.models import Target

    user = department_account()
    operating_cluster("CCN-A", "CCN-A")
    publish("year", 2025, user)
    applying = target_for(datetime.date(2025, 12, 14))
    applying.percent = applying.percent - 5
    applying.save()
    Target.objects.update_or_create(year=2026, defaults={"percent": "99.00"})
    client = APIClient()
    client.force_authenticate(user)
    published = client.get("/api/v1/stats/wastewater-compliance/", {"as_of": "2025-12-14"}).json()[
        "published"
    ]
    targets = [r for r in published["changed_records"] if r["model"] == "target"]
    assert [(r["code"], r["name"], r["change"]) for r in targets] == [
        (str(applying.year), f"{applying.percent:.2f} %", "changed")
    ]
    assert published["differs"]  # the target's percent is part of the figures


@pytest.mark.django_db(transaction=True)
def test_local_staff_read_the_overdue_lists_of_their_clusters_only(live_server, local_staff):
    """A report's overdue lists name clusters: an account of Đông Anh reads its own items
    in each list (and the count of the start list), the department every item."""
    from tests.factories import ClusterFactory

    for code, district_code in (("CCN-CHO-017", "017"), ("CCN-CHO-281", "281")):
        ClusterFactory(  # established in 2015, never started: start-overdue at the cut-off
            code=code, district=district(district_code), established_on=datetime.date(2015, 3, 1)
        )
    for code, district_code in (("CCN-XAY-017", "017"), ("CCN-XAY-281", "281")):
        ClusterFactory(  # under construction, its planned completion long past
            code=code,
            district=district(district_code),
            established_on=datetime.date(2015, 3, 1),
            construction_started_on=datetime.date(2016, 1, 1),
            planned_completion=datetime.date(2019, 12, 31),
        )
    report = publish("year", 2025, department_account())
    base = f"{live_server.url}/api/v1/reports/{report.pk}/"

    status, whole = call_api(base, token_of(department_account("so-cong-thuong-2")))
    assert status == 200
    overdue = whole["figures"]["overdue"]
    assert {i["code"] for i in overdue["start_overdue"]} == {"CCN-CHO-017", "CCN-CHO-281"}
    assert {i["code"] for i in overdue["completion_overdue"]} == {"CCN-XAY-017", "CCN-XAY-281"}
    assert overdue["count"] == 2

    status, own = call_api(base, token_of(local_staff))
    assert status == 200
    overdue = own["figures"]["overdue"]
    assert [i["code"] for i in overdue["start_overdue"]] == ["CCN-CHO-017"]
    assert [i["code"] for i in overdue["results"]] == ["CCN-CHO-017"]
    assert [i["code"] for i in overdue["completion_overdue"]] == ["CCN-XAY-017"]
    assert overdue["count"] == 1
    assert own["figures"]["kpi"] == whole["figures"]["kpi"]  # aggregate: whole
