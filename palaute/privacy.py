"""The personal data feedback holds. Conventions: kotove/personal_data.py.

Listener answers are anonymous, but every answer is about the expert whose task it was; the
orderer form's answers are the orderer's own, the self-evaluation the expert's. Free text may
name people: erasure and retention remove it, the numbers stay for the network's statistics.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotove.personal_data import Anonymise, Keep, PersonalData, Retention

from .models import Answer, FeedbackForm, FeedbackLink, FormKind, Response


def _is(person, user_id, email) -> bool:
    return bool(person.user and user_id == person.user.pk) or email.lower() in person.emails


def _export_answer(answer: Answer, person) -> dict | None:
    """The expert gets every answer on their tasks; an orderer only their own form's."""
    link = answer.response.link
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


FREE_TEXT_REMOVED = Anonymise({"text": ""})

PERSONAL_DATA = [
    # A link's token is a key to a form, not data about anyone.
    PersonalData(
        FeedbackLink,
        via=("task",),
        erase=Keep(_("the task's feedback stays countable")),
        export=False,
    ),
    # The answers below carry what was said; a response holds only its date.
    PersonalData(
        Response,
        via=("link",),
        erase=Keep(_("answers stay countable; their free text is removed")),
        export=False,
    ),
    PersonalData(Answer, via=("response",), erase=FREE_TEXT_REMOVED, export=_export_answer),
]
EXCLUDED = {
    FeedbackForm: "created_by only names the planner who made the version; the account is "
    "anonymised with the user",
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
