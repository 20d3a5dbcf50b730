"""Publishing: the frozen figures, corrections, who may publish, and immutability."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from clusters.api.stats import render_kpi
from clusters.selectors import wastewater_compliance
from reports.changes import compare
from reports.models import PublishedReport, ReportImmutableError
from reports.periods import cut_off, period_at
from reports.services import publish
from tests.factories import InspectionFactory
from tests.reports.conftest import CUT_OFF

pytestmark = pytest.mark.django_db


def test_the_periods_of_circular_14():
    assert cut_off("half_year", 2025) == datetime.date(2025, 6, 14)
    assert cut_off("year", 2025) == datetime.date(2025, 12, 14)
    assert period_at(datetime.date(2025, 12, 14)) == ("year", 2025)
    assert period_at(datetime.date(2025, 12, 31)) is None


def test_publishing_freezes_the_figures_at_the_cut_off(city, publisher):
    report = publish("year", 2025, publisher)
    assert report.cut_off == CUT_OFF
    assert report.grouping == "commune"  # after the reform
    assert report.published_by == publisher
    kpi = report.figures["kpi"]
    assert kpi == render_kpi(wastewater_compliance(as_of=CUT_OFF, grouping="commune"))
    assert (kpi["operating"], kpi["compliant"]) == (3, 2)
    rows = {row["code"]: row for row in report.figures["clusters"]}
    assert set(rows) == {"CCN-DUC-TU", "CCN-THUY-LAM", "CCN-XA-CAU"}
    assert rows["CCN-DUC-TU"]["wastewater_state"] == "compliant"
    assert rows["CCN-DUC-TU"]["latest_inspected_on"] == "2025-06-01"
    assert rows["CCN-DUC-TU"]["latest_result"] == "meets"
    assert rows["CCN-XA-CAU"]["wastewater_state"] == "no_evidence"
    assert rows["CCN-XA-CAU"]["unit"] == city["c"].commune.code
    assert set(report.figures) == {"kpi", "overdue", "markets", "clusters"}
    # The history says who published it.
    (version,) = report.history.all()
    assert version.history_user == publisher and version.history_type == "+"


def test_a_half_year_before_the_reform_is_grouped_by_district(city, publisher):
    report = publish("half_year", 2025, publisher)
    assert report.cut_off == datetime.date(2025, 6, 14)
    assert report.grouping == "district"
    assert "districts" in report.figures["kpi"]


def test_a_cluster_established_after_the_cut_off_is_not_listed(city, publisher):
    from tests.factories import ClusterFactory

    ClusterFactory(code="CCN-LATER", established_on=datetime.date(2026, 3, 1))
    report = publish("year", 2025, publisher)
    assert "CCN-LATER" not in {row["code"] for row in report.figures["clusters"]}


def test_a_back_dated_change_leaves_the_published_figures_unchanged(city, publisher):
    """The done-when: publish 14/12/2025, then record an inspection dated before the cut-off
    (a failure on 01/11/2025): the published KPI stays, today's recomputation differs, and
    the changed record is named."""
    report = publish("year", 2025, publisher)
    published = report.figures["kpi"]
    InspectionFactory(cluster=city["a"], inspected_on=datetime.date(2025, 11, 1), result="fails")
    report = PublishedReport.objects.get(pk=report.pk)
    assert report.figures["kpi"] == published
    comparison = compare(report)
    assert comparison.differs
    assert (comparison.current_kpi["compliant"], published["compliant"]) == (1, 2)
    (changed,) = comparison.changed
    assert (changed.model, changed.code, changed.name) == (
        "inspection",
        "CCN-DUC-TU",
        "Cụm công nghiệp Dục Tú",
    )


def test_nothing_changed_means_no_difference(city, publisher):
    report = publish("year", 2025, publisher)
    comparison = compare(report)
    assert not comparison.differs and comparison.changed == []


def test_a_correction_supersedes_with_a_note_and_both_stay(city, publisher):
    first = publish("year", 2025, publisher)
    with pytest.raises(ValidationError) as error:
        publish("year", 2025, publisher)
    assert "note" in error.value.message_dict
    second = publish("year", 2025, publisher, note="  Bổ sung kết quả quan trắc tháng 11  ")
    assert second.supersedes == first
    assert second.note == "Bổ sung kết quả quan trắc tháng 11"
    assert list(PublishedReport.objects.current()) == [second]
    assert PublishedReport.objects.count() == 2
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    third = publish("year", 2025, publisher, note="Sửa lần hai")
    assert third.supersedes == second


@pytest.mark.parametrize(
    ("period", "year", "field"),
    [
        ("month", 2025, "period"),
        ("year", "hai nghìn", "year"),
        ("year", 1999, "year"),
        ("year", 2025.7, "year"),  # not a whole year: not published as 2025
        (["year"], 2025, "period"),
    ],
)
def test_bad_requests_are_refused_by_field(publisher, period, year, field):
    with pytest.raises(ValidationError) as error:
        publish(period, year, publisher)
    assert field in error.value.message_dict
    assert not PublishedReport.objects.exists()


def test_a_cut_off_after_today_cannot_be_published(publisher):
    next_year = datetime.date.today().year + 1
    with pytest.raises(ValidationError) as error:
        publish("half_year", next_year, publisher)
    assert f"14/06/{next_year}" in error.value.message_dict["year"][0]


def test_only_department_staff_publish(city, local_staff, superuser):
    with pytest.raises(PermissionDenied):
        publish("year", 2025, local_staff)
    assert publish("year", 2025, superuser).published_by == superuser


def test_a_report_never_changes_through_the_model(city, publisher):
    report = publish("year", 2025, publisher)
    report.note = "đổi"
    with pytest.raises(ReportImmutableError):
        report.save()
    with pytest.raises(ReportImmutableError):
        report.delete()
    assert PublishedReport.objects.get(pk=report.pk).note == ""


def test_a_report_never_changes_in_the_database(city, publisher):
    report = publish("year", 2025, publisher)
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        PublishedReport.objects.filter(pk=report.pk).update(note="đổi")
    assert "never changes" in str(error.value)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_publishedreport SET figures = %s WHERE id = %s", ["{}", report.pk]
        )
    assert PublishedReport.objects.get(pk=report.pk).figures == report.figures


def _insert(**fields):
    base = {
        "period": "year",
        "year": 2025,
        "cut_off": CUT_OFF,
        "grouping": "commune",
        "published_at": datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        "figures": {},
    }
    return PublishedReport.objects.create(**(base | fields))


@pytest.mark.parametrize(
    "fields",
    [
        {"period": "month"},
        {"cut_off": datetime.date(2025, 12, 31)},
        {"cut_off": datetime.date(2024, 12, 14)},
        {"period": "half_year"},
        {"grouping": "province"},
        {"year": 1999, "cut_off": datetime.date(1999, 12, 14)},
    ],
)
def test_the_database_refuses_an_inconsistent_report(publisher, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(published_by=publisher, **fields)


def test_the_database_keeps_one_current_publication_per_period(publisher):
    first = _insert(published_by=publisher)
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(published_by=publisher)  # a second first publication
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(published_by=publisher, supersedes=first)  # a correction without a note
    _insert(published_by=publisher, supersedes=first, note="sửa")
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(published_by=publisher, supersedes=first, note="nhánh thứ hai")
    assert PublishedReport.objects.current().count() == 1


def test_two_people_publishing_the_same_period_at_once_get_a_message(city, publisher):
    """The database refuses a second current publication of a period (its unique
    constraints): the one who comes second is told, in Vietnamese, and nothing is saved."""
    from unittest import mock

    from django.utils import translation

    with (
        translation.override("vi"),
        mock.patch.object(PublishedReport, "save", side_effect=IntegrityError("unique")),
        pytest.raises(ValidationError) as error,
    ):
        publish("year", 2025, publisher)
    (message,) = error.value.message_dict["period"]
    assert message == "Kỳ này vừa được người khác công bố: hãy tải lại trang và thử lại."
    assert not PublishedReport.objects.exists()
