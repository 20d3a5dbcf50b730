from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/<slug:table>.csv", views.table_csv, name="csv"),
    path("report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("dashboard/publish/", views.publish_report, name="publish"),
]
