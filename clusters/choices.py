"""Choices of the clusters app: lifecycle status, wastewater state, regulations, results."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClusterStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ESTABLISHED = "established", _("Established")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", _("Closed")


class WastewaterState(models.TextChoices):
    """The wastewater state of a cluster at a date, in the order the rule tests them."""

    NOT_OPERATING = "not_operating", _("Not operating")
    NO_TREATMENT_PLANT = "no_treatment_plant", _("No treatment plant")
    NO_EVIDENCE = "no_evidence", _("No inspection")
    STALE_EVIDENCE = "stale_evidence", _("Inspection out of date")
    FAILED = "failed", _("Failed inspection")
    COMPLIANT = "compliant", _("Compliant")


#: Why a cluster does or does not count, in words, for admin pages and the dashboard.
WASTEWATER_STATE_REASONS = {
    WastewaterState.NOT_OPERATING: _(
        "The cluster is not in operation on this date, so it is outside the indicator."
    ),
    WastewaterState.NO_TREATMENT_PLANT: _(
        "The cluster has no centralized wastewater treatment plant in operation on this date."
    ),
    WastewaterState.NO_EVIDENCE: _(
        "No wastewater inspection since the treatment plant went into operation."
    ),
    WastewaterState.STALE_EVIDENCE: _(
        "The latest wastewater inspection is older than the evidence window."
    ),
    WastewaterState.FAILED: _("The latest wastewater inspection found the effluent out of limits."),
    WastewaterState.COMPLIANT: _(
        "The latest wastewater inspection, within the evidence window, meets the regulation."
    ),
}


class InspectionResult(models.TextChoices):
    MEETS = "meets", _("Meets the regulation")
    FAILS = "fails", _("Fails the regulation")


class WastewaterStandard(models.TextChoices):
    """National technical regulations on industrial wastewater (QCVN 40)."""

    QCVN40_2011_A = "qcvn40_2011_a", _("QCVN 40:2011/BTNMT, column A")
    QCVN40_2011_B = "qcvn40_2011_b", _("QCVN 40:2011/BTNMT, column B")
    QCVN40_2025_A = "qcvn40_2025_a", _("QCVN 40:2025/BTNMT, column A")
    QCVN40_2025_B = "qcvn40_2025_b", _("QCVN 40:2025/BTNMT, column B")
    QCVN40_2025_C = "qcvn40_2025_c", _("QCVN 40:2025/BTNMT, column C")


class DeadlineSource(models.TextChoices):
    """Where a construction-overdue deadline came from (see the rules in the README)."""

    EXTENSION = "extension", _("schedule extension")
    DECISION = "decision", _("establishment decision")
    FALLBACK = "fallback", _("fallback (months after establishment)")
