"""The dashboard's CSVs neutralise texts a spreadsheet would run as formulas."""

import csv
import datetime
import io

import pytest

from tests.dashboard.helpers import AS_OF
from tests.factories import ClusterFactory, MarketFactory, MarketProjectFactory, district

pytestmark = pytest.mark.django_db


def rows(client, user, table):
    client.force_login(user)
    response = client.get(f"/dashboard/{table}.csv", {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_overdue_and_projects_csv_neutralise_formulas(client, department_user):
    ClusterFactory(
        code="CCN-CU",
        name="=cmd|' /C calc'!A0",
        district=district("017"),
        established_on=datetime.date(2015, 1, 1),
    )
    MarketProjectFactory(
        market=MarketFactory(name="@Chợ", district=district("017")),
        status="in_progress",
        started_on=datetime.date(2022, 1, 1),
    )
    overdue = rows(client, department_user, "overdue")
    assert overdue[1][:2] == ["CCN-CU", "'=cmd|' /C calc'!A0"]
    projects = rows(client, department_user, "projects")
    assert any(row[1] == "'@Chợ" for row in projects[1:])
    cells = {cell for table in (overdue, projects) for row in table for cell in row}
    assert not any(cell[:1] in "=+@\t\r" for cell in cells if cell)
