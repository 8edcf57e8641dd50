"""The report's figures equal figures computed here in Python from the rows the test made
(report_factories keeps them as plain specs): several cells of every section, per scope, with
the small-number rule."""

import datetime
from collections import Counter
from statistics import mean

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kotove.models import Area, MemberOrganisation
from palaute.models import Report
from palaute.reports.build import compute
from pankki.models import Expert, Task

from ..koulutus.factories import ApplicationFactory, CourseFactory, add_sessions, course_type
from .report_factories import (
    AUDIENCE_1,
    EXPERTS,
    LISTENER_OVERALL,
    ORDERER_GOALS,
    ORG_A,
    ORG_B,
    PIRKANMAA,
    SELF_SUCCESS,
    TYPE_1,
    TYPE_2,
    UUSIMAA,
    YEAR,
    build_network,
    past_answers,
    recognition,
)


@pytest.fixture
def network(db):
    return build_network()


def report(scope="network", *, planner=False, year=YEAR, language="fi", **where) -> Report:
    return Report(year=year, scope=scope, language=language, for_planner=planner, **where)


def table(data, key):
    return next(t for _s, t in data.tables if t.key == key)


def cell(data, key, label, column=1):
    return next(row[column] for row in table(data, key).rows if row[0] == label)


def test_task_figures_for_the_network(network):
    data = compute(report(planner=True))
    held = network.held()
    assert cell(data, "tasks_summary", "Pidetyt tehtävät") == len(held) == 7
    assert cell(data, "tasks_summary", "Tavoitetut kuulijat") == sum(t.size for t in held)
    online = sum(t.online or t.place is None for t in held)
    assert cell(data, "tasks_summary", "Etänä pidettyjen osuus (%)") == round(
        100 * online / len(held), 1
    )
    assert cell(data, "tasks_summary", "Kokemustoimijoita, joilla oli tehtäviä") == len(
        {t.expert for t in held}
    )
    assert cell(data, "tasks_summary", "Perutut tehtävät") == 1
    by_type = Counter(t.type for t in held)
    assert cell(data, "tasks_by_type", TYPE_1) == by_type[TYPE_1]
    assert cell(data, "tasks_by_type", TYPE_2, column=2) == sum(
        t.size for t in held if t.type == TYPE_2
    )
    assert cell(data, "tasks_by_audience", AUDIENCE_1) == sum(
        t.audience == AUDIENCE_1 for t in held
    )
    by_month = Counter(t.date.month for t in held)
    months = table(data, "tasks_by_month").rows
    assert [row[1] for row in months] == [by_month[m] for m in range(1, 13)]
    assert months[2][0] == "Maaliskuu"
    by_area = Counter(network.area_of(t) for t in held)
    assert cell(data, "tasks_by_area", PIRKANMAA) == by_area[PIRKANMAA]
    assert cell(data, "tasks_by_area", UUSIMAA) == by_area[UUSIMAA]
    experts_in_pirkanmaa = {t.expert for t in held if network.area_of(t) == PIRKANMAA}
    assert cell(data, "tasks_by_area", PIRKANMAA, column=4) == len(experts_in_pirkanmaa)
    assert cell(data, "tasks_by_area", "Kainuu") == 0  # every area is listed
    by_organisation = Counter(network.spec(t.expert).organisation for t in held)
    assert cell(data, "tasks_by_organisation", ORG_A) == by_organisation[ORG_A]
    assert cell(data, "tasks_by_organisation", ORG_B) == by_organisation[ORG_B]
    assert table(data, "tasks_by_type").total[1:3] == [len(held), sum(t.size for t in held)]


def test_experts_with_no_task_are_counted_for_the_planner_only(network):
    in_register = {e.key for e in EXPERTS if e.in_register}
    idle = in_register - {t.expert for t in network.held()}
    planner = compute(report(planner=True))
    assert idle == {"e4"}
    assert cell(planner, "tasks_summary", "Rekisterin kokemustoimijat ilman tehtäviä") == 1
    assert cell(planner, "idle_by_organisation", ORG_B, column=2) == 1
    shared = compute(report())
    assert "idle_by_area" not in {t.key for _s, t in shared.tables}
    assert len(table(shared, "tasks_summary").rows) == 5


