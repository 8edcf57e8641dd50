"""Training journeys in a real browser: an applicant applies without an account (errors
first), confirms the address, and their organisation's contact selects them with the
keyboard; the Swedish pages; the attendance screen on a tablet, and the practice lecture
evaluated with the form by a named evaluator on their phone, in Swedish."""

import re
from importlib import import_module
from urllib.parse import urlparse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from playwright.sync_api import expect

from kotove.models import OutboundEmail, Role
from koulutus.models import Application, Attendance, CourseType
from koulutus.reference import load_course_types
from palaute.models import FeedbackLink
from tests.conftest import make_actor
from tests.koulutus.factories import (
    CourseFactory,
    add_sessions,
    days_from_today,
    participant,
)

from .conftest import csp_violations
from .test_foundation_journeys import tab_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _course_types(_reference_data):
    load_course_types(CourseType)


def sign_in_with_recovery_code(page, user):
    code = RecoveryCodes(
        Authenticator.objects.get(user=user, type="recovery_codes")
    ).get_unused_codes()[0]
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct horse battery")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").focus()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(user.first_name)


def test_applicant_applies_and_their_contact_selects_them_with_the_keyboard(page, check, org_a):
    course = CourseFactory(name="Peruskoulutus Tampere")
    add_sessions(course, [(days_from_today(30), "9:00", "16:00")])

    page.goto("/koulutus/")
    check.page(page, "courses")
    page.get_by_role("link", name="Peruskoulutus Tampere").click()
    expect(page.locator("h1")).to_have_text("Peruskoulutus Tampere")
    check.page(page, "course")
    page.get_by_role("link", name="Hae tähän koulutukseen").click()
    expect(page.locator("h1")).to_contain_text("Hae: Peruskoulutus Tampere")
    check.page(page, "form")

    tab_to(page, "Lähetä hakemus")
    page.keyboard.press("Enter")
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator("#id_first_name")).to_have_attribute("aria-invalid", "true")
    check.page(page, "form-errors")

    page.locator("#id_first_name").focus()
    page.keyboard.type("Maija")
    page.keyboard.press("Tab")
    page.keyboard.type("Mäkelä")
    page.keyboard.press("Tab")
    page.keyboard.type("maija@example.fi")
    page.keyboard.press("Tab")
    page.keyboard.type("040 123 4567")
    page.select_option("#id_home_municipality", label="Tampere")
    page.select_option("#id_organisation", label="Aivoliitto")
    page.locator("#id_experience_kind_0").focus()
    page.keyboard.press("Space")
    page.fill("#id_experience", "Sairastuin aivoinfarktiin 45-vuotiaana.")
    page.fill("#id_motivation", "Haluan kertoa kuntoutumisesta opiskelijoille.")
    page.locator("#id_privacy").focus()
    page.keyboard.press("Space")
    tab_to(page, "Lähetä hakemus")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("maija@example.fi")
    check.page(page, "sent")

    # the link in the email opens the applicant's page; a button confirms the address
    email = OutboundEmail.objects.get(to="maija@example.fi")
    path = re.search(r"/koulutus/hakemus/\S+/", email.body).group(0)
    page.goto(path)
    check.page(page, "confirm")
    page.get_by_role("button", name="Vahvista ja lähetä hakemus").click()
    expect(page.locator("dd strong")).to_have_text("Odottaa järjestön päätöstä")

    contact = make_actor(Role.Kind.ORGANISATION_CONTACT, member_organisation=org_a)
    sign_in_with_recovery_code(page, contact)
    tab_to(page, "Päätä järjestösi koulutushakemuksista")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Koulutushakemukset")
    check.page(page, "applications")
    page.get_by_role("link", name="Mäkelä, Maija").click()
    expect(page.locator("h1")).to_have_text("Hakemus: Maija Mäkelä")
    check.page(page, "application")

    tab_to(page, "Valittu")
    page.keyboard.press("Space")
    tab_to(page, "Muistiinpano päätöksestä")
    page.keyboard.type("Hyvä alkuhaastattelu.")
    tab_to(page, "Tallenna päätös")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Päätös tallennettu")
    check.page(page, "decided")
    application = Application.objects.get()
    assert (application.status, application.decision_note) == ("selected", "Hyvä alkuhaastattelu.")


