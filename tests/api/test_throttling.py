"""The API throttle's sliding-window counter (registry.api.throttling): one statement per
request, the same counts for every process, refusals at the rate and a truthful
Retry-After."""

import threading
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import override_settings

from registry.api.throttling import TokenRateThrottle, count_request
from registry.models import ThrottleWindow

pytestmark = pytest.mark.django_db

MINUTE = 60


def test_counts_within_a_window_then_carry_into_the_next():
    assert count_request("k", 100, expires_at=0) == (0, 1, 100)
    assert count_request("k", 100, expires_at=0) == (0, 2, 100)
    assert count_request("k", 101, expires_at=0) == (2, 1, 101)  # this window becomes previous
    assert count_request("k", 101, expires_at=0) == (2, 2, 101)
    assert count_request("k", 105, expires_at=0) == (0, 1, 105)  # idle windows forget
    assert count_request("other", 105, expires_at=0) == (0, 1, 105)  # keys are separate


def test_a_request_stamped_with_an_earlier_window_counts_in_the_current_one():
    """Another server's clock slightly behind must not reset the count."""
    count_request("k", 101, expires_at=0)
    assert count_request("k", 100, expires_at=0) == (0, 2, 101)


def test_a_row_far_ahead_of_the_clock_is_forgotten():
    """A row written by a clock since put right must not hold the client back for ever."""
    count_request("k", 500, expires_at=0)
    count_request("k", 500, expires_at=0)
    assert count_request("k", 100, expires_at=0) == (0, 1, 100)


def test_one_statement_per_request(django_assert_num_queries):
    with django_assert_num_queries(1):
        count_request("k", 1, expires_at=0)
    with django_assert_num_queries(1):
        count_request("k", 1, expires_at=0)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def throttle(clock, rate="10/minute"):
    throttle = TokenRateThrottle()
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    throttle.timer = clock
    return throttle


def allowed(clock, rate="10/minute", user_pk=1):
    request = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=user_pk), auth=None)
    check = throttle(clock, rate)
    return check.allow_request(request, view=None), check


def test_the_rate_holds_across_a_window_boundary():
    """Ten requests late in one window leave almost no room early in the next (a fixed
    window would allow ten more at once)."""
    clock = Clock(1000 * MINUTE + 55)
    assert all(allowed(clock)[0] for _ in range(10))
    assert not allowed(clock)[0]  # the 11th in the same minute
    clock.now = 1001 * MINUTE + 1  # 6 s later, in the next window
    assert not allowed(clock)[0]
    clock.now = 1001 * MINUTE + 40  # the previous window has mostly slid out
    assert allowed(clock)[0]


def test_refused_requests_count_and_retry_after_is_when_one_more_is_allowed():
    clock = Clock(2000 * MINUTE + 30)
    for _ in range(10):
        assert allowed(clock)[0]
    ok, check = allowed(clock)
    assert not ok
    wait = check.wait()
    assert 1 <= wait <= 2 * MINUTE
    # Just before the advertised time the client is still refused (and that try counts);
    # waiting the full Retry-After of that refusal is enough.
    clock.now += wait - 1
    ok, check = allowed(clock)
    assert not ok
    clock.now += check.wait() + 0.01
    assert allowed(clock)[0]


def test_accounts_are_counted_apart():
    clock = Clock(3000 * MINUTE)
    for _ in range(10):
        allowed(clock, user_pk=1)
    assert not allowed(clock, user_pk=1)[0]
    assert allowed(clock, user_pk=2)[0]


def test_idle_clients_rows_are_pruned(django_assert_num_queries):
    clock = Clock(4000 * MINUTE)
    count_request("token/60s/user-99", 3990, expires_at=3992 * MINUTE)  # long idle
    # The count, and the pruning:
    with override_settings(REGISTRY_THROTTLE_PRUNE_ONE_IN=1), django_assert_num_queries(2):
        assert allowed(clock)[0]
    assert list(ThrottleWindow.objects.values_list("key", flat=True)) == ["token/60s/user-1"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database locks whole tables across connections",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_are_all_counted():
    """The count is one atomic statement: threads on their own connections lose nothing."""

    def work():
        try:
            for _ in range(25):
                count_request("shared", 7, expires_at=0)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ThrottleWindow.objects.get(key="shared").current == 100


def test_a_new_rate_period_starts_the_counts_afresh():
    """Counts kept for a per-minute rate say nothing under a per-hour one (and the reverse)."""
    clock = Clock(5000 * MINUTE)
    for _ in range(2):
        assert allowed(clock, rate="2/minute")[0]
    assert not allowed(clock, rate="2/minute")[0]
    assert allowed(clock, rate="2/hour")[0]
    clock.now += 30 * 24 * 3600  # a month later, the per-minute row is long idle
    assert allowed(clock, rate="2/minute")[0]


def test_a_long_client_identity_is_hashed_into_the_key():
    check = throttle(Clock(0))
    assert check.key_for(None) == "token/60s/unknown"  # no REMOTE_ADDR from the server
    key = check.key_for("10.0.0.1," * 100)
    assert len(key) < 200
    assert key == check.key_for("10.0.0.1," * 100) != check.key_for("10.0.0.2," * 100)


def test_anonymous_requests_are_counted_by_the_connections_address(db, client):
    """X-Forwarded-For is ignored unless REGISTRY_TRUSTED_PROXY_COUNT says a proxy sets it: a
    client cannot pick its own identity, or overflow the key with a long header."""
    for forged in ("198.51.100.1", "198.51.100.2", "10.0.0.1," * 40):
        response = client.get(
            "/api/schema/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=forged
        )
        assert response.status_code == 200
    assert list(ThrottleWindow.objects.values_list("key", "current")) == [
        ("anon/60s/203.0.113.9", 3)
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage option")
def test_the_counts_skip_the_write_ahead_log_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s",
            [ThrottleWindow._meta.db_table],
        )
        assert cursor.fetchone() == ("u",)  # unlogged


def test_behind_a_trusted_proxy_anonymous_requests_are_counted_by_the_forwarded_address(
    db, client, settings
):
    """The same client address as the sign-in lockout (registry.lockout.client_ip)."""
    settings.REGISTRY_TRUSTED_PROXY_COUNT = 1
    for forwarded in ("198.51.100.1", "203.0.113.50, 198.51.100.1", "198.51.100.2"):
        response = client.get(
            "/api/schema/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded
        )
        assert response.status_code == 200
    assert dict(ThrottleWindow.objects.values_list("key", "current")) == {
        "anon/60s/198.51.100.1": 2,
        "anon/60s/198.51.100.2": 1,
    }
