"""The dashboard's publish form and published panel."""

import datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from registry.dates import today
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


class PublishFormValues(HTMLParser):
    """What the page's publish form shows: the selected period (None: no option selected),
    the year and the note."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str | None] = {}
        self.in_form = False
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == "publish-form"
        elif not self.in_form:
            return
        elif tag == "select":
            self.select = attrs["name"]
            self.values.setdefault(self.select, None)
        elif tag == "option" and "selected" in attrs:
            self.values[self.select] = attrs["value"]
        elif tag == "input" and attrs.get("name") in ("year", "note"):
            self.values[attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None


def publish_form_values(page: str) -> dict:
    parser = PublishFormValues()
    parser.feed(page)
    assert set(parser.values) == {"period", "year", "note"}, parser.values
    return parser.values


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


#: A year whose half-year cut-off is after today whenever the suite runs (a year computed at
#: collection could turn between collection and the run, at New Year).
NEXT_YEAR = "2099"

#: Refused publishes: (period, year, note, the reason in Vietnamese, in English). "again" is
#: a correction of a period already published.
REFUSALS = {
    "bad period": (
        "month",
        "2025",
        "Bổ sung kết quả quan trắc tháng 11",
        "Hãy chọn kỳ báo cáo",
        "Choose the period",
    ),
    "year not a number": (
        "year",
        "hai nghìn",
        "Bổ sung",
        "Hãy nhập năm là một số",
        "Give the year as a number",
    ),
    "cut-off after today": (
        "half_year",
        NEXT_YEAR,
        'Sửa "số liệu" <b>quý</b> & ghi chú',
        f"Ngày chốt số liệu 14/06/{NEXT_YEAR} sau ngày hôm nay",
        f"The cut-off 14/06/{NEXT_YEAR} is after today",
    ),
    "again without a note": ("year", "2025", "", "hãy ghi rõ lý do", "say why in the note"),
    "someone else at once": (
        "year",
        "2025",
        "Công bố lần đầu",
        "Kỳ này vừa được người khác công bố",
        "published by someone else just now",
    ),
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_a_refused_publish_keeps_what_was_sent_and_says_why(city, publisher, language, refusal):
    from unittest import mock

    from django.db import IntegrityError

    period, year, note, vi_reason, en_reason = REFUSALS[refusal]
    client = signed_in(publisher, language)
    if refusal == "again without a note":
        client.post("/dashboard/publish/", {"period": "year", "year": "2025"})
    published = PublishedReport.objects.count()
    sent = {"period": period, "year": year, "note": note}
    if refusal == "someone else at once":
        with mock.patch.object(PublishedReport, "save", side_effect=IntegrityError("unique")):
            response = client.post("/dashboard/publish/", sent)
    else:
        response = client.post("/dashboard/publish/", sent)
    assert response.status_code == 302 and response["Location"] == "/"
    assert PublishedReport.objects.count() == published

    response = client.get(response["Location"])
    assert response["Content-Language"] == language
    page = response.content.decode()
    kept = publish_form_values(page)
    # What was sent, to correct and send again (a period the form does not offer selects none).
    assert kept == {"period": period if period != "month" else None, "year": year, "note": note}
    assert (vi_reason if language == "vi" else en_reason) in page
    assert "<b>quý</b>" not in page  # the note is escaped

    # Once only: the next visit shows the form as it starts.
    again = publish_form_values(client.get("/").content.decode())
    assert again == {"period": None, "year": str(today().year), "note": ""}
