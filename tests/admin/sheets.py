"""Drive the admin's export, import and template views with files made in the test."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.admin.helpers import FORMATS, confirm

#: admin URL prefix and resource class (lower case) of each model
MODELS = {
    "clusters": ("clusters_industrialcluster", "clusterresource"),
    "inspections": ("clusters_wastewaterinspection", "inspectionresource"),
    "markets": ("markets_market", "marketresource"),
    "projects": ("markets_marketproject", "marketprojectresource"),
}


def export(client, model: str, kind: str, fields=None, query: str = ""):
    """POST the export form of ``model`` (every column unless ``fields``); the response."""
    from django.contrib.admin import site

    admin_name, resource = MODELS[model]
    app_label, model_name = admin_name.split("_", 1)
    model_admin = next(
        a for m, a in site._registry.items() if m._meta.label_lower == f"{app_label}.{model_name}"
    )
    names = fields or list(model_admin.resource_classes[0]().fields)
    data = {"format": FORMATS[kind], "resource": "0"}
    data.update({f"{resource}_{name}": "on" for name in names})
    response = client.post(reverse(f"admin:{admin_name}_export") + query, data)
    assert response.status_code == 200, response.content[:500]
    return response


def upload_bytes(client, model: str, kind: str, content: bytes, name: str = "file"):
    admin_name, _resource = MODELS[model]
    upload = SimpleUploadedFile(f"{name}.{kind}", content)
    return client.post(
        reverse(f"admin:{admin_name}_import"),
        {"import_file": upload, "format": FORMATS[kind], "resource": "0"},
    )


def import_file(client, model: str, kind: str, content: bytes):
    """Upload and confirm; (preview response, confirm response)."""
    preview = upload_bytes(client, model, kind, content)
    assert preview.status_code == 200, preview.content[:500]
    assert 'name="import_file_name"' in preview.content.decode(), preview.content.decode()[-3000:]
    done = confirm(client, MODELS[model][0], preview)
    assert done.status_code == 302
    return preview, done


def totals(preview) -> dict:
    result = preview.context["result"]
    return {key: value for key, value in result.totals.items() if value}


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_rows(content: bytes, sheet=0) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


def edit_cell(kind: str, content: bytes, row: int, header: str, value) -> bytes:
    """``content`` with the cell of ``header`` in data row ``row`` (0-based) set to ``value``."""
    if kind == "csv":
        rows = csv_rows(content)
        rows[row + 1][rows[0].index(header)] = value
        return csv_bytes(rows)
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=row + 2, column=headers.index(header) + 1, value=value)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
