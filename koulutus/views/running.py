"""Running a course: the coordinator confirms places and completions; the coordinator and the
trainers record attendance (one screen per session) and assignments."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotove import hooks
from kotove.personal_data import without_special_category
from kotove.services import audit_view

from .. import completion, services
from ..forms import (
    AttendanceForm,
    CancelForm,
    CompletionForm,
    ConfirmPlacesForm,
    PracticeLectureForm,
)
from ..models import Application, Assignment, AssignmentCompletion, Attendance
from ..pdf import certificate_response
from ..permissions import (
    can_download_certificate,
    can_manage,
    managed_course,
    participant,
    running_course,
)
from ..services.courses import attendance_not_yet
from . import add_error


def course_view(access):
    """Resolve the course with `access` (404 for those who may not) before anything else, so
    a refused user learns nothing from the method either; the view gets the course."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, pk, *args, **kwargs):
            return view(request, access(request.user, pk), *args, **kwargs)

        return wrapped

    return decorator


def _errors(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@course_view(running_course)
@require_GET
def course_manage(request, course):
    return _manage_page(request, course)


def _manage_page(request, course, *, confirm_form=None):
    """Places and participants across organisations. The participants' accessibility needs
    are shown to those who arrange them: a view showing them is audited; the other
    applicants' health data is not read.

    Its place for later apps (kotove.hooks): `course_links(user, course)` answers (label, url)
    pairs shown with the course's actions (palaute: the course feedback)."""
    applications = list(
        without_special_category(course.applications.exclude(status=Application.Status.UNVERIFIED))
        .select_related("organisation")
        .order_by("last_name", "first_name")
    )
    by_status = {}
    for application in applications:
        by_status.setdefault(application.status, []).append(application)
    participants = by_status.get(Application.Status.CONFIRMED, [])
    progress = completion.for_applications(course, participants)
    for application in participants:
        application.progress = progress[application.pk]
    waiting = sorted(
        by_status.get(Application.Status.WAITING_LIST, []),
        key=lambda a: (a.decided_at, a.pk),
    )
    if participants:
        needs = dict(course.applications.participants().values_list("pk", "accessibility_needs"))
        for application in participants:
            application.accessibility_needs = needs.get(application.pk, "")
        # Each participant's needs (or that there are none) are shown.
        audit_view(
            request=request, action="course.participants.view", shown=participants, obj=course
        )
    manager = can_manage(request.user, course)
    return render(
        request,
        "koulutus/course_manage.html",
        {
            "course": course,
            "manager": manager,
            "participants": participants,
            "offered": by_status.get(Application.Status.OFFERED, []),
            "selected": by_status.get(Application.Status.SELECTED, []),
            "waiting": waiting,
            "pending": len(by_status.get(Application.Status.SUBMITTED, [])),
            "free_places": services.free_places(course),
            "confirm_form": confirm_form or ConfirmPlacesForm(course=course),
            "sessions": course.sessions.all(),
            "assignments": course.assignments.all(),
            "hook_links": hooks.collect("course_links", user=request.user, course=course),
        },
    )


@course_view(managed_course)
@require_POST
def course_confirm_places(request, course):
    form = ConfirmPlacesForm(request.POST, course=course)
    if form.is_valid():
        try:
            count = services.confirm_places(
                course=course,
                applications=list(form.cleaned_data["applications"]),
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error("applications", error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d place was confirmed.", "%(count)d places were confirmed.", count
                )
                % {"count": count},
            )
            return redirect("koulutus:course_manage", pk=course.pk)
    return _manage_page(request, course, confirm_form=form)


@course_view(managed_course)
@require_POST
def course_offer_places(request, course):
    offered = services.offer_free_places(course=course, by=request.user)
    if offered:
        messages.success(
            request,
            ngettext(
                "A place was offered to %(count)d person on the waiting list.",
                "Places were offered to %(count)d people on the waiting list.",
                len(offered),
            )
            % {"count": len(offered)},
        )
    else:
        messages.error(request, _("No place was offered: no free places or nobody waiting."))
    return redirect("koulutus:course_manage", pk=course.pk)


@course_view(running_course)
@require_http_methods(["GET", "POST"])
def attendance(request, course, session_pk):
    """One screen per session, made for a tablet: a row per participant. Before the session
    starts the page says when attendance can be recorded, and offers no form."""
    session = get_object_or_404(course.sessions, pk=session_pk)
    sessions = list(course.sessions.all())
    index = [s.pk for s in sessions].index(session.pk)
    context = {
        "course": course,
        "session": session,
        "previous": sessions[index - 1] if index > 0 else None,
        "next": sessions[index + 1] if index + 1 < len(sessions) else None,
    }
    if not session.has_started():
        context["not_yet"] = attendance_not_yet(session)
        context["refused"] = request.method == "POST"
        return render(request, "koulutus/attendance_form.html", context)
    participants = list(
        without_special_category(course.applications.participants()).order_by(
            "last_name", "first_name"
        )
    )
    recorded = {a.application_id: a for a in Attendance.objects.filter(session=session)}
    initial = {}
    for application_id, row in recorded.items():
        initial[f"status_{application_id}"] = row.status
        initial[f"minutes_{application_id}"] = row.minutes
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and "all_present" in data:
        for application in participants:
            data.setdefault(f"status_{application.pk}", Attendance.Status.PRESENT)
    form = AttendanceForm(data, initial=initial, session=session, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.record_attendance(
                session=session, marks=form.marks(), by=request.user, request=request
            )
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance of %(count)d participant was saved.",
                    "Attendance of %(count)d participants was saved.",
                    count,
                )
                % {"count": count},
            )
            return redirect("koulutus:attendance", pk=course.pk, session_pk=session.pk)
    context.update(form=form, unmarked=len(participants) - len(recorded))
    return render(request, "koulutus/attendance_form.html", context)


