"""The whole loop: request → accept → task → links emailed → anonymous answers → the expert
sees the summary."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from palaute import tasks
from palaute.models import FeedbackForm, Response
from pankki.models import Expert, Task

from ..pankki.factories import ExpertFactory
from ..pankki.test_requests import answer_data, request_data


def form_data(kind, **by_key):
    questions = {q.key: q for q in FeedbackForm.objects.current_of(kind).questions.all()}
    return {f"q{questions[key].pk}": value for key, value in by_key.items()}


def test_request_to_feedback_that_reaches_the_expert(
    client, orderer, expert_user, org_a, on_commit
):
    expert = ExpertFactory(
        responsible_organisation=org_a,
        user=expert_user,
        consent=True,
        email="kaisa@example.fi",
        contact_visibility=Expert.ContactVisibility.DIRECT,
    )
    # The orderer asks, the expert accepts and marks the task done after it.
    client.force_login(orderer)
    with on_commit():
        client.post(reverse("pankki:request_create"), request_data([expert]))
    answer = expert.request_answers.get()
    client.force_login(expert_user)
    with on_commit():
        client.post(reverse("pankki:request_answer", args=[answer.pk]), answer_data(answer))
    task = Task.objects.get(expert=expert)
    with on_commit():
        client.post(reverse("pankki:task_done", args=[task.pk]), {"audience_size": "30"})
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    mail.outbox.clear()

    # Beat sends the links.
    with on_commit():
        tasks.send_feedback_links()
    to_expert = next(m for m in mail.outbox if m.to == ["kaisa@example.fi"])
    to_orderer = next(m for m in mail.outbox if m.to == [orderer.email])
    links = re.findall(r"https?://\S+/palaute/vastaa/[\w-]+/(?=\s)", to_expert.body)
    self_evaluation_url, listener_url = links[0], links[1]
    orderer_url = re.search(r"https?://\S+/palaute/vastaa/[\w-]+/(?=\s)", to_orderer.body)[0]
    path = lambda url: re.sub(r"^https?://[^/]+", "", url)  # noqa: E731

    # Six listeners answer anonymously on their own phones; the orderer answers too.
    for overall in (5, 4, 4, 5, 3, 5):
        listener = Client()
        assert listener.get(path(listener_url)).status_code == 200
        response = listener.post(
            path(listener_url),
            form_data(
                "listener",
                overall=str(overall),
                understanding="5",
                clarity="4",
                use_in_work="4",
                best="Avoin kertomus arjesta",
            ),
        )
        assert response.status_code == 302
    Client().post(
        path(orderer_url),
        form_data("orderer", goals="5", cooperation="5", audience_benefit="4", order_again="0"),
    )
    Client().post(
        path(self_evaluation_url),
        form_data(
            "self_evaluation", audience_count="1", preparation="4", success="4", wellbeing="5"
        ),
    )
    assert Response.objects.filter(link__task=task).count() == 8

    # The expert signs in and sees the summary.
    client.force_login(expert_user)
    own = client.get(reverse("palaute:own")).content.decode()
    assert f'href="{reverse("palaute:task", args=[task.pk])}"' in own
    assert "<td>6</td>" in own and "<td>4,3</td>" in own  # listeners and their average
    page = client.get(reverse("palaute:task", args=[task.pk])).content.decode()
    assert '<span class="figure">4,3</span> / 5' in page
    assert "Avoin kertomus arjesta" in page
    assert "Tilaaja on vastannut. Kiitos!" in page
