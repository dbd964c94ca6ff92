from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "hemma.registries"
    verbose_name = _("Registries of the work done")
