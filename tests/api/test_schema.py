"""The OpenAPI contract: drf-spectacular validates it with no warning, and schemathesis
exercises every operation against it (no server error; responses match the schema)."""

import contextlib

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory, UserFactory

#: Generated cases per operation.
EXAMPLES = 30


def test_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    text = (tmp_path / "schema.yml").read_text()
    for path in (
        "/api/v1/clusters/{code}/",
        "/api/v1/inspections/{id}/",
        "/api/v1/markets/{code}/",
        "/api/v1/districts/",
        "/api/v1/stats/wastewater-compliance/",
        "/api/v1/stats/construction-overdue/",
        "/api/v1/stats/markets/",
    ):
        assert f"  {path}:" in text


def test_docs_and_schema_are_served(db, client):
    assert client.get("/api/schema/").status_code == 200
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"drf_spectacular_sidecar" in response.content


@pytest.fixture
def full_access_token(db):
    """An account holding every API permission, with some records to find."""
    user = UserFactory(username="schemathesis")
    grant(
        user,
        "registry.access_all_districts",
        "registry.view_district",
        *(
            f"{app}.{action}_{model}"
            for app, model in (
                ("clusters", "industrialcluster"),
                ("clusters", "wastewaterinspection"),
                ("markets", "market"),
            )
            for action in ("view", "add", "change", "delete")
        ),
    )
    cluster = ClusterFactory(code="CCN-SCHEMA")
    InspectionFactory(cluster=cluster)
    MarketFactory(code="CHO-SCHEMA")
    return token_client(user)._credentials["HTTP_AUTHORIZATION"]


@contextlib.contextmanager
def transaction_kept_open():
    """Calling the WSGI application directly sends request_finished, whose handler closes the
    database connection (and the test's transaction with it, on PostgreSQL). Django's test
    client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_in_test_transaction():
    with transaction_kept_open():
        yield get_wsgi_application()


def test_api_conforms_to_its_schema(full_access_token, wsgi_in_test_transaction):
    """Every operation of the schema, with generated valid and invalid input: never a 5xx,
    and every documented response matches its schema. (schemathesis's own pytest plugin does
    not load under pytest 9, so the operations are driven here with hypothesis.)"""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_in_test_transaction)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            case.call_and_validate(
                headers={"Authorization": full_access_token},
                checks=[not_a_server_error, response_schema_conformance],
            )

        try:
            exercise()
        except Exception as error:  # collect every operation's failure, then report all
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)


def test_error_responses_are_documented():
    from drf_spectacular.generators import SchemaGenerator

    from registry.api.schema import document_error_responses

    schema = document_error_responses(SchemaGenerator().get_schema(public=True), None, None, True)
    paths = schema["paths"]
    patch = paths["/api/v1/clusters/{code}/"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "412", "429"} <= set(patch)
    assert patch["412"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "409" in paths["/api/v1/markets/{code}/"]["delete"]["responses"]
    assert "412" not in paths["/api/v1/districts/{code}/"]["get"]["responses"]
    kpi = paths["/api/v1/stats/wastewater-compliance/"]["get"]["responses"]
    assert kpi["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationError"
    }
