"""Orderers' requests, each requested expert's answer, and tasks (keikat).

A request (TaskRequest) goes to one or several experts; each gets an answer row (RequestAnswer)
that the expert or their organisation contact accepts or declines. An accepted answer becomes a
Task. Tasks agreed outside the system are recorded directly, without a request.

Who sees what (the `visible_to` reads): the orderers of the ordering organisation, the contacts
of the expert's responsible organisation, the expert themself, and planners everything. Imported
by pankki.models, so `from pankki.models import Task` works.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotove.models import Language, Municipality, OrdererOrganisation, Role

from .models import Audience, Expert, TaskType, WorkLanguage


def _scope_ids(user, kind: str) -> list[int]:
    field = Role.SCOPES[kind] + "_id"
    return [getattr(role, field) for role in user.active_roles if role.kind == kind]


def contact_organisation_ids(user) -> list[int]:
    """The member organisations `user` is a contact of."""
    return _scope_ids(user, Role.Kind.ORGANISATION_CONTACT)


def orderer_organisation_ids(user) -> list[int]:
    """The orderer organisations `user` orders for."""
    return _scope_ids(user, Role.Kind.ORDERER)


def expert_side(user, expert: str = "expert") -> Q:
    """The expert themself and the contacts of their responsible organisation."""
    condition = Q(**{f"{expert}__user": user})
    if organisations := contact_organisation_ids(user):
        condition |= Q(**{f"{expert}__responsible_organisation__in": organisations})
    return condition


def orderer_side(user, organisation: str = "orderer_organisation") -> Q:
    """The orderers of the ordering organisation (colleagues cover for each other)."""
    return Q(**{f"{organisation}__in": orderer_organisation_ids(user)})


class ScopedQuerySet(models.QuerySet):
    EXPERT = "expert"
    ORDERER = "orderer_organisation"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_planner:
            return self
        return self.filter(expert_side(user, self.EXPERT) | orderer_side(user, self.ORDERER))

    def of_expert_side(self, user):
        """What `user` may answer, cancel or mark done for the expert (not planners)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(expert_side(user, self.EXPERT))

    def of_orderer_side(self, user):
        """What `user` may withdraw, cancel or mark done as the orderer (not planners)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(orderer_side(user, self.ORDERER))


class Placed(models.Model):
    """What a request and a task share: what, for whom, when, where and on what terms."""

    title = models.CharField(
        _("topic"),
        max_length=200,
        help_text=_("A short name, for example “Living with aphasia: lecture for nurses”."),
    )
    task_type = models.ForeignKey(
        TaskType, models.PROTECT, related_name="+", verbose_name=_("task type")
    )
    audience = models.ForeignKey(
        Audience, models.PROTECT, related_name="+", verbose_name=_("audience")
    )
    audience_size = models.PositiveIntegerField(
        _("audience size"),
        validators=[MinValueValidator(1)],
        help_text=_("About how many listeners or participants."),
    )
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    online = models.BooleanField(_("online"), default=False)
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    address = models.CharField(
        _("address or details of the place"),
        max_length=300,
        blank=True,
        help_text=_("Street address and room, or the online meeting details."),
    )
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=WorkLanguage.choices, default=WorkLanguage.FI
    )
    fee = models.DecimalField(
        _("fee offered (euros)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    pays_travel_costs = models.BooleanField(_("travel costs are reimbursed"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True

    @property
    def place(self) -> str:
        if self.online:
            return str(_("Online"))
        return str(self.municipality) if self.municipality_id else ""


class TaskRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The orderers' own requests; for experts and contacts, requests with an answer row
        of theirs."""
        if not user.is_authenticated:
            return self.none()
        if user.is_planner:
            return self
        answers = RequestAnswer.objects.of_expert_side(user).values("request_id")
        return self.filter(orderer_side(user) | Q(pk__in=answers))

    def of_orderer_side(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(orderer_side(user))


class TaskRequest(Placed):
    """An orderer's request to one or several experts (each answers in a RequestAnswer)."""

    orderer_organisation = models.ForeignKey(
        OrdererOrganisation,
        models.PROTECT,
        related_name="task_requests",
        verbose_name=_("orderer organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    date = models.DateField(_("date"), help_text=_("The date, or the first possible date."))
    date_until = models.DateField(
        _("last possible date"),
        null=True,
        blank=True,
        help_text=_("Only if any day in a range suits you; leave empty for one date."),
    )

    objects = TaskRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("task request")
        verbose_name_plural = _("task requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="taskrequest_place_or_online",
                condition=Q(online=True) | Q(municipality__isnull=False),
            ),
            models.CheckConstraint(
                name="taskrequest_range_ordered",
                condition=Q(date_until__isnull=True) | Q(date_until__gte=models.F("date")),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d.%m.%Y})"

    @property
    def last_date(self):
        return self.date_until or self.date

    @property
    def is_past(self) -> bool:
        return self.last_date < timezone.localdate()


class RequestAnswerQuerySet(ScopedQuerySet):
    ORDERER = "request__orderer_organisation"

    def pending(self):
        return self.filter(status=RequestAnswer.Status.PENDING)


class RequestAnswer(models.Model):
    """One requested expert's answer. With "contact through my organisation" (or when the
    expert has no login) the request goes to the organisation's contacts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn by the orderer")

    request = models.ForeignKey(
        TaskRequest, models.CASCADE, related_name="answers", verbose_name=_("request")
    )
    expert = models.ForeignKey(
        Expert, models.PROTECT, related_name="request_answers", verbose_name=_("expert")
    )
    via_organisation = models.BooleanField(
        _("sent to the organisation's contacts"), default=False, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    message = models.TextField(_("message"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = RequestAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer to a request")
        verbose_name_plural = _("answers to requests")
        ordering = ["request", "expert__last_name", "expert__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "expert"], name="requestanswer_unique"),
            models.CheckConstraint(
                name="requestanswer_answered_has_time",
                condition=Q(status="pending") | Q(answered_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["expert", "status"])]

    def __str__(self):
        return f"{self.request} – {self.expert}"

    @property
    def is_open(self) -> bool:
        """Pending and its date has not passed: it can still be answered."""
        return self.status == self.Status.PENDING and not self.request.is_past


class TaskQuerySet(ScopedQuerySet):
    def agreed(self):
        return self.filter(status=Task.Status.AGREED)

    def done(self):
        return self.filter(status=Task.Status.DONE)

    def upcoming(self, today=None):
        return self.agreed().filter(date__gte=today or timezone.localdate())


class Task(Placed):
    """A task (keikka) an expert does for an orderer, from an accepted request or recorded
    afterwards by the expert or their contact (then the orderer may have no account: their
    name and email are kept as text, so the orderer's feedback link can still be emailed)."""

    class Status(models.TextChoices):
        AGREED = "agreed", pgettext_lazy("task status", "Agreed")
        DONE = "done", pgettext_lazy("task status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("task status", "Cancelled")

    expert = models.ForeignKey(
        Expert, models.PROTECT, related_name="tasks", verbose_name=_("expert")
    )
    answer = models.OneToOneField(
        RequestAnswer,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="task",
        verbose_name=_("accepted request"),
    )
    orderer_organisation = models.ForeignKey(
        OrdererOrganisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("orderer organisation"),
    )
    orderer_organisation_name = models.CharField(
        _("orderer organisation (if not in the list)"), max_length=200, blank=True
    )
    orderer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ordered_tasks",
        verbose_name=_("orderer's account"),
    )
    orderer_name = models.CharField(_("orderer's contact person"), max_length=200)
    orderer_email = models.EmailField(
        _("orderer's email"), help_text=_("The orderer's feedback link is emailed here.")
    )
    orderer_language = models.CharField(
        _("orderer's language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    date = models.DateField(_("date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AGREED
    )
    done_at = models.DateTimeField(_("marked done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["status", "date"])]
        constraints = [
            models.CheckConstraint(
                name="task_place_or_online",
                condition=Q(online=True) | Q(municipality__isnull=False),
            ),
            models.CheckConstraint(
                name="task_orderer_named",
                condition=Q(orderer_organisation__isnull=False) | ~Q(orderer_organisation_name=""),
            ),
            models.CheckConstraint(
                name="task_status_has_time",
                condition=Q(status="agreed")
                | Q(status="done", done_at__isnull=False)
                | Q(status="cancelled", cancelled_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d.%m.%Y}, {self.expert})"

    @property
    def orderer_display(self) -> str:
        return str(self.orderer_organisation or self.orderer_organisation_name)

    @property
    def recorded_outside(self) -> bool:
        """Agreed outside the system (no request behind it)."""
        return self.answer_id is None

    @property
    def can_be_done(self) -> bool:
        return self.status == self.Status.AGREED and self.date <= timezone.localdate()
