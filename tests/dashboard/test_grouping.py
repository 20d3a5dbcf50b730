"""The dashboard by reporting unit (issue 15, item 4): districts before 1 July 2025,
communes after, a switch to the other map, empty communes left out of the page (not the CSV),
and commune staff shown their communes' figures."""

import csv
import datetime
import io

import pytest

from clusters.selectors import wastewater_compliance
from registry.models import AdministrativeUnit, UnitAssignment
from tests.dashboard.helpers import in_group, operating_cluster, parse_figures
from tests.factories import InspectionFactory, UserFactory

pytestmark = pytest.mark.django_db

BEFORE, AFTER = datetime.date(2024, 12, 14), datetime.date(2025, 12, 14)


def communes_of(district_code):
    return list(
        AdministrativeUnit.objects.filter(
            level="commune", predecessions__predecessor__district__code=district_code
        ).order_by("code")
    )


@pytest.fixture
def city(db):
    """Two Đông Anh communes (2 and 1 operating clusters) and one Ứng Hòa commune (1); every
    cluster inspected in time for both dates, one failing."""
    dong_anh, ung_hoa = communes_of("017"), communes_of("281")
    placed = [
        ("DA-1", "017", dong_anh[0], "meets"),
        ("DA-2", "017", dong_anh[0], "fails"),
        ("DA-3", "017", dong_anh[1], "meets"),
        ("UH-1", "281", ung_hoa[0], "meets"),
    ]
    for code, district_code, commune, result in placed:
        cluster = operating_cluster(code, district_code, commune=commune)
        for day in (datetime.date(2024, 10, 1), datetime.date(2025, 10, 1)):
            InspectionFactory(cluster=cluster, inspected_on=day, result=result)
    return {"dong_anh": dong_anh, "ung_hoa": ung_hoa}


def page(client, user, **params):
    client.force_login(user)
    response = client.get("/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_before_the_reform_the_table_is_by_district(client, department_user, city):
    html = page(client, department_user, as_of="14/12/2024")
    figures = parse_figures(html)
    assert figures.rows["district-table"] == ["017", "281"]  # those with operating clusters
    assert figures.figures[("district-table", "017", "operating")] == "3"
    assert 'data-grouping="district" aria-current' not in html  # the current one is bold
    assert '<strong aria-current="true" data-grouping="district">' in html


def test_after_the_reform_the_table_is_by_commune_without_empty_ones(client, department_user, city):
    html = page(client, department_user, as_of="14/12/2025")
    figures = parse_figures(html)
    first, second = city["dong_anh"][:2]
    expected = wastewater_compliance(as_of=AFTER)
    shown = [row.unit.code for row in expected.units if row.figures.operating]
    assert (
        sorted(figures.rows["district-table"])
        == sorted(shown)
        == sorted([first.code, second.code, city["ung_hoa"][0].code])
    )
    assert figures.figures[("district-table", first.code, "operating")] == "2"
    assert figures.figures[("district-table", first.code, "compliant")] == "1"
    # 123 communes without an operating cluster are not rows; the note says so.
    assert 'id="empty-units-note"' in html and "123" in html
    # The switch offers the former districts, and the admin links filter by commune.
    assert 'data-grouping="district"' in html and "by=district" in html
    assert f"?commune={first.pk}&amp;status=operating" in html


def test_the_switch_shows_the_former_districts_after_the_reform(client, department_user, city):
    html = page(client, department_user, as_of="14/12/2025", by="district")
    figures = parse_figures(html)
    assert figures.rows["district-table"] == ["017", "281"]
    assert figures.figures[("district-table", "017", "operating")] == "3"
    assert '<strong aria-current="true" data-grouping="district">' in html
    # An unknown grouping is the default, not an error.
    html = page(client, department_user, as_of="14/12/2025", by="province")
    assert '<strong aria-current="true" data-grouping="commune">' in html


def test_commune_staff_see_their_communes_figures(client, city):
    staff = in_group(UserFactory(username="xa-staff"), "District staff")
    first = city["dong_anh"][0]
    UnitAssignment.objects.create(user=staff, unit=first)
    html = page(client, staff, as_of="14/12/2025")
    figures = parse_figures(html)
    assert figures.rows["district-table"] == [first.code]
    assert figures.figures[(None, None, "kpi-operating")] == "2"
    assert figures.figures[(None, None, "kpi-share")] == "50.00"
    assert figures.figures[(None, None, "city-operating")] == "4"  # Hanoi, for context
    assert 'id="no-districts"' not in html
    assert first.name in html


def test_the_csv_by_commune_lists_every_commune(client, department_user, city):
    client.force_login(department_user)
    client.cookies["django_language"] = "en"
    response = client.get("/dashboard/districts.csv", {"as_of": "2025-12-14", "by": "commune"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    units = [row for row in rows[1:] if row[2]]
    assert len(units) == 126
    assert {row[1] for row in units} == {"Commune level"}


def test_sections_an_account_may_not_see_are_not_queried(client, city):
    """An account with the clusters' view permission only: no market or project query."""
    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory(username="clusters-only")
    user.user_permissions.add(
        Permission.objects.get(codename="access_all_districts"),
        Permission.objects.get(codename="view_industrialcluster"),
    )
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", {"as_of": "14/12/2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="market-table"' not in html and 'id="district-table"' in html
    assert not [q["sql"] for q in queries if "markets_market" in q["sql"]]
