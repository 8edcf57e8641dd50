"""Regional events for the area's experts, and the group's mailings to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import Area
from pankki.models import Expert

from .groups import GroupScopedQuerySet, SteeringGroup

CAPACITY_ERROR = _("An event has at least one place. Leave the field empty if there is no limit.")


class RegionalEventQuerySet(GroupScopedQuerySet):
    def for_expert(self, expert: Expert):
        """Events of the area where the expert lives."""
        return self.filter(
            group__area__in=Area.objects.filter(regions__municipalities=expert.home_municipality_id)
        )

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now())


class RegionalEvent(models.Model):
    class Kind(models.TextChoices):
        RECREATION = "recreation", _("Recreation")
        PEER = "peer", _("Peer meeting")
        TRAINING = "training", _("Supplementary training")
        SEMINAR = "seminar", _("Seminar")
        OTHER = "other", _("Other event")

    group = models.ForeignKey(
        SteeringGroup, models.PROTECT, related_name="events", verbose_name=_("steering group")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty if there is no limit.")
    )
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RegionalEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("regional event")
        verbose_name_plural = _("regional events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                name="event_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(
                name="event_has_place", condition=~Q(place="") | ~Q(online_link="")
            ),
            models.CheckConstraint(
                name="event_capacity_positive",
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                violation_error_message=CAPACITY_ERROR,
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        closes = self.registration_closes_at or self.starts_at
        return self.cancelled_at is None and now < closes


class RegistrationQuerySet(GroupScopedQuerySet):
    group_path = "event__group"

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Has a place")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        RegionalEvent, models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    expert = models.ForeignKey(
        Expert, models.CASCADE, related_name="event_registrations", verbose_name=_("expert")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    needs = models.TextField(
        _("accessibility needs or other wishes"),
        blank=True,
        help_text=_("Only the organisers see this."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "expert"],
                condition=~Q(status="cancelled"),
                name="registration_once",
            )
        ]

    def __str__(self):
        return f"{self.event}: {self.expert}"


class ExpertMailingQuerySet(GroupScopedQuerySet):
    pass


class ExpertMailing(models.Model):
    """The secretary's email to every consenting expert of the area."""

    group = models.ForeignKey(
        SteeringGroup, models.PROTECT, related_name="mailings", verbose_name=_("steering group")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    objects = ExpertMailingQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailing to experts")
        verbose_name_plural = _("mailings to experts")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class MailingOptOut(models.Model):
    """The expert does not want the group's mailings; recorded through the link in each one."""

    group = models.ForeignKey(
        SteeringGroup, models.CASCADE, related_name="opt_outs", verbose_name=_("steering group")
    )
    expert = models.ForeignKey(Expert, models.CASCADE, related_name="+", verbose_name=_("expert"))
    created_at = models.DateTimeField(_("unsubscribed"), default=timezone.now)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints = [models.UniqueConstraint(fields=["group", "expert"], name="opt_out_once")]

    def __str__(self):
        return f"{self.expert} / {self.group}"
