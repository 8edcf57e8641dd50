"""Yearly action plans and development grant applications."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import Role, User
from kotove.services import audit

from ..models import (
    ActionPlan,
    GrantApplication,
    GrantBudgetLine,
    Membership,
    PlanItem,
    SteeringGroup,
)
from . import absolute


def money(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2)


@transaction.atomic
def save_plan(*, plan: ActionPlan, by: User, request=None) -> ActionPlan:
    """Side effects: an audit row."""
    created = plan.pk is None
    if created and ActionPlan.objects.filter(group=plan.group, year=plan.year).exists():
        raise ValidationError({"year": _("The group has a plan for this year already.")})
    plan.full_clean()
    plan.save()
    audit(actor=by, action="plan.create" if created else "plan.update", obj=plan,
          request=request)  # fmt: skip
    return plan


@transaction.atomic
def save_plan_item(*, item: PlanItem, by: User, request=None) -> PlanItem:
    """Add an item, or mark what happened. Side effects: an audit row."""
    created = item.pk is None
    item.full_clean()
    item.save()
    audit(actor=by, action="plan.item_create" if created else "plan.item_update",
          obj=item.plan, request=request, data={"item": item.pk})  # fmt: skip
    return item


@transaction.atomic
def delete_plan_item(*, item: PlanItem, by: User, request=None) -> None:
    """Side effects: the row is deleted, an audit row."""
    audit(actor=by, action="plan.item_delete", obj=item.plan, request=request,
          data={"title": item.title})  # fmt: skip
    item.delete()


def amount_warning(amount: Decimal | None) -> str:
    """Amounts outside the usual 200–1000 € are allowed but worth a second look."""
    from ..models.plans import GRANT_TYPICAL

    low, high = GRANT_TYPICAL
    if amount is not None and not low <= amount <= high:
        return _(
            "The amount %(amount)s € is outside the usual 200–1000 €. Explain it in the "
            "purpose; the national steering group decides."
        ) % {"amount": money(amount)}
    return ""


def _check_one_a_year(application: GrantApplication) -> None:
    """A group has one application a year waiting for a decision or granted; a declined one
    may be followed by a new one."""
    others = GrantApplication.objects.filter(
        group=application.group_id, year=application.year
    ).pending_or_granted()
    if application.pk:
        others = others.exclude(pk=application.pk)
    if others.exists():
        raise ValidationError(
            {
                "year": _(
                    "The group already has an application for %(year)d that is waiting for a "
                    "decision or has been granted."
                )
                % {"year": application.year}
            }
        )


@transaction.atomic
def save_grant_application(
    *,
    application: GrantApplication,
    lines: list[tuple[str, Decimal]],
    by: User,
    request=None,
) -> GrantApplication:
    """Write a draft application. The budget lines must add up to the amount applied for;
    the group may not have another application of the year waiting or granted.

    Side effects: budget lines (replacing earlier ones), an audit row."""
    created = application.pk is None
    SteeringGroup.objects.select_for_update().get(pk=application.group_id)
    if not created:
        locked = GrantApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != GrantApplication.Status.DRAFT:
            raise ValidationError(_("A submitted application is no longer changed."))
    if not lines:
        raise ValidationError(_("Give at least one budget line."))
    if application.year is not None:
        _check_one_a_year(application)
    total = sum((amount for _description, amount in lines), Decimal(0))
    if application.amount is not None and total != application.amount:
        raise ValidationError(
            {
                "amount": _(
                    "The budget lines add up to %(total)s €, the amount applied for is "
                    "%(amount)s €."
                )
                % {"total": money(total), "amount": money(application.amount)}
            }
        )
    if created:
        application.created_by = by
    application.full_clean()
    application.save()
    application.lines.all().delete()
    GrantBudgetLine.objects.bulk_create(
        GrantBudgetLine(application=application, description=description, amount=amount)
        for description, amount in lines
    )
    audit(actor=by, action="grant.create" if created else "grant.update", obj=application,
          request=request)  # fmt: skip
    return application


@transaction.atomic
def submit_grant_application(
    *, application: GrantApplication, by: User, request=None
) -> GrantApplication:
    """Send the application to the national steering group.

    Side effects: an email to each national group member and planner, an audit row."""
    SteeringGroup.objects.select_for_update().get(pk=application.group_id)
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != GrantApplication.Status.DRAFT:
        raise ValidationError(_("The application has been submitted already."))
    if not application.lines.exists():
        raise ValidationError(_("Give at least one budget line."))
    _check_one_a_year(application)
    application.status = GrantApplication.Status.SUBMITTED
    application.submitted_at, application.submitted_by = timezone.now(), by
    application.save(update_fields=["status", "submitted_at", "submitted_by"])
    deciders = User.objects.filter(
        is_active=True,
        roles__in=Role.objects.current().filter(
            kind__in=[Role.Kind.NATIONAL_GROUP, Role.Kind.PLANNER]
        ),
    ).distinct()
    for user in deciders:
        queue_email(
            key=f"alueet:grant:{application.pk}:submitted:{user.pk}",
            to=user.email,
            template="alueet/email/grant_submitted",
            language=user.language,
            context={
                "application": application,
                "group": application.group,
                "name": user.first_name,
                "url": absolute("alueet:grant_detail", application.pk),
            },
        )
    audit(actor=by, action="grant.submit", obj=application, request=request)
    return application


def _tell_officers(application: GrantApplication, event: str) -> None:
    """Email the group's chair and secretary (by membership, or by role where the group has
    no members recorded)."""
    today = timezone.localdate()
    recipients = {
        m.email: (m.first_name, m.email_language)
        for m in Membership.objects.filter(
            term__group=application.group,
            term__starts_on__lte=today,
            term__ends_on__gte=today,
            position__in=[Membership.Position.CHAIR, Membership.Position.SECRETARY],
        )
        .active()
        .select_related("user")
    }
    for user in User.objects.filter(
        is_active=True,
        roles__in=Role.objects.current().filter(
            area=application.group.area,
            kind__in=[Role.Kind.REGIONAL_CHAIR, Role.Kind.REGIONAL_SECRETARY],
        ),
    ).distinct():
        recipients.setdefault(user.email, (user.first_name, user.language))
    for email, (name, language) in recipients.items():
        queue_email(
            key=f"alueet:grant:{application.pk}:{event}:{email}",
            to=email,
            template=f"alueet/email/grant_{event}",
            language=language,
            context={
                "application": application,
                "group": application.group,
                "name": name,
                "url": absolute("alueet:grant_detail", application.pk),
            },
        )


@transaction.atomic
def decide_grant(
    *,
    application: GrantApplication,
    granted_amount: Decimal,
    conditions: str,
    by: User,
    request=None,
) -> GrantApplication:
    """The national steering group's decision: the amount granted (0 declines) and its
    conditions.

    Side effects: an email to the group's chair and secretary, an audit row."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != GrantApplication.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application waits for a decision."))
    if granted_amount is None or granted_amount < 0:
        raise ValidationError({"granted_amount": _("The amount cannot be below zero.")})
    if granted_amount > application.amount:
        raise ValidationError(
            {"granted_amount": _("The amount granted cannot exceed the amount applied for.")}
        )
    application.granted_amount, application.conditions = granted_amount, conditions.strip()
    application.status = (
        GrantApplication.Status.GRANTED if granted_amount > 0 else GrantApplication.Status.DECLINED
    )
    application.decided_at, application.decided_by = timezone.now(), by
    application.save()
    _tell_officers(application, "decided")
    audit(actor=by, action="grant.decide", obj=application, request=request,
          data={"granted": str(granted_amount)})  # fmt: skip
    return application


@transaction.atomic
def report_grant_use(
    *, application: GrantApplication, report: str, spent_amount: Decimal, by: User, request=None
) -> GrantApplication:
    """The group reports how the grant was used (and may correct the report later).

    Side effects: an audit row."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in (
        GrantApplication.Status.GRANTED,
        GrantApplication.Status.REPORTED,
    ):
        raise ValidationError(_("Only a granted application is reported."))
    if not report.strip():
        raise ValidationError({"report": _("Tell how the funds were used.")})
    if spent_amount is None or spent_amount < 0:
        raise ValidationError({"spent_amount": _("The amount cannot be below zero.")})
    application.report, application.spent_amount = report.strip(), spent_amount
    application.status = GrantApplication.Status.REPORTED
    application.reported_at = timezone.now()
    application.save()
    audit(actor=by, action="grant.report", obj=application, request=request)
    return application
