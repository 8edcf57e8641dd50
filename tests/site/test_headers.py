"""Every page of the site, for every role, carries the security headers (tests/site/headers.py),
and every URL of the project is reached by the crawl or listed in UNREACHABLE with a reason."""

from tests.kotove.test_permissions import project_url_names

from .conftest import SITE, UNREACHABLE
from .headers import check_headers

pytestmark = SITE


def test_every_response_has_the_security_headers(site):
    problems = [
        f"{visit.role} GET {visit.url} ({visit.status}): {problem}"
        for visit in site.visits
        for problem in check_headers(visit.response, secure=True)
    ]
    assert not problems, "\n".join(problems)


def test_every_url_is_reached(site):
    reached = site.reached()
    missing = sorted(project_url_names() - reached - set(UNREACHABLE))
    assert not missing, (
        "The site crawl (tests/site/) reached no page of: "
        + ", ".join(missing)
        + ". Give the app's demo.py an object the page shows and link the page from another "
        "(a list, the navigation); for an object in a state the demo data lacks (a draft, a "
        "decision to make), add it and the page that shows it in tests/site/states.py; a page "
        "only an email links to is reached when the email is queued there. Only if none of "
        "this can work, add the URL name to UNREACHABLE in tests/site/conftest.py with the "
        "reason."
    )
