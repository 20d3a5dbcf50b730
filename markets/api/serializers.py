"""Serializers of the markets API (the API contract (README))."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from markets.models import Market
from registry.api.serializers import CodeRelatedField, ModelCleanSerializer, commune_code_field
from registry.models import District


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A market of the demo data",
            value={
                "code": "CHO-BAT-TRANG",
                "name": "Chợ gốm Bát Tràng",
                "district": "018",
                "district_name": "Gia Lâm",
                "address": "Xã Bát Tràng",
                "market_class": None,
                "kind": "heritage",
                "construction": "permanent",
                "capital": "non_budget",
                "management": "cooperative",
                "business_points": 240,
                "area_m2": "5000.00",
                "year_built": 2004,
                "status": "operating",
                "status_since": "2004-01-01",
                "class_matches_criteria": None,
                "updated_at": "2025-10-20T14:02:11.204518+07:00",
                "commune": "00577",
                "commune_name": "Xã Bát Tràng",
            },
            response_only=True,
        )
    ]
)
class MarketSerializer(ModelCleanSerializer):
    district = CodeRelatedField(
        queryset=District.objects.all(), help_text=_("The district's three-digit code.")
    )
    district_name = serializers.CharField(source="district.name", read_only=True)
    commune = commune_code_field()
    commune_name = serializers.CharField(source="commune.name", read_only=True, allow_null=True)
    class_matches_criteria = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Whether the recorded class agrees with the market's own figures (Decree "
            "60/2024/NĐ-CP); null while not yet classified. A mismatch is a flag, not an error."
        ),
    )

    class Meta:
        model = Market
        fields = [
            "code",
            "name",
            "district",
            "district_name",
            "address",
            "market_class",
            "kind",
            "construction",
            "capital",
            "management",
            "business_points",
            "area_m2",
            "year_built",
            "status",
            "status_since",
            "class_matches_criteria",
            "updated_at",
            "commune",
            "commune_name",
        ]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"market_class": {"allow_blank": False}}
