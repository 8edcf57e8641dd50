"""Regional events with registration and a waiting list; the secretary's mailing to the
area's experts, and unsubscribing from it without logging in."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import User
from kotove.services import audit
from pankki.models import Expert

from ..models import (
    ExpertMailing,
    MailingOptOut,
    RegionalEvent,
    Registration,
    SteeringGroup,
    area_experts,
)
from . import absolute

UNSUBSCRIBE_SALT = "alueet.unsubscribe"


def expert_language(expert: Expert) -> str:
    """The expert's own choice when they have an account; else Swedish for experts who work
    in Swedish but not in Finnish."""
    if expert.user_id:
        return expert.user.language
    return "sv" if "sv" in expert.languages and "fi" not in expert.languages else "fi"


def unsubscribe_url(group: SteeringGroup, expert: Expert) -> str:
    token = signing.dumps({"g": group.pk, "e": expert.pk}, salt=UNSUBSCRIBE_SALT)
    return absolute("alueet:unsubscribe", token)


def read_unsubscribe_token(token: str) -> tuple[SteeringGroup, Expert]:
    """The group and expert of an unsubscribe link; ValidationError when it is not valid."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return SteeringGroup.objects.get(pk=data["g"]), Expert.objects.get(pk=data["e"])
    except (signing.BadSignature, KeyError, TypeError, SteeringGroup.DoesNotExist,
            Expert.DoesNotExist):  # fmt: skip
        raise ValidationError(_("This link is not valid."), code="invalid") from None


@transaction.atomic
def unsubscribe(*, token: str) -> MailingOptOut:
    """The expert stops getting the group's mailings (idempotent).

    Side effects: an opt-out row, an audit row (no actor)."""
    group, expert = read_unsubscribe_token(token)
    opt_out, created = MailingOptOut.objects.get_or_create(group=group, expert=expert)
    if created:
        audit(actor=None, action="mailing.unsubscribe", obj=expert, data={"group": group.pk})
    return opt_out


def mailing_recipients(group: SteeringGroup):
    """The area's available experts with a valid consent who have not unsubscribed."""
    return (
        area_experts(group.area)
        .available()
        .with_valid_consent()
        .exclude(pk__in=MailingOptOut.objects.filter(group=group).values("expert"))
    )


@transaction.atomic
def send_mailing(
    *, group: SteeringGroup, subject: str, body: str, by: User, request=None
) -> ExpertMailing:
    """Email a message to every consenting expert of the area, each with an unsubscribe link.

    Side effects: the mailing row, an audit row, and (after the commit) the Celery task that
    emails it."""
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Write a subject and a message."))
    mailing = ExpertMailing.objects.create(
        group=group, subject=subject.strip(), body=body.strip(), sent_by=by
    )
    audit(actor=by, action="mailing.send", obj=mailing, request=request)
    from ..tasks import send_mailing as task

    task.delay_on_commit(mailing_id=mailing.pk)
    return mailing


def email_mailing(*, mailing_id: int) -> int:
    """Queue the mailing to its recipients. Run by Celery; once per expert.

    Side effects: emails, the recipient count."""
    mailing = ExpertMailing.objects.select_related("group__area", "sent_by").get(pk=mailing_id)
    count = 0
    for expert in mailing_recipients(mailing.group).select_related("user"):
        queue_email(
            key=f"alueet:mailing:{mailing.pk}:{expert.pk}",
            to=expert.email,
            template="alueet/email/mailing",
            language=expert_language(expert),
            context={
                "mailing": mailing,
                "group": mailing.group,
                "unsubscribe_url": unsubscribe_url(mailing.group, expert),
            },
        )
        count += 1
    ExpertMailing.objects.filter(pk=mailing.pk).update(recipients=count)
    return count


