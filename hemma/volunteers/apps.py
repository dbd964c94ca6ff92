from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "hemma.volunteers"
    verbose_name = _("Friend persons")
