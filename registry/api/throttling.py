"""Throttling per account (its API token and its admin session count together), and per
address for requests without credentials.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (settings read them from the
environment: ``REGISTRY_API_RATE`` and ``REGISTRY_API_ANON_RATE``).

The counts are a sliding-window counter kept in the database (``ThrottleWindow``), so every
app process sees the same counts: the requests of the current fixed window plus the previous
window's, weighted by how much of it still lies within the last ``duration`` seconds. Each
request costs one ``INSERT … ON CONFLICT … RETURNING`` statement, whatever the rate; DRF's
own throttle keeps every request's timestamp in the cache and rewrites that list each time
(up to 3,600 timestamps per token at the default rate). Refused requests count too: a
client that keeps calling while refused stays refused until it slows down.

Rows of clients idle for two windows are deleted by one request in
``REGISTRY_THROTTLE_PRUNE_ONE_IN`` (settings).
"""

import hashlib
import random

from django.conf import settings
from django.db import connection
from rest_framework.throttling import SimpleRateThrottle

from registry.lockout import client_ip
from registry.models import ThrottleWindow


def count_request(key: str, window_index: int, expires_at: int) -> tuple[int, int, int]:
    """Count one request of ``key`` in ``window_index``, atomically; return the counts
    ``(previous window, current window, current window's index)`` after it.

    A row from the window before becomes the previous window, an older one is forgotten;
    a request stamped one window earlier than the row's (another server's clock a little
    behind) is counted in the row's window, and a row further ahead (a clock since put
    right) is forgotten too. ``key`` names the rate's period, so windows of different
    lengths never meet in one row. (SQLite needs version 3.35 for ``RETURNING``.)
    """
    qn = connection.ops.quote_name
    table = qn(ThrottleWindow._meta.db_table)
    key_c, index_c, previous_c, current_c, expires_c = (
        qn(ThrottleWindow._meta.get_field(name).column)
        for name in ("key", "window_index", "previous", "current", "expires_at")
    )
    row_index, new_index = f"{table}.{index_c}", f"EXCLUDED.{index_c}"
    # The row's window, or the next one (this request's clock one window behind the row's).
    in_row_window = f"({row_index} = {new_index} OR {row_index} = {new_index} + 1)"
    # Table and column names come from the model; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({key_c}, {index_c}, {previous_c}, {current_c}, {expires_c})"  # noqa: S608
        f" VALUES (%s, %s, 0, 1, %s) ON CONFLICT ({key_c}) DO UPDATE SET"
        f" {previous_c} = CASE WHEN {in_row_window} THEN {table}.{previous_c}"
        f" WHEN {row_index} = {new_index} - 1 THEN {table}.{current_c} ELSE 0 END,"
        f" {current_c} = CASE WHEN {in_row_window} THEN {table}.{current_c} + 1 ELSE 1 END,"
        f" {index_c} = CASE WHEN {in_row_window} THEN {row_index} ELSE {new_index} END,"
        f" {expires_c} = CASE WHEN {in_row_window} THEN {table}.{expires_c}"
        f" ELSE EXCLUDED.{expires_c} END"
        f" RETURNING {previous_c}, {current_c}, {index_c}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window_index, expires_at])
        previous, current, index = cursor.fetchone()
    return previous, current, index


#: Longest client identity kept as it is in a key; longer ones are hashed.
IDENT_MAX_LENGTH = 100


class SlidingWindowRateThrottle(SimpleRateThrottle):
    """DRF's ``SimpleRateThrottle`` (same rates and scopes) counting with ``count_request``
    instead of a list of timestamps in the cache."""

    def key_for(self, ident: str) -> str:
        """The row of ``ident`` for this scope and this rate's period (a client's counts
        start afresh when the period is changed)."""
        ident = ident or "unknown"  # a WSGI server that gives no REMOTE_ADDR
        if len(ident) > IDENT_MAX_LENGTH:
            ident = "sha256-" + hashlib.sha256(ident.encode()).hexdigest()
        return f"{self.scope}/{self.duration}s/{ident}"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.previous, self.current, window = count_request(
            self.key, window, expires_at=(window + 2) * self.duration
        )
        self.elapsed = min(max(self.now - window * self.duration, 0.0), self.duration)
        prune_one_in = settings.REGISTRY_THROTTLE_PRUNE_ONE_IN
        if prune_one_in and random.randrange(prune_one_in) == 0:  # noqa: S311 (not security)
            ThrottleWindow.objects.filter(expires_at__lt=self.now).delete()
        return self.estimate(self.elapsed) <= self.num_requests

    def estimate(self, elapsed: float) -> float:
        """Requests within the last ``duration`` seconds, this one included."""
        return self.previous * (1 - elapsed / self.duration) + self.current

    def wait(self) -> float:
        """Seconds until one more request would be allowed (the Retry-After header)."""
        allowed, previous, current = self.num_requests, self.previous, self.current
        if current < allowed:
            # Within this window, once enough of the previous window has slid out of it.
            needed = self.duration * (1 - (allowed - current - 1) / previous)
            return max(needed - self.elapsed, 1.0)
        # In the next window, once enough of this one has slid out.
        to_next = self.duration - self.elapsed
        if allowed <= 1:
            return to_next + self.duration
        return to_next + self.duration * max(0.0, 1 - (allowed - 1) / current)


class TokenRateThrottle(SlidingWindowRateThrottle):
    """Counts the requests of one account, whatever credential it signs them with: its API
    token and its admin session share one count (two credentials are not twice the rate)."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous requests are counted by AnonymousRateThrottle
        # The account's id: never the credential (no secret in a key, one count per account).
        return self.key_for(f"user-{request.user.pk}")


class AnonymousRateThrottle(SlidingWindowRateThrottle):
    """Counts requests without credentials per client address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None  # counted by TokenRateThrottle
        return self.key_for(self.get_ident(request))

    def get_ident(self, request):
        # The same client address as the sign-in lockout: the connection's, or behind
        # REGISTRY_TRUSTED_PROXY_COUNT proxies the one they recorded in X-Forwarded-For (a
        # header the client could otherwise set to anything).
        return client_ip(request)
