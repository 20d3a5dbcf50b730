"""Property-based check of DESIGN.md section 4: the database's statuses, wastewater states
and KPI agree with a plain-Python reading of the rules on random clusters, inspections,
dates and targets."""

import datetime
import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from clusters.choices import ClusterStatus
from clusters.models import IndustrialCluster, WastewaterInspection
from clusters.querysets import status_is
from clusters.selectors import wastewater_compliance
from registry.models import District, Target
from tests.factories import ClusterFactory, InspectionFactory

pytestmark = pytest.mark.django_db

DISTRICTS = ["017", "281", "002"]
STATES = ["no_treatment_plant", "no_evidence", "stale_evidence", "failed", "compliant"]


# --- the reference: section 4 read literally, in plain Python ------------------------------


@dataclass
class Cluster:
    district: str
    established_on: datetime.date | None
    construction_started_on: datetime.date | None
    operating_since: datetime.date | None
    closed_on: datetime.date | None
    wwtp_construction_started_on: datetime.date | None
    wwtp_operating_since: datetime.date | None


def ref_status(c: Cluster, d: datetime.date) -> str:
    for stage, on in [
        ("closed", c.closed_on),
        ("operating", c.operating_since),
        ("under_construction", c.construction_started_on),
        ("established", c.established_on),
    ]:
        if on is not None and on <= d:
            return stage
    return "planned"


def ref_state(c: Cluster, inspections: list[tuple[datetime.date, str]], d, window: int) -> str:
    if ref_status(c, d) != "operating":
        return "not_operating"
    plant = c.wwtp_operating_since
    if plant is None or plant > d:
        return "no_treatment_plant"
    evidence = [(on, result) for on, result in inspections if plant <= on <= d]
    if not evidence:
        return "no_evidence"
    latest = max(on for on, _ in evidence)
    if latest < d - datetime.timedelta(days=window):
        return "stale_evidence"
    if any(result == "fails" for on, result in evidence if on == latest):
        return "failed"
    return "compliant"


def ref_latest_evidence(c: Cluster, inspections, d) -> datetime.date | None:
    plant = c.wwtp_operating_since
    if plant is None:
        return None
    return max((on for on, _ in inspections if plant <= on <= d), default=None)


def ref_kpi(states: list[str], target: Decimal | None) -> dict:
    counts = Counter(s for s in states if s != "not_operating")
    operating, compliant = sum(counts.values()), counts["compliant"]
    share = None
    if operating:
        exact = Fraction(100 * compliant, operating)
        share = Decimal(math.floor(exact * 100 + Fraction(1, 2))) / 100
    met = None
    if share is not None and target is not None:
        met = compliant * 100 >= Fraction(target) * operating
    shortfall = None
    if target is not None:
        shortfall = max(0, math.ceil(Fraction(target) * operating / 100) - compliant)
    return {
        "operating": operating,
        "compliant": compliant,
        "share_percent": share,
        "target_percent": target,
        "met": met,
        "shortfall": shortfall,
        "by_state": {s: counts[s] for s in STATES},
    }


def ref_target(targets: dict[int, Decimal], d: datetime.date) -> Decimal | None:
    years = [y for y in targets if y <= d.year]
    return targets[max(years)] if years else None


# --- random data --------------------------------------------------------------------------

# Offsets in days from D, rich in the boundaries the rules care about.
offsets = st.one_of(st.integers(-2500, 200), st.sampled_from([-367, -366, -365, -364, -1, 0, 1]))
plant_offsets = st.one_of(st.integers(-1200, 30), st.sampled_from([-400, -366, -365, -1, 0, 1]))
maybe = st.booleans()
mostly = st.integers(0, 3).map(bool)  # present three times in four
rarely = st.integers(0, 3).map(lambda n: n == 0)


