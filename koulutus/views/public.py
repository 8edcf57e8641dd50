"""Public pages: the list of courses, a course with its calendar, the application form, and
the applicant's own page behind the secret link emailed to them."""

from __future__ import annotations

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from icalendar import Calendar, Event

from kotove import hooks
from kotove.personal_data import without_special_category

from .. import completion, services
from ..filters import CourseFilter
from ..forms import ApplicationForm
from ..models import Application, Course, Session
from ..pdf import certificate_response
from ..permissions import visible_course
from . import add_error


def course_cards(courses):
    """Courses with what their cards show, in a fixed number of queries."""
    return (
        courses.with_dates()
        .select_related("course_type", "area")
        .prefetch_related(
            "organisations", Prefetch("sessions", queryset=Session.objects.order_by("date"))
        )
        .annotate(
            places_taken=Count(
                "applications",
                filter=Q(applications__status__in=Application.HOLDS_PLACE),
                distinct=True,
            )
        )
    )


@require_GET
def course_list(request):
    today = timezone.localdate()
    courses = Course.objects.published().with_dates()
    courses = courses.filter(Q(last_date__gte=today) | Q(last_date__isnull=True))
    course_filter = CourseFilter(request.GET or None, queryset=courses)
    found = course_filter.qs if course_filter.is_valid() else courses
    return render(
        request,
        "koulutus/course_list.html",
        {
            "filter": course_filter,
            "courses": course_cards(found).order_by("first_date", "name"),
            "today": today,
        },
    )


@require_GET
def course_detail(request, pk):
    course = visible_course(request.user, pk)
    return render(
        request,
        "koulutus/course_detail.html",
        {
            "course": course,
            "sessions": course.sessions.all(),
            "assignments": course.assignments.all(),
            "organisations": course.organisations.all(),
            "trainers": course.trainers.all(),
            "free_places": services.free_places(course),
            "is_open": course.is_open(),
            "today": timezone.localdate(),
        },
    )


@require_GET
def course_ics(request, pk):
    """All the course's sessions as an iCalendar file."""
    course = visible_course(request.user, pk)
    calendar = Calendar()
    calendar.add("prodid", "-//Kokemustoimintaverkosto//koulutus//FI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", course.name)
    url = settings.SITE_URL + reverse("koulutus:course", args=[course.pk])
    for session in course.sessions.all():
        event = Event()
        event.add("uid", f"koulutus-session-{session.pk}@kokemustoimintaverkosto.fi")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", session.starts())
        event.add("dtend", session.ends())
        event.add("summary", f"{course.name}: {session.title}" if session.title else course.name)
        event.add("location", session.place or _("Online"))
        event.add("url", url)
        event.add("description", url)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="koulutus-{course.pk}.ics"'
    return response


@require_http_methods(["GET", "POST"])
def apply(request, pk):
    course = visible_course(request.user, pk)
    if not course.is_open():
        messages.error(request, _("Applications to this course are not open."))
        return redirect("koulutus:course", pk=course.pk)
    initial = {"language": get_language()[:2]}
    form = ApplicationForm(request.POST or None, course=course, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not request.user.is_authenticated and not ratelimit.consume(
            request, action="training_application"
        ):
            form.add_error(None, _("Too many applications from your address. Try again later."))
            return render(
                request,
                "koulutus/application_form.html",
                {"course": course, "form": form},
                status=429,
            )
        application = form.save()
        try:
            submitted = services.submit_application(application=application, user=request.user)
        except ValidationError as error:
            add_error(form, error)
        else:
            # A second application (None) is answered as a new one waiting for the address
            # to be confirmed: the page must not tell who has applied.
            if submitted is None or submitted.status == Application.Status.UNVERIFIED:
                messages.success(
                    request,
                    _(
                        "Almost done: we emailed a link to %(email)s. Open it to confirm your "
                        "address, and the application goes to your organisation."
                    )
                    % {"email": application.email},
                )
                return redirect("koulutus:course", pk=course.pk)
            messages.success(request, _("Your application was sent."))
            return redirect("koulutus:application_status", token=application.token)
    return render(request, "koulutus/application_form.html", {"course": course, "form": form})


def _by_token(token) -> Application:
    """The application behind a secret link; its pages and certificate show no health data."""
    applications = Application.objects.select_related("course__course_type", "organisation")
    return get_object_or_404(without_special_category(applications), token=token)


ACTIONS = {
    "verify": lambda application: services.verify_application(application=application),
    "accept": lambda application: services.respond_to_offer(application=application, accept=True),
    "decline": lambda application: services.respond_to_offer(application=application, accept=False),
}


@require_http_methods(["GET", "POST"])
def application_status(request, token):
    """The applicant's own page. Opening it changes nothing (mail scanners open links); the
    applicant confirms, answers an offer or withdraws with a button.

    Its place for later apps (kotove.hooks): `application_sections(application)` answers
    HTML sections shown to the participant (palaute: their practice lecture's evaluations)."""
    application = _by_token(token)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.withdraw_application(
                    application=application,
                    by=request.user if request.user.is_authenticated else None,
                )
            elif action in ACTIONS:
                ACTIONS[action](application)
            else:
                raise Http404
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, DONE[action])
        return redirect("koulutus:application_status", token=application.token)
    application.refresh_from_db()
    progress = None
    if application.status == Application.Status.CONFIRMED:
        progress = completion.for_application(application)
    return render(
        request,
        "koulutus/application_status.html",
        {
            "application": application,
            "course": application.course,
            "progress": progress,
            "Status": Application.Status,
            "withdrawable": application.status in Application.WITHDRAWABLE
            and not application.completed_on,
            "hook_sections": hooks.collect("application_sections", application=application)
            if application.status == Application.Status.CONFIRMED
            else [],
        },
    )


DONE = {
    "verify": gettext_lazy("Thank you. Your address is confirmed."),
    "accept": gettext_lazy("You accepted the place."),
    "decline": gettext_lazy("You declined the place."),
    "withdraw": gettext_lazy("Your application was withdrawn."),
}


@require_GET
def application_certificate(request, token):
    application = _by_token(token)
    if not application.completed_on:
        raise Http404
    return certificate_response(application)
