"""The database's floor: the wastewater KPI of the rules (README) in one hand-written SQL
statement, run over psycopg with no framework in between.

It computes the same figures as ``clusters.selectors.wastewater_compliance`` (operating
clusters by district and wastewater state at a date, and the target of the year) and the
harness checks that both agree before comparing their speed.
"""

import datetime

import psycopg

KPI_SQL = """
WITH operating AS (
    SELECT c.id, c.district_id, c.wwtp_operating_since
    FROM clusters_industrialcluster c
    WHERE (c.closed_on IS NULL OR c.closed_on > %(as_of)s)
      AND c.operating_since <= %(as_of)s
      {district_filter}
),
stated AS (
    SELECT o.district_id,
           CASE
               WHEN o.wwtp_operating_since IS NULL OR o.wwtp_operating_since > %(as_of)s
                   THEN 'no_treatment_plant'
               WHEN e.inspected_on IS NULL THEN 'no_evidence'
               WHEN e.inspected_on < %(stale_before)s THEN 'stale_evidence'
               WHEN e.result = 'fails' THEN 'failed'
               ELSE 'compliant'
           END AS state
    FROM operating o
    LEFT JOIN LATERAL (
        SELECT i.inspected_on, i.result
        FROM clusters_wastewaterinspection i
        WHERE i.cluster_id = o.id
          AND i.inspected_on >= o.wwtp_operating_since
          AND i.inspected_on <= %(as_of)s
        ORDER BY i.inspected_on DESC, i.result ASC, i.id DESC
        LIMIT 1
    ) e ON o.wwtp_operating_since <= %(as_of)s
)
SELECT district_id, state, count(*) AS n,
       (SELECT t.percent FROM registry_target t WHERE t.year <= %(year)s
        ORDER BY t.year DESC LIMIT 1) AS target_percent
FROM stated
GROUP BY district_id, state
"""

DISTRICT_FILTER = (
    "AND c.district_id = (SELECT d.id FROM registry_district d WHERE d.code = %(district)s)"
)


def kpi_sql(district: str | None) -> str:
    return KPI_SQL.format(district_filter=DISTRICT_FILTER if district else "")


def kpi_params(as_of: datetime.date, window_days: int, district: str | None) -> dict:
    return {
        "as_of": as_of,
        "stale_before": as_of - datetime.timedelta(days=window_days),
        "year": as_of.year,
        "district": district,
    }


def kpi_figures(
    conn: psycopg.Connection, as_of: datetime.date, window_days: int, district: str | None
) -> dict:
    """Run the floor once: ``{"operating", "compliant", "by_state", "target_percent"}``."""
    rows = conn.execute(kpi_sql(district), kpi_params(as_of, window_days, district)).fetchall()
    by_state: dict[str, int] = {}
    target = None
    for _district_id, state, count, target_percent in rows:
        by_state[state] = by_state.get(state, 0) + count
        target = target_percent
    return {
        "operating": sum(by_state.values()),
        "compliant": by_state.get("compliant", 0),
        "by_state": by_state,
        "target_percent": None if target is None else str(target),
    }
