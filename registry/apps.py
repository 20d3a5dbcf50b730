from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registry"
    verbose_name = _("Districts and targets")

    def ready(self):
        from registry import admin_i18n
        from registry.formats import install_date_messages

        install_date_messages()
        admin_i18n.install()
