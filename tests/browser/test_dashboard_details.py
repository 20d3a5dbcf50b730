"""The dashboard in Chromium: on a 375 × 667 phone the KPI is on the first screen; a zero
is not drawn in the alarm colour."""

import datetime

import pytest

from tests.dashboard.helpers import AS_OF, in_group, make_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALARM_RED = "rgb(164, 38, 11)"  # --behind in site.css


@pytest.fixture
def department_user(department_user):
    return in_group(department_user, "Department staff")  # the view permissions


@pytest.fixture
def district_user(district_user):
    return in_group(district_user, "District staff")


@pytest.mark.parametrize("who", ["department_user", "district_user"])
def test_the_kpi_is_on_the_first_phone_screen(page, live_server, login, request, who):
    make_city()
    page.set_viewport_size({"width": 375, "height": 667})
    login(request.getfixturevalue(who))
    page.goto(f"{live_server.url}/?as_of={AS_OF.isoformat()}")
    page.wait_for_load_state("load")
    top = page.evaluate("() => document.querySelector('#kpi-card').getBoundingClientRect().top")
    assert top < 667, f"the KPI starts at {top}px"
    share = page.locator('[data-figure="kpi-share"]')
    assert share.is_visible()
    assert share.evaluate("e => e.getBoundingClientRect().bottom") < 667
    # The date choice is still on the page, after the KPI.
    assert page.locator("#id_as_of").is_visible()
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= 375


def test_a_zero_is_not_in_alarm_red(page, live_server, login, department_user):
    make_city()
    login(department_user)
    # On 1 January 2016 no inspection has failed yet; at AS_OF one has.
    colours = {}
    for day in (datetime.date(2016, 1, 1), AS_OF):
        page.goto(f"{live_server.url}/?as_of={day.isoformat()}")
        cell = page.locator('[data-figure="kpi-state-failed"]')
        colours[day] = (cell.inner_text(), cell.evaluate("e => getComputedStyle(e).color"))
    assert colours[datetime.date(2016, 1, 1)][0] == "0"
    assert colours[datetime.date(2016, 1, 1)][1] != ALARM_RED
    assert colours[AS_OF] == ("1", ALARM_RED)
