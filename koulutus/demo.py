"""Demo training: past basic courses in several areas whose participants are the demo experts,
one basic course running mid-way, one open for applications with applications in every
state, a continuing training, supplementary trainings and recognitions on special grounds.

The demo contacts of Aivoliitto and Suomen Syöpäyhdistys (kotove.demo) see their
organisations' applications and coordinate courses. Deterministic for a seed and idempotent:
nothing is created when the demo courses exist. Dates are relative to today.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from kotove.models import Area, Municipality, User
from pankki.models import Expert

from .demo_builder import DOMAIN, Builder, Status
from .models import (
    Assignment,
    AssignmentCompletion,
    Attendance,
    Course,
    CourseType,
    InitialInterview,
    PracticeLectureEvaluation,
    RecognitionApplication,
)


def _experts_of(area: Area, count: int, exclude=()) -> list[Expert]:
    return list(
        Expert.objects.filter(
            email__endswith=f"@{DOMAIN}",
            status=Expert.Status.ACTIVE,
            home_municipality__region__in=area.regions.all(),
        )
        .exclude(pk__in=exclude)
        .select_related("responsible_organisation", "home_municipality", "user")
        .order_by("pk")[:count]
    )


def _as_person(expert: Expert) -> dict:
    return {
        "first_name": expert.first_name,
        "last_name": expert.last_name,
        "email": expert.email,
        "phone": expert.phone,
        "organisation": expert.responsible_organisation,
        "language": "fi",
        "expert": expert,
        "user": expert.user,
        "experience_kind": expert.experience_kind,
    }


def _past_basic_courses(b: Builder) -> None:
    """Past basic courses whose completed participants are the demo experts of the area."""
    kaisa = Expert.objects.filter(user__email=f"kokemustoimija@{DOMAIN}").first()
    plans = [
        ("Pirkanmaa", -3, ["Aivoliitto", "Suomen Syöpäyhdistys"], b.aivo),
        ("Uusimaa", -2, ["Suomen Syöpäyhdistys", "Hengitysliitto", "Neuroliitto"], b.syopa),
        ("Pohjois-Pohjanmaa", -1, ["Suomen Diabetesliitto", "Aivoliitto"], b.planner),
        ("Varsinais-Suomi ja Ahvenanmaa", -2, ["Mielenterveyden keskusliitto"], b.planner),
    ]
    used = []
    for area_name, years, orgs, coordinator in plans:
        start = -365 * abs(years) - 60
        course = b.course(
            CourseType.Kind.BASIC,
            f"Peruskoulutus {area_name} {b.day(start).year}",
            area=area_name,
            orgs=orgs,
            coordinator=coordinator,
            days=[start, start + 21, start + 42],
            hours=("08:45", "17:15"),
            description="Järjestöjen yhteinen kokemustoimijoiden peruskoulutus.",
        )
        sessions = list(course.sessions.all())
        tasks = b.tasks(
            course,
            (Assignment.Kind.PRE_TASK, "Oma kokemustarina", b.day(start - 7)),
            (Assignment.Kind.INTERMEDIATE, "Tutustuminen kokemuspankkiin", b.day(start + 14)),
            (Assignment.Kind.PRACTICE_LECTURE, "Harjoitusluento", b.day(start + 42)),
        )
        experts = _experts_of(b.areas[area_name], 8, exclude=used)
        if area_name == "Pirkanmaa" and kaisa and kaisa not in experts:
            experts.append(kaisa)
        last_day = sessions[-1].date
        for expert in experts:
            used.append(expert.pk)
            application = b.apply(
                course, _as_person(expert), Status.CONFIRMED, municipality=expert.home_municipality
            )
            b.complete(application, sessions, tasks, last_day=last_day)
        # The bank agrees with the course the experts took.
        Expert.objects.filter(pk__in=[e.pk for e in experts]).update(
            basic_training_date=last_day, basic_training_course=course.name
        )


def _running_course(b: Builder) -> None:
    """A basic course half done: two days behind, two ahead, attendance and tasks recorded."""
    course = b.course(
        CourseType.Kind.BASIC,
        f"Peruskoulutus Pirkanmaa {b.today.year}",
        area="Pirkanmaa",
        orgs=["Aivoliitto", "Suomen Syöpäyhdistys"],
        coordinator=b.aivo,
        days=[-21, -7, 7, 21],
        hours=[("09:00", "16:30"), ("09:00", "16:30"), ("09:00", "16:30"), ("09:00", "13:00")],
        capacity=10,
        description=(
            "Kokemustoimijoiden peruskoulutus Tampereella: neljä lähiopetuspäivää, ennakko- ja "
            "välitehtävät sekä harjoitusluento."
        ),
    )
    course.trainers.set([b.trainer, b.syopa])
    sessions = list(course.sessions.all())
    pre, mid, lecture = b.tasks(
        course,
        (Assignment.Kind.PRE_TASK, "Oma kokemustarina", b.day(-28)),
        (Assignment.Kind.INTERMEDIATE, "Haastattele ammattilaista", b.day(0)),
        (Assignment.Kind.PRACTICE_LECTURE, "Harjoitusluento", b.day(21)),
    )
    tampere = Municipality.objects.get(name_fi="Tampere")
    for n in range(8):
        person = b.new_person("Aivoliitto" if n % 2 else "Suomen Syöpäyhdistys")
        application = b.apply(course, person, Status.CONFIRMED, municipality=tampere)
        marks = ["present", "present"] if n not in (2, 5) else ["present", "partly"]
        if n == 7:
            marks = ["absent", "present"]
        for session, mark in zip(sessions[:2], marks, strict=True):
            Attendance.objects.create(
                application=application,
                session=session,
                status=mark,
                minutes=240 if mark == "partly" else None,
                recorded_by=b.aivo,
            )
        AssignmentCompletion.objects.create(application=application, assignment=pre)
        if n < 5:
            AssignmentCompletion.objects.create(application=application, assignment=mid)
        if n == 0:
            PracticeLectureEvaluation.objects.create(
                application=application,
                evaluated_on=b.day(-7),
                evaluators=["Tuomas Kouluttaja", "Olli Ojala"],
                accepted=True,
                note="Selkeä ja koskettava esitys.",
            )
    assert lecture.is_practice_lecture


def _open_course(b: Builder) -> None:
    """A basic course open for applications, with applications in every state."""
    course = b.course(
        CourseType.Kind.BASIC,
        f"Peruskoulutus Uusimaa {b.day(45).year}",
        area="Uusimaa",
        orgs=["Suomen Syöpäyhdistys", "Aivoliitto", "Hengitysliitto"],
        coordinator=b.syopa,
        days=[45, 59, 73],
        hours=("08:45", "17:15"),
        opens=-10,
        closes=20,
        capacity=12,
        description=(
            "Haluatko kertoa omasta tai läheisesi kokemuksesta opiskelijoille ja ammattilaisille? "
            "Peruskoulutus antaa valmiudet kokemustoimijan tehtäviin. Haku oman järjestön kautta."
        ),
    )
    course.trainers.set([b.trainer])
    b.tasks(
        course,
        (Assignment.Kind.PRE_TASK, "Oma kokemustarina", b.day(38)),
        (Assignment.Kind.INTERMEDIATE, "Tutustuminen kokemuspankkiin", b.day(52)),
        (Assignment.Kind.PRACTICE_LECTURE, "Harjoitusluento", b.day(73)),
    )
    helsinki = Municipality.objects.get(name_fi="Helsinki")
    espoo = Municipality.objects.get(name_fi="Espoo")
    states = [
        (Status.UNVERIFIED, "Aivoliitto", {}),
        (
            Status.SUBMITTED,
            "Aivoliitto",
            {"accessibility_needs": "Kuulen huonosti: induktiosilmukka."},
        ),
        (Status.SUBMITTED, "Aivoliitto", {}),
        (Status.SUBMITTED, "Suomen Syöpäyhdistys", {}),
        (Status.SELECTED, "Aivoliitto", {"decision_note": "Alkuhaastattelu hyvä."}),
        (Status.SELECTED, "Suomen Syöpäyhdistys", {}),
        (Status.NOT_SELECTED, "Aivoliitto", {"decision_note": "Hoidot kesken: hae myöhemmin."}),
        (Status.WAITING_LIST, "Suomen Syöpäyhdistys", {}),
        (Status.WAITING_LIST, "Aivoliitto", {}),
        (Status.OFFERED, "Suomen Syöpäyhdistys", {"offer_expires_at": b.now + timedelta(days=2)}),
        (Status.CONFIRMED, "Suomen Syöpäyhdistys", {"accessibility_needs": "Pyörätuoli."}),
        (Status.CONFIRMED, "Aivoliitto", {}),
        (Status.CONFIRMED, "Suomen Syöpäyhdistys", {}),
        (Status.DECLINED, "Aivoliitto", {}),
        (Status.EXPIRED, "Suomen Syöpäyhdistys", {}),
        (Status.WITHDRAWN, "Aivoliitto", {}),
    ]
    for n, (status, org, fields) in enumerate(states):
        person = b.new_person(org, language="sv" if n == 5 else "fi")
        application = b.apply(
            course, person, status, municipality=espoo if n % 3 else helsinki, **fields
        )
        if status not in (Status.UNVERIFIED, Status.SUBMITTED) or n == 2:
            InitialInterview.objects.create(
                application=application,
                held_on=b.day(-3),
                method=b.rng.choice(InitialInterview.Method.values),
                interviewer=application.decided_by or b.aivo,
                experience_processing="Kertoo kokemuksestaan jäsentyneesti.",
                situation="Voimavarat riittävät koulutukseen.",
                suitability=InitialInterview.Suitability.NOT_SUITABLE
                if status == Status.NOT_SELECTED
                else InitialInterview.Suitability.SUITABLE,
            )


def _continuing_course(b: Builder) -> None:
    course = b.course(
        CourseType.Kind.CONTINUING,
        f"Kehittäjä-vaikuttaja-jatkokoulutus {b.day(60).year}",
        orgs=["Aivoliitto", "Suomen Syöpäyhdistys", "Neuroliitto"],
        coordinator=b.planner,
        days=[60, 61],
        hours=[("10:00", "17:30"), ("09:00", "12:30")],
        opens=-5,
        closes=30,
        capacity=14,
        description=(
            "Työkaluja kokemustoimijalle kehittämis- ja suunnittelutehtäviin, esimerkiksi "
            "työryhmiin. Etätehtävät ja 1½ vuorokautta lähiopetusta Tampereella."
        ),
    )
    b.tasks(
        course,
        (Assignment.Kind.REMOTE, "Kuvaa yksi kehittämistehtäväsi", b.day(50)),
        (Assignment.Kind.REMOTE, "Palvelupolun analyysi", b.day(75)),
    )
    experts = list(
        Expert.objects.filter(
            email__endswith=f"@{DOMAIN}",
            status=Expert.Status.ACTIVE,
            responsible_organisation__name_fi__in=["Aivoliitto", "Suomen Syöpäyhdistys"],
            continuing_training_date__isnull=True,
        ).order_by("pk")[1:6]
    )
    for n, expert in enumerate(experts):
        person = _as_person(expert)
        b.apply(
            course,
            person,
            [
                Status.SUBMITTED,
                Status.SELECTED,
                Status.SUBMITTED,
                Status.SELECTED,
                Status.CONFIRMED,
            ][n],
            municipality=expert.home_municipality,
            experience="",
            basic_training_year=expert.basic_training_date.year,
            basic_training_organiser=expert.basic_training_course,
            previous_activity="Luentoja sairaanhoitajaopiskelijoille, yksi työryhmä.",
        )


def _supplementary(b: Builder) -> None:
    sirpa = User.objects.get(email=f"sihteeri.pirkanmaa@{DOMAIN}")
    ulla = User.objects.get(email=f"sihteeri.uusimaa@{DOMAIN}")
    past = b.course(
        CourseType.Kind.SUPPLEMENTARY,
        "Esiintymistaidon työpaja",
        area="Pirkanmaa",
        coordinator=sirpa,
        days=[-60],
        hours=("17:00", "20:00"),
        capacity=20,
        description="Esiintymisjännityksen hallinta ja äänenkäyttö. Kouluttajana teatteri-ilmaisun ohjaaja.",
    )
    [session] = past.sessions.all()
    for expert in _experts_of(b.areas["Pirkanmaa"], 6):
        application = b.apply(
            past, _as_person(expert), Status.CONFIRMED, municipality=expert.home_municipality
        )
        b.complete(application, [session], [], last_day=session.date)
    upcoming = b.course(
        CourseType.Kind.SUPPLEMENTARY,
        "PowerPoint-esityksen laatiminen",
        area="Uusimaa",
        coordinator=ulla,
        days=[30],
        hours=("17:00", "19:30"),
        opens=-20,
        closes=25,
        capacity=12,
        description="Selkeä ja saavutettava esitys: rakenne, kuvat ja fonttikoot.",
    )
    for expert in _experts_of(b.areas["Uusimaa"], 4, exclude=[]):
        b.apply(
            upcoming, _as_person(expert), Status.CONFIRMED, municipality=expert.home_municipality
        )
    b.course(
        CourseType.Kind.SUPPLEMENTARY,
        "Hissipuhe – presentera dig på en minut",
        area="Pohjanmaa",
        coordinator=b.planner,
        days=[40],
        hours=("13:00", "16:00"),
        opens=0,
        closes=35,
        capacity=15,
        language="sv",
        description="En kort workshop på svenska om att presentera sig själv och sin erfarenhet.",
    )


def _recognitions(b: Builder) -> None:
    from pankki.services import record_qualification

    oulu = Municipality.objects.get(name_fi="Oulu")
    RecognitionApplication.objects.create(
        organisation=b.orgs["Aivoliitto"],
        first_name="Riitta",
        last_name="Rinne",
        email=f"riitta.rinne@{DOMAIN}",
        home_municipality=oulu,
        experience_kind="own",
        grounds=(
            "Sairaalan kokemusasiantuntijakoulutus (60 h) vuonna 2019 ja viiden vuoden kokemus "
            "luennoinnista fysioterapeuttiopiskelijoille. Suosittelemme tunnustamista."
        ),
        submitted_by=b.aivo,
        created_at=b.now - timedelta(days=12),
    )
    approved = RecognitionApplication.objects.create(
        organisation=b.orgs["Suomen Syöpäyhdistys"],
        first_name="Markus",
        last_name="Mattila",
        email=f"markus.mattila@{DOMAIN}",
        home_municipality=Municipality.objects.get(name_fi="Turku"),
        experience_kind="close_one",
        grounds="KoKoA ry:n kokemusasiantuntijakoulutus 2020 ja työryhmätyöskentely.",
        status=RecognitionApplication.Status.APPROVED,
        submitted_by=b.syopa,
        created_at=b.now - timedelta(days=90),
        decision_date=b.day(-60),
        decided_by=b.kotove,
        decision_note="Tunnustetaan. Koulutus vastaa peruskoulutusta.",
    )
    approved.expert = record_qualification(
        by=b.kotove,
        organisation=approved.organisation,
        first_name=approved.first_name,
        last_name=approved.last_name,
        email=approved.email,
        home_municipality=approved.home_municipality,
        experience_kind=approved.experience_kind,
        recognition_decision_date=approved.decision_date,
    )
    approved.save(update_fields=["expert"])


@transaction.atomic
def load(seed: int = 2026) -> None:
    if Course.objects.filter(name__startswith="Peruskoulutus Pirkanmaa").exists():
        return
    if not User.objects.filter(email=f"yhteys.aivoliitto@{DOMAIN}").exists():
        return  # kotove's demo users are missing: nothing to build on
    builder = Builder(seed)
    _past_basic_courses(builder)
    _running_course(builder)
    _open_course(builder)
    _continuing_course(builder)
    _supplementary(builder)
    _recognitions(builder)
