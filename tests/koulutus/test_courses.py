"""Courses: creating and editing with sessions and assignments (bad input leaves nothing
half-saved), the public list with its filters, the calendar file."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from kotove.models import Area, AuditEvent
from koulutus import services
from koulutus.models import Course, CourseType, Session

from .factories import (
    ApplicationFactory,
    CourseFactory,
    add_sessions,
    attend,
    course_type,
    days_from_today,
    participant,
)

pytestmark = pytest.mark.django_db


def course_post(**overrides):
    """A valid course form with two sessions and one assignment."""
    first, second = days_from_today(30), days_from_today(44)
    data = {
        "course_type": str(course_type(CourseType.Kind.BASIC).pk),
        "name": "Peruskoulutus Tampere",
        "description": "Kolme lähipäivää.",
        "language": "fi",
        "organisations": [],
        "area": "",
        "coordinator_email": "",
        "trainer_emails": "",
        "capacity": "12",
        "application_opens": days_from_today(0).isoformat(),
        "application_closes": days_from_today(20).isoformat(),
        "is_published": "on",
        "sessions-TOTAL_FORMS": "3",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-date": first.isoformat(),
        "sessions-0-starts_at": "09:00",
        "sessions-0-ends_at": "16:00",
        "sessions-0-place": "Järjestötalo",
        "sessions-1-date": second.isoformat(),
        "sessions-1-starts_at": "09:00",
        "sessions-1-ends_at": "16:00",
        "sessions-1-place": "Järjestötalo",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-0-kind": "pre",
        "assignments-0-title": "Oma tarina",
        "assignments-0-required": "on",
    }
    data.update(overrides)
    return data


def test_contact_creates_a_course_with_sessions_and_assignments(client, contact_a, org_a):
    client.force_login(contact_a)
    data = course_post(organisations=[str(org_a.pk)], coordinator_email=contact_a.email)
    response = client.post(reverse("koulutus:course_create"), data)
    course = Course.objects.get()
    assert response["Location"] == reverse("koulutus:course_manage", args=[course.pk])
    assert course.coordinator == contact_a
    assert list(course.organisations.all()) == [org_a]
    assert [s.contact_hours for s in course.sessions.all()] == [7, 7]
    assert course.assignments.get().title == "Oma tarina"
    assert AuditEvent.objects.filter(action="course.create", object_id=str(course.pk)).exists()


def test_overlapping_sessions_are_refused_and_nothing_is_saved(client, planner, org_a):
    client.force_login(planner)
    day = days_from_today(30).isoformat()
    data = course_post(
        organisations=[str(org_a.pk)],
        coordinator_email=planner.email,
        **{"sessions-1-date": day, "sessions-1-starts_at": "15:00", "sessions-1-ends_at": "17:00"},
    )
    response = client.post(reverse("koulutus:course_create"), data)
    assert response.status_code == 200
    assert "Overlaps the session" in response.content.decode()
    assert Course.objects.count() == Session.objects.count() == 0


def test_session_ending_before_it_starts_is_refused(client, planner, org_a):
    client.force_login(planner)
    data = course_post(
        organisations=[str(org_a.pk)],
        coordinator_email=planner.email,
        **{"sessions-0-starts_at": "16:00", "sessions-0-ends_at": "09:00"},
    )
    response = client.post(reverse("koulutus:course_create"), data)
    assert "The session must end after it starts." in response.content.decode()
    assert Course.objects.count() == 0


def test_a_forged_row_count_builds_no_thousands_of_forms(client, planner, org_a):
    client.force_login(planner)
    data = course_post(
        organisations=[str(org_a.pk)],
        coordinator_email=planner.email,
        **{"sessions-TOTAL_FORMS": "100000", "assignments-TOTAL_FORMS": "100000"},
    )
    response = client.post(reverse("koulutus:course_create"), data)
    assert response.status_code == 200
    assert len(response.context["sessions"].forms) == 60
    assert "Please submit at most 60 forms." in response.content.decode()
    assert Course.objects.count() == Session.objects.count() == 0


def test_unknown_coordinator_and_missing_organisers_get_field_errors(client, contact_a, org_b):
    client.force_login(contact_a)
    data = course_post(organisations=[str(org_b.pk)], coordinator_email="nobody@example.fi")
    content = client.post(reverse("koulutus:course_create"), data).content.decode()
    assert "Nobody has an account with this address." in content
    assert "Your own organisation must be one of the organisers." in content
    assert Course.objects.count() == 0


def test_capacity_below_the_places_taken_is_refused(client, planner):
    course = CourseFactory(coordinator=planner, capacity=3)
    for _ in range(3):
        participant(course)
    client.force_login(planner)
    data = course_post(
        organisations=[str(o.pk) for o in course.organisations.all()],
        coordinator_email=planner.email,
        capacity="2",
        name="Uusi nimi",
        **{"sessions-TOTAL_FORMS": "0", "assignments-TOTAL_FORMS": "0"},
    )
    del data["course_type"]
    content = client.post(reverse("koulutus:course_edit", args=[course.pk]), data).content
    assert "3 people already have a place" in content.decode()
    course.refresh_from_db()
    assert (course.capacity, course.name) == (3, course.name)
    assert course.name != "Uusi nimi"


def test_service_refuses_an_overlap_inside_the_transaction(planner):
    """A session saved meanwhile by someone else is caught when saving, and nothing is kept."""
    course = CourseFactory(coordinator=planner, name="Ennen")
    day = days_from_today(30)
    add_sessions(course, [(day, "9:00", "12:00")])
    course.name = "Jälkeen"
    late = Session(date=day, starts_at=datetime.time(11), ends_at=datetime.time(13), online=True)
    with pytest.raises(Exception, match="overlap"):
        services.save_course(
            course=course, by=planner, organisations=[], trainers=[], sessions=[late]
        )
    course.refresh_from_db()
    assert course.name == "Ennen"
    assert course.sessions.count() == 1


def test_session_with_attendance_cannot_be_removed(planner):
    course = CourseFactory(coordinator=planner)
    session = add_sessions(course, [(days_from_today(-1), "9:00", "12:00")])[0]
    attend(participant(course), session)
    with pytest.raises(Exception, match="cannot be removed"):
        services.save_course(
            course=course, by=planner, organisations=[], trainers=[], deleted_sessions=[session]
        )
    assert Session.objects.filter(pk=session.pk).exists()


def test_regional_secretary_creates_supplementary_training_of_own_area_only(
    client, secretary_x, area_x, area_y
):
    client.force_login(secretary_x)
    supplementary = course_type(CourseType.Kind.SUPPLEMENTARY)
    data = course_post(
        course_type=str(supplementary.pk),
        coordinator_email=secretary_x.email,
        area=str(area_y.pk),
        **{"sessions-TOTAL_FORMS": "1", "assignments-TOTAL_FORMS": "0"},
    )
    content = client.post(reverse("koulutus:course_create"), data).content.decode()
    assert "Choose your own regional area." in content
    data["area"] = str(area_x.pk)
    client.post(reverse("koulutus:course_create"), data)
    assert Course.objects.get().area == area_x
    # and the form offers them no other type
    form = client.get(reverse("koulutus:course_create")).context["form"]
    assert list(form.fields["course_type"].queryset) == [supplementary]


def test_public_list_filters_by_type_area_language_and_open(client, django_assert_max_num_queries):
    pirkanmaa = Area.objects.get(name_fi="Pirkanmaa")
    open_basic = CourseFactory(name="Avoin peruskoulutus", area=pirkanmaa)
    add_sessions(open_basic, [(days_from_today(30), "9:00", "16:00")])
    closed = CourseFactory(
        name="Suljettu",
        application_opens=days_from_today(-30),
        application_closes=days_from_today(-1),
    )
    add_sessions(closed, [(days_from_today(5), "9:00", "16:00")])
    swedish = CourseFactory(
        name="Kompletterande", language="sv", course_type=course_type("supplementary")
    )
    CourseFactory(name="Julkaisematon", is_published=False)
    past = CourseFactory(name="Mennyt")
    add_sessions(past, [(days_from_today(-40), "9:00", "16:00")])
    for course in (open_basic, closed, swedish):
        for _ in range(3):
            participant(course)

    def names(query=""):
        with django_assert_max_num_queries(8):
            response = client.get(reverse("koulutus:courses") + query)
        return [course.name for course in response.context["courses"]]

    assert sorted(names()) == ["Avoin peruskoulutus", "Kompletterande", "Suljettu"]
    assert sorted(names("?open=on")) == ["Avoin peruskoulutus", "Kompletterande"]
    assert names(f"?area={pirkanmaa.pk}") == ["Avoin peruskoulutus"]
    assert names("?language=sv") == ["Kompletterande"]
    basic = course_type("basic")
    assert sorted(names(f"?course_type={basic.pk}&open=on")) == ["Avoin peruskoulutus"]
    assert "3 of 10 taken" in client.get(reverse("koulutus:courses")).content.decode()


def test_unpublished_course_is_404_to_the_public_but_shown_to_its_coordinator(client):
    course = CourseFactory(is_published=False)
    assert client.get(reverse("koulutus:course", args=[course.pk])).status_code == 404
    client.force_login(course.coordinator)
    assert client.get(reverse("koulutus:course", args=[course.pk])).status_code == 200


def test_calendar_has_every_session_in_local_time(client):
    course = CourseFactory(name="Peruskoulutus Oulu")
    day = days_from_today(30)
    add_sessions(course, [(day, "9:00", "16:00"), (day, "17:00", "18:30")])
    response = client.get(reverse("koulutus:course_ics", args=[course.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Peruskoulutus Oulu"] * 2
    starts = [e.decoded("dtstart") for e in events]
    assert [s.astimezone(datetime.UTC).strftime("%H:%M") for s in starts] in (
        ["06:00", "14:00"],  # summer time in Helsinki
        ["07:00", "15:00"],
    )
    assert str(events[0]["location"]) == "Järjestötalo, Tampere"


def test_course_detail_shows_the_rules_and_apply_button(client):
    course = CourseFactory()
    content = client.get(reverse("koulutus:course", args=[course.pk])).content.decode()
    assert reverse("koulutus:apply", args=[course.pk]) in content
    ApplicationFactory(course=course)  # a pending application takes no place
    assert client.get(reverse("koulutus:course", args=[course.pk])).context["free_places"] == 10


def test_my_trainings_lists_own_applications_and_courses_run(
    client, expert_user, django_assert_max_num_queries
):
    for _ in range(4):
        ApplicationFactory(user=expert_user)
    CourseFactory(coordinator=expert_user, name="Oma kurssi")
    client.force_login(expert_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("koulutus:my_courses"))
    assert len(response.context["applications"]) == 4
    assert [c.name for c in response.context["running"]] == ["Oma kurssi"]
