"""Annual reports in a real browser: an organisation contact asks for their organisation's
report and reads it on screen (Finnish and Swedish); the planner's page follows a build with
its script until the figures appear."""

from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from playwright.sync_api import expect

from palaute import report_services
from palaute.models import Report
from tests.palaute.report_factories import YEAR, build_network

from .conftest import csp_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shipped_rows(_reference_data):
    """Live-server tests end with a flush; reload the vocabularies and the shipped forms."""
    from django.apps import apps

    from kotove.models import MemberOrganisation
    from pankki import vocabulary
    from pankki.models import Audience, LifeSituation, TaskType, Theme

    vocabulary.load(TaskType, Audience, LifeSituation, Theme, MemberOrganisation)
    import_module("palaute.migrations.0002_shipped_forms").create_forms(apps, None)


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct horse battery")
    page.press("input[name=password]", "Enter")
    authenticator = Authenticator.objects.get(user=user, type="recovery_codes")
    page.fill("input[name=code]", RecoveryCodes(authenticator).get_unused_codes()[0])
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()


def test_a_contact_asks_for_their_organisations_report_and_reads_it(
    browser, live_server, page, check, contact_a, org_a
):
    build_network()
    sign_in(page, contact_a)
    page.get_by_role("link", name="Vuosiraportit").first.click()
    expect(page.locator("h1")).to_have_text("Vuosiraportit")
    # Only their own organisation can be chosen.
    expect(page.locator("#id_covers option")).to_have_text(["Aivoliitto"])
    check.page(page, "report-list")
    page.get_by_label("Vuosi").select_option(str(YEAR))
    page.get_by_role("button", name="Koosta raportti").click()
    # The build runs as the request commits (Celery runs eagerly in tests).
    expect(page.locator("h1")).to_have_text(f"Vuosiraportti {YEAR}: Aivoliitto")
    expect(page.get_by_role("link", name="Taulukkotiedosto (XLSX)")).to_be_visible()
    table = page.locator("#table-tasks_summary")
    expect(table.get_by_role("row", name="Pidetyt tehtävät")).to_contain_text("5")
    expect(page.locator("svg.chart").first).to_have_attribute("role", "img")
    check.page(page, "report-fi")

    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    violations = csp_violations(context)
    # The session only: signing in set the Finnish user's language cookie, and this browser
    # asks for Swedish.
    context.add_cookies(
        [c for c in page.context.cookies() if c["name"] != settings.LANGUAGE_COOKIE_NAME]
    )
    swedish = context.new_page()
    swedish.goto("/palaute/raportit/")
    expect(swedish.locator("h1")).to_have_text("Årsrapporter")
    swedish.locator("#id_year").select_option(str(YEAR))
    swedish.get_by_label("Rapportens språk").select_option("sv")
    swedish.get_by_role("button", name="Sammanställ rapporten").click()
    expect(swedish.locator("h1")).to_have_text(f"Årsrapport {YEAR}: Hjärnförbundet")
    expect(swedish.locator("article.report")).to_have_attribute("lang", "sv")
    expect(swedish.locator("#s-tasks")).to_have_text("Uppdrag")
    check.page(swedish, "report-sv")
    context.close()
    assert not violations


def test_the_planners_page_follows_the_build_with_javascript(page, check, planner):
    report = Report.objects.create(year=YEAR - 8, scope="network", for_planner=True)
    sign_in(page, planner)
    page.goto(f"/palaute/raportit/{report.pk}/")
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_role("link", name="Päivitä tilanne")).to_be_visible()
    check.page(page, "report-progress")
    report_services.build_report(report_id=report.pk)  # the worker's part
    # The page's script notices and shows the finished report without a click.
    expect(page.get_by_role("heading", name="Tiedostot")).to_be_visible(timeout=30_000)
    expect(page.locator(".report-note").first).to_contain_text("ei ole tietoja")
