"""Groups, terms and members: seat rules, size warnings, regional roles, chairing rotation, the
term-end alert, public contact details."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from alueet.models import Membership, SeatCategory, Term
from alueet.services import groups as services
from kotove.models import OutboundEmail, Role
from tests.conftest import make_actor
from tests.factories import UserFactory
from tests.pankki.factories import ExpertFactory

from .factories import MembershipFactory, OrganisingMeetingFactory, TermFactory, organisation

TODAY = timezone.localdate


def member_data(**overrides):
    data = {
        "seat": "organisation",
        "position": "member",
        "member_organisation": organisation("Aivoliitto").pk,
        "first_name": "Maija",
        "last_name": "Meikäläinen",
        "email": "Maija@Example.fi",
        "language": "fi",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_18_groups_are_public_with_contact_details(
    client, pirkanmaa, django_assert_max_num_queries
):
    pirkanmaa.email, pirkanmaa.phone = "pirkanmaa@example.fi", "040 123 4567"
    pirkanmaa.save()
    term = TermFactory(group=pirkanmaa)
    MembershipFactory(term=term, position=Membership.Position.CHAIR, first_name="Pekka",
                      last_name="Puheenjohtaja")  # fmt: skip
    with django_assert_max_num_queries(6):
        response = client.get(reverse("alueet:group_list"))
    page = response.content.decode()
    assert page.count('class="card"') == 18
    assert "pirkanmaa@example.fi" in page and "Pekka Puheenjohtaja (Aivoliitto)" in page
    detail = client.get(reverse("alueet:group_detail", args=[pirkanmaa.pk])).content.decode()
    assert "040 123 4567" in detail
    assert "Members of the term" not in detail  # members are for the group and the network


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_groups_are_listed_in_the_pages_alphabetical_order(client, pirkanmaa, language):
    response = client.get(reverse("alueet:group_list"), HTTP_ACCEPT_LANGUAGE=language)
    names = [str(group) for group, _officers in response.context["rows"]]
    assert len(names) == 18 and names == sorted(names)


def test_secretary_edits_own_contact_details_but_not_another_groups(
    client, secretary_x, pirkanmaa, uusimaa
):
    client.force_login(secretary_x)
    response = client.post(
        reverse("alueet:group_edit", args=[pirkanmaa.pk]),
        {"email": "uusi@example.fi", "phone": "abc", "website": ""},
    )
    assert "Enter a phone number" in response.content.decode()
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.email == ""
    client.post(reverse("alueet:group_edit", args=[pirkanmaa.pk]),
                {"email": "uusi@example.fi", "phone": "040 1234567"})  # fmt: skip
    pirkanmaa.refresh_from_db()
    assert (pirkanmaa.email, pirkanmaa.phone) == ("uusi@example.fi", "040 1234567")
    response = client.post(reverse("alueet:group_edit", args=[uusimaa.pk]), {"email": "x@y.fi"})
    assert response.status_code == 404
    uusimaa.refresh_from_db()
    assert uusimaa.email == ""


def test_a_term_is_two_years_by_default_and_terms_never_overlap(pirkanmaa, planner):
    term = services.create_term(group=pirkanmaa, starts_on=datetime.date(2026, 1, 1), by=planner)
    assert term.ends_on == datetime.date(2027, 12, 31)
    leap = services.create_term(group=pirkanmaa, starts_on=datetime.date(2028, 2, 29), by=planner)
    assert leap.ends_on == datetime.date(2030, 2, 28)
    with translation.override("en"):  # services speak the active language
        with pytest.raises(ValidationError) as error:
            services.create_term(group=pirkanmaa, starts_on=datetime.date(2027, 6, 1), by=planner)
        assert "overlaps the term" in str(error.value)
    assert Term.objects.filter(group=pirkanmaa).count() == 2


def test_chair_and_secretary_must_be_organisation_representatives(client, secretary_x, pirkanmaa):
    term = TermFactory(group=pirkanmaa)
    client.force_login(secretary_x)
    url = reverse("alueet:membership_create", args=[term.pk])
    response = client.post(
        url,
        member_data(seat="unit", position="chair", represents="TAMK", member_organisation=None),
    )
    assert "The chair and the secretary are organisation representatives" in (
        response.content.decode()
    )
    assert not Membership.objects.exists()
    # the service refuses it too, and so does the database
    membership = Membership(term=term, seat=SeatCategory.STAKEHOLDER, represents="Kumppanuustalo",
                            position=Membership.Position.SECRETARY, first_name="A",
                            last_name="B", email="a@example.fi")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.save_membership(membership=membership, by=secretary_x)
    assert "position" in error.value.error_dict
    membership.starts_on = term.starts_on
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()
    assert not Membership.objects.exists()


def test_one_chair_at_a_time_and_a_person_once_per_term(client, secretary_x, pirkanmaa):
    term = TermFactory(group=pirkanmaa)
    MembershipFactory(term=term, position=Membership.Position.CHAIR, first_name="Pekka",
                      last_name="Puheenjohtaja", email="maija@example.fi")  # fmt: skip
    client.force_login(secretary_x)
    response = client.post(
        reverse("alueet:membership_create", args=[term.pk]), member_data(position="chair")
    )
    page = response.content.decode()
    assert "Pekka Puheenjohtaja is the chair of this term" in page
    assert "maija@example.fi is already a member in this term" in page
    assert Membership.objects.count() == 1


def test_size_limits_only_warn(client, secretary_x, pirkanmaa):
    term = TermFactory(group=pirkanmaa)
    for n in range(4):
        MembershipFactory(term=term, email=f"org{n}@example.fi")
    client.force_login(secretary_x)
    response = client.post(
        reverse("alueet:membership_create", args=[term.pk]), member_data(), follow=True
    )
    page = response.content.decode()
    assert "Maija Meikäläinen was saved." in page
    assert "Organisation representative: 5. The guide&#x27;s usual number is 2–4." in page
    assert "Experience expert: 0." in page
    assert Membership.objects.filter(term=term).count() == 5


def test_an_expert_member_comes_from_the_bank(client, secretary_x, pirkanmaa):
    term = TermFactory(group=pirkanmaa)
    expert = ExpertFactory(first_name="Kaisa", last_name="Kokemus", email="kaisa@example.fi")
    client.force_login(secretary_x)
    client.post(
        reverse("alueet:membership_create", args=[term.pk]),
        member_data(
            seat="expert",
            expert=expert.pk,
            first_name="",
            last_name="",
            email="",
            member_organisation=None,
        ),  # fmt: skip
    )
    membership = Membership.objects.get()
    assert (membership.full_name, membership.email, membership.member_organisation) == (
        "Kaisa Kokemus",
        "kaisa@example.fi",
        None,
    )


def test_membership_gives_the_regional_role_for_the_term(pirkanmaa, secretary_x):
    user = UserFactory(email="sanna@example.fi")
    term = TermFactory(group=pirkanmaa, starts_on=TODAY() - datetime.timedelta(days=10))
    membership = services.save_membership(
        membership=Membership(
            term=term,
            seat=SeatCategory.ORGANISATION,
            member_organisation=organisation("Aivoliitto"),
            position=Membership.Position.SECRETARY,
            first_name="Sanna",
            last_name="S",
            email="Sanna@example.fi",
        ),  # fmt: skip
        by=secretary_x,
    )
    assert membership.user == user
    role = Role.objects.get(user=user, area=pirkanmaa.area)
    assert (role.kind, role.starts_on, role.ends_on) == (
        Role.Kind.REGIONAL_SECRETARY,
        term.starts_on,
        term.ends_on,
    )
    # she becomes a member instead: the secretary role ends, the member role starts
    membership.position = Membership.Position.MEMBER
    services.save_membership(membership=membership, by=secretary_x)
    roles = {r.kind: r for r in Role.objects.filter(user=user)}
    assert roles[Role.Kind.REGIONAL_SECRETARY].ends_on == TODAY() - datetime.timedelta(days=1)
    assert roles[Role.Kind.REGIONAL_MEMBER].ends_on == term.ends_on
    assert [r.kind for r in Role.objects.filter(user=user).current()] == [Role.Kind.REGIONAL_MEMBER]
    # re-elected for the next term: one continuous period
    following = TermFactory(group=pirkanmaa, starts_on=term.ends_on + datetime.timedelta(days=1))
    services.save_membership(
        membership=Membership(term=following, seat=SeatCategory.ORGANISATION,
                              member_organisation=organisation("Aivoliitto"),
                              first_name="Sanna", last_name="S", email="sanna@example.fi"),
        by=secretary_x,
    )  # fmt: skip
    assert Role.objects.get(user=user, kind=Role.Kind.REGIONAL_MEMBER).ends_on == following.ends_on
    # she leaves today, so there is a gap before the next term: the role covers today, and the
    # daily refresh gives the next term's period when it starts
    services.end_membership(membership=membership, ended_on=TODAY(), reason="Tauko", by=secretary_x)
    role = Role.objects.get(user=user, kind=Role.Kind.REGIONAL_MEMBER)
    assert (role.starts_on, role.ends_on) == (term.starts_on, TODAY())
    assert services.refresh_regional_roles(today=following.starts_on) == 1
    role.refresh_from_db()
    assert (role.starts_on, role.ends_on) == (following.starts_on, following.ends_on)


def test_leaving_ends_the_role(pirkanmaa, secretary_x):
    user = UserFactory(email="olli@example.fi")
    term = TermFactory(group=pirkanmaa)
    membership = services.save_membership(
        membership=Membership(term=term, seat=SeatCategory.ORGANISATION,
                              member_organisation=organisation("Aivoliitto"),
                              first_name="Olli", last_name="O", email="olli@example.fi"),
        by=secretary_x,
    )  # fmt: skip
    assert user.has_role(Role.Kind.REGIONAL_MEMBER)
    services.end_membership(membership=membership, ended_on=TODAY() - datetime.timedelta(days=1),
                            reason="Erosi", by=secretary_x)  # fmt: skip
    user.__dict__.pop("active_roles", None)
    assert not user.has_role(Role.Kind.REGIONAL_MEMBER)


def test_chairing_rotates_to_the_organisation_whose_turn_it_is(pirkanmaa, client, planner):
    old = TermFactory(group=pirkanmaa, starts_on=TODAY() - datetime.timedelta(days=1000),
                      ends_on=TODAY() - datetime.timedelta(days=271))  # fmt: skip
    current = TermFactory(group=pirkanmaa, starts_on=TODAY() - datetime.timedelta(days=270))
    MembershipFactory(term=old, position=Membership.Position.CHAIR,
                      member_organisation=organisation("Suomen Syöpäyhdistys"))  # fmt: skip
    MembershipFactory(term=current, position=Membership.Position.CHAIR,
                      member_organisation=organisation("Aivoliitto"))  # fmt: skip
    MembershipFactory(term=current, member_organisation=organisation("Suomen Syöpäyhdistys"))
    MembershipFactory(term=current, member_organisation=organisation("Hengitysliitto"))
    rotation = pirkanmaa.chair_rotation()
    assert [(org.name_fi, since) for org, since in rotation] == [
        ("Hengitysliitto", None),
        ("Suomen Syöpäyhdistys", old.starts_on),
        ("Aivoliitto", current.starts_on),
    ]
    client.force_login(planner)
    page = client.get(reverse("alueet:group_detail", args=[pirkanmaa.pk])).content.decode()
    assert "Next in turn:</strong> Hengitysliitto (has not chaired)" in page


def test_secretary_and_planner_are_told_60_days_before_the_term_ends(pirkanmaa, planner, on_commit):
    term = TermFactory(group=pirkanmaa, starts_on=TODAY() - datetime.timedelta(days=600),
                       ends_on=TODAY() + datetime.timedelta(days=61))  # fmt: skip
    MembershipFactory(
        term=term, position=Membership.Position.SECRETARY, email="sihteeri@example.fi"
    )
    MembershipFactory(term=term, email="jasen@example.fi")
    assert services.send_term_end_alerts() == 0
    later = TODAY() + datetime.timedelta(days=1)
    with on_commit():
        assert services.send_term_end_alerts(today=later) == 2
        services.send_term_end_alerts(today=later)  # the next day's run: nothing new
    emails = OutboundEmail.objects.order_by("to")
    assert [e.to for e in emails] == sorted([planner.email, "sihteeri@example.fi"])
    assert "päättyy 60 päivän kuluttua" in emails[0].body  # in the recipient's language
    # once the next term exists, nobody is alerted
    OutboundEmail.objects.all().delete()
    TermFactory(group=pirkanmaa, starts_on=term.ends_on + datetime.timedelta(days=1))
    assert services.send_term_end_alerts(today=later) == 0


def test_chair_manages_the_own_group_and_a_member_only_reads_it(client, pirkanmaa, uusimaa):
    chair = make_actor(Role.Kind.REGIONAL_CHAIR, area=pirkanmaa.area)
    member = make_actor(Role.Kind.REGIONAL_MEMBER, area=pirkanmaa.area)
    urls = [reverse("alueet:meeting_create", args=[g.pk]) for g in (pirkanmaa, uusimaa)]
    client.force_login(chair)
    assert [client.get(url).status_code for url in urls] == [200, 404]
    client.force_login(member)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.get(reverse("alueet:meeting_year", args=[pirkanmaa.pk])).status_code == 200
    assert client.get(reverse("alueet:meeting_year", args=[uusimaa.pk])).status_code == 404


def test_organisation_contacts_find_the_open_organising_meetings_on_the_front_page(
    client, contact_a, pirkanmaa
):
    meeting = OrganisingMeetingFactory(group=pirkanmaa, announced=True)
    OrganisingMeetingFactory(group=pirkanmaa)  # not announced yet
    client.force_login(contact_a)
    page = client.get(reverse("home")).content.decode()
    assert reverse("alueet:nominate", args=[meeting.pk]) in page
    assert page.count("/ehdota/") == 1


def test_a_term_being_changed_has_its_end_written_out_and_is_not_told_to_leave_it_empty(
    client, secretary_x, pirkanmaa
):
    term = TermFactory(group=pirkanmaa)
    ends_on = term.ends_on
    client.force_login(secretary_x)
    url = reverse("alueet:term_edit", args=[term.pk])
    page = client.get(url).content.decode()
    assert "Leave empty" not in page
    assert "A term usually lasts two years." in page
    response = client.post(url, {"starts_on": term.starts_on.isoformat(), "ends_on": ""})
    assert response.context["form"].errors == {"ends_on": ["This field is required."]}
    term.refresh_from_db()
    assert term.ends_on == ends_on
    # a new term may still leave its end to the usual two years
    page = client.get(reverse("alueet:term_create", args=[pirkanmaa.pk])).content.decode()
    assert "Leave empty for the usual two years." in page
