"""The organising meeting: announcement, nominations, seats, frozen lists, the lot and the new
term's members.

This module holds the meeting itself: the seats, the frozen candidate lists, the lot and the new
term. What comes before it (opening the meeting, the announcement, the nominations) is in
nominations.py and imported here, so that `organising.<name>` names every step."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import User
from kotove.services import audit
from pankki.models import Expert

from .. import lottery
from ..models import (
    CandidateList,
    Draw,
    Membership,
    Nomination,
    OrganisingMeeting,
    SeatAllocation,
    SeatCategory,
)
from .groups import create_term, sync_regional_roles
from .nominations import (
    _locked,
    announce,
    close_nominations,
    email_announcement,
    nominate,
    recommendable_experts,
    remove_nomination,
    save_organising_meeting,
)

__all__ = [
    "MIN_WITNESSES",
    "announce",
    "cancel_draw",
    "close_nominations",
    "complete",
    "elected_nominations",
    "email_announcement",
    "freeze_candidate_lists",
    "nominate",
    "recommendable_experts",
    "record_draw",
    "record_seats",
    "remove_nomination",
    "save_organising_meeting",
]

MIN_WITNESSES = 2


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
    if len({lottery.witness_key(name) for name, _dice in witnesses}) < len(witnesses):
        raise ValidationError(
            {"witnesses": _("Each witness is a different person: a name is given twice.")}
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
