"""The import preview stays bounded whatever the file's length (issue 14): a fixed number of
queries for any number of rows, at most PREVIEW_INVALID_ROWS rows with errors and
PREVIEW_VALID_ROWS rows to import shown, every row still validated and counted, and nothing
saved by the preview or by a file with any invalid row."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from clusters.resources import ClusterResource, InspectionResource, ScheduleExtensionResource
from markets.models import Market, MarketProject
from markets.resources import MarketProjectResource, MarketResource
from registry.spreadsheets import CSV, PREVIEW_INVALID_ROWS, PREVIEW_VALID_ROWS
from tests.admin.helpers import confirm
from tests.admin.sheets import csv_bytes, upload_bytes
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    MarketProjectFactory,
    ScheduleExtensionFactory,
)

HEADER = ["Mã", "Tên", "Mã quận/huyện", "Diện tích quy hoạch (ha)"]


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shown_rows(html: str) -> list[str]:
    """The spreadsheet row numbers the preview's table shows."""
    body = html.split('<table class="import-preview">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="row-number">(\d+)</td>', body)


def test_a_file_with_more_invalid_rows_than_shown_lists_the_cap_counts_all_and_saves_nothing(
    client, dong_anh_staff
):
    client.force_login(dong_anh_staff)
    extra = 37
    rows = [HEADER]
    for n in range(PREVIEW_INVALID_ROWS + extra):
        rows.append([f"CCN-SAI-{n:04d}", f"Cụm {n}", "017", "nhiều"])  # not a number
    rows.append(["CCN-DUNG", "Cụm đúng", "017", "12"])  # one valid row: not saved either
    response = upload_bytes(client, "clusters", "xlsx", xlsx_bytes(rows))
    assert response.status_code == 200
    html = response.content.decode()

    numbers = shown_rows(html)
    assert len(numbers) == PREVIEW_INVALID_ROWS
    assert numbers[0] == "2" and numbers[-1] == str(PREVIEW_INVALID_ROWS + 1)
    total = PREVIEW_INVALID_ROWS + extra
    # The summary counts every row's error, not only the rows shown.
    assert f"Diện tích quy hoạch (ha): {total} lỗi" in html
    assert (
        f"… và {extra} dòng có lỗi khác không hiển thị ở đây (tất cả {total} dòng có lỗi)" in html
    )
    assert 'name="import_file_name"' not in html  # nothing to confirm
    result = response.context["result"]
    assert result.totals["invalid"] == total
    assert len(result.invalid_rows) == PREVIEW_INVALID_ROWS
    assert len(result.rows) == 1  # the valid row's details; none of the invalid ones twice
    assert not IndustrialCluster.objects.exists()


def test_a_long_valid_file_shows_its_first_rows_and_confirming_imports_every_row(
    client, dong_anh_staff, dong_anh
):
    client.force_login(dong_anh_staff)
    ClusterFactory(code="CCN-DA-0003", name="Cũ", district=dong_anh)
    count = PREVIEW_VALID_ROWS + 25
    rows = [HEADER] + [
        [f"CCN-DA-{n:04d}", f"Cụm {n}", "017", str(10 + n % 7)] for n in range(count)
    ]
    preview = upload_bytes(client, "clusters", "csv", csv_bytes(rows))
    html = preview.content.decode()

    assert len(shown_rows(html)) == PREVIEW_VALID_ROWS
    assert "… và 25 dòng khác không hiển thị ở đây" in html
    assert f"{count - 1} mới, 1 thay đổi, 0 không thay đổi" in html
    assert IndustrialCluster.objects.count() == 1  # the preview saved nothing

    done = confirm(client, "clusters_industrialcluster", preview)
    assert done.status_code == 302
    assert IndustrialCluster.objects.count() == count
    assert IndustrialCluster.objects.get(code="CCN-DA-0003").name == "Cụm 3"
    # Every saved row has its history version.
    assert IndustrialCluster.history.filter(history_type="+").count() == count


def test_a_key_repeated_in_a_file_updates_the_record_its_first_row_adds(
    client, dong_anh_staff, dong_anh
):
    """The preview saves nothing, yet the second inspection row of one cluster, date and
    document is an update of the first, as the import makes it."""
    client.force_login(dong_anh_staff)
    ClusterFactory(code="CCN-LAP", district=dong_anh)
    header = ["cluster", "inspected_on", "result", "standard", "reference"]
    rows = [header, ["CCN-LAP", "2024-03-01", "meets", "qcvn40_2011_b", "KQ-1"]]
    rows.append(["CCN-LAP", "2024-03-01", "fails", "qcvn40_2011_b", "KQ-1"])
    preview = upload_bytes(client, "inspections", "csv", csv_bytes(rows))
    assert not preview.context["result"].invalid_rows, [
        r.error_dict for r in preview.context["result"].invalid_rows
    ]
    assert preview.context["result"].totals["new"] == 1
    assert preview.context["result"].totals["update"] == 1
    assert not WastewaterInspection.objects.exists()
    confirm(client, "clusters_wastewaterinspection", preview)
    assert list(WastewaterInspection.objects.values_list("result", flat=True)) == ["fails"]


def _dataset(rows):
    return CSV().create_dataset(csv_bytes(rows))


def _cluster_rows(n):
    rows = [["code", "name", "district", "commune", "area_ha", "established_on"]]
    rows.append(["CCN-CO-SAN", "Đã có", "017", "", "11", "2020-01-02"])  # an update
    rows += [
        [f"CCN-Q-{i:04d}", f"Cụm {i}", "017", "", str(5 + i % 9), "2021-02-03"]
        for i in range(n - 1)
    ]
    return rows


