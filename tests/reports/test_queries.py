"""What the reports' querysets load: never the figures of a related report."""

import pytest

from reports.models import PublishedReport
from reports.services import publish
from tests.reports.conftest import operating_cluster


@pytest.mark.django_db
def test_with_people_leaves_the_related_reports_figures_unread(superuser):
    operating_cluster("CCN-A", "Cụm A")
    first = publish("year", 2025, superuser)
    second = publish("year", 2025, superuser, note="Đính chính")

    newer = PublishedReport.objects.with_people().get(pk=second.pk)
    older = PublishedReport.objects.with_people().get(pk=first.pk)
    assert "figures" in newer.supersedes.get_deferred_fields()
    assert "figures" in older.superseded_by.get_deferred_fields()
    assert "figures" not in newer.get_deferred_fields()  # its own are read (the detail)
    assert newer.published_by == superuser


@pytest.mark.django_db
def test_the_admin_list_reads_no_report_s_figures(client, superuser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    operating_cluster("CCN-A", "Cụm A")
    publish("year", 2024, superuser)
    publish("year", 2025, superuser)
    publish("year", 2025, superuser, note="Đính chính")
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/reports/publishedreport/")
    assert response.status_code == 200
    for report in PublishedReport.objects.all():
        assert f"/admin/reports/publishedreport/{report.pk}/change/" in response.text
    reads = [q["sql"] for q in queries.captured_queries if "reports_publishedreport" in q["sql"]]
    assert reads and not any("figures" in sql for sql in reads)

    # One report's page shows its figures.
    first = PublishedReport.objects.order_by("pk").first()
    page = client.get(f"/admin/reports/publishedreport/{first.pk}/change/")
    assert page.status_code == 200 and b"CCN-A" in page.content
