"""Figures by the reporting unit at the date (issue 15, item 4): districts before 1 July
2025, communes from then on, or as asked with ``by``; one unit with ``unit``; each unit's
figures those of its own records; commune staff get their communes."""

import datetime

import pytest
from django.urls import reverse

from clusters.choices import WastewaterState
from clusters.models import IndustrialCluster
from clusters.selectors import wastewater_compliance
from registry.models import AdministrativeUnit, UnitAssignment
from tests.api.conftest import grant, token_client
from tests.api.endpoint import THROTTLE_QUERIES
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory, UserFactory, district

D = datetime.date
KPI = reverse("api:stats-wastewater-compliance")
OVERDUE = reverse("api:stats-construction-overdue")
MARKETS = reverse("api:stats-markets")
BEFORE, AFTER = D(2024, 12, 14), D(2025, 12, 14)


def commune(code):
    return AdministrativeUnit.objects.get(level="commune", code=code)


def communes_of(district_code):
    return list(
        AdministrativeUnit.objects.filter(
            level="commune", predecessions__predecessor__district__code=district_code
        ).order_by("code")
    )


def operating(code, district_code, unit=None, *, inspected=True, **fields):
    cluster = ClusterFactory(
        code=code,
        district=district(district_code),
        commune=unit if unit is not None else communes_of(district_code)[0],
        established_on=D(2015, 1, 1),
        operating_since=D(2018, 1, 1),
        wwtp_operating_since=D(2019, 1, 1),
        **fields,
    )
    if inspected:  # evidence at both dates
        InspectionFactory(cluster=cluster, inspected_on=D(2024, 10, 1), result="meets")
        InspectionFactory(cluster=cluster, inspected_on=D(2025, 10, 1), result="meets")
    return cluster


@pytest.fixture
def world(db):
    """Đông Anh (017) clusters in two of its communes, Ứng Hòa (281) in one; one compliant
    and one without evidence in the first commune, one compliant in the second."""
    dong_anh = communes_of("017")
    ung_hoa = communes_of("281")
    operating("CCN-DA-1", "017", dong_anh[0])
    operating("CCN-DA-2", "017", dong_anh[0], inspected=False)
    operating("CCN-DA-3", "017", dong_anh[1])
    operating("CCN-UH-1", "281", ung_hoa[0])
    return {"dong_anh": dong_anh, "ung_hoa": ung_hoa}


@pytest.fixture
def department(db):
    user = UserFactory(username="units-reader")
    grant(user, "registry.access_all_districts", "clusters.view_industrialcluster")
    grant(user, "markets.view_market")
    return token_client(user)


def expected_figures(unit_filter: dict, as_of):
    """The unit's figures counted from its records, independently of the KPI's grouping."""
    clusters = IndustrialCluster.objects.with_wastewater_state(as_of).filter(**unit_filter)
    operating_ = clusters.exclude(wastewater_state=WastewaterState.NOT_OPERATING)
    return (
        operating_.count(),
        operating_.filter(wastewater_state=WastewaterState.COMPLIANT).count(),
    )


def test_units_list_hanois_126_communes_with_their_codes(department):
    body = department.get("/api/v1/units/", {"level": "commune", "page_size": 500}).json()
    assert body["count"] == 126
    codes = {row["code"]: row["name"] for row in body["results"]}
    assert codes["00070"] == "Phường Hoàn Kiếm"
    assert codes["00097"] == "Phường Hồng Hà"


def test_before_the_reform_the_kpi_is_grouped_by_the_30_districts(department, world):
    body = department.get(KPI, {"as_of": "14/12/2024"}).json()
    assert body["grouping"] == "district"
    assert len(body["units"]) == len(body["districts"]) == 30
    assert {u["level"] for u in body["units"]} == {"district"}
    for unit in body["units"]:
        figures = expected_figures({"district__code": unit["unit"]}, BEFORE)
        assert (unit["operating"], unit["compliant"]) == figures, unit["unit"]
    rows = {row["district"]: row for row in body["districts"]}
    assert (rows["017"]["operating"], rows["017"]["compliant"]) == (3, 2)
    assert body["unsettled"] is None


