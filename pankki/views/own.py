"""Experts keep their own presentation, availability and consent, and download their data."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms import ConsentForm, OwnProfileForm, StatusForm
from ..models import Expert
from ..permissions import own_expert

STATUS_FORM = "status"


def expert_required(view):
    """Users linked to an expert record get it as the view's second argument; others 404,
    anonymous users go to the login."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        return view(request, own_expert(request.user), *args, **kwargs)

    return wrapped


@expert_required
@require_http_methods(["GET", "POST"])
def profile(request, expert):
    is_status = request.POST.get("form") == STATUS_FORM
    form = OwnProfileForm(None if is_status else request.POST or None, instance=expert)
    status_form = StatusForm(request.POST if is_status else None, expert=expert, allow_leave=False)
    if is_status and status_form.is_valid():
        services.set_status(
            expert=expert, by=request.user, request=request, **status_form.cleaned_data
        )
        messages.success(request, _("Your availability was saved."))
        return redirect("pankki:own_profile")
    if request.method == "POST" and not is_status and form.is_valid():
        services.save_expert(
            expert=form.save(commit=False), by=request.user, m2m=form.m2m_data(), request=request
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("pankki:own_profile")
    expert.refresh_from_db()  # a bound form may have changed the instance
    return render(request, "pankki/own_profile.html", _context(expert, form, status_form))


def _context(expert: Expert, form, status_form) -> dict:
    language = (get_language() or "fi")[:2]
    return {
        "expert": expert,
        "form": form,
        "status_form": status_form,
        "status_form_name": STATUS_FORM,
        "consents": expert.consents.all(),
        "has_current_consent": expert.consents.filter(
            withdrawn_at__isnull=True, text_version=services.CONSENT_VERSION
        ).exists(),
        "consent_text": services.CONSENT_TEXT.get(language, services.CONSENT_TEXT["fi"]),
        "consent_version": services.CONSENT_VERSION,
        "has_consent": expert.consents.filter(withdrawn_at__isnull=True).exists(),
    }


@expert_required
@require_POST
def consent(request, expert):
    form = ConsentForm(request.POST, expert=expert, online=True)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
    else:
        withdraw = form.cleaned_data["action"] == ConsentForm.WITHDRAW
        services.change_consent(
            expert=expert,
            withdraw=withdraw,
            method=form.cleaned_data.get("method"),
            by=request.user,
            request=request,
        )
        messages.success(
            request,
            _("Your consent was withdrawn. Orderers no longer find you in search.")
            if withdraw
            else _("Thank you. Your consent was recorded."),
        )
    return redirect("pankki:own_profile")


@never_cache
@expert_required
@require_GET
def data_export(request, expert):
    data = services.export_expert_data(expert=expert, by=request.user, request=request)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="kokemuspankki-omat-tiedot.json"'
    return response
