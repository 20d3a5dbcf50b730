"""The stats endpoints against the rules of the rules (README): the KPI, construction
overdue and market counts, computed by the core's selectors and shown as the contract says."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from clusters.models import IndustrialCluster, WastewaterInspection
from tests.api.conftest import grant, token_client
from tests.api.endpoint import THROTTLE_QUERIES
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    ScheduleExtensionFactory,
    UserFactory,
    district,
)

D = datetime.date
KPI = reverse("api:stats-wastewater-compliance")
OVERDUE = reverse("api:stats-construction-overdue")
MARKETS = reverse("api:stats-markets")


def operating(district_code, code, **fields):
    values = {
        "established_on": D(2015, 1, 1),
        "operating_since": D(2018, 1, 1),
        "wwtp_operating_since": D(2019, 1, 1),
        **fields,
    }
    return ClusterFactory(code=code, district=district(district_code), **values)


@pytest.fixture
def department(db):
    user = UserFactory(username="kpi-reader")
    grant(user, "registry.access_all_districts", "clusters.view_industrialcluster")
    grant(user, "markets.view_market")
    return token_client(user)


@pytest.fixture
def every_state(db):
    """At 2021-12-31, in Đông Anh (017): one cluster in each wastewater state; in Ứng Hòa
    (281): one compliant cluster and one not yet operating."""
    compliant = operating("017", "CCN-COMPLIANT")
    InspectionFactory(cluster=compliant, inspected_on=D(2021, 6, 1), result="meets")
    operating("017", "CCN-NO-PLANT", wwtp_operating_since=None)
    operating("017", "CCN-NO-EVIDENCE")
    # Inspected before the plant went into operation: not evidence.
    InspectionFactory(
        cluster=IndustrialCluster.objects.get(code="CCN-NO-EVIDENCE"), inspected_on=D(2018, 6, 1)
    )
    stale = operating("017", "CCN-STALE")
    InspectionFactory(cluster=stale, inspected_on=D(2020, 12, 30))  # D − 366 days
    boundary = operating("017", "CCN-BOUNDARY")
    InspectionFactory(cluster=boundary, inspected_on=D(2020, 12, 31))  # D − 365: still counts
    failed = operating("017", "CCN-FAILED")
    InspectionFactory(cluster=failed, inspected_on=D(2021, 9, 1), result="meets")
    InspectionFactory(cluster=failed, inspected_on=D(2021, 9, 1), result="fails")  # fails wins
    ClusterFactory(code="CCN-ESTABLISHED", district=district("017"))
    other = operating("281", "CCN-XA-CAU")
    InspectionFactory(cluster=other, inspected_on=D(2021, 11, 1))
    ClusterFactory(code="CCN-CAU-BAU", district=district("281"), established_on=D(2021, 3, 1))


def by_code(body):
    return {row["district"]: row for row in body["districts"]}


def test_kpi_at_year_end(department, every_state):
    response = department.get(KPI, {"as_of": "2021-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2021-12-31"
    assert body["target_percent"] == "95.00"  # decimals are strings
    assert body["operating"] == 7
    assert body["compliant"] == 3
    assert body["share_percent"] == "42.86"
    assert body["met"] is False
    assert body["shortfall"] == 4  # ⌈0.95 × 7⌉ − 3
    assert body["by_state"] == {
        "no_treatment_plant": 1,
        "no_evidence": 1,
        "stale_evidence": 1,
        "failed": 1,
        "compliant": 3,
    }
    rows = by_code(body)
    assert len(rows) == 30  # every district, empty ones included
    dong_anh = rows["017"]
    assert dong_anh["name"] == "Đông Anh"
    assert (dong_anh["operating"], dong_anh["compliant"]) == (6, 2)
    assert dong_anh["share_percent"] == "33.33"
    ung_hoa = rows["281"]
    assert (ung_hoa["operating"], ung_hoa["compliant"], ung_hoa["met"]) == (1, 1, True)
    assert ung_hoa["share_percent"] == "100.00"
    assert ung_hoa["shortfall"] == 0
    empty = rows["001"]
    assert empty["operating"] == 0
    assert empty["share_percent"] is None  # never 0 % and never 100 % when empty
    assert empty["met"] is None
    assert empty["shortfall"] == 0


def test_kpi_189_of_199_does_not_meet_95(department):
    ba_vi = district("271")
    IndustrialCluster.objects.bulk_create(
        IndustrialCluster(
            code=f"CCN-BV-{i:03d}",
            name=f"Cụm {i}",
            district=ba_vi,
            area_ha=Decimal("20"),
            established_on=D(2015, 1, 1),
            operating_since=D(2018, 1, 1),
            wwtp_operating_since=D(2019, 1, 1),
        )
        for i in range(199)
    )
    clusters = list(IndustrialCluster.objects.filter(district=ba_vi).order_by("code"))
    WastewaterInspection.objects.bulk_create(
        WastewaterInspection(
            cluster=cluster,
            inspected_on=D(2021, 6, 1),
            result="meets" if i < 189 else "fails",
            standard="qcvn40_2011_b",
        )
        for i, cluster in enumerate(clusters)
    )
    body = department.get(KPI, {"as_of": "2021-12-31", "district": "271"}).json()
    assert [row["district"] for row in body["districts"]] == ["271"]
    assert (body["operating"], body["compliant"]) == (199, 189)
    assert body["share_percent"] == "94.97"
    assert body["met"] is False  # compared exactly, not on the rounded share
    assert body["shortfall"] == 1
    assert body["by_state"]["failed"] == 10


def test_kpi_968_of_1019_shows_95_but_does_not_meet_95(department):
    """94.99509… % is shown rounded as 95.00, and the target of 95 % is still not met."""
    thach_that = district("276")
    IndustrialCluster.objects.bulk_create(
        IndustrialCluster(
            code=f"CCN-TT-{i:04d}",
            name=f"Cụm {i}",
            district=thach_that,
            area_ha=Decimal("20"),
            established_on=D(2015, 1, 1),
            operating_since=D(2018, 1, 1),
            wwtp_operating_since=D(2019, 1, 1),
        )
        for i in range(1019)
    )
    clusters = IndustrialCluster.objects.filter(district=thach_that).order_by("code")
    WastewaterInspection.objects.bulk_create(
        WastewaterInspection(
            cluster=cluster,
            inspected_on=D(2021, 6, 1),
            result="meets" if i < 968 else "fails",
            standard="qcvn40_2011_b",
        )
        for i, cluster in enumerate(clusters)
    )
    body = department.get(KPI, {"as_of": "2021-12-31"}).json()
    assert (body["operating"], body["compliant"]) == (1019, 968)
    assert body["share_percent"] == "95.00"
    assert body["target_percent"] == "95.00"
    assert body["met"] is False  # compared exactly, not on the rounded share
    assert body["shortfall"] == 1  # ⌈968.05⌉ = 969 needed
    row = by_code(body)["276"]
    assert (row["share_percent"], row["met"], row["shortfall"]) == ("95.00", False, 1)


def test_kpi_without_a_target(department, every_state):
    body = department.get(KPI, {"as_of": "2020-12-31"}).json()
    assert body["target_percent"] is None
    assert body["met"] is None
    assert body["shortfall"] is None
    assert body["operating"] == 7


def test_kpi_district_parameter_and_bad_input(department, every_state):
    body = department.get(KPI, {"as_of": "2021-12-31", "district": "281"}).json()
    assert [row["district"] for row in body["districts"]] == ["281"]
    assert (body["operating"], body["compliant"]) == (1, 1)
    for params, field in (
        ({"district": "999"}, "district"),
        ({"as_of": "2021-13-01"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
    ):
        response = department.get(KPI, params)
        assert response.status_code == 400, params
        assert field in response.json()


def test_kpi_district_staff_see_their_districts_only(every_state):
    user = UserFactory(username="dong-anh-kpi", districts=[district("017")])
    client = token_client(grant(user, "clusters.view_industrialcluster"))
    body = client.get(KPI, {"as_of": "2021-12-31"}).json()
    assert [row["district"] for row in body["districts"]] == ["017"]
    assert (body["operating"], body["compliant"]) == (6, 2)
    assert client.get(KPI, {"district": "281"}).status_code == 400


def test_stats_need_authentication_and_permission(db, no_permission_user):
    for url in (KPI, OVERDUE, MARKETS):
        assert token_client(no_permission_user).get(url).status_code == 403
        from rest_framework.test import APIClient

        assert APIClient().get(url).status_code == 401


def test_kpi_query_count(department, every_state, django_assert_num_queries):
    # token, 2 × permissions, districts, one statement for the counts and the target; the
    # throttle's count.
    with django_assert_num_queries(5 + THROTTLE_QUERIES):
        department.get(KPI, {"as_of": "2021-12-31"})
    # One district: its code is validated against the caller's districts, and that row is
    # the district list.
    with django_assert_num_queries(5 + THROTTLE_QUERIES):
        response = department.get(KPI, {"as_of": "2021-12-31", "district": "017"})
    assert [row["district"] for row in response.json()["districts"]] == ["017"]


def test_construction_overdue(department):
    ClusterFactory(
        code="CCN-OLDEST",
        name="Cụm công nghiệp Ngọc Liệp",
        established_on=D(2017, 5, 20),
        district=district("275"),
    )
    ClusterFactory(
        code="CCN-EXACT", name="Cụm công nghiệp Nguyên Khê", established_on=D(2019, 12, 31)
    )
    ClusterFactory(code="CCN-TOO-NEW", established_on=D(2020, 1, 1))
    ClusterFactory(
        code="CCN-STARTED", established_on=D(2018, 1, 1), construction_started_on=D(2021, 1, 1)
    )
    ClusterFactory(code="CCN-CLOSED", established_on=D(2018, 1, 1), closed_on=D(2021, 1, 1))
    response = department.get(OVERDUE, {"as_of": "2021-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2021-12-31"
    assert body["months"] == 24
    assert body["count"] == 2
    assert body["results"] == [
        {
            "code": "CCN-OLDEST",
            "name": "Cụm công nghiệp Ngọc Liệp",
            "district": "275",
            "district_name": "Quốc Oai",
            "established_on": "2017-05-20",
            "months_since_established": 55,
        },
        {
            "code": "CCN-EXACT",
            "name": "Cụm công nghiệp Nguyên Khê",
            "district": "017",
            "district_name": "Đông Anh",
            "established_on": "2019-12-31",
            "months_since_established": 24,
        },
    ]
    shorter = department.get(OVERDUE, {"as_of": "2021-12-31", "months": 12}).json()
    assert [r["code"] for r in shorter["results"]] == ["CCN-OLDEST", "CCN-EXACT", "CCN-TOO-NEW"]
    only = department.get(OVERDUE, {"as_of": "2021-12-31", "district": "275"}).json()
    assert [r["code"] for r in only["results"]] == ["CCN-OLDEST"]
    for params in ({"months": "-1"}, {"months": "two"}, {"as_of": "2021-02-30"}):
        response = department.get(OVERDUE, params)
        assert response.status_code == 400, params
        assert set(params) <= set(response.json())


def test_construction_overdue_gives_both_lists_with_deadlines(department):
    extended = ClusterFactory(
        code="CCN-TAM-HIEP",
        established_on=D(2020, 6, 15),
        planned_construction_start=D(2021, 6, 30),
        district=district("278"),
    )
    ScheduleExtensionFactory(
        cluster=extended,
        decision_no="4567/QĐ-UBND",
        decided_on=D(2023, 4, 20),
        new_start_deadline=D(2023, 12, 31),
    )
    ClusterFactory(
        code="CCN-LATE",
        established_on=D(2018, 1, 1),
        construction_started_on=D(2019, 1, 1),
        planned_completion=D(2023, 6, 30),
    )
    body = department.get(OVERDUE, {"as_of": "2024-01-10"}).json()
    assert body["count"] == 1
    assert [r["code"] for r in body["results"]] == ["CCN-TAM-HIEP"]
    assert "deadline" not in body["results"][0]  # v1's item shape
    assert body["start_overdue"] == [
        {
            "code": "CCN-TAM-HIEP",
            "name": extended.name,
            "district": "278",
            "district_name": "Thanh Oai",
            "established_on": "2020-06-15",
            "deadline": "2023-12-31",
            "deadline_source": "extension",
            "decision_no": "4567/QĐ-UBND",
            "days_overdue": 10,
            "months_since_established": 42,
            # 10/01/2024 is before the reform: the reporting unit is the district.
            "unit": "278",
            "unit_name": "Thanh Oai",
        }
    ]
    (late,) = body["completion_overdue"]
    assert (late["code"], late["deadline"], late["deadline_source"], late["decision_no"]) == (
        "CCN-LATE",
        "2023-06-30",
        "decision",
        "",
    )
    assert late["days_overdue"] == (D(2024, 1, 10) - D(2023, 6, 30)).days


def test_market_statistics(department):
    MarketFactory(code="CHO-DONG-XUAN", market_class="1")  # Hoàn Kiếm 002
    MarketFactory(code="CHO-HANG-DA", market_class="2", status="under_renovation")
    MarketFactory(code="CHO-PHIA-NAM", district=district("008"), market_class="1")
    MarketFactory(code="CHO-MOI", district=district("008"), status="planned")
    response = department.get(MARKETS, {"by": "district"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 4
    assert body["by_status"] == {
        "planned": 1,
        "under_construction": 0,
        "operating": 2,
        "under_renovation": 1,
        "closed": 0,
    }
    assert body["by_class"] == {"1": 2, "2": 1, "3": 0, "unclassified": 1}
    rows = by_code(body)
    assert rows["002"]["total"] == 2
    assert rows["002"]["name"] == "Hoàn Kiếm"
    assert rows["008"]["by_class"]["unclassified"] == 1
    assert rows["001"]["total"] == 0
    only = department.get(MARKETS, {"district": "008"}).json()
    assert only["total"] == 2
    assert [row["district"] for row in only["districts"]] == ["008"]
    assert department.get(MARKETS, {"district": "xyz"}).status_code == 400
