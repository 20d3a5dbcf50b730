"""The lists that drive work show dates: a cluster's operating date, latest inspection and
the days until that inspection goes out of date (with a filter on it); an inspection's date
(with a date filter). The days are one annotation on the same latest evidence and the same
window as the wastewater state."""

import datetime

import pytest
from django.urls import reverse

from clusters.choices import WastewaterState
from clusters.models import IndustrialCluster
from registry.dates import today
from tests.factories import ClusterFactory, InspectionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2024, 6, 30)
CLUSTERS = "admin:clusters_industrialcluster_changelist"
INSPECTIONS = "admin:clusters_wastewaterinspection_changelist"


def operating(code="CCN-A", **kwargs):
    kwargs.setdefault("wwtp_operating_since", D(2016, 1, 1))
    return ClusterFactory(
        code=code,
        established_on=D(2010, 1, 1),
        operating_since=D(2015, 1, 1),
        **kwargs,
    )


def annotated(cluster, as_of=AS_OF):
    return (
        IndustrialCluster.objects.with_wastewater_state(as_of)
        .with_evidence_days_left(as_of)
        .get(pk=cluster.pk)
    )


@pytest.mark.parametrize("days_ago", [0, 1, 100, 364, 365, 366, 400])
@pytest.mark.parametrize("window", [365, 180])
def test_days_left_is_the_window_minus_the_age_and_agrees_with_the_state(
    settings, days_ago, window
):
    settings.REGISTRY = {**settings.REGISTRY, "EVIDENCE_WINDOW_DAYS": window}
    cluster = operating()
    InspectionFactory(cluster=cluster, inspected_on=AS_OF - datetime.timedelta(days=days_ago))
    row = annotated(cluster)
    assert row.evidence_days_left == window - days_ago
    # Stale exactly when no day is left: one rule, two readings.
    assert (row.wastewater_state == WastewaterState.STALE_EVIDENCE) == (window - days_ago < 0)


def test_days_left_reads_the_latest_evidence_only():
    cluster = operating()
    InspectionFactory(cluster=cluster, inspected_on=D(2024, 1, 1))
    InspectionFactory(cluster=cluster, inspected_on=D(2024, 3, 1), result="fails")
    InspectionFactory(cluster=cluster, inspected_on=D(2024, 8, 1))  # after the date
    InspectionFactory(cluster=cluster, inspected_on=D(2015, 6, 1))  # before the plant
    assert annotated(cluster).evidence_days_left == 365 - (AS_OF - D(2024, 3, 1)).days


def test_no_evidence_gives_no_days():
    without_plant = operating("CCN-NO-PLANT", wwtp_operating_since=None)
    InspectionFactory(cluster=without_plant, inspected_on=D(2024, 1, 1))
    before_plant = operating("CCN-EARLY", wwtp_operating_since=D(2024, 2, 1))
    InspectionFactory(cluster=before_plant, inspected_on=D(2024, 1, 1))
    never = operating("CCN-NEVER")
    for cluster in (without_plant, before_plant, never):
        assert annotated(cluster).evidence_days_left is None, cluster.code


def evidence_fixture():
    """Operating clusters whose latest inspection goes out of date at different times
    (today), and one planned cluster with an old inspection."""
    now = today()

    def inspected(code, days_ago):
        cluster = operating(code)
        InspectionFactory(cluster=cluster, inspected_on=now - datetime.timedelta(days=days_ago))
        return cluster

    inspected("CCN-SOON", 365 - 10)  # 10 days left
    inspected("CCN-LAST-DAY", 365)  # 0 days left
    inspected("CCN-IN-60", 365 - 60)
    inspected("CCN-FRESH", 5)
    inspected("CCN-STALE", 400)
    operating("CCN-NEVER")
    planned = ClusterFactory(code="CCN-PLANNED", established_on=None)
    InspectionFactory(cluster=planned, inspected_on=now - datetime.timedelta(days=400))


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse(CLUSTERS), params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("30", {"CCN-SOON", "CCN-LAST-DAY"}),
        ("90", {"CCN-SOON", "CCN-LAST-DAY", "CCN-IN-60"}),
        ("stale", {"CCN-STALE"}),
        ("none", {"CCN-NEVER"}),
        ("nonsense", None),
    ],
)
def test_evidence_filter(client, department_staff, value, codes):
    evidence_fixture()
    response = listed(client, department_staff, evidence=value)
    shown = {c.code for c in response.context["cl"].result_list}
    if codes is None:  # an unknown value filters nothing
        assert shown == set(IndustrialCluster.objects.values_list("code", flat=True))
    else:
        assert shown == codes


def test_cluster_list_shows_dates_and_days_left(client, department_staff):
    evidence_fixture()
    response = listed(client, department_staff, q="CCN-SOON")
    html = response.content.decode()
    now = today()
    inspected = now - datetime.timedelta(days=355)
    assert '<span class="evidence-days evidence-days--soon" data-days="10">10</span>' in html
    assert inspected.strftime("%d-%m-%Y") in html or inspected.strftime("%d/%m/%Y") in html
    assert "01-01-2015" in html or "01/01/2015" in html  # operating since, short form
    assert "CCN-SOON" in html
    stale = listed(client, department_staff, q="CCN-STALE").content.decode()
    assert "evidence-days--stale" in stale
    # A cluster that is not operating has no days, though it has an old inspection.
    planned = listed(client, department_staff, q="CCN-PLANNED").content.decode()
    assert "evidence-days" not in planned.split('id="result_list"')[1]


def test_cluster_list_orders_by_days_left(client, department_staff):
    evidence_fixture()
    client.force_login(department_staff)
    cl = client.get(reverse(CLUSTERS), {"evidence": "90", "o": "7"}).context["cl"]
    assert [c.code for c in cl.result_list] == ["CCN-LAST-DAY", "CCN-SOON", "CCN-IN-60"]


def test_inspection_list_shows_the_date_and_filters_by_it(client, department_staff):
    now = today()
    cluster = operating("CCN-INSPECTED")
    InspectionFactory(cluster=cluster, inspected_on=now - datetime.timedelta(days=2))
    InspectionFactory(cluster=cluster, inspected_on=D(2019, 5, 10))
    client.force_login(department_staff)
    response = client.get(reverse(INSPECTIONS))
    html = response.content.decode()
    assert "10-05-2019" in html or "10/05/2019" in html
    # The date filter is offered and narrows the list.
    assert "inspected_on__gte" in html
    week = client.get(
        reverse(INSPECTIONS),
        {
            "inspected_on__gte": (now - datetime.timedelta(days=7)).isoformat(),
            "inspected_on__lt": (now + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert [i.inspected_on for i in week.context["cl"].result_list] == [
        now - datetime.timedelta(days=2)
    ]
