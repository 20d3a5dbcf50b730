"""gunicorn configuration: `gunicorn -c gunicorn.conf.py` (the application is named here).

Read from the environment:

- ``GUNICORN_BIND``     address to listen on (default ``127.0.0.1:8000``; behind a proxy keep
                        loopback or a private address);
- ``GUNICORN_WORKERS``  worker processes (default: ``2 × CPU + 1``; ``WEB_CONCURRENCY`` is also
                        honoured);
- ``GUNICORN_THREADS``  threads per worker (default 1);
- ``GUNICORN_TIMEOUT``  seconds before a silent worker is restarted (default 30);
- ``GUNICORN_FORWARDED_ALLOW_IPS`` proxies trusted for ``X-Forwarded-*`` (default loopback);
- ``GUNICORN_GC_THRESHOLD`` the workers' garbage-collector thresholds, three numbers (default
                        ``50000,10,10``; Python's own is ``700,10,10``): see ``post_worker_init``.

Access and error logs go to stdout/stderr, for the process manager to collect.
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _thresholds(name: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        numbers = tuple(int(part) for part in value.split(","))
    except ValueError:
        numbers = ()
    if len(numbers) != 3 or min(numbers) < 1:
        raise ValueError(f"{name} must be three positive whole numbers, such as 50000,10,10")
    return numbers


wsgi_app = "registry.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Refuse absurd request lines and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# gunicorn's runtime control socket is one fixed path per user: two servers on one machine (a
# test, a load run) would fight over it, and nothing here uses it.
control_socket_disable = True

# The cyclic garbage collector, tuned for a worker that serves requests (BENCHMARKS.md). With
# Python's default a young-generation pass runs every 700 new objects and walks every young
# object still alive: a KPI over the country's 3,321 communes builds some 50,000 objects and
# spent 4-5 ms of its 33-35 (in process) in such passes. Every 50,000 objects it runs once or
# twice a request. The objects loaded at start (Django, the app, its modules) are frozen: full
# passes no longer walk them. Reference cycles are still collected, later: a worker's peak
# memory in `make bench` was 154-156 MB against 142-150 MB without this.
gc_thresholds = _thresholds("GUNICORN_GC_THRESHOLD", (50_000, 10, 10))


def post_worker_init(worker):
    """Called in each worker once the application is loaded."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*gc_thresholds)
