"""Serializer plumbing shared by the apps, the districts serializer, the query parameters
and the stats responses."""

import copy
import datetime
import operator
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from clusters.selectors import OPERATING_STATES
from markets.choices import MarketClass, MarketStatus
from markets.selectors import UNCLASSIFIED
from registry.api.exceptions import django_validation_error_detail
from registry.fields import CodeField
from registry.models import District
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


class CodeSerializerField(serializers.CharField):
    """A registry code: trimmed and upper-cased, as the model's CodeField does, before the
    model's validators see it."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return value.strip().upper()


def _itself(instance):
    return instance


class FastRepresentationMixin:
    """DRF's ``Serializer.to_representation`` with its per-field bookkeeping done once per
    serializer instead of once per field and row (a list of 50 clusters is ~1,200 fields).

    For plain fields (those that do not override ``get_attribute``) with a one-attribute
    source, or ``source="*"``, the value is read with ``operator.attrgetter``; anything
    unusual (a callable value, a missing attribute, a mapping instead of an object) takes
    DRF's own path, so the output is the same. Each field's own ``to_representation`` still
    renders the value.
    """

    def _representation_plan(self):
        plan = self.__dict__.get("_representation_plan_cache")
        if plan is None:
            plan = []
            for field in self._readable_fields:
                getter = None
                if type(field).get_attribute is serializers.Field.get_attribute:
                    if not field.source_attrs:
                        getter = _itself
                    elif len(field.source_attrs) == 1:
                        getter = operator.attrgetter(field.source_attrs[0])
                plan.append((field.field_name, field, getter, field.to_representation))
            self.__dict__["_representation_plan_cache"] = plan
        return plan

    def to_representation(self, instance):
        if isinstance(instance, Mapping):
            return super().to_representation(instance)
        ret = {}
        for name, field, getter, represent in self._representation_plan():
            attribute = None
            if getter is not None:
                try:
                    attribute = getter(instance)
                except Exception:
                    getter = None
                else:
                    if callable(attribute):
                        getter = None
            if getter is None:  # DRF's path
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            else:
                check_for_none = attribute
            ret[name] = None if check_for_none is None else represent(attribute)
        return ret


class ModelCleanSerializer(FastRepresentationMixin, serializers.ModelSerializer):
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

    def get_fields(self):
        # ModelSerializer introspects the model again for every serializer (once a request);
        # the result depends only on the class, so it is built once and copied (a DRF field's
        # deep copy is a new field made from the same arguments, as for declared fields).
        cls = type(self)
        template = cls.__dict__.get("_fields_template")
        if template is None:
            template = super().get_fields()
            cls._fields_template = template
        return copy.deepcopy(template)

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


#: The dates the rules can be asked about (the evidence window must fit before the first).
EARLIEST_AS_OF = datetime.date(1900, 1, 1)
LATEST_AS_OF = datetime.date(2199, 12, 31)


def validate_as_of(value: datetime.date) -> None:
    if not EARLIEST_AS_OF <= value <= LATEST_AS_OF:
        raise serializers.ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_AS_OF.isoformat(), "latest": LATEST_AS_OF.isoformat()}
        )


class AsOfQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        validators=[validate_as_of],
        help_text=_("The date the rules are evaluated at (YYYY-MM-DD); default today in Hanoi."),
    )


class DistrictQueryField(CodeRelatedField):
    default_error_messages = {
        "does_not_exist": _("There is no district with the code “{value}” in your scope."),
        "invalid": _("Give the district's three-digit code."),
    }


class KpiQuerySerializer(AsOfQuerySerializer):
    district = DistrictQueryField(
        queryset=District.objects.all(),
        required=False,
        help_text=_("Only this district (its three-digit code)."),
    )


class OverdueQuerySerializer(KpiQuerySerializer):
    months = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=1200,
        help_text=_(
            "Established at least this many months before as_of (default: the setting, 24)."
        ),
    )


class MarketStatsQuerySerializer(serializers.Serializer):
    district = DistrictQueryField(
        queryset=District.objects.all(),
        required=False,
        help_text=_("Only this district (its three-digit code)."),
    )


# ---------------------------------------------------------------------------------------------
# Stats responses (typed, so the OpenAPI schema says exactly what comes back)
# ---------------------------------------------------------------------------------------------


def _counts_serializer(name: str, keys: list[str], help_text) -> type[serializers.Serializer]:
    fields = {key: serializers.IntegerField(min_value=0, help_text=help_text) for key in keys}
    return type(name, (serializers.Serializer,), fields)


ByStateSerializer = _counts_serializer(
    "WastewaterStateCounts",
    [state.value for state in OPERATING_STATES],
    _("Operating clusters in this wastewater state."),
)
ByMarketStatusSerializer = _counts_serializer(
    "MarketStatusCounts", [s.value for s in MarketStatus], _("Markets with this status.")
)
ByMarketClassSerializer = _counts_serializer(
    "MarketClassCounts",
    [c.value for c in MarketClass] + [UNCLASSIFIED],
    _("Markets of this class."),
)


#: How the KPI's percentages render (both fields below are DecimalField(5, 2)).
_PERCENT = serializers.DecimalField(max_digits=5, decimal_places=2)


class KpiFiguresSerializer(serializers.Serializer):
    """The figures of ``clusters.selectors.KpiFigures``.

    The fields describe the response (the OpenAPI schema); ``to_representation`` renders a
    ``KpiFigures`` directly, without DRF's per-field walk (a city-wide response has 31 sets
    of figures). ``tests/api/test_fast_representation.py`` checks that the output is what
    DRF renders from these fields.
    """

    target_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text=_("The year's target (%).")
    )
    operating = serializers.IntegerField(help_text=_("Clusters in operation at as_of."))
    compliant = serializers.IntegerField(
        help_text=_("Operating clusters whose wastewater state is compliant.")
    )
    share_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_("100 × compliant / operating, half-up to 2 decimals; null when none operate."),
    )
    met = serializers.BooleanField(
        allow_null=True, help_text=_("compliant × 100 ≥ target × operating, compared exactly.")
    )
    shortfall = serializers.IntegerField(
        allow_null=True, help_text=_("The fewest more compliant clusters that meet the target.")
    )
    by_state = ByStateSerializer()

    @staticmethod
    def figures(figures) -> dict:
        """A ``KpiFigures`` as this serializer renders it."""
        target, share = figures.target_percent, figures.share_percent
        return {
            "target_percent": None if target is None else _PERCENT.to_representation(target),
            "operating": figures.operating,
            "compliant": figures.compliant,
            "share_percent": None if share is None else _PERCENT.to_representation(share),
            "met": figures.met,
            "shortfall": figures.shortfall,
            "by_state": {state.value: figures.by_state[state.value] for state in OPERATING_STATES},
        }

    def to_representation(self, instance):
        return self.figures(instance)


class DistrictKpiSerializer(KpiFiguresSerializer):
    district = serializers.CharField(help_text=_("The district's code."))
    name = serializers.CharField()

    @staticmethod
    def row(district_kpi) -> dict:
        """A ``DistrictKpi`` as this serializer renders it."""
        return {
            "district": district_kpi.district.code,
            "name": district_kpi.district.name,
            **KpiFiguresSerializer.figures(district_kpi.figures),
        }

    def to_representation(self, instance):
        return self.row(instance)


class ComplianceKpiSerializer(KpiFiguresSerializer):
    as_of = serializers.DateField()
    districts = DistrictKpiSerializer(many=True)

    def to_representation(self, instance):
        return {
            "as_of": instance.as_of.isoformat(),
            **self.figures(instance.city),
            "districts": [DistrictKpiSerializer.row(row) for row in instance.districts],
        }


class OverdueClusterSerializer(serializers.Serializer):
    code = serializers.CharField(source="cluster.code")
    name = serializers.CharField(source="cluster.name")
    district = serializers.CharField(source="cluster.district.code")
    district_name = serializers.CharField(source="cluster.district.name")
    established_on = serializers.DateField(source="cluster.established_on")
    months_since_established = serializers.IntegerField()


class ConstructionOverdueSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    months = serializers.IntegerField()
    count = serializers.IntegerField()
    results = OverdueClusterSerializer(many=True)


class MarketCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = ByMarketStatusSerializer()
    by_class = ByMarketClassSerializer()


class DistrictMarketCountsSerializer(MarketCountsSerializer):
    district = serializers.CharField(help_text=_("The district's code."))
    name = serializers.CharField()

    def to_representation(self, instance):
        district, counts = instance
        return {
            "district": district.code,
            "name": district.name,
            **MarketCountsSerializer().to_representation(counts.as_dict()),
        }


class MarketStatisticsSerializer(MarketCountsSerializer):
    districts = DistrictMarketCountsSerializer(many=True)

    def to_representation(self, instance):
        return {
            **MarketCountsSerializer().to_representation(instance.city.as_dict()),
            "districts": DistrictMarketCountsSerializer(instance.districts, many=True).data,
        }