def test_feedback_counts_averages_and_change(network):
    data = compute(report())
    listener = table(data, "feedback_listener")
    overall = next(row for row in listener.rows if row[0].startswith("Kuinka hyödyllinen"))
    this_year = [v for i, values in LISTENER_OVERALL.items() if i != 8 for v in values]
    last_year = LISTENER_OVERALL[8]
    assert overall[1:5] == [
        len(this_year),
        round(mean(this_year), 2),
        len(last_year),
        round(mean(last_year), 2),
    ]
    assert overall[5] == round(round(mean(this_year), 2) - round(mean(last_year), 2), 2)
    # Three orderer answers in the year: the count only.
    goals = table(data, "feedback_orderer").rows[0]
    assert goals[1:3] == [len(ORDERER_GOALS), None]
    self_evaluation = table(data, "feedback_self_evaluation").rows[0]
    held_now = [v for i, v in SELF_SUCCESS.items() if network.tasks[i].date.year == YEAR]
    assert self_evaluation[1:3] == [len(held_now), round(mean(held_now), 2)]
    assert self_evaluation[3:5] == [1, None]
    forms = table(data, "feedback_summary")
    assert forms.rows[0][1:] == [len(this_year), len(last_year), len(this_year) - len(last_year)]


def test_feedback_counts_only_the_tasks_the_task_figures_count_as_held(network):
    """Answers given on a cancelled task, or on a task whose day had not come when the report
    was built, are not counted: the report counts the feedback of held tasks only."""
    cancelled, coming = network.tasks[6], network.tasks[5]
    assert cancelled.status == Task.Status.CANCELLED and coming.date == datetime.date(YEAR, 12, 31)
    past_answers(cancelled.task, "orderer", goals=1)
    past_answers(cancelled.task, "listener", overall=1)
    past_answers(coming.task, "orderer", goals=1)
    built = timezone.make_aware(datetime.datetime(YEAR, 12, 1, 12))

    data = compute(report(), now=built)
    counted = {i for i, t in enumerate(network.tasks) if t.held and t.date <= built.date()}
    assert cell(data, "tasks_summary", "Pidetyt tehtävät") == len(counted) == 6
    forms = {row[0]: row[1] for row in table(data, "feedback_summary").rows}
    assert forms == {
        "Kuulijapalaute": sum(len(v) for i, v in LISTENER_OVERALL.items() if i in counted),
        "Tilaajan palaute": sum(i in counted for i in ORDERER_GOALS),
        "Kokemustoimijan itsearviointi": sum(i in counted for i in SELF_SUCCESS),
    }
    assert forms["Tilaajan palaute"] == 3
    goals = table(data, "feedback_orderer").rows[0]
    assert goals[1] == 3
    overall = next(r for r in table(data, "feedback_listener").rows if r[0].startswith("Kuinka"))
    assert overall[1] == 10  # 6 + 2 + 2 answers, not the cancelled task's

    # Built after the year, the year's last task counts, the cancelled one still does not.
    later = compute(report(), now=timezone.make_aware(datetime.datetime(YEAR + 1, 2, 1, 12)))
    forms = {row[0]: row[1] for row in table(later, "feedback_summary").rows}
    assert forms["Tilaajan palaute"] == 4
    assert forms["Kuulijapalaute"] == 10


def test_small_number_rule_holds_in_an_organisation_report(network):
    organisation_b = MemberOrganisation.objects.get(name_fi=ORG_B)
    data = compute(report("organisation", organisation=organisation_b))
    overall = table(data, "feedback_listener").rows[0]
    # Organisation B's experts had two listener answers in the year: no average.
    assert overall[1:3] == [2, None]
    organisation_a = MemberOrganisation.objects.get(name_fi=ORG_A)
    data = compute(report("organisation", organisation=organisation_a))
    a_answers = LISTENER_OVERALL[0] + LISTENER_OVERALL[2]
    assert table(data, "feedback_listener").rows[0][1:3] == [
        len(a_answers),
        round(mean(a_answers), 2),
    ]


def test_an_organisation_report_holds_only_its_own_figures(network):
    organisation = MemberOrganisation.objects.get(name_fi=ORG_A)
    data = compute(report("organisation", organisation=organisation, planner=True))
    own = network.held(ORG_A)
    assert cell(data, "tasks_summary", "Pidetyt tehtävät") == len(own)
    assert cell(data, "tasks_by_area", PIRKANMAA) == sum(
        network.area_of(t) == PIRKANMAA for t in own
    )
    keys = {t.key for _s, t in data.tables}
    assert "tasks_by_organisation" not in keys and "register_by_organisation" not in keys
    text = str(data.to_json())
    assert ORG_B not in text
    assert cell(data, "register_summary", "Rekisterissä vuoden aikana") == sum(
        e.in_register and e.organisation == ORG_A for e in EXPERTS
    )


def test_an_area_report_counts_tasks_by_their_place(network):
    area = Area.objects.get(name_fi=PIRKANMAA)
    data = compute(report("area", area=area))
    in_area = [t for t in network.held() if network.area_of(t) == PIRKANMAA]
    assert cell(data, "tasks_summary", "Pidetyt tehtävät") == len(in_area)
    # The online task without a place counts in its expert's home area (Tampere).
    assert any(t.place is None for t in in_area)
    assert cell(data, "tasks_by_organisation", ORG_A) == sum(
        network.spec(t.expert).organisation == ORG_A for t in in_area
    )
    assert "tasks_by_area" not in {t.key for _s, t in data.tables}


