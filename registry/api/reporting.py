"""The query parameters of the stats endpoints that group by reporting unit: ``as_of``,
``by`` (``district`` or ``commune``), ``unit`` (one unit by its code) and v1's ``district``.

Validated into ``grouping`` (the level the figures are grouped by: ``by``, else the unit's
level, else the reporting level at ``as_of``, ``registry.reporting``), ``unit`` (the one unit
asked for, or None) and ``units`` (the units covered, as ``registry.scoping.units_in_scope``
decides; None for every unit). A unit the caller does not keep is answered exactly as an
unknown code.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.api.serializers import AsOfQuerySerializer, DistrictQueryField
from registry.dates import today
from registry.models import District, UnitLevel
from registry.reporting import grouping_at
from registry.scoping import kept_units, units_in_scope

UNIT_LEVEL_BY_LENGTH = {3: UnitLevel.DISTRICT.value, 5: UnitLevel.COMMUNE.value}


class ReportingQuerySerializer(AsOfQuerySerializer):
    district = DistrictQueryField(
        queryset=District.objects.all(),
        required=False,
        help_text=_("Only this district (its three-digit code); groups by district."),
    )
    by = serializers.ChoiceField(
        choices=UnitLevel.choices,
        required=False,
        help_text=_(
            "Group by district or by commune (default: districts before 1 July 2025, "
            "communes from then on)."
        ),
    )
    unit = serializers.CharField(
        required=False,
        max_length=5,
        help_text=_("Only this unit: a district's three-digit or a commune's five-digit code."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        by = attrs.get("by")
        unit = attrs.pop("district", None)
        code = attrs.get("unit")
        if unit is not None and code is not None:
            raise serializers.ValidationError(
                {"unit": [_("Give either district or unit, not both.")]}
            )
        if code is not None:
            level = UNIT_LEVEL_BY_LENGTH.get(len(code)) if code.isascii() else None
            unit = None
            if level is not None and code.isdigit():
                unit = kept_units(user, level).filter(code=code).first()
            if unit is None:
                raise serializers.ValidationError(
                    {
                        "unit": [
                            _("There is no unit with the code “{code}” in your scope.").format(
                                code=code.replace("\x00", "")
                            )
                        ]
                    }
                )
        if unit is not None:
            level = UnitLevel.DISTRICT.value if isinstance(unit, District) else unit.level
            if by is not None and by != level:
                raise serializers.ValidationError(
                    {
                        "by": [
                            _(
                                "The unit “{code}” is not of the level by={by}: leave by out "
                                "or give a unit of that level."
                            ).format(code=unit.code, by=by)
                        ]
                    }
                )
            by = level
        grouping = grouping_at(attrs.get("as_of") or today(), by)
        attrs["grouping"] = grouping
        attrs["unit"] = unit
        attrs["units"] = units_in_scope(user, grouping, unit)
        return attrs
