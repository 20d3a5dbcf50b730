"""The project's URLs and error handlers, plus views that fail on purpose (tests only)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path

from registry.urls import handler400, handler403, handler404, handler500  # noqa: F401
from registry.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


def missing(request):
    raise Http404("no such record")


def echo_form(request):
    return HttpResponse(str(len(request.POST)))


# Before the project's own patterns: the API answers unknown /api/ paths itself.
urlpatterns = [
    path("broken/", broken),
    path("api/v1/broken/", broken),
    path("forbidden/", forbidden),
    path("api/v1/forbidden/", forbidden),
    path("form/", echo_form),
    path("api/v1/form/", echo_form),
    path("api/v1/missing/", missing),
    *project_urlpatterns,
]
