"""What feedback adds to the pages of the bank and of training, through kotove.hooks."""

import pytest
from django.urls import reverse
from django.utils import translation

from ..pankki.factories import ExpertFactory
from .factories import TaskFactory


@pytest.fixture
def task(expert_user, org_a, orderer_org):
    expert = ExpertFactory(responsible_organisation=org_a, user=expert_user)
    return TaskFactory(expert=expert, orderer_organisation=orderer_org)


@pytest.mark.parametrize("actor", ["expert_user", "contact_a", "orderer", "planner"])
def test_task_page_links_to_its_feedback(actor_client, task, actor):
    response = actor_client(actor).get(reverse("pankki:task_detail", args=[task.pk]))
    feedback = reverse("palaute:task", args=[task.pk])
    assert f'<a href="{feedback}">Palaute tästä keikasta ja sen vastauslinkit</a>' in (
        response.content.decode()
    )
    assert actor_client(actor).get(feedback).status_code == 200


def test_task_page_shows_no_feedback_link_without_access(client, task, expert_user):
    from palaute.hooks import task_links
    from tests.factories import UserFactory

    translation.activate("en")
    assert task_links(user=UserFactory(), task=task) == []
    assert task_links(user=expert_user, task=task) == [
        ("Feedback on this task and its answer links", reverse("palaute:task", args=[task.pk]))
    ]
