"""The steering groups' other pages pass axe and reflow at 320 px: the planner's view of a
group in Finnish (with form errors shown), the public lottery pages and an expert's event in
Swedish."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from alueet.models import (
    ActionPlan,
    Attachment,
    GrantApplication,
    GrantBudgetLine,
    Meeting,
    Membership,
    Minutes,
    Nomination,
    OrganisingMeeting,
    PlanItem,
    RegionalEvent,
    Registration,
    SeatCategory,
    SteeringGroup,
    Term,
)
from alueet.services import organising
from kotove.models import Area, MemberOrganisation, Municipality, Role
from pankki.models import Expert
from tests.conftest import make_actor

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(browser, live_server, user, locale="fi-FI"):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale=locale)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.fixture
def group():
    for area in Area.objects.all():
        SteeringGroup.objects.get_or_create(area=area)
    group = SteeringGroup.objects.get(area__name_fi="Pirkanmaa")
    group.email, group.phone = "pirkanmaa@example.fi", "040 123 4567"
    group.save()
    return group


def world(group, planner, expert_user):
    now, today = timezone.now(), timezone.localdate()
    term = Term.objects.create(group=group, starts_on=today - datetime.timedelta(days=300),
                               ends_on=today + datetime.timedelta(days=400))  # fmt: skip
    organisations = list(MemberOrganisation.objects.order_by("name_fi")[:3])
    for n, organisation in enumerate(organisations):
        Membership.objects.create(term=term, seat=SeatCategory.ORGANISATION,
                                  position=["chair", "secretary", "member"][n],
                                  member_organisation=organisation, first_name=f"Jäsen{n}",
                                  last_name="Järjestö", email=f"j{n}@example.fi",
                                  starts_on=term.starts_on)  # fmt: skip
    start = now - datetime.timedelta(days=20)
    meeting = Meeting.objects.create(group=group, title="Ohjausryhmän kokous", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2),
                                     place="Metso", invited_at=start)  # fmt: skip
    minutes = Minutes.objects.create(meeting=meeting, decisions="1. Päätettiin.", published_at=now)
    minutes.present.set(Membership.objects.all())
    Attachment.objects.create(meeting=meeting, name="poytakirja.pdf", size=9, for_minutes=True,
                              content_type="application/pdf",
                              file=ContentFile(b"%PDF-1.4 x", name="p.pdf"))  # fmt: skip
    drawn = OrganisingMeeting.objects.create(
        group=group, starts_at=now + datetime.timedelta(days=30), place="Tampere-talo",
        nomination_deadline=now + datetime.timedelta(days=20), announced_at=now,
        term_starts_on=term.ends_on + datetime.timedelta(days=1),
        term_ends_on=term.ends_on + datetime.timedelta(days=731),
    )  # fmt: skip
    for n, organisation in enumerate(organisations):
        Nomination.objects.create(organising_meeting=drawn, category=SeatCategory.ORGANISATION,
                                  member_organisation=organisation, first_name=f"Ehdokas{n}",
                                  last_name="Ehdokas", email=f"e{n}@example.fi",
                                  consent_confirmed_at=now)  # fmt: skip
    organising.close_nominations(organising_meeting=drawn, by=planner)
    organising.record_seats(organising_meeting=drawn, seats={"organisation": 2}, by=planner)
    organising.freeze_candidate_lists(organising_meeting=drawn, by=planner)
    draw = organising.record_draw(organising_meeting=drawn, category="organisation", drawn_at=now,
                                  witnesses=[("Maija M", "3 5"), ("Pekka P", "6 1")],
                                  by=planner)  # fmt: skip
    plan = ActionPlan.objects.create(group=group, year=today.year, aims="Näkyvyys")
    PlanItem.objects.create(plan=plan, kind="event", title="Virkistyspäivä", budget=300,
                            status="done", outcome="32 osallistujaa", participants=32)  # fmt: skip
    grant = GrantApplication.objects.create(group=group, year=today.year, purpose="Koulutus",
                                            amount=1500, status="submitted",
                                            submitted_at=now)  # fmt: skip
    GrantBudgetLine.objects.create(application=grant, description="Kouluttaja", amount=1500)
    event = RegionalEvent.objects.create(
        group=group, kind="recreation", title="Virkistyspäivä", description="Ulkoilua.",
        starts_at=now + datetime.timedelta(days=10), ends_at=now + datetime.timedelta(days=10, hours=3),
        place="Kauppi", capacity=1,
    )  # fmt: skip
    expert = Expert.objects.create(
        user=expert_user, first_name="Kaisa", last_name="Kokemus", email=expert_user.email,
        home_municipality=Municipality.objects.get(name_fi="Tampere"),
        responsible_organisation=organisations[0], experience_kind="own",
        basic_training_date=today, languages=["sv"],
    )  # fmt: skip
    Registration.objects.create(event=event, expert=expert, status="confirmed", needs="Tulkki")
    return meeting, drawn, draw, plan, grant, event


def test_the_planners_pages_and_the_public_lottery_pages_pass_the_checks(
    browser, live_server, check, group
):
    planner = make_actor(Role.Kind.PLANNER)
    expert_user = make_actor(Role.Kind.EXPERT)
    meeting, drawn, draw, plan, grant, event = world(group, planner, expert_user)
    context = signed_in(browser, live_server, planner)
    page = context.new_page()
    pages = [
        ("groups", "/alueet/"),
        ("group", f"/alueet/{group.pk}/"),
        ("year", f"/alueet/{group.pk}/kokoukset/"),
        ("meeting", f"/alueet/kokoukset/{meeting.pk}/"),
        ("organising", f"/alueet/jarjestaytymiskokous/{drawn.pk}/"),
        ("plan", f"/alueet/{group.pk}/suunnitelma/{plan.year}/"),
        ("grants", "/alueet/kehittamistuki/"),
        ("grant", f"/alueet/kehittamistuki/{grant.pk}/"),
        ("participants", f"/alueet/tapahtumat/{event.pk}/osallistujat/"),
    ]
    for label, path in pages:
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        check.page(page, label)
    # Forms with their errors shown.
    page.goto(f"/alueet/kaudet/{Term.objects.get().pk}/jasenet/uusi/")
    page.get_by_role("button", name="Tallenna jäsen").press("Enter")
    expect(page.locator(".form-errors")).to_be_visible()
    check.page(page, "member-errors")
    page.goto(f"/alueet/{group.pk}/kehittamistuki/uusi/")
    page.locator("#id_amount").fill("-5")
    page.get_by_role("button", name="Tallenna luonnos").press("Enter")
    expect(page.locator("#id_amount_error")).to_be_visible()
    check.page(page, "grant-errors")
    page.goto(f"/alueet/jarjestaytymiskokous/{drawn.pk}/")
    context.close()

    # Anyone with the link, in Swedish.
    public = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    public.goto(f"/alueet/ehdokaslista/{drawn.public_token}/")
    expect(public.locator("html")).to_have_attribute("lang", "sv")
    check.page(public, "candidates-sv")
    public.goto(f"/alueet/ehdokaslista/{drawn.public_token}/arvonta/{draw.pk}/")
    expect(public.locator(".verification")).to_contain_text("Kontrollerad")
    check.page(public, "draw-verify-sv")

    # The expert's event, in Swedish.
    expert = signed_in(browser, live_server, expert_user, locale="sv-SE").new_page()
    expert.goto(f"/alueet/tapahtumat/{event.pk}/")
    expect(expert.locator("h1")).to_have_text("Virkistyspäivä")
    check.page(expert, "event-sv")
