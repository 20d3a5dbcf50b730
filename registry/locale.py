"""The interface language: Vietnamese unless the user chose English.

Django's LocaleMiddleware follows the browser's ``Accept-Language``, so with Chromium's
default ``en-US`` the whole site came up in English. Here the language is the one the user
picked in the header (Django's ``set_language`` view stores it in the language cookie), or
``LANGUAGE_CODE`` (Vietnamese) — never the browser's header. The same rule holds for the API.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str:
    """The language of ``request``: the cookie's, when it names a supported one, or
    ``settings.LANGUAGE_CODE``."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The answer depends on the language cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
