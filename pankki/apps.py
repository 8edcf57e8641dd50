from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PankkiConfig(AppConfig):
    name = "pankki"
    verbose_name = _("Experience bank")
