"""Feedback on training, for whoever manages the course (its coordinator, the regional group of
a supplementary training, the planner: koulutus.permissions.managed_course): the course
feedback of its participants, and the evaluation links and answers of a participant's practice
lecture. koulutus links here through palaute.hooks.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from kotove.services import audit
from koulutus.models import PracticeLectureEvaluation
from koulutus.permissions import managed_course, participant

from .. import aggregates, course_services
from ..forms import EvaluationLinksForm
from ..models import Answer, FeedbackLink, FormKind, Response
from ..services import link_url


@login_required
@require_GET
def course(request, pk):
    """The participants' course feedback, combined: figures only from MIN_ANSWERS answers on,
    and free text only then, so that nobody's answer can be picked out."""
    course = managed_course(request.user, pk)
    links = FeedbackLink.objects.filter(participant__course=course, kind=FormKind.COURSE)
    responses = Response.objects.filter(link__in=links).count()
    enough = aggregates.enough_answers(responses)
    audit(actor=request.user, action="feedback.view_course", obj=course, request=request)
    return render(
        request,
        "palaute/course_feedback.html",
        {
            "course": course,
            "last_date": course.sessions.aggregate(last=Max("date"))["last"],
            "sent": links.filter(emailed_at__isnull=False).count(),
            "responses": responses,
            "enough": enough,
            "questions": aggregates.summarise(
                Answer.objects.filter(response__link__in=links), comments=enough
            ),
            "min_answers": aggregates.MIN_ANSWERS,
        },
    )


def evaluations(application):
    """The practice-lecture links of a participant, newest lecture first, with their answers
    (a fixed number of queries)."""
    return (
        FeedbackLink.objects.filter(participant=application, kind=FormKind.PRACTICE_LECTURE)
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.prefetch_related("answers__question"),
            )
        )
        .order_by("-held_on", "pk")
    )


def _add_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def lecture(request, pk, application_pk):
    """A participant's practice lecture: links for named evaluators (or the form filled in by
    the one signed in), and every evaluator's answers."""
    course = managed_course(request.user, pk)
    application = participant(request.user, course, application_pk)
    form = EvaluationLinksForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        names = form.cleaned_data["evaluators"]
        myself = "myself" in request.POST
        own_name = request.user.get_full_name() or request.user.email
        if myself:
            names = [*names, own_name]
        try:
            links = course_services.create_evaluation_links(
                application=application,
                evaluators=names,
                lecture_on=form.cleaned_data["lecture_on"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            if myself:
                own = next(
                    link for link in links if link.evaluator_name == " ".join(own_name.split())
                )
                return redirect("palaute:answer", token=own.token)
            messages.success(
                request,
                ngettext(
                    "%(count)d evaluation link is ready.",
                    "%(count)d evaluation links are ready.",
                    len(links),
                )
                % {"count": len(links)},
            )
            return redirect("palaute:lecture", pk=course.pk, application_pk=application.pk)
    audit(actor=request.user, action="feedback.view_lecture", obj=application, request=request)
    links = list(evaluations(application))
    for link in links:
        link.participant = application  # is_open reads it: no query per link
        link.url = link_url(link)
        link.response = next(iter(link.responses.all()), None)
    return render(
        request,
        "palaute/lecture_evaluations.html",
        {
            "course": course,
            "application": application,
            "links": links,
            "recorded": PracticeLectureEvaluation.objects.filter(application=application).first(),
            "form": form,
            "error_title": _("Error") if form.errors else "",
        },
    )
