"""The import's confirm step (issue 14, item 4): the upload waits in the app's own storage under
an unguessable key, bound to the account, the session and the admin page that made it; a
posted file name opens nothing; unconfirmed previews are removed (confirm, cancel, expiry).
And (item 8) tampered ``format`` / ``resource`` values on import and export are a form error
or a clear message, never a 500."""

import datetime
import io
import os
import re
import tempfile

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusters.models import IndustrialCluster
from registry.pending_imports import PendingImport
from tests.admin.conftest import with_group
from tests.admin.helpers import DATA, confirm, upload
from tests.factories import UserFactory

CLUSTERS = "clusters_industrialcluster"
NOT_WAITING = "Tệp tải lên này không chờ bạn xác nhận"


def key_of(preview) -> str:
    match = re.search(r'name="import_file_name" value="([^"]*)"', preview.content.decode())
    assert match, "the preview offers no confirm form"
    return match.group(1)


def confirm_with(client, key, **extra):
    data = {"import_file_name": key, "original_file_name": "x.csv", "format": "0"}
    data.update(extra)
    return client.post(reverse(f"admin:{CLUSTERS}_process_import"), data, follow=True)


@pytest.fixture
def other_staff(dong_anh):
    """Another district-staff account of the same district (it could import the file itself)."""
    user = UserFactory(username="dong-anh-staff-2", districts=[dong_anh])
    return with_group(user, "District staff")


def test_a_valid_preview_is_kept_in_the_app_for_this_user_and_session(
    client, dong_anh_staff, monkeypatch
):
    from import_export.tmp_storages import TempFolderStorage

    def no_temp_file(*args, **kwargs):
        pytest.fail("the upload was written to the shared temporary directory")

    monkeypatch.setattr(TempFolderStorage, "save", no_temp_file)
    client.force_login(dong_anh_staff)
    preview = upload(client, CLUSTERS, "clusters_valid.csv")
    key = key_of(preview)
    pending = PendingImport.objects.get()
    assert pending.key == key and len(key) >= 40  # secrets.token_urlsafe(32)
    assert pending.user == dong_anh_staff
    assert pending.session_key == client.session.session_key
    assert pending.target == "clusters.industrialcluster"
    assert bytes(pending.content) == (DATA / "clusters_valid.csv").read_bytes()

    done = confirm(client, CLUSTERS, preview)
    assert done.status_code == 302
    assert IndustrialCluster.objects.count() == 3
    assert not PendingImport.objects.exists()  # confirmed: removed


