"""District scoping: the one place that decides which records an account may see or change.

Every queryset a user touches (admin lists, forms, autocompletes, inlines, imports, exports,
history, API, dashboard) goes through :func:`restrict`. The rule (DESIGN.md section 5):

- superusers, department staff and other departments' accounts — anyone holding the
  ``registry.access_all_districts`` permission — see every district;
- district staff see the districts assigned to them (``DistrictAssignment``);
- any other account, and anonymous visitors, see nothing.

A model says how it reaches its district with a ``DISTRICT_PATH`` class attribute
(``"district"`` for a cluster, ``"cluster__district"`` for an inspection, ``""`` for
District itself).
"""

from django.db.models import Model, QuerySet

from registry.models import District, DistrictAssignment

ALL_DISTRICTS_PERMISSION = "registry.access_all_districts"


def can_access_all_districts(user) -> bool:
    """Whether ``user`` sees every district."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(ALL_DISTRICTS_PERMISSION)


def visible_districts(user) -> QuerySet:
    """The districts whose records ``user`` may see."""
    return restrict(District.objects.all(), user)


def districts_in_scope(user, district: District | None = None) -> list[District] | None:
    """The districts whose figures ``user``'s statistics cover (the KPI, the market counts),
    for the API and the dashboard alike: ``district`` when one was asked for (the caller has
    checked that ``user`` sees it), else every district ``user`` sees; ``None`` when that is
    every district (the selectors' default, which then need not filter by district)."""
    if district is not None:
        return [district]
    if can_access_all_districts(user):
        return None
    return list(visible_districts(user))


def district_path(model: type[Model]) -> str:
    try:
        return model.DISTRICT_PATH
    except AttributeError:
        raise TypeError(
            f"{model.__name__} has no DISTRICT_PATH: it is not district-scoped"
        ) from None


def restrict(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` narrowed to the records ``user`` may see (one subquery, no extra query)."""
    path = district_path(queryset.model)
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if can_access_all_districts(user):
        return queryset
    lookup = f"{path}__in" if path else "pk__in"
    return queryset.filter(
        **{lookup: DistrictAssignment.objects.filter(user_id=user.pk).values("district_id")}
    )


def can_access_district(user, district) -> bool:
    """Whether ``user`` may see and keep records of ``district`` (a District or its pk)."""
    if district is None:
        return False
    if can_access_all_districts(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    district_id = district.pk if isinstance(district, District) else district
    return DistrictAssignment.objects.filter(user_id=user.pk, district_id=district_id).exists()
