"""Schedule extensions (the records (README), implementation schedule): the model's rules in
the database, the API resource, the admin inline and the spreadsheet import."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from clusters.models import IndustrialCluster, ScheduleExtension
from tests.admin.helpers import confirm, upload
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, ScheduleExtensionFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/api/v1/schedule-extensions/"
EXTENSIONS = "clusters_scheduleextension"


@pytest.fixture
def department(department_user):
    """Department staff: every district and the group's permissions (migration 0006 gives
    the group the extensions' permissions)."""
    department_user.groups.add(Group.objects.get(name="Department staff"))
    return department_user


# -- the model ---------------------------------------------------------------------------------


def test_an_extension_without_any_deadline_is_refused_by_validation_and_the_database():
    extension = ScheduleExtensionFactory.build(
        cluster=ClusterFactory(), new_start_deadline=None, new_completion_deadline=None
    )
    with pytest.raises(ValidationError) as caught:
        extension.full_clean()
    assert "thời hạn khởi công mới, thời hạn hoàn thành mới, hoặc cả hai" in str(caught.value)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        extension.save()
    assert "extension_sets_a_deadline" in str(caught.value)


def test_an_extension_with_only_a_completion_deadline_is_accepted():
    extension = ScheduleExtensionFactory.build(
        cluster=ClusterFactory(), new_start_deadline=None, new_completion_deadline=D(2026, 6, 30)
    )
    extension.full_clean()
    extension.save()


def test_extension_deadlines_in_order_in_the_database():
    extension = ScheduleExtensionFactory()
    rows = ScheduleExtension.objects.filter(pk=extension.pk)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        rows.update(new_start_deadline=D(2025, 1, 2), new_completion_deadline=D(2025, 1, 1))
    assert "extension_completion_after_start" in str(caught.value)


def test_a_cluster_with_extensions_cannot_be_deleted():
    extension = ScheduleExtensionFactory()
    with pytest.raises(ProtectedError):
        extension.cluster.delete()


def test_changes_are_kept_in_the_history():
    extension = ScheduleExtensionFactory(note="")
    extension.note = "đính chính"
    extension.save()
    assert [h.note for h in extension.history.all()] == ["đính chính", ""]


# -- the API -----------------------------------------------------------------------------------


def test_api_lists_filters_creates_updates_and_deletes(department):
    a = ClusterFactory(code="CCN-A", district=district("017"))
    b = ClusterFactory(code="CCN-B", district=district("281"))
    ScheduleExtensionFactory(cluster=a, decision_no="1/QĐ")
    ScheduleExtensionFactory(cluster=b, decision_no="2/QĐ")
    client = token_client(department)

    assert {r["decision_no"] for r in client.get(URL).json()["results"]} == {"1/QĐ", "2/QĐ"}
    by_cluster = client.get(URL, {"cluster": "CCN-B"}).json()["results"]
    assert [(r["cluster"], r["decision_no"]) for r in by_cluster] == [("CCN-B", "2/QĐ")]
    by_district = client.get(URL, {"district": "017"}).json()["results"]
    assert [r["decision_no"] for r in by_district] == ["1/QĐ"]

    created = client.post(
        URL,
        {
            "cluster": "CCN-A",
            "decision_no": "3/QĐ",
            "decided_on": "2023-04-20",
            "new_completion_deadline": "2026-06-30",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    detail = client.get(f"{URL}{pk}/")
    assert detail.json()["new_completion_deadline"] == "2026-06-30"
    patched = client.patch(
        f"{URL}{pk}/", {"note": "đã xem"}, format="json", HTTP_IF_MATCH=detail["ETag"]
    )
    assert patched.status_code == 200, patched.content
    assert client.delete(f"{URL}{pk}/").status_code == 204
    assert not ScheduleExtension.objects.filter(pk=pk).exists()


def test_api_refuses_an_extension_without_a_deadline_with_a_message(department):
    ClusterFactory(code="CCN-A")
    response = token_client(department).post(
        URL,
        {"cluster": "CCN-A", "decision_no": "3/QĐ", "decided_on": "2023-04-20"},
        format="json",
    )
    assert response.status_code == 400
    assert "hoặc cả hai" in response.content.decode()
    assert not ScheduleExtension.objects.exists()


def test_api_needs_the_view_permission(department_user):
    assert token_client(department_user).get(URL).status_code == 403
    grant(department_user, "clusters.view_scheduleextension")
    assert token_client(department_user).get(URL).status_code == 200


def test_cluster_api_carries_the_schedule_fields(department):
    ClusterFactory(
        code="CCN-A",
        established_on=D(2020, 1, 1),
        planned_construction_start=D(2021, 6, 30),
        planned_completion=D(2023, 12, 31),
    )
    body = token_client(department).get("/api/v1/clusters/CCN-A/").json()
    assert body["planned_construction_start"] == "2021-06-30"
    assert body["planned_completion"] == "2023-12-31"
    assert body["infrastructure_completed_on"] is None


# -- the admin ---------------------------------------------------------------------------------


def test_cluster_form_has_the_extensions_inline_and_the_schedule(client, department):
    cluster = ClusterFactory()
    ScheduleExtensionFactory(cluster=cluster, decision_no="77/QĐ-UBND")
    client.force_login(department)
    html = client.get(reverse("admin:clusters_industrialcluster_change", args=[cluster.pk]))
    html = html.content.decode()
    assert 'name="schedule_extensions-0-decision_no"' in html
    assert "77/QĐ-UBND" in html
    assert 'name="planned_construction_start"' in html
    assert 'name="infrastructure_completed_on"' in html


def test_import_previews_then_saves_the_extensions(client, department):
    ClusterFactory(code="CCN-TAM-HIEP", established_on=D(2020, 5, 1))
    client.force_login(department)
    preview = upload(client, EXTENSIONS, "schedule_extensions_valid.csv")
    assert preview.status_code == 200
    assert not ScheduleExtension.objects.exists()
    assert confirm(client, EXTENSIONS, preview).status_code == 302
    got = list(
        ScheduleExtension.objects.order_by("decided_on").values_list(
            "decision_no", "decided_on", "new_start_deadline", "new_completion_deadline"
        )
    )
    assert got == [
        ("1234/QĐ-UBND", D(2022, 3, 15), D(2022, 12, 31), None),
        ("5678/QĐ-UBND", D(2023, 4, 20), D(2023, 12, 31), D(2026, 6, 30)),
    ]
    # Importing the same file again updates instead of duplicating.
    confirm(client, EXTENSIONS, upload(client, EXTENSIONS, "schedule_extensions_valid.csv"))
    assert ScheduleExtension.objects.count() == 2


def test_import_with_bad_rows_reports_them_and_saves_nothing(client, department):
    ClusterFactory(code="CCN-TAM-HIEP", established_on=D(2020, 5, 1))
    client.force_login(department)
    preview = upload(client, EXTENSIONS, "schedule_extensions_bad_rows.csv")
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'name="import_file_name"' not in html
    assert "hoặc cả hai" in html
    assert "Traceback" not in html
    assert not ScheduleExtension.objects.exists()
    assert IndustrialCluster.objects.count() == 1
