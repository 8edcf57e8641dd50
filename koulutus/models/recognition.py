"""Recognition of competence on special grounds by the national steering group."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation, Municipality, Role
from pankki.models import Expert

from .courses import contact_organisation_ids


class RecognitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Contacts see their organisation's applications; the national steering group and
        the planner all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_planner or user.has_role(Role.Kind.NATIONAL_GROUP):
            return self
        return self.filter(organisation__in=contact_organisation_ids(user))


class RecognitionApplication(models.Model):
    """An organisation's application to the national steering group to recognise a person's
    competence on special grounds."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the national steering group")
        APPROVED = "approved", _("Recognised")
        REJECTED = "rejected", _("Not recognised")

    organisation = models.ForeignKey(
        MemberOrganisation,
        models.PROTECT,
        related_name="recognition_applications",
        verbose_name=_("organisation"),
    )
    expert = models.ForeignKey(
        Expert,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="recognition_applications",
        verbose_name=_("expert record"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    home_municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="+", verbose_name=_("home municipality")
    )
    experience_kind = models.CharField(
        _("experience"), max_length=20, choices=Expert.ExperienceKind.choices
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition application")
        verbose_name_plural = _("recognition applications")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.organisation})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def attachment_path(instance, filename: str) -> str:
    # A random name: the original one is kept in the row, never in the storage path.
    return f"koulutus/recognition/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class RecognitionAttachment(models.Model):
    application = models.ForeignKey(
        RecognitionApplication,
        models.CASCADE,
        related_name="attachments",
        verbose_name=_("recognition application"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name
