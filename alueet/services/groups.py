"""Groups' contact details, terms, memberships and the regional roles they give, working groups,
the term-end alert."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import Role, User
from kotove.services import audit, invite_user

from ..models import Membership, SeatCategory, SteeringGroup, Term, WorkingGroup, WorkingGroupMember
from ..models.groups import DEFAULT_TERM_YEARS
from . import absolute

TERM_ALERT_DAYS = 60
GROUP_FIELDS = ["email", "phone", "website", "description_fi", "description_sv"]


@transaction.atomic
def update_group(*, group: SteeringGroup, by: User, fields: dict, request=None) -> SteeringGroup:
    """Change the group's public contact details. Side effects: an audit row."""
    for name in GROUP_FIELDS:
        if name in fields:
            setattr(group, name, fields[name])
    group.full_clean()
    group.save()
    audit(actor=by, action="steering_group.update", obj=group, request=request)
    return group


def default_term_end(starts_on: datetime.date) -> datetime.date:
    """The day before the same date DEFAULT_TERM_YEARS later (a 29 February start ends on
    the 28th)."""
    try:
        same_day = starts_on.replace(year=starts_on.year + DEFAULT_TERM_YEARS)
    except ValueError:
        same_day = starts_on.replace(year=starts_on.year + DEFAULT_TERM_YEARS, day=28)
        return same_day
    return same_day - datetime.timedelta(days=1)


def _check_term(group: SteeringGroup, starts_on, ends_on, term: Term | None = None) -> None:
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The term must end after it starts.")})
    overlapping = group.terms.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if term is not None and term.pk:
        overlapping = overlapping.exclude(pk=term.pk)
    if other := overlapping.first():
        raise ValidationError(
            {"starts_on": _("The term overlaps the term %(period)s.") % {"period": other.period}}
        )


@transaction.atomic
def create_term(
    *,
    group: SteeringGroup,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    by: User | None,
    request=None,
) -> Term:
    """A new term, by default two years. Terms of a group never overlap.

    Side effects: an audit row."""
    SteeringGroup.objects.select_for_update().get(pk=group.pk)  # one term change at a time
    ends_on = ends_on or default_term_end(starts_on)
    _check_term(group, starts_on, ends_on)
    term = Term.objects.create(group=group, starts_on=starts_on, ends_on=ends_on)
    audit(actor=by, action="term.create", obj=term, request=request)
    return term


@transaction.atomic
def update_term(
    *, term: Term, starts_on: datetime.date, ends_on: datetime.date, by: User, request=None
) -> Term:
    """Move a term's dates. Members who started with the term start with it still.

    Side effects: memberships' start dates, the members' regional roles, an audit row."""
    SteeringGroup.objects.select_for_update().get(pk=term.group_id)
    _check_term(term.group, starts_on, ends_on, term)
    old_start = Term.objects.get(pk=term.pk).starts_on
    term.starts_on, term.ends_on = starts_on, ends_on
    term.save(update_fields=["starts_on", "ends_on"])
    term.memberships.filter(starts_on=old_start).update(starts_on=starts_on)
    for user in User.objects.filter(steering_group_memberships__term=term).distinct():
        sync_regional_roles(user=user, area=term.group.area, by=by)
    audit(actor=by, action="term.update", obj=term, request=request)
    return term


def _merge(spans: list[tuple[datetime.date, datetime.date]]):
    """Join periods that overlap or follow each other (a re-elected member's terms)."""
    merged: list[list[datetime.date]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(span) for span in merged]


def sync_regional_roles(
    *, user: User, area, by: User | None, today: datetime.date | None = None
) -> None:
    """Keep the user's regional roles (kotove.Role) of the area in step with their memberships.

    A membership gives the role of its position (chair, secretary, member) for its period: from
    its start to the end of the term, or to the day the member left. Role rows are unique per
    user, kind and area, so a row holds the period that is current (or the next one, or else
    the last one); a re-elected member's consecutive terms make one period. A kind the person
    no longer holds in any membership of the area ends yesterday. Users who have no membership
    in the area keep the roles the planner gave them.

    Side effects: Role rows created or changed, audit rows."""
    memberships = list(
        Membership.objects.filter(user=user, term__group__area=area).select_related("term")
    )
    if not memberships:
        return
    today = today or timezone.localdate()
    for position, kind in Membership.ROLE_FOR_POSITION.items():
        role = Role.objects.filter(user=user, kind=kind, area=area).first()
        spans = _merge([(m.starts_on, m.last_day) for m in memberships if m.position == position])
        if not spans:
            if role and (role.ends_on is None or role.ends_on >= today):
                role.ends_on = today - datetime.timedelta(days=1)
                role.starts_on = min(role.starts_on, role.ends_on)
                role.save(update_fields=["starts_on", "ends_on"])
                audit(actor=by, action="role.end", obj=role, data={"user": user.email})
            continue
        starts_on, ends_on = next((span for span in spans if span[1] >= today), spans[-1])
        if role is None:
            role = Role.objects.create(
                user=user, kind=kind, area=area, starts_on=starts_on, ends_on=ends_on
            )
            audit(actor=by, action="role.grant", obj=role, data={"user": user.email})
        elif (role.starts_on, role.ends_on) != (starts_on, ends_on):
            role.starts_on, role.ends_on = starts_on, ends_on
            role.save(update_fields=["starts_on", "ends_on"])
            audit(actor=by, action="role.update", obj=role, data={"user": user.email})
    user.__dict__.pop("active_roles", None)


