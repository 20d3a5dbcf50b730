"""Property-based check of the rules (README): the database's statuses, wastewater states
and KPI agree with a plain-Python reading of the rules on random clusters, inspections,
dates and targets."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, event, example, given, settings
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


def meets(compliant: int, operating: int, target: Decimal) -> bool:
    """``compliant`` of ``operating`` reach ``target`` %: compared as exact fractions."""
    return Fraction(compliant, operating) >= Fraction(target) / 100


def ref_kpi(states: list[str], target: Decimal | None) -> dict:
    counts = Counter(s for s in states if s != "not_operating")
    operating, compliant = sum(counts.values()), counts["compliant"]
    share = None
    if operating:
        # Decimal division far past any rounding boundary of a share with this denominator,
        # then half-up to two places.
        with localcontext(prec=60):
            share = (Decimal(100 * compliant) / operating).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
    # The shortfall counted up: the fewest more compliant clusters that reach the target
    # (nothing to reach without operating clusters); met when none is needed.
    shortfall = met = None
    if target is not None:
        shortfall = 0
        while operating and not meets(compliant + shortfall, operating, target):
            shortfall += 1
        if operating:
            met = shortfall == 0
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
    for _ in range(draw(st.integers(0, 40))):
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
                max_size=len(clusters) + 30,
            )
        )
    percents = st.decimals(0, 100, places=2, allow_nan=False, allow_infinity=False)
    targets = draw(
        st.dictionaries(st.integers(as_of.year - 3, as_of.year + 1), percents, max_size=3)
    )
    window = draw(st.sampled_from([365, 365, 90, 0]))
    return as_of, clusters, inspections, targets, window


# --- explicit cases that random draws rarely hit -----------------------------------------

EXAMPLE_DAY = datetime.date(2021, 12, 14)
ON = datetime.date(2021, 6, 1)


def running(district_code: str) -> Cluster:
    """Operating since 2017 with a plant since 2018."""
    return Cluster(
        district=district_code,
        established_on=datetime.date(2015, 1, 1),
        construction_started_on=datetime.date(2016, 1, 1),
        operating_since=datetime.date(2017, 1, 1),
        closed_on=None,
        wwtp_construction_started_on=None,
        wwtp_operating_since=datetime.date(2018, 1, 1),
    )


#: Two inspections on the latest date, one fails: the cluster has failed, whichever was
#: recorded first (and an older pass does not help).
TIE = (
    EXAMPLE_DAY,
    [running("017"), running("017")],
    [
        (0, ON, "fails"),
        (0, ON, "meets"),
        (1, ON.replace(month=1), "meets"),
        (1, ON, "meets"),
        (1, ON, "fails"),
    ],
    {2021: Decimal("95")},
    365,
)
#: Đông Anh: 1 of 32 compliant = 3.125 % → 3.13 half-up (3.12 half-even); Ứng Hòa: 2 of 3 =
#: 66.666… % → 66.67, which does not meet a target of 66.67 % (⌈2.0001⌉ = 3 needed).
ROUNDING = (
    EXAMPLE_DAY,
    [running("017") for _ in range(32)] + [running("281") for _ in range(3)],
    [(i, ON, "meets" if i in (0, 32, 33) else "fails") for i in range(35)],
    {2021: Decimal("66.67")},
    365,
)
#: 5 of 32 = 15.625 % → 15.63 half-up (15.62 half-even); target 15.63 % is not met.
ROUNDING_AT_TARGET = (
    EXAMPLE_DAY,
    [running("002") for _ in range(32)],
    [(i, ON, "meets" if i < 5 else "fails") for i in range(32)],
    {2020: Decimal("15.63")},
    365,
)


@example(scenario=TIE)
@example(scenario=ROUNDING)
@example(scenario=ROUNDING_AT_TARGET)
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


def reference_figures(scenario, district_code=None) -> dict:
    as_of, clusters, inspections, targets, window = scenario
    states = [
        ref_state(c, [(on, r) for j, on, r in inspections if j == i], as_of, window)
        for i, c in enumerate(clusters)
        if district_code is None or c.district == district_code
    ]
    return ref_kpi(states, ref_target(targets, as_of))


def test_the_explicit_examples_are_the_cases_they_name():
    """The reference itself, on the explicit examples, by hand (so they test what they say)."""
    assert reference_figures(TIE)["by_state"]["failed"] == 2
    dong_anh, ung_hoa = reference_figures(ROUNDING, "017"), reference_figures(ROUNDING, "281")
    assert (dong_anh["compliant"], dong_anh["operating"]) == (1, 32)
    assert dong_anh["share_percent"] == Decimal("3.13")  # 3.125, half-up
    assert (ung_hoa["share_percent"], ung_hoa["met"], ung_hoa["shortfall"]) == (
        Decimal("66.67"),
        False,
        1,
    )
    at_target = reference_figures(ROUNDING_AT_TARGET)
    assert at_target["share_percent"] == Decimal("15.63")  # 15.625, half-up
    assert (at_target["target_percent"], at_target["met"], at_target["shortfall"]) == (
        Decimal("15.63"),
        False,
        1,
    )
    # The counted-up shortfall against the closed form, on a few hand-made counts.
    assert ref_kpi(["compliant"] * 189 + ["failed"] * 10, Decimal("95"))["shortfall"] == 1
    assert ref_kpi(["compliant"] * 19 + ["failed"], Decimal("95"))["met"] is True
    assert ref_kpi([], Decimal("95"))["shortfall"] == 0
    assert ref_kpi(["failed"] * 7, Decimal("95"))["shortfall"] == 7  # ⌈6.65⌉
