"""Demo feedback: listener, orderer and self-evaluation answers for the demo experts' past
tasks, with Finnish free text; every fourth task has fewer than five listener answers, so the
small-number rule shows. On training: course feedback from the participants of ended courses
(one with fewer than five answers), and one participant of the running basic course whose
practice lecture two named evaluators have evaluated with the form (a third has not answered).

The tasks are the bank's demo tasks. Where there are none, a few past tasks are recorded for
the demo expert login and for experts of the demo contact's organisation, so that every demo
role has feedback to look at. Deterministic for a seed and idempotent: nothing is added when
demo tasks have answers.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kotove.models import Municipality, OrdererOrganisation, User
from koulutus.models import Application, Course, CourseType
from pankki.demo import DEMO_DOMAIN
from pankki.models import Audience, Expert, Task, TaskType

from . import course_services, report_services, services
from .models import (
    LINK_KINDS,
    Answer,
    FeedbackForm,
    FeedbackLink,
    FormKind,
    Question,
    Report,
    Response,
)

TEXTS = {
    (FormKind.LISTENER, "best"): [
        "Kokemustoimijan avoimuus ja rohkeus kertoa omasta arjestaan.",
        "Oli hienoa kuulla, miltä hoito tuntui potilaan näkökulmasta.",
        "Konkreettiset esimerkit siitä, mikä auttoi ja mikä ei.",
        "Läheisen näkökulma avasi asioita, joita en ollut tullut ajatelleeksi.",
        "Kertomus diagnoosin saamisesta pysäytti miettimään omaa tapaani kohdata potilaita.",
        "Vinkit siitä, miten ammattilainen voi kysyä ja kuunnella paremmin.",
        "Huumori vakavan aiheen keskellä.",
        "Se, että kuulimme myös toivosta ja toipumisesta.",
    ],
    (FormKind.LISTENER, "improve"): [
        "Olisin halunnut enemmän aikaa kysymyksille.",
        "Olisi ollut kiinnostavaa kuulla lisää vertaistuesta.",
        "Diat näkyivät huonosti takariviin.",
        "Lisää esimerkkejä siitä, miten omaiset voi ottaa mukaan hoitoon.",
        "Keskustelua pienryhmissä olisi voinut olla enemmän.",
    ],
    (FormKind.ORDERER, "comments"): [
        "Opiskelijat antoivat luennosta erittäin hyvää palautetta. Tilaamme mielellämme uudelleen.",
        "Yhteistyö sujui joustavasti, ja kokemustoimija oli valmistautunut huolellisesti.",
        "Kokemustoimijan osuus sopi hyvin kurssin sisältöön ja herätti paljon keskustelua.",
        "Aikataulu venyi hieman, mutta keskustelu oli antoisaa.",
    ],
    (FormKind.COURSE, "most_useful"): [
        "Oman tarinan työstäminen pienryhmässä.",
        "Harjoitusluento ja siitä saatu palaute.",
        "Vertaisten kokemukset ja keskustelut tauoilla.",
        "Kouluttajien vinkit rajojen pitämiseen.",
    ],
    (FormKind.COURSE, "improve"): [
        "Enemmän aikaa harjoitusluentojen valmisteluun.",
        "Taukoja voisi olla useammin.",
        "Ennakkotehtävän ohjeet voisivat olla selkeämmät.",
    ],
    (FormKind.PRACTICE_LECTURE, "strengths"): [
        "Selkeä rakenne ja koskettava oma tarina, joka liittyi hyvin aiheeseen.",
        "Rauhallinen esitystapa ja hyvä katsekontakti kuulijoihin.",
    ],
    (FormKind.PRACTICE_LECTURE, "develop"): [
        "Loppuun voisi lisätä yhden konkreettisen vinkin ammattilaisille.",
        "Diat voisivat olla väljempiä.",
    ],
    (FormKind.SELF_EVALUATION, "learned"): [
        "Jännitin etukäteen, mutta kuulijat olivat kiinnostuneita ja kysyivät paljon.",
        "Ensi kerralla varaan enemmän aikaa keskustelulle.",
        "Tauko kesken puheenvuoron auttoi jaksamaan.",
        "Oman tarinan kertominen tuntui raskaalta, mutta palaute kannatti.",
        "Opin rajaamaan, mitä kerron omasta sairaudestani.",
    ],
}
CHUNK = 500  # tasks per batch of inserts
TEXT_SHARE = {
    FormKind.LISTENER: 0.35,
    FormKind.ORDERER: 0.8,
    FormKind.SELF_EVALUATION: 0.7,
    FormKind.COURSE: 0.6,
    FormKind.PRACTICE_LECTURE: 1,
}
TITLES = [
    "Elämää aivoverenkiertohäiriön jälkeen",
    "Kuntoutuksen polku potilaan silmin",
    "Omaisena sairaalan käytävillä",
    "Afasia ja arki",
    "Kohtaaminen vastaanotolla",
    "Paluu työelämään sairastumisen jälkeen",
]


@transaction.atomic
def load(seed: int = 2026) -> None:
    _task_feedback(seed)
    _training_feedback(seed)
    _request_report(timezone.localdate())


def _task_feedback(seed: int) -> None:
    demo_tasks = Task.objects.filter(expert__email__endswith=f"@{DEMO_DOMAIN}")
    if Response.objects.filter(link__task__in=demo_tasks).exists():
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    past = list(
        demo_tasks.filter(date__lt=today, date__gte=today - timedelta(days=730))
        .exclude(status=Task.Status.CANCELLED)
        .order_by("date", "pk")
    ) or _record_tasks(rng, today)
    forms = {
        kind: (form, list(form.questions.all()))
        for kind in (FormKind.LISTENER, FormKind.ORDERER, FormKind.SELF_EVALUATION)
        for form in [FeedbackForm.objects.current_of(kind)]
    }
    # In chunks, so that the load test's 10,000 experts (20,000 tasks) take minutes, not hours.
    for start in range(0, len(past), CHUNK):
        chunk = past[start : start + CHUNK]
        links = _links(chunk)
        responses, answers = [], []
        for number, task in enumerate(chunk, start):
            listeners = rng.randint(1, 4) if number % 4 == 3 else rng.randint(6, 22)
            counts = {
                FormKind.LISTENER: listeners,
                FormKind.ORDERER: int(rng.random() < 0.75),
                FormKind.SELF_EVALUATION: int(rng.random() < 0.8),
            }
            for kind, count in counts.items():
                form, questions = forms[kind]
                for _ in range(count):
                    response = Response(
                        link=links[task.pk][kind],
                        form=form,
                        submitted_on=min(task.date + timedelta(days=rng.randint(0, 6)), today),
                    )
                    responses.append(response)
                    answers += [
                        answer
                        for question in questions
                        if (answer := _answer(rng, kind, response, question)) is not None
                    ]
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers)


def _links(tasks: list[Task]) -> dict[int, dict[str, FeedbackLink]]:
    """Each task's links by kind: services.ensure_links for many tasks at once."""
    FeedbackLink.objects.bulk_create(
        [FeedbackLink(task=task, kind=kind) for task in tasks for kind in LINK_KINDS],
        ignore_conflicts=True,
    )
    links = {}
    for link in FeedbackLink.objects.filter(task__in=tasks, kind__in=LINK_KINDS):
        links.setdefault(link.task_id, {})[link.kind] = link
    return links


