"""Error pages (handler400/403/404/500, the CSRF failure view and a 405 for views that take a
form's POST only) with a clear message.

Pages are HTML in the visitor's language (Vietnamese by default). Under ``/api/`` the answer is
JSON shaped like Django REST framework's own errors, ``{"detail": "..."}``, so an API client gets
the same shape whether the error came from a view or from the request cycle around it.
"""

import functools

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _respond(request, status: int, template_name: str, title: str, message: str):
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    context = {"status": status, "title": title, "message": message, "request_path": request.path}
    try:
        body = loader.render_to_string(template_name, context, request)
    except Exception:  # an error page must never fail itself
        body = f"<!doctype html><title>{status}</title><h1>{title}</h1><p>{message}</p>"
    return HttpResponse(body, status=status)


def _too_large_message(limit_bytes: int) -> str:
    return _("The request is too large: at most %(limit).1f MB may be sent at once.") % {
        "limit": limit_bytes / (1024 * 1024)
    }


def request_too_large(request, limit_bytes: int):
    """413 for a body past ``limit_bytes`` (used by registry.limits before the body is read)."""
    return _respond(
        request, 413, "400.html", _("Request too large"), _too_large_message(limit_bytes)
    )


def _bad_request_message(exception) -> tuple[int, str]:
    if isinstance(exception, RequestDataTooBig):
        return 413, _too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(exception, TooManyFieldsSent):
        return 400, _("The form sent too many fields at once. Select fewer rows and try again.")
    if isinstance(exception, TooManyFilesSent):
        return 400, _("Too many files were sent at once. Send fewer files and try again.")
    return 400, _("The request could not be understood. Check the address and try again.")


@requires_csrf_token
def bad_request(request, exception=None, template_name="400.html"):
    status, message = _bad_request_message(exception)
    title = _("Request too large") if status == 413 else _("Bad request")
    return _respond(request, status, template_name, title, message)


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    return _respond(
        request,
        403,
        template_name,
        _("Access denied"),
        _("You do not have permission to see or change this."),
    )


@requires_csrf_token
def page_not_found(request, exception=None, template_name="404.html"):
    return _respond(
        request,
        404,
        template_name,
        _("Page not found"),
        _("We’re sorry, but the requested page could not be found."),
    )


@requires_csrf_token
def server_error(request, template_name="500.html"):
    # Like Django's own view: no context processors, which may be what failed.
    title = _("Server error (500)")
    message = _(
        "Something went wrong on our side. The error has been logged; please try again later."
    )
    if _is_api(request):
        return JsonResponse({"detail": message}, status=500)
    try:
        template = loader.get_template(template_name)
        body = template.render({"status": 500, "title": title, "message": message})
    except Exception:  # an error page must never fail itself
        body = f"<!doctype html><title>500</title><h1>{title}</h1><p>{message}</p>"
    return HttpResponse(body, status=500)


POST_ONLY_MESSAGE = gettext_lazy(
    "This address only takes a form sent from the site. Go back to the page with the form "
    "and send it again."
)


def method_not_allowed(request, permitted_methods, message=POST_ONLY_MESSAGE):
    """405 with an ``Allow`` header: the error page (JSON under ``/api/``), as Django's
    ``require_http_methods`` answers but not with an empty page in no language."""
    response = _respond(request, 405, "405.html", _("Method not allowed"), str(message))
    response["Allow"] = ", ".join(permitted_methods)
    log_response(
        "Method Not Allowed (%s): %s",
        request.method,
        request.path,
        response=response,
        request=request,
    )
    return response


def post_only(message=POST_ONLY_MESSAGE):
    """Django's ``require_POST`` with the project's 405 page: ``@post_only(gettext_lazy(...))``
    says on it what to do instead (the message is read in the visitor's language)."""

    def decorator(view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            if request.method != "POST":
                return method_not_allowed(request, ["POST"], message)
            return view(request, *args, **kwargs)

        return checked

    return decorator


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: usually an expired page; say what to do."""
    return _respond(
        request,
        403,
        "403.html",
        _("Access denied"),
        _(
            "The form has expired or was sent from another site. "
            "Reload the page, then send the form again."
        ),
    )


class NotFoundPageMiddleware:
    """The project's own 404 page even with ``DEBUG`` on.

    ``make run`` serves the demo with ``DJANGO_DEBUG=1``, and then Django answers a 404 with
    its English technical page listing every URL pattern — the first thing a demoed official
    sees when opening another district's record. With ``DEBUG`` off Django already uses
    ``page_not_found`` (handler404); this does the same with it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            # No URL pattern matched: Django's technical "Page not found" with the URL list.
            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
