"""Spreadsheet columns for clusters and inspections (districts and clusters by code)."""

import datetime

from django.utils.translation import gettext_lazy as _
from import_export import fields

from clusters.choices import ClusterStatus, WastewaterState
from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from registry.spreadsheets import (
    ChoiceWidget,
    RegistryResource,
    ScopedCodeWidget,
    commune_code_widget,
    district_code_widget,
    labelled,
)

CLUSTER_COLUMNS = [
    "code",
    "name",
    "address",
    "area_ha",
    "decision_no",
    "established_on",
    "developer",
    "construction_started_on",
    "operating_since",
    "closed_on",
    "occupancy_percent",
    "tenant_count",
    "industrial_land_ha",
    "leased_land_ha",
    "registered_capital_vnd",
    "disbursed_capital_vnd",
    "worker_count",
    "planned_construction_start",
    "planned_completion",
    "infrastructure_completed_on",
    "wwtp_construction_started_on",
    "wwtp_operating_since",
    "wwtp_capacity_m3_per_day",
    "wwtp_standard",
    "wwtp_automatic_monitoring",
]


class ClusterResource(RegistryResource):
    template_example = {
        "code": "CCN-VI-DU",
        "name": _("Example industrial cluster"),
        "established_on": datetime.date(2024, 1, 15),
    }

    code = labelled(IndustrialCluster, "code")
    name = labelled(IndustrialCluster, "name")
    district = fields.Field(
        attribute="district", column_name=_("district code"), widget=district_code_widget()
    )
    commune = fields.Field(
        attribute="commune", column_name=_("commune code"), widget=commune_code_widget()
    )
    address = labelled(IndustrialCluster, "address")
    area_ha = labelled(IndustrialCluster, "area_ha")
    is_craft_village = labelled(IndustrialCluster, "is_craft_village")
    decision_no = labelled(IndustrialCluster, "decision_no")
    established_on = labelled(IndustrialCluster, "established_on")
    developer = labelled(IndustrialCluster, "developer")
    construction_started_on = labelled(IndustrialCluster, "construction_started_on")
    operating_since = labelled(IndustrialCluster, "operating_since")
    closed_on = labelled(IndustrialCluster, "closed_on")
    occupancy_percent = labelled(IndustrialCluster, "occupancy_percent")
    tenant_count = labelled(IndustrialCluster, "tenant_count")
    industrial_land_ha = labelled(IndustrialCluster, "industrial_land_ha")
    leased_land_ha = labelled(IndustrialCluster, "leased_land_ha")
    registered_capital_vnd = labelled(IndustrialCluster, "registered_capital_vnd")
    disbursed_capital_vnd = labelled(IndustrialCluster, "disbursed_capital_vnd")
    worker_count = labelled(IndustrialCluster, "worker_count")
    planned_construction_start = labelled(IndustrialCluster, "planned_construction_start")
    planned_completion = labelled(IndustrialCluster, "planned_completion")
    infrastructure_completed_on = labelled(IndustrialCluster, "infrastructure_completed_on")
    wwtp_construction_started_on = labelled(IndustrialCluster, "wwtp_construction_started_on")
    wwtp_operating_since = labelled(IndustrialCluster, "wwtp_operating_since")
    wwtp_capacity_m3_per_day = labelled(IndustrialCluster, "wwtp_capacity_m3_per_day")
    wwtp_standard = labelled(IndustrialCluster, "wwtp_standard")
    wwtp_automatic_monitoring = labelled(IndustrialCluster, "wwtp_automatic_monitoring")
    # Derived from the land areas (exported only; ignored on import).
    occupancy_percent_effective = fields.Field(
        attribute="occupancy_percent_effective",
        column_name=_("occupancy used in reports (%)"),
        readonly=True,
    )
    # Computed today by the core annotations (exported only; ignored on import).
    status = fields.Field(
        attribute="status",
        column_name=_("status today"),
        readonly=True,
        widget=ChoiceWidget(ClusterStatus.choices),
    )
    wastewater_state = fields.Field(
        attribute="wastewater_state",
        column_name=_("wastewater state today"),
        readonly=True,
        widget=ChoiceWidget(WastewaterState.choices),
    )

    class Meta:
        model = IndustrialCluster
        fields = [
            "code",
            "name",
            "district",
            *CLUSTER_COLUMNS[2:],
            "occupancy_percent_effective",
            "status",
            "wastewater_state",
            "commune",
            "is_craft_village",
        ]
        import_id_fields = ["code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def export_field(self, field, instance, **kwargs):
        if field.attribute in ("status", "wastewater_state") and not hasattr(
            instance, field.attribute
        ):
            return ""
        return super().export_field(field, instance, **kwargs)


def cluster_code_widget() -> ScopedCodeWidget:
    """A cluster given by its code, one of the importing user's. Another district's cluster
    reads as unknown: a row must not tell whether a code exists outside the user's districts
    (districts are public reference data)."""
    unknown = _("There is no industrial cluster with code %(code)s.")
    return ScopedCodeWidget(
        IndustrialCluster, unknown_message=unknown, out_of_scope_message=unknown
    )


class InspectionResource(RegistryResource):
    duplicate_key = ""  # one cluster may have several inspections on a date
    template_example = {"inspected_on": datetime.date(2024, 1, 15), "reference": "KQ-01/2024"}

    cluster = fields.Field(
        attribute="cluster",
        column_name=_("cluster code"),
        widget=cluster_code_widget(),
    )
    inspected_on = labelled(WastewaterInspection, "inspected_on")
    result = labelled(WastewaterInspection, "result")
    standard = labelled(WastewaterInspection, "standard")
    agency = labelled(WastewaterInspection, "agency")
    reference = labelled(WastewaterInspection, "reference")
    exceeded_parameters = labelled(WastewaterInspection, "exceeded_parameters")
    note = labelled(WastewaterInspection, "note")

    class Meta:
        model = WastewaterInspection
        fields = [
            "cluster",
            "inspected_on",
            "result",
            "standard",
            "agency",
            "reference",
            "exceeded_parameters",
            "note",
        ]
        # The same cluster, date and document is the same inspection: re-importing a file
        # updates it instead of recording it twice.
        import_id_fields = ["cluster", "inspected_on", "reference"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class ScheduleExtensionResource(RegistryResource):
    duplicate_key = ""  # the import key below identifies an extension

    cluster = fields.Field(
        attribute="cluster",
        column_name=_("cluster code"),
        widget=cluster_code_widget(),
    )
    decision_no = labelled(ScheduleExtension, "decision_no")
    decided_on = labelled(ScheduleExtension, "decided_on")
    new_start_deadline = labelled(ScheduleExtension, "new_start_deadline")
    new_completion_deadline = labelled(ScheduleExtension, "new_completion_deadline")
    note = labelled(ScheduleExtension, "note")

    class Meta:
        model = ScheduleExtension
        fields = [
            "cluster",
            "decision_no",
            "decided_on",
            "new_start_deadline",
            "new_completion_deadline",
            "note",
        ]
        # The same cluster and decision is the same extension: re-importing updates it.
        import_id_fields = ["cluster", "decision_no"]
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True
