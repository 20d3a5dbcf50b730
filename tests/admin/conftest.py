"""Staff accounts with their real roles (the groups created by registry migration 0003)."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import ClusterFactory, MarketFactory, UserFactory, district


def with_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def department_staff(department_user):
    return with_group(department_user, "Department staff")


@pytest.fixture
def dong_anh_staff(district_user):
    """District staff for Đông Anh (017) only."""
    return with_group(district_user, "District staff")


@pytest.fixture
def ung_hoa_staff(ung_hoa):
    """District staff for Ứng Hòa (281) only."""
    return with_group(UserFactory(username="ung-hoa-staff", districts=[ung_hoa]), "District staff")


@pytest.fixture
def dong_anh_cluster(dong_anh):
    return ClusterFactory(code="CCN-THIET-BINH", name="Thiết Bình", district=dong_anh)


@pytest.fixture
def ung_hoa_cluster(ung_hoa):
    return ClusterFactory(code="CCN-XA-CAU", name="Xà Cầu", district=ung_hoa)


@pytest.fixture
def dong_anh_market(dong_anh):
    return MarketFactory(code="CHO-DONG-ANH", name="Chợ Đông Anh", district=dong_anh)


@pytest.fixture
def ung_hoa_market(ung_hoa):
    return MarketFactory(code="CHO-VAN-DINH", name="Chợ Vân Đình", district=ung_hoa)


@pytest.fixture
def vi(settings):
    settings.LANGUAGE_CODE = "vi"


def cluster_form_data(cluster=None, **overrides):
    """The POST data of the cluster change form, with empty inspections and extensions."""
    data = {
        "code": "",
        "name": "",
        "district": "",
        "address": "",
        "area_ha": "30",
        "decision_no": "",
        "established_on": "",
        "developer": "",
        "construction_started_on": "",
        "operating_since": "",
        "closed_on": "",
        "occupancy_percent": "",
        "tenant_count": "",
        "wwtp_construction_started_on": "",
        "wwtp_operating_since": "",
        "wwtp_capacity_m3_per_day": "",
        "wwtp_standard": "",
        "inspections-TOTAL_FORMS": "0",
        "inspections-INITIAL_FORMS": "0",
        "inspections-MIN_NUM_FORMS": "0",
        "inspections-MAX_NUM_FORMS": "1000",
        "schedule_extensions-TOTAL_FORMS": "0",
        "schedule_extensions-INITIAL_FORMS": "0",
        "schedule_extensions-MIN_NUM_FORMS": "0",
        "schedule_extensions-MAX_NUM_FORMS": "1000",
    }
    if cluster is not None:
        for name in list(data):
            if name.startswith(("inspections-", "schedule_extensions-")):
                continue
            value = getattr(cluster, name)
            if name == "district":
                value = cluster.district_id
            data[name] = "" if value is None else str(value)
        data["expected_version"] = str(cluster.version)
        if cluster.wwtp_automatic_monitoring:
            data["wwtp_automatic_monitoring"] = "on"
    data.update(overrides)
    return data


__all__ = ["cluster_form_data", "district"]
