"""URL configuration: the admin, the REST API under /api/v1/, the dashboard."""

from django.contrib import admin
from django.urls import include, path

from registry.health import healthz

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("registry.api.urls")),
    path("open/", include("reports.open_urls")),
    path("", include("dashboard.urls")),
    path("healthz", healthz, name="healthz"),
]

# Error pages with a clear message: HTML in the visitor's language, JSON under /api/.
handler400 = "registry.errors.bad_request"
handler403 = "registry.errors.permission_denied"
handler404 = "registry.errors.page_not_found"
handler500 = "registry.errors.server_error"