def test_register_figures(network):
    data = compute(report())
    in_register = [e for e in EXPERTS if e.in_register]
    assert cell(data, "register_summary", "Rekisterissä vuoden aikana") == len(in_register)
    assert cell(data, "register_by_area", PIRKANMAA) == sum(
        e.home == "Tampere" for e in in_register
    )
    assert cell(data, "register_by_organisation", ORG_B) == sum(
        e.organisation == ORG_B for e in in_register
    )
    assert cell(data, "register_by_theme", "Afasia") == sum(
        "Afasia" in e.themes for e in in_register
    )
    Expert.objects.filter(first_name="E1").update(confirmed_at=None)
    data = compute(report())
    assert cell(data, "stale_by_organisation", ORG_A) == 1


COURSES = [
    # (type, area, organisations, first session, places, application statuses, completed)
    ("basic", PIRKANMAA, [ORG_A], datetime.date(YEAR, 2, 1), 12, ["confirmed"] * 3, 2),
    ("basic", UUSIMAA, [ORG_A, ORG_B], datetime.date(YEAR, 9, 1), 10, ["selected", "submitted"], 0),
    ("continuing", None, [ORG_B], datetime.date(YEAR, 5, 1), 8, ["unverified", "offered"], 0),
    ("supplementary", PIRKANMAA, [], datetime.date(YEAR - 1, 12, 30), 20, ["confirmed"], 1),
]


def make_courses():
    for kind, area, organisations, first, places, statuses, completed in COURSES:
        course = CourseFactory(
            course_type=course_type(kind),
            area=Area.objects.get(name_fi=area) if area else None,
            organisations=[MemberOrganisation.objects.get(name_fi=o) for o in organisations],
            capacity=places,
        )
        add_sessions(
            course,
            [(first, "9:00", "16:00"), (first + datetime.timedelta(days=1), "9:00", "12:00")],
        )
        for index, status in enumerate(statuses):
            ApplicationFactory(
                course=course,
                status=status,
                organisation=MemberOrganisation.objects.get(
                    name_fi=organisations[index % len(organisations)] if organisations else ORG_A
                ),
                completed_on=datetime.date(YEAR, 12, 1) if index < completed else None,
            )


def test_training_figures(network):
    make_courses()
    recognition("approved", f"{YEAR}-10-01")
    recognition("rejected", f"{YEAR}-11-01")
    recognition("approved", f"{YEAR - 1}-10-01")
    Expert.objects.filter(first_name="E4").update(basic_training_date=f"{YEAR}-09-01")
    Expert.objects.filter(first_name="E6").update(recognition_decision_date=f"{YEAR}-10-01")
    data = compute(report())
    held = [c for c in COURSES if c[3].year == YEAR]
    basic = [c for c in held if c[0] == "basic"]
    courses = table(data, "training_courses")
    # Counted people, in the plural (koulutus has "Valittu" and "Suoritettu" for one person).
    assert [column.label for column in courses.columns[3:]] == [
        "Hakijat",
        "Valitut",
        "Suorittaneet",
    ]
    row = next(r for r in courses.rows if r[0] == "Peruskoulutus")
    assert row[1:] == [
        len(basic),
        sum(c[4] for c in basic),
        sum(s != "unverified" for c in basic for s in c[5]),
        sum(s in ("selected", "offered", "confirmed") for c in basic for s in c[5]),
        sum(c[6] for c in basic),
    ]
    continuing = table(data, "training_courses").rows[1]
    assert continuing[3:5] == [1, 1]  # the unconfirmed application is no applicant
    assert table(data, "training_courses").total[1] == len(held)
    assert cell(data, "training_qualified", "Suorittanut peruskoulutuksen") == 1
    assert cell(data, "training_qualified", "Pätevyys todettu erityisin perustein") == 1
    assert cell(data, "training_qualified", "Hylätyt hakemukset erityisin perustein") == 1
    newly = "Uusia päteviä kokemustoimijoita (ensimmäinen pätevyys vuoden aikana)"
    assert cell(data, "training_qualified", newly) == 2
    area = compute(report("area", area=Area.objects.get(name_fi=PIRKANMAA)))
    assert table(area, "training_courses").total[1] == sum(c[1] == PIRKANMAA for c in held)
    organisation_b = MemberOrganisation.objects.get(name_fi=ORG_B)
    of_b = compute(report("organisation", organisation=organisation_b))
    # Organisation B co-organised two courses of the year; its own confirmed applicants: two.
    assert table(of_b, "training_courses").total[1:4] == [2, 18, 2]


