"""Feedback reaches the expert: the expert's own page, a task's feedback and links, the
organisation contact's and the planner's view of experts, and the orderer's tasks.

Every page that shows feedback on someone else's work writes an audit row.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kotove.models import MemberOrganisation
from kotove.services import audit
from pankki.models import Expert, Task
from pankki.permissions import own_expert

from .. import aggregates, services
from ..models import LINK_KINDS, Answer, FeedbackForm, FeedbackLink, FormKind, Question, Response
from ..permissions import (
    CONTACT,
    EVERYTHING,
    Access,
    can_follow_experts,
    followed_experts,
    orderer_organisations,
    require,
    task_access,
    visible_tasks,
)

PAGE_SIZE = 50
SECTIONS = [
    (FormKind.LISTENER, "listener", "listener_comments"),
    (FormKind.ORDERER, "orderer", "orderer_comments"),
    (FormKind.SELF_EVALUATION, "self_evaluation", "self_evaluation"),
]


def headline() -> Question | None:
    """The listener form's first scale question: its average is the figure shown in lists."""
    return (
        Question.objects.filter(
            form__in=FeedbackForm.objects.current().filter(kind=FormKind.LISTENER),
            kind=Question.Kind.SCALE,
        )
        .order_by("order", "pk")
        .first()
    )


