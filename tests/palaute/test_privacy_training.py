"""Evaluator names and course feedback in a person's data export and erasure."""

import pytest

from kotove.personal_data import ERASED, Person, erase, export_data, plan
from koulutus.models import PracticeLectureEvaluation
from palaute import course_services
from palaute.models import Answer, FeedbackLink, FormKind

from ..factories import UserFactory
from ..koulutus.factories import CourseFactory, add_sessions, days_from_today, participant
from .factories import answer


@pytest.fixture
def world(db):
    course = CourseFactory(name="Peruskoulutus Tampere")
    add_sessions(course, [(days_from_today(-2), "9:00", "16:00")])
    anna = participant(course, first_name="Anna", last_name="Aalto", email="anna@example.fi")
    outi = UserFactory(first_name="Outi", last_name="Opettaja", email="outi@example.fi")
    (link,) = course_services.create_evaluation_links(
        application=anna,
        evaluators=["Outi Opettaja"],
        lecture_on=days_from_today(-2),
        by=course.coordinator,
    )
    from palaute import services
    from palaute.models import FeedbackForm

    form = FeedbackForm.objects.current_of(FormKind.PRACTICE_LECTURE)
    strengths = form.questions.get(key="strengths")
    services.submit_response(
        link=link,
        form=form,
        answers=[(strengths, "Selkeä rakenne")],
        evaluator_name="Outi Opettaja",
        accepted=True,
    )
    course_link = FeedbackLink.objects.create(
        participant=anna, kind=FormKind.COURSE, held_on=days_from_today(-2)
    )
    answer(course_link, overall=5, most_useful="Vertaisten tarinat")
    return anna, outi


def exported(person):
    data = export_data(plan(person))
    return {section["model"]: section["rows"] for section in data["sections"]}


def test_evaluator_and_participant_each_get_their_share(world):
    anna, outi = world
    rows = exported(Person.of(outi))
    assert [row["evaluator"] for row in rows["palaute.feedbacklink"]] == ["Outi Opettaja"]
    assert {row["answer"] for row in rows["palaute.answer"]} == {"Selkeä rakenne"}
    rows = exported(Person(emails=frozenset({"anna@example.fi"})))
    assert {row["answer"] for row in rows["palaute.answer"]} >= {
        "Selkeä rakenne",
        "Vertaisten tarinat",
    }


def test_erasing_the_evaluator_removes_their_name_everywhere(world):
    anna, outi = world
    erase(plan(Person.of(outi)))
    link = FeedbackLink.objects.get(kind=FormKind.PRACTICE_LECTURE)
    assert (link.evaluator_name, link.accepted) == (ERASED, True)
    assert PracticeLectureEvaluation.objects.get(application=anna).evaluators == [ERASED]
    assert not Answer.objects.filter(text="Selkeä rakenne").exists()
    assert Answer.objects.filter(text="Vertaisten tarinat").exists()  # the participant's own


def test_the_readable_export_labels_the_evaluations_keys(world):
    from django.utils import translation

    from kotove.personal_data import readable_sections

    _anna, outi = world
    with translation.override("fi"):
        sections = readable_sections(export_data(plan(Person.of(outi)), readable=True))
    labels = {label for section in sections for row in section["rows"] for label, _v in row}
    assert {
        "koulutus",
        "koulutuksen osallistuja",
        "arvioija",
        "harjoitusluennon päivä",
        "lomake",
        "vastattu",
        "vastaus",
    } <= labels
    assert not labels & {"course", "participant", "evaluator", "lecture_on", "answered_on"}
