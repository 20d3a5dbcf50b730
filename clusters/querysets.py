"""The dated rules of DESIGN.md section 4 for clusters, as queryset annotations.

Each rule is written once here and evaluated by the database, so lists, filters, ordering,
the KPI, the API and the dashboard all use the same expressions with no query per row.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from clusters.choices import ClusterStatus, InspectionResult, WastewaterState


def evidence_window_days() -> int:
    return settings.REGISTRY["EVIDENCE_WINDOW_DAYS"]


def days_before(day: datetime.date, days: int) -> datetime.date:
    """``day`` − ``days``, clamped to the earliest representable date (no overflow)."""
    if day.toordinal() - days < datetime.date.min.toordinal():
        return datetime.date.min
    return day - datetime.timedelta(days=days)


def status_expression(as_of: datetime.date) -> Case:
    """Cluster status at ``as_of``: the first stage whose date is on or before it."""
    return Case(
        When(closed_on__lte=as_of, then=Value(ClusterStatus.CLOSED.value)),
        When(operating_since__lte=as_of, then=Value(ClusterStatus.OPERATING.value)),
        When(
            construction_started_on__lte=as_of,
            then=Value(ClusterStatus.UNDER_CONSTRUCTION.value),
        ),
        When(established_on__lte=as_of, then=Value(ClusterStatus.ESTABLISHED.value)),
        default=Value(ClusterStatus.PLANNED.value),
        output_field=models.CharField(),
    )


class ClusterQuerySet(models.QuerySet):
    def with_status(self, as_of: datetime.date):
        """Annotate ``status``: the cluster's lifecycle status at ``as_of``."""
        return self.annotate(status=status_expression(as_of))

    def operating_at(self, as_of: datetime.date):
        """Clusters in operation at ``as_of`` (the KPI's denominator)."""
        return self.with_status(as_of).filter(status=ClusterStatus.OPERATING)

    def with_latest_inspection(self, as_of: datetime.date):
        """Annotate the latest inspection that counts as evidence at ``as_of``.

        Evidence is an inspection dated from the treatment plant's start of operation up to
        ``as_of``; of several on the latest date, a ``fails`` wins. Annotates
        ``latest_inspected_on``, ``latest_result`` and ``latest_standard`` (null when none).
        """
        evidence = latest_evidence(as_of)
        return self.annotate(
            latest_inspected_on=Subquery(evidence.values("inspected_on")[:1]),
            latest_result=Subquery(evidence.values("result")[:1]),
            latest_standard=Subquery(evidence.values("standard")[:1]),
        )

    def with_wastewater_state(self, as_of: datetime.date):
        """Annotate ``status``, the latest evidence and ``wastewater_state`` at ``as_of``.

        The first that holds: not operating; no treatment plant in operation; no evidence;
        evidence older than the window (inspected before ``as_of`` − window days); failed;
        compliant.
        """
        stale_before = days_before(as_of, evidence_window_days())
        # Rules 4–6 are read off the latest evidence inside ONE subquery (an index-only
        # probe per cluster), and rule 3 is its absence: the KPI and the state filters cost
        # one probe per cluster instead of one per reference to a latest_* annotation.
        evidence_state = Subquery(
            latest_evidence(as_of)
            .annotate(
                state=Case(
                    When(
                        inspected_on__lt=stale_before,
                        then=Value(WastewaterState.STALE_EVIDENCE.value),
                    ),
                    When(
                        result=InspectionResult.FAILS,
                        then=Value(WastewaterState.FAILED.value),
                    ),
                    default=Value(WastewaterState.COMPLIANT.value),
                    output_field=models.CharField(),
                )
            )
            .values("state")[:1]
        )
        return (
            self.with_status(as_of)
            .with_latest_inspection(as_of)
            .annotate(
                wastewater_state=Case(
                    When(
                        ~Q(status=ClusterStatus.OPERATING),
                        then=Value(WastewaterState.NOT_OPERATING.value),
                    ),
                    When(
                        Q(wwtp_operating_since__isnull=True) | Q(wwtp_operating_since__gt=as_of),
                        then=Value(WastewaterState.NO_TREATMENT_PLANT.value),
                    ),
                    default=Coalesce(
                        evidence_state,
                        Value(WastewaterState.NO_EVIDENCE.value),
                        output_field=models.CharField(),
                    ),
                    output_field=models.CharField(),
                )
            )
        )


def latest_evidence(as_of: datetime.date) -> models.QuerySet:
    """The inspections of the outer cluster that count as evidence at ``as_of``, latest
    first: dated from its treatment plant's start of operation up to ``as_of``; of several
    on the latest date, a ``fails`` wins.

    "fails" sorts before "meets" (the only two results the database accepts, see
    ``inspection_result_valid``), so ordering by ``result`` puts a fails first; unlike a
    CASE, the index ``inspection_latest_evidence`` (cluster, inspected_on DESC, result,
    id DESC) then serves the order and the first row is one index-only probe.
    """
    inspection_model = apps.get_model("clusters", "WastewaterInspection")
    return inspection_model.objects.filter(
        cluster=OuterRef("pk"),
        inspected_on__gte=OuterRef("wwtp_operating_since"),
        inspected_on__lte=as_of,
    ).order_by("-inspected_on", "result", "-pk")
