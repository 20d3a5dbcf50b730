"""Spreadsheet columns for markets (districts by code)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from markets.models import Market
from registry.spreadsheets import (
    RegistryResource,
    commune_code_widget,
    district_code_widget,
    labelled,
)


class MarketResource(RegistryResource):
    code = labelled(Market, "code")
    name = labelled(Market, "name")
    district = fields.Field(
        attribute="district", column_name=_("district code"), widget=district_code_widget()
    )
    commune = fields.Field(
        attribute="commune", column_name=_("commune code"), widget=commune_code_widget()
    )
    address = labelled(Market, "address")
    kind = labelled(Market, "kind")
    market_class = labelled(Market, "market_class")
    construction = labelled(Market, "construction")
    capital = labelled(Market, "capital")
    management = labelled(Market, "management")
    business_points = labelled(Market, "business_points")
    area_m2 = labelled(Market, "area_m2")
    year_built = labelled(Market, "year_built")
    status = labelled(Market, "status")
    status_since = labelled(Market, "status_since")

    class Meta:
        model = Market
        fields = [
            "code",
            "name",
            "district",
            "address",
            "kind",
            "market_class",
            "construction",
            "capital",
            "management",
            "business_points",
            "area_m2",
            "year_built",
            "status",
            "status_since",
            "commune",
        ]
        import_id_fields = ["code"]
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True
