"""Every write of requests and tasks. Each function lists its side effects.

Emails go through the outbox (kotove.emails.queue_email): rendered in the recipient's language,
sent by Celery once the transaction commits, at most once per idempotency key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import Language, Role, User
from kotove.services import audit

from .models import Expert, RequestAnswer, Task, TaskRequest

LANGUAGES = set(Language.values)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    user: User | None = None


def _recipient(user: User) -> Recipient:
    return Recipient(user.email, user.language, user)


def organisation_contacts(organisation_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            roles__in=Role.objects.current().filter(
                kind=Role.Kind.ORGANISATION_CONTACT, member_organisation=organisation_id
            ),
        )
        .distinct()
        .order_by("pk")
    )


def _has_login(expert: Expert) -> bool:
    return expert.user_id is not None and expert.user.is_active


def routes_to_organisation(expert: Expert) -> bool:
    """Requests go to the organisation's contacts when the expert asks for it, or has no
    login to answer with; but to the expert, if they have a login, when the organisation has
    nobody to receive them (no contact person, no address)."""
    if expert.contact_visibility != Expert.ContactVisibility.VIA_ORGANISATION:
        return not _has_login(expert)
    return not _has_login(expert) or bool(_organisation_recipients(expert))


def expert_recipients(expert: Expert, *, via_organisation: bool) -> list[Recipient]:
    """Who answers for the expert: the expert, or the organisation's contacts (the
    organisation's own address when it has no contact person)."""
    if not via_organisation and _has_login(expert):
        return [_recipient(expert.user)]
    return _organisation_recipients(expert)


def _organisation_recipients(expert: Expert) -> list[Recipient]:
    contacts = [
        _recipient(user) for user in organisation_contacts(expert.responsible_organisation_id)
    ]
    if not contacts and expert.responsible_organisation.email:
        contacts = [Recipient(expert.responsible_organisation.email, Language.FI)]
    return contacts


def _expert_side(expert: Expert) -> list[Recipient]:
    """Everybody on the expert's side: the expert if they have a login, and the contacts."""
    people = expert_recipients(expert, via_organisation=True)
    if expert.user_id and expert.user.is_active:
        people.insert(0, _recipient(expert.user))
    return people


def _link(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, args=[pk])


def _notify(recipients: Iterable[Recipient], *, key: str, template: str, context: dict, by=None):
    """One email per recipient except the one who acted; the key gets the address."""
    seen = set()
    for person in recipients:
        if person.email in seen or (by is not None and person.email == by.email):
            continue
        seen.add(person.email)
        queue_email(
            key=f"{key}:{person.email}",
            to=person.email,
            template=template,
            language=person.language if person.language in LANGUAGES else Language.FI,
            context={**context, "recipient": person.user},
        )


def _orderer_of_request(task_request: TaskRequest) -> list[Recipient]:
    user = task_request.created_by
    return [_recipient(user)] if user and user.is_active else []


def _orderer_of_task(task: Task) -> list[Recipient]:
    if task.orderer_user_id and task.orderer_user.is_active:
        return [_recipient(task.orderer_user)]
    return [Recipient(task.orderer_email, task.orderer_language)]


