"""One FilterSet per model (NetBox-style): the API, pages and tests share them."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from markets.choices import MarketClass, MarketKind, MarketStatus
from markets.models import Market
from registry.filtersets import (
    StableOrderingFilter,
    UpdatedRangeFilterSet,
    commune_filter,
    district_filter,
)


class MarketFilterSet(UpdatedRangeFilterSet):
    district = district_filter("district")
    commune = commune_filter("commune")
    status = django_filters.MultipleChoiceFilter(
        choices=MarketStatus.choices, distinct=False, label=_("Status")
    )
    market_class = django_filters.ChoiceFilter(
        choices=MarketClass.choices,
        null_label=_("Not yet classified"),
        null_value="null",
        label=_("Class (1, 2, 3, or null for not yet classified)"),
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=MarketKind.choices, distinct=False, label=_("Business method")
    )
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search in code, name and address")
    )
    ordering = StableOrderingFilter(
        fields=[
            ("code", "code"),
            ("name", "name"),
            ("district__code", "district"),
            ("business_points", "business_points"),
            ("area_m2", "area_m2"),
            ("status_since", "status_since"),
            ("updated_at", "updated_at"),
        ],
        label=_("Order by (prefix with - for descending)"),
    )

    class Meta:
        model = Market
        fields = ["district", "commune", "status", "market_class", "kind", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(address__icontains=value)
        )
