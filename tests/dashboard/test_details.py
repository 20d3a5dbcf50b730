"""The dashboard's details: projects under way at the chosen date, future dates labelled as
projections, presets never in the future (Hanoi time), targets carried forward say so, no
figure twice in the KPI box, zeros not in alarm colours, every heading dated."""

import csv
import datetime
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from dashboard import data
from registry.dates import today
from tests.dashboard.helpers import AS_OF, make_city, parse_figures
from tests.factories import MarketFactory, MarketProjectFactory, TargetFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date


def page(client, user, as_of=AS_OF, **headers):
    client.force_login(user)
    params = {"as_of": as_of.isoformat()} if as_of else {}
    response = client.get("/", params, **headers)
    assert response.status_code == 200
    return response


def projects():
    """Projects of one market each, around AS_OF (2023-06-14)."""
    specs = {
        "P-BEFORE": {"status": "in_progress", "started_on": D(2022, 1, 1)},
        "P-LATER": {"status": "in_progress", "started_on": D(2025, 1, 1)},
        "P-DONE-AFTER": {
            "status": "completed",
            "started_on": D(2021, 5, 1),
            "completed_on": D(2024, 2, 1),
        },
        "P-DONE-BEFORE": {
            "status": "completed",
            "started_on": D(2020, 5, 1),
            "completed_on": D(2022, 2, 1),
        },
        "P-DONE-ON": {"status": "completed", "started_on": D(2021, 5, 1), "completed_on": AS_OF},
        "P-NO-START": {"status": "in_progress", "started_on": None},
        "P-CANCELLED": {"status": "cancelled", "started_on": D(2022, 1, 1)},
        "P-PLANNED": {"status": "planned", "started_on": None},
    }
    for code, spec in specs.items():
        market = MarketFactory(code=code, district=district("017"))
        MarketProjectFactory(market=market, **spec)


def test_projects_under_way_at_a_past_date_are_those_under_way_then(client, department_user):
    projects()
    parsed = parse_figures(page(client, department_user).content.decode())
    assert parsed.rows["project-table"] == ["P-BEFORE", "P-DONE-AFTER"]
    # The CSV lists the same projects.
    client.force_login(department_user)
    response = client.get("/dashboard/projects.csv", {"as_of": AS_OF.isoformat()})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["P-BEFORE", "P-DONE-AFTER"]


def test_projects_under_way_today_are_those_recorded_in_progress(client, department_user):
    projects()
    parsed = parse_figures(page(client, department_user, as_of=None).content.decode())
    assert parsed.rows["project-table"] == ["P-BEFORE", "P-LATER", "P-NO-START"]
    assert [
        p.market.code for p in data.projects_under_way(data.Scope.for_user(department_user))
    ] == [
        "P-BEFORE",
        "P-LATER",
        "P-NO-START",
    ]


def test_a_future_date_is_labelled_a_projection(client, department_user):
    make_city()
    future = today() + datetime.timedelta(days=200)
    html = page(client, department_user, as_of=future).content.decode()
    assert 'id="projection-note"' in html and 'id="projection-date"' in html
    assert "Ước tính tại ngày" in html
    assert date_format(today(), "SHORT_DATE_FORMAT") in html  # the records of today
    for day in (today(), AS_OF):
        html = page(client, department_user, as_of=day).content.decode()
        assert 'id="projection-note"' not in html
        assert "Số liệu tại ngày" in html


def preset_days(html):
    return [D.fromisoformat(d) for d in re.findall(r'href="\?as_of=(\d{4}-\d\d-\d\d)"', html)]


def test_presets_are_never_in_the_future(client, department_user):
    days = preset_days(page(client, department_user, as_of=None).content.decode())
    assert days and days[0] == today()
    assert all(day <= today() for day in days)
    assert len(days) == len(set(days))


