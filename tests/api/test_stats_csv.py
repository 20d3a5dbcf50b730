"""Every stats endpoint as CSV (``?format=csv`` and ``Accept: text/csv``): one row a unit and
a total row, the same figures as the JSON; an unknown format is a 406, not a 404."""

import csv
import datetime
import io

import pytest

from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory, UserFactory, district

pytestmark = pytest.mark.django_db

KPI = "/api/v1/stats/wastewater-compliance/"
OVERDUE = "/api/v1/stats/construction-overdue/"
MARKETS = "/api/v1/stats/markets/"


@pytest.fixture
def reader():
    user = UserFactory(username="csv-reader")
    grant(user, "registry.access_all_districts", "clusters.view_industrialcluster")
    grant(user, "markets.view_market")
    return token_client(user)


@pytest.fixture
def data():
    compliant = ClusterFactory(
        code="CCN-A",
        district=district("017"),
        established_on=datetime.date(2015, 1, 1),
        operating_since=datetime.date(2018, 1, 1),
        wwtp_operating_since=datetime.date(2019, 1, 1),
    )
    InspectionFactory(cluster=compliant, inspected_on=datetime.date(2025, 6, 1), result="meets")
    ClusterFactory(
        code="CCN-LATE",
        name="=HYPERLINK(1)",
        district=district("281"),
        established_on=datetime.date(2020, 1, 1),
    )
    MarketFactory(code="CHO-A", district=district("017"))


def rows_of(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("how", ["format", "accept"])
def test_kpi_as_csv_has_a_total_row_and_a_row_per_district(reader, data, how):
    if how == "format":
        response = reader.get(KPI, {"as_of": "2025-12-14", "by": "district", "format": "csv"})
    else:
        response = reader.get(
            KPI, {"as_of": "2025-12-14", "by": "district"}, HTTP_ACCEPT="text/csv"
        )
    rows = rows_of(response)
    kpi = reader.get(KPI, {"as_of": "2025-12-14", "by": "district"}).json()
    assert len(rows) == 1 + len(kpi["districts"]) == 31
    total, *districts = rows
    assert total["district"] == "" and total["as_of"] == "2025-12-14"
    assert (total["operating"], total["compliant"], total["share_percent"]) == (
        str(kpi["operating"]),
        str(kpi["compliant"]),
        kpi["share_percent"],
    )
    dong_anh = next(r for r in districts if r["district"] == "017")
    json_dong_anh = next(r for r in kpi["districts"] if r["district"] == "017")
    assert dong_anh["by_state.compliant"] == str(json_dong_anh["by_state"]["compliant"]) == "1"
    assert dong_anh["met"] == "true"
    assert dong_anh["unit"] == "017" and dong_anh["grouping"] == "district"


def test_kpi_as_csv_by_commune_has_a_row_per_commune(reader, data):
    """After the reform the rows are the 126 communes (no ``district`` column)."""
    rows = rows_of(reader.get(KPI, {"as_of": "2025-12-14", "format": "csv"}))
    kpi = reader.get(KPI, {"as_of": "2025-12-14"}).json()
    assert kpi["grouping"] == "commune"
    assert len(rows) == 1 + len(kpi["units"]) == 127
    assert "district" not in rows[0]
    total, *communes = rows
    assert (total["unit"], total["operating"]) == ("", str(kpi["operating"]))
    by_code = {row["unit"]: row for row in communes}
    for unit in kpi["units"]:
        assert by_code[unit["unit"]]["operating"] == str(unit["operating"])
        assert by_code[unit["unit"]]["name"] == unit["name"]


def test_overdue_as_csv_one_row_a_cluster(reader, data):
    rows = rows_of(reader.get(OVERDUE, {"as_of": "2025-12-14", "format": "csv"}))
    assert [(r["code"], r["district"], r["months"]) for r in rows] == [("CCN-LATE", "281", "24")]
    # Cells are written through the shared CSV renderer (the one that neutralises formulas).
    assert rows[0]["name"].endswith("=HYPERLINK(1)")


def test_overdue_as_csv_without_rows_still_has_its_header(reader):
    response = reader.get(OVERDUE, {"format": "csv"})
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("as_of,months,code")


def test_markets_as_csv(reader, data):
    by_commune = rows_of(reader.get(MARKETS, {"format": "csv"}))
    assert len(by_commune) == 127 and by_commune[0]["grouping"] == "commune"
    assert sum(int(r["total"]) for r in by_commune[1:]) == 1
    rows = rows_of(reader.get(MARKETS, {"format": "csv", "by": "district"}))
    assert len(rows) == 31
    assert rows[0]["total"] == "1"
    assert next(r for r in rows if r["district"] == "017")["total"] == "1"


@pytest.mark.parametrize("url", [KPI, OVERDUE, MARKETS, "/api/v1/clusters/"])
def test_an_unknown_format_is_406_with_a_message(reader, url):
    response = reader.get(url, {"format": "xlsx"})
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert "xlsx" in response.json()["detail"] and "csv" in response.json()["detail"]


def test_errors_stay_json_when_csv_was_asked_for(reader):
    response = reader.get(KPI, {"as_of": "not-a-date", "format": "csv"})
    assert response.status_code == 400
    assert "as_of" in response.json()
