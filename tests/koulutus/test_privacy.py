"""An applicant's personal data: exported with their applications, erased leaving the course
figures, and applications that led nowhere anonymised after a year."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kotove import personal_data, services
from koulutus.models import Application, Attendance, InitialInterview
from tests.pankki.factories import ExpertFactory

from .factories import ApplicationFactory, CourseFactory, add_sessions, attend, days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(contact_a):
    course = CourseFactory()
    [session] = add_sessions(course, [(days_from_today(-1), "9:00", "12:00")])
    application = ApplicationFactory(
        course=course,
        email="maija@example.fi",
        status=Application.Status.CONFIRMED,
        accessibility_needs="Pyörätuoli",
    )
    InitialInterview.objects.create(
        application=application,
        held_on=days_from_today(-20),
        method="phone",
        interviewer=contact_a,
        situation="Eläkkeellä.",
        suitability="suitable",
    )
    attend(application, session)
    return application


def test_export_holds_the_applications_of_the_person_found_by_their_expert_record(
    applicant, planner
):
    expert = ExpertFactory(email="maija@example.fi")
    data = services.export_personal_data(obj=expert, by=planner)
    sections = {s["model"]: s["rows"] for s in data["sections"]}
    [row] = sections["koulutus.application"]
    assert row["accessibility_needs"] == "Pyörätuoli"
    assert "token" not in row  # the secret link is not handed out
    assert sections["koulutus.initialinterview"][0]["situation"] == "Eläkkeellä."


def test_erasure_keeps_the_course_figures_without_the_person(applicant, planner):
    old_token = applicant.token
    services.erase_personal_data(obj=applicant, by=planner)
    applicant.refresh_from_db()
    assert applicant.first_name == personal_data.ERASED
    assert applicant.email.endswith(personal_data.ERASED_DOMAIN)
    assert (applicant.accessibility_needs, applicant.experience) == ("", "")
    assert applicant.token != old_token
    assert applicant.status == Application.Status.CONFIRMED  # still counted
    assert Attendance.objects.filter(application=applicant).count() == 1
    assert InitialInterview.objects.count() == 0


def test_applications_that_led_nowhere_are_anonymised_after_a_year(settings):
    old = ApplicationFactory(status=Application.Status.NOT_SELECTED)
    Application.objects.filter(pk=old.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=400)
    )
    recent = ApplicationFactory(status=Application.Status.NOT_SELECTED)
    selected = ApplicationFactory(status=Application.Status.CONFIRMED)
    Application.objects.filter(pk=selected.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert personal_data.apply_retention()["unselected_applications"] == 1
    assert personal_data.apply_retention()["unselected_applications"] == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    selected.refresh_from_db()
    assert old.email.endswith(personal_data.ERASED_DOMAIN)
    assert not recent.email.endswith(personal_data.ERASED_DOMAIN)
    assert not selected.email.endswith(personal_data.ERASED_DOMAIN)


def test_the_planners_admin_pages_of_an_applicant_read_none_of_their_health_data(
    client, planner, applicant
):
    """Admin lists the applicant and what is held about them by name only: the columns of
    their experience, needs and interview are never selected (least privilege)."""
    columns = ('"accessibility_needs"', '"experience"', '"situation"', '"experience_processing"')
    client.force_login(planner)
    for name in ("changelist", "change", "history", "personal_data", "erase"):
        args = [] if name == "changelist" else [applicant.pk]
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse(f"admin:koulutus_application_{name}", args=args))
        assert page.status_code == 200 and applicant.last_name in page.content.decode(), name
        read = [q["sql"] for q in queries if any(c in q["sql"] for c in columns)]
        assert not read, (name, read)
