"""Tasks with feedback for the feedback tests.

task = TaskFactory(expert=expert)                         # agreed, held yesterday
links = services.ensure_links(task=task)
answer(links["listener"], overall=4, best="Hyvä luento")  # one listener's answers by key
"""

import factory

from palaute import services
from palaute.models import FeedbackForm, Question

from ..pankki import task_factories
from ..pankki.task_factories import in_days


class TaskFactory(task_factories.TaskFactory):
    """The bank's task, held yesterday: its feedback is due."""

    date = factory.LazyFunction(lambda: in_days(-1))


def answer(link, **values):
    """Store one filled-in form for `link`: question code -> value (a number for a scale, a
    choice index or a list of them, a text)."""
    form = FeedbackForm.objects.current_of(link.kind)
    questions = {q.key: q for q in form.questions.all()}
    return services.submit_response(
        link=link, form=form, answers=[(questions[key], value) for key, value in values.items()]
    )


def question(kind: str, key: str) -> Question:
    return FeedbackForm.objects.current_of(kind).questions.get(key=key)