@transaction.atomic
def send_request(
    *, task_request: TaskRequest, experts: Iterable[Expert], by: User, request=None
) -> TaskRequest:
    """Send an orderer's request (an unsaved TaskRequest from the form) to one or several
    experts. Only searchable experts can be asked.

    Side effects: the request and one answer row per expert, an audit row, an email to each
    expert (or to their organisation's contacts) with a link to the request."""
    experts = list(experts)
    if not experts:
        raise ValidationError(_("Choose at least one expert."))
    searchable = set(
        Expert.objects.searchable()
        .filter(pk__in=[e.pk for e in experts])
        .values_list("pk", flat=True)
    )
    if any(expert.pk not in searchable for expert in experts):
        raise ValidationError(_("One of the chosen experts cannot be asked at the moment."))
    if task_request.date < timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the past.")})
    routes = {expert.pk: routes_to_organisation(expert) for expert in experts}
    recipients = {
        expert.pk: expert_recipients(expert, via_organisation=routes[expert.pk])
        for expert in experts
    }
    unreachable = [expert.full_name for expert in experts if not recipients[expert.pk]]
    if unreachable:
        raise ValidationError(
            _(
                "The service cannot reach %(names)s at the moment: their organisation has no "
                "contact person. Ask the network's planner for help."
            )
            % {"names": ", ".join(unreachable)}
        )
    task_request.created_by = by
    task_request.full_clean()
    task_request.save()
    link = _link("pankki:request_detail", task_request.pk)
    for expert in experts:
        answer = RequestAnswer.objects.create(
            request=task_request, expert=expert, via_organisation=routes[expert.pk]
        )
        _notify(
            recipients[expert.pk],
            key=f"task-request:{answer.pk}:new",
            template="pankki/email/request_new",
            context={"task_request": task_request, "answer": answer, "link": link},
        )
    audit(
        actor=by,
        action="task_request.send",
        obj=task_request,
        request=request,
        data={"experts": [e.pk for e in experts]},
    )
    return task_request


# What an accepted request hands on to its task.
SHARED_FIELDS = (
    "title",
    "task_type",
    "audience",
    "audience_size",
    "online",
    "municipality",
    "address",
    "description",
    "language",
    "fee",
    "pays_travel_costs",
)


def _task_from(answer: RequestAnswer, *, by: User, date, start_time, end_time) -> Task:
    source = answer.request
    orderer = source.created_by
    task = Task(
        **{name: getattr(source, name) for name in SHARED_FIELDS},
        expert=answer.expert,
        answer=answer,
        orderer_organisation=source.orderer_organisation,
        orderer_user=orderer,
        orderer_name=orderer.get_full_name() if orderer else "",
        orderer_email=orderer.email if orderer else "",
        orderer_language=orderer.language if orderer else Language.FI,
        date=date,
        start_time=start_time,
        end_time=end_time,
        created_by=by,
    )
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def answer_request(
    *,
    answer: RequestAnswer,
    accept: bool,
    message: str,
    by: User,
    date=None,
    start_time=None,
    end_time=None,
    request=None,
) -> Task | None:
    """Accept or decline one expert's part of a request. Accepting makes it a task on the
    agreed date (the request's date unless another one in its range is given).

    Side effects: the answer, a task when accepted, an audit row, an email to the orderer
    (and, when a contact accepted for the expert, to the expert) with a link."""
    locked = RequestAnswer.objects.select_for_update().get(pk=answer.pk)
    if locked.status != RequestAnswer.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    source = answer.request
    if source.is_past:
        raise ValidationError(_("The date of this request has passed."))
    date = date or source.date
    if accept and not source.date <= date <= source.last_date:
        raise ValidationError({"date": _("Choose a date within the requested dates.")})
    answer.status = RequestAnswer.Status.ACCEPTED if accept else RequestAnswer.Status.DECLINED
    answer.message = message
    answer.answered_at = timezone.now()
    answer.answered_by = by
    answer.save(update_fields=["status", "message", "answered_at", "answered_by"])
    task = None
    if accept:
        task = _task_from(
            answer,
            by=by,
            date=date,
            start_time=start_time or source.start_time,
            end_time=end_time or source.end_time,
        )
    audit(actor=by, action=f"task_request.{answer.status}", obj=answer, request=request)
    context = {"task_request": source, "answer": answer, "task": task}
    _notify(
        _orderer_of_request(source),
        key=f"request-answer:{answer.pk}:{answer.status}",
        template=f"pankki/email/request_{answer.status}",
        context={**context, "link": _link("pankki:request_detail", source.pk)},
        by=by,
    )
    if task and answer.expert.user_id and answer.expert.user != by:
        _notify(
            [_recipient(answer.expert.user)],
            key=f"request-answer:{answer.pk}:agreed-for-expert",
            template="pankki/email/task_agreed",
            context={**context, "link": _link("pankki:task_detail", task.pk)},
            by=by,
        )
    return task


