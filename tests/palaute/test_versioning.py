"""A form version with answers is never changed: the planner's edit in admin saves a new
version, and the old answers stay readable against the questions they answered."""

import pytest
from django.urls import reverse

from kotove.models import AuditEvent
from palaute import aggregates, services
from palaute.forms import QuestionAdminForm
from palaute.models import Answer, FeedbackForm, FormKind, Question

from .factories import TaskFactory, answer


def admin_data(form, **question_changes):
    """The POST of the form's admin change page as it stands; `question_changes` maps a
    question key to the fields to change."""
    questions = list(form.questions.all())
    data = {
        "title_fi": form.title_fi,
        "title_sv": form.title_sv,
        "intro_fi": form.intro_fi,
        "intro_sv": form.intro_sv,
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for i, question in enumerate(questions):
        values = {f: getattr(question, f) for f in QuestionAdminForm.Meta.fields}
        values.update(question_changes.get(question.key, {}))
        for field, value in values.items():
            if value is True:
                data[f"questions-{i}-{field}"] = "on"
            elif value not in (False, None):
                data[f"questions-{i}-{field}"] = value
        data[f"questions-{i}-id"] = str(question.pk)
        data[f"questions-{i}-form"] = str(form.pk)
    return data


def add_question(data, **fields):
    i = int(data["questions-TOTAL_FORMS"])
    data["questions-TOTAL_FORMS"] = str(i + 1)
    for field, value in fields.items():
        data[f"questions-{i}-{field}"] = "on" if value is True else value
    return data


def change_url(form):
    return reverse("admin:palaute_feedbackform_change", args=[form.pk])


@pytest.fixture
def listener_form(db):
    return FeedbackForm.objects.current_of(FormKind.LISTENER)


@pytest.fixture
def answered(listener_form):
    link = services.ensure_links(task=TaskFactory())["listener"]
    answer(link, overall=2, understanding=3, best="Vanha lomake")
    return link


def test_unanswered_version_is_changed_in_place(client, planner, listener_form):
    client.force_login(planner)
    page = client.get(change_url(listener_form))
    assert (
        "Versioon 1 ei ole vielä vastattu: muutokset tallentuvat siihen." in page.content.decode()
    )
    data = admin_data(listener_form, overall={"text_fi": "Kuinka hyödyllinen osuus oli?"})
    response = client.post(change_url(listener_form), data)
    assert response.status_code == 302
    assert FeedbackForm.objects.filter(kind=FormKind.LISTENER).count() == 1
    assert listener_form.questions.get(key="overall").text_fi == "Kuinka hyödyllinen osuus oli?"


def test_editing_an_answered_version_creates_a_new_one(client, planner, listener_form, answered):
    old_questions = {q.key: (q.pk, q.text_fi) for q in listener_form.questions.all()}
    client.force_login(planner)
    page = client.get(change_url(listener_form)).content.decode()
    assert "Versiolla 1 on 1 vastaus. Kun tallennat muutokset, niistä tulee versio 2" in page
    data = admin_data(
        listener_form,
        overall={"text_fi": "Kuinka hyödyllinen kokemustoimijan osuus oli?"},
        clarity={"DELETE": True},
    )
    add_question(
        data,
        order="80",
        kind="scale",
        text_fi="Suosittelisitko kokemustoimijaa muille?",
        text_sv="Skulle du rekommendera erfarenhetsaktören till andra?",
        low_label_fi="En",
        low_label_sv="Nej",
        high_label_fi="Ehdottomasti",
        high_label_sv="Absolut",
        form=str(listener_form.pk),
    )
    response = client.post(change_url(listener_form), data, follow=True)

    new = FeedbackForm.objects.current_of(FormKind.LISTENER)
    assert new.version == 2 and new.pk != listener_form.pk
    assert "tallennettiin versioksi 2" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:palaute_feedbackform_changelist")
    listener_form.refresh_from_db()
    assert listener_form.replaced_at is not None
    # The answered version is exactly as it was.
    assert {q.key: (q.pk, q.text_fi) for q in listener_form.questions.all()} == old_questions
    keys = list(new.questions.values_list("key", flat=True))
    assert "clarity" not in keys and "suosittelisitko-kokemustoimijaa-muille" in keys
    assert (
        new.questions.get(key="overall").text_fi == "Kuinka hyödyllinen kokemustoimijan osuus oli?"
    )
    # Old answers read against their own questions.
    old_answer = Answer.objects.get(response__link=answered, question__key="overall")
    assert old_answer.question.form_id == listener_form.pk
    assert old_answer.question.text_fi == old_questions["overall"][1]
    assert AuditEvent.objects.filter(
        action="feedback_form.new_version", object_id=str(new.pk)
    ).exists()

    # New answers use the new version; summaries combine both by the question's code.
    answer(answered, overall=4)
    overall = next(
        q
        for q in aggregates.summarise(Answer.objects.filter(response__link=answered), comments=True)
        if q.key == "overall"
    )
    assert overall.count == 2
    assert overall.text == "Kuinka hyödyllinen kokemustoimijan osuus oli?"


def test_replaced_versions_are_read_only(client, planner, listener_form, answered):
    client.force_login(planner)
    client.post(change_url(listener_form), admin_data(listener_form, overall={"text_fi": "Uusi"}))
    listener_form.refresh_from_db()
    assert listener_form.replaced_at is not None
    page = client.get(change_url(listener_form)).content.decode()
    assert "Tämä versio on korvattu uudemmalla, eikä sitä voi muuttaa." in page
    response = client.post(
        change_url(listener_form), admin_data(listener_form, overall={"text_fi": "Muutos"})
    )
    assert response.status_code == 403
    assert listener_form.questions.get(key="overall").text_fi != "Muutos"
    assert FeedbackForm.objects.filter(kind=FormKind.LISTENER).count() == 2


def test_unchanged_save_of_an_answered_version_creates_nothing(
    client, planner, listener_form, answered
):
    client.force_login(planner)
    client.post(change_url(listener_form), admin_data(listener_form))
    assert FeedbackForm.objects.filter(kind=FormKind.LISTENER).count() == 1


def test_scale_without_labels_and_uneven_choices_are_refused(client, planner, listener_form):
    client.force_login(planner)
    data = admin_data(
        listener_form,
        overall={"low_label_sv": ""},
        respondent={"choices_sv": "Studerande\nAnnan"},
    )
    response = client.post(change_url(listener_form), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Asteikolle tarvitaan molempien päiden selitteet molemmilla kielillä." in text
    assert (
        "Anna ruotsiksi yhtä monta vaihtoehtoa kuin suomeksi (4), samassa järjestyksessä." in text
    )
    assert listener_form.questions.get(key="overall").low_label_sv == "Inte alls nyttig"


def test_a_new_form_replaces_the_current_one_of_its_kind(client, planner):
    client.force_login(planner)
    old = FeedbackForm.objects.current_of(FormKind.COURSE)
    data = {
        "kind": FormKind.COURSE,
        "title_fi": "Jatkokoulutuksen palaute",
        "title_sv": "Respons på fortbildningen",
        "intro_fi": "",
        "intro_sv": "",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    add_question(data, order="10", kind="text", text_fi="Mitä opit?", text_sv="Vad lärde du dig?")
    response = client.post(reverse("admin:palaute_feedbackform_add"), data)
    assert response.status_code == 302
    new = FeedbackForm.objects.current_of(FormKind.COURSE)
    assert (new.version, new.title_fi, new.created_by) == (2, "Jatkokoulutuksen palaute", planner)
    assert list(new.questions.values_list("key", flat=True)) == ["mita-opit"]
    old.refresh_from_db()
    assert old.replaced_at is not None


def test_answered_and_current_versions_cannot_be_deleted(client, planner, listener_form, answered):
    client.force_login(planner)
    url = reverse("admin:palaute_feedbackform_delete", args=[listener_form.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert FeedbackForm.objects.filter(pk=listener_form.pk).exists()
    assert Question.objects.filter(form=listener_form).count() == 7
