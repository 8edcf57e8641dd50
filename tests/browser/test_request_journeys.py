"""From search to a task done, keyboard only: an orderer (in Swedish) finds a Swedish-speaking
expert near a municipality and sends a request; the organisation contact (in Finnish) accepts
it and marks the task done. Every page passes the checks, form errors included."""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.utils import timezone
from playwright.sync_api import expect

from kotove.models import Municipality, OutboundEmail, Role
from pankki.models import Expert, RequestAnswer, Task, TaskRequest, Theme
from tests.conftest import make_actor
from tests.factories import OrdererOrganisationFactory

from .test_bank_journeys import listed
from .test_foundation_journeys import tab_to

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_keyboard(page, user, code=None):
    page.goto("/accounts/login/")
    tab_to(page, "Sähköposti|E-post|Email")
    page.keyboard.type(user.email)
    tab_to(page, "Salasana|Lösenord|Password")
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    if code:
        expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
        tab_to(page, "Koodi|Kod|Code")
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(user.first_name)


def type_date(page, day):
    """Type a date into the focused date input, in the order the browser's locale shows."""
    page.keyboard.type(f"{day.month:02d}{day.day:02d}{day.year}")
    if page.evaluate("document.activeElement.value") != day.isoformat():
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(f"{day.day:02d}{day.month:02d}{day.year}")
    assert page.evaluate("document.activeElement.value") == day.isoformat()


def choose(page, label, typed):
    """Reach a select with Tab and pick an option by typing its beginning."""
    tab_to(page, label, field=True)
    page.keyboard.type(typed)


def test_orderer_requests_and_contact_accepts_and_marks_done(browser, live_server, check, planner):
    afasia = Theme.objects.get(name_fi="Afasia")
    linnea = listed(planner, "Linnea", "Vaasa", ["sv", "fi"], afasia)
    listed(planner, "Leena", "Vaasa", ["fi"], afasia)
    listed(planner, "Lotta", "Helsinki", ["sv"], afasia)
    orderer_org = OrdererOrganisationFactory(name="Pohjanmaan hyvinvointialue")
    orderer = make_actor(Role.Kind.ORDERER, orderer_organisation=orderer_org)
    orderer.language = "sv"
    orderer.save()
    contact = make_actor(
        Role.Kind.ORGANISATION_CONTACT, member_organisation=linnea.responsible_organisation
    )
    code = RecoveryCodes(
        Authenticator.objects.get(user=contact, type="recovery_codes")
    ).get_unused_codes()[0]

    def new_page():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fi-FI"
        )
        return context.new_page()

    # The orderer, whose preferred language is Swedish, finds Linnea and opens her page.
    page = new_page()
    sign_in_with_keyboard(page, orderer)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    tab_to(page, "^Erfarenhetsbanken$")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Sök i erfarenhetsbanken")
    choose(page, "Bor nära kommun", "Korsholm")
    tab_to(page, "Avstånd högst")
    page.keyboard.type("50")
    choose(page, "Tema eller diagnos", "Afasi")
    tab_to(page, "^svenska$")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile("language=sv"))
    page.wait_for_timeout(600)  # the typing debounce
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#result-count")).to_contain_text("1 ")
    check.page(page, "search-sv")
    tab_to(page, "^Linnea Esimerkki$", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Linnea Esimerkki")
    check.page(page, "expert-sv")

    # ... sends a request: first without the details, then a date in the past, then right.
    tab_to(page, "Skicka en uppdragsförfrågan")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Skicka en uppdragsförfrågan")
    check.page(page, "request-form-sv")
    tab_to(page, "Skicka uppdragsförfrågan", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("#id_title_error")).to_be_visible()
    check.page(page, "request-form-errors-sv")
    today = timezone.localdate()
    tab_to(page, "^Ämne")  # the error summary's link to the field …
    page.keyboard.press("Enter")
    expect(page.locator("#id_title")).to_be_focused()  # … takes the keyboard there
    page.keyboard.type("Att leva med afasi")
    choose(page, "^Uppdragstyp", "Lektioner")
    choose(page, "^Målgrupp", "Sjuksk")  # type-ahead takes ASCII keys
    tab_to(page, "^Målgruppens storlek", field=True)
    page.keyboard.type("24")
    tab_to(page, "^Datum", field=True)
    type_date(page, today - datetime.timedelta(days=365))
    tab_to(page, "^Börjar", field=True)
    page.keyboard.type("1300")
    choose(page, "^Kommun", "Vasa")
    tab_to(page, "Skicka uppdragsförfrågan", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("#id_date_error")).to_have_text("Datumet kan inte vara i det förflutna.")
    assert TaskRequest.objects.count() == 0
    tab_to(page, "^Datum", field=True)
    type_date(page, today)
    tab_to(page, "Skicka uppdragsförfrågan", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Förfrågan skickades till 1")
    check.page(page, "request-sent-sv")
    answer = RequestAnswer.objects.get()
    assert (answer.expert, answer.via_organisation) == (linnea, True)
    assert OutboundEmail.objects.filter(to=contact.email).count() == 1

    # The organisation contact, in Finnish, accepts it and marks the task done.
    contact_page = new_page()
    sign_in_with_keyboard(contact_page, contact, code)
    tab_to(contact_page, "Vastaa kokemustoimijoillenne tulleisiin pyyntöihin")
    contact_page.keyboard.press("Enter")
    expect(contact_page.locator("h1")).to_have_text("Pyynnöt")
    check.page(contact_page, "requests-fi")
    tab_to(contact_page, "^Att leva med afasi$")
    contact_page.keyboard.press("Enter")
    expect(contact_page.locator("h1")).to_have_text("Att leva med afasi")
    check.page(contact_page, "request-fi")
    tab_to(contact_page, "^Lähetä vastaus$", limit=120)
    contact_page.keyboard.press("Enter")
    expect(contact_page.locator(f"#id_answer-{answer.pk}-decision_error")).to_be_visible()
    check.page(contact_page, "answer-errors-fi")
    tab_to(contact_page, "Hyväksy")
    contact_page.keyboard.press("Space")
    tab_to(contact_page, "^Viesti tilaajalle")
    contact_page.keyboard.type("Linnea tulee mielellään.")
    tab_to(contact_page, "^Lähetä vastaus$", limit=120)
    contact_page.keyboard.press("Enter")
    expect(contact_page.locator(".messages")).to_contain_text("Hyväksytty")
    check.page(contact_page, "task-fi")
    tab_to(contact_page, "^Merkitse tehdyksi$", limit=120)
    contact_page.keyboard.press("Enter")
    expect(contact_page.locator(".messages")).to_contain_text("Keikka merkittiin tehdyksi")
    check.page(contact_page, "task-done-fi")
    task = Task.objects.get()
    assert (task.expert, task.status, task.done_by, task.date) == (linnea, "done", contact, today)
    assert task.municipality == Municipality.objects.get(name_fi="Vaasa")
    assert OutboundEmail.objects.get(to=orderer.email).language == "sv"

    # The orderer sees the task done in their list.
    tab_to(page, "^Uppdrag$")
    page.keyboard.press("Enter")
    expect(page.locator("tbody")).to_contain_text("Utfört")
    check.page(page, "tasks-sv")
    assert Expert.objects.get(pk=linnea.pk).tasks.count() == 1
