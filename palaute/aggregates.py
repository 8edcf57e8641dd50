"""Summaries of answers, and the small-number rule every view and report follows.

The rule: an average or a distribution of fewer than MIN_ANSWERS answers is not shown, only
the count, so that nobody can work out what one listener answered. Use `enough_answers` (or
`shown`) wherever a figure computed from answers is displayed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.db.models.functions import ExtractYear

from .models import Question

MIN_ANSWERS = 5


def enough_answers(count: int) -> bool:
    """The small-number rule: figures over fewer than MIN_ANSWERS answers stay hidden."""
    return count >= MIN_ANSWERS


def shown(count: int, value):
    """`value` (an average, a distribution) if `count` answers are enough to show it, else None."""
    return value if enough_answers(count) else None


@dataclass
class QuestionSummary:
    key: str
    text: str
    kind: str
    low_label: str = ""
    high_label: str = ""
    count: int = 0
    average: float | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def is_scale(self) -> bool:
        return self.kind == Question.Kind.SCALE

    @property
    def is_text(self) -> bool:
        return self.kind == Question.Kind.TEXT

    @property
    def suppressed(self) -> bool:
        return not self.is_text and not enough_answers(self.count)


def _newest_questions(answers) -> tuple[dict[int, Question], dict[str, Question]]:
    """Every question answered (by id), and per key the question of the newest version."""
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=answers.values("question")).select_related("form")
    }
    newest: dict[str, Question] = {}
    for question in sorted(questions.values(), key=lambda q: q.form.version):
        newest[question.key] = question
    return questions, newest


def summarise(answers, *, comments: bool) -> list[QuestionSummary]:
    """Per question (combined across form versions by key): the count, the average of a scale
    and the distribution of choices (both only over enough answers), and the free-text
    comments, newest first, when `comments` is true. `answers` is an Answer queryset of one
    kind of form. Four queries whatever the number of answers."""
    questions, newest = _newest_questions(answers)
    summaries = {
        key: QuestionSummary(
            key=key,
            text=q.text,
            kind=q.kind,
            low_label=q.low_label if q.kind == Question.Kind.SCALE else "",
            high_label=q.high_label if q.kind == Question.Kind.SCALE else "",
        )
        for key, q in sorted(newest.items(), key=lambda item: item[1].order)
    }
    for row in answers.values("question__key").annotate(count=Count("pk"), average=Avg("number")):
        summary = summaries[row["question__key"]]
        summary.count = row["count"]
        if summary.is_scale:
            summary.average = shown(row["count"], row["average"])
    counts: dict[str, Counter] = {}
    choice_rows = answers.filter(question__kind__in=Question.CHOICE_KINDS).values_list(
        "question_id", "choices"
    )
    for question_id, indexes in choice_rows:
        question = questions[question_id]
        labels = question.choices
        counter = counts.setdefault(question.key, Counter())
        counter.update(labels[i] for i in indexes if i < len(labels))
    for key, counter in counts.items():
        summary = summaries[key]
        # Every choice of the newest version, in its order, then any only older ones had.
        labels = [
            *newest[key].choices,
            *(label for label in counter if label not in newest[key].choices),
        ]
        summary.distribution = (
            shown(summary.count, [(label, counter[label]) for label in labels]) or []
        )
    if comments:
        texts = (
            answers.filter(question__kind=Question.Kind.TEXT)
            .exclude(text="")
            .order_by("-response__submitted_on", "-pk")
            .values_list("question__key", "text")
        )
        for key, text in texts:
            summaries[key].comments.append(text)
    return list(summaries.values())


@dataclass
class TrendRow:
    text: str
    cells: list[tuple[int, float | None]]  # (count, average) per year


def yearly_scales(answers) -> tuple[list[int], list[TrendRow]]:
    """The scale questions' counts and averages per year of the task (small-number rule per
    cell). Two queries."""
    scale_answers = answers.filter(question__kind=Question.Kind.SCALE)
    rows = (
        scale_answers.annotate(year=ExtractYear("response__link__task__date"))
        .values("question__key", "year")
        .annotate(count=Count("pk"), average=Avg("number"))
    )
    cells: dict[str, dict[int, tuple[int, float | None]]] = {}
    for row in rows:
        cells.setdefault(row["question__key"], {})[row["year"]] = (
            row["count"],
            shown(row["count"], row["average"]),
        )
    if not cells:
        return [], []
    _questions, newest = _newest_questions(scale_answers)
    years = sorted({year for per_year in cells.values() for year in per_year})
    return years, [
        TrendRow(question.text, [cells[key].get(year, (0, None)) for year in years])
        for key, question in sorted(newest.items(), key=lambda item: item[1].order)
        if key in cells
    ]
