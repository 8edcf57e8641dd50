"""Answering through a task's link: no login, nothing about the person stored, friendly pages
for bad links, errors on the fields with what was typed kept."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from palaute import services
from palaute.models import Answer, FeedbackForm, FeedbackLink, Response
from pankki.models import Task

from .factories import TaskFactory, answer, question


@pytest.fixture
def task(db):
    return TaskFactory()


@pytest.fixture
def links(task):
    return services.ensure_links(task=task)


def url(link_or_token):
    token = getattr(link_or_token, "token", link_or_token)
    return reverse("palaute:answer", args=[token])


def listener_post(**overrides):
    fields = {
        "overall": "5",
        "understanding": "4",
        "clarity": "5",
        "use_in_work": "4",
        "respondent": "0",
        "best": "Tarina sairastumisesta ja arjesta jäi mieleen.",
    }
    fields.update(overrides)
    return {f"q{question('listener', key).pk}": value for key, value in fields.items() if value}


def test_links_carry_long_random_tokens(links):
    tokens = [link.token for link in links.values()]
    assert len(set(tokens)) == 3
    assert all(len(token) == 43 for token in tokens)  # 32 random bytes, URL-safe


def test_listener_answers_anonymously_once_per_browser(client, links):
    link = links["listener"]
    page = client.get(url(link))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Kuulijapalaute" in text
    assert "Älä kirjoita muiden ihmisten terveydestä" in text  # the warning on free text

    response = client.post(url(link), listener_post(), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    stored = Response.objects.get(link=link)
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id",
        "link",
        "form",
        "submitted_on",
    }
    assert sorted(stored.answers.values_list("question__key", "number")) == [
        ("best", None),
        ("clarity", 5),
        ("overall", 5),
        ("respondent", None),
        ("understanding", 4),
        ("use_in_work", 4),
    ]
    assert stored.answers.get(question__key="respondent").choices == [0]
    assert "10.1.2.3" not in str(list(Answer.objects.values_list("text", flat=True)))

    again = client.get(url(link))
    assert "Kiitos palautteestasi" in again.content.decode()
    assert '<form method="post" novalidate class="answer-form">' not in again.content.decode()
    client.post(url(link), listener_post())
    assert Response.objects.filter(link=link).count() == 1


def test_another_browser_can_answer_the_same_listener_link(client, django_user_model, links):
    from django.test import Client

    link = links["listener"]
    client.post(url(link), listener_post())
    Client().post(url(link), listener_post(overall="3"))
    assert sorted(
        Answer.objects.filter(question__key="overall").values_list("number", flat=True)
    ) == [3, 5]


def test_missing_required_answers_show_errors_on_the_fields_and_keep_what_was_typed(client, links):
    link = links["listener"]
    response = client.post(url(link), listener_post(overall="", clarity=""))
    text = response.content.decode()
    overall = question("listener", "overall")
    assert response.status_code == 200
    assert Response.objects.count() == 0
    assert f'id="id_q{overall.pk}_error"' in text
    assert text.count("Tämä kenttä vaaditaan") == 2
    assert "Tarina sairastumisesta ja arjesta jäi mieleen." in text  # typed text kept
    understanding = question("listener", "understanding")
    assert (
        f'name="q{understanding.pk}" value="4" class="scale" required id="id_q{understanding.pk}_3" checked'
        in text
    )


@pytest.mark.parametrize(
    "token",
    [
        "x" * 43,  # well formed, unknown
        "not-a-token",
        "a" * 200,
    ],
)
def test_unknown_and_malformed_tokens_get_a_friendly_404(client, links, token):
    response = client.get(url(token))
    assert response.status_code == 404
    assert "Palautelinkkiä ei löytynyt" in response.content.decode()


def test_a_tampered_token_never_opens_another_tasks_form(client, links):
    other = services.ensure_links(task=TaskFactory())["listener"]
    token = links["listener"].token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(url(tampered))
    assert response.status_code == 404
    response = client.post(url(tampered), listener_post())
    assert response.status_code == 404
    assert Response.objects.count() == 0
    assert other.token != tampered


def test_closed_and_cancelled_links_answer_410(client, task, links, settings):
    settings.FEEDBACK_LINK_DAYS = 30
    Task.objects.filter(pk=task.pk).update(date=timezone.localdate() - timedelta(days=31))
    response = client.get(url(links["listener"]))
    assert response.status_code == 410
    assert "Palautelinkki on suljettu" in response.content.decode()
    assert client.post(url(links["listener"]), listener_post()).status_code == 410
    assert Response.objects.count() == 0

    cancelled = TaskFactory(status=Task.Status.CANCELLED, cancelled_at=timezone.now())
    link = services.ensure_links(task=cancelled)["listener"]
    response = client.get(url(link))
    assert response.status_code == 410
    assert "Tehtävä peruttiin" in response.content.decode()


def test_link_stays_open_the_configured_days(client, task, links, settings):
    settings.FEEDBACK_LINK_DAYS = 3
    Task.objects.filter(pk=task.pk).update(date=timezone.localdate() - timedelta(days=3))
    assert client.get(url(links["listener"])).status_code == 200
    settings.FEEDBACK_LINK_DAYS = 2
    assert client.get(url(links["listener"])).status_code == 410


def test_orderer_link_takes_one_answer(client, links):
    from django.test import Client

    link = links["orderer"]
    questions = FeedbackForm.objects.current_of("orderer").questions.all()
    data = {f"q{q.pk}": "1" for q in questions if q.kind in ("scale", "single")}
    assert client.post(url(link), data).status_code == 302
    assert Response.objects.filter(link=link).count() == 1
    other = Client().get(url(link))
    assert "Lomakkeeseen on jo vastattu" in other.content.decode()
    Client().post(url(link), data)
    assert Response.objects.filter(link=link).count() == 1


def test_rate_limit_stops_a_flood_and_keeps_the_answer_typed(client, links, settings):
    from django.test import Client

    settings.FEEDBACK_RATE_LIMIT = 3
    link = links["listener"]
    for _ in range(3):
        assert Client().post(url(link), listener_post()).status_code == 302
    response = Client().post(url(link), listener_post(best="Neljäs vastaus"))
    assert response.status_code == 429
    assert "Neljäs vastaus" in response.content.decode()
    assert Response.objects.filter(link=link).count() == 3


def test_answer_page_follows_the_browser_language(client, links):
    response = client.get(url(links["listener"]), HTTP_ACCEPT_LANGUAGE="sv")
    text = response.content.decode()
    assert "Respons från åhörare" in text
    assert "Du svarar anonymt" in text


def test_service_refuses_a_second_orderer_answer(links):
    from django.core.exceptions import ValidationError

    answer(links["orderer"], goals=5, cooperation=5, audience_benefit=4, order_again=0)
    with pytest.raises(ValidationError):
        answer(links["orderer"], goals=1, cooperation=1, audience_benefit=1, order_again=2)
    assert FeedbackLink.objects.get(pk=links["orderer"].pk).responses.count() == 1


def post_of(kind: str) -> dict:
    """Answers to every scale and single-choice question of the current form of `kind`."""
    questions = FeedbackForm.objects.current_of(kind).questions.all()
    return {f"q{q.pk}": "1" for q in questions if q.kind in ("scale", "single")}


@pytest.mark.parametrize("kind", ["listener", "orderer", "self_evaluation"])
def test_a_link_opens_on_the_day_of_its_task(db, client, kind):
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    task = TaskFactory(date=today + timedelta(days=19))
    link = services.ensure_links(task=task)[kind]
    data = listener_post() if kind == "listener" else post_of(kind)

    response = client.get(url(link))
    text = response.content.decode()
    assert response.status_code == 403
    assert "Palautelinkki ei ole vielä auki" in text
    assert f"lomake avautuu {task.date:%-d.%-m.%Y}" in text
    assert 'class="answer-form"' not in text
    assert client.post(url(link), data).status_code == 403
    with pytest.raises(ValidationError, match="avautuu"):
        answer(link)
    assert Response.objects.count() == 0

    Task.objects.filter(pk=task.pk).update(date=today)
    assert 'class="answer-form"' in client.get(url(link)).content.decode()
    assert client.post(url(link), data).status_code == 302
    assert Response.objects.filter(link=link).count() == 1


def test_a_link_of_the_last_valid_date_opens_without_an_error(db, client):
    task = TaskFactory(date=date.max)
    link = services.ensure_links(task=task)["listener"]
    assert link.closes_on == date.max
    response = client.get(url(link))
    assert response.status_code == 403
    assert "lomake avautuu 31.12.9999" in response.content.decode()


@pytest.mark.parametrize(
    ("browser", "task_language", "page"),
    [
        ("fi", "fi", "fi"),
        ("sv", "fi", "sv"),
        ("en", "fi", "fi"),  # the questions exist in Finnish and Swedish only
        ("en", "sv", "sv"),  # the task was held in Swedish
        ("fi", "sv", "fi"),  # the listener's own choice comes first
    ],
)
def test_answer_pages_speak_the_language_of_the_questions(db, client, browser, task_language, page):
    task = TaskFactory(language=task_language)
    link = services.ensure_links(task=task)["listener"]
    overall = question("listener", "overall")
    texts = {
        "fi": (overall.text_fi, "Vastaat nimettömänä", "Kiitos palautteestasi"),
        "sv": (overall.text_sv, "Du svarar anonymt", "Tack för din respons"),
    }
    other = texts["sv" if page == "fi" else "fi"]

    response = client.get(url(link), HTTP_ACCEPT_LANGUAGE=browser)
    text = response.content.decode()
    assert f'<html lang="{page}">' in text
    assert response["Content-Language"] == page
    assert texts[page][0] in text and texts[page][1] in text
    assert other[0] not in text and "You answer anonymously" not in text

    client.post(url(link), listener_post(), HTTP_ACCEPT_LANGUAGE=browser)
    thanks = client.get(url(link), HTTP_ACCEPT_LANGUAGE=browser).content.decode()
    assert f'<html lang="{page}">' in thanks and texts[page][2] in thanks
    assert "Thank you for your feedback" not in thanks
    assert Response.objects.filter(link=link).count() == 1


def test_the_orderer_reads_the_form_in_their_own_language(client, links):
    from django.test import Client

    Task.objects.filter(pk=links["orderer"].task_id).update(orderer_language="sv")
    link = links["orderer"]
    title = FeedbackForm.objects.current_of("orderer").title_sv
    text = client.get(url(link), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sv">' in text and title in text

    client.post(url(link), post_of("orderer"), HTTP_ACCEPT_LANGUAGE="en")
    done = Client().get(url(link), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sv">' in done and "Formuläret har redan besvarats" in done


def test_a_listener_can_switch_to_the_other_language(client, links):
    link = links["listener"]
    client.post(reverse("set_language"), {"language": "sv", "next": url(link)})
    text = client.get(url(link), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert '<html lang="sv">' in text and "Du svarar anonymt" in text
