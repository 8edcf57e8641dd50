"""Who gets what from every training URL (GET).

Anonymous users are sent to the login (302) from pages that need one; public pages answer
everybody. Pages a user may not use answer 404, also for another organisation's application.
POST-only URLs answer 405 to a GET from someone who may use them (access is checked first).
Refused writes are tested beside each feature (the database unchanged).
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from koulutus.models import Application, RecognitionApplication, RecognitionAttachment
from tests.conftest import ACTORS

from .factories import ApplicationFactory, CourseFactory, add_sessions, assignment, days_from_today

OPEN = dict.fromkeys(ACTORS, 200)
NOBODY = dict.fromkeys(ACTORS, 404) | {"anonymous": 302}
SIGNED_IN = dict.fromkeys(ACTORS, 200) | {"anonymous": 302}


def only(**allowed):
    return NOBODY | allowed


MATRIX = {
    # public
    "courses": OPEN,
    "course": OPEN,
    "course_ics": OPEN,
    "apply": OPEN,
    "application_status": OPEN,  # the secret token is the key
    "application_certificate": OPEN,
    # signed in
    "my_courses": SIGNED_IN,
    "course_create": only(
        planner=200, contact_a=200, contact_b=200, secretary_x=200, secretary_y=200
    ),
    "course_edit": only(planner=200),
    # organisation contacts: the application is organisation A's
    "applications": only(contact_a=200, contact_b=200),
    "application": only(contact_a=200),
    "application_interview": only(contact_a=405),
    "application_decide": only(contact_a=405),
    # the course's coordinator and trainers (and planners)
    "course_manage": only(planner=200),
    "course_confirm_places": only(planner=405),
    "course_offer_places": only(planner=405),
    "attendance": only(planner=200),
    "assignments": only(planner=200),
    "participant": only(planner=200),
    "participant_practice_lecture": only(planner=405),
    "participant_complete": only(planner=405),
    "participant_cancel": only(planner=405),
    # the participant themself (expert_user), their contact and who manages the course
    "certificate": only(planner=200, contact_a=200, expert_user=200),
    # recognition on special grounds: organisation A's application
    "recognitions": only(planner=200, contact_a=200, contact_b=200, national_member=200),
    "recognition_create": only(contact_a=200, contact_b=200),
    "recognition": only(planner=200, contact_a=200, national_member=200),
    "recognition_decide": only(national_member=405),
    "recognition_attachment": only(planner=200, contact_a=200, national_member=200),
}


@pytest.fixture
def world(org_a, expert_user, contact_a, settings):
    course = CourseFactory()
    session = add_sessions(course, [(days_from_today(20), "9:00", "16:00")])[0]
    assignment(course)
    pending = ApplicationFactory(course=course, organisation=org_a)
    completed = ApplicationFactory(
        course=course,
        organisation=org_a,
        user=expert_user,
        status=Application.Status.CONFIRMED,
        completed_on=timezone.localdate(),
    )
    recognition = RecognitionApplication.objects.create(
        organisation=org_a,
        first_name="Riitta",
        last_name="Rinne",
        email="riitta@example.fi",
        home_municipality=pending.home_municipality,
        experience_kind="own",
        grounds="Sairaalan kokemusasiantuntijakoulutus 2019.",
        submitted_by=contact_a,
    )
    attachment = RecognitionAttachment.objects.create(
        application=recognition,
        file=ContentFile(b"%PDF-1.4 todistus", name="todistus.pdf"),
        original_name="todistus.pdf",
        content_type="application/pdf",
        size=17,
    )
    return {
        "course": course,
        "session": session,
        "pending": pending,
        "completed": completed,
        "recognition": recognition,
        "attachment": attachment,
    }


def url_for(name, world):
    course, completed = world["course"], world["completed"]
    recognition = world["recognition"]
    args = {
        "course": [course.pk],
        "course_ics": [course.pk],
        "apply": [course.pk],
        "application_status": [world["pending"].token],
        "application_certificate": [completed.token],
        "course_edit": [course.pk],
        "application": [world["pending"].pk],
        "application_interview": [world["pending"].pk],
        "application_decide": [world["pending"].pk],
        "course_manage": [course.pk],
        "course_confirm_places": [course.pk],
        "course_offer_places": [course.pk],
        "attendance": [course.pk, world["session"].pk],
        "assignments": [course.pk],
        "participant": [course.pk, completed.pk],
        "participant_practice_lecture": [course.pk, completed.pk],
        "participant_complete": [course.pk, completed.pk],
        "participant_cancel": [course.pk, completed.pk],
        "certificate": [completed.pk],
        "recognition": [recognition.pk],
        "recognition_decide": [recognition.pk],
        "recognition_attachment": [recognition.pk, world["attachment"].pk],
    }.get(name, [])
    return reverse(f"koulutus:{name}", args=args)


def test_matrix_covers_every_actor():
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_actor(actor_client, world, name):
    """All actors in one test per URL: the world is built once for them."""
    url = url_for(name, world)
    for actor in ACTORS:
        client = actor_client(actor)
        response = client.get(url)
        assert response.status_code == MATRIX[name][actor], (actor, response.content[:300])
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))
        client.logout()
