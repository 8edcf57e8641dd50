"""The personal data feedback holds. Conventions: kotove/personal_data/.

Listener answers are anonymous, but every answer is about the expert whose task it was; the
orderer form's answers are the orderer's own, the self-evaluation the expert's. A course
participant's feedback is their own (shown to others only combined); a practice lecture's
evaluation is about the participant and names its evaluator. Free text may name people:
erasure and retention remove it, the numbers stay for the network's statistics.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotove.personal_data import ERASED, Anonymise, Keep, PersonalData, Retention

from .models import Answer, FeedbackForm, FeedbackLink, FormKind, Report, Response

# What the readable export calls the keys the exporters below write beside the models' fields.
EXPORT_LABELS = {
    "task": _("task"),
    "form": _("form"),
    "answered_on": _("answered on"),
    "answer": _("answer"),
    "course": _("course"),
    "participant": _("course participant"),
    "evaluator": _("evaluator"),
    "lecture_on": _("day of the practice lecture"),
}


def _is(person, user_id, email) -> bool:
    return bool(person.user and user_id == person.user.pk) or email.lower() in person.emails


def _export_answer(answer: Answer, person) -> dict | None:
    """The expert gets every answer on their tasks; an orderer only their own form's; a
    course participant their own course feedback and the evaluations of their practice
    lecture; an evaluator their own evaluations."""
    link = answer.response.link
    if link.participant_id:
        return _export_training_answer(answer, link, person)
    task = link.task
    own_task = _is(person, task.expert.user_id, task.expert.email)
    own_answer = link.kind == FormKind.ORDERER and _is(
        person, task.orderer_user_id, task.orderer_email
    )
    if not (own_task or own_answer):
        return None
    return {
        "task": str(task),
        "form": link.get_kind_display(),
        "answered_on": answer.response.submitted_on.isoformat(),
        "question": answer.question.text,
        "answer": answer.display,
    }


def _export_training_answer(answer: Answer, link: FeedbackLink, person) -> dict | None:
    participant = link.participant
    own = _is(person, participant.user_id, participant.email)
    evaluator = link.evaluator_name and link.evaluator_name in person.names
    if not (own or evaluator):
        return None
    row = {
        "course": str(participant.course),
        "form": link.get_kind_display(),
        "answered_on": answer.response.submitted_on.isoformat(),
        "question": answer.question.text,
        "answer": answer.display,
    }
    if link.kind == FormKind.PRACTICE_LECTURE:
        row = {"participant": participant.full_name, "evaluator": link.evaluator_name, **row}
    return row


def _evaluated_by(person, found):
    """The practice lecture evaluations the person gave, found by their name."""
    return FeedbackLink.objects.filter(
        kind=FormKind.PRACTICE_LECTURE, evaluator_name__in=sorted(person.names)
    )


def _link_export(link: FeedbackLink, person) -> dict | None:
    """Only an evaluation names anybody: the evaluator and the outcome they gave."""
    if link.kind != FormKind.PRACTICE_LECTURE:
        return None
    return {
        "participant": link.participant.full_name,
        "course": str(link.participant.course),
        "lecture_on": link.held_on.isoformat(),
        "evaluator": link.evaluator_name,
        "accepted": link.accepted,
    }


FREE_TEXT_REMOVED = Anonymise({"text": ""})

PERSONAL_DATA = [
    # A link's token is a key to a form, not data about anyone; an evaluation link names its
    # evaluator, whose name goes when either of them is erased (the outcome stays countable).
    PersonalData(
        FeedbackLink,
        find=_evaluated_by,
        via=("task", "participant"),
        erase=Anonymise({"evaluator_name": lambda link: ERASED if link.evaluator_name else ""}),
        export=_link_export,
        export_labels=EXPORT_LABELS,
    ),
    # The answers below carry what was said; a response holds only its date.
    PersonalData(
        Response,
        via=("link",),
        erase=Keep(_("answers stay countable; their free text is removed")),
        export=False,
    ),
    PersonalData(
        Answer,
        via=("response",),
        erase=FREE_TEXT_REMOVED,
        export=_export_answer,
        export_labels=EXPORT_LABELS,
    ),
]
EXCLUDED = {
    FeedbackForm: "created_by only names the planner who made the version; the account is "
    "anonymised with the user",
    # The list of experts with no task is computed live for the planner, never stored.
    Report: "requested_by only names who asked for the report, the account is anonymised with "
    "the user; its figures and files are aggregates that name nobody",
}
RETENTION = [
    Retention(
        name="feedback_text",
        description=_("Free-text feedback is removed five years after it was given."),
        setting="RETENTION_FEEDBACK_TEXT_DAYS",
        expired=lambda cutoff: Answer.objects.filter(
            response__submitted_on__lte=cutoff.date()
        ).exclude(text=""),
        erase=FREE_TEXT_REMOVED,
    ),
]
