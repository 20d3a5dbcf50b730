from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from markets.models import Market, MarketProject


class ProjectInline(admin.TabularInline):
    model = MarketProject
    extra = 0


@admin.register(Market)
class MarketAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "district", "kind", "market_class", "status"]
    list_select_related = ["district"]
    list_filter = ["district", "status", "market_class", "kind"]
    search_fields = ["code", "name"]
    inlines = [ProjectInline]


@admin.register(MarketProject)
class MarketProjectAdmin(SimpleHistoryAdmin):
    list_display = ["market", "kind", "status", "budget_vnd", "started_on", "completed_on"]
    list_select_related = ["market"]
    autocomplete_fields = ["market"]