@transaction.atomic
def save_event(*, event: RegionalEvent, by: User, request=None) -> RegionalEvent:
    """Side effects: an audit row."""
    created = event.pk is None
    if not created and event.capacity is not None:
        confirmed = event.registrations.confirmed().count()
        if event.capacity < confirmed:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(count)d people already have a place: the places cannot be fewer."
                    )
                    % {"count": confirmed}
                }
            )
    event.full_clean()
    event.save()
    if not created:
        _fill_places(event, by)
    audit(actor=by, action="event.create" if created else "event.update", obj=event,
          request=request)  # fmt: skip
    return event


def _registration_email(registration: Registration, template: str) -> None:
    expert = registration.expert
    queue_email(
        key=f"alueet:event:{registration.pk}:{template}",
        to=expert.email,
        template=f"alueet/email/{template}",
        language=expert_language(expert),
        context={
            "registration": registration,
            "event": registration.event,
            "name": expert.first_name,
            "url": absolute("alueet:event_detail", registration.event_id),
        },
    )


def _fill_places(event: RegionalEvent, by: User | None) -> None:
    """Give freed places to the waiting list, first come first served."""
    if event.cancelled_at:
        return
    free = (
        None if event.capacity is None else event.capacity - event.registrations.confirmed().count()
    )
    waiting = (
        event.registrations.waiting().select_related("expert__user").order_by("created_at", "pk")
    )
    for registration in waiting if free is None else waiting[: max(free, 0)]:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        _registration_email(registration, "event_place_freed")
        audit(actor=by, action="event.promote", obj=event, data={"expert": registration.expert_id})


@transaction.atomic
def register(
    *, event: RegionalEvent, expert: Expert, by: User, needs: str = "", request=None
) -> Registration:
    """Register an expert of the area: a place while there are places, else the waiting list.

    Side effects: the registration, an email to the expert, an audit row."""
    event = RegionalEvent.objects.select_for_update().select_related("group__area").get(pk=event.pk)
    if not event.registration_open:
        raise ValidationError(_("Registration for this event has closed."))
    if not area_experts(event.group.area).available().filter(pk=expert.pk).exists():
        raise ValidationError(_("The event is for the experts of its area."))
    if (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(expert=expert)
        .exists()
    ):
        raise ValidationError(
            _("%(name)s is registered for this event already.") % {"name": expert.full_name}
        )
    full = event.capacity is not None and event.registrations.confirmed().count() >= event.capacity
    registration = Registration.objects.create(
        event=event,
        expert=expert,
        status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
        needs=needs.strip(),
        registered_by=by,
    )
    _registration_email(registration, "event_registered")
    audit(actor=by, action="event.register", obj=event, request=request,
          data={"expert": expert.pk, "status": registration.status})  # fmt: skip
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, by: User, request=None) -> Registration:
    """Cancel a registration; a freed place goes to the first on the waiting list.

    Side effects: an email to the participant when someone else (the organiser) cancels, the
    first waiting person's place and email, an audit row."""
    event = RegionalEvent.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_related("expert__user").get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("The registration has been cancelled already."))
    registration.status, registration.cancelled_at = (
        Registration.Status.CANCELLED,
        timezone.now(),
    )
    registration.save(update_fields=["status", "cancelled_at"])
    if registration.expert.user_id != by.pk:  # not the expert cancelling their own
        _registration_email(registration, "event_registration_cancelled")
    _fill_places(event, by)
    audit(actor=by, action="event.cancel_registration", obj=event, request=request,
          data={"expert": registration.expert_id})  # fmt: skip
    return registration


@transaction.atomic
def cancel_event(*, event: RegionalEvent, by: User, request=None) -> RegionalEvent:
    """Cancel the event and tell everyone registered.

    Side effects: emails, an audit row."""
    event = RegionalEvent.objects.select_for_update().get(pk=event.pk)
    if event.cancelled_at:
        raise ValidationError(_("The event has been cancelled already."))
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    for registration in event.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).select_related("expert__user"):
        _registration_email(registration, "event_cancelled")
    audit(actor=by, action="event.cancel", obj=event, request=request)
    return event
