"""The API's ``?format=csv`` neutralises texts a spreadsheet would run as formulas."""

import csv
import io

import pytest
from django.urls import reverse

from registry.api.renderers import CSVRenderer
from tests.api.test_clusters import TestClusterEndpoint
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def test_list_csv_neutralises_formulas():
    ClusterFactory(code="CCN-A", name='=HYPERLINK("http://x")', address="@SUM(A1)")
    ClusterFactory(code="CCN-B", name="+84 Hà Nội", address="-1+1")
    client = TestClusterEndpoint().department("view")
    response = client.get(reverse("api:cluster-list"), {"format": "csv"})
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    by_code = {row["code"]: row for row in rows}
    assert by_code["CCN-A"]["name"] == '\'=HYPERLINK("http://x")'
    assert by_code["CCN-A"]["address"] == "'@SUM(A1)"
    assert by_code["CCN-B"]["name"] == "'+84 Hà Nội"
    assert by_code["CCN-B"]["address"] == "'-1+1"
    assert by_code["CCN-A"]["area_ha"] == "30.00"  # numbers untouched


def test_rendered_csv_neutralises_formulas_but_not_negative_numbers():
    body = CSVRenderer().render([{"name": "\tx", "note": "\rcmd", "delta": -3, "text": "-2.5"}])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1] == ["'\tx", "'\rcmd", "-3", "-2.5"]