@transaction.atomic
def withdraw_request(*, task_request: TaskRequest, by: User, reason: str = "", request=None) -> int:
    """The orderer withdraws the request from the experts who have not answered yet (tasks
    already agreed are cancelled one by one).

    Side effects: the pending answers become withdrawn, an audit row, an email to those who
    would have answered."""
    pending = list(
        task_request.answers.pending()
        .select_for_update(of=("self",))
        .select_related("expert__user", "expert__responsible_organisation")
    )
    if not pending:
        raise ValidationError(_("Nobody is waiting to answer this request."))
    now = timezone.now()
    for answer in pending:
        answer.status = RequestAnswer.Status.WITHDRAWN
        answer.message, answer.answered_at, answer.answered_by = reason, now, by
        answer.save(update_fields=["status", "message", "answered_at", "answered_by"])
        _notify(
            expert_recipients(answer.expert, via_organisation=answer.via_organisation),
            key=f"request-answer:{answer.pk}:withdrawn",
            template="pankki/email/request_withdrawn",
            context={
                "task_request": task_request,
                "answer": answer,
                "link": _link("pankki:request_detail", task_request.pk),
            },
            by=by,
        )
    audit(
        actor=by,
        action="task_request.withdraw",
        obj=task_request,
        request=request,
        data={"answers": [a.pk for a in pending]},
    )
    return len(pending)


@transaction.atomic
def record_task(*, task: Task, by: User, done: bool = False, request=None) -> Task:
    """Record a task agreed outside the system (an unsaved Task from the form), by the expert
    or their contact; `done` records it as already done.

    Side effects: the task, an audit row."""
    task.created_by = by
    if task.orderer_organisation_id:
        task.orderer_organisation_name = ""
    if done:
        if task.date > timezone.localdate():
            raise ValidationError({"date": _("A task in the future cannot be done yet.")})
        task.status, task.done_at, task.done_by = Task.Status.DONE, timezone.now(), by
    task.full_clean()
    task.save()
    audit(actor=by, action="task.record", obj=task, request=request, data={"done": done})
    return task


def _lock(task: Task) -> Task:
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.status != Task.Status.AGREED:
        raise ValidationError(_("This task is already done or cancelled."))
    return locked


@transaction.atomic
def cancel_task(*, task: Task, by: User, reason: str, request=None) -> Task:
    """Cancel an agreed task with a reason.

    Side effects: the task's status, an audit row, an email to both sides (the expert and
    the contacts, the orderer) except the one who cancelled."""
    _lock(task)
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Tell the other side why.")})
    task.status = Task.Status.CANCELLED
    task.cancelled_at, task.cancelled_by, task.cancel_reason = timezone.now(), by, reason
    task.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    audit(actor=by, action="task.cancel", obj=task, request=request)
    _notify(
        [*_expert_side(task.expert), *_orderer_of_task(task)],
        key=f"task:{task.pk}:cancelled",
        template="pankki/email/task_cancelled",
        context={"task": task, "link": _link("pankki:task_detail", task.pk)},
        by=by,
    )
    return task


@transaction.atomic
def complete_task(*, task: Task, by: User, audience_size: int | None = None, request=None) -> Task:
    """Mark an agreed task done, on or after its date, with the number of listeners reached.
    (palaute sends the feedback links of done tasks.)

    Side effects: the task's status and audience size, an audit row."""
    _lock(task)
    if task.date > timezone.localdate():
        raise ValidationError(_("A task in the future cannot be done yet."))
    if audience_size:
        task.audience_size = audience_size
    task.status, task.done_at, task.done_by = Task.Status.DONE, timezone.now(), by
    task.save(update_fields=["status", "done_at", "done_by", "audience_size"])
    audit(actor=by, action="task.done", obj=task, request=request)
    return task
