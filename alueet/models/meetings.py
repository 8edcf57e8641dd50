"""A steering group's meetings: agenda, attachments, invitations with answers, minutes."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .groups import GroupScopedQuerySet, Membership, SteeringGroup


def new_token() -> str:
    return secrets.token_urlsafe(24)


def attachment_path(instance, filename: str) -> str:
    """A random name: the original one is kept in the row and given back on download."""
    return f"alueet/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class MeetingQuerySet(GroupScopedQuerySet):
    def in_year(self, year: int):
        return self.filter(starts_at__year=year)

    def held(self):
        """Not cancelled and already over."""
        return self.filter(cancelled_at__isnull=True, ends_at__lt=timezone.now())

    def upcoming(self):
        return self.filter(cancelled_at__isnull=True, ends_at__gte=timezone.now())


class Meeting(models.Model):
    group = models.ForeignKey(
        SteeringGroup, models.PROTECT, related_name="meetings", verbose_name=_("steering group")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    description = models.TextField(_("message to the members"), blank=True)
    # iCalendar SEQUENCE: raised by every change sent to the members, so calendars update.
    sequence = models.PositiveIntegerField(_("invitation version"), default=0, editable=False)
    invited_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                name="meeting_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(
                name="meeting_has_place", condition=~Q(place="") | ~Q(online_link="")
            ),
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_over(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def uid(self) -> str:
        """The calendar event's identity: the same for every update and the cancellation."""
        return f"alueet-meeting-{self.pk}@kokemustoimintaverkosto.fi"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    order = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("item"), max_length=300)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]

    def __str__(self):
        return f"{self.order}. {self.title}"


class AttachmentQuerySet(GroupScopedQuerySet):
    group_path = "meeting__group"


class Attachment(models.Model):
    """A meeting's document, served only to those who may read the meeting."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    for_minutes = models.BooleanField(_("part of the minutes"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "uploaded_at"]

    def __str__(self):
        return self.name


class InvitationQuerySet(GroupScopedQuerySet):
    group_path = "meeting__group"

    def unanswered(self):
        return self.filter(responded_at__isnull=True)


class Invitation(models.Model):
    """A member's invitation to a meeting; the token is the no-login answer link."""

    class Response(models.TextChoices):
        YES = "yes", _("I will attend")
        NO = "no", _("I cannot attend")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    membership = models.ForeignKey(
        Membership, models.CASCADE, related_name="invitations", verbose_name=_("member")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    response = models.CharField(_("answer"), max_length=10, choices=Response.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "membership__last_name", "membership__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="invitation_once_per_member"
            )
        ]

    def __str__(self):
        return f"{self.meeting}: {self.membership.full_name}"


class Minutes(models.Model):
    """Pöytäkirja: attendance and decisions; members read it once published."""

    meeting = models.OneToOneField(
        Meeting, models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    present = models.ManyToManyField(
        Membership, blank=True, related_name="+", verbose_name=_("members present")
    )
    other_attendees = models.TextField(_("others present"), blank=True)
    decisions = models.TextField(_("decisions"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)
