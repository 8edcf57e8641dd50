"""The orderer's search journey in a real browser, keyboard first, with the JavaScript on."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from kotove.models import MemberOrganisation, Municipality
from pankki import services
from pankki.models import Consent, Expert, Theme

pytestmark = pytest.mark.django_db(transaction=True)


def listed(planner, first, municipality, languages, theme=None, **fields):
    expert = Expert(
        first_name=first,
        last_name="Esimerkki",
        email=f"{first.lower()}@example.fi",
        home_municipality=Municipality.objects.get(name_fi=municipality),
        responsible_organisation=MemberOrganisation.objects.get(name_fi="Aivoliitto"),
        experience_kind=Expert.ExperienceKind.OWN,
        basic_training_date=date(2023, 1, 1),
        languages=languages,
        show_health_data=True,
        presentation_fi="Kerron afasiasta ja kuntoutuksesta.",
        **fields,
    )
    services.save_expert(expert=expert, by=planner, m2m={"themes": [theme]} if theme else None)
    services.give_consent(expert=expert, method=Consent.Method.PAPER, by=planner)
    return expert


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct horse battery")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(user.first_name)


def test_orderer_finds_a_swedish_speaking_expert_near_a_municipality(page, check, orderer, planner):
    afasia = Theme.objects.get(name_fi="Afasia")
    listed(planner, "Linnea", "Vaasa", ["sv", "fi"], afasia)
    listed(planner, "Leena", "Vaasa", ["fi"], afasia)
    listed(planner, "Lotta", "Helsinki", ["sv"], afasia)
    sign_in(page, orderer)
    page.goto("/pankki/")
    check.page(page, "search")

    page.select_option("#id_theme", str(afasia.pk))
    page.select_option("#id_near", str(Municipality.objects.get(name_fi="Mustasaari").pk))
    page.fill("#id_distance", "50")
    page.locator("input[name=language][value=sv]").check()
    # results update without submitting (JavaScript), and the URL can be shared
    expect(page).to_have_url(re.compile("language=sv"))
    page.wait_for_timeout(600)  # the typing debounce
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#result-count")).to_contain_text("1")
    check.page(page, "search-results")

    page.get_by_role("link", name="Linnea Esimerkki").click()
    expect(page.locator("h1")).to_have_text("Linnea Esimerkki")
    check.page(page, "expert")


def test_search_works_without_javascript(browser, live_server, orderer, planner):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fi-FI"
    )
    page = context.new_page()
    listed(planner, "Nina", "Tampere", ["fi"])
    sign_in(page, orderer)
    page.goto("/pankki/")
    page.fill("#id_q", "afasiasta")
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_contain_text("1")
    expect(page).to_have_url(re.compile("q=afasiasta"))
    # axe needs JavaScript; the same page was checked with it on in the journey above.
    context.close()
