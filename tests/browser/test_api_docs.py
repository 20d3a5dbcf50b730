"""The API documentation pages render in Chromium from this server alone: Swagger UI and
Redoc load their scripts, styles and fonts from the app (the ``page`` fixture fails the test
on any request off the server)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_offline(page, live_server):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "registry" in page.inner_text(".swagger-ui .info .title").lower()
    page.wait_for_selector("text=/api/v1/stats/wastewater-compliance/")
    page.wait_for_load_state("networkidle")
    assert not errors


def test_redoc_renders_offline(page, live_server):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("h1")
    assert "registry" in page.inner_text("h1").lower()
    page.wait_for_selector("text=/api/v1/deletions/", state="attached")
    page.wait_for_load_state("networkidle")
    assert not errors
    html = page.content()
    assert "fonts.googleapis.com" not in html and "cdn.redoc.ly" not in html
