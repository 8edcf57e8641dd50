"""Who gets what from the feedback URLs (GET).

Answer links need no login: with a valid listener token everybody gets the form, its QR code
and the printable page. The other pages: anonymous users are sent to the login (302), and
whoever may not see the expert's or the task's feedback gets 404.
"""

import pytest
from django.urls import reverse

from palaute import services
from tests.conftest import ACTORS

from ..pankki.factories import ExpertFactory
from .factories import TaskFactory

OPEN = dict.fromkeys(ACTORS, 200)
NOBODY = dict.fromkeys(ACTORS, 404) | {"anonymous": 302}

MATRIX = {
    "answer": OPEN,
    "qr_png": OPEN,
    "qr_svg": OPEN,
    "handout": OPEN,
    "own": NOBODY | {"expert_user": 200},
    # The task of organisation A's expert, ordered by the orderer's organisation.
    "task": NOBODY | {"planner": 200, "expert_user": 200, "contact_a": 200, "orderer": 200},
    "experts": NOBODY | {"planner": 200, "contact_a": 200, "contact_b": 200},
    "expert": NOBODY | {"planner": 200, "contact_a": 200},
    "ordered": NOBODY | {"orderer": 200},
}
TAKES_TOKEN = {"answer", "qr_png", "qr_svg", "handout"}


@pytest.fixture
def task(expert_user, org_a, orderer_org):
    expert = ExpertFactory(responsible_organisation=org_a, user=expert_user)
    return TaskFactory(expert=expert, orderer_organisation=orderer_org)


def test_matrix_covers_every_actor():
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_actor(actor_client, task, actor, name):
    if name in TAKES_TOKEN:
        args = [services.ensure_links(task=task)["listener"].token]
    elif name == "task":
        args = [task.pk]
    elif name == "expert":
        args = [task.expert.pk]
    else:
        args = []
    response = actor_client(actor).get(reverse(f"palaute:{name}", args=args))
    assert response.status_code == MATRIX[name][actor]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["qr_png", "qr_svg", "handout"])
def test_qr_downloads_exist_only_for_the_listener_link(client, task, name):
    links = services.ensure_links(task=task)
    for kind in ("orderer", "self_evaluation"):
        response = client.get(reverse(f"palaute:{name}", args=[links[kind].token]))
        assert response.status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_posts_to_the_pages_change_nothing(actor_client, task, actor):
    from palaute.models import FeedbackLink

    client = actor_client(actor)
    for name, args in (("own", []), ("task", [task.pk]), ("experts", []), ("ordered", [])):
        response = client.post(reverse(f"palaute:{name}", args=args))
        assert response.status_code in (302, 404, 405)
    assert FeedbackLink.objects.count() == 0
