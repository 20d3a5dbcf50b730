"""The API documentation pages (Swagger UI, Redoc), served entirely by this server.

Their scripts and styles come from drf-spectacular-sidecar (``SWAGGER_UI_DIST`` /
``REDOC_DIST = "SIDECAR"``), Redoc's page drops Google Fonts (``templates/api/redoc.html``),
and a Content-Security-Policy keeps the browser from fetching anything elsewhere — Redoc's
bundle always shows a "Redocly" logo from cdn.redoc.ly, which the policy blocks before any
request leaves (the link text stays).
"""

from functools import wraps

#: Everything from this server; inline styles and scripts for the two UIs' start-up code,
#: blob: for Redoc's web worker, data: for inline images.
DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


def offline(view):
    """``view`` with the docs' Content-Security-Policy on its responses."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response

    return wrapped
