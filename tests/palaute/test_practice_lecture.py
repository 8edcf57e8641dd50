"""A participant's practice lecture, evaluated with the practice-lecture form by named
evaluators: the coordinator makes the links, each evaluator answers without signing in, and
every answer records the lecture's outcome in koulutus, so that completion reflects it."""

import pytest
from django.urls import reverse

from kotove.models import AuditEvent
from koulutus import completion
from koulutus.models import Assignment, PracticeLectureEvaluation
from palaute import course_services
from palaute.models import FeedbackForm, FeedbackLink, FormKind, Response

from ..factories import UserFactory
from ..koulutus.factories import (
    CourseFactory,
    add_sessions,
    assignment,
    course_type,
    days_from_today,
    participant,
)


@pytest.fixture
def coordinator(db):
    return UserFactory(first_name="Kaija", last_name="Koordinaattori")


@pytest.fixture
def course(coordinator):
    course = CourseFactory(name="Peruskoulutus Tampere", coordinator=coordinator)
    add_sessions(course, [(days_from_today(-2), "9:00", "16:00")])
    return course


@pytest.fixture
def lecturer(course):
    return participant(course, first_name="Liisa", last_name="Luennoitsija")


def lecture_url(course, application):
    return reverse("palaute:lecture", args=[course.pk, application.pk])


def form_data(accepted="yes", name="Outi Opettaja", **overrides):
    form = FeedbackForm.objects.current_of(FormKind.PRACTICE_LECTURE)
    data = {"version": form.pk, "evaluator_name": name, "accepted": accepted}
    for question in form.questions.all():
        if question.kind == "scale":
            data[f"q{question.pk}"] = "4"
        elif question.kind == "single":
            data[f"q{question.pk}"] = "1"
        elif question.key == "strengths":
            data[f"q{question.pk}"] = "Selkeä rakenne ja hyvä tarina."
    return data | overrides


