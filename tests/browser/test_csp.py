"""Under the strict Content-Security-Policy the pages still work in a real browser: the Django
admin with its widgets, allauth's account and second-factor pages, our scripts.

The `page` fixture fails a test on any CSP violation in the console (tests/browser/conftest.py);
the first test shows that the guard sees one.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import expect

from kotove.models import Role
from tests.conftest import make_actor
from tests.pankki.factories import ExpertFactory

from .conftest import csp_violations

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, user, *, code=True):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct horse battery")
    page.press("input[name=password]", "Enter")
    if code:
        authenticator = Authenticator.objects.get(user=user, type="recovery_codes")
        page.fill("input[name=code]", RecoveryCodes(authenticator).get_unused_codes()[0])
        page.press("input[name=code]", "Enter")
    page.wait_for_load_state()


def test_the_guard_sees_an_inline_style(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    violations = csp_violations(context)
    page = context.new_page()
    page.goto("/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(100)
    context.close()
    assert violations and "style-src" in violations[0]


def test_admin_widgets_work_under_the_policy(page, planner, org_a):
    expert = ExpertFactory(responsible_organisation=org_a)
    sign_in(page, planner)
    page.goto(f"/admin/pankki/expert/{expert.pk}/change/")
    page.click(".field-home_municipality .select2-selection")  # autocomplete (select2)
    page.keyboard.type("Tamp")
    expect(page.locator(".select2-results__option", has_text="Tampere").first).to_be_visible()
    page.keyboard.press("Enter")
    page.click("#calendarlink0")  # the date picker
    expect(page.locator("#calendarbox0")).to_be_visible()
    page.click("#calendarbox0 .calendarnav-next")
    page.keyboard.press("Escape")
    page.select_option("#id_travel_regions_from", index=0)  # filter_horizontal
    page.click("#id_travel_regions_add")
    expect(page.locator("#id_travel_regions_to option")).to_have_count(1)
    with page.expect_popup() as popup:  # the related-object popup
        page.click("#add_id_responsible_organisation")
    popup.value.wait_for_load_state()
    expect(popup.value.locator("#memberorganisation_form")).to_be_visible()
    popup.value.close()
    # the planner's personal data pages and the filtered audit log
    page.goto(f"/admin/pankki/expert/{expert.pk}/henkilotiedot/")
    expect(page.locator("#content-main table")).to_be_visible()
    page.goto(f"/admin/pankki/expert/{expert.pk}/henkilotiedot/poista/")
    page.goto(f"/admin/pankki/expert/{expert.pk}/change/")
    page.get_by_role("link", name=re.compile("Kuka on nähnyt|Who has seen")).click()
    expect(page.locator("#result_list")).to_be_visible()
    page.goto("/admin/kotove/auditevent/?q=expert")
    page.goto("/admin/")
    expect(page.locator("#content-main")).to_be_visible()


def test_account_and_second_factor_pages_work_under_the_policy(page, planner, org_a):
    # a contact who has not enrolled yet sees the QR code (a data: image)
    contact = make_actor(Role.Kind.ORGANISATION_CONTACT, member_organisation=org_a, mfa=False)
    sign_in(page, contact, code=False)
    if "reauthenticate" in page.url:
        page.fill("input[name=password]", "correct horse battery")
        page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    qr = page.locator("img").first
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", qr.element_handle()) > 0
    page.goto("/accounts/logout/")
    page.locator("main form button").click()

    sign_in(page, planner)
    for path in ("/accounts/email/", "/accounts/2fa/", "/accounts/password/change/"):
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
    page.goto("/accounts/2fa/recovery-codes/")  # asks for the password again
    page.fill("input[name=password]", "correct horse battery")
    page.press("input[name=password]", "Enter")
    expect(page.locator("main")).to_contain_text(re.compile(r"\d{8}"))


def test_search_script_works_under_the_policy(page, orderer, planner):
    ExpertFactory(consent=True, first_name="Linnea", languages=["sv"])
    sign_in(page, orderer, code=False)
    page.goto("/pankki/")
    page.locator("input[name=language][value=sv]").check()
    expect(page).to_have_url(re.compile("language=sv"))  # updated by fetch, no reload
    expect(page.locator("#results")).to_contain_text("Linnea")
