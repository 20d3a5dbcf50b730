"""The OpenAPI contract: drf-spectacular validates it with no warning, and every operation
documents its errors. (schemathesis drives every operation against the schema over real HTTP
in tests/security/test_fuzz_api.py: no server error, responses conform.)"""

from django.core.management import call_command

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
