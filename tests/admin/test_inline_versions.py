"""No lost edits on inline rows (issue 14.6): inspections on the cluster page and projects on
the market page carry their version; a row changed on its own page since the parent page was
loaded is refused with the parent form's message, and a form (parent or inline row) posted
without its version is refused too. Nothing is saved when anything is refused."""

import datetime

import pytest
from django.urls import reverse

from clusters.admin import IndustrialClusterAdmin
from clusters.models import IndustrialCluster, WastewaterInspection
from markets.models import Market, MarketProject
from tests.factories import InspectionFactory, MarketProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGED_MEANWHILE = "Thay đổi của bạn chưa được lưu"  # the parent form's message, in Vietnamese
MISSING_VERSION = "không kèm phiên bản"


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _form_fields(form, data):
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, bool) or getattr(field.widget, "input_type", "") == "checkbox":
            if value:
                data[key] = "on"
            continue
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        data[key] = _value(value)


def page_form_data(page) -> dict:
    """What the browser would post back from the change page ``page``, unchanged."""
    data = {}
    _form_fields(page.context["adminform"].form, data)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _value(management[name].value())
        for form in formset.initial_forms:
            _form_fields(form, data)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    return data


def colleague_saves(record, by, **changes):
    other = type(record).objects.get(pk=record.pk)
    for name, value in changes.items():
        setattr(other, name, value)
    other._history_user = by
    other.save()


@pytest.fixture
def colleague(dong_anh):
    return UserFactory(username="dong-anh-colleague", districts=[dong_anh])


@pytest.fixture
def cluster_page(client, dong_anh_staff, dong_anh_cluster):
    inspection = InspectionFactory(cluster=dong_anh_cluster, agency="Cơ quan cũ")
    client.force_login(dong_anh_staff)
    page = client.get(change_url(dong_anh_cluster))
    assert page.status_code == 200
    return dong_anh_cluster, inspection, page_form_data(page)


def test_inline_rows_carry_their_version(cluster_page):
    _cluster, inspection, data = cluster_page
    assert data["inspections-0-id"] == str(inspection.pk)
    assert data["inspections-0-expected_version"] == "1"


def test_a_stale_inspection_row_is_refused_naming_who_changed_what(client, cluster_page, colleague):
    cluster, inspection, data = cluster_page
    colleague_saves(inspection, colleague, note="Ghi chú mới của đồng nghiệp")
    data["name"] = "Tên mới"
    data["inspections-0-agency"] = "Cơ quan của tôi"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "dong-anh-colleague đã lưu hồ sơ này lúc" in html
    assert CHANGED_MEANWHILE in html
    stored = WastewaterInspection.objects.get(pk=inspection.pk)
    assert (stored.agency, stored.note) == ("Cơ quan cũ", "Ghi chú mới của đồng nghiệp")
    assert stored.version == 2
    # The parent's change is not saved either: one page, one save.
    assert IndustrialCluster.objects.get(pk=cluster.pk).name == "Thiết Bình"


def test_a_stale_row_posted_as_loaded_is_refused_too(client, cluster_page, colleague):
    """Posting the row as loaded would write its old values back over the colleague's."""
    cluster, inspection, data = cluster_page
    colleague_saves(inspection, colleague, note="Ghi chú mới")
    data["name"] = "Tên mới"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 200
    assert CHANGED_MEANWHILE in response.content.decode()
    stored = WastewaterInspection.objects.get(pk=inspection.pk)
    assert (stored.note, stored.version) == ("Ghi chú mới", 2)
    assert IndustrialCluster.objects.get(pk=cluster.pk).name == "Thiết Bình"


def test_a_row_whose_stored_values_are_what_was_posted_does_not_block_the_page(
    client, cluster_page, colleague
):
    """Saved meanwhile without a visible change: the row as posted changes nothing, so it is
    not written (nor checked), and the parent's change is saved."""
    cluster, inspection, data = cluster_page
    colleague_saves(inspection, colleague)
    data["name"] = "Tên mới"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 302
    assert IndustrialCluster.objects.get(pk=cluster.pk).name == "Tên mới"
    assert WastewaterInspection.objects.get(pk=inspection.pk).version == 2


def test_a_current_inline_row_is_saved_and_its_version_moves(client, cluster_page):
    cluster, inspection, data = cluster_page
    data["inspections-0-agency"] = "Cơ quan của tôi"
    assert client.post(change_url(cluster), data).status_code == 302
    stored = WastewaterInspection.objects.get(pk=inspection.pk)
    assert (stored.agency, stored.version) == ("Cơ quan của tôi", 2)


def test_an_inline_row_posted_without_its_version_is_refused(client, cluster_page):
    cluster, inspection, data = cluster_page
    del data["inspections-0-expected_version"]
    data["inspections-0-agency"] = "Cơ quan của tôi"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.content.decode()
    assert WastewaterInspection.objects.get(pk=inspection.pk).agency == "Cơ quan cũ"


@pytest.mark.parametrize("blank", [True, False], ids=["empty", "absent"])
def test_a_parent_form_posted_without_its_version_is_refused(client, cluster_page, blank):
    cluster, _inspection, data = cluster_page
    if blank:
        data["expected_version"] = ""
    else:
        del data["expected_version"]
    data["name"] = "Tên mới"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.content.decode()
    assert IndustrialCluster.objects.get(pk=cluster.pk).name == "Thiết Bình"


