"""``/api/v1/units/``: every administrative unit (reference data, public facts), both maps,
with the units that took its territory."""

import django_filters
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from registry.api.viewsets import RegistryViewSet
from registry.models import AdministrativeUnit, UnitLevel, UnitSuccession


class SuccessorSerializer(serializers.Serializer):
    code = serializers.CharField(source="successor.code")
    whole = serializers.BooleanField()


class UnitSerializer(serializers.ModelSerializer):
    successors = SuccessorSerializer(source="successions", many=True, read_only=True)

    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "level", "kind", "valid_from", "valid_to", "successors"]


class UnitFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices, label=_("Level"))
    valid_on = django_filters.DateFilter(
        method="filter_valid_on", label=_("Only the units valid on this date")
    )
    search = django_filters.CharFilter(method="filter_search", label=_("Search in code and name"))

    class Meta:
        model = AdministrativeUnit
        fields = ["level", "valid_on", "search"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=value),
            Q(valid_to__isnull=True) | Q(valid_to__gte=value),
        )

    def filter_search(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__startswith=value) | Q(name__icontains=value))


class UnitViewSet(RegistryViewSet):
    """Administrative units by official code: the 30 districts (until 30 June 2025) and the
    126 communes (from 1 July 2025); ``successors`` are the units that took its territory
    (``whole`` when one took all of it). Any signed-in account may read them."""

    queryset = AdministrativeUnit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    permission_classes = [IsAuthenticated]
    lookup_field = "code"
    http_method_names = ["get", "head", "options"]
    csv_name = "units"

    def get_queryset(self):
        # Reference data, the same for everyone: not scoped.
        return self.queryset.prefetch_related(
            Prefetch(
                "successions",
                queryset=UnitSuccession.objects.select_related("successor").order_by(
                    "successor__code"
                ),
            )
        )
