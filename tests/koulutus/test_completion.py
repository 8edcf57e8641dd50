"""Completion by each course type's rules, its confirmation (refused, or overridden with an
audited reason), the qualification it gives in the bank, and the certificate."""

import io
from decimal import ROUND_CEILING

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from kotove.models import AuditEvent, OutboundEmail
from koulutus import completion, services
from koulutus.models import Application, Assignment, Attendance, CourseType
from pankki.models import Consent, Expert
from pankki.services import give_consent
from tests.pankki.factories import ExpertFactory

from .factories import (
    CourseFactory,
    add_sessions,
    assignment,
    attend,
    course_type,
    days_from_today,
    evaluate,
    participant,
)

pytestmark = pytest.mark.django_db


def basic_course(**fields):
    """Three days of 8⅓ h: 25 h in all, the basic training's minimum exactly."""
    course = CourseFactory(**fields)
    sessions = add_sessions(
        course,
        [
            (days_from_today(-30), "8:00", "16:20"),
            (days_from_today(-20), "8:00", "16:20"),
            (days_from_today(-10), "8:00", "16:20"),
        ],
    )
    task = assignment(course, Assignment.Kind.PRE_TASK, title="Oma tarina")
    assignment(course, Assignment.Kind.PRACTICE_LECTURE, title="Harjoitusluento")
    return course, sessions, task


def done_everything(application, sessions, task):
    for session in sessions:
        attend(application, session)
    application.assignments_done.create(assignment=task)
    evaluate(application)


def test_basic_training_just_enough_is_met():
    course, sessions, task = basic_course()
    application = participant(course)
    done_everything(application, sessions, task)
    status = completion.for_application(application)
    assert (status.hours, status.days, status.missing) == ("25", 3, [])


def test_basic_training_one_hour_short_is_missing_that_hour():
    course, sessions, task = basic_course()
    application = participant(course)
    done_everything(application, sessions, task)
    Attendance.objects.filter(session=sessions[2]).update(status="partly", minutes=440)
    status = completion.for_application(application)
    assert status.missing == ["1 h of contact teaching (24 h of 25 h attended)"]


def test_basic_training_missing_practice_lecture_and_assignment_and_a_day():
    course, sessions, task = basic_course()
    application = participant(course)
    for session in sessions[:2]:
        attend(application, session)
    status = completion.for_application(application)
    assert status.missing == [
        "8.4 h of contact teaching (16.6 h of 25 h attended)",
        "1 contact teaching day (2 of 3 attended)",
        "Assignment: Oma tarina",
        "An accepted practice lecture",
    ]
    evaluate(application, accepted=False)
    assert completion.for_application(application).missing[-1] == (
        "An accepted practice lecture (the one given was not accepted)"
    )


def test_continuing_training_needs_its_days_and_hours_but_no_practice_lecture():
    course = CourseFactory(course_type=course_type(CourseType.Kind.CONTINUING))
    day_one, day_two = add_sessions(
        course, [(days_from_today(-3), "9:00", "16:00"), (days_from_today(-2), "9:00", "12:00")]
    )
    application = participant(course)
    attend(application, day_one)
    attend(application, day_two)
    assert completion.for_application(application).met  # 10 h on 2 days
    Attendance.objects.filter(session=day_two).update(status="partly", minutes=120)
    assert completion.for_application(application).missing == [
        "1 h of contact teaching (9 h of 10 h attended)"
    ]
    Attendance.objects.filter(session=day_two).update(status="absent", minutes=None)
    assert (
        "1 contact teaching day (1 of 2 attended)"
        in completion.for_application(application).missing
    )


def test_supplementary_training_needs_its_hours_only():
    course = CourseFactory(course_type=course_type(CourseType.Kind.SUPPLEMENTARY))
    [session] = add_sessions(course, [(days_from_today(-1), "17:00", "19:00")])
    assignment(course, title="Vapaaehtoinen")  # not required by the type's rules
    application = participant(course)
    attend(application, session)
    assert completion.for_application(application).met
    Attendance.objects.update(status="partly", minutes=119)
    assert (
        completion.for_application(application).missing
        == ["0 h of contact teaching (2 h of 2 h attended)"]
        or not completion.for_application(application).met
    )


