"""Organisation contacts handle their own organisation's applications: the initial interview
and the decision. Another organisation's application answers 404."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kotove.personal_data import without_special_category
from kotove.services import audit_view

from .. import completion, services
from ..forms import DecisionForm, InterviewForm
from ..models import Application, Course
from ..permissions import decidable_application, is_contact, require
from . import add_error

PAGE_SIZE = 50


def contact_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        require(is_contact(request.user))
        return view(request, *args, **kwargs)

    return wrapped


def application_view(*, health_data: bool = False):
    """Resolve the application of the contact's own organisation (404 otherwise) before
    anything else; the view gets the application, with its health data only where the page
    shows it (and the method is the page's)."""

    def decorator(view):
        @wraps(view)
        @contact_required
        def wrapped(request, pk):
            shown = health_data and request.method == "GET"
            return view(request, decidable_application(request.user, pk, health_data=shown))

        return wrapped

    return decorator


class ApplicationFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=gettext_lazy("All courses"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            *[c for c in Application.Status.choices if c[0] != Application.Status.UNVERIFIED],
        ],
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(
            pk__in=applications.values("course")
        ).order_by("-application_closes")

    def filter(self, applications):
        if not self.is_valid():
            return applications
        if self.cleaned_data["course"]:
            applications = applications.filter(course=self.cleaned_data["course"])
        if self.cleaned_data["status"]:
            applications = applications.filter(status=self.cleaned_data["status"])
        return applications


@contact_required
@require_GET
def application_list(request):
    applications = without_special_category(Application.objects.visible_to(request.user))
    filters = ApplicationFilterForm(request.GET or None, applications=applications)
    found = (
        filters.filter(applications)
        .select_related("course__course_type", "organisation")
        .order_by("-created_at")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "koulutus/application_list.html",
        {"filters": filters, "page": page, "waiting": Application.Status.SUBMITTED},
    )


def _detail(request, application, *, interview_form=None, decision_form=None):
    """The application with its interview and decision. It shows health data (the
    applicant's experience), so each view is audited."""
    audit_view(request=request, action="application.view", shown=[application])
    interview = getattr(application, "interview", None)
    return render(
        request,
        "koulutus/application_detail.html",
        {
            "application": application,
            "course": application.course,
            "interview": interview,
            "interview_form": interview_form or InterviewForm(instance=interview),
            "decision_form": decision_form
            or DecisionForm(
                initial={"status": application.status, "note": application.decision_note}
            ),
            "decidable": application.status in Application.DECIDABLE,
            "progress": completion.for_application(application)
            if application.status == Application.Status.CONFIRMED
            else None,
        },
    )


@application_view(health_data=True)
@require_GET
def application_detail(request, application):
    return _detail(request, application)


@application_view()
@require_POST
def application_interview(request, application):
    interview = getattr(application, "interview", None)
    form = InterviewForm(request.POST, instance=interview)
    if not form.is_valid():
        return _detail(request, application, interview_form=form)
    try:
        services.record_interview(
            application=application, by=request.user, request=request, **form.cleaned_data
        )
    except ValidationError as error:
        add_error(form, error)
        return _detail(request, application, interview_form=form)
    messages.success(request, _("The initial interview was saved."))
    return redirect("koulutus:application", pk=application.pk)


@application_view()
@require_POST
def application_decide(request, application):
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_application(
                application=application,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_error(form, error)
        else:
            application.refresh_from_db()
            messages.success(
                request,
                _("Decision saved: %(status)s. The applicant was told by email.")
                % {"status": application.get_status_display()},
            )
            return redirect("koulutus:application", pk=application.pk)
    return _detail(request, application, decision_form=form)
