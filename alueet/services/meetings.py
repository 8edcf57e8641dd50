"""Meetings: scheduling and changes, invitations with calendar attachments, answers, reminders,
attachments and minutes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import User
from kotove.services import audit

from ..ics import meeting_calendar
from ..models import AgendaItem, Attachment, Invitation, Meeting, Membership, Minutes
from ..models.meetings import new_token
from . import absolute

REMINDER_BEFORE = datetime.timedelta(days=2)
# What a change must carry to the members' calendars.
CALENDAR_FIELDS = ["title", "starts_at", "ends_at", "place", "online_link", "description"]


def meeting_members(meeting: Meeting):
    """Members of the term in force on the meeting day who have not left by then; if no term
    covers that day yet, the members of today."""
    day = timezone.localtime(meeting.starts_at).date()
    members = Membership.objects.filter(
        term__group=meeting.group_id, term__starts_on__lte=day, term__ends_on__gte=day
    ).active(day)
    if not members.exists():
        today = timezone.localdate()
        members = Membership.objects.filter(
            term__group=meeting.group_id, term__starts_on__lte=today, term__ends_on__gte=today
        ).active(today)
    return members.select_related("user")


def _agenda_changed(meeting: Meeting, agenda: list[str]) -> bool:
    return [item.title for item in meeting.agenda_items.all()] != agenda


@transaction.atomic
def save_meeting(
    *, meeting: Meeting, agenda: list[str], by: User, send: bool = False, request=None
) -> Meeting:
    """Schedule a meeting or change it. `send` sends the invitations now; once they are sent,
    every change the calendars show goes to the members as an update with a higher SEQUENCE,
    and a new time makes the earlier answers void (each member gets a new answer link).

    Side effects: agenda items, invitations reset on a new time, an audit row, and (after the
    commit) a Celery task that emails the invitations or the update."""
    created = meeting.pk is None
    before = None
    if not created:
        before = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if before.is_cancelled:
            raise ValidationError(_("A cancelled meeting cannot be changed."))
    meeting.full_clean()
    changed = created or any(
        getattr(before, name) != getattr(meeting, name) for name in CALENDAR_FIELDS
    )
    agenda_changed = created or _agenda_changed(meeting, agenda)
    if meeting.invited_at and (changed or agenda_changed):
        meeting.sequence += 1
    if send and meeting.invited_at is None:
        meeting.invited_at = timezone.now()
    meeting.save()
    if agenda_changed:
        meeting.agenda_items.all().delete()
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, order=number, title=title)
            for number, title in enumerate(agenda, start=1)
        )
    if before and (before.starts_at, before.ends_at) != (meeting.starts_at, meeting.ends_at):
        for invitation in meeting.invitations.all():
            invitation.token = new_token()
            invitation.response, invitation.note = "", ""
            invitation.responded_at = invitation.reminded_at = None
            invitation.save()
    audit(
        actor=by,
        action="meeting.create" if created else "meeting.update",
        obj=meeting,
        request=request,
        data={"sequence": meeting.sequence},
    )
    if meeting.invited_at:
        _queue_emails(meeting)
    return meeting


def _queue_emails(meeting: Meeting) -> None:
    from ..tasks import send_meeting_invitations

    send_meeting_invitations.delay_on_commit(meeting_id=meeting.pk)


@transaction.atomic
def send_invitations(*, meeting: Meeting, by: User, request=None) -> None:
    """Send the invitations, or send them to members added since (the task is idempotent).

    Side effects: an audit row, and (after the commit) the Celery task that emails them."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting has been cancelled."))
    if meeting.is_over:
        raise ValidationError(_("The meeting is over: invitations are no longer sent."))
    if meeting.invited_at is None:
        meeting.invited_at = timezone.now()
        meeting.save(update_fields=["invited_at"])
    audit(actor=by, action="meeting.invite", obj=meeting, request=request)
    _queue_emails(meeting)


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, reason: str, by: User, request=None) -> Meeting:
    """Cancel the meeting; members who were invited get a cancellation their calendar
    understands (METHOD:CANCEL, a higher SEQUENCE).

    Side effects: an audit row, and (after the commit) the Celery task that emails it."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting has been cancelled already."))
    if meeting.is_over:
        raise ValidationError(_("The meeting is over."))
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the members why the meeting is cancelled.")})
    meeting.cancelled_at, meeting.cancel_reason = timezone.now(), reason.strip()
    if meeting.invited_at:
        meeting.sequence += 1
    meeting.save()
    audit(actor=by, action="meeting.cancel", obj=meeting, request=request)
    if meeting.invited_at:
        _queue_emails(meeting)
    return meeting


def _meeting_email(meeting: Meeting, invitation: Invitation, kind: str) -> None:
    membership = invitation.membership
    language = membership.email_language
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "name": membership.first_name,
        "agenda": list(meeting.agenda_items.all()),
        "kind": kind,
        "rsvp_url": absolute("alueet:rsvp", invitation.token),
        "meeting_url": absolute("alueet:meeting_detail", meeting.pk),
    }
    with translation.override(language):
        description = render_to_string("alueet/email/meeting_calendar.txt", context).strip()
    ics = meeting_calendar(
        meeting=meeting,
        attendee_email=membership.email,
        attendee_name=membership.full_name,
        description=description,
    )
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    queue_email(
        # One email per member per version of the meeting: reruns and retries add nothing.
        key=f"alueet:meeting:{meeting.pk}:v{meeting.sequence}:{membership.pk}",
        to=membership.email,
        template=f"alueet/email/meeting_{kind}",
        language=language,
        context=context,
        attachments=[
            {
                "filename": "invite.ics",
                "content": ics,
                "mimetype": f"text/calendar; method={method}",
            }
        ],
    )


def email_invitations(*, meeting_id: int) -> int:
    """Queue the meeting's current version to every member: the invitation to members not yet
    invited, the update to the others, or the cancellation to those invited. Run by Celery.

    Side effects: invitations (answer links), emails with an .ics attachment."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update()
            .select_related("group__area")
            .filter(pk=meeting_id)
            .first()
        )
        if meeting is None or meeting.invited_at is None:
            return 0
        if meeting.is_cancelled:
            if meeting.is_over:
                return 0
            invitations = [
                (invitation, "cancellation")
                for invitation in meeting.invitations.select_related("membership__user")
            ]
        else:
            if meeting.is_over:
                return 0
            invitations = []
            for membership in meeting_members(meeting):
                invitation, created = Invitation.objects.get_or_create(
                    meeting=meeting, membership=membership
                )
                invitation.membership = membership
                kind = "invitation" if created or meeting.sequence == 0 else "update"
                invitations.append((invitation, kind))
        for invitation, kind in invitations:
            _meeting_email(meeting, invitation, kind)
        return len(invitations)


