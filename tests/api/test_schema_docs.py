"""The OpenAPI document explains itself to a reader from another department (issue 17): the
rules in words (never a pointer to a file they do not have), real examples, every parameter
described, the errors and rate-limit headers of each operation."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--lang", "en", "--file", str(path))
    text = path.read_text()
    return text, yaml.safe_load(text)


def operations(document):
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_no_reference_to_internal_documents(schema):
    text, _ = schema
    assert "DESIGN" not in text


def test_the_kpi_operation_writes_the_rules_out(schema):
    _, document = schema
    op = document["paths"]["/api/v1/stats/wastewater-compliance/"]["get"]
    for words in ("stale_evidence", "a `fails` wins", "94.97", "half-up", "14 December"):
        assert words in op["description"], words
    example = op["responses"]["200"]["content"]["application/json"]["examples"]
    (value,) = [e["value"] for e in example.values()]
    assert value["as_of"] == "2025-12-14" and value["share_percent"] == "64.29"
    assert value["grouping"] == "commune" and value["units"]
    assert "text/csv" in op["responses"]["200"]["content"]


def test_the_stats_examples_are_the_demo_datas_figures(schema, db):
    """The examples quote what the demo data really gives at 14/12/2025."""
    import datetime

    from django.core.management import call_command

    from clusters.api.stats import render_kpi, render_overdue
    from clusters.selectors import construction_overdue, wastewater_compliance

    call_command("load_demo", verbosity=0)
    _, document = schema
    day = datetime.date(2025, 12, 14)

    def example(path):
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        (value,) = [e["value"] for e in content["application/json"]["examples"].values()]
        return value

    kpi = render_kpi(wastewater_compliance(as_of=day))
    shown = example("/api/v1/stats/wastewater-compliance/")
    units = {row["unit"]: row for row in kpi["units"]}
    assert {k: v for k, v in shown.items() if k != "units"} == {
        k: v for k, v in kpi.items() if k != "units"
    }
    for row in shown["units"]:
        assert row == units[row["unit"]]
    overdue = render_overdue(construction_overdue(as_of=day))
    shown = example("/api/v1/stats/construction-overdue/")
    assert shown["count"] == overdue["count"]
    assert shown["results"] == overdue["results"][:1]
    assert shown["start_overdue"] == overdue["start_overdue"][:1]
    assert shown["completion_overdue"] == overdue["completion_overdue"]


def test_examples_are_sensible(schema):
    text, document = schema
    # No negative percentage in any example, and the percent fields are bounded.
    assert not re.search(r"_percent: '-", text)
    share = document["components"]["schemas"]["ComplianceKpi"]["properties"]["share_percent"]
    assert "-" not in share.get("pattern", "")  # a negative share cannot be generated
    cluster = document["paths"]["/api/v1/clusters/{code}/"]["get"]["responses"]["200"]
    (example,) = cluster["content"]["application/json"]["examples"].values()
    assert example["value"]["code"] == "CCN-BAC-VAN-DINH"
    assert document["components"]["schemas"]["ValidationError"]["example"]["as_of"]


def test_every_parameter_and_operation_is_described(schema):
    _, document = schema
    missing = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, method, op in operations(document)
        for parameter in op.get("parameters", [])
        if not parameter.get("description")
    ]
    assert not missing
    assert all(op.get("description") for _, _, op in operations(document))


def test_errors_and_rate_limit_headers_per_operation(schema):
    _, document = schema
    for path, method, op in operations(document):
        if not path.startswith("/api/v1/"):
            continue  # /open/ (no sign-in) is checked in tests/reports/test_open.py
        responses = op["responses"]
        assert {"401", "403", "429"} <= set(responses), (path, method)
        assert "Retry-After" in responses["429"]["headers"]
        ok = next(code for code in responses if code.startswith("2"))
        assert "RateLimit-Remaining" in responses[ok]["headers"], (path, method)
        if method == "get":
            assert {"400", "404", "406"} <= set(responses)
    deletions = document["paths"]["/api/v1/deletions/"]["get"]
    assert {p["name"] for p in deletions["parameters"]} >= {"since", "before", "model"}
    clusters = document["paths"]["/api/v1/clusters/"]["get"]
    assert {p["name"] for p in clusters["parameters"]} >= {"updated_since", "updated_before"}


def test_the_cluster_example_is_the_demo_cluster_as_the_api_gives_it(db):
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from clusters.api.serializers import CLUSTER_EXAMPLE
    from tests.factories import UserFactory

    call_command("load_demo", verbosity=0)
    client = APIClient()
    client.force_authenticate(UserFactory(username="example-reader", is_superuser=True))
    body = client.get("/api/v1/clusters/CCN-BAC-VAN-DINH/", {"as_of": "2025-12-14"}).json()
    assert {k: v for k, v in body.items() if k != "updated_at"} == {
        k: v for k, v in CLUSTER_EXAMPLE.items() if k != "updated_at"
    }
