"""Admin for markets and their projects (district-scoped, versioned).

The class-versus-criteria flag is the core annotation ``Market.objects.with_class_check()``.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from markets.choices import MarketClass
from markets.models import Market, MarketProject
from markets.resources import MarketProjectResource, MarketResource
from registry.admin_display import name_with_code, short_date
from registry.admin_scoping import (
    CommuneListFilter,
    DistrictListFilter,
    RegistryModelAdmin,
    ScopedInlineMixin,
    VersionedInlineMixin,
)


class ClassCheckListFilter(admin.SimpleListFilter):
    title = _("class versus criteria")
    parameter_name = "class_check"

    def lookups(self, request, model_admin):
        return [
            ("mismatch", _("Class differs from the criteria")),
            ("match", _("Class matches the criteria")),
            ("unclassified", _("Not yet classified")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mismatch":
            return queryset.filter(class_matches_criteria=False)
        if value == "match":
            return queryset.filter(class_matches_criteria=True)
        if value == "unclassified":
            return queryset.filter(market_class__isnull=True)
        return queryset


class ProjectDistrictListFilter(DistrictListFilter):
    district_lookup = "market__district_id"


class ProjectInline(ScopedInlineMixin, VersionedInlineMixin, admin.TabularInline):
    model = MarketProject
    extra = 0
    fields = [
        "kind",
        "budget_vnd",
        "capital_source",
        "started_on",
        "completed_on",
        "status",
        "note",
    ]


def class_check_message(obj) -> str | None:
    """The warning for a market whose recorded class disagrees with its own figures."""
    if getattr(obj, "class_matches_criteria", None) is not False:
        return None
    return gettext(
        "The recorded class (%(recorded)s) differs from the class its own figures point to "
        "(%(expected)s: business points and construction, Decree 60/2024/NĐ-CP). Please check "
        "the class decision or the figures."
    ) % {
        "recorded": MarketClass(obj.market_class).label,
        "expected": MarketClass(obj.expected_class).label,
    }


@admin.register(Market)
class MarketAdmin(RegistryModelAdmin):
    resource_classes = [MarketResource]
    list_display = [
        "market_column",
        "district",
        "kind",
        "market_class",
        "class_matches_criteria_column",
        "status",
    ]
    list_display_links = ["market_column"]
    list_select_related = ["district", "commune"]
    list_filter = [
        CommuneListFilter,
        DistrictListFilter,
        "status",
        "market_class",
        ClassCheckListFilter,
        "kind",
    ]
    search_fields = ["code", "name", "address"]
    search_help_text = _("Search by code, name or address.")
    autocomplete_fields = ["district"]
    inlines = [ProjectInline]
    readonly_fields = ["class_check", "commune_to_check"]
    fieldsets = [
        (
            _("Identity"),
            {"fields": ["code", "name", "commune", "commune_to_check", "district", "address"]},
        ),
        (
            _("Classification"),
            {
                "fields": [
                    "kind",
                    "market_class",
                    "construction",
                    "business_points",
                    "area_m2",
                    "class_check",
                ]
            },
        ),
        (
            _("Capital and management"),
            {"fields": ["capital", "management", "year_built"]},
        ),
        (_("Status"), {"fields": ["status", "status_since"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_class_check()

    @admin.display(description=_("market"), ordering="name")
    def market_column(self, obj):
        return name_with_code(obj.name, obj.code)

    @admin.display(
        description=_("matches criteria"),
        boolean=True,
        ordering="class_matches_criteria",
    )
    def class_matches_criteria_column(self, obj):
        return obj.class_matches_criteria

    @admin.display(description=_("class versus criteria"))
    def class_check(self, obj):
        if obj is None or obj.pk is None or not hasattr(obj, "class_matches_criteria"):
            return gettext("Checked against the criteria once the market is saved.")
        if obj.class_matches_criteria is None:
            return gettext("Not yet classified; its figures point to %(expected)s.") % {
                "expected": MarketClass(obj.expected_class).label
            }
        return class_check_message(obj) or gettext(
            "The recorded class matches the market's figures."
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        checked = Market.objects.with_class_check().filter(pk=obj.pk).first()
        message = class_check_message(checked) if checked else None
        if message:
            messages.warning(request, message)
        for warning in obj.warnings:
            messages.warning(request, warning)


@admin.register(MarketProject)
class MarketProjectAdmin(RegistryModelAdmin):
    resource_classes = [MarketProjectResource]
    list_display = [
        "market_column",
        "kind",
        "status",
        "budget_vnd",
        "started_on_column",
        "completed_on_column",
    ]
    list_display_links = ["market_column"]
    list_select_related = ["market__district"]
    list_filter = [ProjectDistrictListFilter, "kind", "status", "capital_source"]
    search_fields = ["market__code", "market__name"]
    autocomplete_fields = ["market"]

    @admin.display(description=_("market"), ordering="market__name")
    def market_column(self, obj):
        return name_with_code(obj.market.name, obj.market.code)

    @admin.display(description=_("started"), ordering="started_on")
    def started_on_column(self, obj):
        return short_date(obj.started_on)

    @admin.display(description=_("completed"), ordering="completed_on")
    def completed_on_column(self, obj):
        return short_date(obj.completed_on)
