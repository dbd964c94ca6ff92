from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "hemma.organisations"
    verbose_name = _("Regions and organisations")
