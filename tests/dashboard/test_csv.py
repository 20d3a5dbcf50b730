"""Each dashboard table as CSV: the page's rows, scoped the same way, for the same date."""

import csv
import io

import pytest

from clusters.selectors import wastewater_compliance
from dashboard import data
from tests.dashboard.helpers import AS_OF, as_text, make_city, operating_cluster
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

TABLES = ["districts", "trend", "overdue", "not-compliant", "markets", "projects"]


def download(client, user, table, **params):
    client.force_login(user)
    params.setdefault("as_of", AS_OF.isoformat())
    # Headers in English, the source language, whatever the translation says.
    client.cookies["django_language"] = "en"
    return client.get(f"/dashboard/{table}.csv", params)


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("table", TABLES)
def test_each_table_downloads_as_csv(client, department_user, table):
    make_city()
    response = download(client, department_user, table)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{table}-{AS_OF.isoformat()}.csv"'
    )
    rows = read_csv(response)
    assert len(rows) >= 2


def test_page_links_to_every_csv(client, department_user):
    make_city()
    client.force_login(department_user)
    html = client.get("/", {"as_of": AS_OF.isoformat()}).content.decode()
    for table in TABLES:
        assert f'href="/dashboard/{table}.csv' in html


def test_district_csv_equals_the_selector_for_every_district(client, department_user):
    make_city()
    rows = read_csv(download(client, department_user, "districts"))
    header, body = rows[0], rows[1:]
    expected = wastewater_compliance(as_of=AS_OF)
    by_code = {row[2]: row for row in body if row[2]}

    assert len(by_code) == 30  # every district, empty ones too
    for item in expected.districts:
        row = dict(zip(header, by_code[item.district.code], strict=True))
        assert row["level"] == "District level"
        assert row["operating"] == str(item.figures.operating)
        assert row["compliant"] == str(item.figures.compliant)
        assert row["share (%)"] == as_text(item.figures.share_percent)
        assert row["shortfall (clusters)"] == as_text(item.figures.shortfall)
    city = dict(zip(header, body[-1], strict=True))
    assert city["operating"] == str(expected.city.operating)
    assert city["shortfall (clusters)"] == str(expected.city.shortfall)
    # By hand: Đông Anh 1 of 4 compliant, Ứng Hòa 1 of 2, the city 2 of 6; 95 % is the target.
    dong_anh = dict(zip(header, by_code["017"], strict=True))
    columns = ("operating", "compliant", "share (%)", "shortfall (clusters)")
    assert [dong_anh[k] for k in columns] == ["4", "1", "25.00", "3"]
    ung_hoa = dict(zip(header, by_code["281"], strict=True))
    assert (ung_hoa["share (%)"], ung_hoa["shortfall (clusters)"]) == ("50.00", "1")
    assert (city["operating"], city["compliant"], city["share (%)"]) == ("6", "2", "33.33")
    assert city["shortfall (clusters)"] == "4"


def test_district_staff_csv_holds_only_their_districts(client, district_user):
    make_city()
    for table in ("overdue", "not-compliant", "projects"):
        text = download(client, district_user, table).content.decode()
        assert "DA-" in text
        assert "UH-" not in text and "HK-" not in text, table
    rows = read_csv(download(client, district_user, "districts"))
    codes = [row[2] for row in rows[1:] if row[2]]
    assert codes == ["017"]
    # Their districts, then the city for context.
    assert rows[-1][4] == str(wastewater_compliance(as_of=AS_OF).city.operating)
    assert rows[-1][4] == "6"
    assert rows[1][4] == "4"  # Đông Anh's own operating clusters
    markets = read_csv(download(client, district_user, "markets", by="district"))
    assert [row[1] for row in markets[1:] if row[1]] == ["017"]


def test_bad_date_is_a_clear_400(client, department_user):
    response = download(client, department_user, "districts", as_of="2021-02-30")
    assert response.status_code == 400
    assert "DD/MM/YYYY" in response.content.decode()  # the message shows the format


def test_unknown_table_is_404(client, department_user):
    assert download(client, department_user, "passwords").status_code == 404


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/dashboard/districts.csv")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_long_list_is_cut_on_the_page_but_whole_in_the_csv(client, department_user, monkeypatch):
    monkeypatch.setattr(data, "PAGE_LIST_LIMIT", 3)
    for n in range(5):
        cluster = operating_cluster(f"FAIL-{n}", "017")
        InspectionFactory(cluster=cluster, inspected_on=AS_OF, result="fails")
    client.force_login(department_user)
    page = client.get("/", {"as_of": AS_OF.isoformat()}).content.decode()
    assert page.count('data-state="failed"') == 3
    assert 'id="not-compliant-more"' in page
    rows = read_csv(download(client, department_user, "not-compliant"))
    assert [row[0] for row in rows[1:]] == [f"FAIL-{n}" for n in range(5)]
