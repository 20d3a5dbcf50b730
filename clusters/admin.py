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
from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from clusters.resources import ClusterResource, InspectionResource, ScheduleExtensionResource
from registry.admin_display import name_with_code, short_date
from registry.admin_scoping import (
    CommuneListFilter,
    DistrictListFilter,
    RegistryModelAdmin,
    ScopedInlineMixin,
    VersionedInlineMixin,
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


class EvidenceDaysLeftListFilter(admin.SimpleListFilter):
    """Clusters in operation by when their latest inspection goes out of date (today)."""

    title = _("inspection goes out of date")
    parameter_name = "evidence"
    #: value → (lowest, highest) days left, inclusive (``None``: unbounded)
    RANGES = {"30": (0, 29), "90": (0, 89), "stale": (None, -1)}

    def lookups(self, request, model_admin):
        return [
            ("30", _("within 30 days")),
            ("90", _("within 90 days")),
            ("stale", _("already out of date")),
            ("none", _("no inspection counted")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value not in self.RANGES and value != "none":
            return queryset
        queryset = queryset.filter(status=ClusterStatus.OPERATING)
        if value == "none":
            return queryset.filter(evidence_days_left__isnull=True)
        low, high = self.RANGES[value]
        if low is not None:
            queryset = queryset.filter(evidence_days_left__gte=low)
        return queryset.filter(evidence_days_left__lte=high)


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


class InspectionInline(ScopedInlineMixin, VersionedInlineMixin, admin.TabularInline):
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


class ScheduleExtensionInline(ScopedInlineMixin, VersionedInlineMixin, admin.TabularInline):
    model = ScheduleExtension
    extra = 0
    fields = [
        "decision_no",
        "decided_on",
        "new_start_deadline",
        "new_completion_deadline",
        "note",
    ]
    ordering = ["-decided_on", "-pk"]
    classes = ["schedule-extensions"]


@admin.register(IndustrialCluster)
class IndustrialClusterAdmin(RegistryModelAdmin):
    resource_classes = [ClusterResource]
    list_display = [
        "cluster_column",
        "district",
        "status_column",
        "wastewater_state_column",
        "operating_since_column",
        "latest_inspection_column",
        "evidence_days_left_column",
    ]
    list_display_links = ["cluster_column"]
    list_select_related = ["district", "commune"]
    list_filter = [
        CommuneListFilter,
        DistrictListFilter,
        StatusListFilter,
        WastewaterStateListFilter,
        EvidenceDaysLeftListFilter,
    ]
    search_fields = ["code", "name", "developer"]
    search_help_text = _("Search by code, name or infrastructure developer.")
    autocomplete_fields = ["district"]
    inlines = [ScheduleExtensionInline, InspectionInline]
    readonly_fields = [
        "status_today",
        "wastewater_state_today",
        "commune_to_check",
        "occupancy_effective",
    ]
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
            _("Implementation schedule"),
            {
                "fields": [
                    "planned_construction_start",
                    "planned_completion",
                    "infrastructure_completed_on",
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
        (
            _("Occupancy"),
            {
                "fields": [
                    "industrial_land_ha",
                    "leased_land_ha",
                    "occupancy_percent",
                    "occupancy_effective",
                    "tenant_count",
                    "worker_count",
                    "registered_capital_vnd",
                    "disbursed_capital_vnd",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        day = today()
        return super().get_queryset(request).with_wastewater_state(day).with_evidence_days_left(day)

    @admin.display(description=_("cluster"), ordering="name")
    def cluster_column(self, obj):
        return name_with_code(obj.name, obj.code)

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, obj):
        return ClusterStatus(obj.status).label

    @admin.display(description=_("wastewater"), ordering="wastewater_state")
    def wastewater_state_column(self, obj):
        return wastewater_state_badge(obj.wastewater_state)

    @admin.display(description=_("operating since"), ordering="operating_since")
    def operating_since_column(self, obj):
        return short_date(obj.operating_since)

    @admin.display(
        description=_("latest inspection"),
        ordering="latest_inspected_on",
    )
    def latest_inspection_column(self, obj):
        return short_date(obj.latest_inspected_on)

    @admin.display(
        description=_("valid for (days)"),
        ordering="evidence_days_left",
    )
    def evidence_days_left_column(self, obj):
        days = obj.evidence_days_left
        if days is None or obj.status != ClusterStatus.OPERATING:
            return None
        if days < 0:
            return format_html(
                '<span class="evidence-days evidence-days--stale" title="{}">{}</span>',
                gettext("out of date for %(days)s days") % {"days": -days},
                gettext("out of date"),
            )
        return format_html(
            '<span class="evidence-days{}" data-days="{}">{}</span>',
            " evidence-days--soon" if days < 30 else "",
            days,
            days,
        )

    @admin.display(description=_("occupancy used in reports (%)"))
    def occupancy_effective(self, obj):
        value = obj.occupancy_percent_effective if obj is not None else None
        if value is None:
            return "—"
        if obj.leased_land_ha is not None and obj.industrial_land_ha:
            return gettext("%(value)s (leased ÷ industrial land)") % {"value": value}
        return gettext("%(value)s (as entered)") % {"value": value}

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

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # Inspections typed in the inline: the same soft-rule warnings as on their own form.
        for inspection in getattr(formset, "new_objects", []) + [
            obj for obj, _changed in getattr(formset, "changed_objects", [])
        ]:
            for warning in getattr(inspection, "warnings", []):
                messages.warning(request, warning)


class ClusterColumnsMixin:
    """The list columns of a record that belongs to a cluster (inspections, extensions)."""

    @admin.display(description=_("cluster"), ordering="cluster__name")
    def cluster_column(self, obj):
        return name_with_code(obj.cluster.name, obj.cluster.code)

    @admin.display(description=_("district"), ordering="cluster__district__code")
    def district_column(self, obj):
        return obj.cluster.district


@admin.register(WastewaterInspection)
class WastewaterInspectionAdmin(ClusterColumnsMixin, RegistryModelAdmin):
    resource_classes = [InspectionResource]
    list_display = [
        "cluster_column",
        "district_column",
        "inspected_on_column",
        "result",
        "standard",
    ]
    list_display_links = ["cluster_column"]
    list_select_related = ["cluster__district"]
    list_filter = [
        InspectionDistrictListFilter,
        ("inspected_on", admin.DateFieldListFilter),
        "result",
        "standard",
    ]
    search_fields = ["cluster__code", "cluster__name", "reference", "agency"]
    search_help_text = _("Search by cluster code or name, document reference or agency.")
    autocomplete_fields = ["cluster"]
    date_hierarchy = None
    ordering = ["-inspected_on", "-pk"]

    @admin.display(description=_("inspected on"), ordering="inspected_on")
    def inspected_on_column(self, obj):
        return short_date(obj.inspected_on)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in obj.warnings:
            messages.warning(request, warning)


@admin.register(ScheduleExtension)
class ScheduleExtensionAdmin(ClusterColumnsMixin, RegistryModelAdmin):
    resource_classes = [ScheduleExtensionResource]
    list_display = [
        "cluster_column",
        "district_column",
        "decision_no",
        "decided_on_column",
        "new_start_deadline",
        "new_completion_deadline",
    ]
    list_display_links = ["cluster_column", "decision_no"]
    list_select_related = ["cluster__district"]
    list_filter = [InspectionDistrictListFilter, ("decided_on", admin.DateFieldListFilter)]
    search_fields = ["cluster__code", "cluster__name", "decision_no"]
    search_help_text = _("Search by cluster code or name or decision number.")
    autocomplete_fields = ["cluster"]
    ordering = ["-decided_on", "-pk"]

    @admin.display(description=_("decision date"), ordering="decided_on")
    def decided_on_column(self, obj):
        return short_date(obj.decided_on)
