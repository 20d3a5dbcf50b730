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
