"""Steering group objects for any test of alueet.

term = TermFactory(group=group("Pirkanmaa"))              # the current two-year term
MembershipFactory(term=term)                               # an Aivoliitto representative
MembershipFactory(term=term, seat="expert", expert=expert) # an expert from the bank
MeetingFactory(group=term.group)                           # in a week, at a place
OrganisingMeetingFactory(group=..., announced=True)        # open for nominations
"""

import datetime

import factory
from django.utils import timezone

from alueet.models import (
    Meeting,
    Membership,
    Nomination,
    OrganisingMeeting,
    RegionalEvent,
    SeatCategory,
    SteeringGroup,
    Term,
)
from kotove.models import MemberOrganisation


def group(area_name: str) -> SteeringGroup:
    return SteeringGroup.objects.get(area__name_fi=area_name)


def organisation(name_fi: str) -> MemberOrganisation:
    return MemberOrganisation.objects.get(name_fi=name_fi)


def today():
    return timezone.localdate()


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    group = factory.LazyFunction(lambda: group("Pirkanmaa"))
    starts_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=200))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=730))


class MembershipFactory(factory.django.DjangoModelFactory):
    """Written directly (no role sync): use services.groups.save_membership to test that."""

    class Meta:
        model = Membership

    term = factory.SubFactory(TermFactory)
    seat = SeatCategory.ORGANISATION
    position = Membership.Position.MEMBER
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    email = factory.Sequence(lambda n: f"jasen{n}@example.fi")
    member_organisation = factory.LazyAttribute(
        lambda o: organisation("Aivoliitto") if o.seat == SeatCategory.ORGANISATION else None
    )
    represents = factory.LazyAttribute(
        lambda o: (
            "Tampereen ammattikorkeakoulu"
            if o.seat in (SeatCategory.UNIT, SeatCategory.STAKEHOLDER)
            else ""
        )
    )
    starts_on = factory.LazyAttribute(lambda o: o.term.starts_on)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.LazyFunction(lambda: group("Pirkanmaa"))
    title = "Ohjausryhmän kokous"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Tampereen pääkirjasto Metso"


class OrganisingMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisingMeeting

    class Params:
        announced = False

    group = factory.LazyFunction(lambda: group("Pirkanmaa"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    nomination_deadline = factory.LazyAttribute(lambda o: o.starts_at - datetime.timedelta(days=7))
    place = "Tampere-talo"
    term_starts_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=600))
    term_ends_on = factory.LazyAttribute(lambda o: o.term_starts_on + datetime.timedelta(days=729))
    announced_at = factory.LazyAttribute(lambda o: timezone.now() if o.announced else None)


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    organising_meeting = factory.SubFactory(OrganisingMeetingFactory)
    category = SeatCategory.ORGANISATION
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    email = factory.Sequence(lambda n: f"ehdokas{n}@example.fi")
    member_organisation = factory.LazyAttribute(
        lambda o: organisation("Aivoliitto") if o.category == SeatCategory.ORGANISATION else None
    )
    represents = factory.LazyAttribute(
        lambda o: (
            "Pirkanmaan hyvinvointialue"
            if o.category in (SeatCategory.UNIT, SeatCategory.STAKEHOLDER)
            else ""
        )
    )
    consent_confirmed_at = factory.LazyFunction(timezone.now)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalEvent

    group = factory.LazyFunction(lambda: group("Pirkanmaa"))
    kind = RegionalEvent.Kind.RECREATION
    title = "Virkistyspäivä"
    description = "Yhdessäoloa ja ulkoilua."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=4))
    place = "Kaupin urheilupuisto"
