from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import navigation, services
from .forms import AccessRequestForm
from .models import AccessRequest, Role


def home(request):
    """The front page: for a signed-in user, what each of their roles can do next."""
    context = {}
    if request.user.is_authenticated:
        kinds = {role.kind for role in request.user.active_roles}
        context = {
            "roles": request.user.active_roles,
            "role_cards": [
                (role, navigation.role_links(request.user, role))
                for role in request.user.active_roles
            ],
            "kinds": kinds,
            "Kind": Role.Kind,
            "pending_access_requests": AccessRequest.objects.filter(
                status=AccessRequest.Status.PENDING
            ).count()
            if request.user.is_planner
            else 0,
        }
    return render(request, "kotove/home.html", context)


@require_http_methods(["GET", "POST"])
def access_request(request):
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.consume(request, action="access_request"):
            form.add_error(None, _("Too many requests from your address. Try again in an hour."))
            return render(request, "kotove/access_request.html", {"form": form}, status=429)
        if form.is_valid():
            services.request_access(**form.cleaned_data, language=get_language()[:2])
            messages.success(
                request,
                _("Thank you. We will email you when the planner has handled your request."),
            )
            return redirect("home")
    return render(request, "kotove/access_request.html", {"form": form})


def accessibility(request):
    return render(request, "kotove/accessibility.html")


def duration(days: int) -> str:
    """Retention days as people say them: whole years, else months, else days."""
    years, months = round(days / 365.25), round(days / 30.44)
    if years and abs(days - years * 365.25) < 3:
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    if months and abs(days - months * 30.44) < 3:
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def privacy(request):
    """The privacy notice; the retention times are the settings in force."""
    retention = {
        name.removeprefix("RETENTION_").removesuffix("_DAYS").lower(): duration(
            getattr(settings, name)
        )
        for name in dir(settings)
        if name.startswith("RETENTION_") and name.endswith("_DAYS")
    }
    return render(request, "kotove/privacy.html", {"retention": retention})


@never_cache
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise."""
    from .celery import app

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:
        checks["broker"] = f"error: {exc.__class__.__name__}"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def set_language(request):
    """Django's language switch; a signed-in user's choice also becomes their preferred
    language, so the next login and their emails use it too."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and language != request.user.language
    ):
        services.set_preferred_language(user=request.user, language=language)
    return response
