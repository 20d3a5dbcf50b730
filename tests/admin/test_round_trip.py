"""Export → import through the admin changes nothing; one edited cell changes one record.

For clusters, inspections, markets and market projects, as CSV and as XLSX, through the real
export and import views: re-importing an unchanged export reports every row unchanged, saves
nothing (no history version, ``updated_at`` and ``version`` unmoved), and values a spreadsheet
would run as formulas come back exactly as they were.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from clusters.models import IndustrialCluster, WastewaterInspection
from clusters.resources import ClusterResource, InspectionResource
from markets.models import Market, MarketProject
from markets.resources import MarketProjectResource, MarketResource
from tests.admin.sheets import csv_rows, edit_cell, export, import_file, totals, xlsx_rows
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory, MarketProjectFactory

FORMULA = '=HYPERLINK("http://example.com","bấm")'


@pytest.fixture
def records(dong_anh):
    lien_ha = ClusterFactory(
        code="CCN-LIEN-HA",
        name="Liên Hà",
        district=dong_anh,
        address="+84 Liên Hà",
        area_ha=Decimal("45.50"),
        decision_no="'=không phải công thức",
        established_on=datetime.date(2010, 3, 1),
        developer=FORMULA,
        construction_started_on=datetime.date(2011, 5, 2),
        operating_since=datetime.date(2014, 1, 1),
        occupancy_percent=Decimal("72.5"),
        tenant_count=12,
        wwtp_construction_started_on=datetime.date(2013, 1, 1),
        wwtp_operating_since=datetime.date(2015, 6, 30),
        wwtp_capacity_m3_per_day=Decimal("1200.00"),
        wwtp_standard="qcvn40_2011_b",
        wwtp_automatic_monitoring=True,
    )
    bare = ClusterFactory(code="CCN-TRONG", name="@Trống", district=dong_anh, established_on=None)
    InspectionFactory(
        cluster=lien_ha,
        inspected_on=datetime.date(2024, 5, 6),
        reference="KQ-1/2024",
        exceeded_parameters="-COD, BOD5",
        note="\tghi chú",
    )
    InspectionFactory(
        cluster=bare, inspected_on=datetime.date(2023, 1, 2), result="fails", agency=""
    )
    cho = MarketFactory(
        code="CHO-DONG-ANH",
        name="Chợ Đông Anh",
        district=dong_anh,
        market_class="2",
        area_m2=Decimal("2500.50"),
        year_built=1998,
        status_since=datetime.date(2020, 2, 29),
        address="=1+1",
    )
    MarketFactory(code="CHO-NHO", name="Chợ nhỏ", district=dong_anh, market_class=None)
    MarketProjectFactory(
        market=cho,
        budget_vnd=Decimal("12000000000"),
        started_on=datetime.date(2024, 1, 15),
        completed_on=datetime.date(2025, 12, 31),
        status="in_progress",
        note=FORMULA,
    )
    MarketProjectFactory(market=cho, budget_vnd=None, kind="upgrade", note="")


MODELS = {
    "clusters": (IndustrialCluster, ClusterResource, "name"),
    "inspections": (WastewaterInspection, InspectionResource, "agency"),
    "markets": (Market, MarketResource, "name"),
    "projects": (MarketProject, MarketProjectResource, "note"),
}


def state(model):
    return {
        obj.pk: (obj.version, obj.updated_at, obj.history.count()) for obj in model.objects.all()
    }


def values(model):
    return {
        obj.pk: {f.attname: getattr(obj, f.attname) for f in model._meta.fields}
        for obj in model.objects.all()
    }


def header(resource_class, name):
    with translation.override("vi"):
        return resource_class().fields[name].column_name


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("model_name", list(MODELS))
def test_unchanged_export_imports_as_unchanged(client, dong_anh_staff, records, model_name, kind):
    model, _resource, _field = MODELS[model_name]
    client.force_login(dong_anh_staff)
    before_state, before_values = state(model), values(model)
    content = export(client, model_name, kind).content

    preview, done = import_file(client, model_name, kind, content)

    assert totals(preview) == {"skip": len(before_state)}
    message = f"Đã nhập xong: 0 mới, 0 thay đổi, {len(before_state)} không thay đổi"
    assert message in client.get(done.url).content.decode()
    assert "Không thay đổi" in preview.content.decode()
    assert state(model) == before_state  # no save, no history version, updated_at unmoved
    assert values(model) == before_values


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("model_name", list(MODELS))
def test_one_edited_cell_is_exactly_one_change(client, dong_anh_staff, records, model_name, kind):
    model, resource, field = MODELS[model_name]
    client.force_login(dong_anh_staff)
    before = state(model)
    content = export(client, model_name, kind).content
    rows = csv_rows(content) if kind == "csv" else xlsx_rows(content)
    column = rows[0].index(header(resource, field))
    edited = edit_cell(kind, content, 1, header(resource, field), "Giá trị mới")

    preview, _done = import_file(client, model_name, kind, edited)

    assert totals(preview) == {"update": 1, "skip": len(before) - 1}
    after = state(model)
    changed = [pk for pk in before if after[pk] != before[pk]]
    assert len(changed) == 1
    (pk,) = changed
    version, updated_at, history = before[pk]
    assert after[pk][0] == version + 1 and after[pk][1] > updated_at and after[pk][2] == history + 1
    record = model.objects.get(pk=pk)
    assert getattr(record, field) == "Giá trị mới"
    assert rows[2][column] != "Giá trị mới"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_formula_like_texts_are_neutralised_in_the_file_and_restored_on_import(
    client, dong_anh_staff, records, kind
):
    client.force_login(dong_anh_staff)
    content = export(client, "clusters", kind).content
    rows = csv_rows(content) if kind == "csv" else xlsx_rows(content)
    cells = {cell for row in rows for cell in row if isinstance(cell, str)}
    assert "'" + FORMULA in cells and FORMULA not in cells
    assert "'+84 Liên Hà" in cells
    assert "''=không phải công thức" in cells  # an apostrophe of its own survives too
    assert "'@Trống" in cells

    IndustrialCluster.objects.filter(code="CCN-LIEN-HA").update(developer="x", address="y")
    preview, _done = import_file(client, "clusters", kind, content)

    assert totals(preview) == {"update": 1, "skip": 1}
    lien_ha = IndustrialCluster.objects.get(code="CCN-LIEN-HA")
    assert lien_ha.developer == FORMULA
    assert lien_ha.address == "+84 Liên Hà"
    assert lien_ha.decision_no == "'=không phải công thức"
    assert IndustrialCluster.objects.get(code="CCN-TRONG").name == "@Trống"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_new_row_next_to_unchanged_ones(client, dong_anh_staff, records, kind):
    """Market projects without an ID are added; the others stay unchanged."""
    client.force_login(dong_anh_staff)
    content = export(client, "projects", kind).content
    rows = csv_rows(content) if kind == "csv" else xlsx_rows(content)
    edited = edit_cell(kind, content, 0, rows[0][0], "")  # clear the first row's ID
    before = MarketProject.objects.count()

    preview, _done = import_file(client, "projects", kind, edited)

    assert totals(preview) == {"new": 1, "skip": 1}
    assert MarketProject.objects.count() == before + 1