def test_swedish_application_form_with_errors(page, check):
    course = CourseFactory(name="Grundutbildning Vasa", language="sv")
    page.goto("/")
    page.select_option("#language-select", "sv")
    page.locator(".language-form button").click()
    page.goto(f"/koulutus/{course.pk}/hae/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.locator(".form-errors h2")).to_have_text("Kontrollera dessa fält")
    check.page(page, "form-errors-sv")
    page.goto(f"/koulutus/{course.pk}/")
    check.page(page, "course-sv")


def test_attendance_screen_on_a_tablet(browser, live_server, check):
    # Live-server tests end with a flush: the shipped feedback forms come back here.
    import_module("palaute.migrations.0002_shipped_forms").create_forms(apps, None)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 768, "height": 1024},
        is_mobile=True,
        has_touch=True,
        locale="fi-FI",
    )
    violations = csp_violations(context)
    page = context.new_page()
    course = CourseFactory(name="Peruskoulutus Oulu")
    [session] = add_sessions(course, [(days_from_today(-1), "9:00", "16:00")])
    ann = participant(course, first_name="Anna", last_name="Aalto")
    ben = participant(course, first_name="Bertta", last_name="Berg")
    coordinator = course.coordinator
    page.goto("/accounts/login/")
    page.fill("input[name=login]", coordinator.email)
    page.fill("input[name=password]", "correct horse battery")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(coordinator.first_name)

    page.goto(f"/koulutus/{course.pk}/hallinta/")
    check.page(page, "manage")
    page.get_by_role("link", name=re.compile("9.00–16.00")).click()
    expect(page.locator("h1")).to_contain_text("Läsnäolot")
    check.page(page, "attendance")

    bertta = page.get_by_role("group", name="Bertta Berg")
    bertta.get_by_label("Osittain läsnä").tap()
    page.get_by_role("button", name="Tallenna läsnäolot").tap()
    expect(page.locator(".form-errors")).to_be_visible()
    check.page(page, "attendance-errors")

    bertta = page.get_by_role("group", name="Bertta Berg")
    bertta.get_by_label("Läsnä minuutteja").fill("300")
    page.get_by_role("button", name="Tallenna ja merkitse merkitsemättömät läsnä oleviksi").tap()
    expect(page.locator(".messages")).to_contain_text("2 osallistujan läsnäolot tallennettiin")
    marks = {a.application_id: (a.status, a.minutes) for a in Attendance.objects.all()}
    assert marks == {ann.pk: ("present", None), ben.pk: ("partly", 300)}
    assert session.attendances.count() == 2

    # The course feedback (palaute), linked from the course's page.
    page.goto(f"/koulutus/{course.pk}/hallinta/")
    page.get_by_role("link", name="Koulutuspalaute").tap()
    expect(page.locator("h1")).to_contain_text("Koulutuspalaute: Peruskoulutus Oulu")
    check.page(page, "course-feedback")

    # Anna's practice lecture: a link for a named evaluator (errors first).
    page.goto(f"/koulutus/{course.pk}/hallinta/")
    page.get_by_role("link", name="Aalto, Anna").tap()
    page.get_by_role("link", name="Arvioi harjoitusluento arviointilomakkeella").tap()
    expect(page.locator("h1")).to_contain_text("Osallistujan Anna Aalto harjoitusluento")
    page.get_by_role("button", name="Luo linkit").tap()
    expect(page.locator(".form-errors")).to_contain_text("Nimeä vähintään yksi arvioija.")
    check.page(page, "lecture-errors")
    page.get_by_label("Arvioijat").fill("Sofia Sundström")
    page.get_by_role("button", name="Luo linkit").tap()
    expect(page.locator(".messages")).to_contain_text("1 arviointilinkki on valmis.")
    check.page(page, "lecture-links")
    address = page.get_by_label("Lomakkeen osoite arvioijalle Sofia Sundström").input_value()
    assert address.endswith(f"/palaute/vastaa/{FeedbackLink.objects.get().token}/")

    # The evaluator answers on her phone, in Swedish, without signing in.
    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="sv-SE",
    )
    phone_violations = csp_violations(phone)
    evaluator = phone.new_page()
    evaluator.goto(urlparse(address).path)  # the address is on SITE_URL
    expect(evaluator.locator("h1")).to_have_text("Bedömning av övningsföreläsning")
    expect(evaluator.get_by_label("Ditt namn (obligatoriskt)")).to_have_value("Sofia Sundström")
    evaluator.get_by_role("button", name="Skicka svaren").tap()
    expect(evaluator.locator(".form-errors")).to_be_visible()
    check.page(evaluator, "lecture-form-errors-sv")
    evaluator.get_by_label("Godkänd", exact=True).tap()
    for scale_four in evaluator.locator("input[type=radio][value='4']").all():
        scale_four.check()
    evaluator.get_by_label("Lagom").tap()
    evaluator.get_by_role("button", name="Skicka svaren").tap()
    expect(evaluator.locator("h1")).to_have_text("Tack för din respons")
    phone.close()
    evaluation = ann.practice_lecture
    assert (evaluation.evaluators, evaluation.accepted) == (["Sofia Sundström"], True)

    page.reload()
    expect(page.locator(".evaluations")).to_contain_text("Hyväksytty")

    # Anna sees the evaluator's name and answers on her own application page.
    page.goto(f"/koulutus/hakemus/{ann.token}/")
    expect(page.locator("#h-lecture-evaluations + h3")).to_contain_text("Sofia Sundström")
    check.page(page, "own-evaluations")
    context.close()
    assert not violations, violations
    assert not phone_violations, phone_violations
