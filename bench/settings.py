"""Settings of the app under benchmark: the production settings plus a query counter.

``bench.run`` serves the app with gunicorn and ``DJANGO_SETTINGS_MODULE=bench.settings``.
Nothing else differs from ``registry.settings`` except:

- ``bench.middleware.QueryCountMiddleware`` (first), which appends the number of SQL queries
  of each request that carries an ``X-Bench-Id`` header to the file named by
  ``BENCH_QUERY_LOG``;
- no API throttle classes (``DEFAULT_THROTTLE_CLASSES = []``): DRF's throttle keeps every
  request's timestamp within the window in the cache (the database, ``registry_cache``), so with
  a rate lifted for the benchmark the bench token's list grew with every run and each request
  read and rewrote it, inflating later runs' figures; the throttle's own cost is measured
  separately (BENCHMARKS.md, "How it is measured");
- plain static files storage, so the admin page renders without a ``collectstatic``
  manifest (the bench never writes to the shared ``staticfiles/``).
"""

import os

from registry.settings import *  # noqa: F403
from registry.settings import MIDDLEWARE, REST_FRAMEWORK, STORAGES

MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_CLASSES": [],
}

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

BENCH_QUERY_LOG = os.environ.get("BENCH_QUERY_LOG", "")
