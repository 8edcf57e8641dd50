"""Course types and their rules, courses with their sessions and assignments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotove.models import Area, Language, MemberOrganisation, Role, localized


def _role_scopes(user, *kinds) -> list[int]:
    """The ids of the organisations or areas where `user` holds one of `kinds`."""
    return [role.scope.pk for role in user.active_roles if role.kind in kinds]


def contact_organisation_ids(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return _role_scopes(user, Role.Kind.ORGANISATION_CONTACT)


def regional_area_ids(user) -> list[int]:
    """Areas whose regional group `user` chairs or is secretary of: they run its supplementary
    training."""
    if not user.is_authenticated:
        return []
    return _role_scopes(user, Role.Kind.REGIONAL_CHAIR, Role.Kind.REGIONAL_SECRETARY)


class CourseType(models.Model):
    """One of the three kinds of training, with the rules of completing it. The planner keeps
    the rules in admin; the defaults come from the guide."""

    class Kind(models.TextChoices):
        BASIC = "basic", _("Basic training")
        CONTINUING = "continuing", _("Developer-influencer continuing training")
        SUPPLEMENTARY = "supplementary", _("Supplementary training")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    min_contact_days = models.PositiveSmallIntegerField(
        _("contact teaching days at least"),
        help_text=_("Days on which the participant attended at least part of the teaching."),
    )
    min_contact_hours = models.DecimalField(
        _("contact teaching hours at least"), max_digits=5, decimal_places=1
    )
    independent_work_hours = models.DecimalField(
        _("independent work, hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(0),
        help_text=_("Shown in the course description; not checked."),
    )
    requires_assignments = models.BooleanField(
        _("all required assignments must be done"), default=True
    )
    requires_practice_lecture = models.BooleanField(
        _("an accepted practice lecture is required"), default=False
    )
    selection_by_organisation = models.BooleanField(
        _("the applicant's organisation selects the participants"),
        default=True,
        help_text=_(
            "Otherwise places go to registrations in order and the rest to the waiting list."
        ),
    )
    only_trained_experts_of_area = models.BooleanField(
        _("only for trained experts of the course's area"), default=False
    )
    offer_days = models.PositiveSmallIntegerField(
        _("days to accept a freed place"),
        default=3,
        help_text=_("How long a waiting-list applicant has to accept a place offered by email."),
    )

    class Meta:
        verbose_name = _("course type")
        verbose_name_plural = _("course types")
        ordering = ["pk"]

    def __str__(self):
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class CourseQuerySet(models.QuerySet):
    def with_dates(self):
        return self.annotate(first_date=Min("sessions__date"), last_date=Max("sessions__date"))

    def published(self):
        return self.filter(is_published=True)

    def open_for_applications(self, today=None):
        today = today or timezone.localdate()
        return self.published().filter(application_opens__lte=today, application_closes__gte=today)

    def managed_by(self, user):
        """Courses whose participants `user` selects for places and completes: the
        coordinator's own, the supplementary training of a regional group's area, all for
        planners."""
        if not user.is_authenticated:
            return self.none()
        if user.is_planner:
            return self
        return self.filter(
            Q(coordinator=user)
            | Q(
                course_type__kind=CourseType.Kind.SUPPLEMENTARY,
                area__in=regional_area_ids(user),
            )
        )

    def run_by(self, user):
        """Courses whose attendance and assignments `user` records: as above, and trainers'."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(pk__in=self.managed_by(user).values("pk")) | Q(trainers=user)
        ).distinct()

    def visible_to(self, user):
        return self.filter(Q(is_published=True) | Q(pk__in=self.run_by(user).values("pk")))

    def ended(self, *, since=None, today=None):
        """Courses whose last session is before `today` (and on or after `since`): palaute
        sends their course feedback to `Application.objects.participants()`."""
        today = today or timezone.localdate()
        courses = self.with_dates().filter(last_date__lt=today)
        return courses.filter(last_date__gte=since) if since else courses