def test_a_row_changed_between_the_check_and_the_save_is_refused(
    client, cluster_page, colleague, monkeypatch
):
    """The row's own save is locked and checked too: a write landing after the form's check
    (here: while the parent is being saved) refuses the whole page, nothing saved."""
    cluster, inspection, data = cluster_page
    original = IndustrialClusterAdmin.save_model

    def save_model(self, request, obj, form, change):
        original(self, request, obj, form, change)
        colleague_saves(inspection, colleague, note="Chen ngang")

    monkeypatch.setattr(IndustrialClusterAdmin, "save_model", save_model)
    data["name"] = "Tên mới"
    data["inspections-0-agency"] = "Cơ quan của tôi"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 302
    assert response["Location"] == change_url(cluster)
    page = client.get(response["Location"])
    assert "Người khác vừa lưu hồ sơ này. Thay đổi của bạn chưa được lưu" in page.content.decode()
    assert IndustrialCluster.objects.get(pk=cluster.pk).name == "Thiết Bình"
    stored = WastewaterInspection.objects.get(pk=inspection.pk)
    assert stored.agency == "Cơ quan cũ"


@pytest.fixture
def market_page(client, dong_anh_staff, dong_anh_market):
    project = MarketProjectFactory(market=dong_anh_market, note="Cũ")
    client.force_login(dong_anh_staff)
    page = client.get(change_url(dong_anh_market))
    assert page.status_code == 200
    return dong_anh_market, project, page_form_data(page)


def test_a_stale_project_row_on_the_market_page_is_refused(client, market_page, colleague):
    market, project, data = market_page
    assert data["projects-0-expected_version"] == "1"
    colleague_saves(project, colleague, budget_vnd=123456789)
    data["projects-0-note"] = "Của tôi"
    response = client.post(change_url(market), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "dong-anh-colleague đã lưu hồ sơ này lúc" in html and CHANGED_MEANWHILE in html
    stored = MarketProject.objects.get(pk=project.pk)
    assert (stored.note, stored.budget_vnd) == ("Cũ", 123456789)


def test_the_market_form_without_its_version_is_refused(client, market_page):
    market, _project, data = market_page
    del data["expected_version"]
    data["name"] = "Chợ mới"
    response = client.post(change_url(market), data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.content.decode()
    assert Market.objects.get(pk=market.pk).name == "Chợ Đông Anh"


def test_a_project_row_without_its_version_is_refused(client, market_page):
    market, project, data = market_page
    del data["projects-0-expected_version"]
    data["projects-0-note"] = "Của tôi"
    response = client.post(change_url(market), data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.content.decode()
    assert MarketProject.objects.get(pk=project.pk).note == "Cũ"


def test_deleting_a_stale_inline_row_is_refused(client, cluster_page, colleague):
    """A row marked for deletion after a colleague changed it on its own page: refused with
    who changed what, the row and the parent left as they are (Django ignores a deleted row's
    own errors, so the formset checks it)."""
    cluster, inspection, data = cluster_page
    colleague_saves(inspection, colleague, note="Kết quả bổ sung")
    data["name"] = "Tên mới"
    data["inspections-0-DELETE"] = "on"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "dong-anh-colleague đã lưu hồ sơ này lúc" in html
    assert WastewaterInspection.objects.filter(pk=inspection.pk).exists()
    assert IndustrialCluster.objects.get(pk=cluster.pk).name == "Thiết Bình"


def test_deleting_an_inline_row_without_its_version_is_refused(client, cluster_page):
    cluster, inspection, data = cluster_page
    data.pop("inspections-0-expected_version")
    data["inspections-0-DELETE"] = "on"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 200
    assert "không kèm phiên bản" in response.content.decode()
    assert WastewaterInspection.objects.filter(pk=inspection.pk).exists()


def test_deleting_a_current_inline_row_deletes_it(client, cluster_page):
    cluster, inspection, data = cluster_page
    data["inspections-0-DELETE"] = "on"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 302
    assert not WastewaterInspection.objects.filter(pk=inspection.pk).exists()


def test_a_row_changed_between_the_check_and_its_deletion_is_not_deleted(
    client, cluster_page, colleague, monkeypatch
):
    cluster, inspection, data = cluster_page
    original = IndustrialClusterAdmin.save_model

    def save_model(self, request, obj, form, change):
        original(self, request, obj, form, change)
        colleague_saves(inspection, colleague, note="Chen ngang")

    monkeypatch.setattr(IndustrialClusterAdmin, "save_model", save_model)
    data["name"] = "Tên mới"
    data["inspections-0-DELETE"] = "on"
    response = client.post(change_url(cluster), data)
    assert response.status_code == 302 and response["Location"] == change_url(cluster)
    # Not deleted (the colleague's save, in the same test transaction, is rolled back with
    # the page's: what matters is that the delete did not happen).
    assert WastewaterInspection.objects.filter(pk=inspection.pk).exists()
    assert IndustrialCluster.objects.get(pk=cluster.pk).name == "Thiết Bình"
