"""The demo dataset: loads, is idempotent, and shows every status and wastewater state."""

import datetime

import pytest
from django.core.management import call_command

from clusters.choices import ClusterStatus, WastewaterState
from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from clusters.selectors import construction_overdue, wastewater_compliance
from markets.choices import MarketStatus
from markets.models import Market, MarketProject
from registry.dates import today
from registry.models import Target

MODELS = [
    IndustrialCluster,
    WastewaterInspection,
    ScheduleExtension,
    Market,
    MarketProject,
    Target,
]


def snapshot():
    """Every demo record's field values and version, and the history row counts."""
    state = {}
    for model in MODELS:
        state[model.__name__] = sorted(
            tuple(str(v) for v in row) for row in model.objects.values_list()
        )
        state[f"{model.__name__}.history"] = model.history.count()
    return state


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_load_demo_twice_changes_nothing(demo):
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_demo_covers_every_status_and_wastewater_state_today(demo):
    rows = IndustrialCluster.objects.with_wastewater_state(today())
    assert set(rows.values_list("status", flat=True)) == set(ClusterStatus.values)
    assert set(rows.values_list("wastewater_state", flat=True)) == set(WastewaterState.values)


def test_demo_has_history_from_2019_and_the_real_names(demo):
    assert WastewaterInspection.objects.filter(inspected_on__year=2019).exists()
    for code in ["CCN-NGOC-HOI", "CCN-BAC-VAN-DINH", "CCN-XA-CAU", "CCN-CAU-BAU", "CCN-YEN-SON"]:
        assert IndustrialCluster.objects.filter(code=code).exists()
    for code in ["CHO-DONG-XUAN", "CHO-DAU-MOI-PHIA-NAM", "CHO-KIM-LIEN", "CHO-PHU-DO"]:
        assert Market.objects.filter(code=code).exists()
    assert set(Market.objects.values_list("status", flat=True)) == set(MarketStatus.values)


def test_demo_kpi_and_overdue_have_something_true_to_show(demo):
    kpi = wastewater_compliance(as_of=datetime.date(2021, 12, 31))
    assert kpi.city.operating > 0
    assert kpi.city.target_percent == 95
    assert construction_overdue()


def test_demo_schedules_tell_tam_hiep_and_lien_hiep_history(demo):
    def start(day):
        return {
            i.cluster.code: (i.deadline_source, i.decision_no)
            for i in construction_overdue(as_of=day).start_overdue
        }

    assert start(datetime.date(2022, 3, 1))["CCN-TAM-HIEP"] == ("decision", "")
    assert "CCN-TAM-HIEP" not in start(datetime.date(2022, 7, 1))  # first extension
    assert start(datetime.date(2023, 3, 1))["CCN-LIEN-HIEP"] == ("extension", "3312/QĐ-UBND")
    assert "CCN-LIEN-HIEP" not in start(datetime.date(2023, 9, 1))  # second extension
    assert start(datetime.date(2024, 1, 10))["CCN-TAM-HIEP"] == ("extension", "4125/QĐ-UBND")
    assert "CCN-TAM-HIEP" not in start(datetime.date(2024, 1, 19))  # construction began
    late = construction_overdue(as_of=datetime.date(2026, 1, 5)).completion_overdue
    assert {i.cluster.code for i in late} >= {"CCN-TAM-HIEP", "CCN-DONG-PHU-YEN"}
    assert "CCN-LIEN-HIEP" not in {i.cluster.code for i in late}
    for code in ("CCN-DONG-PHU-YEN", "CCN-XA-CAU"):
        started = IndustrialCluster.objects.get(code=code).construction_started_on
        assert started.year == 2024 and started.month <= 6


def test_demo_login_prints_the_credentials(db, capsys):
    call_command("demo_login", password="a-demo-password")
    out = capsys.readouterr().out
    assert "demo / a-demo-password" in out
    from django.contrib.auth import get_user_model

    demo = get_user_model().objects.get(username="demo")
    assert demo.is_superuser and demo.check_password("a-demo-password")
