"""Every URL of the project, for every actor. A new URL without a row here fails the first test."""

from importlib import import_module
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ACTORS

# Third-party URL sets tested through their own behaviour (login, MFA, admin tests below).
DELEGATED_NAMESPACES = {"accounts/", "admin/"}

OPEN = dict.fromkeys(ACTORS, 200)
# name -> expected status per actor for GET
MATRIX = {
    "home": OPEN,
    "access_request": OPEN,
    "accessibility": OPEN,
    "privacy": OPEN,
    "healthz": OPEN,
    # the language switch is a POST; a GET changes nothing and goes back to the front page
    "set_language": dict.fromkeys(ACTORS, 302),
}


def project_url_names():
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) not in DELEGATED_NAMESPACES:
                    inner = f"{pattern.namespace}:" if pattern.namespace else namespace
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


def all_matrices():
    """Each app's permission matrices live beside its tests, in `tests/<app>/test_permissions*.py`
    (a MATRIX keyed by URL name within the app's namespace); this test sees them all."""
    rows = set(MATRIX)
    for path in sorted(Path(__file__).parents[1].glob("*/test_permissions?*.py")):
        module = import_module(f"tests.{path.parent.name}.{path.stem}")
        rows |= {f"{path.parent.name}:{name}" for name in module.MATRIX}
    return rows


def test_every_url_has_a_permission_row():
    assert project_url_names() == all_matrices()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_actor(actor_client, actor, name):
    response = actor_client(actor).get(reverse(name))
    assert response.status_code == MATRIX[name][actor]


def _admin_urls():
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("url_name", ["admin:index", *_admin_urls()])
def test_admin_is_for_planners_only(actor_client, url_name):
    url = reverse(url_name)
    response = actor_client("anonymous").get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    for actor in ACTORS[2:]:
        client = actor_client(actor)
        response = client.get(url, follow=True)
        assert response.status_code == 403, actor
        assert '<a class="skip-link" href="#main">' in response.content.decode()  # our 403 page
        client.logout()
    assert actor_client("planner").get(url).status_code == 200
