"""The network's forms ship with the migrations, in Finnish and Swedish."""

from palaute.models import FeedbackForm, FormKind, Question


def test_every_kind_has_one_current_form_with_both_languages(db):
    forms = FeedbackForm.objects.current()
    assert sorted(forms.values_list("kind", flat=True)) == sorted(FormKind.values)
    for form in forms:
        assert form.version == 1
        assert form.title_fi and form.title_sv and form.intro_fi and form.intro_sv
        questions = list(form.questions.all())
        assert len(questions) >= 5
        for question in questions:
            question.full_clean()  # labels and choices complete in both languages
            assert question.text_fi != question.text_sv
        kinds = {q.kind for q in questions}
        assert Question.Kind.SCALE in kinds and Question.Kind.TEXT in kinds


def test_listener_form_reads_in_swedish(db, settings):
    from django.utils import translation

    form = FeedbackForm.objects.current_of(FormKind.LISTENER)
    overall = form.questions.get(key="overall")
    with translation.override("sv"):
        assert form.title == "Respons från åhörare"
        assert overall.text == "Hur nyttig var erfarenhetsaktörens del för dig som helhet?"
        assert overall.high_label == "Mycket nyttig"
    with translation.override("fi"):
        assert form.title == "Kuulijapalaute"
        assert form.questions.get(key="respondent").choices[0] == "Opiskelija"
