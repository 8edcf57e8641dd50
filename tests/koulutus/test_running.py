"""Running a course: attendance per session (present, partly with minutes, absent) by the
coordinator or a trainer, assignments done, and the practice lecture's outcome, recorded on
the course page or by palaute's evaluation form through the service."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from freezegun import freeze_time

from kotove.models import AuditEvent
from koulutus import services
from koulutus.models import Assignment, AssignmentCompletion, Attendance, PracticeLectureEvaluation
from tests.factories import UserFactory

from .factories import (
    ApplicationFactory,
    CourseFactory,
    add_sessions,
    assignment,
    days_from_today,
    evaluate,
    participant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory()
    add_sessions(
        course, [(days_from_today(-1), "9:00", "16:00"), (days_from_today(6), "9:00", "16:00")]
    )
    return course


def test_trainer_records_attendance_on_one_screen(client, course, django_assert_max_num_queries):
    trainer = UserFactory()
    course.trainers.add(trainer)
    ann, ben, cid = (participant(course, last_name=name) for name in ("Aalto", "Berg", "Cederberg"))
    ApplicationFactory(course=course)  # not a participant: not on the screen
    session = course.sessions.first()
    url = reverse("koulutus:attendance", args=[course.pk, session.pk])
    client.force_login(trainer)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert [row[0] for row in response.context["form"].rows()] == [ann, ben, cid]
    client.post(
        url,
        {
            f"status_{ann.pk}": "present",
            f"status_{ben.pk}": "partly",
            f"minutes_{ben.pk}": "200",
            f"status_{cid.pk}": "absent",
        },
    )
    marks = {a.application_id: (a.status, a.minutes) for a in Attendance.objects.all()}
    assert marks == {ann.pk: ("present", None), ben.pk: ("partly", 200), cid.pk: ("absent", None)}
    assert AuditEvent.objects.filter(action="course.attendance").count() == 1


def test_partly_present_needs_the_minutes_and_nothing_is_saved_without(client, course):
    ann, ben = participant(course), participant(course)
    session = course.sessions.first()
    client.force_login(course.coordinator)
    response = client.post(
        reverse("koulutus:attendance", args=[course.pk, session.pk]),
        {f"status_{ann.pk}": "present", f"status_{ben.pk}": "partly", f"minutes_{ben.pk}": ""},
    )
    assert "Give the minutes present, from 1 to 420." in response.content.decode()
    response = client.post(
        reverse("koulutus:attendance", args=[course.pk, session.pk]),
        {f"status_{ben.pk}": "partly", f"minutes_{ben.pk}": "421"},
    )
    assert response.context["form"].errors
    assert Attendance.objects.count() == 0


def test_mark_the_unmarked_present_keeps_those_marked(client, course):
    ann, ben = participant(course), participant(course)
    session = course.sessions.first()
    client.force_login(course.coordinator)
    client.post(
        reverse("koulutus:attendance", args=[course.pk, session.pk]),
        {f"status_{ann.pk}": "absent", "all_present": "1"},
    )
    marks = dict(Attendance.objects.values_list("application_id", "status"))
    assert marks == {ann.pk: "absent", ben.pk: "present"}


def test_attendance_of_a_session_not_yet_started_is_refused_and_nothing_is_saved(client, course):
    ann = participant(course)
    session = course.sessions.last()  # in six days
    url = reverse("koulutus:attendance", args=[course.pk, session.pk])
    client.force_login(course.coordinator)
    response = client.get(url)
    content = response.content.decode()
    assert (
        "Attendance of this session can be recorded once it starts, on "
        f"{date_format(session.date, 'SHORT_DATE_FORMAT')} at "
        f"{time_format(session.starts_at, 'TIME_FORMAT')}."
    ) in content
    assert "form" not in response.context
    assert 'name="all_present"' not in content
    response = client.post(url, {f"status_{ann.pk}": "present", "all_present": "1"})
    assert "Nothing was saved." in response.content.decode()
    assert Attendance.objects.count() == 0
    assert not AuditEvent.objects.filter(action="course.attendance").exists()


def test_attendance_is_recorded_from_the_sessions_start(course):
    ann = participant(course)
    session = course.sessions.last()
    too_early = session.starts() - datetime.timedelta(minutes=1)
    with freeze_time(too_early), pytest.raises(ValidationError, match="once it starts"):
        services.record_attendance(
            session=session, marks={ann: ("present", None)}, by=course.coordinator
        )
    assert Attendance.objects.count() == 0
    with freeze_time(session.starts()):
        services.record_attendance(
            session=session, marks={ann: ("present", None)}, by=course.coordinator
        )
    assert list(Attendance.objects.values_list("application", "status")) == [(ann.pk, "present")]


def test_other_courses_session_is_404(client, course):
    other = CourseFactory(coordinator=course.coordinator)
    [session] = add_sessions(other, [(days_from_today(1), "9:00", "10:00")])
    client.force_login(course.coordinator)
    url = reverse("koulutus:attendance", args=[course.pk, session.pk])
    assert client.get(url).status_code == 404


def test_attendance_of_a_non_participant_is_refused(course):
    pending = ApplicationFactory(course=course)
    with pytest.raises(ValidationError, match="no confirmed place"):
        services.record_attendance(
            session=course.sessions.first(),
            marks={pending: ("present", None)},
            by=course.coordinator,
        )
    assert Attendance.objects.count() == 0


def test_assignments_are_ticked_and_unticked(client, course):
    pre = assignment(course, Assignment.Kind.PRE_TASK, title="Ennakkotehtävä")
    mid = assignment(course, Assignment.Kind.INTERMEDIATE, title="Välitehtävä")
    lecture = assignment(course, Assignment.Kind.PRACTICE_LECTURE, title="Harjoitusluento")
    ann, ben = participant(course), participant(course)
    AssignmentCompletion.objects.create(application=ben, assignment=mid)
    client.force_login(course.coordinator)
    response = client.get(reverse("koulutus:assignments", args=[course.pk]))
    assert lecture not in response.context["tasks"]
    client.post(
        reverse("koulutus:assignments", args=[course.pk]),
        {"done": [f"{ann.pk}:{pre.pk}", f"{ann.pk}:{mid.pk}"]},
    )
    done = set(AssignmentCompletion.objects.values_list("application_id", "assignment_id"))
    assert done == {(ann.pk, pre.pk), (ann.pk, mid.pk)}


def test_assignment_of_another_course_is_refused_and_nothing_changes(client, course):
    other = CourseFactory()
    foreign = assignment(other)
    ann = participant(course)
    own = assignment(course)
    AssignmentCompletion.objects.create(application=ann, assignment=own)
    client.force_login(course.coordinator)
    response = client.post(
        reverse("koulutus:assignments", args=[course.pk]),
        {"done": [f"{ann.pk}:{foreign.pk}"]},
        follow=True,
    )
    assert "Choose assignments of this course" in response.content.decode()
    assert AssignmentCompletion.objects.count() == 1


def test_coordinator_records_the_practice_lecture_with_named_evaluators(client, course):
    ann = participant(course)
    client.force_login(course.coordinator)
    url = reverse("koulutus:participant_practice_lecture", args=[course.pk, ann.pk])
    response = client.post(url, {"evaluated_on": "", "evaluators": " , ", "accepted": "1"})
    assert "Name at least one evaluator." in response.content.decode()
    assert PracticeLectureEvaluation.objects.count() == 0
    client.post(
        url,
        {
            "evaluated_on": timezone.localdate().isoformat(),
            "evaluators": "Outi Opettaja, Kalle Kouluttaja",
            "accepted": "1",
            "note": "Selkeä rakenne.",
        },
    )
    evaluation = PracticeLectureEvaluation.objects.get()
    assert (evaluation.evaluators, evaluation.accepted, evaluation.source) == (
        ["Outi Opettaja", "Kalle Kouluttaja"],
        True,
        "course_page",
    )


def test_practice_lecture_before_the_course_or_in_the_future_is_refused_on_the_field(
    client, course
):
    ann = participant(course)
    earlier = evaluate(ann)
    first_day = course.sessions.first().date
    client.force_login(course.coordinator)
    url = reverse("koulutus:participant_practice_lecture", args=[course.pk, ann.pk])
    before = (
        "The practice lecture cannot be before the course starts "
        f"({date_format(first_day, 'SHORT_DATE_FORMAT')})."
    )
    for given_on, error in [
        ("2020-01-01", before),
        (first_day - datetime.timedelta(days=1), before),
        (days_from_today(1), "The date cannot be in the future."),
    ]:
        response = client.post(
            url, {"evaluated_on": str(given_on), "evaluators": "Outi Opettaja", "accepted": "0"}
        )
        assert response.context["lecture_form"].errors["evaluated_on"] == [error]
        assert error in response.content.decode()
    # the earlier evaluation is as it was
    evaluation = PracticeLectureEvaluation.objects.get()
    assert (evaluation.evaluated_on, evaluation.accepted) == (earlier.evaluated_on, True)
    assert not AuditEvent.objects.filter(action="course.practice_lecture").exists()
    with translation.override("fi"), pytest.raises(ValidationError) as refused:
        services.record_practice_lecture_evaluation(
            application=ann, evaluated_on=datetime.date(2020, 1, 1), evaluators=["X"], accepted=True
        )
    assert refused.value.message_dict["evaluated_on"][0].startswith(
        "Harjoitusluento ei voi olla ennen koulutuksen alkua"
    )


def test_trainer_may_not_record_the_practice_lecture(client, course):
    trainer = UserFactory()
    course.trainers.add(trainer)
    ann = participant(course)
    client.force_login(trainer)
    url = reverse("koulutus:participant_practice_lecture", args=[course.pk, ann.pk])
    data = {"evaluated_on": "2026-01-01", "evaluators": "X", "accepted": "1"}
    assert client.post(url, data).status_code == 404
    assert PracticeLectureEvaluation.objects.count() == 0


def test_palaute_records_a_practice_lecture_through_the_service(course):
    """The hook of palaute's evaluation form: a later evaluation replaces the earlier one."""
    ann = participant(course)
    services.record_practice_lecture_evaluation(
        application=ann,
        evaluated_on=timezone.localdate() - datetime.timedelta(days=1),  # the first day
        evaluators=["Outi Opettaja"],
        accepted=False,
        source=PracticeLectureEvaluation.Source.FEEDBACK_FORM,
    )
    services.record_practice_lecture_evaluation(
        application=ann,
        evaluated_on=timezone.localdate(),
        evaluators=["Outi Opettaja", "Liisa Luennoitsija"],
        accepted=True,
        source=PracticeLectureEvaluation.Source.FEEDBACK_FORM,
    )
    evaluation = PracticeLectureEvaluation.objects.get()
    assert evaluation.accepted and evaluation.evaluators == ["Outi Opettaja", "Liisa Luennoitsija"]
    assert AuditEvent.objects.filter(action="course.practice_lecture").count() == 2
    with pytest.raises(ValidationError):
        services.record_practice_lecture_evaluation(
            application=ApplicationFactory(course=course),
            evaluated_on=timezone.localdate(),
            evaluators=["X"],
            accepted=True,
        )


def test_ended_courses_and_their_participants_for_course_feedback(course):
    """What palaute reads to send the course feedback form at the end."""
    ended = CourseFactory()
    add_sessions(ended, [(days_from_today(-3), "9:00", "12:00")])
    ann = participant(ended)
    ApplicationFactory(course=ended)  # not a participant
    from koulutus.models import Application, Course

    assert list(Course.objects.ended()) == [ended]
    assert list(Course.objects.ended(since=days_from_today(-2))) == []
    assert list(
        Application.objects.participants()
        .filter(course__in=Course.objects.ended())
        .values_list("email", "language")
    ) == [(ann.email, "fi")]


def test_manage_page_lists_participants_in_few_queries(
    client, course, django_assert_max_num_queries
):
    for n in range(8):
        participant(course, accessibility_needs="Pyörätuoli" if n == 3 else "")
    client.force_login(course.coordinator)
    with django_assert_max_num_queries(21):
        response = client.get(reverse("koulutus:course_manage", args=[course.pk]))
    assert len(response.context["participants"]) == 8
    assert AuditEvent.objects.filter(action="course.participants.view").count() == 1
