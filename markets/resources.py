"""Spreadsheet columns for markets (districts by code) and market projects (markets by code)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields

from markets.models import Market, MarketProject
from registry.spreadsheets import (
    IntegerWidget,
    RegistryResource,
    ScopedCodeWidget,
    _is_empty,
    commune_code_widget,
    district_code_widget,
    labelled,
)


class MarketResource(RegistryResource):
    template_example = {"code": "CHO-VI-DU", "name": _("Example market")}

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
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class MarketProjectResource(RegistryResource):
    """Projects are identified by their ID (the export's first column): a row with an ID
    updates that project, a row without one adds a project."""

    duplicate_key = ""
    template_example = {"note": _("Renovation of the market hall")}

    id = fields.Field(attribute="id", column_name=_("project ID"), widget=IntegerWidget())
    market = fields.Field(
        attribute="market",
        column_name=_("market code"),
        widget=ScopedCodeWidget(
            Market,
            unknown_message=_("There is no market with code %(code)s."),
            out_of_scope_message=_("Market %(code)s is not in one of the districts you keep."),
        ),
    )
    kind = labelled(MarketProject, "kind")
    budget_vnd = labelled(MarketProject, "budget_vnd")
    capital_source = labelled(MarketProject, "capital_source")
    started_on = labelled(MarketProject, "started_on")
    completed_on = labelled(MarketProject, "completed_on")
    status = labelled(MarketProject, "status")
    note = labelled(MarketProject, "note")

    class Meta:
        model = MarketProject
        fields = [
            "id",
            "market",
            "kind",
            "budget_vnd",
            "capital_source",
            "started_on",
            "completed_on",
            "status",
            "note",
        ]
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def _missing_key_columns(self, row) -> list:
        return []  # without the ID column every row is a new project

    def get_instance(self, instance_loader, row):
        if _is_empty(row.get(self.fields["id"].column_name)):
            return None  # a new project
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        adding = instance._state.adding
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        given = row.get(self.fields["id"].column_name)
        if adding and not _is_empty(given) and "id" not in errors:
            # The same answer for an unknown ID and another district's project.
            errors["id"] = [
                ValidationError(
                    gettext(
                        "There is no market project with ID %(id)s in the districts you keep. "
                        "Leave the ID empty to add a new project."
                    )
                    % {"id": given}
                )
            ]
        if errors:
            raise ValidationError(errors)
