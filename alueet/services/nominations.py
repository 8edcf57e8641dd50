"""The organising meeting up to the close of nominations: opening it, the announcement and its
emails, and the nominations (alueet.services.organising holds the rest of the meeting)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import Role, User
from kotove.services import audit

from ..models import (
    MailingOptOut,
    Nomination,
    NominationInvite,
    OrganisingMeeting,
    SeatCategory,
    area_experts,
)
from . import absolute
from .events import expert_language, unsubscribe_url


def _locked(organising_meeting: OrganisingMeeting) -> OrganisingMeeting:
    return OrganisingMeeting.objects.select_for_update().get(pk=organising_meeting.pk)


@transaction.atomic
def save_organising_meeting(
    *, organising_meeting: OrganisingMeeting, by: User, request=None
) -> OrganisingMeeting:
    """Open (or change, until nominations close) an organising meeting.

    Side effects: an audit row."""
    created = organising_meeting.pk is None
    if not created and _locked(organising_meeting).nominations_closed_at:
        raise ValidationError(_("Nominations have closed: the meeting is no longer changed."))
    if organising_meeting.nomination_deadline > organising_meeting.starts_at:
        raise ValidationError(
            {"nomination_deadline": _("Nominations must close before the meeting starts.")}
        )
    group = organising_meeting.group
    if group.terms.filter(
        starts_on__lte=organising_meeting.term_ends_on,
        ends_on__gte=organising_meeting.term_starts_on,
    ).exists():
        raise ValidationError(
            {"term_starts_on": _("The new term overlaps a term the group already has.")}
        )
    organising_meeting.full_clean()
    organising_meeting.save()
    audit(
        actor=by,
        action="organising.create" if created else "organising.update",
        obj=organising_meeting,
        request=request,
    )
    return organising_meeting


@transaction.atomic
def announce(
    *, organising_meeting: OrganisingMeeting, addresses: list[str], by: User, request=None
) -> int:
    """Announce the meeting: to the area's experts who have a valid consent (and have not
    unsubscribed from the group's mailings), to every organisation contact, and to the unit and
    stakeholder addresses given, each with its own nomination link. Calling it again adds new
    addresses; nobody gets the announcement twice.

    Side effects: nomination links, an audit row, and (after the commit) the Celery task that
    emails the announcement."""
    organising_meeting = _locked(organising_meeting)
    if organising_meeting.nominations_closed_at:
        raise ValidationError(_("Nominations have closed."))
    if organising_meeting.nomination_deadline <= timezone.now():
        raise ValidationError(_("The nomination deadline has passed: move it first."))
    added = 0
    for address in {a.strip().lower() for a in addresses if a.strip()}:
        _invite, created = NominationInvite.objects.get_or_create(
            organising_meeting=organising_meeting, email=address
        )
        added += created
    if organising_meeting.announced_at is None:
        organising_meeting.announced_at = timezone.now()
        organising_meeting.save(update_fields=["announced_at"])
    audit(actor=by, action="organising.announce", obj=organising_meeting, request=request,
          data={"addresses_added": added})  # fmt: skip
    from ..tasks import send_organising_announcement

    send_organising_announcement.delay_on_commit(organising_meeting_id=organising_meeting.pk)
    return added


def email_announcement(*, organising_meeting_id: int) -> int:
    """Queue the announcement to everyone it is for (see announce). Run by Celery; idempotent.

    Side effects: emails."""
    organising_meeting = OrganisingMeeting.objects.select_related("group__area").get(
        pk=organising_meeting_id
    )
    group = organising_meeting.group
    context = {"meeting": organising_meeting, "group": group}
    key = f"alueet:organising:{organising_meeting.pk}"
    sent = 0
    experts = (
        area_experts(group.area)
        .available()
        .with_valid_consent()
        .exclude(pk__in=MailingOptOut.objects.filter(group=group).values("expert"))
        .select_related("user")
    )
    for expert in experts:
        queue_email(
            key=f"{key}:expert:{expert.pk}",
            to=expert.email,
            template="alueet/email/organising_expert",
            language=expert_language(expert),
            context={
                **context,
                "name": expert.first_name,
                "unsubscribe_url": unsubscribe_url(group, expert),
            },
        )
        sent += 1
    contacts = User.objects.filter(
        is_active=True,
        roles__in=Role.objects.current().filter(kind=Role.Kind.ORGANISATION_CONTACT),
    ).distinct()
    for user in contacts:
        queue_email(
            key=f"{key}:contact:{user.pk}",
            to=user.email,
            template="alueet/email/organising_contact",
            language=user.language,
            context={
                **context,
                "name": user.first_name,
                "url": absolute("alueet:nominate", organising_meeting.pk),
            },
        )
        sent += 1
    for invite in organising_meeting.invites.all():
        queue_email(
            key=f"{key}:invite:{invite.pk}",
            to=invite.email,
            template="alueet/email/organising_invite",
            language="fi",
            context={**context, "url": absolute("alueet:nominate_by_link", invite.token)},
        )
        sent += 1
    return sent


def recommendable_experts(user: User, organising_meeting: OrganisingMeeting):
    """The area's experts an organisation contact may recommend: their own organisation's."""
    return (
        area_experts(organising_meeting.group.area)
        .editable_by(user)
        .available()
        .qualified()
        .select_related("responsible_organisation")
        .order_by("last_name", "first_name")
    )


@transaction.atomic
def nominate(
    *,
    organising_meeting: OrganisingMeeting,
    nomination: Nomination,
    consent: bool,
    by: User | None = None,
    invite: NominationInvite | None = None,
    request=None,
) -> Nomination:
    """Name a candidate, which also registers them for the meeting. Organisation contacts
    (`by`) nominate their organisation's representatives and recommend their experts; units
    and stakeholders (`invite`, the token link) name their own representatives. The candidate
    must have consented. Nobody is nominated twice to the same meeting.

    Side effects: the nomination, an email to the candidate, an audit row."""
    organising_meeting = _locked(organising_meeting)
    if not organising_meeting.accepts_nominations:
        raise ValidationError(_("Nominations to this meeting have closed."))
    if not consent:
        raise ValidationError(
            {"consent": _("A candidate can be nominated only with their consent.")}
        )
    nomination.organising_meeting = organising_meeting
    nomination.invite, nomination.nominated_by = invite, by
    if invite is not None:
        if nomination.category not in (SeatCategory.UNIT, SeatCategory.STAKEHOLDER):
            raise ValidationError({"category": _("Choose a unit or a stakeholder seat.")})
        nomination.member_organisation = nomination.expert = None
    else:
        if nomination.category not in (SeatCategory.ORGANISATION, SeatCategory.EXPERT):
            raise ValidationError(
                {"category": _("Organisations nominate representatives and recommend experts.")}
            )
        if nomination.category == SeatCategory.EXPERT:
            expert = (
                recommendable_experts(by, organising_meeting)
                .filter(pk=nomination.expert_id)
                .first()
            )
            if expert is None:
                raise ValidationError(
                    {"expert": _("Choose one of your organisation's experts of this area.")}
                )
            nomination.first_name, nomination.last_name = expert.first_name, expert.last_name
            nomination.email = expert.email
            nomination.member_organisation = expert.responsible_organisation
            nomination.represents = ""
        else:
            if not by.contact_organisations().filter(pk=nomination.member_organisation_id).exists():
                raise ValidationError(
                    {"member_organisation": _("Choose the organisation you are the contact of.")}
                )
            nomination.expert, nomination.represents = None, ""
    nomination.email = nomination.email.strip().lower()
    existing = organising_meeting.nominations.filter(email__iexact=nomination.email)
    if nomination.expert_id:
        existing = existing | organising_meeting.nominations.filter(expert=nomination.expert_id)
    if existing.exists():
        raise ValidationError(
            {
                "expert" if nomination.expert_id else "email": _(
                    "%(name)s has already been nominated to this meeting."
                )
                % {"name": f"{nomination.first_name} {nomination.last_name}"}
            }
        )
    nomination.consent_confirmed_at = timezone.now()
    nomination.full_clean()
    nomination.save()
    queue_email(
        key=f"alueet:nomination:{nomination.pk}",
        to=nomination.email,
        template="alueet/email/nomination_received",
        language=nomination.language,
        context={
            "nomination": nomination,
            "meeting": organising_meeting,
            "group": organising_meeting.group,
            "public_url": absolute("alueet:candidates", organising_meeting.public_token),
        },
    )
    audit(actor=by, action="organising.nominate", obj=organising_meeting, request=request,
          data={"nomination": nomination.pk, "category": nomination.category,
                "invite": invite.email if invite else None})  # fmt: skip
    return nomination


@transaction.atomic
def remove_nomination(*, nomination: Nomination, by: User, request=None) -> None:
    """Remove a nomination (the candidate withdrew) before the lists are frozen.

    Side effects: the row is deleted, an audit row."""
    organising_meeting = _locked(nomination.organising_meeting)
    if organising_meeting.lists_frozen_at:
        raise ValidationError(_("The candidate lists are frozen."))
    audit(actor=by, action="organising.nomination_remove", obj=organising_meeting,
          request=request, data={"name": nomination.full_name})  # fmt: skip
    nomination.delete()


@transaction.atomic
def close_nominations(
    *, organising_meeting: OrganisingMeeting, by: User, request=None
) -> OrganisingMeeting:
    """Side effects: an audit row."""
    organising_meeting = _locked(organising_meeting)
    if organising_meeting.nominations_closed_at:
        raise ValidationError(_("Nominations have closed already."))
    if not organising_meeting.nominations.exists():
        raise ValidationError(
            _(
                "There are no candidates, so nominations cannot be closed. Announce the meeting "
                "or move the deadline to get nominations first."
            )
        )
    organising_meeting.nominations_closed_at = timezone.now()
    organising_meeting.save(update_fields=["nominations_closed_at"])
    audit(actor=by, action="organising.close_nominations", obj=organising_meeting,
          request=request)  # fmt: skip
    return organising_meeting
