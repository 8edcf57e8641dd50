"""A steering group with something of everything, in Pirkanmaa (the area of secretary_x)."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from alueet.models import (
    ActionPlan,
    Attachment,
    GrantApplication,
    GrantBudgetLine,
    Invitation,
    Membership,
    Minutes,
    NominationInvite,
    PlanItem,
    Registration,
    SeatCategory,
    WorkingGroup,
    WorkingGroupMember,
)
from alueet.services import events as event_services
from alueet.services import organising
from tests.pankki.factories import ExpertFactory

from .factories import (
    EventFactory,
    MeetingFactory,
    MembershipFactory,
    NominationFactory,
    OrganisingMeetingFactory,
    TermFactory,
    group,
)


@pytest.fixture(autouse=True)
def _english(client):
    """Pages in the source language, so the assertions survive new translations."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def pirkanmaa(db):
    return group("Pirkanmaa")


@pytest.fixture
def uusimaa(db):
    return group("Uusimaa")


def drawn_organising_meeting(group_, by, *, candidates=3, seats=2):
    """An organising meeting whose organisation list is frozen and drawn."""
    meeting = OrganisingMeetingFactory(group=group_, announced=True)
    for _ in range(candidates):
        NominationFactory(organising_meeting=meeting)
    meeting.nominations_closed_at = timezone.now()
    meeting.save()
    organising.record_seats(
        organising_meeting=meeting,
        seats={SeatCategory.ORGANISATION: seats, SeatCategory.EXPERT: 0},
        by=by,
    )
    organising.freeze_candidate_lists(organising_meeting=meeting, by=by)
    draw = organising.record_draw(
        organising_meeting=meeting,
        category=SeatCategory.ORGANISATION,
        drawn_at=timezone.now(),
        witnesses=[("Maija Meikäläinen", "3 5 1"), ("Pekka Virtanen", "6 2 4")],
        by=by,
    )
    return meeting, draw


@pytest.fixture
def world(pirkanmaa, planner, expert_user):
    now = timezone.now()
    term = TermFactory(group=pirkanmaa)
    chair = MembershipFactory(term=term, position=Membership.Position.CHAIR)
    member = MembershipFactory(term=term)
    meeting = MeetingFactory(group=pirkanmaa, invited_at=now)
    invitation = Invitation.objects.create(meeting=meeting, membership=member)
    attachment = Attachment.objects.create(
        meeting=meeting,
        file=ContentFile(b"%PDF-1.4 asialista", name="asialista.pdf"),
        name="asialista.pdf",
        size=18,
        content_type="application/pdf",
    )
    held = MeetingFactory(
        group=pirkanmaa,
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=10) + datetime.timedelta(hours=2),
    )
    published = MeetingFactory(
        group=pirkanmaa,
        starts_at=now - datetime.timedelta(days=40),
        ends_at=now - datetime.timedelta(days=40) + datetime.timedelta(hours=2),
    )
    Minutes.objects.create(meeting=published, decisions="Päätettiin.", published_at=now)
    working_group = WorkingGroup.objects.create(group=pirkanmaa, name="Virkistyspäivä")
    wg_member = WorkingGroupMember.objects.create(working_group=working_group, name="Maija")
    open_meeting = OrganisingMeetingFactory(group=pirkanmaa, announced=True)
    invite = NominationInvite.objects.create(
        organising_meeting=open_meeting, email="yksikko@example.fi"
    )
    nomination = NominationFactory(organising_meeting=open_meeting)
    drawn_meeting, draw = drawn_organising_meeting(pirkanmaa, planner)
    plan = ActionPlan.objects.create(
        group=pirkanmaa, year=timezone.localdate().year, aims="Tavoite"
    )
    item = PlanItem.objects.create(plan=plan, kind=PlanItem.Kind.EVENT, title="Virkistyspäivä")
    grant = GrantApplication.objects.create(
        group=pirkanmaa, year=timezone.localdate().year, purpose="Koulutus", amount=500
    )
    GrantBudgetLine.objects.create(application=grant, description="Kouluttaja", amount=500)
    event = EventFactory(group=pirkanmaa, capacity=10)
    expert = ExpertFactory(user=expert_user, consent=True)
    registration = Registration.objects.create(
        event=event, expert=expert, status=Registration.Status.CONFIRMED
    )
    unsubscribe = event_services.unsubscribe_url(pirkanmaa, expert).rstrip("/").split("/")[-1]
    return SimpleNamespace(**locals())