def _request_report(today) -> None:
    """Last year's network report, asked for by the demo planner; the Celery worker that
    `make run` starts builds it."""
    planner = User.objects.filter(email=f"suunnittelija@{DEMO_DOMAIN}").first()
    if planner is None or Report.objects.exists():
        return
    report_services.request_report(by=planner, year=today.year - 1, scope=Report.Scope.NETWORK)


def _answer(rng: random.Random, kind: str, response: Response, question: Question):
    answer = Answer(response=response, question=question)
    match question.kind:
        case Question.Kind.SCALE:
            answer.number = rng.choices([1, 2, 3, 4, 5], [1, 2, 8, 30, 40])[0]
        case Question.Kind.SINGLE:
            if not question.required and rng.random() < 0.2:
                return None
            answer.choices = [rng.randrange(len(question.choices))]
        case Question.Kind.MULTIPLE:
            answer.choices = sorted(rng.sample(range(len(question.choices)), rng.randint(1, 2)))
        case _:
            texts = TEXTS.get((kind, question.key))
            if not texts or rng.random() > TEXT_SHARE[kind]:
                return None
            answer.text = rng.choice(texts)
    return answer


def _record_tasks(rng: random.Random, today) -> list[Task]:
    """Past tasks for the demo expert login and for the demo contact's organisation's
    experts, half of them ordered by the demo orderer's organisation."""
    own = Expert.objects.filter(user__email=f"kokemustoimija@{DEMO_DOMAIN}").first()
    colleagues = Expert.objects.filter(
        email__endswith=f"@{DEMO_DOMAIN}",
        responsible_organisation__name_fi="Aivoliitto",
        status=Expert.Status.ACTIVE,
    ).order_by("pk")[:6]
    experts = [e for e in [own, *colleagues] if e is not None]
    if not experts:
        return []
    demo_orderer = OrdererOrganisation.objects.filter(name="Pirkanmaan hyvinvointialue").first()
    orderers = list(OrdererOrganisation.objects.order_by("pk")[:40])
    task_types, audiences = list(TaskType.objects.all()), list(Audience.objects.all())
    tampere = Municipality.objects.get(name_fi="Tampere")
    tasks = []
    for expert in experts:
        for _ in range(rng.randint(5, 9) if expert == own else rng.randint(2, 5)):
            organisation = demo_orderer if rng.random() < 0.5 else rng.choice(orderers)
            date = today - timedelta(days=rng.randint(3, 700))
            online = rng.random() < 0.3
            tasks.append(
                Task(
                    expert=expert,
                    orderer_organisation=organisation,
                    orderer_name="Tiina Tilaaja",
                    orderer_email=f"tilaaja@{DEMO_DOMAIN}",
                    title=rng.choice(TITLES),
                    task_type=rng.choice(task_types),
                    audience=rng.choice(audiences),
                    audience_size=rng.randint(12, 60),
                    date=date,
                    start_time=time(rng.choice([9, 10, 12, 13, 14]), 0),
                    end_time=time(15, 30),
                    online=online,
                    municipality=None if online else (organisation.municipality or tampere),
                    language="fi",
                    status=Task.Status.DONE,
                    done_at=timezone.make_aware(datetime.combine(date, time(16, 0))),
                )
            )
    Task.objects.bulk_create(tasks)
    return sorted(tasks, key=lambda task: task.date)


