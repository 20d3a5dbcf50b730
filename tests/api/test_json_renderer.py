"""The API's JSON renderer (registry.api.renderers.JSONRenderer) writes the very bytes DRF's
own JSONRenderer writes with the project's settings: it only changes the encoder."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from registry.api.renderers import JSONRenderer
from tests.api.conftest import token_client

SAMPLES = [
    None,
    {},
    [],
    {"name": "Cụm công nghiệp Phú Nghĩa", "code": "CCN-01", "n": 3, "ok": True, "none": None},
    {"when": datetime.datetime(2025, 7, 1, 8, 30, 15, 123456, tzinfo=datetime.UTC)},
    {"when": datetime.datetime(2025, 7, 1, 8, 30)},
    {"day": datetime.date(2024, 12, 14), "at": datetime.time(9, 5, 7, 250000)},
    {"span": datetime.timedelta(days=2, seconds=5)},
    {"percent": Decimal("95.00"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"lazy": gettext_lazy("Districts"), "error": [ErrorDetail("Bad date", code="invalid")]},
    {"line": "a\u2028b\u2029c", "quote": 'say "hi" \\ \n\t'},
    {1: "int key", "nested": {"units": [{"unit": "00004", "by_state": {"compliant": 3}}]}},
    {"big": 2**62, "negative": -5, "float": 1.5},
]


@pytest.mark.parametrize("data", SAMPLES, ids=range(len(SAMPLES)))
def test_same_bytes_as_drf(data, settings):
    settings.LANGUAGE_CODE = "en"
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)


def test_indent_is_honoured():
    out = JSONRenderer().render({"a": [1]}, "application/json; indent=4")
    assert out == b'{\n  "a": [\n    1\n  ]\n}'


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/districts/",
        "/api/v1/stats/wastewater-compliance/",
        "/api/v1/stats/wastewater-compliance/?as_of=x",
    ],
)
def test_it_answers_every_endpoint(superuser, path):
    """Lists, the stats views and the errors all answer through it."""
    response = token_client(superuser).get(path)
    assert isinstance(response.accepted_renderer, JSONRenderer), path
