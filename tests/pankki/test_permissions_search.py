"""Permission matrix for the search side of the bank (see tests/kotove/test_permissions.py)."""

import pytest
from django.urls import reverse

from tests.conftest import ACTORS

from .test_search import expert

SEARCHERS = dict.fromkeys(ACTORS, 200) | {"anonymous": 302, "expert_user": 404}
MATRIX = {
    "search": SEARCHERS,
    "expert": SEARCHERS,
    # the expert in this matrix has no photo: 404 for everyone signed in
    "expert_photo": dict.fromkeys(ACTORS, 404) | {"anonymous": 302},
    "saved_searches": SEARCHERS,
    # POST only: GET is refused for everyone signed in; the owner check is in test_search.py
    "delete_saved_search": dict.fromkeys(ACTORS, 405) | {"anonymous": 302},
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_search_url_answers_each_actor(actor_client, planner, actor, name):
    args = {
        "expert": [expert(planner, "Näkyvä").pk],
        "expert_photo": [expert(planner, "Kuvaton").pk],
        "delete_saved_search": [1],
    }.get(name, [])
    response = actor_client(actor).get(reverse(f"pankki:{name}", args=args))
    assert response.status_code == MATRIX[name][actor]
    if response.status_code == 302:
        assert response.url.startswith(reverse("account_login"))
