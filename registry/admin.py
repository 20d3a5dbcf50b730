"""Admin for the shared records: districts, staff accounts and their districts, targets."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from registry.admin_scoping import ScopedAdminMixin
from registry.models import District, DistrictAssignment, Target, UnitAssignment
from registry.scoping import can_access_all_districts

admin.site.site_header = _("Hanoi industrial cluster and market registry")
admin.site.site_title = _("Cluster and market registry")
admin.site.index_title = _("Records")


@admin.register(District)
class DistrictAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Districts are reference data; district staff see their own (for choices)."""

    list_display = ["code", "name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            # Inactive units keep their records but are not offered for new ones.
            queryset = queryset.filter(active=True)
        return queryset, may_have_duplicates


@admin.register(DistrictAssignment)
class DistrictAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "district"]
    list_select_related = ["user", "district"]
    list_filter = ["district"]
    search_fields = ["user__username", "district__code", "district__name"]
    autocomplete_fields = ["district"]


class DistrictAssignmentInline(admin.TabularInline):
    model = DistrictAssignment
    extra = 1
    autocomplete_fields = ["district"]
    verbose_name = _("district kept by this account")
    verbose_name_plural = _("districts kept by this account (district staff)")


class UnitAssignmentInline(admin.TabularInline):
    model = UnitAssignment
    extra = 1
    verbose_name = _("commune kept by this account")
    verbose_name_plural = _("communes kept by this account (commune staff, since 1 July 2025)")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """The user's page, with the districts the account keeps as district staff."""

    inlines = [DistrictAssignmentInline, UnitAssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_staff", "is_active"]


class DepartmentOnlyMixin:
    """Only accounts that see every district (department staff, superusers) get in."""

    def has_module_permission(self, request):
        return can_access_all_districts(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_access_all_districts(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return can_access_all_districts(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return can_access_all_districts(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return can_access_all_districts(request.user) and super().has_delete_permission(
            request, obj
        )


@admin.register(Target)
class TargetAdmin(DepartmentOnlyMixin, SimpleHistoryAdmin):
    list_display = ["year", "percent", "note"]
    search_fields = ["year"]


# API tokens and accounts have their own admin module; importing it registers it.
import registry.tokens_admin  # noqa: E402, F401
