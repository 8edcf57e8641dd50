"""A secretary schedules a meeting with the keyboard only; a member answers the invitation from
the link in the email, in Swedish. Every page passes axe, also with form errors shown."""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.utils import timezone
from playwright.sync_api import expect

from alueet.models import Invitation, Meeting, Membership, SeatCategory, SteeringGroup, Term
from kotove.models import Area, MemberOrganisation, OutboundEmail, Role
from tests.conftest import make_actor

from .test_foundation_journeys import tab_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def term():
    """Live-server tests flush the database: the groups come back with the areas."""
    for area in Area.objects.all():
        SteeringGroup.objects.get_or_create(area=area)
    group = SteeringGroup.objects.get(area__name_fi="Pirkanmaa")
    today = timezone.localdate()
    term = Term.objects.create(
        group=group,
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today + datetime.timedelta(days=600),
    )
    aivoliitto = MemberOrganisation.objects.get(name_fi="Aivoliitto")
    for first, email, language in [("Aino", "aino@example.fi", "fi"),
                                   ("Bertil", "bertil@example.fi", "sv")]:  # fmt: skip
        Membership.objects.create(term=term, seat=SeatCategory.ORGANISATION,
                                  member_organisation=aivoliitto, first_name=first,
                                  last_name="Jäsen", email=email, language=language,
                                  starts_on=term.starts_on)  # fmt: skip
    return term


def sign_in_with_keyboard(page, user):
    code = RecoveryCodes(
        Authenticator.objects.get(user=user, type="recovery_codes")
    ).get_unused_codes()[0]
    page.goto("/accounts/login/")
    tab_to(page, "Sähköposti|Email")
    page.keyboard.type(user.email)
    tab_to(page, "Salasana|Password")
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").focus()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(user.first_name)


def test_secretary_schedules_a_meeting_and_a_member_answers_in_swedish(
    page, browser, live_server, check, term
):
    secretary = make_actor(Role.Kind.REGIONAL_SECRETARY, area=term.group.area)
    sign_in_with_keyboard(page, secretary)
    tab_to(page, "^Ohjausryhmäsi$")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Alueellinen ohjausryhmä: Pirkanmaa")
    check.page(page, "group")

    tab_to(page, "^Kutsu koolle kokous$")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Kutsu koolle kokous")
    check.page(page, "meeting-form")

    # Sent without a date, a time and a place: the errors are shown on the fields.
    tab_to(page, "^Kutsu kokous koolle$")
    page.keyboard.press("Enter")
    expect(page.locator("#id_date_error")).to_be_visible()
    expect(page.locator("#id_place_error")).to_contain_text("Anna paikka")
    check.page(page, "meeting-form-errors")

    day = timezone.localdate() + datetime.timedelta(days=21)
    # The date and time controls' segment order follows the browser's own locale, so their
    # values are typed in with fill(); everything else is typed and reached with Tab.
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_starts").fill("13:00")
    page.locator("#id_ends").fill("15:00")
    tab_to(page, "^Paikka")
    page.keyboard.type("Tampereen pääkirjasto Metso")
    tab_to(page, "^Esityslista")
    page.keyboard.type("Kokouksen avaus")
    page.keyboard.press("Enter")
    page.keyboard.type("Virkistyspäivän suunnittelu")
    tab_to(page, "^Kutsu kokous koolle$")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("kutsuja lähetetään")
    check.page(page, "meeting")

    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).date() == day
    assert [i.title for i in meeting.agenda_items.all()] == [
        "Kokouksen avaus",
        "Virkistyspäivän suunnittelu",
    ]
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {
        "aino@example.fi",
        "bertil@example.fi",
    }
    invitation = Invitation.objects.get(membership__email="bertil@example.fi")
    email = OutboundEmail.objects.get(to="bertil@example.fi")
    assert email.subject.startswith("Inbjudan")
    link = next(line for line in email.body.splitlines() if "/vastaa/" in line)

    # The member opens the link from the email: no login, in Swedish.
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    member = context.new_page()
    member.goto(link.replace(link.split("/alueet/")[0], live_server.url))
    expect(member.locator("html")).to_have_attribute("lang", "sv")
    expect(member.locator("h1")).to_contain_text("Inbjudan")
    check.page(member, "rsvp-sv")

    tab_to(member, "^Skicka svaret$")
    member.keyboard.press("Enter")
    expect(member.locator("#id_response_error")).to_contain_text("Välj ditt svar.")
    check.page(member, "rsvp-sv-errors")

    member.locator("input[name=response]").first.focus()
    member.keyboard.press("Space")
    tab_to(member, "^Meddelande till sekreteraren")
    member.keyboard.type("Jag kommer en halvtimme sent.")
    tab_to(member, "^Skicka svaret$")
    member.keyboard.press("Enter")
    expect(member.locator(".messages")).to_contain_text("Tack, ditt svar registrerades.")
    check.page(member, "rsvp-sv-answered")
    invitation.refresh_from_db()
    assert (invitation.response, invitation.note) == ("yes", "Jag kommer en halvtimme sent.")
    context.close()

    # The secretary sees the answer.
    page.reload()
    expect(page.locator("table")).to_contain_text("Osallistun")
