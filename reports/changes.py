"""What a report's frozen figures are compared with: the same figures computed now for the
same date, and the records changed since publication that explain the difference.

The records come from the history (django-simple-history) of the clusters, their
inspections, their schedule extensions and the targets: every version saved after the report
was published, newest first, naming the cluster (code and name) it concerns, or for a target
its year and percent (only the targets of the report's year and before can apply to it).
"""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from registry.models import Target
from reports.figures import kpi_figures
from reports.models import PublishedReport

#: At most this many changed records are listed (newest first), per kind of record.
CHANGED_RECORDS_LIMIT = 50

#: The kinds of record whose changes are listed, as the answers name them.
MODELS = {
    "cluster": IndustrialCluster,
    "inspection": WastewaterInspection,
    "schedule_extension": ScheduleExtension,
    "target": Target,
}
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _cluster_column(column: str):
    """``column`` of the history row's cluster: the cluster's now, or its last recorded
    one if the cluster was deleted since."""
    return Coalesce(
        Subquery(IndustrialCluster.objects.filter(pk=OuterRef("cluster_id")).values(column)[:1]),
        Subquery(
            IndustrialCluster.history.filter(id=OuterRef("cluster_id"))
            .order_by("-history_date", "-history_id")
            .values(column)[:1]
        ),
    )


@dataclass(frozen=True)
class ChangedRecord:
    model: str
    code: str
    name: str
    changed_at: object
    changed_by: str | None
    change: str

    @property
    def model_label(self) -> str:
        """The kind of record, in the user's language (the model's name)."""
        return MODELS[self.model]._meta.verbose_name

    def as_dict(self) -> dict:
        return {
            "model": self.model,
            "code": self.code,
            "name": self.name,
            "changed_at": timezone.localtime(self.changed_at).isoformat(),
            "changed_by": self.changed_by,
            "change": self.change,
        }


def changed_records(report: PublishedReport) -> list[ChangedRecord]:
    """The versions of clusters, inspections, schedule extensions and targets saved after
    ``report`` was published, newest first (four queries)."""
    found = []
    for name, model in MODELS.items():
        history = model.history.filter(history_date__gt=report.published_at)
        if model is IndustrialCluster:
            history = history.annotate(cluster_code=F("code"), cluster_name=F("name"))
        elif model is Target:
            # A target is named by its year and percent (as the version saved has them).
            history = history.filter(year__lte=report.year).annotate(
                cluster_code=F("year"), cluster_name=F("percent")
            )
        else:
            history = history.annotate(
                cluster_code=_cluster_column("code"), cluster_name=_cluster_column("name")
            )
        rows = history.order_by("-history_date", "-history_id").values(
            "cluster_code",
            "cluster_name",
            "history_date",
            "history_type",
            "history_user__username",
        )[:CHANGED_RECORDS_LIMIT]
        found.extend(
            ChangedRecord(
                model=name,
                code=str(row["cluster_code"]),
                name=f"{row['cluster_name']:.2f} %" if model is Target else row["cluster_name"],
                changed_at=row["history_date"],
                changed_by=row["history_user__username"],
                change=CHANGE_TYPES.get(row["history_type"], "changed"),
            )
            for row in rows
        )
    found.sort(key=lambda r: r.changed_at, reverse=True)
    return found


def published_kpi(report) -> dict | None:
    """``report``'s published KPI: read alone where the report was loaded without its
    figures (``PublishedReportQuerySet.with_kpi``), else from its ``figures``; None for an
    object that carries none."""
    kpi = getattr(report, "published_kpi", None)
    if kpi is not None:
        return kpi
    figures = getattr(report, "figures", None)
    return figures.get("kpi") if isinstance(figures, dict) else None


def kpi_differs(published: dict, current: dict) -> bool:
    """Whether a report's figures differ from today's: the one rule for the dashboard's
    panel, the KPI endpoint and the report workbook's cover. ``published`` is the report's
    KPI, ``current`` the KPI computed now for its cut-off and grouping over every unit (a
    local account's units are not the report's figures: nothing is compared for them), both
    as the KPI endpoint renders them (``clusters.api.stats.render_kpi``). The whole KPI is
    compared: a target changed since publication changes the figures as a cluster does."""
    return published != current


@dataclass(frozen=True)
class Comparison:
    """A report beside today's recomputation of its KPI for the same date."""

    report: PublishedReport
    published_kpi: dict
    current_kpi: dict
    changed: list[ChangedRecord]

    @property
    def differs(self) -> bool:
        return kpi_differs(self.published_kpi, self.current_kpi)


def compare(report: PublishedReport, current_kpi: dict | None = None) -> Comparison:
    """``report``'s published KPI, the KPI computed now for its cut-off and grouping over
    every unit (``current_kpi`` when the caller has it already) and the changed records."""
    if current_kpi is None:
        current_kpi = kpi_figures(report.cut_off, report.grouping)
    return Comparison(
        report=report,
        published_kpi=published_kpi(report),
        current_kpi=current_kpi,
        changed=changed_records(report),
    )
