"""Yearly action plans (toimintasuunnitelma) and development grants (kehittämistuki)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .groups import GroupScopedQuerySet, SteeringGroup

# "Tuki on ollut keskimäärin 200–1000 euroa": other amounts are possible but warn.
GRANT_TYPICAL = (Decimal("200"), Decimal("1000"))


class ActionPlanQuerySet(GroupScopedQuerySet):
    pass


class ActionPlan(models.Model):
    group = models.ForeignKey(
        SteeringGroup, models.PROTECT, related_name="action_plans", verbose_name=_("steering group")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    aims = models.TextField(_("aims of the year"), blank=True)
    approved_on = models.DateField(_("approved by the group on"), null=True, blank=True)
    review = models.TextField(_("how the year went"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["group", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="action_plan_once_a_year")
        ]

    def __str__(self):
        return f"{self.group} {self.year}"


class PlanItemQuerySet(GroupScopedQuerySet):
    group_path = "plan__group"

    def yearly_counts(self):
        """Planned and done per group, year and kind: what the annual report adds up.

        Rows: {"group": id, "year": 2026, "kind": "event", "planned": 3, "done": 2,
        "budget": Decimal, "actual_cost": Decimal, "participants": int}. Costs and participants
        are those of the done items: what was spent, not what was hoped for."""
        done = Q(status=PlanItem.Status.DONE)
        return (
            self.values("kind", group=F("plan__group"), year=F("plan__year"))
            .annotate(
                planned=Count("pk"),
                done=Count("pk", filter=done),
                budget=Sum("budget"),
                actual_cost=Sum("actual_cost", filter=done),
                participants=Sum("participants", filter=done),
            )
            .order_by("group", "year", "kind")
        )


class PlanItem(models.Model):
    """One goal, event, meeting or other action of a plan; later marked with what happened."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("Goal")
        EVENT = "event", _("Event for experts")
        TRAINING = "training", _("Supplementary training")
        MEETING = "meeting", _("Steering group meeting")
        MARKETING = "marketing", _("Marketing and partnerships")
        OTHER = "other", _("Other action")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")

    plan = models.ForeignKey(
        ActionPlan, models.CASCADE, related_name="items", verbose_name=_("action plan")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    timing = models.CharField(_("when"), max_length=100, blank=True)
    budget = models.DecimalField(
        _("budget (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.TextField(_("what happened"), blank=True)
    actual_cost = models.DecimalField(
        _("actual cost (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        ordering = ["plan", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                name="plan_item_budget_not_negative",
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
            ),
            models.CheckConstraint(
                name="plan_item_cost_not_negative",
                condition=Q(actual_cost__isnull=True) | Q(actual_cost__gte=0),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """What it cost and who came are known only of what was done."""
        if self.status != self.Status.DONE:
            message = _("Fill this in only when the item is done.")
            errors = {
                name: message
                for name in ("actual_cost", "participants")
                if getattr(self, name) is not None
            }
            if errors:
                raise ValidationError(errors)


class GrantApplicationQuerySet(GroupScopedQuerySet):
    def pending_or_granted(self):
        """Waiting for a decision, or granted (and perhaps reported): a group applies once a
        year."""
        return self.filter(
            status__in=[
                GrantApplication.Status.SUBMITTED,
                GrantApplication.Status.GRANTED,
                GrantApplication.Status.REPORTED,
            ]
        )


class GrantApplication(models.Model):
    """An application for regional development support, decided by the national group."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for decision")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")
        REPORTED = "reported", _("Use of funds reported")

    group = models.ForeignKey(
        SteeringGroup,
        models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("steering group"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.TextField(_("purpose"))
    amount = models.DecimalField(_("amount applied for (€)"), max_digits=9, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_amount = models.DecimalField(
        _("amount granted (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    conditions = models.TextField(_("conditions"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report = models.TextField(_("report of the use of funds"), blank=True)
    spent_amount = models.DecimalField(
        _("amount used (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = GrantApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("development grant application")
        verbose_name_plural = _("development grant applications")
        ordering = ["-year", "group"]
        constraints = [
            models.CheckConstraint(name="grant_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="grant_granted_not_negative",
                condition=Q(granted_amount__isnull=True) | Q(granted_amount__gte=0),
            ),
            models.CheckConstraint(
                name="grant_spent_not_negative",
                condition=Q(spent_amount__isnull=True) | Q(spent_amount__gte=0),
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.year}: {self.amount} €"

    @property
    def is_typical_amount(self) -> bool:
        low, high = GRANT_TYPICAL
        return low <= self.amount <= high


class GrantBudgetLine(models.Model):
    application = models.ForeignKey(
        GrantApplication, models.CASCADE, related_name="lines", verbose_name=_("application")
    )
    description = models.CharField(_("cost"), max_length=200)
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application", "pk"]
        constraints = [
            models.CheckConstraint(name="budget_line_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self):
        return f"{self.description}: {self.amount} €"
