"""Real Chromium (Debian's) driven by Playwright against Django's live server.

Locally the browser tests are skipped, with a clear message, when Chromium is missing; under
CI=true a missing browser fails the run. Screenshots go to test-artifacts/screenshots/.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The innermost elements that reach past the viewport's right edge, to name them on failure.
WIDEST = """[...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
    + ' ' + (e.textContent || '').trim().slice(0, 40))"""
# Playwright's sync API keeps an event loop in the test thread for the whole session; the ORM
# calls made there are still ordinary blocking calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(f"CI=true but Chromium is missing at {CHROMIUM}.")
        skip = pytest.mark.skip(reason=f"SKIPPED: Chromium not found at {CHROMIUM}")
        for item in browser_items:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not Path(CHROMIUM).exists() and os.environ.get("CI") != "true":
        terminalreporter.write_line(
            f"Browser tests were SKIPPED: no Chromium at {CHROMIUM} (apt-get install chromium).",
            yellow=True,
        )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a fresh, empty user-data dir of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Live-server tests commit, and each ends with a flush; reload what migrations loaded."""
    from kotove import reference
    from kotove.models import Area, MemberOrganisation, Municipality, Region
    from pankki import vocabulary
    from pankki.models import Audience, LifeSituation, TaskType, Theme

    reference.load_regions_and_municipalities(Region, Municipality)
    reference.load_areas_and_organisations(Region, Area, MemberOrganisation)
    vocabulary.load(TaskType, Audience, LifeSituation, Theme, MemberOrganisation)


def csp_violations(context) -> list[str]:
    """Every Content-Security-Policy violation any page of the context reports in its console:
    each journey fails on one (an inline script or style, a foreign resource)."""
    violations = []

    def listen(page):
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    context.on("page", listen)
    return violations


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fi-FI"
    )
    violations = csp_violations(context)
    page = context.new_page()
    yield page
    context.close()
    assert not violations, "\n".join(violations)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    violations = csp_violations(context)
    page = context.new_page()
    yield page
    context.close()
    assert not violations, "\n".join(violations)


class Checks:
    """What every page a journey visits must pass."""

    axe = Axe()

    def __init__(self, name):
        self.name = name
        self.count = 0

    def page(self, page, label: str):
        page.wait_for_load_state()  # a click's navigation may still be replacing the document
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{label}: {results.generate_report()}"
        self.reflow(page, label)
        self.count += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=ARTIFACTS / f"{self.name}-{self.count:02d}-{label}.png", full_page=True
        )

    @staticmethod
    def reflow(page, label):
        """No horizontal scrolling at 320 px, nor at 200% zoom (a 640 px wide CSS viewport)."""
        original = page.viewport_size
        for width in (320, 640):
            page.set_viewport_size({"width": width, "height": 800})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                page.screenshot(path=ARTIFACTS / f"overflow-{label}-{width}.png", full_page=True)
            assert overflow <= 0, (
                f"{label}: {overflow}px horizontal scroll at {width}px, past the edge: "
                f"{page.evaluate(WIDEST)}"
            )
        page.set_viewport_size(original)


@pytest.fixture
def check(request):
    return Checks(request.node.name.replace("[", "-").replace("]", ""))