def test_after_the_reform_the_kpi_is_grouped_by_the_126_communes(department, world):
    body = department.get(KPI, {"as_of": "14/12/2025"}).json()
    assert body["grouping"] == "commune"
    assert "districts" not in body
    assert len(body["units"]) == 126
    for unit in body["units"]:
        figures = expected_figures({"commune__code": unit["unit"]}, AFTER)
        assert (unit["operating"], unit["compliant"]) == figures, unit["unit"]
    rows = {row["unit"]: row for row in body["units"]}
    first, second = world["dong_anh"][:2]
    assert (rows[first.code]["operating"], rows[first.code]["compliant"]) == (2, 1)
    assert rows[first.code]["share_percent"] == "50.00"
    assert (rows[second.code]["operating"], rows[second.code]["compliant"]) == (1, 1)
    assert sum(u["operating"] for u in body["units"]) == body["operating"] == 4


def test_by_asks_for_the_other_map(department, world):
    former = department.get(KPI, {"as_of": "2025-12-14", "by": "district"}).json()
    assert former["grouping"] == "district" and len(former["districts"]) == 30
    assert {r["district"]: r["operating"] for r in former["districts"]}["017"] == 3
    today = department.get(KPI, {"as_of": "2024-12-14", "by": "commune"}).json()
    assert today["grouping"] == "commune" and len(today["units"]) == 126
    assert today["operating"] == 4


