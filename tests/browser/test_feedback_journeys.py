"""A listener answers on a phone through the task's link; the expert then sees the summary."""

from importlib import import_module

import pytest
from playwright.sync_api import expect

from palaute import services
from tests.palaute.factories import TaskFactory, answer
from tests.pankki.factories import ExpertFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shipped_rows(_reference_data):
    """Live-server tests end with a flush; reload the vocabularies and the shipped forms that
    migrations loaded."""
    from django.apps import apps

    from kotove.models import MemberOrganisation
    from pankki import vocabulary
    from pankki.models import Audience, LifeSituation, TaskType, Theme

    vocabulary.load(TaskType, Audience, LifeSituation, Theme, MemberOrganisation)
    import_module("palaute.migrations.0002_shipped_forms").create_forms(apps, None)


PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def phone_in(browser, live_server, locale):
    return browser.new_context(base_url=live_server.url, locale=locale, **PHONE).new_page()


def test_listener_answers_on_a_phone_and_the_expert_sees_the_summary(
    browser, live_server, page, check, expert_user, org_a
):
    expert = ExpertFactory(responsible_organisation=org_a, user=expert_user)
    task = TaskFactory(expert=expert, title="Afasia ja arki")
    link = services.ensure_links(task=task)["listener"]
    for value in (5, 4, 4, 5, 3):
        answer(link, overall=value, understanding=4, clarity=5, use_in_work=4)
    path = f"/palaute/vastaa/{link.token}/"

    # In Swedish first: the form reads in the phone's language.
    swedish = phone_in(browser, live_server, "sv-SE")
    swedish.goto(path)
    expect(swedish.locator("h1")).to_have_text("Respons från åhörare")
    check.page(swedish, "answer-sv")
    swedish.context.close()

    phone = phone_in(browser, live_server, "fi-FI")
    phone.goto(path)
    expect(phone.locator("h1")).to_have_text("Kuulijapalaute")
    check.page(phone, "answer-form")
    # Sending with answers missing: errors on the fields, the typed comment kept.
    phone.get_by_label("Mikä jäi sinulle erityisesti mieleen?").fill("Rohkea kertomus arjesta.")
    phone.get_by_role("button", name="Lähetä vastaukset").click()
    expect(phone.locator(".form-errors")).to_contain_text("Joitakin vastauksia puuttuu")
    expect(phone.locator(".field-error")).to_have_count(4)
    expect(phone.get_by_label("Mikä jäi sinulle erityisesti mieleen?")).to_have_value(
        "Rohkea kertomus arjesta."
    )
    check.page(phone, "answer-errors")
    for legend, choice in (
        ("Kuinka hyödyllinen", "5 – Erittäin hyödyllinen"),
        ("Sain uutta ymmärrystä", "5 – Täysin samaa mieltä"),
        ("Kokemustoimija kertoi", "4"),
        ("Voin hyödyntää", "5 – Täysin samaa mieltä"),
    ):
        group = phone.locator("fieldset", has=phone.locator("legend", has_text=legend))
        group.get_by_label(choice, exact=True).check()
    phone.get_by_role("button", name="Lähetä vastaukset").click()
    expect(phone.locator("h1")).to_have_text("Kiitos palautteestasi")
    check.page(phone, "answer-thanks")
    phone.goto(path)  # the same browser cannot answer twice
    expect(phone.locator("h1")).to_have_text("Kiitos palautteestasi")
    phone.context.close()

    # The expert signs in and finds the summary of six answers.
    page.goto("/accounts/login/")
    page.fill("input[name=login]", expert_user.email)
    page.fill("input[name=password]", "correct horse battery")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Oma palautteeni").first.click()
    expect(page.locator("h1")).to_have_text("Oma palautteeni")
    check.page(page, "own-feedback")
    page.get_by_role("link", name="Afasia ja arki").click()
    expect(page.locator(".summary .figure").first).to_have_text("4,3")  # (5+4+4+5+3+5)/6
    expect(page.locator(".comments")).to_contain_text("Rohkea kertomus arjesta.")
    check.page(page, "task-feedback")
