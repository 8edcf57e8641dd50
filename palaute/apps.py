from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PalauteConfig(AppConfig):
    name = "palaute"
    verbose_name = _("Feedback and reports")
