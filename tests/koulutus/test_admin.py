"""The planner keeps course types and courses in admin, with the same checks as the site."""

import pytest
from django.urls import reverse

from koulutus.models import Course, CourseType

from .factories import CourseFactory, course_type, days_from_today, participant

pytestmark = pytest.mark.django_db


def admin_course_post(planner, org, **overrides):
    day = days_from_today(30).isoformat()
    data = {
        "course_type": str(course_type(CourseType.Kind.BASIC).pk),
        "name": "Peruskoulutus Kuopio",
        "description": "",
        "language": "fi",
        "organisations": [str(org.pk)],
        "area": "",
        "coordinator": str(planner.pk),
        "capacity": "10",
        "application_opens": days_from_today(0).isoformat(),
        "application_closes": days_from_today(10).isoformat(),
        "is_published": "on",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-date": day,
        "sessions-0-starts_at": "09:00",
        "sessions-0-ends_at": "12:00",
        "sessions-0-place": "Kuopio",
        "sessions-1-date": day,
        "sessions-1-starts_at": "11:00",
        "sessions-1-ends_at": "15:00",
        "sessions-1-place": "Kuopio",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_planner_adds_a_course_and_overlaps_are_refused(client, planner, org_a):
    client.force_login(planner)
    url = reverse("admin:koulutus_course_add")
    assert client.get(url).status_code == 200
    response = client.post(url, admin_course_post(planner, org_a))
    assert "Overlaps the session" in response.content.decode()
    assert Course.objects.count() == 0
    client.post(url, admin_course_post(planner, org_a, **{"sessions-1-starts_at": "12:00"}))
    course = Course.objects.get()
    assert course.sessions.count() == 2


def test_capacity_below_the_places_taken_is_refused_in_admin(client, planner, org_a):
    course = CourseFactory(capacity=2, coordinator=planner)
    participant(course)
    participant(course)
    client.force_login(planner)
    data = admin_course_post(
        planner, org_a, capacity="1", **{"sessions-TOTAL_FORMS": "0"}, name=course.name
    )
    response = client.post(reverse("admin:koulutus_course_change", args=[course.pk]), data)
    assert "2 people already have a place" in response.content.decode()
    course.refresh_from_db()
    assert course.capacity == 2


def test_course_types_are_edited_not_added(client, planner):
    client.force_login(planner)
    assert client.get(reverse("admin:koulutus_coursetype_add")).status_code == 403
    basic = course_type(CourseType.Kind.BASIC)
    response = client.get(reverse("admin:koulutus_coursetype_change", args=[basic.pk]))
    assert response.status_code == 200
