"""One FilterSet per model (NetBox-style): the API, pages and tests share them.

The cluster FilterSet evaluates ``status`` and ``wastewater_state`` at ``as_of`` with the
core's annotations (clusters.querysets); it never derives them itself.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.choices import ClusterStatus, InspectionResult, WastewaterState
from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from registry.dates import today, validate_as_of
from registry.filtersets import (
    CodeMultipleChoiceFilter,
    StableOrderingFilter,
    UpdatedRangeFilterSet,
    commune_filter,
    district_filter,
)
from registry.scoping import restrict


class ClusterFilterSet(UpdatedRangeFilterSet):
    as_of = django_filters.DateFilter(
        method="filter_as_of",
        validators=[validate_as_of],
        label=_("Evaluate status and wastewater state at this date (default: today)"),
    )
    district = district_filter("district")
    commune = commune_filter("commune")
    status = django_filters.MultipleChoiceFilter(
        choices=ClusterStatus.choices, distinct=False, label=_("Status at as_of")
    )
    wastewater_state = django_filters.MultipleChoiceFilter(
        choices=WastewaterState.choices, distinct=False, label=_("Wastewater state at as_of")
    )
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search in code, name, developer and address")
    )
    ordering = StableOrderingFilter(
        fields=[
            ("code", "code"),
            ("name", "name"),
            ("district__code", "district"),
            ("established_on", "established_on"),
            ("operating_since", "operating_since"),
            ("area_ha", "area_ha"),
            ("occupancy_percent", "occupancy_percent"),
            ("status", "status"),
            ("wastewater_state", "wastewater_state"),
            ("latest_inspected_on", "latest_inspected_on"),
            ("updated_at", "updated_at"),
        ],
        label=_("Order by (prefix with - for descending)"),
    )

    class Meta:
        model = IndustrialCluster
        fields = ["as_of", "district", "commune", "status", "wastewater_state", "search"]

    def filter_queryset(self, queryset):
        # The dated annotations first, so status / state filters and ordering can use them.
        if "wastewater_state" not in queryset.query.annotations:
            queryset = queryset.with_wastewater_state(
                self.form.cleaned_data.get("as_of") or today()
            )
        return super().filter_queryset(queryset)

    def filter_as_of(self, queryset, name, value):
        return queryset  # applied in filter_queryset, before the other filters

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name__icontains=value)
            | Q(developer__icontains=value)
            | Q(address__icontains=value)
        )


def clusters_in_scope(request):
    """The clusters a filter may name: those of the caller's districts (another district's
    code is refused as an unknown one is, so the filter tells nothing of other districts)."""
    clusters = IndustrialCluster.objects.all()
    if request is None:  # the schema, built without a caller
        return clusters
    return restrict(clusters, request.user)


class InspectionFilterSet(UpdatedRangeFilterSet):
    cluster = CodeMultipleChoiceFilter(
        field_name="cluster__code",
        distinct=False,
        to_field_name="code",
        queryset=clusters_in_scope,
        label=_("Cluster (its code; repeat the parameter for several)"),
    )
    district = district_filter("cluster__district")
    commune = commune_filter("cluster__commune")
    result = django_filters.ChoiceFilter(choices=InspectionResult.choices, label=_("Result"))
    inspected_after = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="gte", label=_("Inspected on or after this date")
    )
    inspected_before = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="lte", label=_("Inspected on or before this date")
    )
    ordering = StableOrderingFilter(
        fields=[
            ("inspected_on", "inspected_on"),
            ("cluster__code", "cluster"),
            ("id", "id"),
            ("updated_at", "updated_at"),
        ],
        label=_("Order by (prefix with - for descending)"),
    )

    class Meta:
        model = WastewaterInspection
        fields = ["cluster", "district", "commune", "result", "inspected_after", "inspected_before"]


class ScheduleExtensionFilterSet(UpdatedRangeFilterSet):
    cluster = CodeMultipleChoiceFilter(
        field_name="cluster__code",
        distinct=False,
        to_field_name="code",
        queryset=clusters_in_scope,
        label=_("Cluster (its code; repeat the parameter for several)"),
    )
    district = district_filter("cluster__district")
    ordering = StableOrderingFilter(
        fields=[("decided_on", "decided_on"), ("cluster__code", "cluster"), ("id", "id")],
        label=_("Order by (prefix with - for descending)"),
    )

    class Meta:
        model = ScheduleExtension
        fields = ["cluster", "district"]
