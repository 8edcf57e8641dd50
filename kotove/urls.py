from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

# The admin login is allauth's, so it has the same rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Kokemustoimintaverkosto administration")
admin.site.site_title = _("Kokemustoimintaverkosto")

urlpatterns = [
    path("", views.home, name="home"),
    path("pyyda-tunnukset/", views.access_request, name="access_request"),
    path("saavutettavuus/", views.accessibility, name="accessibility"),
    path("tietosuoja/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("pankki/", include("pankki.urls")),
    path("alueet/", include("alueet.urls")),
    path("koulutus/", include("koulutus.urls")),
    path("palaute/", include("palaute.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "kotove.views.error_400"
handler403 = "kotove.views.error_403"
handler404 = "kotove.views.error_404"
handler500 = "kotove.views.error_500"
