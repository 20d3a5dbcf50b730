"""Login protection (django-axes): repeated failed sign-ins lock the account and address.

Settings ``AXES_*`` in registry/settings.py: 5 failures lock the user name, and separately the
client address, for 15 minutes. A successful sign-in clears that user name's failures only
(:class:`LoginProtectionHandler`): never those of other names tried from the same address.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
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


class LoginProtectionHandler(AxesDatabaseHandler):
    """Axes' database handler, but a successful sign-in forgets only the signed-in user
    name's failures.

    Axes' own reset deletes every record matching any lockout parameter, so with
    ``["username", "ip_address"]`` one's own correct sign-in also wiped every failure recorded
    from the address, for every name: "4 wrong passwords for another account, then 1 correct
    sign-in as oneself", repeated, gave unlimited guesses. Here the failures of other names
    stay, and keep counting towards both their name's and the address's limit.
    """

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


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