def test_a_preview_with_errors_keeps_nothing(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    upload(client, CLUSTERS, "clusters_bad_rows.csv")
    assert not PendingImport.objects.exists()


def test_another_account_cannot_confirm_the_upload(client, dong_anh_staff, other_staff):
    client.force_login(dong_anh_staff)
    key = key_of(upload(client, CLUSTERS, "clusters_valid.csv"))
    intruder = Client()
    intruder.force_login(other_staff)
    response = confirm_with(intruder, key)
    assert NOT_WAITING in response.content.decode()
    assert not IndustrialCluster.objects.exists()
    assert PendingImport.objects.filter(key=key).exists()  # nothing deleted either
    # ... nor cancel it
    confirm_with(intruder, key, cancel="1")
    assert PendingImport.objects.filter(key=key).exists()
    # the owner still can
    assert confirm_with(client, key).status_code == 200
    assert IndustrialCluster.objects.count() == 3


def test_the_same_account_in_another_session_cannot_confirm(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    key = key_of(upload(client, CLUSTERS, "clusters_valid.csv"))
    elsewhere = Client()
    elsewhere.force_login(dong_anh_staff)
    assert elsewhere.session.session_key != client.session.session_key
    response = confirm_with(elsewhere, key)
    assert NOT_WAITING in response.content.decode()
    assert not IndustrialCluster.objects.exists()
    assert PendingImport.objects.filter(key=key).exists()


def test_an_upload_is_confirmed_only_on_the_page_it_was_made_on(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    key = key_of(upload(client, CLUSTERS, "clusters_valid.csv"))
    response = client.post(
        reverse("admin:markets_market_process_import"),
        {"import_file_name": key, "original_file_name": "x.csv", "format": "0"},
        follow=True,
    )
    assert NOT_WAITING in response.content.decode()
    assert PendingImport.objects.filter(key=key).exists()


def test_a_posted_file_name_opens_no_file(client, dong_anh_staff):
    """Before: the confirm step imported and then deleted ``<temp dir>/<name>``."""
    client.force_login(dong_anh_staff)
    upload(client, CLUSTERS, "clusters_valid.csv")
    with tempfile.NamedTemporaryFile(delete=False, suffix=".csv") as victim:
        victim.write((DATA / "clusters_valid.csv").read_bytes())
    try:
        for name in (os.path.basename(victim.name), victim.name, "../../etc/passwd", "x" * 500):
            response = confirm_with(client, name)
            assert response.status_code == 200
            assert NOT_WAITING in response.content.decode()
        assert not IndustrialCluster.objects.exists()
        assert os.path.exists(victim.name)  # not deleted
    finally:
        os.unlink(victim.name)


def test_a_confirmed_upload_cannot_be_confirmed_twice(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    preview = upload(client, CLUSTERS, "clusters_valid.csv")
    key = key_of(preview)
    confirm(client, CLUSTERS, preview)
    IndustrialCluster.objects.all().delete()
    response = confirm_with(client, key)
    assert NOT_WAITING in response.content.decode()
    assert not IndustrialCluster.objects.exists()


def test_cancel_removes_the_upload_and_imports_nothing(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    preview = upload(client, CLUSTERS, "clusters_valid.csv")
    assert "Huỷ lần nhập này" in preview.content.decode()
    response = confirm_with(client, key_of(preview), cancel="1")
    assert "Đã huỷ lần nhập" in response.content.decode()
    assert not PendingImport.objects.exists()
    assert not IndustrialCluster.objects.exists()


def test_old_uploads_expire_and_are_purged(client, dong_anh_staff, settings):
    settings.REGISTRY = {**settings.REGISTRY, "IMPORT_PENDING_HOURS": 2}
    client.force_login(dong_anh_staff)
    key = key_of(upload(client, CLUSTERS, "clusters_valid.csv"))
    three_hours_ago = timezone.now() - datetime.timedelta(hours=3)
    PendingImport.objects.update(created_at=three_hours_ago)
    # expired: not confirmed (and not deleted by the attempt)
    response = confirm_with(client, key)
    assert NOT_WAITING in response.content.decode()
    assert not IndustrialCluster.objects.exists()
    # a new upload purges the expired one
    new_key = key_of(upload(client, CLUSTERS, "clusters_valid.csv"))
    assert list(PendingImport.objects.values_list("key", flat=True)) == [new_key]
    # and so does the management command
    PendingImport.objects.update(created_at=three_hours_ago)
    out = io.StringIO()
    call_command("purge_pending_imports", stdout=out)
    assert "Removed 1 pending import(s)." in out.getvalue()
    assert not PendingImport.objects.exists()


def test_the_stored_format_is_used_not_the_posted_one(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    key = key_of(upload(client, CLUSTERS, "clusters_valid.xlsx"))
    response = confirm_with(client, key, format="0")  # "csv", tampered
    assert response.status_code == 200
    assert IndustrialCluster.objects.count() == 3


# -- tampered format / resource values (issue 14, item 8) ----------------------------------------

TAMPERED = ["abc", "99", "-1", "1.5", "", "０", "\x00", "2" * 400]


@pytest.mark.parametrize("value", TAMPERED)
def test_tampered_import_format_or_resource_is_a_form_error(client, dong_anh_staff, value):
    client.force_login(dong_anh_staff)
    for field, other in (("format", {"resource": "0"}), ("resource", {"format": "0"})):
        with open(DATA / "clusters_valid.csv", "rb") as handle:
            response = client.post(
                reverse(f"admin:{CLUSTERS}_import"), {"import_file": handle, field: value, **other}
            )
        assert response.status_code == 200
        html = response.content.decode()
        if field == "resource" and value == "":
            continue  # no resource chosen: the only one (a preview), as import-export does
        assert 'class="errorlist' in html, field
        assert 'name="import_file_name"' not in html
    assert PendingImport.objects.count() == (1 if value == "" else 0)


@pytest.mark.parametrize("value", TAMPERED)
def test_tampered_confirm_fields_are_never_a_500(client, dong_anh_staff, value):
    client.force_login(dong_anh_staff)
    key = key_of(upload(client, CLUSTERS, "clusters_valid.csv"))
    for field in ("format", "resource", "original_file_name", "import_file_name"):
        data = {"import_file_name": key, "original_file_name": "x.csv", "format": "0"}
        data[field] = value
        response = client.post(reverse(f"admin:{CLUSTERS}_process_import"), data)
        assert response.status_code in (200, 302, 400)
        if field == "import_file_name":
            assert response.status_code == 302  # back to the import page, with the message
        else:
            # the stored format and resource are used: the import goes through once
            PendingImport.objects.all().delete()
            IndustrialCluster.objects.all().delete()
            key = key_of(upload(client, CLUSTERS, "clusters_valid.csv"))


@pytest.mark.parametrize("value", TAMPERED)
def test_tampered_export_format_or_resource_is_a_form_error(client, dong_anh_staff, value):
    client.force_login(dong_anh_staff)
    for field, other in (("format", {"resource": "0"}), ("resource", {"format": "0"})):
        response = client.post(
            reverse(f"admin:{CLUSTERS}_export"),
            {field: value, **other, "clusterresource_code": "on"},
        )
        assert response.status_code in (200, 400)
        if field == "resource" and value == "":
            continue  # no resource chosen: the only one, as import-export does
        assert response.get("Content-Disposition") is None  # no file was exported
        assert 'class="errorlist' in response.content.decode(), field
    response = client.get(reverse(f"admin:{CLUSTERS}_spreadsheet_template"), {"format": value})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("vi", "Địa chỉ này chỉ nhận biểu mẫu được gửi từ trang"),
        ("en", "This address only takes a form sent from the site"),
    ],
)
def test_a_get_of_the_confirm_address_is_a_405_page_in_the_user_s_language(
    client, dong_anh_staff, language, reason
):
    """The confirm step takes the preview's form only: a GET (a bookmark, a reload) imports
    nothing and says so on the project's error page, as the publish address does."""
    client.force_login(dong_anh_staff)
    client.cookies["django_language"] = language
    response = client.get(reverse(f"admin:{CLUSTERS}_process_import"), {"import_file_name": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert f'<html lang="{language}">' in page and reason in page
    assert not IndustrialCluster.objects.exists()
