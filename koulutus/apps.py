from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoulutusConfig(AppConfig):
    name = "koulutus"
    verbose_name = _("Training")
