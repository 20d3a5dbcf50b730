"""Admin for industrial clusters and wastewater inspections (district-scoped, versioned).

Status and wastewater state are never computed here: the list and the form read the core
annotations (``with_wastewater_state(today())``) that the KPI and the API use.
"""

from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clusters.choices import (
    WASTEWATER_STATE_REASONS,
    ClusterStatus,
    InspectionResult,
    WastewaterState,
)
from clusters.models import IndustrialCluster, WastewaterInspection
from clusters.resources import ClusterResource, InspectionResource
from registry.admin_scoping import (
    CommuneListFilter,
    DistrictListFilter,
    RegistryModelAdmin,
    ScopedInlineMixin,
)
from registry.dates import today

#: colour of each wastewater state in the list (green good, red bad, grey outside the KPI)
STATE_COLOURS = {
    WastewaterState.NOT_OPERATING: "#6b7280",
    WastewaterState.NO_TREATMENT_PLANT: "#b91c1c",
    WastewaterState.NO_EVIDENCE: "#b45309",
    WastewaterState.STALE_EVIDENCE: "#b45309",
    WastewaterState.FAILED: "#b91c1c",
    WastewaterState.COMPLIANT: "#15803d",
}


class StatusListFilter(admin.SimpleListFilter):
    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ClusterStatus.choices

    def queryset(self, request, queryset):
        if self.value() in ClusterStatus.values:
            return queryset.filter(status=self.value())
        return queryset


class WastewaterStateListFilter(admin.SimpleListFilter):
    title = _("wastewater state today")
    parameter_name = "wastewater_state"

    def lookups(self, request, model_admin):
        return WastewaterState.choices

    def queryset(self, request, queryset):
        if self.value() in WastewaterState.values:
            return queryset.filter(wastewater_state=self.value())
        return queryset


class InspectionDistrictListFilter(DistrictListFilter):
    district_lookup = "cluster__district_id"


def wastewater_state_badge(state):
    if not state:
        return "—"
    return format_html(
        '<span class="wastewater-state" data-state="{}" style="color:{};font-weight:bold">'
        "{}</span>",
        state,
        STATE_COLOURS.get(state, "inherit"),
        WastewaterState(state).label,
    )


class InspectionInline(ScopedInlineMixin, admin.TabularInline):
    model = WastewaterInspection
    extra = 1
    fields = [
        "inspected_on",
        "result",
        "standard",
        "agency",
        "reference",
        "exceeded_parameters",
        "note",
    ]
    ordering = ["-inspected_on", "-pk"]
    classes = ["inspections"]


@admin.register(IndustrialCluster)
class IndustrialClusterAdmin(RegistryModelAdmin):
    resource_classes = [ClusterResource]
    list_display = [
        "code",
        "name",
        "district",
        "status_column",
        "wastewater_state_column",
        "occupancy_percent",
    ]
    list_display_links = ["code", "name"]
    list_select_related = ["district", "commune"]
    list_filter = [
        CommuneListFilter,
        DistrictListFilter,
        StatusListFilter,
        WastewaterStateListFilter,
    ]
    search_fields = ["code", "name", "developer"]
    search_help_text = _("Search by code, name or infrastructure developer.")
    autocomplete_fields = ["district"]
    inlines = [InspectionInline]
    readonly_fields = ["status_today", "wastewater_state_today", "commune_to_check"]
    fieldsets = [
        (
            _("Identity"),
            {
                "fields": [
                    "code",
                    "name",
                    "commune",
                    "commune_to_check",
                    "district",
                    "address",
                    "area_ha",
                    "is_craft_village",
                ]
            },
        ),
        (_("Establishment"), {"fields": ["decision_no", "established_on", "developer"]}),
        (
            _("Lifecycle"),
            {
                "fields": [
                    "construction_started_on",
                    "operating_since",
                    "closed_on",
                    "status_today",
                ]
            },
        ),
        (
            _("Centralized wastewater treatment plant"),
            {
                "fields": [
                    "wwtp_construction_started_on",
                    "wwtp_operating_since",
                    "wwtp_capacity_m3_per_day",
                    "wwtp_standard",
                    "wwtp_automatic_monitoring",
                    "wastewater_state_today",
                ]
            },
        ),
        (_("Occupancy"), {"fields": ["occupancy_percent", "tenant_count"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_wastewater_state(today())

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, obj):
        return ClusterStatus(obj.status).label

    @admin.display(description=_("wastewater state"), ordering="wastewater_state")
    def wastewater_state_column(self, obj):
        return wastewater_state_badge(obj.wastewater_state)

    @admin.display(description=_("status today"))
    def status_today(self, obj):
        status = getattr(obj, "status", None)
        if obj is None or obj.pk is None or status is None:
            return gettext("Computed from the lifecycle dates once the cluster is saved.")
        return gettext("%(status)s (computed from the lifecycle dates as of %(date)s)") % {
            "status": ClusterStatus(status).label,
            "date": date_format(today(), "SHORT_DATE_FORMAT"),
        }

    @admin.display(description=_("wastewater state today"))
    def wastewater_state_today(self, obj):
        state = getattr(obj, "wastewater_state", None)
        if obj is None or obj.pk is None or state is None:
            return gettext("Computed from the treatment plant and its inspections once saved.")
        latest = ""
        if obj.latest_inspected_on:
            latest = gettext("Latest inspection counted: %(date)s, %(result)s.") % {
                "date": date_format(obj.latest_inspected_on, "SHORT_DATE_FORMAT"),
                "result": InspectionResult(obj.latest_result).label,
            }
        return format_html(
            "{}<br>{}<br>{}",
            wastewater_state_badge(state),
            WASTEWATER_STATE_REASONS[WastewaterState(state)],
            latest,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in obj.warnings:
            messages.warning(request, warning)


@admin.register(WastewaterInspection)
class WastewaterInspectionAdmin(RegistryModelAdmin):
    resource_classes = [InspectionResource]
    list_display = ["cluster", "district_column", "inspected_on", "result", "standard", "agency"]
    list_select_related = ["cluster__district"]
    list_filter = [InspectionDistrictListFilter, "result", "standard"]
    search_fields = ["cluster__code", "cluster__name", "reference", "agency"]
    search_help_text = _("Search by cluster code or name, document reference or agency.")
    autocomplete_fields = ["cluster"]
    date_hierarchy = None
    ordering = ["-inspected_on", "-pk"]

    @admin.display(description=_("district"), ordering="cluster__district__code")
    def district_column(self, obj):
        return obj.cluster.district
