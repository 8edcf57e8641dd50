"""The organising meeting: announcement, nominations, seats, frozen lists, the lot and the new
term's members."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import Role, User
from kotove.services import audit
from pankki.models import Expert

from .. import lottery
from ..models import (
    CandidateList,
    Draw,
    MailingOptOut,
    Membership,
    Nomination,
    NominationInvite,
    OrganisingMeeting,
    SeatAllocation,
    SeatCategory,
    area_experts,
)
from . import absolute
from .events import expert_language, unsubscribe_url
from .groups import create_term, sync_regional_roles

MIN_WITNESSES = 2


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


def nominating_organisations(user: User):
    from kotove.models import MemberOrganisation

    if user.is_planner:
        return MemberOrganisation.objects.filter(is_active=True)
    return MemberOrganisation.objects.filter(
        pk__in=[
            r.member_organisation_id
            for r in user.active_roles
            if r.kind == Role.Kind.ORGANISATION_CONTACT
        ]
    )


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
            if (
                not nominating_organisations(by)
                .filter(pk=nomination.member_organisation_id)
                .exists()
            ):
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


@transaction.atomic
def record_seats(
    *, organising_meeting: OrganisingMeeting, seats: dict[str, int], by: User, request=None
) -> list[SeatAllocation]:
    """The number of seats per category, decided at the start of the meeting.

    Side effects: seat rows (replacing earlier ones), an audit row."""
    organising_meeting = _locked(organising_meeting)
    if not organising_meeting.nominations_closed_at:
        raise ValidationError(_("Close the nominations before deciding the seats."))
    if organising_meeting.lists_frozen_at:
        raise ValidationError(_("The candidate lists are frozen: the seats are decided."))
    errors = {
        category: _("The number of seats cannot be below zero.")
        for category, count in seats.items()
        if count is None or count < 0
    }
    unknown = set(seats) - set(SeatCategory.values)
    if errors or unknown:
        raise ValidationError(errors or _("Unknown seat category."))
    organising_meeting.seat_allocations.all().delete()
    rows = SeatAllocation.objects.bulk_create(
        SeatAllocation(organising_meeting=organising_meeting, category=category, seats=count)
        for category, count in seats.items()
    )
    organising_meeting.seats_recorded_at = timezone.now()
    organising_meeting.save(update_fields=["seats_recorded_at"])
    audit(actor=by, action="organising.seats", obj=organising_meeting, request=request,
          data=seats)  # fmt: skip
    return rows


@transaction.atomic
def freeze_candidate_lists(
    *, organising_meeting: OrganisingMeeting, by: User, request=None
) -> list[CandidateList]:
    """Freeze every category's candidates (by last name, first name) as a published list with
    its SHA-256 digest; from now on nominations and seats do not change.

    Side effects: candidate lists, an audit row."""
    organising_meeting = _locked(organising_meeting)
    if not organising_meeting.seats_recorded_at:
        raise ValidationError(_("Decide the seats before freezing the candidate lists."))
    if organising_meeting.lists_frozen_at:
        raise ValidationError(_("The candidate lists are frozen already."))
    seats = {s.category: s.seats for s in organising_meeting.seat_allocations.all()}
    nominations = organising_meeting.nominations.select_related(
        "member_organisation", "expert__responsible_organisation"
    ).order_by("last_name", "first_name", "pk")
    lists = []
    for category in SeatCategory.values:
        candidates = [n for n in nominations if n.category == category]
        if not candidates:
            continue
        entries = [
            {
                "number": number,
                "name": n.full_name,
                "represents": n.represents_label,
                "nomination": n.pk,
            }
            for number, n in enumerate(candidates, start=1)
        ]
        candidate_list = CandidateList(
            organising_meeting=organising_meeting,
            category=category,
            seats=seats.get(category, 0),
            entries=entries,
            frozen_by=by,
        )
        candidate_list.digest = lottery.sha256(candidate_list.text)
        candidate_list.save()
        lists.append(candidate_list)
    organising_meeting.lists_frozen_at = timezone.now()
    organising_meeting.save(update_fields=["lists_frozen_at"])
    audit(actor=by, action="organising.freeze", obj=organising_meeting, request=request,
          data={c.category: c.digest for c in lists})  # fmt: skip
    return lists


@transaction.atomic
def record_draw(
    *,
    organising_meeting: OrganisingMeeting,
    category: str,
    drawn_at: datetime.datetime,
    witnesses: list[tuple[str, str]],
    by: User,
    request=None,
) -> Draw:
    """Draw the lot of one category from the frozen list and the inputs recorded at the meeting
    (the time, and each named witness's dice). A list is drawn once: a draw is never rerun,
    only cancelled with a reason.

    Side effects: the draw, an audit row."""
    organising_meeting = _locked(organising_meeting)
    candidate_list = (
        CandidateList.objects.select_for_update()
        .filter(organising_meeting=organising_meeting, category=category)
        .first()
    )
    if candidate_list is None or not organising_meeting.lists_frozen_at:
        raise ValidationError(
            _("There is no frozen candidate list to draw from: freeze and publish the lists first.")
        )
    if organising_meeting.completed_at:
        raise ValidationError(_("The new term has been created already."))
    if not candidate_list.needs_draw:
        raise ValidationError(_("No draw is needed: there are no more candidates than seats."))
    if candidate_list.draws.filter(cancelled_at__isnull=True).exists():
        raise ValidationError(
            _("This list has been drawn. A draw is never rerun; it can only be cancelled.")
        )
    if lottery.sha256(candidate_list.text) != candidate_list.digest:
        raise ValidationError(_("The frozen list does not match its published digest."))
    witnesses = [(" ".join(name.split()), dice) for name, dice in witnesses if name.strip()]
    if len(witnesses) < MIN_WITNESSES:
        raise ValidationError(
            {"witnesses": _("Record at least two named witnesses and their dice.")}
        )
    try:
        witnesses = [(name, lottery.clean_dice(dice)) for name, dice in witnesses]
    except ValueError:
        raise ValidationError(
            {"witnesses": _("Write the dice as numbers from 1 to 6, e.g. 3 5 1.")}
        ) from None
    drawn_at = drawn_at.replace(second=0, microsecond=0)
    seed = lottery.sha256(lottery.seed_text(drawn_at=drawn_at, witnesses=witnesses))
    order = lottery.draw(digest=candidate_list.digest, seed=seed, count=len(candidate_list.entries))
    draw = Draw.objects.create(
        candidate_list=candidate_list,
        algorithm_version=lottery.CURRENT_VERSION,
        drawn_at=drawn_at,
        witnesses=[{"name": name, "dice": dice} for name, dice in witnesses],
        seed=seed,
        order=order,
        recorded_by=by,
    )
    audit(actor=by, action="organising.draw", obj=organising_meeting, request=request,
          data={"category": category, "seed": seed, "order": order})  # fmt: skip
    return draw


@transaction.atomic
def cancel_draw(*, draw: Draw, reason: str, by: User, request=None) -> Draw:
    """Cancel a draw (e.g. an input was recorded wrong); it stays published with the reason.

    Side effects: an audit row."""
    draw = (
        Draw.objects.select_for_update()
        .select_related("candidate_list__organising_meeting")
        .get(pk=draw.pk)
    )
    organising_meeting = draw.candidate_list.organising_meeting
    if draw.cancelled_at:
        raise ValidationError(_("The draw has been cancelled already."))
    if organising_meeting.completed_at:
        raise ValidationError(_("The new term has been created from this draw."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling the draw.")})
    draw.cancelled_at, draw.cancelled_by, draw.cancel_reason = timezone.now(), by, reason.strip()
    draw.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    audit(actor=by, action="organising.draw_cancel", obj=organising_meeting, request=request,
          data={"draw": draw.pk, "reason": draw.cancel_reason})  # fmt: skip
    return draw


def elected_nominations(organising_meeting: OrganisingMeeting) -> dict[str, list[int]]:
    """Nomination ids elected per category: all candidates where they fit the seats, else the
    first ones drawn. A category that needs a draw and has none is missing from the result."""
    elected = {}
    for candidate_list in organising_meeting.candidate_lists.prefetch_related("draws"):
        entries = {e["number"]: e["nomination"] for e in candidate_list.entries}
        if not candidate_list.needs_draw:
            numbers = list(entries)[: candidate_list.seats]
        else:
            draw = next((d for d in candidate_list.draws.all() if not d.cancelled_at), None)
            if draw is None:
                continue
            numbers = draw.elected_numbers
        elected[candidate_list.category] = [entries[n] for n in numbers]
    return elected


@transaction.atomic
def complete(*, organising_meeting: OrganisingMeeting, by: User, request=None):
    """Create the new term and its members from the result: every category's elected
    candidates become members; accounts get their regional role for the term.

    Side effects: a term, memberships, regional roles, an email to each elected candidate,
    audit rows."""
    organising_meeting = _locked(organising_meeting)
    if organising_meeting.completed_at:
        raise ValidationError(_("The new term has been created already."))
    if not organising_meeting.lists_frozen_at:
        raise ValidationError(_("Freeze the candidate lists first."))
    elected = elected_nominations(organising_meeting)
    lists = list(organising_meeting.candidate_lists.all())
    undrawn = [c.get_category_display() for c in lists if c.category not in elected]
    if undrawn:
        raise ValidationError(
            _("Draw the lot first: %(categories)s.") % {"categories": ", ".join(undrawn)}
        )
    term = create_term(
        group=organising_meeting.group,
        starts_on=organising_meeting.term_starts_on,
        ends_on=organising_meeting.term_ends_on,
        by=by,
        request=request,
    )
    nominations = Nomination.objects.filter(
        pk__in=[pk for pks in elected.values() for pk in pks]
    ).select_related("expert__user")
    for nomination in nominations:
        expert: Expert | None = nomination.expert
        user = expert.user if expert and expert.user_id else None
        user = user or User.objects.filter(email=nomination.email).first()
        membership = Membership.objects.create(
            term=term,
            seat=nomination.category,
            first_name=nomination.first_name,
            last_name=nomination.last_name,
            email=nomination.email,
            phone=nomination.phone,
            language=nomination.language,
            member_organisation=nomination.member_organisation
            if nomination.category == SeatCategory.ORGANISATION
            else None,
            expert=expert,
            represents=nomination.represents,
            user=user,
            nomination=nomination,
            starts_on=term.starts_on,
        )
        if user:
            sync_regional_roles(user=user, area=organising_meeting.group.area, by=by)
        queue_email(
            key=f"alueet:elected:{membership.pk}",
            to=membership.email,
            template="alueet/email/elected",
            language=membership.language,
            context={"membership": membership, "term": term, "group": term.group},
        )
    organising_meeting.completed_at, organising_meeting.term = timezone.now(), term
    organising_meeting.save(update_fields=["completed_at", "term"])
    audit(actor=by, action="organising.complete", obj=organising_meeting, request=request,
          data={"term": term.pk, "members": len(nominations)})  # fmt: skip
    return term