def refresh_regional_roles(*, today: datetime.date | None = None) -> int:
    """Give members whose membership starts today the role of its period (a role row holds one
    period, so a member who had a break between terms gets the new one now). Runs daily.

    Side effects: as sync_regional_roles."""
    today = today or timezone.localdate()
    starting = Membership.objects.filter(starts_on=today, user__isnull=False).select_related(
        "user", "term__group__area"
    )
    for membership in starting:
        sync_regional_roles(
            user=membership.user, area=membership.term.group.area, by=None, today=today
        )
    return len(starting)


def _check_membership(membership: Membership) -> None:
    term = membership.term
    errors = {}
    if (
        membership.position != Membership.Position.MEMBER
        and membership.seat != SeatCategory.ORGANISATION
    ):
        errors["position"] = _(
            "The chair and the secretary are organisation representatives: choose the "
            "organisation representative seat for them."
        )
    if membership.seat == SeatCategory.ORGANISATION and not membership.member_organisation_id:
        errors["member_organisation"] = _("Choose the organisation this member represents.")
    if membership.seat == SeatCategory.EXPERT and not membership.expert_id:
        errors["expert"] = _("Choose the experience expert from the experience bank.")
    if (
        membership.seat in (SeatCategory.UNIT, SeatCategory.STAKEHOLDER)
        and not membership.represents
    ):
        errors["represents"] = _("Tell which unit or organisation this member represents.")
    if not term.starts_on <= membership.starts_on <= term.ends_on:
        errors["starts_on"] = _("The date must be within the term %(period)s.") % {
            "period": term.period
        }
    if membership.ended_on and membership.ended_on < membership.starts_on:
        errors["ended_on"] = _("A member cannot leave before they start.")
    others = term.memberships.exclude(pk=membership.pk)
    if others.filter(email__iexact=membership.email).exists():
        errors["email"] = _("%(email)s is already a member in this term.") % {
            "email": membership.email
        }
    if membership.position != Membership.Position.MEMBER and membership.ended_on is None:
        holder = others.filter(position=membership.position, ended_on__isnull=True).first()
        if holder:
            errors["position"] = _(
                "%(name)s is the %(position)s of this term. Make them a member first."
            ) % {"name": holder.full_name, "position": membership.get_position_display().lower()}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_membership(
    *, membership: Membership, by: User, invite: bool = False, request=None
) -> Membership:
    """Add or change a member of a term. An expert's name and email come from the experience
    bank; only the organisation seat keeps an organisation, only unit and stakeholder seats
    a free-text represented body. A member with an account (the expert's, or the user with the
    same email; `invite` creates one) gets the regional role of their position for the term.

    Side effects: regional roles (see sync_regional_roles), an invitation email when `invite`
    creates an account, an audit row."""
    SteeringGroup.objects.select_for_update().get(pk=membership.term.group_id)
    previous = Membership.objects.filter(pk=membership.pk).first() if membership.pk else None
    if membership.seat == SeatCategory.EXPERT and membership.expert_id:
        expert = membership.expert
        membership.first_name, membership.last_name = expert.first_name, expert.last_name
        membership.email = expert.email
    if membership.seat != SeatCategory.ORGANISATION:
        membership.member_organisation = None
    if membership.seat != SeatCategory.EXPERT:
        membership.expert = None
    if membership.seat not in (SeatCategory.UNIT, SeatCategory.STAKEHOLDER):
        membership.represents = ""
    membership.email = membership.email.strip().lower()
    if not membership.starts_on:
        membership.starts_on = membership.term.starts_on
    _check_membership(membership)
    if membership.expert_id and membership.expert.user_id:
        membership.user = membership.expert.user
    else:
        membership.user = User.objects.filter(email=membership.email).first()
    if invite and membership.user is None:
        membership.user = invite_user(
            email=membership.email,
            by=by,
            first_name=membership.first_name,
            last_name=membership.last_name,
            language=membership.language,
        )
    membership.full_clean()
    membership.save()
    area = membership.term.group.area
    for user in {membership.user, previous.user if previous else None} - {None}:
        sync_regional_roles(user=user, area=area, by=by)
    audit(
        actor=by,
        action="membership.update" if previous else "membership.create",
        obj=membership,
        request=request,
        data={"position": membership.position, "seat": membership.seat},
    )
    return membership