@pytest.mark.parametrize(
    ("utc", "hanoi_today", "cutoff_offered"),
    [
        # 13 December in UTC is already 14 December in Hanoi: that cut-off is offered.
        (datetime.datetime(2025, 12, 13, 18, 0, tzinfo=datetime.UTC), D(2025, 12, 14), True),
        (datetime.datetime(2025, 12, 13, 16, 0, tzinfo=datetime.UTC), D(2025, 12, 13), False),
    ],
)
def test_presets_follow_the_date_in_hanoi(
    client, department_user, monkeypatch, utc, hanoi_today, cutoff_offered
):
    monkeypatch.setattr(timezone, "now", lambda: utc)
    assert today() == hanoi_today
    days = preset_days(page(client, department_user, as_of=None).content.decode())
    assert days[0] == hanoi_today
    assert (D(2025, 12, 14) in days) == cutoff_offered
    assert D(2025, 6, 14) in days and all(day <= hanoi_today for day in days)


def test_a_carried_forward_target_says_from_which_year(client, department_user):
    make_city()  # the 2021 target (95 %) comes with the data migration
    TargetFactory(year=2024, percent=Decimal("97"))
    html = page(client, department_user).content.decode()
    kpi = html.split('id="kpi-card"')[1].split("</article>")[0]
    assert 'data-carried-from="2021"' in kpi
    assert "(mục tiêu năm 2021)" in kpi
    trend = html.split('id="trend-table"')[1].split("</table>")[0]
    rows = dict(re.findall(r'<tr data-date="(\d{4})-12-31">(.*?)</tr>', trend, re.S))
    assert "data-carried-from" not in rows["2020"]  # no target at all then
    assert "data-carried-from" not in rows["2021"]  # its own year's target
    assert 'data-carried-from="2021"' in rows["2022"]
    assert 'data-carried-from="2021"' in rows["2023"]
    assert "data-carried-from" not in rows["2024"]
    if today().year > 2025:
        assert 'data-carried-from="2024"' in rows["2025"]


def test_a_target_of_the_year_itself_is_not_called_carried(client, department_user):
    make_city()
    TargetFactory(year=AS_OF.year, percent=Decimal("90"))
    kpi = page(client, department_user).content.decode().split('id="kpi-card"')[1]
    assert "data-carried-from" not in kpi.split("</article>")[0]


def test_compliant_is_written_once_in_the_kpi_box(client, department_user):
    make_city()
    html = page(client, department_user).content.decode()
    kpi = html.split('id="kpi-card"')[1].split("</article>")[0]
    assert kpi.count("Đạt quy chuẩn") == 1
    # The states below are the ones that do not count, each once.
    parsed = parse_figures(html)
    assert parsed.figures[(None, None, "kpi-compliant")] == "2"


def test_a_zero_count_is_marked_so_it_is_not_drawn_in_alarm_red(client, department_user):
    make_city()
    # On 1 January 2016 no inspection has failed yet: the failed count is 0, marked so.
    html = page(client, department_user, as_of=D(2016, 1, 1)).content.decode()
    assert re.search(
        r'class="state-count state--failed state-count--zero"><dt>[^<]+</dt>'
        r'<dd data-figure="kpi-state-failed" data-value="0">0</dd>',
        html,
    )
    now = page(client, department_user).content.decode()
    assert "state--failed state-count--zero" not in now  # 1 failed at AS_OF


class Headings(HTMLParser):
    """The text of every visible h2 and h3 of the page outside the KPI cards."""

    def __init__(self):
        super().__init__()
        self.headings, self.current, self.depth_article = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth_article += 1
        if tag in ("h2", "h3") and not self.depth_article:
            hidden = "visually-hidden" in (attrs.get("class") or "")
            self.current = None if hidden else []

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth_article -= 1
        if tag in ("h2", "h3") and self.current is not None:
            self.headings.append("".join(self.current).strip())
            self.current = None

    def handle_data(self, text):
        if self.current is not None:
            self.current.append(text)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_heading_is_dated_or_says_today(client, department_user, language):
    make_city()
    projects()
    client.force_login(department_user)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = page(client, department_user).content.decode()
    assert f'<html lang="{language}">' in html
    parser = Headings()
    parser.feed(html)
    assert len(parser.headings) >= 7, parser.headings
    with translation.override(language):
        day = date_format(AS_OF, "SHORT_DATE_FORMAT")
    today_word = {"vi": "hôm nay", "en": "today"}[language]
    for heading in parser.headings:
        assert day in heading or today_word in heading, heading
