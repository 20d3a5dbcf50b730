"""Read rules over markets as queryset methods: the market class criteria of Decree
60/2024/NĐ-CP, and the market projects under way at a date."""

from django.db import models
from django.db.models import Case, F, Q, Value, When

from markets.choices import Construction, MarketClass, ProjectStatus

#: Over this many business points (and permanently built) is class 1.
CLASS_1_MIN_POINTS_EXCLUSIVE = 400
#: From this many business points (and permanently built) is class 2; fewer is class 3.
CLASS_2_MIN_POINTS = 200


def expected_class_expression() -> Case:
    """The class a market's own figures point to: 1 for over 400 business points and
    permanently built, 2 for 200–400 and permanently built, 3 otherwise."""
    permanent = Q(construction=Construction.PERMANENT)
    return Case(
        When(
            permanent & Q(business_points__gt=CLASS_1_MIN_POINTS_EXCLUSIVE),
            then=Value(MarketClass.CLASS_1.value),
        ),
        When(
            permanent & Q(business_points__gte=CLASS_2_MIN_POINTS),
            then=Value(MarketClass.CLASS_2.value),
        ),
        default=Value(MarketClass.CLASS_3.value),
        output_field=models.CharField(),
    )


class MarketQuerySet(models.QuerySet):
    def with_class_check(self):
        """Annotate ``expected_class`` and ``class_matches_criteria`` (null when the market
        is not yet classified): a mismatch is a flag for review, never a refusal."""
        return self.annotate(expected_class=expected_class_expression()).annotate(
            class_matches_criteria=Case(
                When(market_class__isnull=True, then=Value(None)),
                When(market_class=F("expected_class"), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(null=True),
            )
        )


class MarketProjectQuerySet(models.QuerySet):
    def under_way_at(self, as_of, *, today):
        """The projects (new, renovation, upgrade, relocation) under way at ``as_of``.

        From ``today`` on (a projection of today's records): those recorded as in progress.
        At a past date: those in progress or completed since that had started on or before it
        and were not yet completed (a project without a start date cannot be placed at a past
        date; a cancelled one has no date it stopped)."""
        if as_of >= today:
            return self.filter(status=ProjectStatus.IN_PROGRESS)
        return self.filter(
            Q(status__in=[ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED])
            & Q(started_on__lte=as_of)
            & (Q(completed_on__isnull=True) | Q(completed_on__gt=as_of))
        )
