from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "hemma.information"
    verbose_name = _("Information for residents")
