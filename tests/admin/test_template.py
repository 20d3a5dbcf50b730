"""The import template: the import's columns, an example row the import accepts, drop-downs
offering exactly the valid codes and choices, the codes listed with their names."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from clusters.models import IndustrialCluster, WastewaterInspection
from markets.models import Market, MarketProject
from registry.models import AdministrativeUnit, District
from tests.admin.sheets import MODELS, import_file, totals
from tests.factories import ClusterFactory, MarketFactory, district

MODEL_CLASSES = {
    "clusters": IndustrialCluster,
    "inspections": WastewaterInspection,
    "markets": Market,
    "projects": MarketProject,
}


def download(client, model, kind="xlsx"):
    admin_name = MODELS[model][0]
    response = client.get(reverse(f"admin:{admin_name}_spreadsheet_template"), {"format": kind})
    assert response.status_code == 200
    return response


def range_values(book, formula):
    """The values of a ``'Sheet'!$A$2:$A$9`` range."""
    sheet_name, cells = formula.rsplit("!", 1)
    sheet = book[sheet_name.strip("'").replace("''", "'")]
    return [cell.value for (cell,) in sheet[cells.replace("$", "")] if cell.value is not None]


def drop_downs(book):
    """{column header: offered values} of the first sheet's list validations."""
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    offered = {}
    for rule in sheet.data_validations.dataValidation:
        assert rule.type == "list"
        first = str(rule.sqref).split(":")[0]
        column = "".join(ch for ch in first if ch.isalpha())
        index = sheet[f"{column}1"].column - 1
        assert str(rule.sqref).startswith(f"{column}2:")
        offered[headers[index]] = range_values(book, rule.formula1)
    return offered


def expected_lists(model, user_districts, clusters=(), markets=()):
    """What each column should offer, read from the model's own fields."""
    expected = {}
    with translation.override("vi"):
        for field in model._meta.fields:
            if field.choices:
                expected[field.name] = [str(label) for _value, label in field.choices]
            elif field.get_internal_type() == "BooleanField" and field.editable:
                expected[field.name] = ["có", "không"]
            elif field.is_relation and field.related_model is District:
                expected[field.name] = user_districts
            elif field.is_relation and field.related_model is AdministrativeUnit:
                # today's communes that took territory from the user's districts
                expected[field.name] = sorted(
                    AdministrativeUnit.objects.filter(
                        level="commune",
                        valid_to__isnull=True,
                        predecessions__predecessor__district__code__in=user_districts,
                    )
                    .distinct()
                    .values_list("code", flat=True)
                )
            elif field.is_relation and field.related_model is IndustrialCluster:
                expected[field.name] = list(clusters)
            elif field.is_relation and field.related_model is Market:
                expected[field.name] = list(markets)
    return expected


def headers_by_field(model_name):
    from django.contrib.admin import site

    model = MODEL_CLASSES[model_name]
    resource_class = site._registry[model].resource_classes[0]
    with translation.override("vi"):
        resource = resource_class()
        # in the order the import reads them
        return {f.attribute: f.column_name for f in resource.get_import_fields() if not f.readonly}


@pytest.fixture
def in_scope(dong_anh, ung_hoa):
    return {
        "clusters": [
            ClusterFactory(code="CCN-B", district=dong_anh).code,
            ClusterFactory(code="CCN-A", district=dong_anh).code,
        ],
        "markets": [MarketFactory(code="CHO-A", district=dong_anh).code],
        "theirs": [
            ClusterFactory(code="CCN-UH", district=ung_hoa).code,
            MarketFactory(code="CHO-UH", district=ung_hoa).code,
        ],
    }


@pytest.mark.parametrize("model_name", list(MODELS))
def test_drop_downs_offer_exactly_the_valid_codes_and_choices(
    client, dong_anh_staff, in_scope, model_name
):
    client.force_login(dong_anh_staff)
    book = load_workbook(io.BytesIO(download(client, model_name).content))
    columns = headers_by_field(model_name)
    expected = {
        columns[name]: values
        for name, values in expected_lists(
            MODEL_CLASSES[model_name],
            ["017"],  # Đông Anh staff: their district only
            clusters=sorted(in_scope["clusters"]),
            markets=in_scope["markets"],
        ).items()
        if name in columns
    }
    assert drop_downs(book) == expected
    offered = {value for values in drop_downs(book).values() for value in values}
    assert not offered & set(in_scope["theirs"])  # another district's records are not offered


def test_department_staff_are_offered_every_active_district(client, department_staff):
    District.objects.filter(code="282").update(active=False)
    client.force_login(department_staff)
    book = load_workbook(io.BytesIO(download(client, "clusters").content))
    codes = drop_downs(book)["Mã quận/huyện"]
    assert codes == list(
        District.objects.filter(active=True).order_by("code").values_list("code", flat=True)
    )
    assert "282" not in codes and len(codes) == District.objects.count() - 1


def test_the_second_sheet_lists_codes_with_their_names(client, dong_anh_staff, in_scope):
    client.force_login(dong_anh_staff)
    book = load_workbook(io.BytesIO(download(client, "clusters").content))
    lists = book.worksheets[1]
    assert lists.title == "Danh mục mã và lựa chọn"
    rows = list(lists.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã quận/huyện", "Tên")
    assert rows[1][:2] == ("017", district("017").name)


@pytest.mark.parametrize("model_name", list(MODELS))
def test_the_template_matches_the_import_and_its_example_row_imports(
    client, dong_anh_staff, in_scope, model_name
):
    client.force_login(dong_anh_staff)
    content = download(client, model_name).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [capfirst(h) for h in headers_by_field(model_name).values()]
    assert sheet.freeze_panes == "A2"
    model = MODEL_CLASSES[model_name]
    before = model.objects.count()

    preview, _done = import_file(client, model_name, "xlsx", content)

    assert totals(preview) == {"new": 1}
    assert model.objects.count() == before + 1


def test_csv_template_has_the_header_and_the_example_row(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    response = download(client, "markets", "csv")
    assert response["Content-Disposition"] == 'attachment; filename="cho-mau.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã,Tên,Mã quận/huyện,Địa chỉ / phường")
    assert lines[1].startswith("CHO-VI-DU,Chợ ví dụ,017,")
    assert len(lines) == 2