@course_view(running_course)
@require_http_methods(["GET", "POST"])
def assignments(request, course):
    participants = list(
        without_special_category(course.applications.participants()).order_by(
            "last_name", "first_name"
        )
    )
    tasks = list(course.assignments.exclude(kind=Assignment.Kind.PRACTICE_LECTURE))
    if request.method == "POST":
        done = set()
        for value in request.POST.getlist("done"):
            application_id, _sep, assignment_id = value.partition(":")
            if not (application_id.isdigit() and assignment_id.isdigit()):
                raise Http404
            done.add((int(application_id), int(assignment_id)))
        try:
            added, removed = services.record_assignments(
                course=course, done=done, by=request.user, request=request
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("Saved: %(added)d marked done, %(removed)d marked not done.")
                % {"added": added, "removed": removed},
            )
        return redirect("koulutus:assignments", pk=course.pk)
    done = set(
        AssignmentCompletion.objects.filter(application__in=participants).values_list(
            "application_id", "assignment_id"
        )
    )
    rows = [
        (application, [(task, (application.pk, task.pk) in done) for task in tasks])
        for application in participants
    ]
    return render(
        request,
        "koulutus/assignments_form.html",
        {"course": course, "tasks": tasks, "rows": rows},
    )


def _participant_page(request, course, application, **forms):
    """Its place for later apps (kotove.hooks): `participant_links(user, course, application)`
    answers (label, url) pairs shown with the practice lecture (palaute: its evaluation)."""
    progress = completion.for_application(application)
    evaluation = progress.practice_lecture
    attendance = {a.session_id: a for a in application.attendances.all()}
    context = {
        "course": course,
        "application": application,
        "progress": progress,
        "sessions": [(s, attendance.get(s.pk)) for s in course.sessions.all()],
        "manager": can_manage(request.user, course),
        "lecture_form": PracticeLectureForm(
            initial={
                "evaluated_on": evaluation.evaluated_on,
                "evaluators": ", ".join(evaluation.evaluators),
                "accepted": "1" if evaluation.accepted else "0",
                "note": evaluation.note,
            }
            if evaluation
            else None
        ),
        "completion_form": CompletionForm(completion=progress),
        "cancel_form": CancelForm(),
        "hook_links": hooks.collect(
            "participant_links", user=request.user, course=course, application=application
        ),
    }
    context.update(forms)
    return render(request, "koulutus/participant_detail.html", context)


@course_view(running_course)
@require_GET
def participant_detail(request, course, application_pk):
    return _participant_page(request, course, participant(request.user, course, application_pk))


@course_view(managed_course)
@require_POST
def participant_practice_lecture(request, course, application_pk):
    """The coordinator records the practice lecture's outcome on the course page."""
    application = participant(request.user, course, application_pk)
    form = PracticeLectureForm(request.POST)
    if form.is_valid():
        try:
            services.record_practice_lecture_evaluation(
                application=application, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The practice lecture was recorded."))
            return redirect("koulutus:participant", pk=course.pk, application_pk=application.pk)
    return _participant_page(request, course, application, lecture_form=form)


@course_view(managed_course)
@require_POST
def participant_complete(request, course, application_pk):
    application = participant(request.user, course, application_pk)
    form = CompletionForm(request.POST, completion=completion.for_application(application))
    if form.is_valid():
        try:
            services.confirm_completion(
                application=application,
                by=request.user,
                override_reason=form.cleaned_data.get("override_reason", ""),
                request=request,
            )
        except ValidationError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("The completion of %(name)s was confirmed.") % {"name": application.full_name},
            )
            return redirect("koulutus:participant", pk=course.pk, application_pk=application.pk)
    return _participant_page(request, course, application, completion_form=form)


@course_view(managed_course)
@require_POST
def participant_cancel(request, course, application_pk):
    application = participant(request.user, course, application_pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_participation(
                application=application,
                by=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            _errors(request, error)
            return redirect("koulutus:participant", pk=course.pk, application_pk=application.pk)
        messages.success(
            request, _("The place of %(name)s was cancelled.") % {"name": application.full_name}
        )
        return redirect("koulutus:course_manage", pk=course.pk)
    return _participant_page(request, course, application, cancel_form=form)


@login_required
@require_GET
def certificate(request, application_pk):
    applications = Application.objects.select_related("course__course_type", "expert")
    application = get_object_or_404(without_special_category(applications), pk=application_pk)
    if not can_download_certificate(request.user, application):
        raise Http404
    return certificate_response(application)
