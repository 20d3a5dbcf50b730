"""Fixtures of the reports' tests: a small city whose KPI at 14/12/2025 is known, and the
accounts that may (department staff) and may not (district staff) publish."""

import datetime

import pytest
from django.contrib.auth.models import Group

from tests.factories import ClusterFactory, InspectionFactory, UserFactory, district

CUT_OFF = datetime.date(2025, 12, 14)


def operating_cluster(code: str, name: str, district_code: str = "017", **kwargs):
    return ClusterFactory(
        code=code,
        name=name,
        district=district(district_code),
        established_on=datetime.date(2010, 1, 1),
        construction_started_on=datetime.date(2011, 1, 1),
        operating_since=datetime.date(2013, 1, 1),
        wwtp_operating_since=datetime.date(2014, 1, 1),
        **kwargs,
    )


@pytest.fixture
def city(db):
    """Two operating clusters in Đông Anh, both compliant at 14/12/2025 (inspected in June
    2025), and one in Ứng Hòa with no evidence: 2 of 3 compliant."""
    a = operating_cluster("CCN-DUC-TU", "Cụm công nghiệp Dục Tú")
    b = operating_cluster("CCN-THUY-LAM", "Cụm công nghiệp Thụy Lâm")
    c = operating_cluster("CCN-XA-CAU", "Cụm công nghiệp Xà Cầu", "281")
    for cluster in (a, b):
        InspectionFactory(cluster=cluster, inspected_on=datetime.date(2025, 6, 1))
    return {"a": a, "b": b, "c": c}


@pytest.fixture
def publisher(db):
    """Department staff, through the group (the permissions the migrations give it)."""
    user = UserFactory(username="so-cong-thuong-hoa")
    user.groups.add(Group.objects.get(name="Department staff"))
    return user


@pytest.fixture
def local_staff(db):
    user = UserFactory(username="dong-anh-staff", districts=[district("017")])
    user.groups.add(Group.objects.get(name="District staff"))
    return user
