"""Request → answer → task → done or cancelled, with the emails each step sends."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from kotove.models import AuditEvent, OutboundEmail, Role
from pankki.models import Expert, RequestAnswer, Task, TaskRequest
from tests.conftest import make_actor

from .factories import ExpertFactory, municipality
from .task_factories import TaskFactory, TaskRequestFactory, audience, in_days, task_type


@pytest.fixture
def expert_a(expert_user, org_a):
    """Organisation A's expert, with a login, who wants orderers to contact them directly."""
    return ExpertFactory(
        responsible_organisation=org_a,
        user=expert_user,
        consent=True,
        contact_visibility=Expert.ContactVisibility.DIRECT,
    )


def request_data(experts, **overrides):
    data = {
        "experts": [expert.pk for expert in experts],
        "title": "Afasia arjessa",
        "task_type": task_type().pk,
        "audience": audience().pk,
        "audience_size": "30",
        "date": in_days(0).isoformat(),
        "start_time": "13:00",
        "end_time": "14:30",
        "municipality": municipality("Tampere").pk,
        "address": "Teiskontie 35, auditorio",
        "language": "fi",
        "description": "Luento sairaanhoitajaopiskelijoille.",
        "fee": "150",
        "pays_travel_costs": "on",
    }
    return data | overrides


def answer_data(answer, decision="accept", message="Tulen mielelläni.", **fields):
    prefix = f"answer-{answer.pk}-"
    return {prefix + "decision": decision, prefix + "message": message} | {
        prefix + key: value for key, value in fields.items()
    }


def emails_to(address):
    return list(OutboundEmail.objects.filter(to=address).order_by("pk"))


def test_request_accepted_becomes_a_task_marked_done(client, orderer, expert_a, on_commit):
    orderer.language = "sv"
    orderer.save()
    client.force_login(orderer)
    form_page = client.get(reverse("pankki:request_create") + f"?expert={expert_a.pk}")
    assert "verotettavaa tuloa" in form_page.content.decode()  # a fee is taxable income
    with on_commit():
        response = client.post(reverse("pankki:request_create"), request_data([expert_a]))
    task_request = TaskRequest.objects.get()
    assert response["Location"] == reverse("pankki:request_detail", args=[task_request.pk])
    assert (task_request.created_by, task_request.orderer_organisation.name) == (
        orderer,
        "Testin hyvinvointialue",
    )
    answer = task_request.answers.get()
    assert (answer.expert, answer.status, answer.via_organisation) == (expert_a, "pending", False)
    link = settings.SITE_URL + reverse("pankki:request_detail", args=[task_request.pk])
    [new] = emails_to(expert_a.user.email)
    assert new.language == "fi"
    assert new.subject == "Tehtäväpyyntö: Afasia arjessa"
    assert link in new.body and "Teiskontie 35" in new.body

    client.force_login(expert_a.user)
    page = client.get(link).content.decode()
    assert f'action="{reverse("pankki:request_answer", args=[answer.pk])}"' in page
    with on_commit():
        response = client.post(
            reverse("pankki:request_answer", args=[answer.pk]), answer_data(answer)
        )
    task = Task.objects.get()
    assert response["Location"] == reverse("pankki:task_detail", args=[task.pk])
    answer.refresh_from_db()
    assert (answer.status, answer.message, answer.answered_by) == (
        "accepted",
        "Tulen mielelläni.",
        expert_a.user,
    )
    assert (task.answer, task.expert, task.status, task.date) == (
        answer,
        expert_a,
        "agreed",
        in_days(0),
    )
    assert (task.orderer_user, task.orderer_email, task.orderer_language) == (
        orderer,
        orderer.email,
        "sv",
    )
    assert (task.title, task.audience_size, task.fee, task.start_time) == (
        "Afasia arjessa",
        30,
        150,
        datetime.time(13, 0),
    )
    [accepted] = emails_to(orderer.email)
    assert accepted.language == "sv"
    assert accepted.subject == f"{expert_a.full_name} tackade ja till din förfrågan: Afasia arjessa"
    assert link in accepted.body and "Tulen mielelläni." in accepted.body

    response = client.post(
        reverse("pankki:task_done", args=[task.pk]), {"audience_size": "42"}, follow=True
    )
    task.refresh_from_db()
    assert (task.status, task.audience_size, task.done_by) == ("done", 42, expert_a.user)
    assert task.done_at is not None
    assert "Keikka merkittiin tehdyksi" in response.content.decode()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"task_request.send", "task_request.accepted", "task.done"} <= actions


