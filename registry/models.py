"""The registry's shared records: districts, staff district assignments, yearly targets."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.validation import ConstraintsInPythonMixin


class DistrictKind(models.TextChoices):
    URBAN = "urban", _("Urban district (quận)")
    RURAL = "rural", _("Rural district (huyện)")
    TOWN = "town", _("Town (thị xã)")


class District(ConstraintsInPythonMixin, models.Model):
    """A district-level unit of Hanoi, with its official statistical code."""

    DISTRICT_PATH = ""  # see registry.scoping

    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{3}$", _("A district code is exactly three digits."))],
        help_text=_("Official statistical code, three digits (001 Ba Đình … 282 Mỹ Đức)."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=DistrictKind.choices)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive units keep their records but are no longer offered for new ones."),
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]
        permissions = [("access_all_districts", _("Can see and edit every district's records"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{3}$"), name="district_code_three_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DistrictKind.values), name="district_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class DistrictRecord(models.Model):
    """A record kept in a district (a ``district`` foreign key) that remembers the district
    it was loaded with, for ``validate_district_takes``."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if hasattr(self, "commune_to_check"):
            # On the review list while it needs a commune and has none.
            self.commune_to_check = self.commune_id is None and self.needs_commune
        super().save(*args, **kwargs)
        self._loaded_district_id = self.district_id

    def clean(self):
        super().clean()
        validate_district_takes(self)
        if hasattr(self, "commune_id"):
            commune_from_address(self)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_district_id = instance.__dict__.get("district_id")
        return instance

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using=using, fields=fields, **kwargs)
        if fields is None or "district" in fields or "district_id" in fields:
            self._loaded_district_id = self.__dict__.get("district_id")


def validate_district_takes(record) -> None:
    """Inactive districts keep their records but take no new ones: ``record`` (a model with a
    ``district`` foreign key) may be in an inactive district only if it already was there.
    Called by ``DistrictRecord.clean()``, so the admin, the API and imports all apply it."""
    if record.district_id is None or record.district.active:
        return
    if not record._state.adding:
        stored = getattr(record, "_loaded_district_id", None)
        if stored is None:  # not loaded from the database (or loaded without its district)
            stored = (
                type(record)
                ._base_manager.filter(pk=record.pk)
                .values_list("district_id", flat=True)
                .first()
            )
        if stored == record.district_id:
            return
    raise ValidationError(
        {
            "district": _(
                "District %(district)s is inactive: records cannot be added or moved to it."
            )
            % {"district": record.district}
        }
    )


class DistrictAssignment(models.Model):
    """Gives a staff account the districts whose records it keeps."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="district_assignments",
        verbose_name=_("user"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="staff_assignments",
        verbose_name=_("district"),
    )

    class Meta:
        verbose_name = _("district assignment")
        verbose_name_plural = _("district assignments")
        ordering = ["user", "district"]
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="district_assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.district}"


class Target(ConstraintsInPythonMixin, models.Model):
    """The yearly target for the share of operating clusters with compliant wastewater."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    percent = models.DecimalField(
        _("target (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of operating clusters whose wastewater meets the regulation, 0–100."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100), name="target_percent_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="target_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.percent} %"


class ThrottleWindow(models.Model):
    """How many API requests one client (a token, an account or an address) made in the
    current rate window and in the one before: the API throttle's counts
    (``registry.api.throttling``), kept in the database so every app process shares them.
    One row per client, updated by one statement per request."""

    key = models.CharField(max_length=200, primary_key=True)
    window_index = models.BigIntegerField()
    previous = models.PositiveIntegerField(default=0)
    current = models.PositiveIntegerField(default=0)
    #: Unix time after which the row no longer counts (pruned now and then).
    expires_at = models.BigIntegerField(db_index=True)

    def __str__(self):
        return self.key


class StaleVersionError(Exception):
    """The record was changed by someone else since the caller read it."""

    def __init__(self, current_version):
        super().__init__(f"record changed meanwhile (now at version {current_version})")
        self.current_version = current_version


