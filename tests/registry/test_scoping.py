"""District scoping (``registry.scoping``): who sees which district's records."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from clusters.models import IndustrialCluster, WastewaterInspection
from markets.models import Market, MarketProject
from registry.models import District, Target
from registry.scoping import (
    can_access_all_districts,
    can_access_district,
    restrict,
    visible_districts,
)
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    MarketProjectFactory,
    UserFactory,
    district,
)

pytestmark = pytest.mark.django_db

MODELS = [District, IndustrialCluster, WastewaterInspection, Market, MarketProject]


@pytest.fixture
def records(dong_anh, ung_hoa):
    """One cluster, inspection, market and project in Đông Anh (017) and in Ứng Hòa (281)."""
    for where in (dong_anh, ung_hoa):
        InspectionFactory(cluster=ClusterFactory(district=where, code=f"CCN-{where.code}"))
        MarketProjectFactory(market=MarketFactory(district=where, code=f"CHO-{where.code}"))


def district_codes(model, user) -> set[str]:
    path = model.DISTRICT_PATH
    field = f"{path}__code" if path else "code"
    return set(restrict(model.objects.all(), user).values_list(field, flat=True))


ALL = {District: 30}


@pytest.fixture
def plain_staff(db):
    return UserFactory(username="plain-staff")


@pytest.fixture(params=["superuser", "department_user", "group_department_user"])
def everything_user(request, db):
    if request.param == "group_department_user":
        # The role group the migrations create for department staff.
        user = UserFactory(username="grouped")
        user.groups.add(Group.objects.get(name="Department staff"))
        return user
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["anonymous", "none", "plain_staff", "district_role_unassigned",
                        "inactive_superuser", "inactive_department",
                        "inactive_district_staff"])  # fmt: skip
def nothing_user(request, db, dong_anh):
    match request.param:
        case "anonymous":
            return AnonymousUser()
        case "none":
            return None
        case "plain_staff":
            return request.getfixturevalue("plain_staff")
        case "district_role_unassigned":
            # Every permission of the district staff role, but no district assigned.
            user = UserFactory(username="no-district")
            user.groups.add(Group.objects.get(name="District staff"))
            return user
        case "inactive_superuser":
            return UserFactory(username="gone-root", is_superuser=True, is_active=False)
        case "inactive_department":
            user = UserFactory(username="gone-dept", is_active=False)
            user.user_permissions.add(Permission.objects.get(codename="access_all_districts"))
            return user
        case "inactive_district_staff":
            return UserFactory(username="gone-staff", districts=[dong_anh], is_active=False)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_superuser_and_department_staff_see_every_district(records, everything_user, model):
    expected = set(model.objects.values_list(
        f"{model.DISTRICT_PATH}__code" if model.DISTRICT_PATH else "code", flat=True
    ))  # fmt: skip
    assert district_codes(model, everything_user) == expected
    assert len(expected) == (30 if model is District else 2)
    assert can_access_all_districts(everything_user)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_district_staff_see_only_their_districts(records, district_user, model):
    assert district_codes(model, district_user) == {"017"}
    assert not can_access_all_districts(district_user)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_others_see_nothing(records, nothing_user, model):
    assert district_codes(model, nothing_user) == set()
    assert not can_access_all_districts(nothing_user)


def test_staff_of_two_districts(records, dong_anh, ung_hoa):
    user = UserFactory(username="two", districts=[dong_anh, ung_hoa])
    assert district_codes(IndustrialCluster, user) == {"017", "281"}
    assert set(visible_districts(user).values_list("code", flat=True)) == {"017", "281"}


def test_an_assignment_given_later_is_seen_at_once(records, plain_staff, ung_hoa):
    clusters = restrict(IndustrialCluster.objects.all(), plain_staff)
    assert not clusters.exists()
    plain_staff.district_assignments.create(district=ung_hoa)
    assert set(clusters.all().values_list("code", flat=True)) == {"CCN-281"}


def test_restrict_keeps_the_callers_filters_and_is_one_query(
    records, district_user, django_assert_num_queries
):
    queryset = IndustrialCluster.objects.filter(code__startswith="CCN-").with_status(
        district("017").clusters.get().established_on
    )
    restrict(District.objects.all(), district_user)  # loads the user's permissions once
    with django_assert_num_queries(1):
        rows = list(restrict(queryset, district_user))
    assert [(r.code, r.status) for r in rows] == [("CCN-017", "established")]


def test_visible_districts(district_user, superuser, plain_staff):
    assert list(visible_districts(district_user).values_list("code", flat=True)) == ["017"]
    assert visible_districts(superuser).count() == 30
    assert not visible_districts(plain_staff).exists()
    assert not visible_districts(AnonymousUser()).exists()


def test_a_model_without_a_district_path_cannot_be_scoped(superuser):
    with pytest.raises(TypeError):
        restrict(Target.objects.all(), superuser)


# --- can_access_district ------------------------------------------------------------------


def test_can_access_district_everything(everything_user, dong_anh, ung_hoa):
    assert can_access_district(everything_user, dong_anh)
    assert can_access_district(everything_user, ung_hoa.pk)
    assert not can_access_district(everything_user, None)


def test_can_access_district_staff(district_user, dong_anh, ung_hoa):
    assert can_access_district(district_user, dong_anh)
    assert can_access_district(district_user, dong_anh.pk)
    assert not can_access_district(district_user, ung_hoa)
    assert not can_access_district(district_user, ung_hoa.pk)
    assert not can_access_district(district_user, None)


def test_can_access_district_nothing(nothing_user, dong_anh, ung_hoa):
    assert not can_access_district(nothing_user, dong_anh)
    assert not can_access_district(nothing_user, ung_hoa.pk)