@transaction.atomic
def end_membership(
    *, membership: Membership, ended_on: datetime.date, reason: str, by: User, request=None
) -> Membership:
    """The member leaves the group (no deputy takes the seat).

    Side effects: the member's regional role ends with the membership, an audit row."""
    membership.ended_on, membership.end_reason = ended_on, reason
    _check_membership(membership)
    if ended_on > membership.term.ends_on:
        raise ValidationError({"ended_on": _("The date must be within the term.")})
    membership.save(update_fields=["ended_on", "end_reason"])
    if membership.user_id:
        sync_regional_roles(user=membership.user, area=membership.term.group.area, by=by)
    audit(actor=by, action="membership.end", obj=membership, request=request)
    return membership


def send_term_end_alerts(*, today: datetime.date | None = None) -> int:
    """Email the term's secretary and the planners when a term ends within 60 days and the
    group has no next term yet. Runs daily (Celery beat); once per term and address.

    Side effects: emails."""
    today = today or timezone.localdate()
    terms = (
        Term.objects.filter(
            ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=TERM_ALERT_DAYS)
        )
        .exclude(
            Exists(
                Term.objects.filter(group=OuterRef("group"), starts_on__gt=OuterRef("starts_on"))
            )
        )
        .select_related("group__area")
    )
    planners = list(
        User.objects.filter(
            is_active=True, roles__in=Role.objects.current().filter(kind=Role.Kind.PLANNER)
        ).distinct()
    )
    sent = 0
    for term in terms:
        recipients = {
            m.email: (m.full_name, m.email_language)
            for m in term.memberships.active(today)
            .filter(position=Membership.Position.SECRETARY)
            .select_related("user")
        }
        recipients.update({u.email: (u.get_full_name(), u.language) for u in planners})
        for email, (name, language) in recipients.items():
            queue_email(
                key=f"alueet:term-ending:{term.pk}:{email}",
                to=email,
                template="alueet/email/term_ending",
                language=language,
                context={
                    "name": name,
                    "term": term,
                    "group": term.group,
                    "days": (term.ends_on - today).days,
                    "url": absolute("alueet:organising_create", term.group_id),
                },
            )
            sent += 1
    return sent


@transaction.atomic
def save_working_group(*, working_group: WorkingGroup, by: User, request=None) -> WorkingGroup:
    """Side effects: an audit row."""
    created = working_group.pk is None
    working_group.full_clean()
    working_group.save()
    audit(
        actor=by,
        action="working_group.create" if created else "working_group.update",
        obj=working_group,
        request=request,
    )
    return working_group


@transaction.atomic
def add_working_group_member(
    *,
    working_group: WorkingGroup,
    by: User,
    membership: Membership | None = None,
    name: str = "",
    email: str = "",
    represents: str = "",
    request=None,
) -> WorkingGroupMember:
    """Add one of the steering group's members, or someone else by name.

    Side effects: an audit row."""
    if membership is not None:
        if membership.term.group_id != working_group.group_id:
            raise ValidationError({"membership": _("Choose a member of this steering group.")})
        name, email = membership.full_name, membership.email
        represents = represents or membership.represents_label
        if working_group.members.filter(membership=membership).exists():
            raise ValidationError(
                {"membership": _("%(name)s is already in this working group.") % {"name": name}}
            )
    if not name.strip():
        raise ValidationError({"name": _("Choose a member or give a name.")})
    email = email.strip().lower()
    if email and working_group.members.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already in this working group.") % {"email": email}}
        )
    member = WorkingGroupMember.objects.create(
        working_group=working_group,
        membership=membership,
        name=name.strip(),
        email=email,
        represents=represents,
    )
    audit(actor=by, action="working_group.member_add", obj=working_group, request=request,
          data={"name": member.name})  # fmt: skip
    return member


@transaction.atomic
def remove_working_group_member(*, member: WorkingGroupMember, by: User, request=None) -> None:
    """Side effects: the row is deleted, an audit row."""
    working_group = member.working_group
    audit(actor=by, action="working_group.member_remove", obj=working_group, request=request,
          data={"name": member.name})  # fmt: skip
    member.delete()
