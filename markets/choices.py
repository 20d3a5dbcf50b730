"""Choices of the markets app (Decree 60/2024/NĐ-CP on market development and management)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MarketKind(models.TextChoices):
    WHOLESALE = "wholesale", _("Wholesale market (chợ đầu mối)")
    PEOPLES = "peoples", _("People's market (chợ dân sinh)")
    NIGHT = "night", _("Night market")
    COMMUNITY = "community", _("Community market")
    RURAL = "rural", _("Rural market")
    TEMPORARY = "temporary", _("Temporary market")
    HERITAGE = "heritage", _("Heritage market")


class MarketClass(models.TextChoices):
    CLASS_1 = "1", _("Class 1")
    CLASS_2 = "2", _("Class 2")
    CLASS_3 = "3", _("Class 3")


class Construction(models.TextChoices):
    PERMANENT = "permanent", _("Permanent (over 10 years)")
    SEMI_PERMANENT = "semi_permanent", _("Semi-permanent (5–10 years)")
    TEMPORARY = "temporary", _("Temporary")


class Capital(models.TextChoices):
    STATE_BUDGET = "state_budget", _("State budget")
    NON_BUDGET = "non_budget", _("Non-budget")


class Management(models.TextChoices):
    INVESTOR = "investor", _("The market's investor")
    ENTERPRISE = "enterprise", _("An enterprise operating the market")
    COOPERATIVE = "cooperative", _("A cooperative operating the market")
    STATE_BODY = "state_body", _("The state body that holds or leases the market")


class MarketStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    UNDER_RENOVATION = "under_renovation", _("Under renovation")
    CLOSED = "closed", _("Closed")


class ProjectKind(models.TextChoices):
    NEW = "new", _("New construction")
    RENOVATION = "renovation", _("Renovation")
    UPGRADE = "upgrade", _("Upgrade")
    RELOCATION = "relocation", _("Relocation")


class ProjectCapital(models.TextChoices):
    STATE_BUDGET = "state_budget", _("State budget")
    NON_BUDGET = "non_budget", _("Non-budget")
    MIXED = "mixed", _("Mixed")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