def test_contact_through_organisation_sends_the_request_to_the_contact(
    client, orderer, expert_a, contact_a, contact_b, on_commit
):
    Expert.objects.filter(pk=expert_a.pk).update(
        contact_visibility=Expert.ContactVisibility.VIA_ORGANISATION
    )
    client.force_login(orderer)
    with on_commit():
        client.post(reverse("pankki:request_create"), request_data([expert_a]))
    answer = RequestAnswer.objects.get()
    assert answer.via_organisation is True
    assert [e.to for e in OutboundEmail.objects.all()] == [contact_a.email]
    assert expert_a.full_name in emails_to(contact_a.email)[0].body

    client.force_login(contact_a)
    with on_commit():
        client.post(reverse("pankki:request_answer", args=[answer.pk]), answer_data(answer))
    task = Task.objects.get()
    assert task.created_by == contact_a
    # the orderer hears of it, and so does the expert the contact answered for
    assert len(emails_to(orderer.email)) == 1
    [agreed] = emails_to(expert_a.user.email)
    assert "Afasia arjessa" in agreed.subject
    assert settings.SITE_URL + reverse("pankki:task_detail", args=[task.pk]) in agreed.body
    assert emails_to(contact_b.email) == []


def test_expert_without_login_is_asked_through_the_contact(client, orderer, contact_a, org_a):
    expert = ExpertFactory(
        responsible_organisation=org_a,
        consent=True,
        contact_visibility=Expert.ContactVisibility.DIRECT,
    )
    client.force_login(orderer)
    client.post(reverse("pankki:request_create"), request_data([expert]))
    assert RequestAnswer.objects.get().via_organisation is True
    assert [e.to for e in OutboundEmail.objects.all()] == [contact_a.email]


def test_an_organisation_with_nobody_to_receive_requests_is_bypassed_or_refused(
    client, orderer, expert_a, org_a, on_commit
):
    """Org A has no contact person here and no address of its own."""
    Expert.objects.filter(pk=expert_a.pk).update(
        contact_visibility=Expert.ContactVisibility.VIA_ORGANISATION
    )
    client.force_login(orderer)
    # an expert with a login is asked directly: they can answer themselves
    with on_commit():
        client.post(reverse("pankki:request_create"), request_data([expert_a]))
    assert RequestAnswer.objects.get().via_organisation is False
    assert [e.to for e in OutboundEmail.objects.all()] == [expert_a.user.email]
    # one without a login cannot be reached: the request is refused, and nothing is saved
    no_login = ExpertFactory(responsible_organisation=org_a, consent=True)
    response = client.post(reverse("pankki:request_create"), request_data([no_login]))
    assert response.context["form"].non_field_errors() == [
        f"Palvelu ei tavoita nyt henkilöä {no_login.full_name}: hänen järjestöllään ei ole "
        "yhteyshenkilöä. Pyydä apua verkoston suunnittelijalta."
    ]
    assert TaskRequest.objects.count() == 1 and OutboundEmail.objects.count() == 1


def test_one_request_to_several_experts_answered_separately(
    client, orderer, expert_a, contact_b, org_b
):
    expert_b = ExpertFactory(responsible_organisation=org_b, consent=True)
    client.force_login(orderer)
    client.post(reverse("pankki:request_create"), request_data([expert_a, expert_b]))
    answers = {a.expert: a for a in RequestAnswer.objects.all()}
    assert set(answers) == {expert_a, expert_b}

    client.force_login(contact_b)
    client.post(
        reverse("pankki:request_answer", args=[answers[expert_b].pk]),
        answer_data(answers[expert_b], "decline", "Ei tällä kertaa."),
    )
    # contact B sees only their own expert's answer on the shared request
    page = client.get(reverse("pankki:request_detail", args=[answers[expert_b].request_id]))
    assert expert_b.full_name in page.content.decode()
    assert expert_a.full_name not in page.content.decode()
    assert Task.objects.count() == 0
    declined = emails_to(orderer.email)[0]
    assert "Ei tällä kertaa." in declined.body
    assert declined.subject.startswith(f"{expert_b.full_name} ")
    answers[expert_a].refresh_from_db()
    assert answers[expert_a].status == "pending"


