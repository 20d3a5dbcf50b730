"""Throttling per API token (or per signed-in account for the admin session).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (settings read them from the
environment: ``REGISTRY_API_RATE`` and ``REGISTRY_API_ANON_RATE``).
"""

from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Counts the requests of one token; a session is counted per account."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous requests are counted by AnonymousRateThrottle
        # DRF issues one token per account, so the account identifies the token without
        # putting the secret key into a cache key.
        kind = "token" if isinstance(request.auth, Token) else "session"
        ident = f"{kind}-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(AnonRateThrottle):
    """Counts requests without credentials per client address."""

    scope = "anon"
