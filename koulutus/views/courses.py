"""Creating and editing courses with their sessions and assignments; the signed-in user's own
trainings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kotove.personal_data import without_special_category

from .. import services
from ..forms import AssignmentFormSet, CourseForm, SessionFormSet
from ..models import Application, Course
from ..permissions import can_create_course, managed_course, require
from . import add_error


def _save(request, form, sessions, assignments) -> Course | None:
    """Save everything or nothing; an error found inside the transaction (a session overlap
    or a place taken meanwhile) is shown on the form."""
    try:
        with transaction.atomic():
            course = form.save()
            return services.save_course(
                course=course,
                by=request.user,
                organisations=form.cleaned_data["organisations"],
                trainers=form.cleaned_data["trainer_emails"],
                sessions=sessions.save(commit=False),
                deleted_sessions=sessions.deleted_objects,
                assignments=assignments.save(commit=False),
                deleted_assignments=assignments.deleted_objects,
                request=request,
            )
    except ValidationError as error:
        add_error(form, error)
        return None


def _edit(request, course: Course | None):
    instance = course or Course()
    data = request.POST if request.method == "POST" else None
    form = CourseForm(data, instance=instance, user=request.user)
    sessions = SessionFormSet(data, instance=instance, prefix="sessions")
    assignments = AssignmentFormSet(data, instance=instance, prefix="assignments")
    # Validate every part, so that all errors show at once.
    if request.method == "POST" and all(
        [form.is_valid(), sessions.is_valid(), assignments.is_valid()]
    ):
        saved = _save(request, form, sessions, assignments)
        if saved is not None:
            messages.success(request, _("The course was saved."))
            return redirect("koulutus:course_manage", pk=saved.pk)
    return render(
        request,
        "koulutus/course_form.html",
        {"course": course, "form": form, "sessions": sessions, "assignments": assignments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    require(can_create_course(request.user))
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    return _edit(request, managed_course(request.user, pk))


@login_required
@require_GET
def my_courses(request):
    """The user's own applications and participations, and the courses they run."""
    user = request.user
    applications = (
        without_special_category(Application.objects.filter(Q(user=user) | Q(expert__user=user)))
        .exclude(status=Application.Status.UNVERIFIED)
        .select_related("course__course_type")
        .order_by("-created_at")
    )
    running = (
        Course.objects.run_by(user)
        .with_dates()
        .select_related("course_type")
        .order_by("-last_date", "name")
    )
    if user.is_planner:
        running = running[:50]
    return render(
        request,
        "koulutus/my_courses.html",
        {
            "applications": applications,
            "running": running,
            "can_create": can_create_course(user),
        },
    )
