"""Published reports (chốt số liệu): a period's figures frozen at its cut-off.

A report never changes after publication: ``save`` refuses an update and ``delete`` refuses
always (and the database refuses an UPDATE by a trigger, migration 0002). A correction is a
new publication of the same period that ``supersedes`` the current one, with a ``note`` saying
why; both stay readable. The database keeps one current publication per period and year: a
period has one first publication (``supersedes`` empty) and a report is superseded at most
once (``supersedes`` is unique), so the publications of a period form one chain whose last
link is the current one.

Publish through ``reports.services.publish``.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import UnitLevel
from registry.reporting import GROUPINGS
from reports.periods import CUT_OFF_DAY, FIRST_YEAR, LAST_YEAR, Period


class ReportImmutableError(Exception):
    """A published report was asked to change or to go."""


class PublishedReportQuerySet(models.QuerySet):
    def current(self):
        """The publications not superseded by a later one."""
        return self.filter(superseded_by__isnull=True)

    def with_people(self):
        """With who published, and the reports this one supersedes or is superseded by —
        those without their ``figures`` (every cluster's row), which nothing reads there."""
        return self.select_related("published_by", "supersedes", "superseded_by").defer(
            "supersedes__figures", "superseded_by__figures"
        )

    def with_successor(self):
        """Each report with the id of the publication that superseded it (``successor_id``;
        None for a current one), read in the same query."""
        return self.annotate(annotated_successor_id=models.F("superseded_by__id"))

    def with_kpi(self):
        """The reports with their KPI only (``published_kpi``): ``figures`` also holds every
        cluster's row and the overdue lists (10,000 rows at national scale), which the KPI
        endpoint, the dashboard's panel and the open data do not read."""
        return self.defer("figures").annotate(published_kpi=KeyTransform("kpi", "figures"))


def _cut_off_matches_period():
    return Q(
        *[
            Q(period=period, cut_off__month=month, cut_off__day=day)
            for period, (month, day) in CUT_OFF_DAY.items()
        ],
        _connector=Q.OR,
    ) & Q(cut_off__year=models.F("year"))


class PublishedReport(models.Model):
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    cut_off = models.DateField(_("cut-off date"), editable=False)
    grouping = models.CharField(
        _("grouping"),
        max_length=10,
        choices=UnitLevel.choices,
        help_text=_("The level the units are of: the reporting level at the cut-off."),
    )
    published_at = models.DateTimeField(_("published at"), editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="published_reports",
        verbose_name=_("published by"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    note = models.TextField(
        _("reason for the correction"),
        blank=True,
        help_text=_("Required when the publication corrects (supersedes) an earlier one."),
    )
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder, editable=False)

    # Who published what and when (the figures themselves are frozen in the row).
    history = HistoricalRecords(excluded_fields=["figures"])
    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["-cut_off", "-published_at", "-pk"]
        permissions = [("publish_report", _("Can publish a period's figures"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__in=Period.values), name="report_period_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="report_year_range"
            ),
            models.CheckConstraint(
                condition=Q(grouping__in=GROUPINGS), name="report_grouping_valid"
            ),
            models.CheckConstraint(
                condition=_cut_off_matches_period(), name="report_cut_off_of_period"
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(note=""),
                name="report_correction_has_note",
            ),
            # One first publication per period; with supersedes unique, one current one.
            models.UniqueConstraint(
                fields=["period", "year"],
                condition=Q(supersedes__isnull=True),
                name="report_one_first_publication",
            ),
        ]

    def __str__(self):
        return f"{self.get_period_display()} {self.year} ({self.cut_off:%d/%m/%Y}, #{self.pk})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReportImmutableError("A published report never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReportImmutableError("A published report is never deleted.")

    @property
    def successor(self) -> "PublishedReport | None":
        """The publication that superseded this one, if any."""
        try:
            return self.superseded_by
        except PublishedReport.DoesNotExist:
            return None

    @property
    def successor_id(self) -> int | None:
        """The id of the publication that superseded this one (None while it is current):
        from ``with_successor()``'s annotation when the report was read with it."""
        if "annotated_successor_id" in self.__dict__:
            return self.annotated_successor_id
        successor = self.successor
        return None if successor is None else successor.pk

    @property
    def is_current(self) -> bool:
        return self.successor_id is None
