"""The figures a report freezes, computed by the selectors that compute them everywhere
(``clusters.selectors``, ``markets.selectors``) and rendered by the stats endpoints' own
renderers, so a report holds exactly what ``/api/v1/stats/…`` answered at publication.

Computed over every unit (the department's scope) at the cut-off, grouped by the reporting
level at the cut-off (``registry.reporting``); the market counts are those at publication
(``market_statistics`` has no date: markets keep no dated history).
"""

import datetime

from django.db.models import Q
from django.db.models.functions import Coalesce

from clusters.api.stats import render_kpi, render_overdue
from clusters.choices import ClusterStatus
from clusters.models import IndustrialCluster
from clusters.selectors import (
    construction_overdue,
    reporting_unit_of,
    wastewater_compliance,
)
from markets.api.stats import render_market_statistics
from markets.selectors import market_statistics


def cluster_rows(cut_off: datetime.date, grouping: str) -> list[dict]:
    """One row per cluster existing at the cut-off, by code: its unit, status, wastewater
    state and the latest inspection that counts as evidence. A cluster whose first recorded
    stage is after the cut-off did not exist yet (one query)."""
    clusters = (
        IndustrialCluster.objects.with_wastewater_state(cut_off)
        .alias(
            first_stage=Coalesce(
                "established_on", "construction_started_on", "operating_since", "closed_on"
            )
        )
        .exclude(Q(status=ClusterStatus.PLANNED) & Q(first_stage__gt=cut_off))
        .select_related("district", "commune")
        .order_by("code")
    )
    rows = []
    for cluster in clusters:
        unit = reporting_unit_of(cluster, grouping)
        rows.append(
            {
                "code": cluster.code,
                "name": cluster.name,
                "district": cluster.district.code,
                "unit": None if unit is None else unit.code,
                "unit_name": None if unit is None else unit.name,
                "status": cluster.status,
                "wastewater_state": cluster.wastewater_state,
                "latest_inspected_on": (
                    None
                    if cluster.latest_inspected_on is None
                    else cluster.latest_inspected_on.isoformat()
                ),
                "latest_result": cluster.latest_result or None,
            }
        )
    return rows


def kpi_figures(cut_off: datetime.date, grouping: str) -> dict:
    """The KPI at the cut-off over every unit, as the KPI endpoint renders it."""
    return render_kpi(wastewater_compliance(as_of=cut_off, grouping=grouping))


def compute_figures(cut_off: datetime.date, grouping: str) -> dict:
    """Everything a report freezes: ``kpi``, ``overdue``, ``markets`` and ``clusters``."""
    return {
        "kpi": kpi_figures(cut_off, grouping),
        "overdue": render_overdue(construction_overdue(as_of=cut_off, grouping=grouping)),
        "markets": render_market_statistics(market_statistics(grouping=grouping)),
        "clusters": cluster_rows(cut_off, grouping),
    }
