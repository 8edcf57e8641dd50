"""Every write of feedback on training: the course feedback emailed to the participants of a
course that has ended, and the practice-lecture evaluation by named evaluators, whose outcome
is recorded in koulutus. Each function lists its side effects. Both use the links and answers
of palaute.services; nothing here stores answers by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import User
from kotove.services import audit
from koulutus import services as koulutus_services
from koulutus.models import Application, Attendance, Course, PracticeLectureEvaluation

from .aggregates import MIN_ANSWERS
from .models import FeedbackLink, FormKind
from .services import REMINDER_AFTER, link_url

# Course feedback ---------------------------------------------------------------------------


def attended(participants):
    """Participants who attended: those with a confirmed place, except the ones recorded absent
    from every session (a course without recorded attendance counts them all)."""
    recorded = Attendance.objects.filter(application=OuterRef("pk"))
    present = recorded.exclude(status=Attendance.Status.ABSENT)
    return participants.filter(Exists(present) | ~Exists(recorded))


def _course_email(link: FeedbackLink, *, reminder: bool) -> None:
    application = link.participant
    stage = "reminder" if reminder else "link"
    queue_email(
        key=f"feedback:{link.pk}:{stage}",
        to=application.email,
        template=f"palaute/email/course_{stage}",
        language=application.language,
        context={
            "name": application.first_name,
            "course": application.course,
            "link": link_url(link),
            "closes_on": link.closes_on,
            "min_answers": MIN_ANSWERS,
        },
    )


def send_course_feedback(*, now=None) -> int:
    """Email every participant who attended a course whose last session has passed their
    course-feedback link, once, while the link is open (FEEDBACK_LINK_DAYS after that day).
    Each email is an outbox row with its own key, written in the transaction that marks the
    link emailed, so a rerun or a worker that died half-way sends nothing twice.

    Side effects: link rows, outbox emails (in each participant's language).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = today - timedelta(days=settings.FEEDBACK_LINK_DAYS)
    emailed = FeedbackLink.objects.filter(
        participant=OuterRef("pk"), kind=FormKind.COURSE, emailed_at__isnull=False
    )
    sent = 0
    for course in Course.objects.ended(since=since, today=today).order_by("pk"):
        pending = attended(course.applications.participants()).exclude(Exists(emailed))
        for application in pending.select_related("course").order_by("pk"):
            with transaction.atomic():
                link, _created = FeedbackLink.objects.get_or_create(
                    participant=application,
                    kind=FormKind.COURSE,
                    defaults={"held_on": course.last_date},
                )
                link = (
                    FeedbackLink.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("participant__course")
                    .filter(pk=link.pk, emailed_at__isnull=True)
                    .first()
                )
                if link is None or not link.is_open:
                    continue
                _course_email(link, reminder=False)
                link.emailed_at = now
                link.save(update_fields=["emailed_at"])
                sent += 1
    return sent


def send_course_feedback_reminders(*, now=None) -> int:
    """Remind a participant once, REMINDER_AFTER after their course-feedback link was emailed,
    if they have not answered and the link is still open.

    Side effects: outbox emails.
    """
    now = now or timezone.now()
    due = FeedbackLink.objects.filter(
        kind=FormKind.COURSE,
        emailed_at__lte=now - REMINDER_AFTER,
        reminded_at__isnull=True,
        responses__isnull=True,
    ).order_by("pk")
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            link = (
                FeedbackLink.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("participant__course")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if link is None or not link.is_open:
                continue
            _course_email(link, reminder=True)
            link.reminded_at = now
            link.save(update_fields=["reminded_at"])
            sent += 1
    return sent


# Practice lecture --------------------------------------------------------------------------


def _require_open_participant(application: Application) -> None:
    if application.status != Application.Status.CONFIRMED:
        raise ValidationError(_("%(name)s has no confirmed place.") % {"name": application})
    if application.completed_on:
        raise ValidationError(_("The completion has been confirmed already."))


@transaction.atomic
def create_evaluation_links(
    *,
    application: Application,
    evaluators: Sequence[str],
    lecture_on: date,
    by: User,
    request=None,
) -> list[FeedbackLink]:
    """One practice-lecture evaluation link per named evaluator of a participant's lecture
    given on `lecture_on`. A name that already has a link for that lecture keeps its link.

    Side effects: link rows, an audit row (with the names).
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_open_participant(application)
    names = list(dict.fromkeys(" ".join(name.split()) for name in evaluators if name.strip()))
    if not names:
        raise ValidationError({"evaluators": _("Name at least one evaluator.")})
    if lecture_on > timezone.localdate():
        raise ValidationError({"lecture_on": _("The date cannot be in the future.")})
    if lecture_on + timedelta(days=settings.FEEDBACK_LINK_DAYS) < timezone.localdate():
        raise ValidationError(
            {
                "lecture_on": _(
                    "Links close %(days)d days after the lecture: record an older lecture on "
                    "the participant's page instead."
                )
                % {"days": settings.FEEDBACK_LINK_DAYS}
            }
        )
    links = [
        FeedbackLink.objects.get_or_create(
            participant=application,
            kind=FormKind.PRACTICE_LECTURE,
            held_on=lecture_on,
            evaluator_name=name,
        )[0]
        for name in names
    ]
    audit(
        actor=by,
        action="feedback.evaluation_links",
        obj=application,
        request=request,
        data={"evaluators": names, "lecture_on": lecture_on.isoformat()},
    )
    return links


def record_lecture_outcome(*, link: FeedbackLink) -> PracticeLectureEvaluation:
    """Record in koulutus the outcome of the lecture `link` evaluates, from every answered
    evaluation of that lecture: accepted when each evaluator who has answered accepts it. Called
    by services.submit_response in its transaction, after the evaluator's answer.

    Side effects: koulutus's evaluation row and its audit row.
    """
    answered = list(
        FeedbackLink.objects.filter(
            participant=link.participant_id,
            kind=FormKind.PRACTICE_LECTURE,
            held_on=link.held_on,
            accepted__isnull=False,
        ).order_by("pk")
    )
    return koulutus_services.record_practice_lecture_evaluation(
        application=link.participant,
        evaluated_on=link.held_on,
        evaluators=[evaluation.evaluator_name for evaluation in answered],
        accepted=all(evaluation.accepted for evaluation in answered),
        source=PracticeLectureEvaluation.Source.FEEDBACK_FORM,
    )
