"""gunicorn configuration: `gunicorn -c gunicorn.conf.py` (the application is named here).

Read from the environment:

- ``GUNICORN_BIND``     address to listen on (default ``127.0.0.1:8000``; behind a proxy keep
                        loopback or a private address);
- ``GUNICORN_WORKERS``  worker processes (default: ``2 × CPU + 1``; ``WEB_CONCURRENCY`` is also
                        honoured);
- ``GUNICORN_THREADS``  threads per worker (default 1);
- ``GUNICORN_TIMEOUT``  seconds before a silent worker is restarted (default 30);
- ``GUNICORN_FORWARDED_ALLOW_IPS`` proxies trusted for ``X-Forwarded-*`` (default loopback).

Access and error logs go to stdout/stderr, for the process manager to collect.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


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
