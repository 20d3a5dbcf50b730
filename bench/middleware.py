"""Counts the SQL queries of a request, including those run while a streamed response is
being sent (a CSV export queries as it streams), and logs the count when the response is
closed. Enabled only by bench/settings.py."""

import os

from django.conf import settings
from django.db import connection


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bench_id = request.headers.get("X-Bench-Id")
        if not bench_id or not settings.BENCH_QUERY_LOG:
            return self.get_response(request)
        counter = _Counter()
        connection.execute_wrappers.append(counter)
        try:
            response = self.get_response(request)
        except BaseException:
            connection.execute_wrappers.remove(counter)
            raise

        def log_count():
            if counter in connection.execute_wrappers:
                connection.execute_wrappers.remove(counter)
            line = f"{bench_id}\t{counter.count}\n".encode()
            # One short O_APPEND write per request: lines from several workers don't mix.
            fd = os.open(settings.BENCH_QUERY_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

        # Called by the server after the last byte is sent (streamed responses included).
        response._resource_closers.append(log_count)
        return response
