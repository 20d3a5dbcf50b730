from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "markets"
    verbose_name = _("Markets")
