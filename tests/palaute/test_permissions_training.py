"""Who gets what from the feedback URLs on training: only those who manage the course (its
coordinator, the planner) see its course feedback and run its practice lecture evaluation;
anonymous users are sent to the login, everyone else gets 404, and a refused POST changes
nothing. Trainers record attendance but do not evaluate (tests/palaute/test_practice_lecture.py)."""

import pytest
from django.urls import reverse

from kotove.models import AuditEvent
from palaute.models import FeedbackLink
from tests.conftest import ACTORS

from ..koulutus.factories import CourseFactory, add_sessions, days_from_today, participant

NOBODY = dict.fromkeys(ACTORS, 404) | {"anonymous": 302}
MATRIX = {
    "course": NOBODY | {"planner": 200},
    "lecture": NOBODY | {"planner": 200},
}


@pytest.fixture
def world(db):
    course = CourseFactory()
    add_sessions(course, [(days_from_today(-2), "9:00", "16:00")])
    return course, participant(course)


def url(name, world):
    course, application = world
    args = [course.pk] if name == "course" else [course.pk, application.pk]
    return reverse(f"palaute:{name}", args=args)


def test_matrix_covers_every_actor():
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_actor(actor_client, world, name):
    for actor in ACTORS:
        response = actor_client(actor).get(url(name, world))
        assert response.status_code == MATRIX[name][actor], actor
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))
        actor_client(actor).logout()


def test_refused_posts_change_nothing(actor_client, world):
    data = {"evaluators": "Outi Opettaja", "lecture_on": days_from_today(-2)}
    for actor in ACTORS:
        if MATRIX["lecture"][actor] == 200:
            continue
        response = actor_client(actor).post(url("lecture", world), data)
        assert response.status_code == MATRIX["lecture"][actor], actor
        actor_client(actor).logout()
    assert not FeedbackLink.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="feedback.").exists()
    response = actor_client("planner").post(url("lecture", world), data)
    assert response.status_code == 302
    assert FeedbackLink.objects.get().evaluator_name == "Outi Opettaja"
