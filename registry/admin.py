from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from registry.models import District, DistrictAssignment, Target


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]


@admin.register(DistrictAssignment)
class DistrictAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "district"]
    list_select_related = ["user", "district"]
    autocomplete_fields = ["district"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "percent", "note"]
