"""Small factories for the registry's records (factory_boy)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from clusters.choices import InspectionResult, WastewaterStandard
from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from markets.choices import Capital, Construction, MarketKind, MarketStatus
from markets.models import Market, MarketProject
from registry.models import AdministrativeUnit, District, DistrictAssignment, Target


def district(code: str = "017") -> District:
    """One of the 30 districts loaded by the data migration."""
    return District.objects.get(code=code)


def commune_of(record) -> AdministrativeUnit | None:
    """A commune that took territory from ``record``'s district (the lowest code): where a
    factory record lies since the reform unless the test says otherwise."""
    return (
        AdministrativeUnit.objects.filter(
            level="commune", predecessions__predecessor__district=record.district
        )
        .order_by("code")
        .first()
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        for d in extracted or []:
            DistrictAssignment.objects.create(user=self, district=d)
        if create:
            self.save()


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialCluster

    code = factory.Sequence(lambda n: f"CCN-T{n:05d}")
    name = factory.Sequence(lambda n: f"Cụm công nghiệp thử {n}")
    district = factory.LazyFunction(lambda: district("017"))
    commune = factory.LazyAttribute(commune_of)
    area_ha = Decimal("30.00")
    established_on = datetime.date(2015, 1, 1)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WastewaterInspection

    cluster = factory.SubFactory(ClusterFactory)
    inspected_on = datetime.date(2021, 6, 1)
    result = InspectionResult.MEETS
    standard = WastewaterStandard.QCVN40_2011_B
    agency = "Sở Tài nguyên và Môi trường Hà Nội"


class ScheduleExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleExtension

    cluster = factory.SubFactory(ClusterFactory)
    decision_no = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decided_on = datetime.date(2022, 6, 1)
    new_start_deadline = datetime.date(2023, 6, 1)


class MarketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Market

    code = factory.Sequence(lambda n: f"CHO-T{n:05d}")
    name = factory.Sequence(lambda n: f"Chợ thử {n}")
    district = factory.LazyFunction(lambda: district("002"))
    commune = factory.LazyAttribute(commune_of)
    kind = MarketKind.PEOPLES
    construction = Construction.PERMANENT
    capital = Capital.STATE_BUDGET
    business_points = 150
    area_m2 = Decimal("2500.00")
    status = MarketStatus.OPERATING


class MarketProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketProject

    market = factory.SubFactory(MarketFactory)
    kind = "renovation"
    capital_source = "state_budget"
    budget_vnd = Decimal("12000000000")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target
        django_get_or_create = ("year",)

    year = 2022
    percent = Decimal("95.00")
