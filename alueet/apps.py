from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlueetConfig(AppConfig):
    name = "alueet"
    verbose_name = _("Regional steering groups")
