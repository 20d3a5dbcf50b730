"""Serializer plumbing shared by the apps (codes as keys, validation by the model), the
districts serializer and the query parameters every stats endpoint takes. Domain-free: the
stats endpoints' own serializers live in the apps that own the data (``*/api/stats.py``)."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers

from registry.api.exceptions import django_validation_error_detail
from registry.dates import validate_as_of
from registry.fields import CodeField
from registry.formats import DATE_INVALID_MESSAGE
from registry.models import AdministrativeUnit, District, UnitLevel
from registry.scoping import restrict


class CodeRelatedField(serializers.SlugRelatedField):
    """A foreign key given by its code (the API's natural key)."""

    default_error_messages = {
        "does_not_exist": _("There is no record with the code “{value}”."),
        "invalid": _("Give the code as text."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def get_queryset(self):
        # A record of another district (other than the public districts themselves) is
        # "no record with that code", exactly as an unknown code: no existence oracle.
        queryset = super().get_queryset()
        request = self.context.get("request")
        model = queryset.model
        if request is not None and model is not District and hasattr(model, "DISTRICT_PATH"):
            queryset = restrict(queryset, request.user)
        return queryset

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            # No code contains a NUL character, and PostgreSQL refuses to compare one.
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


def commune_code_field() -> CodeRelatedField:
    """A record's commune, by its five-digit code (optional: records loaded before the
    reform may not have one yet)."""
    return CodeRelatedField(
        queryset=AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE),
        required=False,
        allow_null=True,
        help_text=_("The commune's five-digit code (the unit it lies in since 1 July 2025)."),
    )


class CodeSerializerField(serializers.CharField):
    """A registry code: trimmed and upper-cased, as the model's CodeField does, before the
    model's validators see it."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return value.strip().upper()


class ModelCleanSerializer(serializers.ModelSerializer):
    """A model serializer whose writes are validated by the model itself.

    ``full_clean()`` — field validators, constraints and ``clean()`` — is the single source
    of validation; its errors come back as DRF's per-field 400. Updates write only the fields
    they were given (``VersionedModel.save_fields``), refused with 412 when the view passes
    ``expected_version`` (If-Match) in the context and the stored version is another.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        CodeField: CodeSerializerField,
    }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        candidate = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_validation_error_detail(error)) from error
        # full_clean normalises values (codes are trimmed and upper-cased): save those.
        for name in attrs:
            attrs[name] = getattr(candidate, name)
        if getattr(candidate, "commune_converted_from", None):
            attrs["commune"] = candidate.commune  # converted from the old address
        return attrs

    def update(self, instance, validated_data):
        # Only the fields this request gave are written (a PATCH of one field never writes
        # back another field's stale value over a concurrent change), and the record they
        # are merged into is validated again under the row's lock.
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save_fields(
            list(validated_data),
            expected_version=self.context.get("expected_version"),
            check=self._clean_merged,
        )
        return instance

    def _clean_merged(self, record):
        try:
            record.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_validation_error_detail(error)) from error


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name", "kind", "active"]


# ---------------------------------------------------------------------------------------------
# Query parameters
# ---------------------------------------------------------------------------------------------


class AsOfQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        validators=[validate_as_of],
        # Typed by people: day first (DD/MM/YYYY) or ISO, never month first (registry.formats).
        input_formats=["%d/%m/%Y", ISO_8601],
        error_messages={"invalid": DATE_INVALID_MESSAGE},
        help_text=_(
            "The date the rules are evaluated at (DD/MM/YYYY or YYYY-MM-DD); "
            "default today in Hanoi."
        ),
    )


class DistrictQueryField(CodeRelatedField):
    default_error_messages = {
        "does_not_exist": _("There is no district with the code “{value}” in your scope."),
        "invalid": _("Give the district's three-digit code."),
    }


def counts_serializer(name: str, keys: list[str], help_text) -> type[serializers.Serializer]:
    """A serializer of ``{key: count}`` for the given keys (typed, for the OpenAPI schema)."""
    fields = {key: serializers.IntegerField(min_value=0, help_text=help_text) for key in keys}
    return type(name, (serializers.Serializer,), fields)