class Course(models.Model):
    course_type = models.ForeignKey(
        CourseType, models.PROTECT, related_name="courses", verbose_name=_("course type")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language of teaching"), max_length=2, choices=Language.choices, default=Language.FI
    )
    organisations = models.ManyToManyField(
        MemberOrganisation,
        blank=True,
        related_name="courses",
        verbose_name=_("organising organisations"),
    )
    area = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("regional area"),
        help_text=_(
            "The area whose regional group organises or takes part. Supplementary training is "
            "open to the trained experts of this area."
        ),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="coordinated_courses",
        verbose_name=_("coordinator"),
        help_text=_("The one person responsible for the whole course."),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="courses_as_trainer",
        verbose_name=_("trainers"),
    )
    capacity = models.PositiveSmallIntegerField(_("places"))
    application_opens = models.DateField(_("applications open"))
    application_closes = models.DateField(_("applications close"))
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown in the public list of courses.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-application_closes", "name"]
        constraints = [
            models.CheckConstraint(
                name="course_application_period_order",
                condition=Q(application_closes__gte=models.F("application_opens")),
            ),
            models.CheckConstraint(name="course_capacity_positive", condition=Q(capacity__gte=1)),
        ]

    def __str__(self):
        return self.name

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_published and self.application_opens <= today <= self.application_closes

    @cached_property
    def has_practice_lecture(self) -> bool:
        """Its type requires a practice lecture, or the course sets one as an assignment."""
        return (
            self.course_type.requires_practice_lecture
            or self.assignments.filter(kind=Assignment.Kind.PRACTICE_LECTURE).exists()
        )


class Session(models.Model):
    """A stretch of contact teaching on one day."""

    course = models.ForeignKey(
        Course, models.CASCADE, related_name="sessions", verbose_name=_("course")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    title = models.CharField(_("topic"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)

    class Meta:
        verbose_name = _("contact teaching session")
        verbose_name_plural = _("contact teaching sessions")
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
            models.CheckConstraint(
                name="session_has_place", condition=Q(online=True) | ~Q(place="")
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.starts_at:%H.%M}–{self.ends_at:%H.%M}"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if not self.online and not self.place.strip():
            errors["place"] = _("Give the place, or mark the session online.")
        if errors:
            raise ValidationError(errors)

    @property
    def minutes(self) -> int:
        start = datetime.combine(self.date, self.starts_at)
        return int((datetime.combine(self.date, self.ends_at) - start).total_seconds() // 60)

    @property
    def contact_hours(self) -> Decimal:
        return Decimal(self.minutes) / 60

    def starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.starts_at))

    def ends(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.ends_at))

    def has_started(self, now: datetime | None = None) -> bool:
        """Attendance of a session is recorded, and counts for completion, once it starts."""
        return self.starts() <= (now or timezone.now())


class Assignment(models.Model):
    class Kind(models.TextChoices):
        PRE_TASK = "pre", _("Pre-task")
        INTERMEDIATE = "intermediate", _("Intermediate task")
        REMOTE = "remote", _("Remote task")
        PRACTICE_LECTURE = "practice_lecture", _("Practice lecture")
        OTHER = "other", pgettext_lazy("assignment kind", "Other")

    course = models.ForeignKey(
        Course, models.CASCADE, related_name="assignments", verbose_name=_("course")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    required = models.BooleanField(_("required for completion"), default=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_practice_lecture(self) -> bool:
        return self.kind == self.Kind.PRACTICE_LECTURE


def find_overlaps(sessions) -> list[tuple[Session, Session]]:
    """Pairs of sessions on the same day whose times overlap (a later one starting before an
    earlier one ends)."""
    ordered = sorted(sessions, key=lambda s: (s.date, s.starts_at, s.ends_at))
    pairs = []
    for index, session in enumerate(ordered):
        for earlier in ordered[:index]:
            if earlier.date == session.date and session.starts_at < earlier.ends_at:
                pairs.append((earlier, session))
    return pairs
