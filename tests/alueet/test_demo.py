"""The demo steering groups load on top of the demo network and bank, once. (The whole demo,
with the bank's 600 experts, is loaded in tests/kotove/test_reference_and_demo.py.)"""

from django.urls import reverse

from alueet import demo
from alueet.models import (
    GrantApplication,
    Meeting,
    Membership,
    Minutes,
    Nomination,
    OrganisingMeeting,
    RegionalEvent,
    SeatCategory,
    SteeringGroup,
    Term,
)
from kotove import demo as kotove_demo
from kotove.models import Region, Role, User
from pankki.models import Expert
from tests.pankki.factories import ExpertFactory


def test_demo_has_every_group_with_members_meetings_and_an_organising_meeting(db, client):
    kotove_demo.load()
    Expert.objects.bulk_create(
        ExpertFactory.build(consented=True, home_municipality=municipality)
        for region in Region.objects.prefetch_related("municipalities")
        for municipality in list(region.municipalities.all())[:3]
    )
    demo.load()
    groups = SteeringGroup.objects.all()
    assert groups.count() == 18
    for group in groups:
        term = group.current_term()
        assert term is not None, group
        seats = set(term.memberships.values_list("seat", flat=True))
        assert {SeatCategory.ORGANISATION, SeatCategory.EXPERT, SeatCategory.UNIT} <= seats
        assert term.memberships.filter(position=Membership.Position.CHAIR).count() == 1
        assert Minutes.objects.filter(meeting__group=group, published_at__isnull=False).count() >= 2
    pirkanmaa = SteeringGroup.objects.get(area__name_fi="Pirkanmaa")
    chair = pirkanmaa.current_term().memberships.get(position=Membership.Position.CHAIR)
    assert chair.user.email == "pj.pirkanmaa@demo.kokemus.fi"
    secretary = User.objects.get(email="sihteeri.pirkanmaa@demo.kokemus.fi")
    assert secretary.has_role(Role.Kind.REGIONAL_SECRETARY)
    organising = OrganisingMeeting.objects.get(group=pirkanmaa)
    assert organising.accepts_nominations
    assert organising.nominations.filter(category=SeatCategory.ORGANISATION).count() > 4
    assert GrantApplication.objects.count() == 2
    assert RegionalEvent.objects.filter(group=pirkanmaa).count() >= 2
    assert Meeting.objects.filter(group=pirkanmaa, invited_at__isnull=False).upcoming().exists()
    # the secretary's login works on her group's pages
    client.force_login(secretary)
    page = client.get(reverse("alueet:group_detail", args=[pirkanmaa.pk])).content.decode()
    assert "Sirpa Sihteeri" in page
    counts = [m.objects.count() for m in (Term, Membership, Meeting, Nomination, Role)]
    demo.load()
    assert [m.objects.count() for m in (Term, Membership, Meeting, Nomination, Role)] == counts