def test_an_empty_year_says_so(network):
    data = compute(report(year=2016))
    assert not data.has_data and data.sections == []
    assert data.notes[0] == (
        "Vuodelta 2016 ei ole tietoja: ei tehtäviä, palautetta, koulutusta, ohjausryhmien "
        "toimintaa eikä kokemustoimijoita rekisterissä."
    )


def test_the_report_is_in_swedish_when_asked(network):
    data = compute(report(language="sv"))
    assert data.title == "Årsrapport 2024"
    assert cell(data, "tasks_by_month", "Mars") == 2
    groups = [row[0] for row in table(data, "steering_activity").rows]
    assert groups[:3] == ["Birkaland", "Egentliga Finland och Åland", "Egentliga Tavastland"]
    assert groups == sorted(groups)  # in Swedish alphabetical order, not the Finnish one


def test_figures_are_aggregated_in_a_fixed_number_of_queries(network):
    with CaptureQueriesContext(connection) as few:
        compute(report(planner=True))
    for _ in range(3):
        build_more = build_network()
    assert build_more
    with CaptureQueriesContext(connection) as more:
        compute(report(planner=True))
    assert len(more.captured_queries) == len(few.captured_queries) < 45


def make_steering_year():
    """Pirkanmaa: four meetings held (one more cancelled, one the year before), two events
    with three and one participants kept (one cancelled registration), a plan of three items
    (two done), two grants (one a draft). Uusimaa: one meeting."""
    from alueet.models import ActionPlan, GrantApplication, PlanItem, Registration

    from ..alueet.factories import EventFactory, MeetingFactory, group

    def at(month, day=10, year=YEAR):
        return timezone.make_aware(datetime.datetime(year, month, day, 10))

    pirkanmaa, uusimaa = group(PIRKANMAA), group(UUSIMAA)
    for month in (2, 4, 9, 11):
        MeetingFactory(group=pirkanmaa, starts_at=at(month), ends_at=at(month) + HOURS_2)
    MeetingFactory(group=pirkanmaa, starts_at=at(6), ends_at=at(6) + HOURS_2, cancelled_at=at(5))
    MeetingFactory(
        group=pirkanmaa, starts_at=at(11, year=YEAR - 1), ends_at=at(11, year=YEAR - 1) + HOURS_2
    )
    MeetingFactory(group=uusimaa, starts_at=at(3), ends_at=at(3) + HOURS_2)
    experts = list(Expert.objects.order_by("pk"))
    for kind, month, kept in (("recreation", 5, 3), ("peer", 10, 1)):
        event = EventFactory(
            group=pirkanmaa, kind=kind, starts_at=at(month), ends_at=at(month) + HOURS_2
        )
        for expert in experts[:kept]:
            Registration.objects.create(event=event, expert=expert, status="confirmed")
        Registration.objects.create(event=event, expert=experts[kept], status="cancelled")
    plan = ActionPlan.objects.create(group=pirkanmaa, year=YEAR)
    for status in ("done", "done", "not_done"):
        PlanItem.objects.create(plan=plan, kind="event", title="Virkistyspäivä", status=status)
    GrantApplication.objects.create(
        group=pirkanmaa,
        year=YEAR,
        purpose="Virkistyspäivä",
        amount=800,
        status="reported",
        granted_amount=600,
        spent_amount="550.50",
    )
    GrantApplication.objects.create(group=pirkanmaa, year=YEAR, purpose="Luento", amount=300)


HOURS_2 = datetime.timedelta(hours=2)


def test_steering_group_figures(network):
    make_steering_year()
    data = compute(report())
    activity = table(data, "steering_activity")
    assert len(activity.rows) == 18  # every group is listed
    assert next(r for r in activity.rows if r[0] == PIRKANMAA)[1:] == [4, "kyllä", 2, 4, 3, 2]
    assert next(r for r in activity.rows if r[0] == UUSIMAA)[1:3] == [1, "ei"]
    assert activity.total[1:3] == [5, "1/18 ryhmää"]
    grants = next(r for r in table(data, "steering_grants").rows if r[0] == PIRKANMAA)
    assert grants[1:] == [1, 800.0, 600.0, 550.5]
    kinds = table(data, "steering_events_by_kind").rows
    assert kinds == [["Virkistys", 1, 3], ["Vertaistapaaminen", 1, 1]]
    area = compute(report("area", area=Area.objects.get(name_fi=UUSIMAA)))
    assert [r[:2] for r in table(area, "steering_activity").rows] == [[UUSIMAA, 1]]
    assert table(area, "steering_grants").rows == [[UUSIMAA, 0, 0.0, 0.0, 0.0]]
    organisation = compute(
        report("organisation", organisation=MemberOrganisation.objects.get(name_fi=ORG_A))
    )
    steering = next(s for s in organisation.sections if s.key == "steering")
    assert steering.tables == [] and "alueittain" in steering.intro