class AnswerError(ValidationError):
    """Why an answer link cannot be used; `code` is unknown, used, cancelled or over."""


@transaction.atomic
def answer_invitation(*, token: str, response: str, note: str = "") -> Invitation:
    """Record a member's answer through the no-login link. A link answers once.

    Side effects: the answer on the invitation, an audit row (no actor)."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting", "membership")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise AnswerError(_("This answer link is not valid."), code="unknown")
    if invitation.responded_at:
        raise AnswerError(
            _(
                "This answer link has been used already. Your answer is recorded; if your plans "
                "change, tell the secretary."
            ),
            code="used",
        )
    if invitation.meeting.is_cancelled:
        raise AnswerError(_("The meeting has been cancelled."), code="cancelled")
    if invitation.meeting.is_over:
        raise AnswerError(_("The meeting is over."), code="over")
    if response not in Invitation.Response.values:
        raise ValidationError({"response": _("Choose your answer.")})
    invitation.response, invitation.note = response, note.strip()
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "note", "responded_at"])
    audit(
        actor=None,
        action="meeting.answer",
        obj=invitation.meeting,
        data={"member": invitation.membership_id, "response": response},
    )
    return invitation


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the members who have not answered, two days before the meeting: once per
    invitation. Runs hourly (Celery beat).

    Side effects: emails, the invitations' reminder times."""
    now = now or timezone.now()
    invitations = (
        Invitation.objects.unanswered()
        .filter(
            reminded_at__isnull=True,
            meeting__cancelled_at__isnull=True,
            meeting__invited_at__isnull=False,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + REMINDER_BEFORE,
        )
        .filter(Q(membership__ended_on__isnull=True) | Q(membership__ended_on__gte=now.date()))
        .select_related("meeting__group__area", "membership__user")
    )
    sent = 0
    for invitation in invitations:
        with transaction.atomic():
            membership, meeting = invitation.membership, invitation.meeting
            queue_email(
                key=f"alueet:meeting-reminder:{invitation.pk}",
                to=membership.email,
                template="alueet/email/meeting_reminder",
                language=membership.email_language,
                context={
                    "meeting": meeting,
                    "group": meeting.group,
                    "name": membership.first_name,
                    "rsvp_url": absolute("alueet:rsvp", invitation.token),
                },
            )
            Invitation.objects.filter(pk=invitation.pk).update(reminded_at=now)
            sent += 1
    return sent


