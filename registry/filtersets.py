"""Filters shared by the apps' FilterSets (one FilterSet per model, NetBox-style)."""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from registry.models import AdministrativeUnit, District, UnitLevel


class StableOrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering, with a final tie-breaker so pages never overlap."""

    def __init__(self, *args, tie_breaker: str = "pk", **kwargs):
        self.tie_breaker = tie_breaker
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, self.tie_breaker)
        return qs


class CodeMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        # No code contains a NUL character, and PostgreSQL refuses to compare one.
        for item in value:
            if isinstance(item, str) and "\x00" in item:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item.replace("\x00", "")},
                )
        return super()._check_values(value)


@extend_schema_field(OpenApiTypes.STR)
class CodeMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Records given by their code(s), repeatable; an unknown code is a 400."""

    field_class = CodeMultipleChoiceField


def district_filter(path: str) -> CodeMultipleChoiceFilter:
    """Filter by district code(s); ``path`` is the model's DISTRICT_PATH."""
    return CodeMultipleChoiceFilter(
        # The predicate uses the code of the chosen district, so the path ends in __code.
        field_name=f"{path}__code",
        distinct=False,
        to_field_name="code",
        queryset=District.objects.all(),
        label=_("District (three-digit code; repeat the parameter for several)"),
    )


class UpdatedRangeFilterSet(django_filters.FilterSet):
    """``updated_since`` / ``updated_before`` on a list, for clients that keep a copy in sync
    (with ``ordering=updated_at``; deletions are in ``/api/v1/deletions/``)."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_(
            "Changed at or after this moment (ISO 8601 with its offset, e.g. "
            "2025-12-01T00:00:00+07:00; inclusive)"
        ),
    )
    updated_before = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="lt", label=_("Changed before this moment (ISO 8601)")
    )


def commune_filter(path: str) -> CodeMultipleChoiceFilter:
    """Filter by commune code(s) (five digits); ``path`` is the model's COMMUNE_PATH."""
    return CodeMultipleChoiceFilter(
        field_name=f"{path}__code",
        distinct=False,
        to_field_name="code",
        queryset=AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE),
        label=_("Commune (five-digit code; repeat the parameter for several)"),
    )
