"""Who gets what from the request and task URLs, and refused writes that change nothing.

The request and the task belong to the orderer's organisation and to an expert of organisation
A who is the expert user: organisation B's contact, the steering groups and other orderers and
experts get 404. Planners read everything (and answer nothing). Anonymous users go to the
login. POST-only URLs answer 405 to a GET from someone who may follow requests at all.
"""

import pytest
from django.urls import reverse

from kotove.models import OutboundEmail, Role
from pankki.models import Expert, RequestAnswer, Task, TaskRequest
from tests.conftest import ACTORS, make_actor
from tests.factories import OrdererOrganisationFactory

from .factories import ExpertFactory
from .task_factories import TaskFactory, TaskRequestFactory, in_days

NOBODY = dict.fromkeys(ACTORS, 404) | {"anonymous": 302}
FOLLOWERS = ("planner", "contact_a", "contact_b", "orderer", "expert_user")


def _row(status, **overrides):
    return NOBODY | dict.fromkeys(FOLLOWERS, status) | overrides


MATRIX = {
    "requests": _row(200),
    "tasks": _row(200),
    "request_create": NOBODY | {"orderer": 200},
    "request_detail": _row(200, contact_b=404),
    "task_detail": _row(200, contact_b=404),
    "request_answer": _row(405),
    "request_withdraw": _row(405),
    "task_cancel": _row(405),
    "task_done": _row(405),
    "task_record": NOBODY | {"contact_a": 200, "contact_b": 200, "expert_user": 200},
}


@pytest.fixture
def expert_a(expert_user, org_a):
    return ExpertFactory(
        responsible_organisation=org_a,
        user=expert_user,
        consent=True,
        contact_visibility=Expert.ContactVisibility.DIRECT,
    )


@pytest.fixture
def sent(expert_a, orderer, orderer_org):
    """A pending request to expert A and an agreed task of theirs for the orderer, today."""
    task_request = TaskRequestFactory(
        orderer_organisation=orderer_org, created_by=orderer, date=in_days(0), experts=[expert_a]
    )
    task = TaskFactory(
        expert=expert_a, orderer_organisation=orderer_org, orderer_user=orderer, date=in_days(0)
    )
    return task_request, task_request.answers.get(), task


def _args(name, sent):
    task_request, answer, task = sent
    return {
        "request_detail": [task_request.pk],
        "request_withdraw": [task_request.pk],
        "request_answer": [answer.pk],
        "task_detail": [task.pk],
        "task_cancel": [task.pk],
        "task_done": [task.pk],
    }.get(name, [])


def test_matrix_covers_every_actor():
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())


@pytest.mark.parametrize("actor", ACTORS)
def test_urls_answer_the_actor(actor_client, sent, actor):
    client = actor_client(actor)
    for name in sorted(MATRIX):
        url = reverse(f"pankki:{name}", args=_args(name, sent))
        if name == "request_create":
            url += f"?expert={sent[1].expert_id}"
        response = client.get(url)
        assert response.status_code == MATRIX[name][actor], name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))


@pytest.fixture
def other_orderer(db):
    return make_actor(Role.Kind.ORDERER, orderer_organisation=OrdererOrganisationFactory())


@pytest.fixture
def other_expert(db, org_a):
    user = make_actor(Role.Kind.EXPERT)
    ExpertFactory(responsible_organisation=org_a, user=user, consent=True)
    return user


def _state():
    return (
        list(TaskRequest.objects.values_list("pk", flat=True)),
        list(RequestAnswer.objects.values_list("pk", "status", "message", "answered_at")),
        list(Task.objects.values_list("pk", "status", "cancel_reason", "done_at", "audience_size")),
        OutboundEmail.objects.count(),
    )


POSTS = {
    "request_answer": {"answer-{pk}-decision": "accept", "answer-{pk}-message": "Sopii!"},
    "request_withdraw": {"reason": "Ei tarvita"},
    "task_cancel": {"cancel_reason": "Sairastuin"},
    "task_done": {"audience_size": "40"},
}
# Who may not write: on the answer, the orderer's side too; on the withdrawal, the expert's.
REFUSED = {
    "request_answer": ["orderer", "planner", "contact_b", "other_orderer", "other_expert"],
    "request_withdraw": ["expert_user", "contact_a", "planner", "contact_b", "other_orderer"],
    "task_cancel": ["planner", "contact_b", "other_orderer", "other_expert", "secretary_x"],
    "task_done": ["planner", "contact_b", "other_orderer", "other_expert", "national_member"],
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_writes_are_404_and_change_nothing(request, client, sent, mailoutbox, name):
    data = {key.format(pk=sent[1].pk): value for key, value in POSTS[name].items()}
    before = _state()
    for actor in REFUSED[name]:
        client.force_login(request.getfixturevalue(actor))
        response = client.post(reverse(f"pankki:{name}", args=_args(name, sent)), data)
        assert response.status_code == 404, actor
    assert _state() == before
    assert mailoutbox == []


@pytest.mark.parametrize("name", sorted(POSTS))
def test_anonymous_write_goes_to_login_and_changes_nothing(client, sent, name):
    before = _state()
    response = client.post(reverse(f"pankki:{name}", args=_args(name, sent)), {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert _state() == before


def test_other_orderer_and_other_expert_see_none_of_it(client, sent, other_orderer, other_expert):
    task_request, _answer, task = sent
    for user in (other_orderer, other_expert):
        client.force_login(user)
        for name, pk in (("request_detail", task_request.pk), ("task_detail", task.pk)):
            assert client.get(reverse(f"pankki:{name}", args=[pk])).status_code == 404
        assert task_request.title not in client.get(reverse("pankki:requests")).content.decode()
        assert task.title not in client.get(reverse("pankki:tasks")).content.decode()


def test_contact_b_lists_nothing_of_organisation_a(client, sent, contact_b):
    client.force_login(contact_b)
    assert sent[0].title not in client.get(reverse("pankki:requests")).content.decode()
    assert sent[2].title not in client.get(reverse("pankki:tasks")).content.decode()


def test_orderer_cannot_request_an_expert_who_is_not_searchable(client, orderer, org_a):
    hidden = ExpertFactory(responsible_organisation=org_a)  # no consent
    client.force_login(orderer)
    response = client.get(reverse("pankki:request_create") + f"?expert={hidden.pk}")
    assert response.status_code == 302
    assert response["Location"] == reverse("pankki:search")
