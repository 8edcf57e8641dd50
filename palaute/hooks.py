"""What feedback adds to the pages of earlier apps (see kotove.hooks)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from koulutus.permissions import can_manage

from .models import FeedbackLink, FormKind
from .permissions import task_access


def task_links(*, user, task) -> list[tuple[str, str]]:
    """pankki's task page: the task's feedback and answer links, for whoever may see them."""
    if not task_access(user, task).any:
        return []
    return [
        (_("Feedback on this task and its answer links"), reverse("palaute:task", args=[task.pk]))
    ]


def course_links(*, user, course) -> list[tuple[str, str]]:
    """koulutus's page for running a course: the course feedback, for those who manage it."""
    if not can_manage(user, course):
        return []
    return [(_("Course feedback"), reverse("palaute:course", args=[course.pk]))]


def participant_links(*, user, course, application) -> list[tuple[str, str]]:
    """koulutus's page of one participant: their practice lecture's evaluation links and
    answers, for those who manage the course, where the course has a practice lecture."""
    if not course.has_practice_lecture or not can_manage(user, course):
        return []
    counts = FeedbackLink.objects.filter(
        participant=application, kind=FormKind.PRACTICE_LECTURE
    ).aggregate(links=Count("pk"), answered=Count("pk", filter=Q(accepted__isnull=False)))
    url = reverse("palaute:lecture", args=[course.pk, application.pk])
    if not counts["links"]:
        return [(_("Evaluate the practice lecture with the evaluation form"), url)]
    label = _("Practice lecture evaluations: %(answered)d of %(links)d answered") % counts
    return [(label, url)]


def application_sections(*, application) -> list[str]:
    """koulutus's page of the applicant's own application: the evaluators' answers to their
    practice lecture (the participant sees who evaluated it and what they said)."""
    links = list(
        FeedbackLink.objects.filter(
            participant=application, kind=FormKind.PRACTICE_LECTURE, accepted__isnull=False
        )
        .prefetch_related("responses__answers__question")
        .order_by("-held_on", "pk")
    )
    if not links:
        return []
    for link in links:
        link.response = next(iter(link.responses.all()), None)
    return [render_to_string("palaute/_lecture_section.html", {"links": links})]