@transaction.atomic
def add_attachment(
    *, meeting: Meeting, upload, for_minutes: bool = False, by: User, request=None
) -> Attachment:
    """Store a checked upload (see forms.AttachmentField) under a random name.

    Side effects: the file, an audit row."""
    attachment = Attachment(
        meeting=meeting,
        name=upload.name[:200],
        size=upload.size,
        content_type=upload.checked_content_type,
        for_minutes=for_minutes,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    audit(actor=by, action="meeting.attachment_add", obj=meeting, request=request,
          data={"file": attachment.name})  # fmt: skip
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: Attachment, by: User, request=None) -> None:
    """Side effects: the row, the file once the transaction commits, an audit row."""
    meeting, name, storage_name = attachment.meeting, attachment.name, attachment.file.name
    storage = attachment.file.storage
    minutes = getattr(meeting, "minutes", None)
    if attachment.for_minutes and minutes and minutes.published_at:
        raise ValidationError(_("Published minutes are not changed."))
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(storage_name))
    audit(actor=by, action="meeting.attachment_delete", obj=meeting, request=request,
          data={"file": name})  # fmt: skip


@transaction.atomic
def save_minutes(
    *,
    meeting: Meeting,
    present: list[Membership],
    other_attendees: str,
    decisions: str,
    by: User,
    request=None,
) -> Minutes:
    """Write or correct the minutes until they are published.

    Side effects: the minutes and their attendance, an audit row."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting has been cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes are written once the meeting has started."))
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    if minutes.published_at:
        raise ValidationError(_("Published minutes are not changed."))
    allowed = set(meeting_members(meeting).values_list("pk", flat=True)) | set(
        meeting.invitations.values_list("membership_id", flat=True)
    )
    if any(member.pk not in allowed for member in present):
        raise ValidationError({"present": _("Choose members of this meeting's term.")})
    minutes.other_attendees, minutes.decisions = other_attendees.strip(), decisions.strip()
    minutes.full_clean(exclude=["meeting"])
    minutes.save()
    minutes.present.set(present)
    audit(actor=by, action="meeting.minutes_save", obj=meeting, request=request)
    return minutes


@transaction.atomic
def publish_minutes(*, minutes: Minutes, by: User, request=None) -> Minutes:
    """Publish the minutes to the members; from now on they are not changed.

    Side effects: an email to each member of the meeting, an audit row."""
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__group").get(pk=minutes.pk)
    )
    if minutes.published_at:
        raise ValidationError(_("The minutes have been published already."))
    minutes.published_at, minutes.published_by = timezone.now(), by
    minutes.save(update_fields=["published_at", "published_by"])
    meeting = minutes.meeting
    for membership in meeting_members(meeting):
        queue_email(
            key=f"alueet:minutes:{meeting.pk}:{membership.pk}",
            to=membership.email,
            template="alueet/email/minutes_published",
            language=membership.email_language,
            context={
                "meeting": meeting,
                "group": meeting.group,
                "name": membership.first_name,
                "minutes": minutes,
                "url": absolute("alueet:meeting_detail", meeting.pk),
            },
        )
    audit(actor=by, action="meeting.minutes_publish", obj=meeting, request=request)
    return minutes
