"""The dashboard's publish form and published panel."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from reports.models import PublishedReport
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def test_department_staff_publish_from_the_dashboard_and_see_both_figures(city, publisher):
    client = Client()
    client.force_login(publisher)
    page = client.get("/").content.decode()
    assert 'id="publish-form"' in page
    response = client.post("/dashboard/publish/", {"period": "year", "year": "2025"})
    assert response.status_code == 302 and "as_of=2025-12-14" in response["Location"]
    report = PublishedReport.objects.get()
    # A back-dated failure: the published figures stay, the recomputation differs and the
    # changed record is named.
    InspectionFactory(cluster=city["a"], inspected_on=datetime.date(2025, 11, 1), result="fails")
    page = client.get("/", {"as_of": "2025-12-14"}).content.decode()
    assert 'id="published-panel"' in page
    published_on = timezone.localtime(report.published_at).strftime("%d/%m/%Y")
    assert published_on in page and publisher.username in page
    assert 'id="recomputed-figures"' in page
    assert "CCN-DUC-TU — Cụm công nghiệp Dục Tú" in page
    # A correction without a note is refused with a message.
    response = client.post("/dashboard/publish/", {"period": "year", "year": "2025"}, follow=True)
    assert "ghi chú" in response.content.decode()
    assert PublishedReport.objects.count() == 1


def test_local_staff_get_no_form_and_cannot_publish(city, local_staff):
    client = Client()
    client.force_login(local_staff)
    assert 'id="publish-form"' not in client.get("/").content.decode()
    client.post("/dashboard/publish/", {"period": "year", "year": "2025"})
    assert not PublishedReport.objects.exists()


def test_the_panel_reuses_the_page_s_kpi(city, publisher, django_assert_num_queries):
    """At a published cut-off the page costs the report's changed records (four queries)
    more than at an unpublished one, not a second computation of the KPI."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(publisher)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/", {"as_of": "2025-12-14"}).status_code == 200
        return len(queries)

    client.get("/", {"as_of": "2025-12-14"})
    before = count()
    client.post("/dashboard/publish/", {"period": "year", "year": "2025"})
    client.get("/", {"as_of": "2025-12-14"})
    assert count() == before + 4