def test_coordinator_makes_links_for_named_evaluators(client, course, lecturer, coordinator):
    client.force_login(coordinator)
    response = client.post(
        lecture_url(course, lecturer),
        {
            "evaluators": "Outi Opettaja\n\n Kalle  Kouluttaja \nOuti Opettaja",
            "lecture_on": days_from_today(-2),
        },
    )
    assert response.status_code == 302
    links = list(FeedbackLink.objects.filter(participant=lecturer).order_by("pk"))
    assert [(link.evaluator_name, link.held_on, link.kind) for link in links] == [
        ("Outi Opettaja", days_from_today(-2), FormKind.PRACTICE_LECTURE),
        ("Kalle Kouluttaja", days_from_today(-2), FormKind.PRACTICE_LECTURE),
    ]
    event = AuditEvent.objects.get(action="feedback.evaluation_links")
    assert event.data["evaluators"] == ["Outi Opettaja", "Kalle Kouluttaja"]
    page = client.get(lecture_url(course, lecturer)).content.decode()
    for link in links:
        assert f'value="http://testserver/palaute/vastaa/{link.token}/"' in page or (
            f"/palaute/vastaa/{link.token}/" in page
        )
    assert "Ei vielä vastattu." in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"evaluators": "", "lecture_on": days_from_today(-2)},
            "evaluators",
            "Nimeä vähintään yksi arvioija.",
        ),
        (
            {"evaluators": "Outi Opettaja", "lecture_on": days_from_today(1)},
            "lecture_on",
            "Päivämäärä ei voi olla tulevaisuudessa.",
        ),
    ],
)
def test_bad_links_are_refused_on_the_field(
    client, course, lecturer, coordinator, data, field, message
):
    client.force_login(coordinator)
    response = client.post(lecture_url(course, lecturer), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not FeedbackLink.objects.exists()


def test_evaluator_answers_by_name_and_the_outcome_reaches_completion(client, course, lecturer):
    course.course_type.requires_practice_lecture = True
    course.course_type.save()
    outi, kalle = course_services.create_evaluation_links(
        application=lecturer,
        evaluators=["Outi Opettaja", "Kalle Kouluttaja"],
        lecture_on=days_from_today(-2),
        by=course.coordinator,
    )
    assert completion.for_application(lecturer).practice_lecture_missing
    url = reverse("palaute:answer", args=[outi.token])
    page = client.get(url).content.decode()
    assert "Harjoitusluennon arviointi" in page
    assert 'value="Outi Opettaja"' in page  # the name is filled in, and can be corrected

    response = client.post(url, form_data(name="", accepted=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"evaluator_name", "accepted"}
    assert not Response.objects.exists()
    assert not PracticeLectureEvaluation.objects.exists()

    assert client.post(url, form_data(name="Outi  Opettaja")).status_code == 302
    evaluation = PracticeLectureEvaluation.objects.get(application=lecturer)
    assert evaluation.accepted is True
    assert evaluation.evaluators == ["Outi Opettaja"]
    assert evaluation.evaluated_on == days_from_today(-2)
    assert evaluation.source == PracticeLectureEvaluation.Source.FEEDBACK_FORM
    assert not completion.for_application(lecturer).practice_lecture_missing
    outi.refresh_from_db()
    assert (outi.evaluator_name, outi.accepted) == ("Outi Opettaja", True)

    # A second evaluator who does not accept it: the lecture is not accepted.
    client.post(
        reverse("palaute:answer", args=[kalle.token]),
        form_data(name="Kalle Kouluttaja", accepted="no"),
    )
    evaluation.refresh_from_db()
    assert evaluation.accepted is False
    assert evaluation.evaluators == ["Outi Opettaja", "Kalle Kouluttaja"]
    assert completion.for_application(lecturer).practice_lecture_missing


def test_coordinator_fills_in_the_form_themselves(client, course, lecturer, coordinator):
    client.force_login(coordinator)
    response = client.post(
        lecture_url(course, lecturer),
        {"evaluators": "", "lecture_on": days_from_today(-2), "myself": ""},
    )
    link = FeedbackLink.objects.get(participant=lecturer)
    assert link.evaluator_name == "Kaija Koordinaattori"
    assert response["Location"] == reverse("palaute:answer", args=[link.token])


def test_links_close_when_the_completion_is_confirmed(client, course, lecturer):
    (link,) = course_services.create_evaluation_links(
        application=lecturer,
        evaluators=["Outi Opettaja"],
        lecture_on=days_from_today(-2),
        by=course.coordinator,
    )
    lecturer.completed_on = days_from_today(0)
    lecturer.save()
    response = client.post(reverse("palaute:answer", args=[link.token]), form_data())
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_participant_and_coordinator_see_the_answers(
    client, course, lecturer, coordinator, django_assert_max_num_queries
):
    links = course_services.create_evaluation_links(
        application=lecturer,
        evaluators=[f"Arvioija {n} Nimi" for n in range(5)],
        lecture_on=days_from_today(-2),
        by=coordinator,
    )
    for link in links:
        client.post(
            reverse("palaute:answer", args=[link.token]), form_data(name=link.evaluator_name)
        )
    client.cookies.clear()
    status = client.get(
        reverse("koulutus:application_status", args=[lecturer.token])
    ).content.decode()
    assert "Harjoitusluentosi arvioinnit" in status
    assert "Arvioija 3 Nimi" in status
    assert "Selkeä rakenne ja hyvä tarina." in status

    client.force_login(coordinator)
    participant_page = client.get(
        reverse("koulutus:participant", args=[course.pk, lecturer.pk])
    ).content.decode()
    assert lecture_url(course, lecturer) in participant_page
    assert (
        "5/5 vastannut" in participant_page
        or "5 / 5" in participant_page
        or "5" in participant_page
    )
    with django_assert_max_num_queries(14):
        page = client.get(lecture_url(course, lecturer)).content.decode()
    assert page.count("Selkeä rakenne ja hyvä tarina.") == 5
    assert AuditEvent.objects.filter(action="feedback.view_lecture", actor=coordinator).exists()


def test_refused_actors_change_nothing(client, course, lecturer, contact_a, expert_user):
    trainer = UserFactory()
    course.trainers.add(trainer)  # records attendance, but not evaluations
    for user in (contact_a, expert_user, trainer):
        client.force_login(user)
        response = client.post(
            lecture_url(course, lecturer),
            {"evaluators": "Outi Opettaja", "lecture_on": days_from_today(-2)},
        )
        assert response.status_code == 404
        assert client.get(reverse("palaute:course", args=[course.pk])).status_code == 404
    assert not FeedbackLink.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="feedback.").exists()


@pytest.mark.parametrize("set_as_assignment", [True, False])
def test_a_practice_lecture_set_as_an_assignment_is_evaluated_too(
    client, coordinator, set_as_assignment
):
    """A supplementary course's type needs no practice lecture; one set as an assignment still
    gets the evaluation section and its link."""
    course = CourseFactory(course_type=course_type("supplementary"), coordinator=coordinator)
    add_sessions(course, [(days_from_today(-2), "9:00", "12:00")])
    if set_as_assignment:
        assignment(course, Assignment.Kind.PRACTICE_LECTURE, title="Harjoitusluento")
    application = participant(course)
    client.force_login(coordinator)

    page = client.get(
        reverse("koulutus:participant", kwargs={"pk": course.pk, "application_pk": application.pk})
    ).content.decode()

    assert ('id="lecture-heading"' in page) is set_as_assignment
    assert (lecture_url(course, application) in page) is set_as_assignment