# (course name start, answers) of ended courses: the workshop shows figures, the Uusimaa course
# only counts (fewer than five answers).
COURSE_ANSWERS = [
    ("Esiintymistaidon työpaja", 5),
    ("Peruskoulutus Pirkanmaa", 7),
    ("Peruskoulutus Uusimaa", 3),
]


def _training_feedback(seed: int) -> None:
    if FeedbackLink.objects.filter(participant__isnull=False).exists():
        return
    rng = random.Random(seed + 1)
    today = timezone.localdate()
    form = FeedbackForm.objects.current_of(FormKind.COURSE)
    questions = list(form.questions.all())
    answers = []
    ended = Course.objects.ended(today=today).order_by("last_date")
    for name, count in COURSE_ANSWERS:
        course = ended.filter(name__startswith=name).first()
        if course is None:
            continue
        sent = timezone.make_aware(datetime.combine(course.last_date + timedelta(days=1), time(8)))
        participants = course.applications.participants().order_by("pk")
        for number, application in enumerate(participants):
            link = FeedbackLink.objects.create(
                participant=application,
                kind=FormKind.COURSE,
                held_on=course.last_date,
                emailed_at=sent,
                reminded_at=sent + timedelta(days=7) if number >= count - 1 else None,
            )
            if number < count:
                response = Response.objects.create(
                    link=link,
                    form=form,
                    submitted_on=course.last_date + timedelta(days=rng.randint(1, 9)),
                )
                answers += [
                    answer
                    for question in questions
                    if (answer := _answer(rng, FormKind.COURSE, response, question)) is not None
                ]
    Answer.objects.bulk_create(answers)
    _practice_lecture(rng, today)


def _practice_lecture(rng: random.Random, today) -> None:
    """The running basic course: a participant's practice lecture at the last session held,
    evaluated with the form by two named evaluators; the third has the link but no answer."""
    running = (
        Course.objects.with_dates()
        .filter(course_type__kind=CourseType.Kind.BASIC, first_date__lt=today, last_date__gt=today)
        .order_by("pk")
        .first()
    )
    if running is None:
        return
    lecturer = (
        Application.objects.participants()
        .filter(course=running, practice_lecture__isnull=True)
        .order_by("pk")
        .first()
    )
    lecture_on = running.sessions.filter(date__lte=today).order_by("-date").first()
    if lecturer is None or lecture_on is None:
        return
    links = course_services.create_evaluation_links(
        application=lecturer,
        evaluators=["Tuomas Kouluttaja", "Olli Ojala", "Sari Salo"],
        lecture_on=lecture_on.date,
        by=running.coordinator,
    )
    form = FeedbackForm.objects.current_of(FormKind.PRACTICE_LECTURE)
    questions = list(form.questions.all())
    for link in links[:2]:
        values = []
        for question in questions:
            if question.kind == Question.Kind.SCALE:
                values.append((question, rng.choice([4, 5])))
            elif question.kind == Question.Kind.SINGLE:
                values.append((question, 1))  # the length was right
            elif texts := TEXTS.get((FormKind.PRACTICE_LECTURE, question.key)):
                values.append((question, rng.choice(texts)))
        services.submit_response(
            link=link,
            form=form,
            answers=values,
            evaluator_name=link.evaluator_name,
            accepted=True,
        )
