"""The dashboard page: every figure is the selector's for the same date, scoped to the user."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission

from clusters.choices import WASTEWATER_STATE_REASONS, WastewaterState
from clusters.selectors import construction_overdue, wastewater_compliance
from dashboard import data
from dashboard.forms import date_presets
from markets.selectors import market_statistics
from registry.dates import today
from registry.models import District
from tests.dashboard.helpers import AS_OF, as_text, make_city, operating_cluster, parse_figures
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory, UserFactory

pytestmark = pytest.mark.django_db

KPI_FIELDS = ("operating", "compliant", "share", "target", "shortfall", "met")


def kpi_value(figures, name):
    return {
        "operating": figures.operating,
        "compliant": figures.compliant,
        "share": figures.share_percent,
        "target": figures.target_percent,
        "shortfall": figures.shortfall,
        "met": figures.met,
    }[name]


def get_page(client, user, as_of=AS_OF):
    client.force_login(user)
    response = client.get("/", {"as_of": as_of.isoformat()} if as_of else {})
    assert response.status_code == 200
    return response


def test_anonymous_visitor_goes_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "next=/" in response["Location"]


def test_every_kpi_figure_equals_the_selector(client, department_user):
    make_city()
    parsed = parse_figures(get_page(client, department_user).content.decode())
    expected = wastewater_compliance(as_of=AS_OF)

    for name in KPI_FIELDS:
        assert parsed.figures[(None, None, f"kpi-{name}")] == as_text(
            kpi_value(expected.city, name)
        ), name
    for state, count in expected.city.by_state.items():
        if state == WastewaterState.COMPLIANT:  # shown once, as "compliant" above
            assert (None, None, f"kpi-state-{state}") not in parsed.figures
            continue
        assert parsed.figures[(None, None, f"kpi-state-{state}")] == str(count)
    # The hand-made case, so the comparison is not vacuous: 2 of 6 compliant, 95 % → 4 short.
    assert (expected.city.operating, expected.city.compliant) == (6, 2)
    assert parsed.figures[(None, None, "kpi-operating")] == "6"
    assert parsed.figures[(None, None, "kpi-compliant")] == "2"
    assert parsed.figures[(None, None, "kpi-share")] == "33.33"
    assert parsed.figures[(None, None, "kpi-target")] == "95.00"
    assert parsed.figures[(None, None, "kpi-shortfall")] == "4"  # ⌈5.7⌉ − 2
    assert parsed.figures[(None, None, "kpi-met")] == "false"
    assert parsed.figures[(None, None, "kpi-state-failed")] == "1"
    assert parsed.figures[(None, None, "kpi-state-no_evidence")] == "1"


def test_district_table_equals_the_selector_sorted_by_shortfall(client, department_user):
    make_city()
    response = get_page(client, department_user)
    parsed = parse_figures(response.content.decode())
    expected = {
        row.district.code: row.figures
        for row in wastewater_compliance(as_of=AS_OF).districts
        if row.figures.operating
    }

    assert parsed.rows["district-table"] == ["017", "281"]  # 3 short, then 1 short
    for code, figures in expected.items():
        for name in ("operating", "compliant", "share", "shortfall"):
            assert parsed.figures[("district-table", code, name)] == as_text(
                kpi_value(figures, name)
            ), (code, name)
        for state in WastewaterState:
            if state in (WastewaterState.NOT_OPERATING, WastewaterState.COMPLIANT):
                continue
            assert parsed.figures[("district-table", code, f"state-{state.value}")] == str(
                figures.by_state[state.value]
            )
    assert expected["017"].shortfall == 3 and expected["281"].shortfall == 1
    # By hand: Đông Anh 1 of 4 (⌈3.8⌉ − 1 short), Ứng Hòa 1 of 2 (⌈1.9⌉ − 1 short).
    for code, figures in {
        "017": {"operating": "4", "compliant": "1", "share": "25.00", "shortfall": "3",
                "state-failed": "1", "state-stale_evidence": "1", "state-no_evidence": "0"},
        "281": {"operating": "2", "compliant": "1", "share": "50.00", "shortfall": "1",
                "state-failed": "0", "state-no_evidence": "1"},
    }.items():  # fmt: skip
        for name, value in figures.items():
            assert parsed.figures[("district-table", code, name)] == value, (code, name)


def test_district_figures_link_to_the_admin_list_of_those_clusters(client, department_user):
    make_city()
    html = get_page(client, department_user).content.decode()
    pk = District.objects.get(code="017").pk
    base = "/admin/clusters/industrialcluster/"
    assert f'href="{base}?district={pk}&amp;status=operating"' in html
    assert f'href="{base}?district={pk}&amp;wastewater_state=compliant"' in html
    assert f'href="{base}?district={pk}&amp;wastewater_state=failed"' in html


def test_trend_is_the_selector_at_each_year_end_and_now(client, department_user):
    make_city()
    parsed = parse_figures(get_page(client, department_user).content.decode())
    now = today()
    dates = [datetime.date(y, 12, 31) for y in range(2020, now.year)] + [now]

    assert parsed.rows["trend-table"] == [d.isoformat() for d in dates]
    for day in dates:
        figures = wastewater_compliance(as_of=day).city
        for name in ("share", "target", "compliant", "operating", "shortfall"):
            assert parsed.figures[("trend-table", day.isoformat(), name)] == as_text(
                kpi_value(figures, name)
            ), (day, name)
    # By hand, at three year ends: no target before 2021; at 2021 only DA-STALE's inspection
    # of 2021-01-01 is recent enough; in 2023 the two compliant clusters' inspections.
    for day, figures in {
        "2020-12-31": {"operating": "6", "compliant": "0", "share": "0.00", "target": "",
                       "shortfall": ""},
        "2021-12-31": {"operating": "6", "compliant": "1", "share": "16.67", "target": "95.00",
                       "shortfall": "5"},
        "2023-12-31": {"operating": "6", "compliant": "2", "share": "33.33", "target": "95.00",
                       "shortfall": "4"},
    }.items():  # fmt: skip
        for name, value in figures.items():
            assert parsed.figures[("trend-table", day, name)] == value, (day, name)


def test_overdue_list_is_the_selector_with_months(client, department_user):
    make_city()
    parsed = parse_figures(get_page(client, department_user).content.decode())
    expected = construction_overdue(as_of=AS_OF)

    assert parsed.rows["overdue-table"] == [item.cluster.code for item in expected]
    assert parsed.rows["overdue-table"] == ["DA-OVERDUE", "UH-OVERDUE"]
    # Established 2019-01-01 and 2020-01-01; at 2023-06-14.
    assert parsed.figures[("overdue-table", "DA-OVERDUE", "months")] == "53"
    assert parsed.figures[("overdue-table", "UH-OVERDUE", "months")] == "41"
    for item in expected:
        assert parsed.figures[("overdue-table", item.cluster.code, "months")] == str(
            item.months_since_established
        )


def test_not_compliant_list_gives_each_clusters_state_and_reason(client, department_user):
    make_city()
    html = get_page(client, department_user).content.decode()
    parsed = parse_figures(html)
    city = wastewater_compliance(as_of=AS_OF).city

    states = [
        parsed.row_attrs[("not-compliant-table", code)]["data-state"]
        for code in parsed.rows["not-compliant-table"]
    ]
    # As many rows in each state as the KPI counts; none compliant.
    for state, count in city.by_state.items():
        expected = 0 if state == WastewaterState.COMPLIANT else count
        assert states.count(state) == expected, state
    assert {
        code: parsed.row_attrs[("not-compliant-table", code)]["data-state"]
        for code in parsed.rows["not-compliant-table"]
    } == {
        "DA-FAILED": "failed",
        "DA-NO-PLANT": "no_treatment_plant",
        "DA-STALE": "stale_evidence",
        "UH-NO-EVIDENCE": "no_evidence",
    }
    for state in set(states):
        assert str(WASTEWATER_STATE_REASONS[WastewaterState(state)]) in html


def test_markets_equal_the_selector(client, department_user):
    make_city()
    parsed = parse_figures(get_page(client, department_user).content.decode())
    stats = market_statistics()

    assert parsed.figures[(None, None, "markets-total")] == str(stats.city.total)
    for status, n in stats.city.by_status.items():
        assert parsed.figures[(None, None, f"markets-status-{status}")] == str(n)
    for key, n in stats.city.by_class.items():
        assert parsed.figures[(None, None, f"markets-class-{key}")] == str(n)
    for district_obj, counts in stats.districts:
        if not counts.total:
            assert district_obj.code not in parsed.rows["market-table"]
            continue
        assert parsed.figures[("market-table", district_obj.code, "total")] == str(counts.total)
        for status, n in counts.by_status.items():
            assert parsed.figures[("market-table", district_obj.code, f"status-{status}")] == str(n)
    assert parsed.rows["project-table"] == ["HK-3", "DA-M1"]  # by district code
    # By hand: HK-1 (class 1), HK-2 and HK-3 (unclassified) operate in Hoàn Kiếm; DA-M1
    # (class 3) is under renovation in Đông Anh.
    for name, value in {
        "markets-total": "4",
        "markets-status-operating": "3",
        "markets-status-under_renovation": "1",
        "markets-status-planned": "0",
        "markets-class-1": "1",
        "markets-class-3": "1",
        "markets-class-unclassified": "2",
    }.items():
        assert parsed.figures[(None, None, name)] == value, name
    assert parsed.rows["market-table"] == ["002", "017"]
    assert parsed.figures[("market-table", "002", "total")] == "3"
    assert parsed.figures[("market-table", "017", "status-under_renovation")] == "1"


def test_district_staff_see_their_districts_with_the_city_beside(client, district_user):
    make_city()
    html = get_page(client, district_user).content.decode()
    parsed = parse_figures(html)
    own = wastewater_compliance(as_of=AS_OF, districts=District.objects.filter(code="017"))
    city = wastewater_compliance(as_of=AS_OF)

    for name in KPI_FIELDS:
        assert parsed.figures[(None, None, f"kpi-{name}")] == as_text(kpi_value(own.city, name))
        assert parsed.figures[(None, None, f"city-{name}")] == as_text(kpi_value(city.city, name))
    assert own.city.operating == 4 and city.city.operating == 6
    assert parsed.figures[(None, None, "kpi-share")] == "25.00"
    assert parsed.figures[(None, None, "kpi-shortfall")] == "3"
    assert parsed.figures[(None, None, "city-share")] == "33.33"
    assert parsed.figures[(None, None, "city-shortfall")] == "4"
    assert parsed.figures[("trend-table", "2021-12-31", "share")] == "25.00"  # DA-STALE
    assert parsed.figures[("trend-table", "2021-12-31", "city-share")] == "16.67"
    # Lists and tables only from their scope.
    assert parsed.rows["district-table"] == ["017"]
    assert parsed.rows["overdue-table"] == ["DA-OVERDUE"]
    assert set(parsed.rows["not-compliant-table"]) == {"DA-FAILED", "DA-NO-PLANT", "DA-STALE"}
    assert parsed.rows["market-table"] == ["017"]
    assert parsed.rows["project-table"] == ["DA-M1"]
    for other in ("UH-OVERDUE", "UH-NO-EVIDENCE", "HK-1", "HK-3"):
        assert other not in html
    # The trend shows their districts with the city's share beside.
    for day in data.trend_dates(today()):
        assert parsed.figures[("trend-table", day.isoformat(), "share")] == as_text(
            wastewater_compliance(
                as_of=day, districts=District.objects.filter(code="017")
            ).city.share_percent
        )
        assert parsed.figures[("trend-table", day.isoformat(), "city-share")] == as_text(
            wastewater_compliance(as_of=day).city.share_percent
        )


def test_account_without_districts_sees_no_figures(client):
    make_city()
    user = UserFactory(username="nobody")
    user.groups.add(Group.objects.get(name="District staff"))  # the permissions, no district
    html = get_page(client, user).content.decode()
    assert 'id="no-districts"' in html
    assert "DA-FAILED" not in html
    assert 'data-figure="kpi-operating"' not in html


@pytest.mark.parametrize(
    "bad", ["2021-13-45", "yesterday", "0001-01-01", "9999-12-31", "2021-02-30", "'; DROP"]
)
def test_a_bad_date_gives_a_message_and_todays_figures(client, department_user, bad):
    make_city()
    client.force_login(department_user)
    response = client.get("/", {"as_of": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="as-of-error"' in html
    assert response.context["as_of"] == today()
    parsed = parse_figures(html)
    assert parsed.figures[(None, None, "kpi-operating")] == str(
        wastewater_compliance(as_of=today()).city.operating
    )
    assert parsed.figures[(None, None, "kpi-operating")] == "6"  # all operate since 2015


def test_no_date_means_today_without_a_message(client, department_user):
    response = get_page(client, department_user, as_of=None)
    assert response.context["as_of"] == today()
    assert 'id="as-of-error"' not in response.content.decode()


def test_date_presets_are_offered():
    now = datetime.date(2025, 7, 1)
    days = [day for day, _label in date_presets(now)]
    assert days[0] == now
    for day in (
        datetime.date(2025, 6, 14),
        datetime.date(2024, 6, 14),
        datetime.date(2024, 12, 14),
        datetime.date(2024, 12, 31),
        datetime.date(2020, 12, 31),
    ):
        assert day in days
    assert datetime.date(2025, 12, 14) not in days  # not yet
    assert datetime.date(2025, 12, 31) not in days  # the year is not over


def test_presets_link_to_the_page_at_that_date(client, department_user):
    html = get_page(client, department_user).content.decode()
    assert f'href="?as_of={today().year - 1}-12-14"' in html
    this_june = datetime.date(today().year, 6, 14)
    assert (f'href="?as_of={this_june.isoformat()}"' in html) == (this_june <= today())


def _count_queries(django_assert_num_queries, client, user, expected):
    client.force_login(user)
    with django_assert_num_queries(expected):
        response = client.get("/", {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200


def _more_rows():
    """More clusters, inspections, markets and projects in both districts."""
    for n in range(12):
        cluster = operating_cluster(f"DA-MORE-{n}", "017" if n % 2 else "281")
        InspectionFactory(cluster=cluster, inspected_on=datetime.date(2023, 1, n + 1))
        ClusterFactory(code=f"DA-LATE-{n}", established_on=datetime.date(2018, 1, n + 1))
        MarketFactory(code=f"M-MORE-{n}")


# The page's queries: session, user, the demo check, the districts in scope, the KPI at the
# date (its units, and one statement for the counts and the target), the trend (that
# statement at each year end since 2020 and now),
# the not-compliant list, the markets, the projects, the two overdue lists, and the year of the
# target in force for each year shown (to say when it is carried forward).
TREND_POINTS = today().year - 2020 + 1
TARGET_YEARS = len({AS_OF.year, *range(2020, today().year + 1)})


@pytest.mark.parametrize("extra", [False, True])
def test_query_count_is_fixed_for_department_staff(
    client, department_user, django_assert_num_queries, extra
):
    make_city()
    if extra:
        _more_rows()
    # +2: the account's permissions (user and group) for the all-districts check; the
    # districts listed twice (the KPI table and the market table); +1: the published report
    # at the date (AS_OF is a cut-off; reports' panel).
    _count_queries(
        django_assert_num_queries,
        client,
        department_user,
        2 + 2 + 1 + 1 + 1 + 1 + TREND_POINTS + 5 + TARGET_YEARS + 1,
    )


@pytest.mark.parametrize("extra", [False, True])
def test_query_count_is_fixed_for_district_staff(
    client, district_user, django_assert_num_queries, extra
):
    make_city()
    if extra:
        _more_rows()
    # District staff: permissions (2), and the KPI twice at each date (their districts and
    # the city's total).
    _count_queries(
        django_assert_num_queries,
        client,
        district_user,
        2 + 2 + 1 + 1 + 2 * 1 + 2 * TREND_POINTS + 5 + TARGET_YEARS,
    )


def test_superuser_query_count(client, superuser, django_assert_num_queries):
    make_city()
    _more_rows()
    _count_queries(
        django_assert_num_queries,
        client,
        superuser,
        2 + 1 + 1 + 1 + 1 + TREND_POINTS + 5 + TARGET_YEARS + 1,  # +1: the published report
    )


def test_language_switch_posts_to_set_language(client, department_user):
    client.force_login(department_user)
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert '<html lang="vi">' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert '<html lang="en">' in response.content.decode()


def test_header_has_sign_out_and_admin_link(client, department_user):
    client.force_login(department_user)
    html = client.get("/").content.decode()
    assert 'action="/admin/logout/" method="post"' in html
    assert 'href="/admin/"' in html


def test_demo_note_only_with_the_demo_dataset(client, department_user):
    demo = pytest.importorskip("demo.data")
    client.force_login(department_user)
    make_city()
    assert 'id="demo-note"' not in client.get("/").content.decode()
    spec = demo.CLUSTERS[0]
    ClusterFactory(code=spec["code"], decision_no=spec["decision_no"])
    assert 'id="demo-note"' in client.get("/").content.decode()


def test_superuser_sees_every_district(client, superuser):
    make_city()
    parsed = parse_figures(get_page(client, superuser).content.decode())
    assert parsed.rows["district-table"] == ["017", "281"]
    assert "city-operating" not in {key[2] for key in parsed.figures}


def test_user_with_the_permission_through_a_group_sees_every_district(client):
    make_city()
    group = Group.objects.create(name="department-test")
    group.permissions.add(
        Permission.objects.get(codename="access_all_districts"),
        Permission.objects.get(codename="view_industrialcluster"),
    )
    user = UserFactory(username="grouped")
    user.groups.add(group)
    parsed = parse_figures(get_page(client, user).content.decode())
    assert parsed.figures[(None, None, "kpi-operating")] == "6"


def test_a_district_link_opens_the_admin_list_of_that_districts_clusters(client, superuser):
    make_city()
    client.force_login(superuser)
    html = client.get("/", {"by": "district"}).content.decode()
    pk = District.objects.get(code="281").pk
    link = f"/admin/clusters/industrialcluster/?district={pk}&amp;status=operating"
    assert f'href="{link}"' in html
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "UH-COMPLIANT" in body and "UH-NO-EVIDENCE" in body
    assert "DA-COMPLIANT" not in body and "UH-OVERDUE" not in body


def test_market_figures_link_to_the_admin_list_of_those_markets(client, superuser):
    """Every count of the markets table opens the admin's market list filtered to exactly
    those markets (the same count)."""
    from markets.choices import MarketClass, MarketStatus

    MarketFactory(district=District.objects.get(code="017"), market_class=None)
    MarketFactory(
        district=District.objects.get(code="017"),
        status=MarketStatus.values[-1],
        market_class=MarketClass.values[0],
    )
    MarketFactory(district=District.objects.get(code="281"))
    html = get_page(client, superuser).content.decode()
    parsed = parse_figures(html)
    links = re.findall(
        r'data-figure="([a-z0-9_-]+)" data-value="(\d+)"><a href="(/admin/markets/market/[^"]*)"',
        html,
    )
    rows = parsed.rows["market-table"]
    assert rows == ["017", "281"]
    assert len(links) == len(rows) * (1 + len(MarketStatus) + len(MarketClass) + 1)
    for figure, count, href in links:
        response = client.get(href.replace("&amp;", "&"))
        assert response.status_code == 200, href
        assert response.context["cl"].result_count == int(count), (figure, href)
    assert sum(int(count) for _figure, count, _href in links) > 0
    assert parsed.figures[("market-table", "017", "total")] == "2"
