"""Recognition on special grounds: organisation contacts apply for a person, the national
steering group decides. The grounds and attachments may hold health data: every view and
download is audited, and attachments are served only to those who see the application."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotove.personal_data import without_special_category
from kotove.services import audit_view

from .. import services
from ..forms import RecognitionDecisionForm, RecognitionForm
from ..models import RecognitionApplication
from ..permissions import (
    can_decide_recognition,
    can_see_recognitions,
    is_contact,
    require,
    visible_recognition,
)
from . import add_error


def recognition_access(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        require(can_see_recognitions(request.user))
        return view(request, *args, **kwargs)

    return wrapped


@recognition_access
@require_GET
def recognition_list(request):
    recognitions = (
        without_special_category(RecognitionApplication.objects.visible_to(request.user))
        .select_related("organisation")
        .order_by("status", "-created_at")
    )
    return render(
        request,
        "koulutus/recognition_list.html",
        {
            "recognitions": recognitions,
            "can_apply": is_contact(request.user),
            "Status": RecognitionApplication.Status,
        },
    )


@recognition_access
@require_http_methods(["GET", "POST"])
def recognition_create(request):
    require(is_contact(request.user))
    form = RecognitionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        attachments = form.cleaned_data.pop("attachments")
        try:
            recognition = services.submit_recognition(
                recognition=form.save(commit=False),
                attachments=attachments,
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The application was sent to the national steering group."))
            return redirect("koulutus:recognition", pk=recognition.pk)
    return render(request, "koulutus/recognition_form.html", {"form": form})


def _detail(request, recognition, decision_form=None):
    audit_view(request=request, action="recognition.view", shown=[recognition])
    can_decide = (
        can_decide_recognition(request.user)
        and recognition.status == RecognitionApplication.Status.SUBMITTED
    )
    return render(
        request,
        "koulutus/recognition_detail.html",
        {
            "recognition": recognition,
            "attachments": recognition.attachments.all(),
            "can_decide": can_decide,
            "decision_form": decision_form or RecognitionDecisionForm(),
        },
    )


@recognition_access
@require_GET
def recognition_detail(request, pk):
    return _detail(request, visible_recognition(request.user, pk, health_data=True))


def decider_view(view):
    """Only the national steering group reaches the decision (404 for others, before the
    method is looked at)."""

    @wraps(view)
    @recognition_access
    def wrapped(request, pk):
        recognition = visible_recognition(request.user, pk, health_data=False)
        require(can_decide_recognition(request.user))
        return view(request, recognition)

    return wrapped


@decider_view
@require_POST
def recognition_decide(request, recognition):
    form = RecognitionDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_recognition(
                recognition=recognition, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The decision was saved and the organisation told."))
            return redirect("koulutus:recognition", pk=recognition.pk)
    return _detail(request, recognition, decision_form=form)


@recognition_access
@require_GET
def recognition_attachment(request, pk, attachment_pk):
    recognition = visible_recognition(request.user, pk, health_data=False)
    attachment = get_object_or_404(recognition.attachments, pk=attachment_pk)
    audit_view(request=request, action="recognition.attachment", shown=[recognition])
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