def test_confirmation_is_refused_where_rules_are_not_met(client):
    course, sessions, task = basic_course()
    application = participant(course)
    client.force_login(course.coordinator)
    url = reverse("koulutus:participant_complete", args=[course.pk, application.pk])
    response = client.post(url, {"override_reason": ""})
    assert "write why you confirm the completion anyway" in response.content.decode()
    with pytest.raises(ValidationError, match="not met"):
        services.confirm_completion(application=application, by=course.coordinator)
    application.refresh_from_db()
    assert application.completed_on is None
    assert Expert.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_attendance_marked_ahead_of_sessions_counts_for_nothing(client):
    """Marks stored for sessions still to come (the attendance page once took them) neither
    complete the course nor qualify the participant."""
    course = CourseFactory()
    sessions = add_sessions(
        course,
        [
            (days_from_today(-10), "8:00", "16:20"),
            (days_from_today(7), "8:00", "16:20"),
            (days_from_today(21), "8:00", "16:20"),
        ],
    )
    task = assignment(course, Assignment.Kind.PRE_TASK, title="Oma tarina")
    application = participant(course)
    done_everything(application, sessions, task)
    assert completion.for_application(application).missing == [
        "16.7 h of contact teaching (8.3 h of 25 h attended)",
        "2 contact teaching days (1 of 3 attended)",
    ]
    client.force_login(course.coordinator)
    url = reverse("koulutus:participant", args=[course.pk, application.pk])
    assert "The rules of the course are not met." in client.get(url).content.decode()
    response = client.post(
        reverse("koulutus:participant_complete", args=[course.pk, application.pk]),
        {"override_reason": ""},
    )
    assert "write why you confirm the completion anyway" in response.content.decode()
    with pytest.raises(ValidationError, match="not met"):
        services.confirm_completion(application=application, by=course.coordinator)
    application.refresh_from_db()
    assert application.completed_on is None
    assert Expert.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert not AuditEvent.objects.filter(action="application.complete").exists()


def test_override_with_a_reason_is_audited(client):
    course, sessions, task = basic_course()
    application = participant(course)
    done_everything(application, sessions, task)
    Attendance.objects.filter(session=sessions[2]).update(status="absent")
    client.force_login(course.coordinator)
    client.post(
        reverse("koulutus:participant_complete", args=[course.pk, application.pk]),
        {"override_reason": "Korvasi puuttuneen päivän kirjallisella tehtävällä."},
    )
    application.refresh_from_db()
    assert application.completed_on == sessions[2].date
    event = AuditEvent.objects.get(action="application.complete")
    assert event.data["override"] is True
    assert event.data["reason"] == "Korvasi puuttuneen päivän kirjallisella tehtävällä."
    assert "1 contact teaching day (2 of 3 attended)" in event.data["missing"]


def test_basic_completion_qualifies_in_the_bank_after_consent(client, orderer, contact_a):
    course, sessions, task = basic_course(name="Peruskoulutus Pirkanmaa")
    application = participant(course, first_name="Kerttu", last_name="Kokeilija", language="sv")
    done_everything(application, sessions, task)
    services.confirm_completion(application=application, by=course.coordinator)

    expert = Expert.objects.get(email=application.email)
    assert expert.basic_training_date == sessions[2].date
    assert expert.basic_training_course == "Peruskoulutus Pirkanmaa"
    assert expert.responsible_organisation == application.organisation
    application.refresh_from_db()
    assert application.expert == expert
    # not searchable before consent
    client.force_login(orderer)
    assert "Kokeilija" not in client.get(reverse("pankki:search")).content.decode()
    # the contact is asked to complete the record and ask for consent
    [to_contact] = OutboundEmail.objects.filter(to=contact_a.email)
    assert reverse("pankki:record_edit", args=[expert.pk]) in to_contact.body
    assert OutboundEmail.objects.get(to=application.email).language == "sv"

    give_consent(expert=expert, method=Consent.Method.PAPER, by=contact_a)
    assert "Kokeilija" in client.get(reverse("pankki:search")).content.decode()