def test_one_unit_of_either_level(department, world):
    first = world["dong_anh"][0]
    body = department.get(KPI, {"as_of": "2025-12-14", "unit": first.code}).json()
    assert [u["unit"] for u in body["units"]] == [first.code]
    assert (body["operating"], body["compliant"]) == (2, 1)
    body = department.get(KPI, {"as_of": "2025-12-14", "unit": "017"}).json()
    assert body["grouping"] == "district"
    assert [row["district"] for row in body["districts"]] == ["017"]
    assert body["operating"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": "99999"}, "unit"),
        ({"unit": "12"}, "unit"),
        ({"unit": "abcde"}, "unit"),
        ({"unit": "0\x000"}, "unit"),
        ({"by": "province"}, "by"),
        ({"unit": "017", "by": "commune"}, "by"),
        ({"unit": "017", "district": "017"}, "unit"),
    ],
)
def test_bad_grouping_parameters_are_400_in_vietnamese(department, world, params, field):
    for url in (KPI, OVERDUE, MARKETS):
        response = department.get(url, params, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 400, (url, response.content)
        assert field in response.json()


def test_an_unknown_unit_and_another_units_look_the_same(db, world):
    staff = UserFactory(username="xa-staff")
    grant(staff, "clusters.view_industrialcluster")
    UnitAssignment.objects.create(user=staff, unit=world["dong_anh"][0])
    client = token_client(staff)
    other = client.get(KPI, {"unit": world["ung_hoa"][0].code}).json()
    unknown = client.get(KPI, {"unit": "99999"}).json()
    assert other["unit"][0].replace(world["ung_hoa"][0].code, "X") == unknown["unit"][0].replace(
        "99999", "X"
    )


def test_commune_staff_get_their_communes_figures(db, world):
    staff = UserFactory(username="xa-dong-anh")
    grant(staff, "clusters.view_industrialcluster", "markets.view_market")
    first = world["dong_anh"][0]
    UnitAssignment.objects.create(user=staff, unit=first)
    client = token_client(staff)
    body = client.get(KPI, {"as_of": "2025-12-14"}).json()
    assert [u["unit"] for u in body["units"]] == [first.code]
    assert (body["operating"], body["compliant"]) == (2, 1)
    # They keep no district: grouped by district they get no unit and no figures.
    former = client.get(KPI, {"as_of": "2025-12-14", "by": "district"}).json()
    assert former["districts"] == [] and former["operating"] == 0
    overdue = client.get(OVERDUE, {"as_of": "2030-01-01"}).json()
    assert overdue["grouping"] == "commune"


def test_district_staff_after_the_reform_get_the_communes_formed_from_their_district(db, world):
    staff = UserFactory(username="huyen-dong-anh", districts=[district("017")])
    grant(staff, "clusters.view_industrialcluster")
    body = token_client(staff).get(KPI, {"as_of": "2025-12-14"}).json()
    codes = {u["unit"] for u in body["units"]}
    # Only communes formed from Đông Anh alone (their every record is Đông Anh's).
    for unit in AdministrativeUnit.objects.filter(code__in=codes):
        predecessors = set(unit.predecessions.values_list("predecessor__district__code", flat=True))
        assert predecessors == {"017"}, unit
    assert codes and codes <= {c.code for c in world["dong_anh"]}
    assert body["operating"] == sum(u["operating"] for u in body["units"])


def test_a_cluster_in_no_commune_counts_in_the_total_as_unsettled(department, world):
    operating("CCN-UNSETTLED", "017", unit=None, commune_to_check=True)
    IndustrialCluster.objects.filter(code="CCN-UNSETTLED").update(commune=None)
    body = department.get(KPI, {"as_of": "2025-12-14"}).json()
    assert body["unsettled"]["operating"] == 1
    assert body["operating"] == 5 == 1 + sum(u["operating"] for u in body["units"])
    rows = department.get(KPI, {"as_of": "2025-12-14", "format": "csv"}).content.decode("utf-8-sig")
    assert rows.splitlines()[2].split(",")[3] != ""  # the unsettled row, named


def test_overdue_items_name_their_reporting_unit(department, world):
    late = ClusterFactory(
        code="CCN-LATE",
        district=district("017"),
        commune=world["dong_anh"][1],
        established_on=D(2019, 1, 1),
    )
    after = department.get(OVERDUE, {"as_of": "2025-12-14"}).json()
    (item,) = after["start_overdue"]
    assert (item["unit"], item["unit_name"]) == (late.commune.code, late.commune.name)
    before = department.get(OVERDUE, {"as_of": "2024-12-14"}).json()
    assert (before["start_overdue"][0]["unit"], before["grouping"]) == ("017", "district")
    only_other = department.get(
        OVERDUE, {"as_of": "2025-12-14", "unit": world["dong_anh"][0].code}
    ).json()
    assert only_other["start_overdue"] == []


def test_market_counts_by_commune(department, world):
    first = world["dong_anh"][0]
    MarketFactory(code="CHO-A", district=district("017"), commune=first)
    MarketFactory(code="CHO-B", district=district("017"), commune=first, status="planned")
    body = department.get(MARKETS).json()
    assert body["grouping"] == "commune" and "districts" not in body
    rows = {u["unit"]: u for u in body["units"]}
    assert rows[first.code]["total"] == 2
    assert rows[first.code]["by_status"]["planned"] == 1
    former = department.get(MARKETS, {"by": "district"}).json()
    assert {r["district"]: r["total"] for r in former["districts"]}["017"] == 2


def test_kpi_by_commune_query_count(department, world, django_assert_num_queries):
    # token, 2 × permissions, the communes, one statement for the counts and the target; the
    # throttle's count (31/12 is no report cut-off: no published report is looked up).
    with django_assert_num_queries(5 + THROTTLE_QUERIES):
        department.get(KPI, {"as_of": "2025-12-31"})
    operating("CCN-MORE-1", "281", world["ung_hoa"][1])
    operating("CCN-MORE-2", "281", world["ung_hoa"][2])
    with django_assert_num_queries(5 + THROTTLE_QUERIES):
        department.get(KPI, {"as_of": "2025-12-31"})
    # One commune: its code is looked up once, and that row is the unit list.
    with django_assert_num_queries(5 + THROTTLE_QUERIES):
        department.get(KPI, {"as_of": "2025-12-31", "unit": world["dong_anh"][0].code})


def test_the_selector_groups_the_same_way(world):
    kpi = wastewater_compliance(as_of=AFTER)
    assert kpi.grouping == "commune" and kpi.districts == []
    assert wastewater_compliance(as_of=BEFORE).grouping == "district"
    assert len(wastewater_compliance(as_of=BEFORE).districts) == 30
    chosen = wastewater_compliance(as_of=AFTER, units=[world["dong_anh"][0]])
    assert chosen.city.operating == 2
