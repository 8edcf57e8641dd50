"""An organisation contact's record page passes the checks (axe, reflow at 320 px and 200%
zoom) in Finnish and Swedish, with a long confirmer's name in its summary."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kotove.models import MemberOrganisation, Role
from pankki.models import Expert
from tests.conftest import make_actor

from .test_bank_journeys import listed
from .test_steering_group_pages import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("locale", ["fi-FI", "sv-FI"])
def test_the_record_page_fits_a_narrow_screen(browser, live_server, check, planner, locale):
    contact = make_actor(
        Role.Kind.ORGANISATION_CONTACT,
        member_organisation=MemberOrganisation.objects.get(name_fi="Aivoliitto"),
    )
    planner.first_name, planner.last_name = "Annemarie", "Kuusisto-Lindqvist"
    planner.save()
    expert = listed(planner, "Pekka", "Tampere", ["fi", "sv"])
    Expert.objects.filter(pk=expert.pk).update(confirmed_at=timezone.now(), confirmed_by=planner)

    context = signed_in(browser, live_server, contact, locale=locale)
    page = context.new_page()
    page.goto(f"/pankki/omat/{expert.pk}/")
    expect(page.locator("h1")).to_have_text("Pekka Esimerkki")
    check.page(page, f"record-{locale}")
    context.close()
