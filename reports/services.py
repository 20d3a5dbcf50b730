"""Publishing a period's figures (the one way a ``PublishedReport`` is made)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from registry.reporting import reporting_level
from registry.scoping import can_access_all_districts
from reports.figures import compute_figures
from reports.models import PublishedReport
from reports.periods import PeriodForm, cut_off

PUBLISH_PERMISSION = "reports.publish_report"


def can_publish(user) -> bool:
    """Department staff only: every unit (``registry.scoping``) and the publish permission."""
    return can_access_all_districts(user) and user.has_perm(PUBLISH_PERMISSION)


def validate_request(period, year, note: str = "") -> tuple[str, int, str]:
    """``period``, ``year`` and ``note`` checked (ValidationError by field otherwise)."""
    form = PeriodForm({"period": period, "year": year})
    errors = {} if form.is_valid() else {f: list(m) for f, m in form.errors.items()}
    if note is not None and not isinstance(note, str):
        errors["note"] = [_("Give the note as text.")]
    if errors:
        raise ValidationError(errors)
    return form.cleaned_data["period"], form.cleaned_data["year"], (note or "").strip()


def publish(period: str, year: int, user, note: str = "") -> PublishedReport:
    """Freeze the figures of ``period`` of ``year`` at its cut-off, over every unit, grouped
    by the reporting level at the cut-off; one transaction. A second publication of the same
    period supersedes the current one and needs ``note`` (the reason for the correction).

    PermissionDenied unless ``user`` is department staff; ValidationError (by field) for a
    period, year or note that cannot be published."""
    if not can_publish(user):
        raise PermissionDenied(_("Only department staff may publish a period's figures."))
    period, year, note = validate_request(period, year, note)
    day = cut_off(period, year)
    try:
        with transaction.atomic():
            previous = (
                PublishedReport.objects.select_for_update(of=("self",))
                .current()
                .filter(period=period, year=year)
                .first()
            )
            if previous is not None and not note:
                raise ValidationError(
                    {
                        "note": [
                            _(
                                "This period was already published on %(day)s: a new "
                                "publication corrects it, so say why in the note."
                            )
                            % {
                                "day": date_format(
                                    timezone.localtime(previous.published_at), "SHORT_DATE_FORMAT"
                                )
                            }
                        ]
                    }
                )
            grouping = reporting_level(day)
            report = PublishedReport(
                period=period,
                year=year,
                cut_off=day,
                grouping=grouping,
                published_at=timezone.now(),
                published_by=user,
                supersedes=previous,
                note=note,
                figures=compute_figures(day, grouping),
            )
            report._history_user = user  # simple-history: who published it
            report.save()
    except IntegrityError:
        # Someone else published the same period at the same moment.
        raise ValidationError(
            {
                "period": [
                    _("This period was published by someone else just now: reload and try again.")
                ]
            }
        ) from None
    return report
