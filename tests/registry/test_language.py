"""Vietnamese whatever the browser asks; English only when the user picks it, and it sticks."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def lang_of(response) -> str:
    return response["Content-Language"]


@pytest.mark.parametrize("header", ["en-US,en;q=0.9", "en", "fr-FR,en;q=0.5", ""])
def test_the_browser_language_never_switches_the_site(client, header):
    for url in (reverse("admin:login"), "/api/v1/clusters/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=header)
        assert lang_of(response) == "vi", (url, header)
    assert '<html lang="vi"' in client.get(reverse("admin:login")).content.decode()


def test_english_when_chosen_kept_a_year_and_back(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("admin:login")}
    )
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60  # not a session cookie
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="vi-VN")
    assert lang_of(response) == "en"
    assert '<html lang="en"' in response.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert lang_of(client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en-US")) == "vi"


def test_an_unknown_language_cookie_is_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert lang_of(client.get(reverse("admin:login"))) == "vi"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-GB"
    assert lang_of(client.get(reverse("admin:login"))) == "en"
