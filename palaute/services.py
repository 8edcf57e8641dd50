"""Every write of feedback. Each function lists its side effects. Feedback on training (course
feedback, practice lecture evaluations) is in course_services.py."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import User
from kotove.services import audit
from pankki.models import Task

from .models import LINK_KINDS, Answer, FeedbackForm, FeedbackLink, FormKind, Question, Response

REMINDER_AFTER = timedelta(days=7)
RATE_WINDOW = 600  # seconds; FEEDBACK_RATE_LIMIT answers per window and link


# Forms -------------------------------------------------------------------------------------


def _next_version(kind: str) -> int:
    return (FeedbackForm.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def start_form(*, form: FeedbackForm, by: User) -> FeedbackForm:
    """Save a new form as the current version of its kind (questions are added after it).
    The kind's earlier current version is marked replaced; its answers stay with it.

    Side effects: an audit row.
    """
    FeedbackForm.objects.select_for_update().filter(kind=form.kind).current().update(
        replaced_at=timezone.now()
    )
    form.version = _next_version(form.kind)
    form.created_by = by
    form.save()
    audit(actor=by, action="feedback_form.create", obj=form)
    return form


@transaction.atomic
def save_form_version(*, form: FeedbackForm, questions: list[Question], by: User) -> FeedbackForm:
    """Save the planner's edit of a form version that has answers as a new version.

    `form` holds the edited values (not saved) and `questions` the edited questions (not
    saved; removed ones left out). The answered version is left exactly as it was and marked
    replaced; `form` becomes the new current version with copies of the questions, keeping
    their codes so answers are combined over time.

    Side effects: an audit row.
    """
    old = FeedbackForm.objects.select_for_update().get(pk=form.pk)
    if not old.is_current:
        raise ValidationError(_("Only the current version of a form can be changed."))
    old.replaced_at = timezone.now()
    old.save(update_fields=["replaced_at"])
    form.pk = None
    form._state.adding = True
    form.version = _next_version(form.kind)
    form.created_at = timezone.now()
    form.created_by = by
    form.replaced_at = None
    form.save()
    for question in questions:
        question.pk = None
        question._state.adding = True
        question.form = form
        question.full_clean()
        question.save()
    audit(actor=by, action="feedback_form.new_version", obj=form, data={"replaces": old.pk})
    return form


# Links and answers -------------------------------------------------------------------------


@transaction.atomic
def ensure_links(*, task: Task) -> dict[str, FeedbackLink]:
    """The task's listener, orderer and self-evaluation links, created once with new random
    tokens. Side effects: up to three link rows."""
    for kind in LINK_KINDS:
        FeedbackLink.objects.get_or_create(task=task, kind=kind)
    return {link.kind: link for link in task.feedback_links.all()}


def rate_limited(link: FeedbackLink) -> bool:
    """Count one answer to `link` in the current window; true past FEEDBACK_RATE_LIMIT. The
    counter lives in the cache (Redis) and expires with the window."""
    window = int(timezone.now().timestamp()) // RATE_WINDOW
    key = f"palaute:answers:{link.pk}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW)
    try:
        return cache.incr(key) > settings.FEEDBACK_RATE_LIMIT
    except ValueError:  # expired between add and incr
        return False


@transaction.atomic
def submit_response(
    *,
    link: FeedbackLink,
    form: FeedbackForm,
    answers: list[tuple[Question, object]],
    evaluator_name: str = "",
    accepted: bool | None = None,
) -> Response:
    """Store one filled-in form for `link`. Nothing about the person is stored: no account,
    IP address, user agent or time of day, only the date; except that a practice lecture's
    evaluator answers by name, with `evaluator_name` and the outcome `accepted`.

    Raises ValidationError when the link is closed or its day has not come, the form is of
    another kind, or a single-answer link has been answered already. Side effects: the answer
    rows; for a practice lecture the link's name and outcome and the lecture's outcome in
    koulutus (course_services.record_lecture_outcome).
    """
    link = (
        FeedbackLink.objects.select_for_update(of=("self",))
        .select_related("task", "participant")
        .get(pk=link.pk)
    )
    if form.kind != link.kind:
        raise ValidationError(_("This form does not belong to this link."))
    if link.is_closed:
        raise ValidationError(_("This feedback link is closed."))
    if link.not_yet_open:
        raise ValidationError(
            _("This feedback link opens on %(date)s.")
            % {"date": formats.date_format(link.opens_on, "j.n.Y")}
        )
    if link.single_answer and link.responses.exists():
        raise ValidationError(_("This form has been answered already."))
    lecture = link.kind == FormKind.PRACTICE_LECTURE
    if lecture:
        evaluator_name = " ".join(evaluator_name.split())
        if not evaluator_name or accepted is None:
            raise ValidationError(_("Give your name and whether the lecture is accepted."))
    response = Response.objects.create(link=link, form=form)
    rows = []
    for question, value in answers:
        if question.form_id != form.pk:
            raise ValidationError(_("This form does not belong to this link."))
        answer = Answer(response=response, question=question)
        if question.kind == Question.Kind.SCALE:
            answer.number = value
        elif question.kind == Question.Kind.SINGLE:
            answer.choices = [value]
        elif question.kind == Question.Kind.MULTIPLE:
            answer.choices = sorted(value)
        else:
            answer.text = value
        rows.append(answer)
    Answer.objects.bulk_create(rows)
    if lecture:
        # course_services builds on this module, so it is imported only when needed.
        from .course_services import record_lecture_outcome

        link.evaluator_name, link.accepted = evaluator_name, accepted
        link.save(update_fields=["evaluator_name", "accepted"])
        record_lecture_outcome(link=link)
    return response


# Emails ------------------------------------------------------------------------------------


def link_url(link: FeedbackLink) -> str:
    return settings.SITE_URL + reverse("palaute:answer", args=[link.token])


def _recipients(task: Task) -> dict[str, tuple[str, str, str]]:
    """(email, language, name to greet) of the orderer and of the expert, where known. The
    task keeps the orderer's contact person and address even when they have an account."""
    recipients = {}
    if task.orderer_email:
        recipients[FormKind.ORDERER] = (
            task.orderer_email,
            task.orderer_language,
            task.orderer_name.split(" ")[0],
        )
    expert = task.expert
    if expert.email:
        recipients[FormKind.SELF_EVALUATION] = (
            expert.email,
            expert_language(expert),
            expert.first_name,
        )
    return recipients


