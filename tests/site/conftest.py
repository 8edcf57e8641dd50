"""The whole site, crawled once for the package: the demo network (at a small scale) is loaded
inside one transaction that is rolled back at the end, and every role follows every link.

Pages that land later are crawled without editing these tests. A URL the crawl cannot reach
(no page links to it with the demo data) fails tests/site/test_headers.py with what to do.

Each test module here starts with `pytestmark = SITE`: the tests use the database (and run
before the live-server tests, which empty it) and stay in one parallel process (`make test`
uses --dist loadgroup), so the crawl runs once.
"""

import re
import time
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from kotove import demo
from kotove.models import Role, User

from . import states
from .crawler import Crawl

SITE = [pytest.mark.django_db, pytest.mark.xdist_group("site")]

# Demo modules that create many rows name the number COUNT; the crawl needs only a few.
DEMO_COUNT = 30

# URL names the crawl may leave unvisited, each with the reason (healthz and the other URLs
# without arguments are seeds; token links come from the emails queued).
UNREACHABLE: dict[str, str] = {}

# The production values of the cookie settings (tests run with development ones).
PRODUCTION = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
}


def load_demo() -> None:
    demo.load()
    for app in apps.get_app_configs():
        if app.name != "kotove" and find_spec(f"{app.name}.demo"):
            module = import_module(f"{app.name}.demo")
            if isinstance(getattr(module, "COUNT", None), int):
                module.COUNT = min(module.COUNT, DEMO_COUNT)
            module.load()


def add_missing_objects(users: dict) -> list[str]:
    """Objects in the states the demo data lacks (tests/site/states.py); the pages that show
    them, which the crawl visits as every role."""
    return [
        url
        for app in (states.pankki, states.alueet, states.koulutus, states.palaute)
        for url in app(users)
    ]


def role_users() -> dict[str, User | None]:
    """One demo user per role, and anonymous."""
    users = {"anonymous": None}
    for email, *_rest, kind, _scope, _name in demo.DEMO_USERS:
        users.setdefault(str(kind), User.objects.get(email=email))
    assert set(users) - {"anonymous"} == {str(kind) for kind in Role.Kind}
    return users


def run_beat() -> None:
    """Every periodic task once, as Celery beat would run them: the emails they queue (feedback
    links, reminders, alerts) hold links to pages no other page links to."""
    from django.conf import settings

    from kotove.celery import app as celery_app

    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.tasks"):
            import_module(f"{config.name}.tasks")  # registers the app's tasks
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        celery_app.tasks[entry["task"]].apply()


def email_links() -> list[str]:
    """The site's addresses in the outbox's emails."""
    from django.conf import settings

    from kotove.models import OutboundEmail

    pattern = re.compile(re.escape(settings.SITE_URL) + r"(/[^\s<>\"')]*)")
    return [
        match
        for body in OutboundEmail.objects.values_list("body", flat=True)
        for match in pattern.findall(body)
    ]


def seeds() -> list[str]:
    """The front page, every URL that takes no arguments and the links in emails."""
    from tests.kotove.test_permissions import project_url_names

    urls = ["/"]
    for name in sorted(project_url_names()):
        try:
            urls.append(reverse(name))
        except Exception:  # noqa: S112 - it takes arguments: reached through links
            continue
    return [*urls, "/admin/", "/accounts/login/", "/accounts/email/", *email_links()]


@pytest.fixture(scope="package")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The crawl of the demo site as every role (tests/site/crawler.py)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(**PRODUCTION, MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            load_demo()
            users = role_users()
            extra = add_missing_objects(users)
            run_beat()
            # Give the planner the statistics a live database has: autovacuum never sees
            # this transaction's rows, and plans made for empty tables can take minutes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            clients = {}
            for role, user in users.items():
                clients[role] = Client(HTTP_ACCEPT_LANGUAGE="fi")
                if user is not None:
                    clients[role].force_login(user)
            loaded = time.monotonic()
            crawl = Crawl().run(clients, seeds(), states=extra)
            print(
                f"site: demo data in {loaded - started:.0f} s, {len(crawl.visits)} pages in "
                f"{time.monotonic() - loaded:.0f} s"
            )
            crawl.clients = clients
            yield crawl
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
