"""Session lifetime, the second factor that some roles must use, and NUL bytes."""

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse

STARTED = "kotove_session_started"
SEEN = "kotove_session_seen"


class SessionLifetimeMiddleware:
    """A session lasts 12 hours from login; a planner's ends after 30 minutes idle."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle_limit = settings.PLANNER_IDLE_TIMEOUT if user.is_planner else None
            if now - started > settings.SESSION_MAX_AGE or (idle_limit and now - seen > idle_limit):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if idle_limit:
                request.session[SEEN] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Planners, organisation contacts and regional secretaries must enrol a TOTP
    authenticator: until they do, every page outside the account pages leads to enrolment."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and user.needs_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


class RejectNullBytesMiddleware:
    """A NUL byte in the address or its query answers 400: nobody types one, and PostgreSQL
    refuses it in text, so a lookup made from such a parameter would fail with a server
    error. (Forms already refuse it on the field.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in v for v in request.GET.values()):
            return render(request, "400.html", status=400)
        return self.get_response(request)
