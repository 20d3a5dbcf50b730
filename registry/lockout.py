"""Login protection (django-axes): repeated failed sign-ins lock the account and address.

Settings ``AXES_*`` in registry/settings.py: 5 failures lock the user name, and separately the
client address, for 15 minutes; a successful sign-in resets the count.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse


class LoginProtectionBackend(AxesStandaloneBackend):
    """Axes' check for every sign-in through a web request.

    Calls without a request (``manage.py`` scripts, the test client's ``login()``) are not
    password guessing over the network, so they pass through unchecked instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address: the connection's, or behind ``REGISTRY_TRUSTED_PROXY_COUNT``
    proxies the one they recorded (the Nth from the right of X-Forwarded-For), so one guesser
    does not lock out everyone who comes through the same proxy."""
    count = getattr(settings, "REGISTRY_TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The admin-styled page (HTTP 429) shown while an account or address is locked."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else 15,
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    return response.render()
