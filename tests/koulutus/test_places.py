"""The coordinator's places, the waiting list and its offers, cancelled places. Emails at each
step."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from kotove.models import OutboundEmail
from koulutus import services
from koulutus.models import Application

from .factories import ApplicationFactory, CourseFactory, add_sessions, days_from_today, participant

pytestmark = pytest.mark.django_db
Status = Application.Status


def emails_to(address):
    return list(OutboundEmail.objects.filter(to=address).order_by("created_at", "pk"))


def test_coordinator_confirms_places_up_to_capacity(client):
    course = CourseFactory(capacity=2)
    participant(course)
    first, second = (ApplicationFactory(course=course, status=Status.SELECTED) for _ in range(2))
    client.force_login(course.coordinator)
    url = reverse("koulutus:course_confirm_places", args=[course.pk])
    response = client.post(url, {"applications": [first.pk, second.pk]})
    assert "only 1 places are free" in response.content.decode()
    assert Application.objects.filter(status=Status.CONFIRMED).count() == 1
    assert OutboundEmail.objects.count() == 0

    client.post(url, {"applications": [first.pk]})
    first.refresh_from_db()
    assert first.status == Status.CONFIRMED
    assert "confirmed" in emails_to(first.email)[0].subject or emails_to(first.email)[0].subject


def test_coordinator_sees_selected_across_organisations_but_not_their_experience(client, org_b):
    course = CourseFactory()
    a = ApplicationFactory(course=course, status=Status.SELECTED)
    b = ApplicationFactory(course=course, status=Status.SELECTED, organisation=org_b)
    # Not yet decided by its organisation; a surname no generated applicant has.
    hidden = ApplicationFactory(course=course, last_name="Odottamaton")
    client.force_login(course.coordinator)
    response = client.get(reverse("koulutus:course_manage", args=[course.pk]))
    assert set(response.context["selected"]) == {a, b}
    content = response.content.decode()
    assert a.experience not in content
    assert hidden.last_name not in content


def _waiting(course, count):
    applications = []
    for n in range(count):
        applications.append(
            ApplicationFactory(
                course=course,
                status=Status.WAITING_LIST,
                decided_at=timezone.now() + datetime.timedelta(minutes=n),
            )
        )
    return applications


def test_freed_place_goes_to_the_next_on_the_waiting_list_and_expires_to_the_one_after():
    course = CourseFactory(capacity=1)
    add_sessions(course, [(days_from_today(30), "9:00", "16:00")])
    holder = participant(course)
    first, second = _waiting(course, 2)

    services.withdraw_application(application=holder)
    first.refresh_from_db()
    assert first.status == Status.OFFERED
    assert timezone.localdate(first.offer_expires_at) == days_from_today(3)
    [offer] = emails_to(first.email)
    assert reverse("koulutus:application_status", args=[first.token]) in offer.body

    assert services.expire_offers() == 0  # not yet
    with freeze_time(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        assert services.expire_offers() == 1
        assert services.expire_offers() == 0  # idempotent
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.EXPIRED, Status.OFFERED)

    services.respond_to_offer(application=second, accept=True)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED
    assert course.applications.holding_places().count() == 1


def test_declined_offer_moves_on_and_late_answers_are_refused(client):
    course = CourseFactory(capacity=1)
    add_sessions(course, [(days_from_today(30), "9:00", "16:00")])
    first, second = _waiting(course, 2)
    services.offer_free_places(course=course)
    first.refresh_from_db()
    status_url = reverse("koulutus:application_status", args=[first.token])
    client.post(status_url, {"action": "decline"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.DECLINED, Status.OFFERED)
    with freeze_time(timezone.now() + datetime.timedelta(days=4)):
        response = client.post(
            reverse("koulutus:application_status", args=[second.token]),
            {"action": "accept"},
            follow=True,
        )
        assert "The offer has expired." in response.content.decode()
    second.refresh_from_db()
    assert second.status == Status.OFFERED


def test_no_offers_once_the_course_has_begun():
    course = CourseFactory(capacity=1)
    add_sessions(course, [(days_from_today(-1), "9:00", "16:00")])
    holder = participant(course)
    [waiting] = _waiting(course, 1)
    services.withdraw_application(application=holder)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING_LIST


def test_coordinator_cancels_a_place_with_a_reason(client):
    course = CourseFactory(capacity=1)
    holder = participant(course)
    [waiting] = _waiting(course, 1)
    client.force_login(course.coordinator)
    client.post(
        reverse("koulutus:participant_cancel", args=[course.pk, holder.pk]),
        {"note": "Sairastui."},
    )
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, waiting.status) == (Status.WITHDRAWN, Status.OFFERED)
    assert "Sairastui." in emails_to(holder.email)[-1].body
