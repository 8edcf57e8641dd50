"""Steering groups: per regional group, meetings held against the guide's target, events and
their participants, development grants applied for, granted and used, and action-plan items
done.

- A meeting or an event counts in the year of its start, once that day has come, unless it
  was cancelled. An event's participants are its registrations that kept their place.
- Grants and action plans count in the year they are for. Applied: every application sent
  to the national group (drafts are not); granted: what the national group granted; used:
  what the group reported it used.
- Steering groups work by regional area: an area's report has its own group; an
  organisation's report has no steering-group figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from alueet.models import (
    MEETINGS_TARGET,
    GrantApplication,
    Meeting,
    PlanItem,
    RegionalEvent,
    Registration,
    SteeringGroup,
)

from .data import MONEY, TEXT, Column, Section, Table
from .scope import Context

INTRO = gettext_lazy(
    "Meetings and events count in the year they began, unless cancelled; participants are the "
    "registrations that kept their place. Grants and action plans count in the year they are "
    "for. The guide's target is %(low)s–%(high)s meetings a year."
)
ORGANISATION_INTRO = gettext_lazy(
    "Steering groups work by regional area: their figures are in the network's and the areas' "
    "reports."
)


def _money(value: Decimal | None) -> float:
    return round(float(value or 0), 2)


def _per_group(queryset, group: str, **figures) -> dict[int, dict]:
    return {row[group]: row for row in queryset.values(group).annotate(**figures)}


def _held(queryset, ctx: Context):
    return queryset.filter(
        cancelled_at__isnull=True,
        starts_at__date__gte=ctx.start,
        starts_at__date__lt=ctx.until,
    )


def section(ctx: Context) -> tuple[Section, bool]:
    title = _("Steering groups")
    if ctx.scope.is_organisation:
        return Section("steering", title, [], intro=str(ORGANISATION_INTRO)), False
    groups = SteeringGroup.objects.select_related("area")
    if ctx.scope.is_area:
        groups = groups.filter(area=ctx.scope.area)
    groups = sorted(groups, key=str)  # by their names in the report's language
    in_scope = {"group__in": [group.pk for group in groups]}
    meetings = _per_group(
        _held(Meeting.objects.filter(**in_scope), ctx), "group", meetings=Count("pk")
    )
    events = _held(RegionalEvent.objects.filter(**in_scope), ctx)
    event_figures = _per_group(events, "group", events=Count("pk"))
    participants = _per_group(
        Registration.objects.filter(
            event__in=events.values("pk"), status=Registration.Status.CONFIRMED
        ),
        "event__group",
        participants=Count("pk"),
    )
    items = PlanItem.objects.filter(plan__year=ctx.year, plan__group__in=in_scope["group__in"])
    done = Q(status=PlanItem.Status.DONE)
    plan_figures = _per_group(
        items, "plan__group", planned=Count("pk"), done=Count("pk", filter=done)
    )
    grants = GrantApplication.objects.filter(year=ctx.year, **in_scope).exclude(
        status=GrantApplication.Status.DRAFT
    )
    grant_figures = _per_group(
        grants,
        "group",
        applications=Count("pk"),
        applied=Sum("amount"),
        granted=Sum("granted_amount"),
        used=Sum("spent_amount"),
    )
    low, high = MEETINGS_TARGET
    activity, money = [], []
    for group in groups:
        held = meetings.get(group.pk, {}).get("meetings", 0)
        plan = plan_figures.get(group.pk, {})
        activity.append(
            [
                str(group),
                held,
                pgettext("target met", "yes") if held >= low else pgettext("target met", "no"),
                event_figures.get(group.pk, {}).get("events", 0),
                participants.get(group.pk, {}).get("participants", 0),
                plan.get("planned", 0),
                plan.get("done", 0),
            ]
        )
        grant = grant_figures.get(group.pk, {})
        money.append(
            [
                str(group),
                grant.get("applications", 0),
                _money(grant.get("applied")),
                _money(grant.get("granted")),
                _money(grant.get("used")),
            ]
        )
    met = sum(row[1] >= low for row in activity)
    activity_total = [
        _("Total"),
        sum(row[1] for row in activity),
        _("%(met)s of %(groups)s groups") % {"met": met, "groups": len(activity)},
        *(sum(row[i] for row in activity) for i in range(3, 7)),
    ]
    money_total = [_("Total"), *(round(sum(row[i] for row in money), 2) for i in range(1, 5))]
    tables = [
        Table(
            "steering_activity",
            _("Meetings, events and action plans by steering group"),
            [
                Column(_("Steering group"), TEXT),
                Column(_("Meetings held")),
                Column(_("Target met (%(low)s–%(high)s)") % {"low": low, "high": high}, TEXT),
                Column(_("Events")),
                Column(_("Participants")),
                Column(_("Action-plan items")),
                Column(_("Items done")),
            ],
            activity,
            total=activity_total if len(activity) > 1 else None,
            chart=1,
            empty=_("There are no steering groups yet."),
        ),
        Table(
            "steering_grants",
            _("Development grants by steering group"),
            [
                Column(_("Steering group"), TEXT),
                Column(_("Applications")),
                Column(_("Applied for"), MONEY),
                Column(_("Granted"), MONEY),
                Column(_("Used"), MONEY),
            ],
            money,
            total=money_total if len(money) > 1 else None,
            chart=3,
            note=_(
                "Applications sent to the national steering group for the year; drafts are "
                "not counted."
            ),
            empty=_("There are no steering groups yet."),
        ),
    ]
    by_kind = {
        row["kind"]: row
        for row in events.values("kind").annotate(
            events=Count("pk", distinct=True),
            participants=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            ),
        )
    }
    tables.append(
        Table(
            "steering_events_by_kind",
            _("Events by kind"),
            [Column(_("Kind of event"), TEXT), Column(_("Events")), Column(_("Participants"))],
            [
                [str(label), by_kind[kind]["events"], by_kind[kind]["participants"]]
                for kind, label in RegionalEvent.Kind.choices
                if kind in by_kind
            ],
            empty=_("No events were held."),
        )
    )
    has_data = any(activity_total[1:2] + activity_total[3:]) or any(money_total[1:])
    intro = str(INTRO) % {"low": low, "high": high}
    return Section("steering", title, tables, intro=intro), has_data
