"""The organising meeting: announcement, nominations, closing, seats."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from alueet.models import (
    MailingOptOut,
    Nomination,
    NominationInvite,
    OrganisingMeeting,
    SeatCategory,
)
from alueet.services import organising as services
from kotove.models import OutboundEmail
from tests.pankki.factories import ExpertFactory, municipality

from .factories import NominationFactory, OrganisingMeetingFactory


def test_secretary_opens_and_announces_an_organising_meeting(
    client, secretary_x, pirkanmaa, contact_a, contact_b, on_commit
):
    ExpertFactory(consent=True, email="suostunut@example.fi")
    ExpertFactory(consent=False, email="eisuostumusta@example.fi")
    ExpertFactory(consent=True, email="helsinki@example.fi",
                  home_municipality=municipality("Helsinki"))  # fmt: skip
    unsubscribed = ExpertFactory(consent=True, email="peruttu@example.fi")
    MailingOptOut.objects.create(group=pirkanmaa, expert=unsubscribed)
    client.force_login(secretary_x)
    day = timezone.localdate() + datetime.timedelta(days=40)
    response = client.post(
        reverse("alueet:organising_create", args=[pirkanmaa.pk]),
        {
            "date": day.isoformat(),
            "starts": "17:00",
            "place": "Tampere-talo",
            "deadline": (day + datetime.timedelta(days=1)).isoformat(),
            "term_starts_on": "2040-01-01",
        },  # fmt: skip
    )
    assert "Nominations must close before the meeting starts." in response.content.decode()
    client.post(
        reverse("alueet:organising_create", args=[pirkanmaa.pk]),
        {
            "date": day.isoformat(),
            "starts": "17:00",
            "place": "Tampere-talo",
            "deadline": (day - datetime.timedelta(days=7)).isoformat(),
            "term_starts_on": "2040-01-01",
        },  # fmt: skip
    )
    meeting = OrganisingMeeting.objects.get()
    assert meeting.term_ends_on == datetime.date(2041, 12, 31)
    url = reverse("alueet:organising_announce", args=[meeting.pk])
    response = client.post(url, {"addresses": "tamk@example.fi\nei osoite"})
    assert "Not an email address: ei osoite" in response.content.decode()
    assert OutboundEmail.objects.count() == 0
    with on_commit():
        client.post(url, {"addresses": "tamk@example.fi\nKumppanuustalo@example.fi\n"})
    recipients = set(OutboundEmail.objects.values_list("to", flat=True))
    assert recipients == {
        "suostunut@example.fi",
        contact_a.email,
        contact_b.email,
        "tamk@example.fi",
        "kumppanuustalo@example.fi",
    }
    invite = NominationInvite.objects.get(email="tamk@example.fi")
    assert invite.token in OutboundEmail.objects.get(to="tamk@example.fi").body
    expert_email = OutboundEmail.objects.get(to="suostunut@example.fi")
    assert "/alueet/peru-tilaus/" in expert_email.body
    # announcing again adds only the new address
    with on_commit():
        client.post(url, {"addresses": "tamk@example.fi\nuusi@example.fi"})
    assert OutboundEmail.objects.count() == len(recipients) + 1


@pytest.fixture
def meeting(pirkanmaa):
    return OrganisingMeetingFactory(group=pirkanmaa, announced=True)


def nomination_data(**overrides):
    data = {"category": "organisation", "first_name": "Liisa", "last_name": "Liitto",
            "email": "liisa@example.fi", "language": "fi", "attends": "on", "consent": "on"}  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_contact_nominates_a_representative_and_an_expert_once(
    client, contact_a, org_a, meeting, on_commit
):
    expert = ExpertFactory(responsible_organisation=org_a, first_name="Kaisa", last_name="K")
    client.force_login(contact_a)
    url = reverse("alueet:nominate", args=[meeting.pk])
    response = client.post(url, nomination_data(member_organisation=org_a.pk, consent=None))
    assert "A candidate can be nominated only with their consent." in response.content.decode()
    assert not Nomination.objects.exists()
    with on_commit():
        client.post(url, nomination_data(member_organisation=org_a.pk))
        client.post(url, nomination_data(category="expert", expert=expert.pk, first_name="",
                                         last_name="", email=""))  # fmt: skip
    assert sorted(Nomination.objects.values_list("category", "email")) == [
        ("expert", expert.email),
        ("organisation", "liisa@example.fi"),
    ]
    assert OutboundEmail.objects.filter(to="liisa@example.fi").exists()  # the candidate is told
    # twice: clear errors, nothing saved
    response = client.post(
        url, nomination_data(member_organisation=org_a.pk, email="LIISA@example.fi")
    )
    assert "Liisa Liitto has already been nominated to this meeting." in response.content.decode()
    response = client.post(url, nomination_data(category="expert", expert=expert.pk))
    assert "Kaisa K has already been nominated" in response.content.decode()
    assert Nomination.objects.count() == 2


def test_the_nominations_show_organisations_in_the_readers_language(org_a):
    nomination = Nomination(category=SeatCategory.ORGANISATION, member_organisation=org_a)
    with translation.override("sv"):
        assert nomination.represents_shown == "Hjärnförbundet"
        assert nomination.represents_label == "Aivoliitto"  # the frozen list's own text


def test_contact_cannot_nominate_for_another_organisation(client, contact_b, org_a, org_b, meeting):
    other = ExpertFactory(responsible_organisation=org_a)
    client.force_login(contact_b)
    url = reverse("alueet:nominate", args=[meeting.pk])
    client.post(url, nomination_data(member_organisation=org_a.pk))
    client.post(url, nomination_data(category="expert", expert=other.pk))
    assert not Nomination.objects.exists()


def test_units_name_their_representatives_through_their_link(client, meeting):
    invite = NominationInvite.objects.create(organising_meeting=meeting, email="tamk@example.fi")
    url = reverse("alueet:nominate_by_link", args=[invite.token])
    response = client.post(url, nomination_data(category="organisation", represents="TAMK"))
    assert "Select a valid choice" in response.content.decode()
    client.post(url, nomination_data(category="unit", represents="TAMK"))
    nomination = Nomination.objects.get()
    assert (nomination.category, nomination.invite, nomination.represents) == (
        "unit",
        invite,
        "TAMK",
    )
    assert client.get(reverse("alueet:nominate_by_link", args=["tuntematon"])).status_code == 404


def test_nominations_close_at_the_deadline(client, contact_a, org_a, meeting):
    meeting.nomination_deadline = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    client.force_login(contact_a)
    page = client.get(reverse("alueet:nominate", args=[meeting.pk])).content.decode()
    assert "Nominations to this meeting have closed." in page
    assert "Send the nomination" not in page
    with pytest.raises(ValidationError, match="closed"):
        services.nominate(organising_meeting=meeting, consent=True, by=contact_a,
                          nomination=Nomination(category="organisation", first_name="A",
                                                last_name="B", email="a@example.fi",
                                                member_organisation=org_a))  # fmt: skip


def test_closing_without_candidates_and_seats_below_zero_are_refused(client, secretary_x, meeting):
    client.force_login(secretary_x)
    response = client.post(reverse("alueet:organising_close", args=[meeting.pk]), follow=True)
    assert "There are no candidates, so nominations cannot be closed." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.nominations_closed_at is None
    NominationFactory(organising_meeting=meeting)
    client.post(reverse("alueet:organising_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.nominations_closed_at is not None
    response = client.post(
        reverse("alueet:organising_seats", args=[meeting.pk]),
        {"organisation": "3", "expert": "-1", "unit": "2", "stakeholder": "0"},
    )
    assert "The number of seats cannot be below zero." in response.content.decode()
    assert not meeting.seat_allocations.exists()
    with pytest.raises(ValidationError):
        services.record_seats(organising_meeting=meeting, seats={"expert": -1}, by=secretary_x)
    assert not meeting.seat_allocations.exists()
    response = client.post(
        reverse("alueet:organising_seats", args=[meeting.pk]),
        {"organisation": "5", "expert": "2", "unit": "2", "stakeholder": "0"},
        follow=True,
    )
    assert "Organisation representative: 5. The guide&#x27;s usual number is 2–4." in (
        response.content.decode()
    )
    assert dict(meeting.seat_allocations.values_list("category", "seats"))["organisation"] == 5


def test_drawing_without_a_frozen_list_is_refused_on_the_page(client, secretary_x, meeting):
    NominationFactory(organising_meeting=meeting)
    client.force_login(secretary_x)
    url = reverse("alueet:draw_create", args=[meeting.pk, "organisation"])
    assert "has not been frozen" in client.get(url).content.decode()
    response = client.post(url, {"date": "2030-01-01", "time": "10:00", "witness_1": "A",
                                 "dice_1": "1", "witness_2": "B", "dice_2": "2"})  # fmt: skip
    assert "There is no frozen candidate list to draw from" in response.content.decode()
    assert client.get(reverse("alueet:draw_create", args=[meeting.pk, "kissa"])).status_code == 404


def test_closing_nominations_early_warns_and_the_contacts_link_then_says_they_closed(
    client, secretary_x, contact_a, org_a, orderer, meeting
):
    NominationFactory(organising_meeting=meeting, first_name="Aino", last_name="Aaltonen",
                      member_organisation=org_a)  # fmt: skip
    deadline = timezone.localtime(meeting.nomination_deadline).strftime("%-d.%-m.%Y")
    client.force_login(secretary_x)
    page = client.get(reverse("alueet:organising_detail", args=[meeting.pk])).content.decode()
    warning = page.index("Nominations were announced to close on")
    assert warning < page.index("Close the nominations</button>")
    assert "nobody can nominate after this" in page
    assert deadline in page[warning : page.index("</p>", warning)]
    client.post(reverse("alueet:organising_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.nominations_closed_at is not None
    page = client.get(reverse("alueet:organising_detail", args=[meeting.pk])).content.decode()
    assert "Nominations were announced to close on" not in page
    # the organisation contact's link tells that nominations closed, and takes none
    client.force_login(contact_a)
    url = reverse("alueet:nominate", args=[meeting.pk])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nominations to this meeting have closed." in page
    assert "Aino Aaltonen" in page  # the organisation's own nominations
    assert "<form" not in page.split("<main", 1)[-1]
    response = client.post(url, nomination_data(member_organisation=org_a.pk))
    assert "Nominations to this meeting have closed." in response.content.decode()
    assert meeting.nominations.count() == 1
    # who may not see the meeting at all still gets nothing
    unannounced = OrganisingMeetingFactory(group=meeting.group)
    assert client.get(reverse("alueet:nominate", args=[unannounced.pk])).status_code == 404
    client.force_login(orderer)
    assert client.get(url).status_code == 404


def test_closing_after_the_deadline_gives_no_early_warning(client, secretary_x, meeting):
    NominationFactory(organising_meeting=meeting)
    meeting.nomination_deadline = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    client.force_login(secretary_x)
    page = client.get(reverse("alueet:organising_detail", args=[meeting.pk])).content.decode()
    assert "Close the nominations</button>" in page
    assert "Nominations were announced to close on" not in page
