"""Who gets what from the record keeping and own-profile URLs (GET).

Anonymous users are sent to the login (302). Pages for planners and organisation contacts
answer 404 to everybody else; own-profile pages answer 404 to users without an expert record.
POST-only URLs answer 405 to a GET from someone who may use them (checked after access).
"""

import pytest
from django.urls import reverse

from tests.conftest import ACTORS

from .factories import ExpertFactory

NOBODY = dict.fromkeys(ACTORS, 404) | {"anonymous": 302}


def _managers(planner, contact_a, contact_b):
    return NOBODY | {"planner": planner, "contact_a": contact_a, "contact_b": contact_b}


def _expert(status):
    return NOBODY | {"expert_user": status}


MATRIX = {
    "records": _managers(200, 200, 200),
    "record_create": _managers(200, 200, 200),
    "record_confirm": _managers(405, 405, 405),
    "record_import": _managers(200, 200, 200),
    # The expert of organisation A: organisation B's contact gets 404.
    "record_edit": _managers(200, 200, 404),
    "record_status": _managers(405, 405, 405),
    "record_consent": _managers(405, 405, 405),
    "record_invite": _managers(405, 405, 405),
    "own_profile": _expert(200),
    "own_consent": _expert(405),
    "own_data": _expert(200),
}
TAKES_PK = {"record_edit", "record_status", "record_consent", "record_invite"}


@pytest.fixture
def expert_a(expert_user, org_a):
    """An expert of organisation A, linked to the expert user."""
    return ExpertFactory(responsible_organisation=org_a, user=expert_user)


def test_matrix_covers_every_actor():
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_actor(actor_client, expert_a, actor, name):
    args = [expert_a.pk] if name in TAKES_PK else []
    url = reverse(f"pankki:{name}", args=args)
    response = actor_client(actor).get(url)
    assert response.status_code == MATRIX[name][actor]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))