def test_past_date_is_refused_on_the_field_and_nothing_is_saved(client, orderer, expert_a):
    client.force_login(orderer)
    response = client.post(
        reverse("pankki:request_create"),
        request_data([expert_a], date=in_days(-1).isoformat(), title="Myöhässä"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Päivämäärä ei voi olla menneisyydessä."]
    assert 'id="id_date_error"' in page and 'aria-invalid="true"' in page
    assert 'value="Myöhässä"' in page  # what was typed is kept
    # the errors are listed at the top too, each linked to its field
    start = page.index('<div class="form-errors"')
    summary = page[start : page.index("</div>", start)]
    assert '<a href="#id_date">Päivä</a>: Päivämäärä ei voi olla menneisyydessä.' in summary
    assert TaskRequest.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    "fields, errors",
    [
        ({"date": "9999-12-31"}, {"date": ["Valitse enintään kahden vuoden päässä oleva päivä."]}),
        (
            {"date_until": in_days(800).isoformat()},
            {"date_until": ["Valitse enintään kahden vuoden päässä oleva päivä."]},
        ),
        ({"audience_size": "-5"}, {"audience_size": ["Tämän luvun on oltava vähintään 1."]}),
    ],
)
def test_far_dates_and_negative_sizes_are_refused_on_the_field(
    client, orderer, expert_a, fields, errors
):
    client.force_login(orderer)
    response = client.post(reverse("pankki:request_create"), request_data([expert_a], **fields))
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert TaskRequest.objects.count() == 0


def test_request_needs_a_place_unless_online(client, orderer, expert_a):
    client.force_login(orderer)
    response = client.post(
        reverse("pankki:request_create"), request_data([expert_a], municipality="")
    )
    assert "municipality" in response.context["form"].errors
    client.post(
        reverse("pankki:request_create"),
        request_data([expert_a], municipality="", online="on", address="Teams"),
    )
    assert TaskRequest.objects.get().place == "Verkossa"


def test_accepting_a_range_picks_a_date_within_it(client, orderer, orderer_org, expert_a):
    task_request = TaskRequestFactory(
        orderer_organisation=orderer_org,
        created_by=orderer,
        date=in_days(3),
        date_until=in_days(10),
        experts=[expert_a],
    )
    answer = task_request.answers.get()
    client.force_login(expert_a.user)
    url = reverse("pankki:request_answer", args=[answer.pk])
    response = client.post(url, answer_data(answer, date=in_days(11).isoformat()))
    assert response.context["answers"][0].form.errors["date"] == [
        "Valitse päivä pyydettyjen päivien väliltä."
    ]
    assert Task.objects.count() == 0
    client.post(url, answer_data(answer, date=in_days(5).isoformat(), start_time="09:00"))
    task = Task.objects.get()
    assert (task.date, task.start_time) == (in_days(5), datetime.time(9, 0))


def test_an_answer_is_given_once(client, orderer, orderer_org, expert_a):
    task_request = TaskRequestFactory(
        orderer_organisation=orderer_org, created_by=orderer, experts=[expert_a]
    )
    answer = task_request.answers.get()
    client.force_login(expert_a.user)
    url = reverse("pankki:request_answer", args=[answer.pk])
    client.post(url, answer_data(answer, "decline"))
    response = client.post(url, answer_data(answer, "accept"))
    assert response.status_code == 200
    assert Task.objects.count() == 0
    answer.refresh_from_db()
    assert answer.status == "declined"


def test_orderer_withdraws_the_pending_part_of_a_request(
    client, orderer, orderer_org, expert_a, contact_b, org_b, on_commit
):
    expert_b = ExpertFactory(responsible_organisation=org_b, consent=True)
    task_request = TaskRequestFactory(
        orderer_organisation=orderer_org, created_by=orderer, experts=[expert_a, expert_b]
    )
    client.force_login(orderer)
    with on_commit():
        client.post(
            reverse("pankki:request_withdraw", args=[task_request.pk]), {"reason": "Peruttu"}
        )
    assert set(task_request.answers.values_list("status", "message")) == {("withdrawn", "Peruttu")}
    assert {e.to for e in OutboundEmail.objects.all()} == {expert_a.user.email, contact_b.email}


def test_cancelling_tells_both_sides_but_not_the_canceller(
    client, orderer, orderer_org, expert_a, contact_a, on_commit
):
    task = TaskFactory(expert=expert_a, orderer_organisation=orderer_org, orderer_user=orderer)
    client.force_login(orderer)
    empty = client.post(reverse("pankki:task_cancel", args=[task.pk]), {"cancel_reason": " "})
    assert empty.context["cancel_form"].errors["cancel_reason"] == [
        "Kerro toiselle osapuolelle syy."
    ]
    with on_commit():
        client.post(reverse("pankki:task_cancel", args=[task.pk]), {"cancel_reason": "Sairastuin"})
    task.refresh_from_db()
    assert (task.status, task.cancel_reason, task.cancelled_by) == (
        "cancelled",
        "Sairastuin",
        orderer,
    )
    assert {e.to for e in OutboundEmail.objects.all()} == {expert_a.user.email, contact_a.email}
    assert all("Sairastuin" in e.body for e in OutboundEmail.objects.all())
    # a cancelled task is neither cancelled again nor done
    client.post(reverse("pankki:task_cancel", args=[task.pk]), {"cancel_reason": "Uudestaan"})
    task.refresh_from_db()
    assert task.cancel_reason == "Sairastuin"


def test_expert_cancelling_a_task_recorded_outside_emails_the_orderer_by_address(
    client, expert_a, on_commit
):
    task = TaskFactory(expert=expert_a, orderer_email="opettaja@tamk.fi", orderer_language="sv")
    client.force_login(expert_a.user)
    with on_commit():
        client.post(reverse("pankki:task_cancel", args=[task.pk]), {"cancel_reason": "Flunssa"})
    [email] = emails_to("opettaja@tamk.fi")
    assert email.language == "sv"
    assert email.subject.startswith("Uppdraget inställt")


def test_a_future_task_cannot_be_marked_done(client, expert_a):
    task = TaskFactory(expert=expert_a, date=in_days(2))
    client.force_login(expert_a.user)
    page = client.get(reverse("pankki:task_detail", args=[task.pk])).content.decode()
    assert reverse("pankki:task_done", args=[task.pk]) not in page
    client.post(reverse("pankki:task_done", args=[task.pk]), {"audience_size": "10"})
    task.refresh_from_db()
    assert task.status == "agreed"


def test_expert_records_a_task_done_outside_the_service(client, expert_a):
    client.force_login(expert_a.user)
    data = request_data(
        [],
        date=in_days(-3).isoformat(),
        orderer_organisation_name="Tampereen yliopisto",
        orderer_name="Outi Opettaja",
        orderer_email="outi@tuni.fi",
        orderer_language="fi",
        done="on",
    )
    response = client.post(reverse("pankki:task_record"), data)
    task = Task.objects.get()
    assert response["Location"] == reverse("pankki:task_detail", args=[task.pk])
    assert (task.expert, task.status, task.created_by, task.recorded_outside) == (
        expert_a,
        "done",
        expert_a.user,
        True,
    )
    assert task.orderer_display == "Tampereen yliopisto"


def test_recording_needs_the_orderer_and_refuses_a_done_future_task(client, expert_a):
    client.force_login(expert_a.user)
    data = request_data(
        [], date=in_days(3).isoformat(), orderer_name="Outi", orderer_email="o@x.fi", done="on"
    )
    response = client.post(reverse("pankki:task_record"), data)
    errors = response.context["form"].errors
    assert errors["done"] == ["Tulevaa keikkaa ei voi vielä merkitä tehdyksi."]
    assert "orderer_organisation_name" in errors
    assert Task.objects.count() == 0


def test_contact_records_only_for_their_own_experts(client, contact_a, contact_b, org_a):
    expert = ExpertFactory(responsible_organisation=org_a)
    data = request_data(
        [],
        expert=expert.pk,
        orderer_organisation_name="Tampereen yliopisto",
        orderer_name="Outi",
        orderer_email="o@x.fi",
        orderer_language="fi",
    )
    client.force_login(contact_b)
    assert "expert" in client.post(reverse("pankki:task_record"), data).context["form"].errors
    client.force_login(contact_a)
    client.post(reverse("pankki:task_record"), data)
    assert Task.objects.get().expert == expert


def test_lists_show_each_side_its_own_with_status(
    client, orderer, orderer_org, expert_a, contact_a
):
    task_request = TaskRequestFactory(
        orderer_organisation=orderer_org, created_by=orderer, title="Pyyntö A", experts=[expert_a]
    )
    TaskFactory(expert=expert_a, title="Keikka A", orderer_organisation=orderer_org)
    other = make_actor(Role.Kind.ORDERER, orderer_organisation=orderer_org)  # a colleague
    for user in (orderer, other, contact_a, expert_a.user):
        client.force_login(user)
        requests = client.get(reverse("pankki:requests")).content.decode()
        assert "Pyyntö A" in requests and "Odottaa vastausta" in requests
        assert "Keikka A" in client.get(reverse("pankki:tasks")).content.decode()
    client.force_login(orderer)
    pending = client.get(reverse("pankki:requests") + "?status=pending").content.decode()
    assert "Pyyntö A" in pending
    task_request.answers.update(status="declined", answered_at=task_request.created_at)
    pending = client.get(reverse("pankki:requests") + "?status=pending").content.decode()
    assert "Pyyntö A" not in pending


def test_request_list_query_count_does_not_grow(
    client, orderer, orderer_org, expert_a, org_b, django_assert_max_num_queries
):
    experts = [expert_a, *(ExpertFactory(responsible_organisation=org_b) for _ in range(3))]
    for n in range(15):
        TaskRequestFactory(
            orderer_organisation=orderer_org, created_by=orderer, title=f"P{n}", experts=experts
        )
    client.force_login(orderer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("pankki:requests"))
    assert response.content.decode().count('class="answer-list"') == 15


def test_task_list_query_count_does_not_grow(
    client, contact_a, expert_a, django_assert_max_num_queries
):
    for n in range(30):
        TaskFactory(expert=expert_a, title=f"K{n}", date=in_days(n - 15))
    client.force_login(contact_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("pankki:tasks") + "?when=upcoming")
    assert response.content.decode().count("<tr>") == 16  # header + today and 14 later days
