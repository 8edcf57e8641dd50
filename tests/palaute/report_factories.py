"""A small network with a year of tasks and feedback for the report tests, kept as plain
specs too, so that tests compute the expected figures in Python, apart from the report's SQL.

    network = build_network()          # YEAR's and the year before's tasks, answers, experts
    network.tasks                      # [TaskSpec], every task made
    past_answers(task, "listener", overall=4)   # one filled-in form on a past task
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.utils import timezone

from kotove.models import MemberOrganisation
from palaute.models import Answer, FeedbackForm, FeedbackLink, Question, Response
from pankki.models import Expert, Task, Theme

from ..pankki.factories import ExpertFactory, municipality
from ..pankki.task_factories import TaskFactory, audience, task_type

YEAR = 2024
ORG_A, ORG_B = "Aivoliitto", "Suomen Syöpäyhdistys"
PIRKANMAA, UUSIMAA, VARSINAIS_SUOMI = "Pirkanmaa", "Uusimaa", "Varsinais-Suomi ja Ahvenanmaa"
TYPE_1, TYPE_2 = "Ammattilaisten täydennyskoulutukset", "Mediayhteistyö ja blogit"
AUDIENCE_1, AUDIENCE_2 = "Lääkärit", "Sairaanhoitajat ja hoitohenkilöstö"
AREA_OF = {"Tampere": PIRKANMAA, "Helsinki": UUSIMAA, "Turku": VARSINAIS_SUOMI}


@dataclass
class TaskSpec:
    expert: str
    date: datetime.date
    status: str
    type: str
    audience: str
    size: int
    place: str | None  # None: online without a municipality
    online: bool = False
    task: Task | None = None

    @property
    def held(self) -> bool:
        return self.date.year == YEAR and self.status != Task.Status.CANCELLED


@dataclass
class ExpertSpec:
    key: str
    organisation: str
    home: str
    themes: list[str] = field(default_factory=list)
    basic_training: datetime.date | None = datetime.date(2020, 5, 1)
    left_on: datetime.date | None = None

    @property
    def in_register(self) -> bool:
        return (
            self.basic_training is not None
            and self.basic_training.year <= YEAR
            and (self.left_on is None or self.left_on.year >= YEAR)
        )


EXPERTS = [
    ExpertSpec("e1", ORG_A, "Tampere", ["Afasia"]),
    ExpertSpec("e2", ORG_A, "Helsinki", ["Afasia", "Aivoverenkiertohäiriö"]),
    ExpertSpec("e3", ORG_B, "Tampere", ["Rintasyöpä"]),
    ExpertSpec("e4", ORG_B, "Helsinki"),  # in the register, no task in the year
    ExpertSpec("e5", ORG_A, "Tampere", left_on=datetime.date(YEAR - 1, 6, 1)),
    ExpertSpec("e6", ORG_B, "Turku", basic_training=datetime.date(YEAR + 1, 3, 1)),
    ExpertSpec("e7", ORG_A, "Turku", ["Afasia"], left_on=datetime.date(YEAR, 5, 1)),
]
D = datetime.date
DONE, AGREED, CANCELLED = Task.Status.DONE, Task.Status.AGREED, Task.Status.CANCELLED
TASKS = [
    TaskSpec("e1", D(YEAR, 1, 15), DONE, TYPE_1, AUDIENCE_1, 20, "Tampere"),
    TaskSpec("e1", D(YEAR, 3, 10), DONE, TYPE_2, AUDIENCE_1, 30, None, online=True),
    TaskSpec("e2", D(YEAR, 3, 20), DONE, TYPE_1, AUDIENCE_2, 15, "Helsinki"),
    TaskSpec("e2", D(YEAR, 7, 5), AGREED, TYPE_1, AUDIENCE_2, 40, "Tampere"),
    TaskSpec("e3", D(YEAR, 11, 30), DONE, TYPE_2, AUDIENCE_1, 25, "Helsinki"),
    TaskSpec("e3", D(YEAR, 12, 31), DONE, TYPE_1, AUDIENCE_1, 10, "Turku", online=True),
    TaskSpec("e3", D(YEAR, 5, 5), CANCELLED, TYPE_1, AUDIENCE_1, 50, "Tampere"),
    TaskSpec("e7", D(YEAR, 2, 2), DONE, TYPE_2, AUDIENCE_2, 12, "Tampere"),
    TaskSpec("e1", D(YEAR - 1, 6, 1), DONE, TYPE_1, AUDIENCE_1, 33, "Tampere"),
    TaskSpec("e2", D(YEAR + 1, 1, 1), DONE, TYPE_1, AUDIENCE_1, 44, "Helsinki"),
]
# Listener "overall" answers per task (by index in TASKS); the orderer's and the expert's.
LISTENER_OVERALL = {0: [5, 4, 4, 3, 5, 4], 2: [2, 3], 4: [4, 4], 8: [3, 3, 4, 4, 5]}
ORDERER_GOALS = {0: 5, 2: 4, 4: 3}  # three answers in the year: fewer than five
SELF_SUCCESS = {0: 4, 1: 5, 2: 3, 4: 4, 5: 5, 7: 2, 8: 3}


def past_answers(task: Task, kind: str, **values) -> Response:
    """One filled-in form on `task` (closed links too), rows written directly."""
    link, _ = FeedbackLink.objects.get_or_create(task=task, kind=kind)
    form = FeedbackForm.objects.current_of(kind)
    response = Response.objects.create(link=link, form=form, submitted_on=task.date)
    for key, value in values.items():
        question = form.questions.get(key=key)
        scale = question.kind == Question.Kind.SCALE
        Answer.objects.create(
            response=response,
            question=question,
            number=value if scale else None,
            choices=[] if scale else [value],
        )
    return response


@dataclass
class Network:
    experts: dict[str, Expert]
    tasks: list[TaskSpec]

    def held(self, organisation: str | None = None) -> list[TaskSpec]:
        return [
            t
            for t in self.tasks
            if t.held and (organisation is None or self.spec(t.expert).organisation == organisation)
        ]

    @staticmethod
    def spec(key: str) -> ExpertSpec:
        return next(e for e in EXPERTS if e.key == key)

    def area_of(self, task: TaskSpec) -> str:
        return AREA_OF[task.place or self.spec(task.expert).home]


def build_network() -> Network:
    experts = {}
    for spec in EXPERTS:
        experts[spec.key] = ExpertFactory(
            first_name=spec.key.upper(),
            responsible_organisation=MemberOrganisation.objects.get(name_fi=spec.organisation),
            home_municipality=municipality(spec.home),
            themes=[Theme.objects.get(name_fi=name) for name in spec.themes],
            basic_training_date=spec.basic_training,
            status=Expert.Status.LEFT if spec.left_on else Expert.Status.ACTIVE,
            left_on=spec.left_on,
        )
    now = timezone.now()
    tasks = [replace(spec) for spec in TASKS]
    for spec in tasks:
        spec.task = TaskFactory(
            expert=experts[spec.expert],
            date=spec.date,
            status=spec.status,
            done_at=now if spec.status == DONE else None,
            cancelled_at=now if spec.status == CANCELLED else None,
            task_type=task_type(spec.type),
            audience=audience(spec.audience),
            audience_size=spec.size,
            municipality=municipality(spec.place) if spec.place else None,
            online=spec.online or spec.place is None,
        )
    for index, values in LISTENER_OVERALL.items():
        for value in values:
            past_answers(tasks[index].task, "listener", overall=value)
    for index, value in ORDERER_GOALS.items():
        past_answers(tasks[index].task, "orderer", goals=value)
    for index, value in SELF_SUCCESS.items():
        past_answers(tasks[index].task, "self_evaluation", success=value)
    return Network(experts, tasks)


def recognition(status: str, decided: str, *, organisation: str = ORG_B, home: str = "Turku"):
    """A decided application for recognition on special grounds."""
    from koulutus.models import RecognitionApplication

    return RecognitionApplication.objects.create(
        organisation=MemberOrganisation.objects.get(name_fi=organisation),
        first_name="Rea",
        last_name="Erityinen",
        email="rea@example.fi",
        home_municipality=municipality(home),
        experience_kind=Expert.ExperienceKind.OWN,
        grounds="Pitkä kokemus järjestön luennoitsijana.",
        status=status,
        decision_date=decided,
    )
