"""District scoping: the one place that decides which records an account may see or change.

Every queryset a user touches (admin lists, forms, autocompletes, inlines, imports, exports,
history, API, dashboard) goes through :func:`restrict`. The rule (the admin (README)):

- superusers, department staff and other departments' accounts — anyone holding the
  ``registry.access_all_districts`` permission — see every district;
- local staff see the records lying in the units assigned to them: communes
  (``UnitAssignment``, since the reform) or, for history, districts (``DistrictAssignment``);
- any other account, and anonymous visitors, see nothing.

A model says how it reaches its district with a ``DISTRICT_PATH`` class attribute
(``"district"`` for a cluster, ``"cluster__district"`` for an inspection, ``""`` for
District itself) and its commune with ``COMMUNE_PATH`` (``"commune"``,
``"cluster__commune"``). Commune staff also see the District rows their communes took
territory from (a record still names its former district) and administrative units are
seen as their records are: communes assigned or succeeding an assigned district.
"""

from django.db.models import Model, Q, QuerySet

from registry.models import (
    AdministrativeUnit,
    District,
    DistrictAssignment,
    UnitAssignment,
    UnitLevel,
    UnitSuccession,
)

ALL_DISTRICTS_PERMISSION = "registry.access_all_districts"


def can_access_all_districts(user) -> bool:
    """Whether ``user`` sees every district."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(ALL_DISTRICTS_PERMISSION)


def visible_districts(user) -> QuerySet:
    """The districts whose records ``user`` may see."""
    return restrict(District.objects.all(), user)


def kept_districts(user) -> QuerySet:
    """The districts whose every record ``user`` sees (every district for department staff;
    the assigned districts for local staff): the districts whose figures it may be shown.
    A commune-staff account sees the District rows its communes took territory from, but not
    those districts' other records, so not their figures."""
    if can_access_all_districts(user):
        return District.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return District.objects.none()
    return District.objects.filter(pk__in=_assigned(user)[0])


def districts_in_scope(user, district: District | None = None) -> list[District] | None:
    """The districts whose figures ``user``'s statistics cover (the KPI, the market counts),
    for the API and the dashboard alike: ``district`` when one was asked for (the caller has
    checked that ``user`` sees it), else every district ``user`` sees; ``None`` when that is
    every district (the selectors' default, which then need not filter by district)."""
    if district is not None:
        return [district]
    if can_access_all_districts(user):
        return None
    return list(kept_districts(user))


def kept_communes(user) -> QuerySet:
    """The commune-level units whose every record ``user`` sees, so whose figures it may be
    shown: every commune for department staff; for local staff the communes assigned, and
    the communes that took territory from the assigned districts only (a commune formed
    from the assigned districts alone holds only records of those districts)."""
    communes = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE)
    if can_access_all_districts(user):
        return communes
    if user is None or not user.is_authenticated or not user.is_active:
        return communes.none()
    districts, assigned = _assigned(user)
    from_elsewhere = UnitSuccession.objects.exclude(predecessor__district_id__in=districts).values(
        "successor_id"
    )
    within = (
        AdministrativeUnit.objects.filter(predecessions__predecessor__district_id__in=districts)
        .exclude(pk__in=from_elsewhere)
        .values("pk")
    )
    return communes.filter(Q(pk__in=assigned) | Q(pk__in=within))


def kept_units(user, grouping: str) -> QuerySet:
    """The units of ``grouping`` (``district`` or ``commune``) whose figures ``user`` may
    be shown (``kept_districts`` or ``kept_communes``)."""
    return kept_districts(user) if grouping == UnitLevel.DISTRICT else kept_communes(user)


def units_in_scope(user, grouping: str, unit=None) -> list | None:
    """The units of ``grouping`` whose figures ``user``'s statistics cover (the KPI, the
    overdue lists, the market counts), for the API, the dashboard and the reports alike:
    ``unit`` when one was asked for (the caller has checked that ``user`` keeps it), else
    every unit ``user`` keeps; ``None`` when that is every unit (the selectors' default,
    which then need not filter by unit)."""
    if unit is not None:
        return [unit]
    if can_access_all_districts(user):
        return None
    return list(kept_units(user, grouping).order_by("code"))


def visible_communes(user) -> QuerySet:
    """The commune-level units whose records ``user`` may see."""
    return restrict(AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE), user)


def _assigned(user):
    districts = DistrictAssignment.objects.filter(user_id=user.pk).values("district_id")
    communes = UnitAssignment.objects.filter(user_id=user.pk).values("unit_id")
    return districts, communes


def _units_filter(user) -> Q:
    districts, communes = _assigned(user)
    return (
        Q(pk__in=communes)
        | Q(district_id__in=districts)
        | Q(predecessions__predecessor__district_id__in=districts)
    )


def district_path(model: type[Model]) -> str:
    if model is AdministrativeUnit:
        return "district"
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
    districts, communes = _assigned(user)
    if queryset.model is AdministrativeUnit:
        return queryset.filter(
            pk__in=AdministrativeUnit.objects.filter(_units_filter(user)).values("pk")
        )
    if not path:  # District itself: the assigned ones and those of the assigned communes
        return queryset.filter(
            Q(pk__in=districts)
            | Q(
                pk__in=AdministrativeUnit.objects.filter(
                    successions__successor__in=communes
                ).values("district_id")
            )
        )
    commune_path = getattr(queryset.model, "COMMUNE_PATH", None)
    in_districts = Q(**{f"{path}__in": districts})
    if commune_path is None:
        return queryset.filter(in_districts)
    return queryset.filter(in_districts | Q(**{f"{commune_path}__in": communes}))


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


def can_keep(user, district, commune=None) -> bool:
    """Whether ``user`` may write a record lying in ``district`` (a District) and
    ``commune`` (a commune-level AdministrativeUnit or None): department staff anywhere,
    district staff in their districts, commune staff in their communes."""
    if can_access_all_districts(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if district is not None and can_access_district(user, district):
        return True
    return (
        commune is not None
        and UnitAssignment.objects.filter(user_id=user.pk, unit_id=commune.pk).exists()
    )