class VersionedModel(ConstraintsInPythonMixin, models.Model):
    """A record with a version number, bumped on every save, for optimistic locking.

    The admin's "no lost edits" check and the API's ETag / If-Match both use this number.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def _lock_if_unchanged(self, expected_version) -> int:
        """Lock the stored row and return its version; StaleVersionError unless it is still
        ``expected_version``. Call inside a transaction (SELECT … FOR UPDATE on PostgreSQL;
        SQLite serialises writers), so two concurrent writes cannot both win."""
        current = (
            type(self)
            ._default_manager.select_for_update()
            .filter(pk=self.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None or int(expected_version) != current:
            raise StaleVersionError(current)
        return current

    def save_if_unchanged(self, expected_version, **kwargs):
        """Save only if the stored version is still ``expected_version``."""
        with transaction.atomic():
            self.version = self._lock_if_unchanged(expected_version)
            self.save(**kwargs)

    def save_fields(self, fields, expected_version=None, check=None):
        """Write only ``fields`` (field names) of this record, keeping every other field as
        it is stored now; the version still moves on by one.

        Two writers that changed different fields of the same record both keep their change:
        under the row's lock the other fields are read again from the database (so the saved
        record, its history row and ``check`` see the current values, not the ones this copy
        was loaded with) and ``UPDATE`` names only ``fields``, the version and the time.
        ``expected_version`` (If-Match) refuses the write with StaleVersionError when the
        stored version is another; ``check(record)``, called under the lock on the merged
        record, may refuse it by raising.
        """
        names = set(fields)
        with transaction.atomic():
            current = (
                type(self)
                ._default_manager.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is None or (
                expected_version is not None and int(expected_version) != current
            ):
                raise StaleVersionError(current)
            others = [
                field.attname
                for field in self._meta.concrete_fields
                if field.name not in names and not field.primary_key
            ]
            if others:
                self.refresh_from_db(fields=others)
            self.version = current
            if check is not None:
                check(self)
            self.save(update_fields=[*names, "version", "updated_at"])

    def delete_if_unchanged(self, expected_version, **kwargs):
        """Delete only if the stored version is still ``expected_version``."""
        with transaction.atomic():
            self._lock_if_unchanged(expected_version)
            return self.delete(**kwargs)


#: The day Hanoi's 30 districts gave way to its 126 commune-level units (Law 72/2025/QH15,
#: Resolution 1656/NQ-UBTVQH15): the first day of the commune map.
REFORM_DATE = datetime.date(2025, 7, 1)


class UnitLevel(models.TextChoices):
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class UnitKind(models.TextChoices):
    URBAN = "urban", _("Urban district (quận)")
    RURAL = "rural", _("Rural district (huyện)")
    TOWN = "town", _("Town (thị xã)")
    WARD = "ward", _("Ward (phường)")
    COMMUNE = "commune", _("Commune (xã)")


class AdministrativeUnit(models.Model):
    """A district-level or commune-level unit of Hanoi, valid for a span of dates
    (reference data, loaded by data migrations). A district-level unit is linked to the
    ``District`` row the registry's records have always used."""

    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    code = models.CharField(
        _("code"),
        max_length=5,
        unique=True,
        help_text=_("Official code: three digits for a district, five for a commune."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    district = models.OneToOneField(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="unit",
        verbose_name=_("district"),
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="district", code__regex=r"^[0-9]{3}$")
                | models.Q(level="commune", code__regex=r"^[0-9]{5}$"),
                name="unit_code_matches_level",
            ),
            models.CheckConstraint(
                condition=models.Q(level="district", kind__in=["urban", "rural", "town"])
                | models.Q(level="commune", kind__in=["ward", "commune"]),
                name="unit_kind_matches_level",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
                name="unit_valid_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(district__isnull=True) | models.Q(level="district"),
                name="unit_district_link_only_for_districts",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccession(models.Model):
    """From the official conversion: ``successor`` took territory from ``predecessor``,
    the whole of it or a part."""

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="successions",
        verbose_name=_("former unit"),
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="predecessions",
        verbose_name=_("successor unit"),
    )
    whole = models.BooleanField(_("whole territory"), default=False)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        ordering = ["predecessor", "successor"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="unit_succession_not_itself",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class UnitAssignment(models.Model):
    """Gives a local-staff account a commune-level (or, for history, a district-level) unit
    whose records it keeps. District-level units are granted with ``DistrictAssignment``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_assignments",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="staff_assignments",
        verbose_name=_("administrative unit"),
        limit_choices_to={"level": "commune"},
    )

    class Meta:
        verbose_name = _("commune assignment")
        verbose_name_plural = _("commune assignments")
        ordering = ["user", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="unit_assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.unit}"


def commune_field(related_name: str):
    """The commune-level unit a cluster or market lies in since 1 July 2025."""
    return models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        limit_choices_to={"level": UnitLevel.COMMUNE},
        verbose_name=_("commune"),
        help_text=_(
            "The commune or ward it lies in since 1 July 2025 (five-digit code); required "
            "for a record that exists on or after that day."
        ),
    )


def commune_to_check_field():
    """Set while a record that exists on or after 1 July 2025 has no commune: when the
    data migration could not settle it from the old address (the former commune was split,
    or the address names none), or when it was saved without one. The admin's review list
    ("check the commune")."""
    return models.BooleanField(
        _("commune to check"),
        default=False,
        help_text=_(
            "Set while the record has no commune (it could not be settled from the old "
            "address); choosing the commune takes the record off the review list."
        ),
    )


def commune_warnings(record) -> list[str]:
    """The commune rule for a record (``needs_commune``: it exists on or after 1 July
    2025) that has none: reported, as the records loaded before the reform have none until
    someone settles them (they are on the review list meanwhile)."""
    converted = commune_conversion_warning(record)
    if converted:
        return [converted]
    if record.commune_id is None and record.needs_commune:
        return [
            _(
                "It exists on or after 1 July 2025 but has no commune: choose the commune or "
                "ward it lies in."
            )
        ]
    return []


def commune_from_address(record) -> None:
    """A record that needs a commune and was given none, but whose address names a former
    commune of its district taken whole by one new commune (the official conversion), gets
    that commune; ``record.commune_converted_from`` then names the former commune, for the
    warning the admin shows. A former commune that was split is never guessed."""
    if record.commune_id is not None or not record.needs_commune:
        return
    if record.district_id is None or not record.address:
        return
    from registry.units import convert_former_address

    conversion = convert_former_address(record.address, record.district.code)
    if conversion.settled:
        record.commune = AdministrativeUnit.objects.get(
            level=UnitLevel.COMMUNE, code=conversion.commune
        )
        record.commune_converted_from = conversion.former


def commune_conversion_warning(record) -> str | None:
    former = getattr(record, "commune_converted_from", None)
    if not former:
        return None
    return _(
        "The commune was set to %(commune)s from the old address (%(former)s, "
        "%(district)s) through the official conversion; please check it."
    ) % {"commune": record.commune, "former": former, "district": record.district}


# API tokens with hashed keys live in their own module; importing it here registers the model.
from registry.pending_imports import PendingImport  # noqa: E402, F401 - a model of this app
from registry.tokens import ApiToken  # noqa: E402, F401
