"""The dated rules of DESIGN.md section 4 for clusters, as queryset annotations.

Each rule is written once here and evaluated by the database, so lists, filters, ordering,
the KPI, the API and the dashboard all use the same expressions with no query per row.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When

from clusters.choices import ClusterStatus, InspectionResult, WastewaterState


def evidence_window_days() -> int:
    return settings.REGISTRY["EVIDENCE_WINDOW_DAYS"]


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
        inspection_model = apps.get_model("clusters", "WastewaterInspection")
        evidence = (
            inspection_model.objects.filter(
                cluster=OuterRef("pk"),
                inspected_on__gte=OuterRef("wwtp_operating_since"),
                inspected_on__lte=as_of,
            )
            .annotate(
                fails_first=Case(
                    When(result=InspectionResult.FAILS, then=Value(0)),
                    default=Value(1),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("-inspected_on", "fails_first", "-pk")
        )
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
        stale_before = as_of - datetime.timedelta(days=evidence_window_days())
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
                    When(
                        latest_inspected_on__isnull=True,
                        then=Value(WastewaterState.NO_EVIDENCE.value),
                    ),
                    When(
                        latest_inspected_on__lt=stale_before,
                        then=Value(WastewaterState.STALE_EVIDENCE.value),
                    ),
                    When(
                        latest_result=InspectionResult.FAILS,
                        then=Value(WastewaterState.FAILED.value),
                    ),
                    default=Value(WastewaterState.COMPLIANT.value),
                    output_field=models.CharField(),
                )
            )
        )


class InspectionQuerySet(models.QuerySet):
    pass