def _inspection_rows(n):
    rows = [["cluster", "inspected_on", "result", "standard", "reference"]]
    rows.append(["CCN-CO-SAN", "2021-06-01", "fails", "qcvn40_2011_b", "KQ-CO-SAN"])  # update
    start = datetime.date(2022, 1, 1)
    rows += [
        [
            f"CCN-K-{i % 3}",
            (start + datetime.timedelta(days=i)).isoformat(),
            "meets",
            "qcvn40_2011_b",
            f"R-{i}",
        ]
        for i in range(n - 1)
    ]
    return rows


def _extension_rows(n):
    rows = [["cluster", "decision_no", "decided_on", "new_completion_deadline"]]
    rows.append(["CCN-CO-SAN", "1/QĐ-CO-SAN", "2022-06-01", "2026-01-01"])  # an update
    rows += [[f"CCN-K-{i % 3}", f"{i}/QĐ-UBND", "2023-05-01", "2027-01-01"] for i in range(n - 1)]
    return rows


def _market_rows(n):
    rows = [["code", "name", "district", "construction", "capital", "area_m2"]]
    rows.append(["CHO-CO-SAN", "Đã có", "017", "permanent", "state_budget", "4000"])  # update
    rows += [
        [f"CHO-Q-{i:04d}", f"Chợ {i}", "017", "temporary", "non_budget", str(100 + i)]
        for i in range(n - 1)
    ]
    return rows


def _project_rows(n):
    rows = [["id", "market", "kind", "capital_source", "budget_vnd"]]
    project = MarketProject.objects.get()
    rows.append([str(project.pk), "CHO-CO-SAN", "renovation", "mixed", "900"])  # an update
    rows += [["", f"CHO-K-{i % 3}", "new", "state_budget", str(1000 + i)] for i in range(n - 1)]
    return rows


@pytest.fixture
def stored(dong_anh):
    cluster = ClusterFactory(code="CCN-CO-SAN", district=dong_anh)
    for i in range(3):
        ClusterFactory(code=f"CCN-K-{i}", district=dong_anh)
        MarketFactory(code=f"CHO-K-{i}", district=dong_anh)
    InspectionFactory(
        cluster=cluster, inspected_on=datetime.date(2021, 6, 1), reference="KQ-CO-SAN"
    )
    ScheduleExtensionFactory(cluster=cluster, decision_no="1/QĐ-CO-SAN")
    market = MarketFactory(code="CHO-CO-SAN", district=dong_anh)
    MarketProjectFactory(market=market)


#: resource, rows for n records, model, queries of a preview of any length
DRY_RUNS = {
    "clusters": (ClusterResource, _cluster_rows, IndustrialCluster, 10),
    "inspections": (InspectionResource, _inspection_rows, WastewaterInspection, 12),
    "extensions": (ScheduleExtensionResource, _extension_rows, ScheduleExtension, 12),
    "markets": (MarketResource, _market_rows, Market, 11),
    "projects": (MarketProjectResource, _project_rows, MarketProject, 12),
}


def _dry_run(resource_class, rows, user):
    user = type(user).objects.get(pk=user.pk)  # its permissions not cached yet, each time
    resource = resource_class(user=user)
    dataset = _dataset(rows)
    with CaptureQueriesContext(connection) as queries:
        result = resource.import_data(
            dataset, dry_run=True, raise_errors=False, rollback_on_validation_errors=True
        )
    assert not result.has_errors(), [e.traceback for _, errs in result.row_errors() for e in errs]
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    return result, len(queries)


@pytest.mark.parametrize("kind", DRY_RUNS)
def test_a_dry_run_costs_the_same_queries_for_5_or_300_rows(kind, dong_anh_staff, stored):
    resource_class, make_rows, model, expected = DRY_RUNS[kind]
    before = model.objects.count()
    small, small_queries = _dry_run(resource_class, make_rows(5), dong_anh_staff)
    large, large_queries = _dry_run(resource_class, make_rows(300), dong_anh_staff)

    assert large.totals["update"] + large.totals["skip"] == 1
    assert large.totals["new"] == 299
    # The savepoint pair, the user's permissions (2), the stored codes or keys, the stored
    # records, each code column's table and the user's share of it, a foreign key's check.
    assert small_queries == large_queries == expected
    assert model.objects.count() == before  # a dry run saves nothing


def test_the_preview_page_costs_the_same_queries_for_5_or_300_rows(
    client, dong_anh_staff, stored, django_assert_num_queries
):
    client.force_login(dong_anh_staff)
    for n in (5, 300):
        content = csv_bytes(_cluster_rows(n))
        # Session, user, permissions, the dry run's, the pending upload kept: fixed.
        with django_assert_num_queries(14):
            response = upload_bytes(client, "clusters", "csv", content)
        assert 'name="import_file_name"' in response.content.decode()


def test_a_very_long_cell_is_shown_cut(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    address = "thôn " * 2000
    rows = [["Mã", "Tên", "Mã quận/huyện", "Địa chỉ / xã"], ["CCN-DAI", "Dài", "017", address]]
    html = upload_bytes(client, "clusters", "csv", csv_bytes(rows)).content.decode()
    assert address[:300] + "…" in html
    assert address[:301] not in html
    assert "255" in html  # the address's error: at most 255 characters
    assert not IndustrialCluster.objects.exists()
