"""Feedback: forms filled in and, per question, answers and averages for the listener, orderer
and self-evaluation forms, against the year before.

Answers count in the year of their task's date when the task figures count the task as held
(not cancelled, its day come by the day the report is built: tasks.held_filter), and are
combined across form versions by the question's code (its newest wording is shown). The
small-number rule of palaute.aggregates holds in every cell: an average over fewer than
MIN_ANSWERS answers is not shown, only the count. Free text never appears in a report.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..aggregates import MIN_ANSWERS, shown
from ..models import LINK_KINDS, Answer, FormKind, Question, Response
from .data import CHANGE, DECIMAL, INT, TEXT, Column, Section, Table
from .scope import Context
from .tasks import held_filter

FIGURE_KINDS = [Question.Kind.SCALE, Question.Kind.SINGLE, Question.Kind.MULTIPLE]


def _change(new, old):
    return round(new - old, 2) if new is not None and old is not None else None


def _average(count: int, average) -> float | None:
    return shown(count, round(average, 2) if average is not None else None)


def section(ctx: Context) -> tuple[Section, bool]:
    year, before = ctx.year, ctx.year - 1
    since = date(before, 1, 1)
    task = "response__link__task__"
    responses = {
        (row["link__kind"], row["year"]): row["count"]
        for row in ctx.scope.tasks(
            Response.objects.filter(
                held_filter(ctx, since=since, task="link__task__"), link__kind__in=LINK_KINDS
            ),
            task="link__task__",
        )
        .values("link__kind", year=ExtractYear("link__task__date"))
        .annotate(count=Count("pk"))
    }
    cells = {
        (row["response__link__kind"], row["question__key"], row["year"]): row
        for row in ctx.scope.tasks(
            Answer.objects.filter(
                held_filter(ctx, since=since, task=task),
                response__link__kind__in=LINK_KINDS,
                question__kind__in=FIGURE_KINDS,
            ),
            task=task,
        )
        .values("response__link__kind", "question__key", year=ExtractYear(f"{task}date"))
        .annotate(count=Count("pk"), average=Avg("number"))
    }
    summary = Table(
        "feedback_summary",
        _("Forms filled in"),
        [
            Column(_("Form"), TEXT),
            Column(str(year)),
            Column(str(before)),
            Column(pgettext("difference from the year before", "Change"), CHANGE),
        ],
        rows=[
            [
                str(FormKind(kind).label),
                responses.get((kind, year), 0),
                responses.get((kind, before), 0),
                responses.get((kind, year), 0) - responses.get((kind, before), 0),
            ]
            for kind in LINK_KINDS
        ],
    )
    tables = [summary]
    has_data = any(responses.get((kind, year)) for kind in LINK_KINDS)
    if not has_data:
        summary.note = _("No feedback was given on the tasks of %(year)s.") % {"year": year}
    for kind in LINK_KINDS:
        rows = []
        for question in _questions(kind):
            now = cells.get((kind, question.key, year), {"count": 0, "average": None})
            then = cells.get((kind, question.key, before), {"count": 0, "average": None})
            if not now["count"] and not then["count"]:
                continue
            scale = question.kind == Question.Kind.SCALE
            new = _average(now["count"], now["average"]) if scale else ""
            old = _average(then["count"], then["average"]) if scale else ""
            rows.append(
                [
                    question.text,
                    now["count"],
                    new,
                    then["count"],
                    old,
                    _change(new, old) if scale else "",
                ]
            )
        if rows or responses.get((kind, year)):
            tables.append(
                Table(
                    f"feedback_{kind}",
                    str(FormKind(kind).label),
                    [
                        Column(_("Question"), TEXT),
                        Column(_("Answers %(year)s") % {"year": year}, INT),
                        Column(_("Average %(year)s") % {"year": year}, DECIMAL),
                        Column(_("Answers %(year)s") % {"year": before}, INT),
                        Column(_("Average %(year)s") % {"year": before}, DECIMAL),
                        Column(_("Change in the average"), CHANGE),
                    ],
                    rows,
                    note=_(
                        "Averages on a scale of 1 to 5. An average of fewer than %(min)s "
                        "answers is not shown (–), only the number of answers."
                    )
                    % {"min": MIN_ANSWERS},
                )
            )
    intro = _(
        "Answers count in the year of their task's date, for the tasks counted as held above, "
        "and are compared with the year before. Answers to versions of a form are combined by "
        "the question's code; the newest wording is shown. Free-text answers are never part of "
        "a report."
    )
    return Section("feedback", _("Feedback"), tables, intro=intro), has_data


def _questions(kind: str) -> list[Question]:
    """The newest wording of each question (by code) of the forms of `kind` that has
    figures, in the newest form's order."""
    newest = (
        Question.objects.filter(form__kind=kind, kind__in=FIGURE_KINDS)
        .order_by("key", "-form__version")
        .distinct("key")
    )
    return sorted(newest, key=lambda q: (q.order, q.pk))
