"""Organisation contacts (and planners) keep their own organisation's expert records."""

from __future__ import annotations

import base64
import hashlib
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotove.services import audit_view

from .. import importer, services
from ..forms import (
    ConfirmForm,
    ConsentForm,
    ExpertForm,
    ImportForm,
    InviteForm,
    RecordFilterForm,
    StatusForm,
)
from ..models import Consent, Expert
from ..permissions import can_manage_records, editable_expert, require

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "pankki_import"


def manager_required(view):
    """Planners and organisation contacts; others 404, anonymous users go to the login."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        require(can_manage_records(request.user))
        return view(request, *args, **kwargs)

    return wrapped


@manager_required
@require_GET
def record_list(request):
    filters = RecordFilterForm(request.GET)
    experts = filters.filter(
        Expert.objects.editable_by(request.user)
        .select_related("home_municipality", "responsible_organisation")
        .annotate(
            has_consent=Exists(
                Consent.objects.filter(expert=OuterRef("pk"), withdrawn_at__isnull=True)
            ),
            is_stale=Exists(Expert.objects.stale().filter(pk=OuterRef("pk"))),
        )
    )
    page = Paginator(experts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pankki/records_list.html",
        {"filters": filters, "page": page, "show_organisation": request.user.is_planner},
    )


def _save(request, form) -> Expert:
    expert = form.save(commit=False)
    if expert.pk is None:  # a record just entered counts as checked
        expert.confirmed_at, expert.confirmed_by = timezone.now(), request.user
    if form.new_photo:
        expert.photo = services.clean_photo(upload=form.new_photo)
    return services.save_expert(
        expert=expert, by=request.user, m2m=form.m2m_data(), request=request
    )


@manager_required
@require_http_methods(["GET", "POST"])
def record_create(request):
    form = ExpertForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        expert = _save(request, form)
        messages.success(request, _("The record of %(name)s was saved.") % {"name": expert})
        return redirect("pankki:record_edit", pk=expert.pk)
    return render(request, "pankki/record_form.html", {"form": form})


def _edit_page(request, expert, *, form=None, status_form=None, consent_form=None):
    """The edit page: the record form, status, consent history and actions, invitation."""
    if form is not None and form.is_bound:
        expert.refresh_from_db()  # the refused form has changed the instance
    consents = list(expert.consents.select_related("recorded_by"))
    valid = [consent for consent in consents if consent.withdrawn_at is None]
    return render(
        request,
        "pankki/record_form.html",
        {
            "expert": expert,
            "form": form or ExpertForm(instance=expert, user=request.user),
            "status_form": status_form or StatusForm(expert=expert),
            "consent_form": consent_form
            or ConsentForm(expert=expert, initial={"action": ConsentForm.GIVE}),
            "consents": consents,
            "has_consent": bool(valid),
            "has_current_consent": any(
                consent.text_version == services.CONSENT_VERSION for consent in valid
            ),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def record_edit(request, pk):
    expert = editable_expert(request.user, pk)
    form = ExpertForm(
        request.POST or None, request.FILES or None, instance=expert, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        _save(request, form)
        messages.success(request, _("The record of %(name)s was saved.") % {"name": expert})
        return redirect("pankki:record_edit", pk=expert.pk)
    if request.method == "GET":  # the record shows health data (a refused save re-shows it)
        audit_view(request=request, action="expert.record_view", shown=[expert])
    return _edit_page(request, expert, form=form)


@manager_required
@require_POST
def record_status(request, pk):
    expert = editable_expert(request.user, pk)
    form = StatusForm(request.POST, expert=expert)
    if form.is_valid():
        services.set_status(expert=expert, by=request.user, request=request, **form.cleaned_data)
        messages.success(
            request, _("The status is now: %(status)s.") % {"status": expert.get_status_display()}
        )
        return redirect("pankki:record_edit", pk=expert.pk)
    return _edit_page(request, expert, status_form=form)


@manager_required
@require_POST
def record_consent(request, pk):
    expert = editable_expert(request.user, pk)
    form = ConsentForm(request.POST, expert=expert)
    if not form.is_valid():
        return _edit_page(request, expert, consent_form=form)
    withdraw = form.cleaned_data["action"] == ConsentForm.WITHDRAW
    services.change_consent(
        expert=expert,
        withdraw=withdraw,
        method=form.cleaned_data["method"],
        by=request.user,
        request=request,
    )
    messages.success(
        request,
        _("The consent was withdrawn. The expert is no longer found in search.")
        if withdraw
        else _("The consent was recorded."),
    )
    return redirect("pankki:record_edit", pk=expert.pk)


@manager_required
@require_POST
def record_invite(request, pk):
    expert = editable_expert(request.user, pk)
    form = InviteForm(request.POST, expert=expert)
    if form.is_valid():
        services.invite_expert(expert=expert, by=request.user, request=request)
        messages.success(
            request, _("An invitation was emailed to %(email)s.") % {"email": expert.email}
        )
    else:
        for error in form.non_field_errors():
            messages.error(request, error)
    return redirect("pankki:record_edit", pk=expert.pk)


@manager_required
@require_POST
def record_confirm(request):
    form = ConfirmForm(request.POST)
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "pankki:records"  # redirect() reads anything else as a URL name
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(next_url)
    chosen = form.cleaned_data["experts"]
    experts = list(Expert.objects.editable_by(request.user).filter(pk__in=chosen))
    count = services.confirm_up_to_date(experts=experts, by=request.user, request=request)
    messages.success(
        request,
        ngettext(
            "%(count)d record was confirmed up to date.",
            "%(count)d records were confirmed up to date.",
            count,
        )
        % {"count": count},
    )
    if ignored := len(chosen) - count:
        messages.warning(
            request,
            ngettext(
                "%(count)d chosen record is not one you keep and was left as it was.",
                "%(count)d chosen records are not ones you keep and were left as they were.",
                ignored,
            )
            % {"count": ignored},
        )
    return redirect(next_url)


@manager_required
@require_http_methods(["GET", "POST"])
def record_import(request):
    """First a dry run that writes nothing; the confirmation applies the remembered file."""
    if "digest" in request.POST:
        return _import_confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload, organisation = form.cleaned_data["file"], form.cleaned_data["organisation"]
        content = upload.read()
        result = importer.parse(filename=upload.name, content=content, organisation=organisation)
        digest = ""
        if result.is_valid:
            digest = hashlib.sha256(content).hexdigest()
            request.session[IMPORT_SESSION_KEY] = {
                "digest": digest,
                "filename": upload.name,
                "organisation": organisation.pk,
                "content": base64.b64encode(content).decode("ascii"),
            }
        return _import_preview(request, result, upload.name, organisation, digest)
    return render(request, "pankki/record_import.html", {"form": form, "columns": importer.COLUMNS})


def _import_preview(request, result, filename, organisation, digest=""):
    return render(
        request,
        "pankki/record_import_preview.html",
        {
            "result": result,
            "filename": filename,
            "organisation": organisation,
            "digest": digest,
            "form": ImportForm(user=request.user),
        },
    )


def _import_confirm(request):
    stored = request.session.get(IMPORT_SESSION_KEY)
    organisation = (
        request.user.contact_organisations().filter(pk=stored["organisation"]).first()
        if stored and stored["digest"] == request.POST["digest"]
        else None
    )
    if organisation is None:
        messages.error(request, _("The import was not found any more. Upload the file again."))
        return redirect("pankki:record_import")
    content = base64.b64decode(stored["content"])
    try:
        counts = services.import_experts(
            filename=stored["filename"],
            content=content,
            organisation=organisation,
            by=request.user,
            request=request,
        )
    except ValidationError:
        # The register changed after the dry run: show what is wrong now.
        result = importer.parse(
            filename=stored["filename"], content=content, organisation=organisation
        )
        return _import_preview(request, result, stored["filename"], organisation)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % counts,
    )
    return redirect("pankki:records")
