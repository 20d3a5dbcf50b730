from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusters.models import IndustrialCluster, WastewaterInspection
from registry.dates import today


class InspectionInline(admin.TabularInline):
    model = WastewaterInspection
    extra = 0
    fields = ["inspected_on", "result", "standard", "agency", "reference"]


@admin.register(IndustrialCluster)
class IndustrialClusterAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "district", "status", "wastewater_state", "occupancy_percent"]
    list_select_related = ["district"]
    list_filter = ["district"]
    search_fields = ["code", "name", "developer"]
    inlines = [InspectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_wastewater_state(today())

    @admin.display(description="status")
    def status(self, obj):
        return obj.status

    @admin.display(description="wastewater state")
    def wastewater_state(self, obj):
        return obj.wastewater_state


@admin.register(WastewaterInspection)
class WastewaterInspectionAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "inspected_on", "result", "standard", "agency"]
    list_select_related = ["cluster"]
    list_filter = ["result", "standard"]
    search_fields = ["cluster__code", "cluster__name", "reference"]
    autocomplete_fields = ["cluster"]
