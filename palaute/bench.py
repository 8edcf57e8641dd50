"""The report benchmark's data: five years of a grown network, written with COPY.

Used by `manage.py bench_report`; nothing here is imported by the site itself. Rows are
generated in Python from a fixed seed and streamed to PostgreSQL with COPY (ids are given, the
sequences set afterwards), so 100,000 tasks and 500,000 answers take seconds, not minutes.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from kotove.models import Area, MemberOrganisation, Municipality, User
from koulutus.models import Application, Course, CourseType, Session
from pankki import bench as bank_bench
from pankki.models import Audience, Expert, Task, TaskType

from .models import Answer, FeedbackForm, FeedbackLink, Response

# Answers per form filled in: the listener, orderer and self-evaluation forms' scale questions.
SCALES = {
    "listener": ["overall", "understanding", "clarity"],
    "orderer": ["goals", "cooperation", "audience_benefit"],
    "self_evaluation": ["preparation", "success"],
}


def copy(model, columns: list[str], rows) -> int:
    """Stream `rows` (tuples in the order of `columns`, model field names) into the model's
    table with COPY."""
    fields = [model._meta.get_field(name) for name in columns]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as stream,
    ):
        for row in rows:
            stream.write_row(row)
            count += 1
    return count


def _reset_sequence(model) -> None:
    table = model._meta.db_table  # our own model's table, not input
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"COALESCE((SELECT max(id) FROM {table}), 1))"
        )


def generate(
    *, experts: int, tasks: int, answers: int, courses: int, last_year: int, seed: int = 3
) -> None:
    """Fill the (empty) bench database: `experts` experts, `tasks` tasks over the five years up
    to `last_year` (each year more than the one before), about `answers` feedback answers on
    them, and `courses` courses with their applications."""
    rng = random.Random(seed)
    bank_bench.generate(experts, seed=seed)
    with connection.cursor() as cursor:
        # Most records are confirmed now and then; a fifth are stale.
        cursor.execute(
            "UPDATE pankki_expert SET confirmed_at = now() - (random() * interval '500 days')"
        )
    _tasks(rng, tasks, last_year)
    _feedback(rng, answers)
    _courses(rng, courses, last_year)
    with connection.cursor() as cursor:
        for table in ("pankki_task", "palaute_feedbacklink", "palaute_response", "palaute_answer"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _tasks(rng: random.Random, count: int, last_year: int) -> None:
    expert_ids = list(Expert.objects.values_list("pk", flat=True))
    busy = rng.sample(expert_ids, k=int(len(expert_ids) * 0.8))  # a fifth never has a task
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    types = list(TaskType.objects.values_list("pk", flat=True))
    audiences = list(Audience.objects.values_list("pk", flat=True))
    years = list(range(last_year - 4, last_year + 1))
    growth = [1.0, 1.15, 1.3, 1.5, 1.7]  # a growing network
    now = timezone.now()

    def rows():
        for pk in range(1, count + 1):
            year = rng.choices(years, growth)[0]
            day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            online = rng.random() < 0.3
            place = None if online and rng.random() < 0.7 else rng.choice(municipalities)
            cancelled = rng.random() < 0.05
            status = Task.Status.CANCELLED if cancelled else Task.Status.DONE
            moment = timezone.make_aware(datetime.combine(day, time(16)))
            yield (
                pk,
                f"Keikka {pk}",
                rng.choice(types),
                rng.choice(audiences),
                rng.randint(5, 120),
                online,
                place,
                "",
                "",
                "fi",
                True,
                now,
                rng.choice(busy),
                "Bench-tilaaja",
                "Olli Opettaja",
                f"tilaaja{pk}@example.fi",
                "fi",
                day,
                status,
                None if cancelled else moment,
                moment if cancelled else None,
                "",
            )

    copy(
        Task,
        [
            "id",
            "title",
            "task_type",
            "audience",
            "audience_size",
            "online",
            "municipality",
            "address",
            "description",
            "language",
            "pays_travel_costs",
            "created_at",
            "expert",
            "orderer_organisation_name",
            "orderer_name",
            "orderer_email",
            "orderer_language",
            "date",
            "status",
            "done_at",
            "cancelled_at",
            "cancel_reason",
        ],
        rows(),
    )
    _reset_sequence(Task)


def _feedback(rng: random.Random, target: int) -> None:
    forms = {kind: FeedbackForm.objects.current_of(kind) for kind in SCALES}
    questions = {
        kind: [forms[kind].questions.get(key=key).pk for key in keys]
        for kind, keys in SCALES.items()
    }
    held = Task.objects.exclude(status=Task.Status.CANCELLED).values_list("pk", "date")
    links, responses, answers = [], [], []
    link_id = response_id = 0
    now = timezone.now()
    for task_id, day in held.iterator(chunk_size=10_000):
        filled = {
            "listener": rng.choice([0, 0, 1, 1, 2, 3]),
            "orderer": int(rng.random() < 0.45),
            "self_evaluation": int(rng.random() < 0.2),
        }
        for kind, count in filled.items():
            if not count:
                continue
            link_id += 1
            links.append((link_id, task_id, kind, f"bench-{link_id}", now, ""))
            centre = rng.uniform(3.2, 4.8)
            for _ in range(count):
                response_id += 1
                responses.append((response_id, link_id, forms[kind].pk, day))
                for question in questions[kind]:
                    value = min(5, max(1, round(rng.gauss(centre, 0.8))))
                    answers.append((response_id, question, value, [], ""))
        if len(answers) >= target:
            break
    copy(FeedbackLink, ["id", "task", "kind", "token", "created_at", "evaluator_name"], links)
    copy(Response, ["id", "link", "form", "submitted_on"], responses)
    copy(Answer, ["response", "question", "number", "choices", "text"], answers[:target])
    for model in (FeedbackLink, Response, Answer):
        _reset_sequence(model)


def _courses(rng: random.Random, count: int, last_year: int) -> None:
    """`count` courses over the five years, each with two to four sessions and up to 25
    applications in every state."""
    coordinator, _ = User.objects.get_or_create(email="bench-coordinator@example.fi")
    types = list(CourseType.objects.all())
    areas = list(Area.objects.all())
    organisations = list(MemberOrganisation.objects.all())
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    statuses = list(Application.Status.values)
    made = Course.objects.bulk_create(
        Course(
            course_type=rng.choice(types),
            name=f"Koulutus {n}",
            coordinator=coordinator,
            area=rng.choice(areas) if rng.random() < 0.6 else None,
            capacity=rng.randint(8, 25),
            application_opens=date(last_year - 4, 1, 1),
            application_closes=date(last_year - 4, 1, 31),
        )
        for n in range(count)
    )
    sessions, links, applications = [], [], []
    for course in made:
        first = date(rng.randint(last_year - 4, last_year), 1, 1) + timedelta(
            days=rng.randrange(330)
        )
        for day in range(rng.randint(2, 4)):
            sessions.append(
                Session(
                    course=course,
                    date=first + timedelta(days=7 * day),
                    starts_at=time(9),
                    ends_at=time(16),
                    place="Järjestötalo",
                )
            )
        for organisation in rng.sample(organisations, rng.randint(1, 3)):
            links.append(
                Course.organisations.through(
                    course_id=course.pk, memberorganisation_id=organisation.pk
                )
            )
        for n in range(rng.randint(5, 25)):
            status = rng.choice(statuses)
            applications.append(
                Application(
                    course=course,
                    organisation=rng.choice(organisations),
                    first_name="Hakija",
                    last_name=str(n),
                    email=f"hakija{course.pk}-{n}@example.fi",
                    home_municipality_id=rng.choice(municipalities),
                    status=status,
                    completed_on=first + timedelta(days=60)
                    if status == Application.Status.CONFIRMED and rng.random() < 0.8
                    else None,
                )
            )
    Session.objects.bulk_create(sessions)
    Course.organisations.through.objects.bulk_create(links)
    Application.objects.bulk_create(applications)


def counts() -> dict[str, int]:
    return {
        "experts": Expert.objects.count(),
        "tasks": Task.objects.count(),
        "answers": Answer.objects.count(),
        "courses": Course.objects.count(),
    }
