"""Error pages: a clear message, in Vietnamese by default, as JSON under /api/, never Django's."""

import pytest
from django.test import Client, override_settings
from django.utils import translation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.registry.error_urls")]

#: The cookie Django's set_language view sets when a user picks English in the header.
ENGLISH = "django_language=en"


@pytest.fixture
def quiet_client():
    """A client that gets the 500 page instead of the exception."""
    return Client(raise_request_exception=False)


def vietnamese(text: str) -> str:
    """The Vietnamese of a source string, which must really be translated."""
    with translation.override("vi"):
        translated = translation.gettext(text)
    assert translated != text, f"no Vietnamese for {text!r}"
    return translated


def assert_html_page(response, status, *texts):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    for text in texts:
        assert text in body, text
    return body


def assert_json_error(response, status, detail_contains=""):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert set(payload) == {"detail"}
    assert detail_contains in payload["detail"]
    return payload


def test_404_page_is_vietnamese_by_default(client):
    response = client.get("/no-such-page/")
    assert_html_page(
        response, 404, '<html lang="vi">', vietnamese("Page not found"), vietnamese("Home")
    )
    assert response["Content-Language"] == "vi"


def test_404_page_follows_the_chosen_language_not_the_browsers(client):
    response = client.get("/no-such-page/", HTTP_COOKIE=ENGLISH)
    assert_html_page(response, 404, '<html lang="en">', "Page not found")
    # Chromium's default header alone does not switch the site to English.
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert_html_page(response, 404, '<html lang="vi">', vietnamese("Page not found"))
    assert response["Content-Language"] == "vi"


def test_404_under_api_is_json(client):
    response = client.get("/api/v1/missing/")
    assert_json_error(
        response, 404, vietnamese("We’re sorry, but the requested page could not be found.")
    )
    response = client.get("/api/v1/missing/", HTTP_COOKIE=ENGLISH)
    assert_json_error(response, 404, "could not be found")
    # An address the API does not know is JSON too, whoever answers it.
    assert_json_error(client.get("/api/v1/no-such-endpoint/"), 404)


def test_500_page_is_vietnamese_and_hides_the_error(quiet_client):
    body = assert_html_page(quiet_client.get("/broken/"), 500, vietnamese("Server error (500)"))
    assert "RuntimeError" not in body and "a bug" not in body


def test_500_under_api_is_json(quiet_client):
    payload = assert_json_error(quiet_client.get("/api/v1/broken/"), 500)
    assert "a bug" not in payload["detail"]


def test_403_page_and_json(client):
    assert_html_page(
        client.get("/forbidden/", HTTP_COOKIE=ENGLISH),
        403,
        "Access denied",
        "You do not have permission",
    )
    assert_html_page(client.get("/forbidden/"), 403, '<html lang="vi">')
    assert_json_error(client.get("/api/v1/forbidden/", HTTP_COOKIE=ENGLISH), 403, "permission")


def test_400_for_a_host_not_allowed(client):
    assert_html_page(client.get("/", HTTP_HOST="evil.example.com"), 400, '<html lang="vi">')
    assert_json_error(client.get("/api/v1/clusters/", HTTP_HOST="evil.example.com"), 400)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_too_large_a_form_is_refused_with_the_limit(client):
    big = {"note": "x" * (1024 * 1024 + 10)}
    response = client.post("/form/", big, HTTP_COOKIE=ENGLISH)
    assert_html_page(response, 413, "too large", "1.0 MB")
    assert_json_error(client.post("/api/v1/form/", big, HTTP_COOKIE=ENGLISH), 413, "at most 1.0 MB")
    # Under the limit the same form goes through.
    assert client.post("/form/", {"note": "x" * 1000}).status_code == 200


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=50)
def test_too_many_fields_is_refused_with_a_clear_message(client):
    fields = {f"_selected_action_{n}": str(n) for n in range(60)}
    response = client.post("/form/", fields, HTTP_COOKIE=ENGLISH)
    assert_html_page(response, 400, "too many fields")
    assert client.post("/form/", dict(list(fields.items())[:40])).status_code == 200


def test_production_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 5000


def test_csrf_failure_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a", "password": "b"}, HTTP_COOKIE=ENGLISH)
    assert_html_page(response, 403, "The form has expired", "Reload the page")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_too_large_a_json_body_is_refused_before_it_is_read(client):
    """DRF's JSON parser does not check DATA_UPLOAD_MAX_MEMORY_SIZE; the middleware does."""
    body = '{"note": "' + "x" * (1024 * 1024) + '"}'
    response = client.post(
        "/api/v1/clusters/", body, content_type="application/json", HTTP_COOKIE=ENGLISH
    )
    assert_json_error(response, 413, "at most 1.0 MB")
    response = client.post("/api/v1/clusters/", body, content_type="application/json")
    assert_json_error(response, 413, "1.0 MB")
    assert (
        response.json()["detail"] != "The request is too large: at most 1.0 MB may be sent at once."
    )


@override_settings(REGISTRY_MAX_UPLOAD_BYTES=2 * 1024 * 1024)
def test_upload_size_is_limited_and_files_do_not_count_against_the_form_limit(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(size):
        return {"file": SimpleUploadedFile("clusters.xlsx", b"x" * size)}

    response = client.post("/form/", upload(3 * 1024 * 1024), HTTP_COOKIE=ENGLISH)
    assert_html_page(response, 413, "Request too large", "at most 2.0 MB")
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024):
        assert client.post("/form/", upload(1536 * 1024)).status_code == 200
