"""Feedback reaches the expert; the contact, the orderer and the planner see their share."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kotove.models import AuditEvent
from palaute import services
from pankki.models import Task

from ..pankki.factories import ExpertFactory
from .factories import TaskFactory, answer

COMMENT = "Rohkea ja avoin kertomus, kiitos!"
ORDERER_COMMENT = "Opiskelijat keskustelivat aiheesta vielä pitkään."
SELF_TEXT = "Opin, että tauko kesken luennon auttaa jaksamaan."


@pytest.fixture
def expert_a(expert_user, org_a):
    return ExpertFactory(responsible_organisation=org_a, user=expert_user, first_name="Kaisa")


@pytest.fixture
def task(expert_a, orderer_org):
    task = TaskFactory(expert=expert_a, orderer_organisation=orderer_org)
    links = services.ensure_links(task=task)
    for value in (5, 4, 4, 5, 3, 4):
        answer(links["listener"], overall=value, understanding=5, best=COMMENT)
    answer(
        links["orderer"],
        goals=5,
        cooperation=4,
        audience_benefit=5,
        order_again=0,
        comments=ORDERER_COMMENT,
    )
    answer(
        links["self_evaluation"],
        audience_count=1,
        preparation=4,
        success=3,
        wellbeing=2,
        learned=SELF_TEXT,
    )
    return task


@pytest.fixture
def small_task(expert_a):
    """A task with only three listener answers."""
    task = TaskFactory(expert=expert_a)
    link = services.ensure_links(task=task)["listener"]
    for value in (1, 2, 5):
        answer(link, overall=value)
    return task


def page(client, user, name, *args):
    client.force_login(user)
    response = client.get(reverse(f"palaute:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_expert_sees_averages_counts_and_comments_of_their_task(client, expert_user, task):
    text = page(client, expert_user, "task", task.pk)
    assert "6 täytettyä lomaketta" in text
    assert '<span class="figure">4,2</span> / 5' in text  # (5+4+4+5+3+4)/6
    assert COMMENT in text and ORDERER_COMMENT in text
    assert SELF_TEXT in text  # their own self-evaluation
    assert "Tulostettava sivu suomeksi (PDF)" in text
    assert AuditEvent.objects.filter(action="feedback.view_task").count() == 0  # own data


def test_small_numbers_show_the_count_only(client, expert_user, small_task):
    text = page(client, expert_user, "task", small_task.pk)
    assert "3 vastausta." in text
    assert "Luvut näytetään, kun vähintään 5 on vastannut." in text
    assert 'class="figure"' not in text


def test_expert_own_page_shows_tasks_and_figures_over_time(client, expert_user, task, small_task):
    text = page(client, expert_user, "own")
    assert "Oma palautteeni" in text
    assert f'href="{reverse("palaute:task", args=[task.pk])}"' in text
    assert f'href="{reverse("palaute:task", args=[small_task.pk])}"' in text
    assert "Kuulijapalaute vuosittain" in text
    assert str(task.date.year) in text
    assert "9 täytettyä lomaketta" in text  # listeners over both tasks
    assert COMMENT not in text  # free text is read per task


def test_contact_sees_figures_but_no_free_text_and_is_audited(client, contact_a, task):
    text = page(client, contact_a, "task", task.pk)
    assert '<span class="figure">4,2</span> / 5' in text
    assert COMMENT not in text and ORDERER_COMMENT not in text and SELF_TEXT not in text
    assert "Itsearvioinnin vastaukset" not in text
    assert "Kuulijoiden linkki" in text and "Avaa tilaajan lomake" not in text
    event = AuditEvent.objects.get(action="feedback.view_task")
    assert (event.actor, event.object_id) == (contact_a, str(task.pk))

    text = page(client, contact_a, "experts")
    assert "Kokemustoimijoiden palaute" in text and task.expert.last_name in text
    assert AuditEvent.objects.filter(action="feedback.list_experts", actor=contact_a).exists()
    text = page(client, contact_a, "expert", task.expert.pk)
    assert "Palaute kokemustoimijan" in text and COMMENT not in text
    assert AuditEvent.objects.filter(action="feedback.view_expert", actor=contact_a).exists()


def test_the_experts_list_shows_each_experts_tasks_and_listeners_figure(
    client, contact_a, expert_a, task, small_task
):
    now = timezone.now()
    Task.objects.filter(pk__in=[task.pk, small_task.pk]).update(status="done", done_at=now)
    TaskFactory(expert=expert_a, status=Task.Status.AGREED)
    TaskFactory.create_batch(2, expert=expert_a, status="cancelled", cancelled_at=now)
    ExpertFactory(responsible_organisation=expert_a.responsible_organisation, last_name="Uusi")

    text = page(client, contact_a, "experts")
    rows = {
        cells[0]: cells[1:]
        for row in re.findall(r"<tr>(.*?)</tr>", text, re.S)[1:]
        if (
            cells := [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
        )
    }
    # done, agreed, cancelled, listener answers (6 + 3), their average of "overall" (33 / 9)
    assert rows[f"{expert_a.last_name}, Kaisa"] == ["2", "1", "2", "9", "3,7"]
    assert next(v for k, v in rows.items() if k.startswith("Uusi,")) == ["0", "0", "0", "0", "–"]


def test_orderer_sees_their_own_answers_and_listener_figures_only(client, orderer, task):
    text = page(client, orderer, "task", task.pk)
    assert ORDERER_COMMENT in text
    assert COMMENT not in text and SELF_TEXT not in text
    assert '<span class="figure">4,2</span> / 5' in text
    assert "Täytä itsearviointi" not in text and "Itsearvioinnin vastaukset" not in text
    assert AuditEvent.objects.filter(action="feedback.view_task", actor=orderer).exists()
    text = page(client, orderer, "ordered")
    assert task.expert.full_name in text and "Annettu" in text


def test_planner_sees_everything(client, planner, task):
    text = page(client, planner, "task", task.pk)
    assert COMMENT in text and ORDERER_COMMENT in text and SELF_TEXT in text
    text = page(client, planner, "experts")
    assert task.expert.last_name in text


def test_another_organisations_contact_sees_nothing(client, contact_b, task):
    client.force_login(contact_b)
    assert client.get(reverse("palaute:task", args=[task.pk])).status_code == 404
    assert client.get(reverse("palaute:expert", args=[task.expert.pk])).status_code == 404
    text = page(client, contact_b, "experts")
    assert reverse("palaute:expert", args=[task.expert.pk]) not in text


def test_cancelled_task_page_has_no_links(client, expert_user, expert_a):
    from pankki.models import Task

    task = TaskFactory(expert=expert_a, status=Task.Status.CANCELLED, cancelled_at=timezone.now())
    text = page(client, expert_user, "task", task.pk)
    assert "Tehtävä peruttiin, joten siitä ei kerätä palautetta." in text
    assert task.feedback_links.count() == 0


def _tasks_with_answers(expert, orderer_org, count):
    for _ in range(count):
        task = TaskFactory(expert=expert, orderer_organisation=orderer_org)
        links = services.ensure_links(task=task)
        answer(links["listener"], overall=4, best="Hyvä")
        answer(links["orderer"], goals=4, cooperation=4, audience_benefit=4, order_again=0)


def test_lists_take_a_fixed_number_of_queries(
    client,
    expert_user,
    contact_a,
    orderer,
    planner,
    expert_a,
    orderer_org,
    django_assert_max_num_queries,
):
    def queries(user, name, *args):
        client.force_login(user)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(reverse(f"palaute:{name}", args=args)).status_code == 200
        return len(captured)

    _tasks_with_answers(expert_a, orderer_org, 2)
    ExpertFactory(responsible_organisation=expert_a.responsible_organisation)
    before = {
        "own": queries(expert_user, "own"),
        "experts": queries(contact_a, "experts"),
        "planner": queries(planner, "experts"),
        "ordered": queries(orderer, "ordered"),
    }
    _tasks_with_answers(expert_a, orderer_org, 4)
    for _ in range(3):
        ExpertFactory(responsible_organisation=expert_a.responsible_organisation)
    after = {
        "own": queries(expert_user, "own"),
        "experts": queries(contact_a, "experts"),
        "planner": queries(planner, "experts"),
        "ordered": queries(orderer, "ordered"),
    }
    assert after == before


def test_the_orderer_is_offered_the_form_only_for_tasks_that_were_held(
    client, orderer, orderer_org, expert_a
):
    from pankki.models import Task

    today = timezone.localdate()
    past, coming, cancelled = (
        TaskFactory(expert=expert_a, orderer_organisation=orderer_org, date=day, **extra)
        for day, extra in (
            (today, {}),
            (today + datetime.timedelta(days=19), {}),
            (today, {"status": Task.Status.CANCELLED, "cancelled_at": timezone.now()}),
        )
    )
    links = {task: services.ensure_links(task=task)["orderer"] for task in (past, coming)}
    links[cancelled] = services.ensure_links(task=cancelled)["orderer"]

    text = page(client, orderer, "ordered")
    offered = re.findall(r'href="/palaute/vastaa/([^/"]+)/">Anna palautetta<', text)
    assert offered == [links[past].token]
    assert f"Alkaen {coming.date:%-d.%-m.%Y}" in text

    # The expert sees the coming task's links, and when they open.
    client.force_login(expert_a.user)
    text = client.get(reverse("palaute:task", args=[coming.pk])).content.decode()
    assert f"Linkki avautuu {coming.date:%-d.%-m.%Y}" in text
    assert "Avaa tilaajan lomake" not in text and "Täytä itsearviointi" not in text


def test_a_task_of_the_last_valid_date_has_its_feedback_page(client, expert_user, expert_a):
    task = TaskFactory(expert=expert_a, date=datetime.date.max)
    text = page(client, expert_user, "task", task.pk)
    assert "31.12.9999" in text
    assert task.feedback_links.count() == 3