def with_feedback_counts(tasks, key: str | None):
    """Annotate tasks with their answer counts and the listeners' average for the headline
    question `key`, in the same query (lists stay at a fixed number of queries)."""
    responses = Response.objects.filter(link__task=OuterRef("pk"))
    headline = (
        Answer.objects.filter(
            response__link__task=OuterRef("pk"),
            response__link__kind=FormKind.LISTENER,
            question__key=key,
        )
        .values("response__link__task")
        .annotate(average=Avg("number"), count=Count("pk"))
    )
    return tasks.annotate(
        listener_count=Coalesce(
            Subquery(
                responses.filter(link__kind=FormKind.LISTENER)
                .values("link__task")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        orderer_answered=Exists(responses.filter(link__kind=FormKind.ORDERER)),
        self_evaluated=Exists(responses.filter(link__kind=FormKind.SELF_EVALUATION)),
        headline_count=Coalesce(Subquery(headline.values("count")), 0),
        headline_average=Subquery(headline.values("average")),
    )


def _page(request, tasks):
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page:
        task.headline = aggregates.shown(task.headline_count, task.headline_average)
    return page


def _sections(answers, access: Access, *, kinds=LINK_KINDS, comments: bool = True) -> list[dict]:
    """A summary per form of `kinds` the user may see, over `answers`; free text only where
    `comments` and the access allow it."""
    sections = []
    for kind, allowed, may_read in SECTIONS:
        if kind in kinds and getattr(access, allowed):
            of_kind = answers.filter(response__link__kind=kind)
            sections.append(
                {
                    "kind": kind,
                    "label": FormKind(kind).label,
                    "responses": Response.objects.filter(pk__in=of_kind.values("response")).count(),
                    "questions": aggregates.summarise(
                        of_kind, comments=comments and getattr(access, may_read)
                    ),
                }
            )
    return sections


def _expert_page(request, expert: Expert, access: Access, *, own: bool):
    answers = Answer.objects.filter(response__link__task__expert=expert)
    first = headline()
    tasks = (
        with_feedback_counts(expert.tasks.all(), first and first.key)
        .select_related("task_type", "orderer_organisation")
        .order_by("-date", "-start_time")
    )
    years, trend = aggregates.yearly_scales(answers.filter(response__link__kind=FormKind.LISTENER))
    return render(
        request,
        "palaute/expert_feedback.html",
        {
            "expert": expert,
            "own": own,
            "access": access,
            # Free text is read per task; over time the page shows the figures.
            "sections": _sections(answers, access, comments=False),
            "years": years,
            "trend": trend,
            "page": _page(request, tasks),
            "headline_label": first.text if first else "",
            "min_answers": aggregates.MIN_ANSWERS,
        },
    )


@login_required
@require_GET
def own(request):
    """The expert's own feedback, per task and over time."""
    return _expert_page(request, own_expert(request.user), EVERYTHING, own=True)


@login_required
@require_GET
def expert(request, pk):
    """One expert's feedback, for their organisation contact and the planner."""
    expert = get_object_or_404(followed_experts(request.user), pk=pk)
    access = EVERYTHING if request.user.is_planner else CONTACT
    audit(actor=request.user, action="feedback.view_expert", obj=expert, request=request)
    return _expert_page(request, expert, access, own=False)


@login_required
@require_GET
def task(request, pk):
    """One task's feedback and its answer links."""
    task = get_object_or_404(
        visible_tasks(request.user).select_related(
            "expert__user", "task_type", "orderer_organisation", "municipality", "audience"
        ),
        pk=pk,
    )
    access = task_access(request.user, task)
    require(access.any)
    if task.expert.user_id != request.user.pk:
        audit(actor=request.user, action="feedback.view_task", obj=task, request=request)
    cancelled = task.status == Task.Status.CANCELLED
    links = {} if cancelled else services.ensure_links(task=task)
    answers = Answer.objects.filter(response__link__task=task)
    self_evaluation = None
    if access.self_evaluation:
        self_evaluation = (
            Response.objects.filter(link__task=task, link__kind=FormKind.SELF_EVALUATION)
            .prefetch_related("answers__question")
            .first()
        )
    return render(
        request,
        "palaute/task_feedback.html",
        {
            "task": task,
            "access": access,
            "cancelled": cancelled,
            "links": {kind: link for kind, link in links.items() if kind in access.links},
            "urls": {kind: services.link_url(link) for kind, link in links.items()},
            "sections": _sections(answers, access, kinds=[FormKind.LISTENER, FormKind.ORDERER]),
            "self_evaluation": self_evaluation,
            "orderer_answered": "orderer" in links
            and Response.objects.filter(link=links["orderer"]).exists(),
            "min_answers": aggregates.MIN_ANSWERS,
        },
    )


@login_required
@require_GET
def experts(request):
    """Organisation contacts' (and the planner's) experts: task counts and the listeners'
    headline figure."""
    require(can_follow_experts(request.user))
    scope = followed_experts(request.user)
    organisations = MemberOrganisation.objects.filter(
        pk__in=scope.values("responsible_organisation")
    )
    chosen = request.GET.get("organisation", "")
    if chosen.isdigit():
        scope = scope.filter(responsible_organisation=chosen)
    first = headline()
    # Page the bare experts, then read the page's figures in two grouped queries keyed by
    # expert: plain plans whatever the table statistics say (a query with correlated
    # subqueries per task row once ran for minutes on tables not yet analysed).
    page = Paginator(
        scope.order_by("last_name", "first_name", "pk").values_list("pk", flat=True), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows = Expert.objects.select_related("responsible_organisation").in_bulk(ids)
    tasks = {
        row["expert"]: row
        for row in Task.objects.filter(expert__in=ids)
        .values("expert")
        .annotate(
            done=Count("pk", filter=Q(status=Task.Status.DONE)),
            agreed=Count("pk", filter=Q(status=Task.Status.AGREED)),
            cancelled=Count("pk", filter=Q(status=Task.Status.CANCELLED)),
        )
    }
    answers = {
        row["response__link__task__expert"]: row
        for row in Answer.objects.filter(
            response__link__task__expert__in=ids,
            response__link__kind=FormKind.LISTENER,
            question__key=first and first.key,
        )
        .values("response__link__task__expert")
        .annotate(count=Count("pk"), average=Avg("number"))
    }
    page.object_list = [rows[pk] for pk in ids]
    for row in page:
        counts = tasks.get(row.pk, {})
        row.done, row.agreed, row.cancelled = (
            counts.get(kind, 0) for kind in ("done", "agreed", "cancelled")
        )
        figures = answers.get(row.pk, {"count": 0, "average": None})
        row.headline_count = figures["count"]
        row.headline = aggregates.shown(figures["count"], figures["average"])
    audit(
        actor=request.user,
        action="feedback.list_experts",
        request=request,
        data={"organisation": chosen, "page": page.number},
    )
    return render(
        request,
        "palaute/expert_list.html",
        {
            "page": page,
            "organisations": organisations if request.user.is_planner else None,
            "chosen": chosen,
            "headline_label": first.text if first else "",
            "min_answers": aggregates.MIN_ANSWERS,
        },
    )


@login_required
@require_GET
def ordered(request):
    """The orderer's organisation's tasks: their own form, and the listeners' answers."""
    organisations = orderer_organisations(request.user)
    require(bool(organisations))
    first = headline()
    tasks = (
        with_feedback_counts(
            Task.objects.filter(orderer_organisation__in=organisations), first and first.key
        )
        .select_related("expert", "task_type")
        .order_by("-date", "-start_time")
    )
    page = _page(request, tasks)
    audit(actor=request.user, action="feedback.list_ordered", request=request)
    orderer_links = {
        link.task_id: link
        for link in FeedbackLink.objects.filter(
            task__in=[task.pk for task in page], kind=FormKind.ORDERER
        )
    }
    for task in page:
        task.orderer_link = orderer_links.get(task.pk)
        if task.orderer_link:
            task.orderer_link.task = task
    return render(
        request,
        "palaute/task_list.html",
        {
            "page": page,
            "headline_label": first.text if first else "",
            "min_answers": aggregates.MIN_ANSWERS,
            "today": timezone.localdate(),
        },
    )
