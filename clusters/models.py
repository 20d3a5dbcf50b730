"""Industrial clusters (with their centralized wastewater treatment plant) and inspections."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.choices import InspectionResult, WastewaterStandard
from clusters.querysets import ClusterQuerySet
from registry.fields import CODE_REGEX, CodeField, dates_in_order
from registry.models import (
    REFORM_DATE,
    District,
    DistrictRecord,
    VersionedModel,
    commune_field,
    commune_to_check_field,
    commune_warnings,
)

#: Decree 32/2024/NĐ-CP: a cluster covers 10–75 ha. Outside that range is a warning only.
RECOMMENDED_AREA_HA = (Decimal("10"), Decimal("75"))
#: … and a craft-village cluster (cụm công nghiệp làng nghề) 5–75 ha.
RECOMMENDED_CRAFT_VILLAGE_AREA_HA = (Decimal("5"), Decimal("75"))


def occupancy_from_land(leased_ha, industrial_ha) -> Decimal | None:
    """Occupancy (%) from land: 100 × leased ÷ industrial land, rounded half-up to 2
    decimals; None unless both are known and the industrial land is not 0.

    The one home of the occupancy rule: a cluster's ``occupancy_percent_effective`` and the
    report's occupancy of a reporting unit (``clusters.indicators``, over the unit's totals)
    both call it."""
    if leased_ha is None or industrial_ha is None or industrial_ha <= 0:
        return None
    share = Decimal(leased_ha) * 100 / Decimal(industrial_ha)
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class IndustrialCluster(DistrictRecord, VersionedModel):
    """An industrial cluster (cụm công nghiệp), its lifecycle and its treatment plant."""

    DISTRICT_PATH = "district"  # see registry.scoping
    COMMUNE_PATH = "commune"

    code = CodeField(
        _("code"),
        help_text=_("The registry's own stable code: letters, digits and hyphens."),
    )
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("district")
    )
    commune = commune_field("clusters")
    commune_to_check = commune_to_check_field()
    address = models.CharField(_("address / commune"), max_length=255, blank=True)
    area_ha = models.DecimalField(
        _("planned area (ha)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Greater than 0. Decree 32/2024/NĐ-CP sets 10–75 ha; outside is a warning."),
    )
    is_craft_village = models.BooleanField(
        _("craft-village cluster"),
        default=False,
        help_text=_("A cluster of a craft village (làng nghề): 5–75 ha instead of 10–75 ha."),
    )
    decision_no = models.CharField(_("establishment decision number"), max_length=100, blank=True)
    established_on = models.DateField(_("establishment decision date"), null=True, blank=True)
    developer = models.CharField(_("infrastructure developer"), max_length=255, blank=True)
    construction_started_on = models.DateField(_("construction started on"), null=True, blank=True)
    operating_since = models.DateField(_("in operation since"), null=True, blank=True)
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("Removed from the plan, cancelled or merged."),
    )
    occupancy_percent = models.DecimalField(
        _("occupancy rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    tenant_count = models.PositiveIntegerField(_("tenant businesses"), null=True, blank=True)

    # The report's indicators (Circular 14/2024/TT-BCT). Occupancy is derived from the land
    # when both areas are known: see occupancy_percent_effective.
    industrial_land_ha = models.DecimalField(
        _("industrial land (ha)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Not more than the planned area."),
    )
    leased_land_ha = models.DecimalField(
        _("leased industrial land (ha)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Not more than the industrial land."),
    )
    registered_capital_vnd = models.DecimalField(
        _("registered infrastructure capital (VND)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    disbursed_capital_vnd = models.DecimalField(
        _("disbursed infrastructure capital (VND)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("More than the registered capital is a warning, not a refusal."),
    )
    worker_count = models.PositiveIntegerField(_("workers"), null=True, blank=True)

    # The implementation schedule set by the establishment decision (extended by
    # ScheduleExtension decisions); clusters.selectors.construction_overdue reads it.
    planned_construction_start = models.DateField(
        _("planned construction start"),
        null=True,
        blank=True,
        help_text=_("As set by the establishment decision."),
    )
    planned_completion = models.DateField(
        _("planned infrastructure completion"),
        null=True,
        blank=True,
        help_text=_("As set by the establishment decision."),
    )
    infrastructure_completed_on = models.DateField(
        _("infrastructure completed on"), null=True, blank=True
    )

    # The centralized wastewater treatment plant: at most one per cluster, so part of it.
    wwtp_construction_started_on = models.DateField(
        _("treatment plant construction started on"), null=True, blank=True
    )
    wwtp_operating_since = models.DateField(
        _("treatment plant in operation since"), null=True, blank=True
    )
    wwtp_capacity_m3_per_day = models.DecimalField(
        _("treatment plant design capacity (m³/day)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    wwtp_standard = models.CharField(
        _("regulation for the effluent"),
        max_length=20,
        choices=WastewaterStandard.choices,
        blank=True,
    )
    wwtp_automatic_monitoring = models.BooleanField(
        _("automatic continuous monitoring"),
        default=False,
        help_text=_("Required by the 2020 Law on Environmental Protection."),
    )

    history = HistoricalRecords()
    objects = ClusterQuerySet.as_manager()

    class Meta:
        verbose_name = _("industrial cluster")
        verbose_name_plural = _("industrial clusters")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=CODE_REGEX),
                name="cluster_code_alphabet",
                violation_error_message=_(
                    "The code may contain only letters A–Z, digits and single hyphens."
                ),
            ),
            models.CheckConstraint(
                condition=Q(area_ha__gt=0),
                name="cluster_area_positive",
                violation_error_message=_("The planned area must be greater than 0 ha."),
            ),
            models.CheckConstraint(
                condition=Q(occupancy_percent__isnull=True)
                | Q(occupancy_percent__gte=0, occupancy_percent__lte=100),
                name="cluster_occupancy_0_100",
                violation_error_message=_("The occupancy rate must be between 0 and 100 %%."),
            ),
            models.CheckConstraint(
                condition=Q(wwtp_capacity_m3_per_day__isnull=True)
                | Q(wwtp_capacity_m3_per_day__gte=0),
                name="cluster_wwtp_capacity_not_negative",
                violation_error_message=_("The treatment plant capacity cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(wwtp_standard="") | Q(wwtp_standard__in=WastewaterStandard.values),
                name="cluster_wwtp_standard_valid",
                violation_error_message=_("Choose a regulation from the list."),
            ),
            models.CheckConstraint(
                condition=dates_in_order("established_on", "construction_started_on"),
                name="cluster_construction_after_establishment",
                violation_error_message=_(
                    "Construction cannot start before the establishment decision."
                ),
            ),
            models.CheckConstraint(
                condition=dates_in_order("established_on", "operating_since"),
                name="cluster_operation_after_establishment",
                violation_error_message=_(
                    "The cluster cannot go into operation before the establishment decision."
                ),
            ),
            models.CheckConstraint(
                condition=dates_in_order("construction_started_on", "operating_since"),
                name="cluster_operation_after_construction",
                violation_error_message=_(
                    "The cluster cannot go into operation before its construction started."
                ),
            ),
            models.CheckConstraint(
                condition=dates_in_order("established_on", "closed_on"),
                name="cluster_closed_after_establishment",
                violation_error_message=_(
                    "The closing date cannot be before the establishment decision."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(industrial_land_ha__isnull=True) | Q(industrial_land_ha__gte=0))
                & (Q(leased_land_ha__isnull=True) | Q(leased_land_ha__gte=0)),
                name="cluster_land_not_negative",
                violation_error_message=_("Land areas cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(industrial_land_ha__isnull=True)
                | Q(industrial_land_ha__lte=F("area_ha")),
                name="cluster_industrial_land_within_area",
                violation_error_message=_(
                    "The industrial land cannot be more than the planned area."
                ),
            ),
            models.CheckConstraint(
                condition=Q(leased_land_ha__isnull=True)
                | Q(industrial_land_ha__isnull=True)
                | Q(leased_land_ha__lte=F("industrial_land_ha")),
                name="cluster_leased_land_within_industrial_land",
                violation_error_message=_(
                    "The leased land cannot be more than the industrial land."
                ),
            ),
            models.CheckConstraint(
                condition=Q(leased_land_ha__isnull=True) | Q(leased_land_ha__lte=F("area_ha")),
                name="cluster_leased_land_within_area",
                violation_error_message=_("The leased land cannot be more than the planned area."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(registered_capital_vnd__isnull=True) | Q(registered_capital_vnd__gte=0)
                )
                & (Q(disbursed_capital_vnd__isnull=True) | Q(disbursed_capital_vnd__gte=0)),
                name="cluster_capital_not_negative",
                violation_error_message=_("Capital cannot be negative."),
            ),
            models.CheckConstraint(
                condition=dates_in_order("established_on", "planned_construction_start"),
                name="cluster_planned_start_after_establishment",
                violation_error_message=_(
                    "The planned construction start cannot be before the establishment decision."
                ),
            ),
            models.CheckConstraint(
                condition=dates_in_order("planned_construction_start", "planned_completion"),
                name="cluster_planned_completion_after_start",
                violation_error_message=_(
                    "The planned completion cannot be before the planned construction start."
                ),
            ),
            models.CheckConstraint(
                condition=dates_in_order("construction_started_on", "infrastructure_completed_on"),
                name="cluster_infrastructure_completed_after_construction",
                violation_error_message=_(
                    "The infrastructure cannot be completed before its construction started."
                ),
            ),
            models.CheckConstraint(
                condition=dates_in_order("wwtp_construction_started_on", "wwtp_operating_since"),
                name="cluster_wwtp_operation_after_construction",
                violation_error_message=_(
                    "The treatment plant cannot operate before its construction started."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["district", "code"], name="cluster_district_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def needs_commune(self) -> bool:
        """Whether it exists on or after 1 July 2025 (not closed before)."""
        closed_on = self._meta.get_field("closed_on").to_python(self.closed_on)
        return closed_on is None or closed_on >= REFORM_DATE

    @property
    def occupancy_percent_effective(self) -> Decimal | None:
        """Occupancy (%): leased ÷ industrial land when both are known (and the industrial
        land is not 0), rounded half-up to 2 decimals (``occupancy_from_land``); otherwise
        the rate as entered."""
        derived = occupancy_from_land(self.leased_land_ha, self.industrial_land_ha)
        return self.occupancy_percent if derived is None else derived

    @property
    def warnings(self) -> list[str]:
        """Soft rules: things to double-check that are not refused (the records (README))."""
        found = commune_warnings(self)
        craft = self.is_craft_village
        low, high = RECOMMENDED_CRAFT_VILLAGE_AREA_HA if craft else RECOMMENDED_AREA_HA
        if self.area_ha is not None and self.area_ha > 0 and not low <= self.area_ha <= high:
            if craft:
                message = _(
                    "The planned area %(area)s ha is outside the 5–75 ha that Decree "
                    "32/2024/NĐ-CP sets for a craft-village cluster; please check it."
                )
            else:
                message = _(
                    "The planned area %(area)s ha is outside the 10–75 ha that Decree "
                    "32/2024/NĐ-CP sets for a cluster; please check it."
                )
            found.append(message % {"area": self.area_ha})
        if (
            self.registered_capital_vnd is not None
            and self.disbursed_capital_vnd is not None
            and self.disbursed_capital_vnd > self.registered_capital_vnd
        ):
            found.append(
                _(
                    "The disbursed infrastructure capital is more than the registered capital; "
                    "please check it."
                )
            )
        return found


class WastewaterInspection(VersionedModel):
    """Evidence about a cluster's effluent: one sample or inspection and its result."""

    DISTRICT_PATH = "cluster__district"  # see registry.scoping
    COMMUNE_PATH = "cluster__commune"

    cluster = models.ForeignKey(
        IndustrialCluster,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("industrial cluster"),
        # inspection_latest_evidence below starts with the cluster: it serves every lookup
        # by cluster (PostgreSQL never used a separate index on it).
        db_index=False,
    )
    inspected_on = models.DateField(_("sample / inspection date"))
    result = models.CharField(_("result"), max_length=5, choices=InspectionResult.choices)
    standard = models.CharField(
        _("regulation applied"), max_length=20, choices=WastewaterStandard.choices
    )
    agency = models.CharField(_("inspecting agency"), max_length=255, blank=True)
    reference = models.CharField(_("document reference"), max_length=100, blank=True)
    exceeded_parameters = models.CharField(
        _("parameters over the limit"),
        max_length=500,
        blank=True,
        help_text=_("For example: COD, BOD5, TSS, ammonium."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wastewater inspection")
        verbose_name_plural = _("wastewater inspections")
        ordering = ["-inspected_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=InspectionResult.values),
                name="inspection_result_valid",
                violation_error_message=_("The result must be 'meets' or 'fails'."),
            ),
            models.CheckConstraint(
                condition=Q(standard__in=WastewaterStandard.values),
                name="inspection_standard_valid",
                violation_error_message=_("Choose a regulation from the list."),
            ),
        ]
        indexes = [
            # "The latest evidence of a cluster at D" (clusters.querysets.latest_evidence_sql)
            # orders by date (latest first), result ("fails" first), id: the index order, so
            # it is one index-only probe per cluster. Its prefix serves "a cluster's
            # inspections by date" too (the index on cluster and date it replaced).
            models.Index(
                fields=["cluster", "-inspected_on", "result", "-id"],
                name="inspection_latest_evidence",
            ),
        ]

    def __str__(self):
        day = date_format(self.inspected_on, "SHORT_DATE_FORMAT") if self.inspected_on else "—"
        return f"{day} — {self.get_result_display()}"

    @property
    def warnings(self) -> list[str]:
        """Soft rules: an inspection dated before its cluster's establishment decision or
        before its treatment plant operated is kept, but can never count as evidence of the
        wastewater state (the rules: evidence is dated from the plant's operation)."""
        cluster = self.cluster if self.cluster_id else None
        if cluster is None or self.inspected_on is None:
            return []
        params = {"date": date_format(self.inspected_on, "SHORT_DATE_FORMAT")}
        if cluster.established_on and self.inspected_on < cluster.established_on:
            params["since"] = date_format(cluster.established_on, "SHORT_DATE_FORMAT")
            message = _(
                "The inspection of %(date)s is dated before the cluster's establishment "
                "decision (%(since)s): it was saved, but it will not count as evidence of the "
                "wastewater state. Please check the date."
            )
        elif cluster.wwtp_operating_since and self.inspected_on < cluster.wwtp_operating_since:
            params["since"] = date_format(cluster.wwtp_operating_since, "SHORT_DATE_FORMAT")
            message = _(
                "The inspection of %(date)s is dated before the treatment plant began "
                "operating (%(since)s): it was saved, but it will not count as evidence of the "
                "wastewater state. Please check the date."
            )
        else:
            return []
        return [message % params]

    def clean(self):
        super().clean()
        if self.inspected_on and self.inspected_on > timezone.localdate():
            raise ValidationError(
                {"inspected_on": _("The inspection date cannot be in the future.")}
            )


class ScheduleExtension(VersionedModel):
    """A decision of the city extending a cluster's implementation schedule: a new
    construction-start deadline, a new completion deadline, or both."""

    DISTRICT_PATH = "cluster__district"  # see registry.scoping
    COMMUNE_PATH = "cluster__commune"

    cluster = models.ForeignKey(
        IndustrialCluster,
        on_delete=models.PROTECT,
        related_name="schedule_extensions",
        verbose_name=_("industrial cluster"),
        db_index=False,  # extension_cluster_decided below starts with the cluster
    )
    decision_no = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decision date"))
    new_start_deadline = models.DateField(
        _("new construction-start deadline"), null=True, blank=True
    )
    new_completion_deadline = models.DateField(_("new completion deadline"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("schedule extension")
        verbose_name_plural = _("schedule extensions")
        ordering = ["cluster", "-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_start_deadline__isnull=False)
                | Q(new_completion_deadline__isnull=False),
                name="extension_sets_a_deadline",
                violation_error_message=_(
                    "An extension sets a new construction-start deadline, a new completion "
                    "deadline, or both."
                ),
            ),
            models.CheckConstraint(
                condition=dates_in_order("new_start_deadline", "new_completion_deadline"),
                name="extension_completion_after_start",
                violation_error_message=_(
                    "The new completion deadline cannot be before the new construction-start "
                    "deadline."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "decided_on"], name="extension_cluster_decided"),
        ]

    def __str__(self):
        return f"{self.decision_no} ({self.decided_on})"
