"""Settings of the app under benchmark: the production settings plus a query counter.

``bench.run`` serves the app with gunicorn and ``DJANGO_SETTINGS_MODULE=bench.settings``.
Nothing else differs from ``registry.settings`` except:

- ``bench.middleware.QueryCountMiddleware`` (first), which appends the number of SQL queries
  of each request that carries an ``X-Bench-Id`` header to the file named by
  ``BENCH_QUERY_LOG``;
- plain static files storage, so the admin page renders without a ``collectstatic``
  manifest (the bench never writes to the shared ``staticfiles/``).
"""

import os

from registry.settings import *  # noqa: F403
from registry.settings import MIDDLEWARE, STORAGES

MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

BENCH_QUERY_LOG = os.environ.get("BENCH_QUERY_LOG", "")
