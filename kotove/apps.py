from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KotoveConfig(AppConfig):
    name = "kotove"
    verbose_name = _("Network")
