"""The published reports in the admin: read-only, for department staff (a report holds every
unit's cluster rows). Publishing is done from the dashboard or the API; the history page
says who published what."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from registry.admin import DepartmentOnlyMixin
from registry.admin_display import short_date
from reports.models import PublishedReport


@admin.register(PublishedReport)
class PublishedReportAdmin(DepartmentOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "id",
        "period",
        "year",
        "cut_off_display",
        "grouping",
        "published_at",
        "published_by",
        "supersedes",
        "is_current_display",
    ]
    list_filter = ["period", "year"]
    fields = [
        "period",
        "year",
        "cut_off",
        "grouping",
        "published_at",
        "published_by",
        "supersedes",
        "note",
        "kpi_summary",
        "figures_display",
    ]
    readonly_fields = fields

    @admin.display(description=_("cut-off date"), ordering="cut_off")
    def cut_off_display(self, obj):
        return short_date(obj.cut_off)

    @admin.display(description=_("current"), boolean=True)
    def is_current_display(self, obj):
        return obj.is_current

    @admin.display(description=_("KPI city-wide"))
    def kpi_summary(self, obj):
        kpi = obj.figures.get("kpi", {})
        return _("%(compliant)s of %(operating)s operating clusters compliant (%(share)s %%)") % {
            "compliant": kpi.get("compliant"),
            "operating": kpi.get("operating"),
            "share": kpi.get("share_percent") or "—",
        }

    @admin.display(description=_("figures"))
    def figures_display(self, obj):
        return format_html(
            '<pre style="max-height:40em;overflow:auto">{}</pre>',
            json.dumps(obj.figures, ensure_ascii=False, indent=2),
        )

    def get_queryset(self, request):
        # Who published and the related reports in the same query, without those reports'
        # figures; the list reads none of a report's own figures either (every cluster's row).
        queryset = super().get_queryset(request).with_people()
        match = request.resolver_match
        if match is not None and match.url_name.endswith("_changelist"):
            queryset = queryset.defer("figures")
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
