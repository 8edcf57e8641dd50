"""Applications through organisations, which become participants: the initial interview,
attendance, assignments done and the practice lecture."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import Language, MemberOrganisation, Municipality
from pankki.models import Expert

from .courses import Assignment, Course, Session, contact_organisation_ids


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the applicant's own organisation sees an application (its contacts)."""
        return self.filter(organisation__in=contact_organisation_ids(user)).exclude(
            status=Application.Status.UNVERIFIED
        )

    def holding_places(self):
        return self.filter(status__in=Application.HOLDS_PLACE)

    def participants(self):
        """People with a confirmed place: palaute sends them the course feedback (`email`,
        `language`)."""
        return self.filter(status=Application.Status.CONFIRMED)

    def waiting_list(self):
        return self.filter(status=Application.Status.WAITING_LIST).order_by("decided_at", "pk")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Application(models.Model):
    """An application to a course, decided by the applicant's organisation; with a confirmed
    place the applicant is a participant, whose attendance, assignments and completion hang
    here."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email address not confirmed")
        SUBMITTED = "submitted", _("Waiting for the organisation's decision")
        SELECTED = "selected", _("Selected by the organisation")
        NOT_SELECTED = "not_selected", _("Not selected")
        WAITING_LIST = "waiting_list", _("On the waiting list")
        OFFERED = "offered", _("Place offered")
        CONFIRMED = "confirmed", _("Place confirmed")
        DECLINED = "declined", _("Offered place declined")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    HOLDS_PLACE = (Status.OFFERED, Status.CONFIRMED)
    # The organisation may (re)decide these.
    DECIDABLE = (Status.SUBMITTED, Status.SELECTED, Status.NOT_SELECTED, Status.WAITING_LIST)
    # One may apply again after these.
    CLOSED = (Status.WITHDRAWN, Status.DECLINED, Status.EXPIRED)
    WITHDRAWABLE = (
        Status.UNVERIFIED,
        Status.SUBMITTED,
        Status.SELECTED,
        Status.WAITING_LIST,
        Status.OFFERED,
        Status.CONFIRMED,
    )

    course = models.ForeignKey(
        Course, models.PROTECT, related_name="applications", verbose_name=_("course")
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_applications",
        verbose_name=_("user account"),
    )
    expert = models.ForeignKey(
        Expert,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_applications",
        verbose_name=_("expert record"),
    )
    organisation = models.ForeignKey(
        MemberOrganisation,
        models.PROTECT,
        related_name="course_applications",
        verbose_name=_("background organisation"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    home_municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="+", verbose_name=_("home municipality")
    )
    language = models.CharField(
        _("language for emails"), max_length=2, choices=Language.choices, default=Language.FI
    )
    experience_kind = models.CharField(
        _("experience"), max_length=20, choices=Expert.ExperienceKind.choices, blank=True
    )
    experience = models.TextField(_("the experience you would share"), blank=True)
    previous_activity = models.TextField(
        _("earlier experience of peer support, organisation or expert activity"), blank=True
    )
    motivation = models.TextField(_("why you are applying"), blank=True)
    accessibility_needs = models.TextField(_("accessibility and other needs"), blank=True)
    basic_training_year = models.PositiveSmallIntegerField(
        _("year of the basic training"), null=True, blank=True
    )
    basic_training_organiser = models.CharField(
        _("basic training organised by"), max_length=200, blank=True
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    verified_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("place confirmed"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    completion_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completion confirmed by"),
    )
    completion_override_reason = models.TextField(
        _("reason for confirming despite the rules"), blank=True
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                "course",
                Lower("email"),
                condition=~Q(status__in=["withdrawn", "declined", "expired"]),
                name="application_one_per_person",
                violation_error_message=_("You have already applied to this course."),
            ),
            models.CheckConstraint(
                name="application_completed_participant",
                condition=Q(completed_on__isnull=True) | Q(status="confirmed"),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} – {self.course}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def offer_open(self) -> bool:
        return (
            self.status == self.Status.OFFERED
            and self.offer_expires_at is not None
            and self.offer_expires_at > timezone.now()
        )


class InitialInterview(models.Model):
    """Alkuhaastattelu: the organisation contact's interview of an applicant."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("Face to face")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video call")

    class Suitability(models.TextChoices):
        SUITABLE = "suitable", _("Suitable for the training now")
        LATER = "later", _("Suitable later")
        NOT_SUITABLE = "not_suitable", _("Not suitable")

    application = models.OneToOneField(
        Application, models.CASCADE, related_name="interview", verbose_name=_("application")
    )
    held_on = models.DateField(_("interview date"))
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    experience_processing = models.TextField(
        _("how the applicant has worked through their experience and can share it"), blank=True
    )
    situation = models.TextField(_("life situation and resources for the training"), blank=True)
    expectations = models.TextField(_("expectations of the training and the activity"), blank=True)
    suitability = models.CharField(_("assessment"), max_length=20, choices=Suitability.choices)
    notes = models.TextField(_("other notes"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("initial interview")
        verbose_name_plural = _("initial interviews")

    def __str__(self):
        return f"{self.application.full_name} {self.held_on}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        PARTLY = "partly", _("Partly present")
        ABSENT = "absent", _("Absent")

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="attendances", verbose_name=_("participant")
    )
    session = models.ForeignKey(
        Session,
        models.CASCADE,
        related_name="attendances",
        verbose_name=_("contact teaching session"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes present"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["application", "session"], name="attendance_once"),
            models.CheckConstraint(
                name="attendance_minutes_when_partly",
                condition=Q(status="partly", minutes__gt=0) | Q(minutes__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.application.full_name} {self.session}: {self.get_status_display()}"

    @property
    def attended_minutes(self) -> int:
        if self.status == self.Status.PRESENT:
            return self.session.minutes
        if self.status == self.Status.PARTLY:
            return min(self.minutes, self.session.minutes)
        return 0


class AssignmentCompletion(models.Model):
    application = models.ForeignKey(
        Application, models.CASCADE, related_name="assignments_done", verbose_name=_("participant")
    )
    assignment = models.ForeignKey(
        Assignment, models.CASCADE, related_name="completions", verbose_name=_("assignment")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assignment done")
        verbose_name_plural = _("assignments done")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assignment"], name="assignment_done_once"
            )
        ]

    def __str__(self):
        return f"{self.application.full_name}: {self.assignment}"


class PracticeLectureEvaluation(models.Model):
    """The outcome of a participant's practice lecture (harjoitusluento). The evaluation form
    itself lives in palaute, which records its outcome here through
    services.record_practice_lecture_evaluation; the coordinator can also record it directly."""

    class Source(models.TextChoices):
        COURSE_PAGE = "course_page", _("Recorded on the course page")
        FEEDBACK_FORM = "feedback_form", _("Evaluation form")

    application = models.OneToOneField(
        Application,
        models.CASCADE,
        related_name="practice_lecture",
        verbose_name=_("participant"),
    )
    evaluated_on = models.DateField(_("practice lecture given on"))
    evaluators = ArrayField(
        models.CharField(max_length=150), verbose_name=_("evaluators"), default=list
    )
    accepted = models.BooleanField(_("accepted"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("recorded from"), max_length=20, choices=Source.choices, default=Source.COURSE_PAGE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("practice lecture evaluation")
        verbose_name_plural = _("practice lecture evaluations")

    def __str__(self):
        return f"{self.application.full_name} {self.evaluated_on}"