@st.composite
def scenarios(draw):
    as_of = draw(st.dates(datetime.date(2016, 1, 1), datetime.date(2024, 12, 31)))

    def day(offset):
        return as_of + datetime.timedelta(days=offset)

    clusters = []
    for _ in range(draw(st.integers(0, 8))):
        # Lifecycle dates in order, each possibly unknown; closing only after establishment.
        op = draw(st.one_of(st.integers(-2500, -1), offsets))  # mostly before D
        est, con = sorted(min(o, op) for o in draw(st.lists(offsets, min_size=2, max_size=2)))
        closed = draw(offsets)
        est, con, op, closed = (
            day(o) if draw(present) else None
            for o, present in [(est, maybe), (con, maybe), (op, mostly), (max(est, closed), rarely)]
        )
        if est is None and closed is not None:
            closed = day(draw(offsets))
        w_op = draw(st.one_of(st.integers(-1200, -1), plant_offsets))
        w_con = min(w_op, draw(plant_offsets))
        clusters.append(
            Cluster(
                district=draw(st.sampled_from(DISTRICTS)),
                established_on=est,
                construction_started_on=con,
                operating_since=op,
                closed_on=closed,
                wwtp_construction_started_on=day(w_con) if draw(maybe) else None,
                wwtp_operating_since=day(w_op) if draw(mostly) else None,
            )
        )
    inspections = []
    if clusters:
        days_before_d = st.one_of(
            st.integers(-30, 800), st.sampled_from([-1, 0, 1, 100, 364, 365, 366, 367])
        )
        inspections = draw(
            st.lists(
                st.tuples(
                    st.integers(0, len(clusters) - 1),
                    days_before_d.map(lambda n: day(-n)),
                    st.sampled_from(["meets", "fails"]),
                ),
                min_size=len(clusters),
                max_size=30,
            )
        )
    percents = st.decimals(0, 100, places=2, allow_nan=False, allow_infinity=False)
    targets = draw(
        st.dictionaries(st.integers(as_of.year - 3, as_of.year + 1), percents, max_size=3)
    )
    window = draw(st.sampled_from([365, 365, 90, 0]))
    return as_of, clusters, inspections, targets, window


@settings(
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
def test_database_rules_agree_with_the_reference(db, scenario):
    as_of, clusters, inspections, targets, window = scenario
    with transaction.atomic():
        Target.objects.all().delete()
        Target.objects.bulk_create(Target(year=y, percent=p) for y, p in targets.items())
        districts = {d.code: d for d in District.objects.filter(code__in=DISTRICTS)}
        created = IndustrialCluster.objects.bulk_create(
            ClusterFactory.build(
                code=f"P-{i}", district=districts[c.district], area_ha=Decimal(20),
                **{k: v for k, v in vars(c).items() if k != "district"},
            )
            for i, c in enumerate(clusters)
        )  # fmt: skip
        WastewaterInspection.objects.bulk_create(
            InspectionFactory.build(cluster=created[i], inspected_on=on, result=result)
            for i, on, result in inspections
        )

        with override_settings(REGISTRY={"EVIDENCE_WINDOW_DAYS": window, "OVERDUE_MONTHS": 24}):
            rows = {
                r.code: (r.status, r.wastewater_state, r.latest_inspected_on)
                for r in IndustrialCluster.objects.with_wastewater_state(as_of)
            }
            by_status_condition = {
                status: set(
                    IndustrialCluster.objects.filter(status_is(status, as_of)).values_list(
                        "code", flat=True
                    )
                )
                for status in ClusterStatus.values
            }
            kpi = wastewater_compliance(
                as_of=as_of, districts=District.objects.filter(code__in=DISTRICTS)
            )
            every_district = wastewater_compliance(as_of=as_of)  # not filtered by district
            operating_states = dict(
                IndustrialCluster.objects.operating_with_wastewater_state(as_of).values_list(
                    "code", "wastewater_state"
                )
            )

        expected_states = []
        for i, c in enumerate(clusters):
            own = [(on, result) for j, on, result in inspections if j == i]
            state = ref_state(c, own, as_of, window)
            expected_states.append(state)
            event(state)
            latest = ref_latest_evidence(c, own, as_of)
            assert rows[f"P-{i}"] == (ref_status(c, as_of), state, latest), (c, own)
            assert f"P-{i}" in by_status_condition[ref_status(c, as_of)]
        assert sum(map(len, by_status_condition.values())) == len(clusters)

        assert operating_states == {
            f"P-{i}": state for i, state in enumerate(expected_states) if state != "not_operating"
        }
        target = ref_target(targets, as_of)
        assert kpi.city.as_dict() == ref_kpi(expected_states, target)
        assert every_district.city == kpi.city
        for row in kpi.districts:
            mine = [s for c, s in zip(clusters, expected_states, strict=True)
                    if c.district == row.district.code]  # fmt: skip
            assert row.figures.as_dict() == ref_kpi(mine, target), row.district.code
        transaction.set_rollback(True)