def test_completion_links_the_existing_record_without_a_duplicate():
    course, sessions, task = basic_course()
    existing = ExpertFactory(email="kerttu@example.fi", basic_training_date=None)
    application = participant(course, email="Kerttu@Example.fi")
    done_everything(application, sessions, task)
    services.confirm_completion(application=application, by=course.coordinator)
    assert Expert.objects.count() == 1
    existing.refresh_from_db()
    assert existing.basic_training_date == sessions[2].date


def test_continuing_training_sets_the_developer_influencer_date():
    course = CourseFactory(course_type=course_type(CourseType.Kind.CONTINUING))
    day_one, day_two = add_sessions(
        course, [(days_from_today(-3), "9:00", "16:00"), (days_from_today(-2), "9:00", "12:00")]
    )
    expert = ExpertFactory(continuing_training_date=None)
    application = participant(course, email=expert.email)
    attend(application, day_one)
    attend(application, day_two)
    services.confirm_completion(application=application, by=course.coordinator)
    expert.refresh_from_db()
    assert expert.continuing_training_date == day_two.date
    assert Expert.objects.count() == 1


def test_supplementary_completion_changes_nothing_in_the_bank():
    course = CourseFactory(course_type=course_type(CourseType.Kind.SUPPLEMENTARY))
    [session] = add_sessions(course, [(days_from_today(-1), "17:00", "19:00")])
    application = participant(course)
    attend(application, session)
    services.confirm_completion(application=application, by=course.coordinator)
    assert Expert.objects.count() == 0
    assert Application.objects.get().completed_on == session.date


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_certificate_names_the_participant_and_course_in_their_language(client, contact_a):
    course, sessions, task = basic_course(name="Peruskoulutus Tampere 2026")
    application = participant(course, first_name="Saga", last_name="Lindholm", language="sv")
    done_everything(application, sessions, task)
    services.confirm_completion(application=application, by=course.coordinator)
    client.force_login(contact_a)
    response = client.get(reverse("koulutus:certificate", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Saga Lindholm" in text
    assert "Peruskoulutus Tampere 2026" in text
    assert "Intyg" in text
    # the participant's own link gives the same
    client.logout()
    token_url = reverse("koulutus:application_certificate", args=[application.token])
    assert "Saga Lindholm" in pdf_text(client.get(token_url).content)


def test_no_certificate_before_completion(client):
    course, sessions, task = basic_course()
    application = participant(course)
    client.force_login(course.coordinator)
    assert client.get(reverse("koulutus:certificate", args=[application.pk])).status_code == 404
    token_url = reverse("koulutus:application_certificate", args=[application.token])
    assert client.get(token_url).status_code == 404


def test_participant_sees_what_is_still_missing(client):
    course, sessions, task = basic_course()
    application = participant(course)
    attend(application, sessions[0])
    content = client.get(
        reverse("koulutus:application_status", args=[application.token])
    ).content.decode()
    assert "Assignment: Oma tarina" in content
    assert "An accepted practice lecture" in content


def test_completion_date_is_today_for_a_course_still_running():
    course = CourseFactory()
    add_sessions(course, [(days_from_today(5), "9:00", "10:00")])
    application = participant(course)
    services.confirm_completion(application=application, by=course.coordinator, override_reason="x")
    application.refresh_from_db()
    assert application.completed_on == timezone.localdate()


@pytest.mark.parametrize(
    "language, expected",
    [("fi", ["24,5", "0,1"]), ("sv", ["24,5", "0,1"]), ("en", ["24.5", "0.1"])],
)
def test_hours_are_written_with_the_languages_decimal_separator(language, expected):
    with translation.override(language):
        assert [completion.hours_text(1470), completion.hours_text(1, ROUND_CEILING)] == expected
        assert completion.hours_text(1500) == "25"
