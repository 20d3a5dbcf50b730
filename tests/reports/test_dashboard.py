"""The dashboard's publish form and published panel."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

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


# -- the publish address: POST only; a refused publish keeps what was sent -------------------------


def signed_in(user, language: str) -> Client:
    """A client signed in as ``user`` (None: nobody) who chose ``language`` (the cookie of
    the header's language switch; Vietnamese without it)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    if language != "vi":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("signed_in_as", ["publisher", "nobody"])
def test_a_get_of_the_publish_address_is_a_405_page_in_the_user_s_language(
    publisher, language, signed_in_as
):
    client = signed_in(publisher if signed_in_as == "publisher" else None, language)
    response = client.get("/dashboard/publish/", {"period": "year", "year": "2025"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Language"] == language
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    with translation.override(language):
        title = translation.gettext("Method not allowed")
        reason = translation.gettext("Publish with the form on the dashboard.")
        home = translation.gettext("Home")
    if language == "vi":
        assert (title, reason) == (
            "Phương thức không được phép",
            "Hãy công bố bằng biểu mẫu trên trang tổng quan.",
        )
    assert title in page and reason in page
    assert f'<a href="/">{home}</a>' in page  # the project's error page, not a bare body
    assert not PublishedReport.objects.exists()
