"""The database's floor: the wastewater KPI of the rules (README) in one hand-written SQL
statement, run over psycopg with no framework in between.

It computes the same figures as ``clusters.selectors.wastewater_compliance`` (operating
clusters by reporting unit — district or commune — and wastewater state at a date, and the
target of the year), for every unit or one, and the harness checks that both agree before
comparing their speed.
"""

import datetime

import psycopg

KPI_SQL = """
WITH operating AS (
    SELECT c.id, c.{unit_column} AS unit_id, c.wwtp_operating_since
    FROM clusters_industrialcluster c
    WHERE (c.closed_on IS NULL OR c.closed_on > %(as_of)s)
      AND c.operating_since <= %(as_of)s
      {unit_filter}
),
stated AS (
    SELECT o.unit_id,
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
SELECT unit_id, state, count(*) AS n,
       (SELECT t.percent FROM registry_target t WHERE t.year <= %(year)s
        ORDER BY t.year DESC LIMIT 1) AS target_percent
FROM stated
GROUP BY unit_id, state
"""

#: grouping → (the cluster's column, the filter on one unit by its code)
GROUPINGS = {
    "district": (
        "district_id",
        "AND c.district_id = (SELECT d.id FROM registry_district d WHERE d.code = %(unit)s)",
    ),
    "commune": (
        "commune_id",
        "AND c.commune_id = (SELECT u.id FROM registry_administrativeunit u "
        "WHERE u.code = %(unit)s AND u.level = 'commune')",
    ),
}


def kpi_sql(unit: str | None, grouping: str = "district") -> str:
    """The floor's statement: grouped by ``grouping``'s units, over one (``unit``, its code)
    or all of them."""
    column, one_unit = GROUPINGS[grouping]
    return KPI_SQL.format(unit_column=column, unit_filter=one_unit if unit else "")


def kpi_params(as_of: datetime.date, window_days: int, unit: str | None) -> dict:
    return {
        "as_of": as_of,
        "stale_before": as_of - datetime.timedelta(days=window_days),
        "year": as_of.year,
        "unit": unit,
    }


def kpi_figures(
    conn: psycopg.Connection,
    as_of: datetime.date,
    window_days: int,
    unit: str | None,
    grouping: str = "district",
) -> dict:
    """Run the floor once: ``{"operating", "compliant", "by_state", "target_percent",
    "by_unit"}`` (``by_unit``: each unit's id → its operating clusters; None for clusters
    without a unit of that level)."""
    rows = conn.execute(kpi_sql(unit, grouping), kpi_params(as_of, window_days, unit)).fetchall()
    by_state: dict[str, int] = {}
    by_unit: dict[int | None, int] = {}
    target = None
    for unit_id, state, count, target_percent in rows:
        by_state[state] = by_state.get(state, 0) + count
        by_unit[unit_id] = by_unit.get(unit_id, 0) + count
        target = target_percent
    return {
        "operating": sum(by_state.values()),
        "compliant": by_state.get("compliant", 0),
        "by_state": by_state,
        "target_percent": None if target is None else str(target),
        "by_unit": by_unit,
    }


#: grouping → the units a response over every unit lists (each by code and name).
UNIT_TABLES = {
    "district": "SELECT d.id, d.code, d.name FROM registry_district d",
    "commune": "SELECT u.id, u.code, u.name FROM registry_administrativeunit u "
    "WHERE u.level = 'commune'",
}


def kpi_with_units_sql(grouping: str) -> str:
    """The floor over every unit, also reading what such a response lists: every unit's code
    and name, empty units included, beside its counts (and the clusters in no unit). For
    information beside the budget, which is judged on :func:`kpi_sql` (BENCHMARKS.md)."""
    counts = kpi_sql(None, grouping)
    return (
        f"WITH counts AS ({counts}), units AS ({UNIT_TABLES[grouping]}) "  # noqa: S608
        "SELECT units.code, units.name, counts.state, counts.n, counts.target_percent "
        "FROM units LEFT JOIN counts ON counts.unit_id = units.id "
        "UNION ALL SELECT NULL, NULL, state, n, target_percent FROM counts "
        "WHERE unit_id IS NULL"
    )


def kpi_with_units_rows(conn, as_of: datetime.date, window_days: int, grouping: str) -> list:
    """Run it once: (code, name, state, count, target) rows; state None for an empty unit."""
    return conn.execute(
        kpi_with_units_sql(grouping), kpi_params(as_of, window_days, None)
    ).fetchall()
