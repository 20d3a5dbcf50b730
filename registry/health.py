"""``/healthz``: is this process able to serve? Used by the load balancer and the process manager.

200 ``{"status": "ok", "database": "ok"}`` when the database answers a trivial query; 503
``{"status": "unavailable", "database": "unreachable"}`` when it does not. No session, no login, no
template: it must stay cheap and answer even when much else is broken.
"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health check: database unreachable: %s", exc)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
