"""Courses, sessions and applications for any test of training.

course = CourseFactory()                          # basic, Aivoliitto, open for applications
add_sessions(course, [(date, "9:00", "17:00"), ...])
ApplicationFactory(course=course)                 # of Aivoliitto, waiting for the decision
participant(course)                               # a confirmed place
attend(application, session)                      # present (or status=..., minutes=...)
"""

import datetime

import factory
from django.utils import timezone

from kotove.models import MemberOrganisation, Municipality
from koulutus.models import (
    Application,
    Assignment,
    Attendance,
    Course,
    CourseType,
    PracticeLectureEvaluation,
    Session,
)
from tests.factories import UserFactory


def course_type(kind: str) -> CourseType:
    return CourseType.objects.get(kind=kind)


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    course_type = factory.LazyFunction(lambda: course_type(CourseType.Kind.BASIC))
    name = factory.Sequence(lambda n: f"Peruskoulutus {n}")
    description = "Kokemustoimijan peruskoulutus."
    coordinator = factory.SubFactory(UserFactory)
    capacity = 10
    application_opens = factory.LazyFunction(lambda: days_from_today(-10))
    application_closes = factory.LazyFunction(lambda: days_from_today(10))
    is_published = True

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create:
            self.organisations.set(
                extracted
                if extracted is not None
                else [MemberOrganisation.objects.get(name_fi="Aivoliitto")]
            )


def add_sessions(course: Course, rows) -> list[Session]:
    """Rows of (date, "H:MM", "H:MM"); places are filled in."""
    return [
        Session.objects.create(
            course=course,
            date=date,
            starts_at=datetime.time.fromisoformat(start.zfill(5)),
            ends_at=datetime.time.fromisoformat(end.zfill(5)),
            place="Järjestötalo, Tampere",
        )
        for date, start, end in rows
    ]


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    course = factory.SubFactory(CourseFactory)
    organisation = factory.LazyFunction(
        lambda: MemberOrganisation.objects.get(name_fi="Aivoliitto")
    )
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    email = factory.Sequence(lambda n: f"hakija{n}@example.fi")
    phone = "040 765 4321"
    home_municipality = factory.LazyFunction(lambda: Municipality.objects.get(name_fi="Tampere"))
    language = "fi"
    experience_kind = "own"
    experience = "Sairastuin aivoinfarktiin 45-vuotiaana."
    motivation = "Haluan kertoa kuntoutumisesta."
    status = Application.Status.SUBMITTED
    verified_at = factory.LazyFunction(timezone.now)


def participant(course: Course, **fields) -> Application:
    return ApplicationFactory(
        course=course, status=Application.Status.CONFIRMED, confirmed_at=timezone.now(), **fields
    )


def attend(application, session, status=Attendance.Status.PRESENT, minutes=None) -> Attendance:
    return Attendance.objects.create(
        application=application, session=session, status=status, minutes=minutes
    )


def assignment(course, kind=Assignment.Kind.PRE_TASK, **fields) -> Assignment:
    return Assignment.objects.create(
        course=course, kind=kind, title=fields.pop("title", f"Tehtävä ({kind})"), **fields
    )


def evaluate(application, accepted=True) -> PracticeLectureEvaluation:
    return PracticeLectureEvaluation.objects.create(
        application=application,
        evaluated_on=timezone.localdate(),
        evaluators=["Outi Opettaja", "Kalle Kouluttaja"],
        accepted=accepted,
    )
