"""JSON errors for everything under ``/api/``: 400 with per-field messages, 401, 403, 404,
405, 409, 412, 429 — never an HTML page."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from registry.api.renderers import JSONRenderer
from registry.models import StaleVersionError


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record was changed by someone else since you read it. "
        "Read it again (GET) and send your change with its new ETag in If-Match."
    )
    default_code = "stale_version"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record still has dependent records and cannot be deleted.")
    default_code = "protected"


def django_validation_error_detail(error: DjangoValidationError) -> dict | list:
    """A Django ``ValidationError`` as DRF's per-field error detail."""
    from rest_framework.settings import api_settings

    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


def exception_handler(exc, context):
    """DRF's handler, plus the model-level errors a write can raise."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_validation_error_detail(exc))
    elif isinstance(exc, Http404):
        # Django's message names the model's class ("No IndustrialCluster matches the given
        # query.") and is never translated.
        exc = exceptions.NotFound(
            _("There is no record at this address, or it is not in your districts.")
        )
    elif isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse"):
        # DRF's message carries Python's English explanation of where the JSON broke.
        exc = exceptions.ParseError(
            _("The request body is not valid JSON: check its quotes, commas and brackets.")
        )
    elif isinstance(exc, StaleVersionError):
        exc = PreconditionFailed()
    elif isinstance(exc, ProtectedError | RestrictedError):
        names = sorted({str(obj._meta.verbose_name) for obj in exc.args[1]})
        exc = Conflict(
            _("This record cannot be deleted while it has dependent records: %(names)s.")
            % {"names": ", ".join(names)}
        )
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # Errors are JSON under /api/ whatever was asked for (CSV, the OpenAPI schema's YAML):
        # DRF renders the response with the request's accepted renderer.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


def not_found(request, *args, **kwargs):
    """Any path under /api/ that no endpoint serves: a JSON 404, never the HTML page."""
    detail = _("No API endpoint at this address.")
    if not request.path.endswith("/"):
        detail = _("No API endpoint at this address. Addresses end with a slash: %(path)s/") % {
            "path": request.path
        }
    return JsonResponse(
        {"detail": str(detail)}, status=404, json_dumps_params={"ensure_ascii": False}
    )
