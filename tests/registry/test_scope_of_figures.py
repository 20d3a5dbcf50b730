"""One home for "which districts an account's figures cover" (registry.scoping.districts_in_scope),
and one range of dates the rules can be asked about (registry.dates), used by the API's stats,
its filters and the dashboard alike."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from dashboard.forms import AsOfForm
from registry.scoping import districts_in_scope
from tests.api.conftest import grant, token_client
from tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db


def test_every_district_is_none_so_the_selectors_need_not_filter(superuser, department_user):
    assert districts_in_scope(superuser) is None
    assert districts_in_scope(department_user) is None


def test_local_staff_cover_their_own_districts():
    user = UserFactory(username="two-districts", districts=[district("017"), district("281")])
    assert sorted(d.code for d in districts_in_scope(user)) == ["017", "281"]


def test_a_chosen_district_is_the_only_one(superuser):
    assert districts_in_scope(superuser, district("017")) == [district("017")]


def test_no_account_covers_nothing():
    assert districts_in_scope(AnonymousUser()) == []
    assert districts_in_scope(UserFactory(username="nobody")) == []


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (datetime.date(1899, 12, 31), False),
        (datetime.date(1900, 1, 1), True),
        (datetime.date(1950, 6, 14), True),  # the dashboard refused anything before 2000
        (datetime.date(2150, 12, 14), True),  # … and after 2100
        (datetime.date(2199, 12, 31), True),
        (datetime.date(2200, 1, 1), False),
    ],
)
def test_one_range_of_dates_for_the_api_the_filters_and_the_dashboard(day, accepted):
    user = UserFactory(username="kpi-reader")
    grant(user, "registry.access_all_districts", "clusters.view_industrialcluster")
    client = token_client(user)
    stats = client.get(reverse("api:stats-wastewater-compliance"), {"as_of": day.isoformat()})
    listing = client.get(reverse("api:cluster-list"), {"as_of": day.isoformat()})
    form = AsOfForm({"as_of": day.isoformat()})
    assert (stats.status_code == 200) is accepted
    assert (listing.status_code == 200) is accepted
    assert form.is_valid() is accepted
    if not accepted:
        # Day first, as the dashboard's date box (and the API, which reads it too) takes it.
        assert "01/01/1900" in str(stats.json()) and "31/12/2199" in str(stats.json())
        assert "01/01/1900" in str(form.errors) and "31/12/2199" in str(form.errors)
