"""Journeys of the foundation: asking for an account, signing in with a second factor."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import expect

from kotove.models import AccessRequest, Role
from tests.conftest import make_actor

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, name, limit=60, field=False):
    """Press Tab until the focused element's accessible name matches, like a keyboard user;
    with `field`, only a form field's (past the error summary's links named like them)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(field) => { const e = document.activeElement; const labelled = e.labels && e.labels[0];"
            " if (field && !labelled) return ''; return (labelled ? e.labels[0].innerText : e.innerText || e.value || '').trim() }",
            field,
        )
        if re.search(name, focused or ""):
            return
    raise AssertionError(f"could not reach {name!r} with Tab")


def test_orderer_asks_for_an_account_with_keyboard_only(page, check):
    page.goto("/")
    check.page(page, "front")
    tab_to(page, "Pyydä tilaajatunnus|Ask for an orderer account")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_count(1)
    check.page(page, "form")

    tab_to(page, "Lähetä pyyntö|Send the request")
    page.keyboard.press("Enter")
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    check.page(page, "form-errors")

    page.locator("#id_name").focus()
    page.keyboard.type("Terhi Tilaaja")
    page.keyboard.press("Tab")
    page.keyboard.type("terhi@hyvinvointialue.fi")
    page.keyboard.press("Tab")
    page.keyboard.type("Pirkanmaan hyvinvointialue")
    page.keyboard.press("Tab")
    page.keyboard.type("Opiskelijaryhmien opetus")
    tab_to(page, "Lähetä pyyntö|Send the request")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()
    check.page(page, "sent")
    assert AccessRequest.objects.get().email == "terhi@hyvinvointialue.fi"


def test_contact_signs_in_with_recovery_code_using_keyboard(page, check):
    org = Role._meta.get_field("member_organisation").related_model.objects.get(
        name_fi="Aivoliitto"
    )
    user = make_actor(Role.Kind.ORGANISATION_CONTACT, member_organisation=org)
    code = RecoveryCodes(
        Authenticator.objects.get(user=user, type="recovery_codes")
    ).get_unused_codes()[0]

    page.goto("/accounts/login/")
    check.page(page, "login")
    tab_to(page, "Sähköposti|Email")
    page.keyboard.type(user.email)
    tab_to(page, "Salasana|Password")
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    check.page(page, "second-factor")
    page.keyboard.press("Tab")
    page.locator("input[name=code]").focus()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(user.first_name)
    check.page(page, "home")


def test_pages_in_swedish_pass_the_checks(page, check):
    page.goto("/")
    page.select_option("#language-select", "sv")
    page.locator(".language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    for path in ("/", "/pyyda-tunnukset/", "/saavutettavuus/", "/tietosuoja/", "/accounts/login/"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        check.page(page, path.strip("/").replace("/", "-") or "front")
