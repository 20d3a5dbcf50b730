"""``/open/``: the public, aggregate figures of the published reports (reports.open)."""

from django.urls import path

from reports import open as views

app_name = "open"
urlpatterns = [
    path("", views.OpenPageView.as_view(), name="index"),
    path("reports/", views.OpenReportListView.as_view(), name="reports"),
    path("reports/<int:pk>.<str:fmt>", views.OpenReportDetailView.as_view(), name="report"),
]
