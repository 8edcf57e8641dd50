"""The tools the training demo (koulutus.demo) builds with: names and places, and the Builder
that makes courses with their sessions and tasks, new people, applications and completions."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from kotove.demo import DEMO_PASSWORD
from kotove.models import Area, MemberOrganisation, User

from .models import (
    Application,
    Assignment,
    AssignmentCompletion,
    Attendance,
    Course,
    CourseType,
    PracticeLectureEvaluation,
    Session,
)

DOMAIN = "demo.kokemus.fi"
Status = Application.Status
FIRST_NAMES = ["Anu", "Eija", "Harri", "Irma", "Jukka", "Kirsi", "Lauri", "Minna", "Nina", "Olavi"]
FIRST_NAMES += ["Paula", "Reijo", "Sanni", "Tero", "Ulla", "Veera", "Aki", "Emma", "Greta", "Hugo"]
LAST_NAMES = [
    "Ahonen",
    "Blomqvist",
    "Eskola",
    "Hakala",
    "Ikonen",
    "Jokela",
    "Kallio",
    "Lappalainen",
]
LAST_NAMES += [
    "Manninen",
    "Nurmi",
    "Oksanen",
    "Peltonen",
    "Rautio",
    "Sjöberg",
    "Toivonen",
    "Väisänen",
]
EXPERIENCES = [
    "Sairastuin aivoinfarktiin 48-vuotiaana, ja kuntoutus kesti kaksi vuotta.",
    "Sain rintasyöpädiagnoosin viisi vuotta sitten. Hoidot ovat nyt ohi.",
    "Puolisoni sairastui, ja olen ollut hänen omaishoitajansa.",
]
PLACES = {
    "Pirkanmaa": "Järjestötalo, Tampere",
    "Uusimaa": "Pasilan järjestökeskus, Helsinki",
    "Pohjois-Pohjanmaa": "Oulun kansalaisopisto, Oulu",
    "Varsinais-Suomi ja Ahvenanmaa": "Turun järjestötalo, Turku",
    "Pohjanmaa": "Vasa stadsbibliotek, Vaasa",
}


def _user(email, first, last, language="fi") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, first_name=first, last_name=last, language=language
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


class Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.types = {t.kind: t for t in CourseType.objects.all()}
        self.orgs = {o.name_fi: o for o in MemberOrganisation.objects.all()}
        self.areas = {a.name_fi: a for a in Area.objects.prefetch_related("regions")}
        self.planner = User.objects.get(email=f"suunnittelija@{DOMAIN}")
        self.aivo = User.objects.get(email=f"yhteys.aivoliitto@{DOMAIN}")
        self.syopa = User.objects.get(email=f"yhteys.syopa@{DOMAIN}")
        self.kotove = User.objects.get(email=f"kotove@{DOMAIN}")
        self.trainer = _user(f"kouluttaja@{DOMAIN}", "Tuomas", "Kouluttaja")
        self.people = 0

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def course(self, kind, name, *, area=None, orgs=(), coordinator, days, hours, **fields):
        """A course with a session on each day offset (hours: (start, end) for all)."""
        area = self.areas[area] if area else None
        opens = fields.pop("opens", days[0] - 60)
        course = Course.objects.create(
            course_type=self.types[kind],
            name=name,
            area=area,
            coordinator=coordinator,
            application_opens=self.day(opens),
            application_closes=self.day(fields.pop("closes", days[0] - 14)),
            capacity=fields.pop("capacity", 16),
            is_published=True,
            **fields,
        )
        course.organisations.set([self.orgs[o] for o in orgs])
        place = PLACES.get(area.name_fi if area else "", "Kokemustoimintaverkoston toimisto")
        for index, offset in enumerate(days):
            start, end = hours[index] if isinstance(hours[0], tuple) else hours
            Session.objects.create(
                course=course,
                date=self.day(offset),
                starts_at=time.fromisoformat(start),
                ends_at=time.fromisoformat(end),
                place=place,
            )
        return course

    def tasks(self, course, *kinds_titles):
        return [
            Assignment.objects.create(course=course, kind=kind, title=title, due_on=due)
            for kind, title, due in kinds_titles
        ]

    def new_person(self, org_name, language="fi") -> dict:
        self.people += 1
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        ascii_last = last.lower().replace("ä", "a").replace("ö", "o")
        return {
            "first_name": first,
            "last_name": last,
            "email": f"hakija{self.people:03d}.{ascii_last}@{DOMAIN}",
            "phone": f"040 {self.rng.randrange(1000000, 9999999)}",
            "organisation": self.orgs[org_name],
            "language": language,
        }

    def apply(self, course, person: dict, status, *, municipality, **fields) -> Application:
        decided = status not in (Status.UNVERIFIED, Status.SUBMITTED)
        contacts = {"Aivoliitto": self.aivo, "Suomen Syöpäyhdistys": self.syopa}
        values = {
            "experience_kind": self.rng.choice(["own", "own", "close_one"]),
            "experience": self.rng.choice(EXPERIENCES),
            "motivation": "Haluan auttaa ammattilaisia ymmärtämään potilaan arkea.",
            **person,
            **fields,
        }
        return Application.objects.create(
            course=course,
            home_municipality=municipality,
            status=status,
            verified_at=None if status == Status.UNVERIFIED else self.now,
            decided_at=self.now - timedelta(days=self.rng.randrange(1, 9)) if decided else None,
            decided_by=contacts.get(person["organisation"].name_fi) if decided else None,
            confirmed_at=self.now if status == Status.CONFIRMED else None,
            **values,
        )

    def complete(self, application, sessions, tasks, *, last_day):
        Attendance.objects.bulk_create(
            Attendance(application=application, session=s, status="present") for s in sessions
        )
        AssignmentCompletion.objects.bulk_create(
            AssignmentCompletion(application=application, assignment=t)
            for t in tasks
            if not t.is_practice_lecture
        )
        if any(t.is_practice_lecture for t in tasks):
            PracticeLectureEvaluation.objects.create(
                application=application,
                evaluated_on=last_day,
                evaluators=["Tuomas Kouluttaja", "Liisa Lehtori"],
                accepted=True,
            )
        application.completed_on = last_day
        application.completion_confirmed_by = application.course.coordinator
        application.save(update_fields=["completed_on", "completion_confirmed_by"])
