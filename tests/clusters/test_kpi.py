"""The wastewater KPI of the rules (README) (``clusters.selectors.wastewater_compliance``):
city-wide and per district, exact arithmetic for share, met and shortfall, in a fixed number
of queries."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from clusters.choices import InspectionResult, WastewaterState
from clusters.models import IndustrialCluster, WastewaterInspection
from clusters.selectors import KpiFigures, target_for, wastewater_compliance
from registry.models import District, Target
from tests.factories import ClusterFactory, InspectionFactory, TargetFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date
W = WastewaterState
AS_OF = D(2021, 12, 14)
_codes = itertools.count()


def add_clusters(district_code="017", *, compliant=0, failed=0, stale=0, no_evidence=0,
                 no_plant=0, not_operating=0):  # fmt: skip
    """Bulk-create clusters of ``district_code`` in the given wastewater states at AS_OF."""
    where = district(district_code)
    plan = [
        ("compliant", compliant, InspectionResult.MEETS, D(2021, 6, 1)),
        ("failed", failed, InspectionResult.FAILS, D(2021, 6, 1)),
        ("stale", stale, InspectionResult.MEETS, D(2020, 6, 1)),
        ("no_evidence", no_evidence, None, None),
        ("no_plant", no_plant, None, None),
        ("not_operating", not_operating, InspectionResult.MEETS, D(2021, 6, 1)),
    ]
    clusters, results = [], []
    for kind, count, result, inspected_on in plan:
        for _ in range(count):
            clusters.append(
                ClusterFactory.build(
                    code=f"KPI-{next(_codes)}",
                    district=where,
                    operating_since=None if kind == "not_operating" else D(2017, 1, 1),
                    closed_on=D(2020, 1, 1) if kind == "not_operating" else None,
                    wwtp_operating_since=None if kind == "no_plant" else D(2018, 1, 1),
                )
            )
            results.append((result, inspected_on))
    created = IndustrialCluster.objects.bulk_create(clusters)
    WastewaterInspection.objects.bulk_create(
        InspectionFactory.build(cluster=c, result=result, inspected_on=on)
        for c, (result, on) in zip(created, results, strict=True)
        if result is not None
    )
    return created


def city(as_of=AS_OF, **kwargs):
    return wastewater_compliance(as_of=as_of, **kwargs).city


def for_district(code, as_of=AS_OF):
    kpi = wastewater_compliance(as_of=as_of)
    (row,) = [r for r in kpi.districts if r.district.code == code]
    return row.figures


# --- the boundary cases of the design -----------------------------------------------------


def test_189_of_199_is_9497_percent_and_does_not_meet_95():
    add_clusters(compliant=189, failed=10)
    kpi = city()
    assert (kpi.operating, kpi.compliant) == (199, 189)
    assert kpi.share_percent == Decimal("94.97")
    assert kpi.target_percent == Decimal("95.00")
    assert kpi.met is False
    assert kpi.shortfall == 1  # ⌈95 × 199 / 100⌉ = ⌈189.05⌉ = 190


def test_968_of_1019_shows_95_percent_but_does_not_meet_95():
    """The share rounds up to the target, the exact comparison still fails: 968 / 1019 is
    94.99509… % (1019 is the fewest clusters for which a share below 95 % shows as 95.00)."""
    add_clusters(compliant=968, failed=51)
    kpi = city()
    assert (kpi.operating, kpi.compliant) == (1019, 968)
    assert kpi.share_percent == Decimal("95.00")
    assert kpi.met is False  # compared exactly, not on the rounded share
    assert kpi.shortfall == 1  # ⌈95 × 1019 / 100⌉ = ⌈968.05⌉ = 969


def test_19_of_20_meets_95_exactly():
    add_clusters(compliant=19, stale=1)
    kpi = city()
    assert (kpi.operating, kpi.compliant, kpi.share_percent) == (20, 19, Decimal("95.00"))
    assert kpi.met is True
    assert kpi.shortfall == 0


def test_none_compliant_of_one():
    add_clusters(no_evidence=1)
    kpi = city()
    assert (kpi.share_percent, kpi.met, kpi.shortfall) == (Decimal("0.00"), False, 1)


@pytest.mark.parametrize(("compliant", "shortfall"), [(0, 7), (5, 2), (6, 1), (7, 0)])
def test_shortfall_rounds_the_needed_count_up(compliant, shortfall):
    add_clusters(compliant=compliant, failed=7 - compliant)
    kpi = city()  # 95 % × 7 = 6.65 → 7 needed
    assert kpi.shortfall == shortfall
    assert kpi.met is (shortfall == 0)


@pytest.mark.parametrize(
    ("compliant", "operating", "share"),
    [
        (1, 8, "12.50"),
        (2, 3, "66.67"),
        (1, 6, "16.67"),
        (1, 3, "33.33"),
        (1, 32, "3.13"),  # 3.125: half-up, not half-even
        (0, 4, "0.00"),
        (4, 4, "100.00"),
    ],
)
def test_share_is_rounded_half_up_to_two_decimals(compliant, operating, share):
    add_clusters(compliant=compliant, failed=operating - compliant)
    assert city().share_percent == Decimal(share)
    assert str(city().share_percent) == share


# --- targets ------------------------------------------------------------------------------


def test_no_target_for_the_year_gives_met_and_shortfall_null():
    add_clusters(compliant=3, failed=1)
    kpi = city(as_of=D(2020, 12, 14))  # only 2021 → 95 is seeded
    assert kpi.target_percent is None
    assert (kpi.met, kpi.shortfall) == (None, None)
    TargetFactory(year=2022, percent=Decimal("80"))  # a later year does not apply to 2021
    Target.objects.filter(year=2021).delete()
    kpi = city()
    assert (kpi.target_percent, kpi.met, kpi.shortfall) == (None, None, None)
    assert kpi.share_percent == Decimal("75.00")  # the share does not need a target


def test_target_is_the_greatest_year_on_or_before_the_dates_year():
    TargetFactory(year=2023, percent=Decimal("90"))
    TargetFactory(year=2026, percent=Decimal("99"))
    assert target_for(D(2020, 12, 31)) is None
    assert target_for(D(2021, 1, 1)).percent == Decimal("95")
    assert target_for(D(2022, 12, 31)).percent == Decimal("95")
    assert target_for(D(2023, 1, 1)).percent == Decimal("90")
    assert target_for(D(2025, 12, 31)).percent == Decimal("90")
    assert city(as_of=D(2024, 6, 14)).target_percent == Decimal("90")


@pytest.mark.parametrize(
    ("percent", "compliant", "operating", "met", "shortfall"),
    [
        ("0", 0, 3, True, 0),
        ("100", 19, 20, False, 1),
        ("100", 20, 20, True, 0),
        ("95.5", 6, 7, False, 1),  # 6.685 → 7
        ("50", 1, 2, True, 0),
        ("50.01", 1, 2, False, 1),
        # The rounded share equals the target, the exact one is below it.
        ("66.67", 2, 3, False, 1),  # 66.666… % shows as 66.67; ⌈2.0001⌉ = 3
        ("16.67", 1, 6, False, 1),  # 16.666… % shows as 16.67
        ("16.66", 1, 6, True, 0),
    ],
)
def test_met_and_shortfall_with_other_targets(percent, compliant, operating, met, shortfall):
    Target.objects.filter(year=2021).update(percent=Decimal(percent))
    add_clusters(compliant=compliant, failed=operating - compliant)
    kpi = city()
    assert (kpi.met, kpi.shortfall) == (met, shortfall)


# --- districts, city, states --------------------------------------------------------------


def test_empty_district_has_share_and_met_null_never_0_or_100():
    add_clusters("017", compliant=2)
    empty = for_district("281")
    assert (empty.operating, empty.compliant) == (0, 0)
    assert empty.share_percent is None
    assert empty.met is None
    assert empty.shortfall == 0
    assert set(empty.by_state.values()) == {0}


def test_no_operating_cluster_anywhere_gives_a_null_city_share():
    add_clusters(not_operating=3)
    kpi = city()
    assert (kpi.operating, kpi.share_percent, kpi.met) == (0, None, None)


def test_kpi_per_district_and_city_wide():
    add_clusters("017", compliant=3, failed=1)
    add_clusters("281", compliant=1, no_evidence=1, stale=1, no_plant=1, not_operating=2)
    kpi = wastewater_compliance(as_of=AS_OF)
    assert kpi.as_of == AS_OF
    assert [r.district.code for r in kpi.districts] == list(
        District.objects.values_list("code", flat=True)
    )
    assert len(kpi.districts) == 30
    dong_anh, ung_hoa = for_district("017"), for_district("281")
    assert (dong_anh.operating, dong_anh.compliant, dong_anh.share_percent) == (
        4,
        3,
        Decimal("75.00"),
    )
    assert (ung_hoa.operating, ung_hoa.compliant, ung_hoa.share_percent) == (
        4,
        1,
        Decimal("25.00"),
    )
    assert (kpi.city.operating, kpi.city.compliant, kpi.city.share_percent) == (
        8,
        4,
        Decimal("50.00"),
    )
    assert (kpi.city.met, kpi.city.shortfall) == (False, 4)  # ⌈7.6⌉ = 8 needed
    assert ung_hoa.by_state == {
        W.NO_TREATMENT_PLANT: 1,
        W.NO_EVIDENCE: 1,
        W.STALE_EVIDENCE: 1,
        W.FAILED: 0,
        W.COMPLIANT: 1,
    }
    assert kpi.city.by_state == {
        "no_treatment_plant": 1,
        "no_evidence": 1,
        "stale_evidence": 1,
        "failed": 1,
        "compliant": 4,
    }
    assert sum(kpi.city.by_state.values()) == kpi.city.operating
    assert kpi.city.as_dict() == {
        "target_percent": Decimal("95.00"),
        "operating": 8,
        "compliant": 4,
        "share_percent": Decimal("50.00"),
        "met": False,
        "shortfall": 4,
        "by_state": {
            "no_treatment_plant": 1,
            "no_evidence": 1,
            "stale_evidence": 1,
            "failed": 1,
            "compliant": 4,
        },
    }


def test_closed_clusters_are_outside_the_kpi_even_with_good_evidence():
    cluster = ClusterFactory(
        operating_since=D(2017, 1, 1), wwtp_operating_since=D(2018, 1, 1), closed_on=AS_OF
    )
    InspectionFactory(cluster=cluster, inspected_on=D(2021, 12, 1))
    kpi = city()
    assert (kpi.operating, kpi.compliant) == (0, 0)
    assert city(as_of=AS_OF - datetime.timedelta(days=1)).compliant == 1


def test_kpi_for_chosen_districts_only():
    add_clusters("017", compliant=1)
    add_clusters("281", failed=1)
    kpi = wastewater_compliance(as_of=AS_OF, districts=District.objects.filter(code="281"))
    assert [r.district.code for r in kpi.districts] == ["281"]
    assert (kpi.city.operating, kpi.city.compliant) == (1, 0)


def test_kpi_moves_with_the_date():
    add_clusters(compliant=2)  # inspected 2021-06-01, operating since 2017
    assert city(as_of=D(2021, 5, 31)).by_state[W.NO_EVIDENCE] == 2
    assert city(as_of=D(2021, 6, 1)).compliant == 2
    assert city(as_of=D(2022, 6, 1)).compliant == 2
    assert city(as_of=D(2022, 6, 2)).by_state[W.STALE_EVIDENCE] == 2
    assert city(as_of=D(2016, 1, 1)).operating == 0


def test_as_of_defaults_to_today_in_hanoi():
    assert wastewater_compliance().as_of == timezone.localdate()


def test_kpi_figures_arithmetic_is_exact():
    def figures(compliant, operating, target="95"):
        return KpiFigures(operating=operating, compliant=compliant, target_percent=Decimal(target))

    assert figures(189, 199).met is False
    assert figures(18904, 19900).met is False  # 94.9949… %
    assert figures(18904, 19900).share_percent == Decimal("94.99")
    assert figures(18905, 19900).met is True
    # 94.995 % exactly: shown as 95.00 (half-up, and half-even alike), yet below 95 %.
    assert figures(18999, 20000).share_percent == Decimal("95.00")
    assert figures(18999, 20000).met is False
    assert figures(18999, 20000).shortfall == 1
    assert figures(19000, 20000).met is True
    assert figures(18905, 19900, "95.00").shortfall == 0  # 95 × 19900 / 100 = 18905 exactly
    assert figures(19, 20).met is True
    assert figures(2, 3, "66.67").met is False  # 66.666… < 66.67
    assert figures(2, 3, "66.66").met is True
    assert figures(0, 0).shortfall == 0
    assert figures(1, 200000).share_percent == Decimal("0.00")  # 0.0005 → 0.00
    assert figures(1, 20000).share_percent == Decimal("0.01")  # 0.005 → 0.01 half-up


# --- query counts -------------------------------------------------------------------------


def test_kpi_uses_the_same_few_queries_whatever_the_data(django_assert_num_queries):
    add_clusters(compliant=1)
    with django_assert_num_queries(2):
        small = wastewater_compliance(as_of=AS_OF)
    assert small.city.operating == 1

    clusters = add_clusters("281", compliant=10, failed=10, stale=5, no_evidence=5, no_plant=4,
                            not_operating=5)  # fmt: skip
    extra = [
        InspectionFactory.build(cluster=c, inspected_on=D(2019 + i % 3, 1 + i % 12, 1))
        for i, c in enumerate(
            itertools.islice(itertools.cycle(clusters), 200 - WastewaterInspection.objects.count())
        )
    ]
    WastewaterInspection.objects.bulk_create(extra)
    assert IndustrialCluster.objects.count() == 40
    assert WastewaterInspection.objects.count() == 200
    with django_assert_num_queries(2):
        large = wastewater_compliance(as_of=AS_OF)
    assert large.city.operating == 35


def test_no_cluster_operating_still_reports_the_target_in_the_same_queries(
    django_assert_num_queries,
):
    """The KPI's one statement answers a row carrying the target even when no cluster
    operates (clusters.selectors._kpi_statement), so the count of queries is the same."""
    add_clusters(not_operating=2)
    applying = target_for(AS_OF)
    assert applying is not None
    with django_assert_num_queries(2):
        kpi = wastewater_compliance(as_of=AS_OF)
    assert kpi.city.operating == 0 and kpi.city.share_percent is None
    assert kpi.city.target_percent == applying.percent
    assert str(kpi.city.target_percent) == str(applying.percent)  # two decimals on SQLite too
    assert all(row.figures.operating == 0 for row in kpi.units)


def test_no_target_in_force_gives_no_target_with_or_without_clusters():
    Target.objects.all().delete()
    assert wastewater_compliance(as_of=AS_OF).city.target_percent is None
    add_clusters(compliant=1)
    kpi = wastewater_compliance(as_of=AS_OF)
    assert (kpi.city.operating, kpi.city.target_percent, kpi.city.met) == (1, None, None)


def test_a_compiled_statement_follows_the_settings_and_the_date(settings):
    """The statement is compiled once per date and units, and again when settings change:
    the evidence window is part of it."""
    add_clusters(stale=1)  # inspected 1 June 2020, stale at AS_OF with the 365-day window
    assert wastewater_compliance(as_of=AS_OF).city.by_state[W.STALE_EVIDENCE] == 1
    settings.REGISTRY = {**settings.REGISTRY, "EVIDENCE_WINDOW_DAYS": 800}
    assert wastewater_compliance(as_of=AS_OF).city.by_state[W.COMPLIANT] == 1
    # Another date is another statement.
    assert wastewater_compliance(as_of=D(2020, 7, 1)).city.by_state[W.COMPLIANT] == 1
