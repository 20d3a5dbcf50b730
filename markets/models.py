"""City markets (chợ) and their construction / renovation projects."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from markets.choices import (
    Capital,
    Construction,
    Management,
    MarketClass,
    MarketKind,
    MarketStatus,
    ProjectCapital,
    ProjectKind,
    ProjectStatus,
)
from markets.querysets import MarketProjectQuerySet, MarketQuerySet
from registry.fields import CODE_REGEX, CodeField, choice_in, dates_in_order
from registry.models import (
    REFORM_DATE,
    District,
    DistrictRecord,
    VersionedModel,
    commune_field,
    commune_to_check_field,
    commune_warnings,
)

#: What a choice constraint says when a value outside its list reaches it.
NOT_IN_LIST = _("Choose a value from the list.")


class Market(DistrictRecord, VersionedModel):
    """A market of the city's market system."""

    DISTRICT_PATH = "district"  # see registry.scoping
    COMMUNE_PATH = "commune"

    code = CodeField(_("code"), help_text=_("The registry's own stable code."))
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="markets", verbose_name=_("district")
    )
    commune = commune_field("markets")
    commune_to_check = commune_to_check_field()
    address = models.CharField(_("address / ward"), max_length=255, blank=True)
    kind = models.CharField(
        _("business method"), max_length=20, choices=MarketKind.choices, default=MarketKind.PEOPLES
    )
    market_class = models.CharField(
        _("class"),
        max_length=1,
        choices=MarketClass.choices,
        null=True,
        blank=True,
        help_text=_("As decided by the authority; empty while not yet classified."),
    )
    construction = models.CharField(_("construction"), max_length=20, choices=Construction.choices)
    capital = models.CharField(_("capital"), max_length=20, choices=Capital.choices)
    management = models.CharField(
        _("management"), max_length=20, choices=Management.choices, blank=True
    )
    business_points = models.PositiveIntegerField(_("business points (stalls)"), default=0)
    area_m2 = models.DecimalField(
        _("land area (m²)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MarketStatus.choices, default=MarketStatus.OPERATING
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MarketQuerySet.as_manager()

    class Meta:
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=CODE_REGEX),
                name="market_code_alphabet",
                violation_error_message=_(
                    "The code may contain only letters A–Z, digits and single hyphens."
                ),
            ),
            models.CheckConstraint(
                condition=Q(area_m2__gt=0),
                name="market_area_positive",
                violation_error_message=_("The land area must be greater than 0 m²."),
            ),
            models.CheckConstraint(
                condition=Q(year_built__isnull=True)
                | Q(year_built__gte=1800, year_built__lte=2100),
                name="market_year_built_range",
                violation_error_message=_("The year built must be between 1800 and 2100."),
            ),
            models.CheckConstraint(
                condition=choice_in("kind", MarketKind),
                name="market_kind_valid",
                violation_error_message=NOT_IN_LIST,
            ),
            models.CheckConstraint(
                condition=choice_in("market_class", MarketClass, null=True),
                name="market_class_valid",
                violation_error_message=NOT_IN_LIST,
            ),
            models.CheckConstraint(
                condition=choice_in("construction", Construction),
                name="market_construction_valid",
                violation_error_message=NOT_IN_LIST,
            ),
            models.CheckConstraint(
                condition=choice_in("capital", Capital),
                name="market_capital_valid",
                violation_error_message=NOT_IN_LIST,
            ),
            models.CheckConstraint(
                condition=choice_in("management", Management, blank=True),
                name="market_management_valid",
                violation_error_message=NOT_IN_LIST,
            ),
            models.CheckConstraint(
                condition=choice_in("status", MarketStatus),
                name="market_status_valid",
                violation_error_message=NOT_IN_LIST,
            ),
        ]
        indexes = [models.Index(fields=["district", "code"], name="market_district_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def needs_commune(self) -> bool:
        """Whether it exists on or after 1 July 2025 (not closed before)."""
        since = self._meta.get_field("status_since").to_python(self.status_since)
        return not (
            self.status == MarketStatus.CLOSED and since is not None and since < REFORM_DATE
        )

    @property
    def warnings(self) -> list[str]:
        """Soft rules: things to double-check that are not refused."""
        return commune_warnings(self)

    def clean(self):
        super().clean()
        # "Not yet classified" is stored as null; an empty string from a form or the API
        # means the same.
        if self.market_class == "":
            self.market_class = None


class MarketProject(VersionedModel):
    """New construction, renovation, upgrade or relocation of a market."""

    DISTRICT_PATH = "market__district"  # see registry.scoping
    COMMUNE_PATH = "market__commune"

    market = models.ForeignKey(
        Market, on_delete=models.PROTECT, related_name="projects", verbose_name=_("market")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    budget_vnd = models.DecimalField(
        _("budget (VND)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capital_source = models.CharField(
        _("capital source"), max_length=20, choices=ProjectCapital.choices
    )
    started_on = models.DateField(_("start date"), null=True, blank=True)
    completed_on = models.DateField(_("completion date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    note = models.TextField(_("note"), blank=True)

    objects = MarketProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("market project")
        verbose_name_plural = _("market projects")
        ordering = ["market", "-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_vnd__isnull=True) | Q(budget_vnd__gte=0),
                name="market_project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=dates_in_order("started_on", "completed_on"),
                name="market_project_completed_after_start",
                violation_error_message=_("The completion date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=choice_in("kind", ProjectKind),
                name="market_project_kind_valid",
                violation_error_message=NOT_IN_LIST,
            ),
            models.CheckConstraint(
                condition=choice_in("capital_source", ProjectCapital),
                name="market_project_capital_valid",
                violation_error_message=NOT_IN_LIST,
            ),
            models.CheckConstraint(
                condition=choice_in("status", ProjectStatus),
                name="market_project_status_valid",
                violation_error_message=NOT_IN_LIST,
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.market_id}"