def expert_language(expert) -> str:
    """The language the expert reads the service in: their account's, else the one they work
    in (Swedish only for an expert who does not work in Finnish)."""
    if expert.user_id:
        return expert.user.language
    return "sv" if "sv" in expert.languages and "fi" not in expert.languages else "fi"


def _email(link: FeedbackLink, links: dict, to: str, language: str, name: str, *, reminder: bool):
    stage = "reminder" if reminder else "link"
    queue_email(
        key=f"feedback:{link.pk}:{stage}",
        to=to,
        template=f"palaute/email/{link.kind}_{stage}",
        language=language,
        context={
            "name": name,
            "task": link.task,
            "expert": link.task.expert,
            "link": link_url(link),
            "listener_link": link_url(links[FormKind.LISTENER]),
            "handout_link": settings.SITE_URL
            + reverse("palaute:handout", args=[links[FormKind.LISTENER].token]),
            "task_page": settings.SITE_URL + reverse("palaute:task", args=[link.task.pk]),
            "closes_on": link.closes_on,
        },
    )


def due_tasks(now=None):
    """Tasks whose feedback is due: marked done, or agreed and over (its day has passed, or
    its end time today has)."""
    local = timezone.localtime(now or timezone.now())
    over = Q(date__lt=local.date()) | Q(date=local.date(), end_time__lte=local.time())
    return Task.objects.filter(Q(status=Task.Status.DONE) | Q(status=Task.Status.AGREED) & over)


def send_feedback_links(*, now=None) -> int:
    """Email the orderer and the expert their links once, for every task whose feedback is
    due and whose links are still open. The expert's email also carries the listener link
    and its printable page. A rerun, or a worker that died half-way, sends nothing twice:
    each email is an outbox row with its own key, written in the same transaction as the
    link's `emailed_at`.

    Side effects: link rows, outbox emails.
    """
    now = now or timezone.now()
    sent = 0
    oldest = timezone.localdate(now) - timedelta(days=settings.FEEDBACK_LINK_DAYS)
    tasks = due_tasks(now).filter(date__gte=oldest)
    emailed = FeedbackLink.objects.filter(task=OuterRef("pk"), emailed_at__isnull=False)
    pending = tasks.exclude(
        Exists(emailed.filter(kind=FormKind.ORDERER))
        & Exists(emailed.filter(kind=FormKind.SELF_EVALUATION))
    )
    for task in pending.select_related("expert__user", "task_type").order_by("pk"):
        with transaction.atomic():
            links = ensure_links(task=task)
            for kind, recipient in _recipients(task).items():
                link = (
                    FeedbackLink.objects.select_for_update(skip_locked=True)
                    .filter(pk=links[kind].pk, emailed_at__isnull=True)
                    .first()
                )
                if link is None or not link.is_open:
                    continue
                _email(link, links, *recipient, reminder=False)
                link.emailed_at = now
                link.save(update_fields=["emailed_at"])
                sent += 1
    return sent


def send_feedback_reminders(*, now=None) -> int:
    """Remind the orderer and the expert once, REMINDER_AFTER after their link was emailed,
    if they have not answered and the link is still open.

    Side effects: outbox emails.
    """
    now = now or timezone.now()
    sent = 0
    due = (
        FeedbackLink.objects.filter(
            kind__in=[FormKind.ORDERER, FormKind.SELF_EVALUATION],
            emailed_at__lte=now - REMINDER_AFTER,
            reminded_at__isnull=True,
            responses__isnull=True,
        )
        .select_related("task__expert__user", "task__task_type")
        .order_by("pk")
    )
    for link in due:
        with transaction.atomic():
            locked = (
                FeedbackLink.objects.select_for_update(skip_locked=True)
                .filter(pk=link.pk, reminded_at__isnull=True)
                .first()
            )
            recipient = _recipients(link.task).get(link.kind)
            if locked is None or recipient is None or not link.is_open:
                continue
            _email(link, ensure_links(task=link.task), *recipient, reminder=True)
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            sent += 1
    return sent
